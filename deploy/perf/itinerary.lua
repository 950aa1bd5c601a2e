-- wrk script: GET /api/people/{id}/itinerary for each generated person in turn.
-- wrk -s itinerary.lua URL -- IDS_FILE KEY
local nextId = 0
function setup(thread)
  thread:set("threadId", nextId)
  nextId = nextId + 1
end

function init(args)
  dofile(args[1])
  auth = "Bearer " .. args[2]
  counter = threadId * 7
end

function request()
  counter = counter + 1
  return wrk.format("GET", "/api/people/" .. people[(counter % #people) + 1] .. "/itinerary", { ["Authorization"] = auth })
end

function done(summary, latency, requests)
  io.write(string.format("lua: p50_us=%d p99_us=%d max_us=%d\n", latency:percentile(50), latency:percentile(99), latency.max))
end
