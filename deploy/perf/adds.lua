-- wrk script: attendee adds, each request a distinct (person, engagement) pair that fits the person's itinerary.
-- load-test.sh writes perf-ids.lua (people, engagements, perSlot, firstFree, freeSlots) next to the results and
-- passes its path and the first pair index as arguments: wrk -t T -s adds.lua URL -- IDS_FILE OFFSET KEY T
-- Pair i: person i mod P, free slot firstFree + i div P, engagement (p + i div P) mod perSlot of that slot. The
-- generator (ProgrammeShape.LoadTest, Packed) puts every person in slots 0 to firstFree - 1 only, and slots are an
-- hour apart, so each pair is a valid booking (no overlap; the 15-minute same-city buffer is met). Consecutive i (what
-- concurrent connections send) are distinct people at distinct engagements. There are P * freeSlots pairs; past that
-- a pair would be reused, so such requests are counted as "exhausted" (and still sent, so wrk keeps its load).
-- The summary (done) prints the response statuses and the highest pair index sent, so load-test.sh can start the
-- next round after it and never reuse a pair:
--   lua: statuses 201=N [409=M ...] non2xx=K exhausted=X
--   lua: last_pair=I
local threads = {}
local nextId = 0

function setup(thread)
  thread:set("threadId", nextId)
  nextId = nextId + 1
  table.insert(threads, thread)
end

function init(args)
  dofile(args[1])
  offset = tonumber(args[2])
  auth = "Bearer " .. args[3]
  step = tonumber(args[4])
  counter = 0
  lastPair = -1
  exhausted = 0
  statuses = {}
end

function request()
  local i = offset + threadId + step * counter
  counter = counter + 1
  lastPair = i
  local capacity = #people * freeSlots
  if i >= capacity then exhausted = exhausted + 1 end
  local p = i % #people
  local f = math.floor(i / #people) % freeSlots
  local slot = firstFree + f
  local index = (p + f) % perSlot
  local engagement = engagements[slot * perSlot + index + 1]
  return wrk.format("POST", "/api/engagements/" .. engagement .. "/attendees",
    { ["Authorization"] = auth, ["Content-Type"] = "application/json" },
    '{"personId":"' .. people[p + 1] .. '","role":"optional"}')
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  io.write(string.format("lua: p50_us=%d p99_us=%d max_us=%d\n", latency:percentile(50), latency:percentile(99), latency.max))
  local totals, last, exhaustedTotal = {}, -1, 0
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses") or {}) do
      totals[status] = (totals[status] or 0) + count
    end
    local l = thread:get("lastPair")
    if l and l > last then last = l end
    exhaustedTotal = exhaustedTotal + (thread:get("exhausted") or 0)
  end
  local codes = {}
  for status in pairs(totals) do table.insert(codes, status) end
  table.sort(codes)
  local parts, non2xx = {}, 0
  for _, status in ipairs(codes) do
    table.insert(parts, string.format("%d=%d", status, totals[status]))
    if status < 200 or status > 299 then non2xx = non2xx + totals[status] end
  end
  io.write(string.format("lua: statuses %s non2xx=%d exhausted=%d\n", table.concat(parts, " "), non2xx, exhaustedTotal))
  io.write(string.format("lua: last_pair=%d\n", last))
end
