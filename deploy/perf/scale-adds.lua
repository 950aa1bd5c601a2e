-- wrk script: attendee adds to the scale test's big programme, each request a distinct (person, engagement) pair that
-- fits the person's itinerary. scale-test.sh writes scale-ids.lua (people and engagements in the generator's order,
-- perSlot, stride, events) and passes its path: wrk -t T -s scale-adds.lua URL -- IDS_FILE KEY T [FIRST]
-- FIRST (0 unless given) is the first pair's index: the warm-up burst starts far past where the measured one ends, so
-- neither sends a pair the other has booked.
-- The big programme is generated with --packed false: person p attends slot k * stride + p mod stride for k below
-- events, so every slot s with s mod stride != p mod stride is free for p. Pair i: person p = i mod P, round
-- r = i div P, free slot k * stride + (p mod stride + o) mod stride with o = 1 + r mod (stride - 1) and
-- k = (r div (stride - 1)) mod events, engagement (p + r) mod perSlot of that slot. Slots are an hour apart (the
-- 15-minute same-city buffer is met), so each pair is a valid booking; there are P * (stride - 1) * events of them,
-- and past that a pair would be reused ("exhausted", still sent). Consecutive i (what concurrent connections send)
-- are distinct people at distinct engagements. The summary prints the response statuses:
--   lua: statuses 201=N [409=M ...] non2xx=K exhausted=X
local threads = {}
local nextId = 0

function setup(thread)
  thread:set("threadId", nextId)
  nextId = nextId + 1
  table.insert(threads, thread)
end

function init(args)
  dofile(args[1])
  auth = "Bearer " .. args[2]
  step = tonumber(args[3])
  first = tonumber(args[4] or "0")
  counter = 0
  exhausted = 0
  statuses = {}
end

function request()
  local i = first + threadId + step * counter
  counter = counter + 1
  local rounds = (stride - 1) * events
  local p = i % #people
  local r = math.floor(i / #people)
  if r >= rounds then exhausted = exhausted + 1 end
  local o = 1 + r % (stride - 1)
  local k = math.floor(r / (stride - 1)) % events
  local slot = k * stride + (p % stride + o) % stride
  local index = (p + r) % perSlot
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
  local totals, exhaustedTotal = {}, 0
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses") or {}) do
      totals[status] = (totals[status] or 0) + count
    end
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
end
