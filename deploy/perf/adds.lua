-- wrk script: attendee adds, each request a distinct (person, engagement) pair that fits the person's itinerary.
-- load-test.sh writes perf-ids.lua (people, engagements, perSlot, firstFree, freeSlots) next to the results and
-- passes its path and the first pair index as arguments: wrk -t T -s adds.lua URL -- IDS_FILE OFFSET KEY T
-- Pair i: person i mod P, free slot firstFree + (i div P) mod freeSlots, engagement (p + i div P) mod perSlot of that
-- slot. Consecutive i (what concurrent connections send) are distinct people at distinct engagements.
local nextId = 0

function setup(thread)
  thread:set("threadId", nextId)
  nextId = nextId + 1
end

function init(args)
  dofile(args[1])
  offset = tonumber(args[2])
  auth = "Bearer " .. args[3]
  step = tonumber(args[4])
  counter = 0
end

function request()
  local i = offset + threadId + step * counter
  counter = counter + 1
  local p = i % #people
  local f = math.floor(i / #people)
  local slot = firstFree + (f % freeSlots)
  local index = (p + f) % perSlot
  local engagement = engagements[slot * perSlot + index + 1]
  return wrk.format("POST", "/api/engagements/" .. engagement .. "/attendees",
    { ["Authorization"] = auth, ["Content-Type"] = "application/json" },
    '{"personId":"' .. people[p + 1] .. '","role":"optional"}')
end

function done(summary, latency, requests)
  io.write(string.format("lua: p50_us=%d p99_us=%d max_us=%d\n", latency:percentile(50), latency:percentile(99), latency.max))
end
