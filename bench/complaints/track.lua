-- wrk script: GET the tracking page (or, with BENCH_PATH=api, the JSON view) of random
-- existing reports. Environment: BENCH_CODES (file, one tracking code per line), BENCH_PATH.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  codes = {}
  for line in io.lines(os.getenv("BENCH_CODES")) do
    codes[#codes + 1] = line
  end
  api = os.getenv("BENCH_PATH") == "api"
  n = 0
  bad = 0
end

function request()
  n = n + 1
  local code = codes[((n * 7919) % #codes) + 1]
  if api then
    return wrk.format("GET", "/api/v1/complaints/" .. code)
  end
  return wrk.format("GET", "/aduan/lacak/" .. code)
end

function response(status, hdrs, body)
  if status ~= 200 then bad = bad + 1 end
end

function done(summary, latency, requests)
  local tbad = 0
  for _, t in ipairs(threads) do
    tbad = tbad + t:get("bad")
  end
  io.write(string.format("requests %d non200 %d\n", summary.requests, tbad))
  io.write(string.format("latency_ms p50 %.2f p90 %.2f p99 %.2f max %.2f\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000))
end
