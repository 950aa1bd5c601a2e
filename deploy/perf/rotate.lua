-- wrk script: GETs that rotate over a list of paths (one a line in PATHS_FILE), with an API key.
-- wrk -s rotate.lua URL -- PATHS_FILE KEY
-- scale-test.sh runs it once per list endpoint, over that endpoint's first pages (?limit=100) and the pages their
-- Link headers name. Each thread starts at a different path. The summary counts the responses that were not 200:
--   lua: p50_us=N p99_us=N max_us=N
--   lua: non200=N
local threads = {}
local nextId = 0

function setup(thread)
  thread:set("threadId", nextId)
  nextId = nextId + 1
  table.insert(threads, thread)
end

function init(args)
  paths = {}
  for line in io.lines(args[1]) do
    if line ~= "" then table.insert(paths, line) end
  end
  auth = "Bearer " .. args[2]
  counter = threadId * 3
  non200 = 0
end

function request()
  counter = counter + 1
  return wrk.format("GET", paths[(counter % #paths) + 1], { ["Authorization"] = auth })
end

function response(status, headers, body)
  if status ~= 200 then non200 = non200 + 1 end
end

function done(summary, latency, requests)
  io.write(string.format("lua: p50_us=%d p99_us=%d max_us=%d\n", latency:percentile(50), latency:percentile(99), latency.max))
  local total = 0
  for _, thread in ipairs(threads) do total = total + (thread:get("non200") or 0) end
  io.write(string.format("lua: non200=%d\n", total))
end
