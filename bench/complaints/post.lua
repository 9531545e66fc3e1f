-- wrk script: POST one complaint per request to /api/v1/complaints as a field app would,
-- each with its own Idempotency-Key (unless BENCH_NO_KEY=1). Counts 201 answers per thread.
-- Environment: BENCH_TOKEN (API token), BENCH_VILLAGES (file, one village code per line),
-- BENCH_RUN (a label that makes keys unique across runs), BENCH_NO_KEY.
local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end

function init(args)
  villages = {}
  for line in io.lines(os.getenv("BENCH_VILLAGES")) do
    villages[#villages + 1] = line
  end
  token = os.getenv("BENCH_TOKEN")
  run = os.getenv("BENCH_RUN") or "run"
  use_key = os.getenv("BENCH_NO_KEY") ~= "1"
  categories = { "infrastruktur", "pelayanan", "aspirasi", "kependudukan", "lainnya" }
  n = 0
  ok = 0
  bad = 0
end

function request()
  n = n + 1
  local headers = { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token }
  if use_key then
    headers["Idempotency-Key"] = string.format("%s-%d-%d", run, id, n)
  end
  local body = string.format(
    '{"category":"%s","village_code":"%s","description":"Lampu jalan mati sejak minggu lalu di gang %d, mohon segera diperbaiki.","contact_phone":"0812%08d"}',
    categories[(n % #categories) + 1], villages[((n * 7919 + id) % #villages) + 1], n, n % 100000000)
  return wrk.format("POST", "/api/v1/complaints", headers, body)
end

function response(status, hdrs, body)
  if status == 201 then ok = ok + 1 else bad = bad + 1 end
end

function done(summary, latency, requests)
  local tok, tbad = 0, 0
  for _, t in ipairs(threads) do
    tok = tok + t:get("ok")
    tbad = tbad + t:get("bad")
  end
  io.write(string.format("created %d refused %d\n", tok, tbad))
  io.write(string.format("latency_ms p50 %.2f p90 %.2f p99 %.2f max %.2f\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000))
end
