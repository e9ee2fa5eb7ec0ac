-- wrk script of the benchmark suite (bench/run). One script for every HTTP figure:
--
--   wrk ... -s bench/lua/load.lua URL -- registrations PREFIX   POST the registration mix below
--   wrk ... -s bench/lua/load.lua URL -- echo PREFIX            POST the same documents (to the echo floor)
--   wrk ... -s bench/lua/load.lua URL -- get                    the request given on the command line (-H ...)
--   wrk ... -s bench/lua/load.lua URL?QUERY -- list             GET URL?QUERY&limit=N, N cycling over 45..55: H2
--                                                               answers a query identical to the last one on a
--                                                               connection from its last result while the table is
--                                                               unchanged, which a listing under real traffic never
--                                                               gets; 11 page sizes defeat that (8 statements cached)
--
-- The mix, by a counter per wrk thread: 8 in 10 are complete registrations of a child of their own (PREFIX, the
-- thread and the counter in the child's first name, so no two requests of a run, or of two runs, name the same
-- child: a repeated child would be answered 200 from the store instead of running the workflow); 1 in 10 is a
-- child born 2016-07-01 (InvalidAge with today pinned to 2026-11-25); 1 in 10 has no child lastName and a mother
-- e-mail that is not one (InformationIncomplete). The days requested rotate over three sets, as parents ask.
--
-- done() prints one line "BENCHJSON {...}" that bench/run's driver reads: requests, duration, latency
-- percentiles (microseconds, wrk's closed-loop measure) and the count of every status code answered.

local mode = "get"
local prefix = "x"
local counter = 0
thread_id = 0   -- set per thread by setup(), a global so that thread:set reaches it
-- a global, so that done() can read every thread's counts (thread:get copies tables)
statuses = {}

local threads = {}
local next_thread_id = 0

function setup(thread)
  next_thread_id = next_thread_id + 1
  thread:set("thread_id", next_thread_id)
  table.insert(threads, thread)
end

function init(args)
  mode = args[1] or "get"
  prefix = args[2] or "x"
end

local days = {
  '["Monday","Wednesday","Friday"]',
  '["Monday","Tuesday","Wednesday","Thursday","Friday"]',
  '["Tuesday","Thursday"]',
}

local function document(n)
  local kind = n % 10
  local first = prefix .. "-" .. thread_id .. "-" .. n
  local last = '"lastName":"Diallo",'
  local dob = "2021-03-27"
  local email = "aicha.cisse@example.com"
  if kind == 8 then
    dob = "2016-07-01"
  elseif kind == 9 then
    last = ""
    email = "not-an-address"
  end
  return '{"registration_info":{"child":{"firstName":"' .. first .. '",' .. last
      .. '"dateOfBirth":"' .. dob .. '"},"parents":{"mother":{"firstName":"Aicha","lastName":"Cisse","email":"'
      .. email .. '","phone":"123-456-7890"},"father":{"firstName":"Ibrahim","lastName":"Diallo",'
      .. '"email":"ibrahim.diallo@example.com"}},"daysOfWeek":' .. days[(n % 3) + 1]
      .. ',"specialInstructions":"Peanut allergy."}}'
end

local json_headers = { ["Content-Type"] = "application/json" }

function request()
  if mode == "get" then
    return wrk.request()
  end
  if mode == "list" then
    counter = counter + 1
    return wrk.format("GET", wrk.path .. "&limit=" .. (45 + counter % 11))
  end
  counter = counter + 1
  return wrk.format("POST", nil, json_headers, document(counter))
end

function response(status, headers, body)
  local key = "s" .. status
  statuses[key] = (statuses[key] or 0) + 1
end

function done(summary, latency, requests)
  local counts = {}
  for _, thread in ipairs(threads) do
    local theirs = thread:get("statuses") or {}
    for key, n in pairs(theirs) do
      counts[key] = (counts[key] or 0) + n
    end
  end
  local parts = {}
  for key, n in pairs(counts) do
    table.insert(parts, string.format('"%s":%d', string.sub(key, 2), n))
  end
  io.write(string.format(
    'BENCHJSON {"requests":%d,"duration_us":%d,"bytes":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d,'
      .. '"mean_us":%.1f,"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},"statuses":{%s}}\n',
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean,
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.status, summary.errors.timeout,
    table.concat(parts, ",")))
end
