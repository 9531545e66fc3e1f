-- wrk script: one C.Hasil-KWK form per POST. Each wrk thread reads its own request file
-- (wrk-<label>-<n>.txt, lines "path<TAB>json", made by drive.py split) and stops after its
-- last form's response (or at wrk's -d limit, whichever is first; run.sh sizes -d so the forms
-- last); statuses are counted per thread and printed at the end.
-- Environment: BENCH_FILES (prefix, e.g. /tmp/x/wrk-single-), BENCH_TOKENS (a file of API
-- tokens, one per line; the forms use them in turn, as many operators would).
local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end

function init(args)
  local prefix = os.getenv("BENCH_FILES")
  local headers = {}
  for token in io.lines(os.getenv("BENCH_TOKENS")) do
    headers[#headers + 1] = { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token }
  end
  reqs = {}
  for line in io.lines(prefix .. id .. ".txt") do
    local tab = line:find("\t", 1, true)
    local h = headers[(#reqs + id) % #headers + 1]
    reqs[#reqs + 1] = wrk.format("POST", line:sub(1, tab - 1), h, line:sub(tab + 1))
  end
  i = 0
  ok = 0
  bad = 0
  filler = wrk.format("GET", "/healthz")
end

function request()
  i = i + 1
  if i <= #reqs then
    return reqs[i]
  end
  -- Past the last form (other connections still finishing): a cheap request, not counted.
  return filler
end

function response(status, hdrs, body)
  -- Forms answer 201 or 4xx/5xx; the filler answers 200 and is not counted.
  if status == 201 then ok = ok + 1 elseif status ~= 200 then bad = bad + 1 end
  if ok + bad >= #reqs then
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local tok, tbad = 0, 0
  for _, t in ipairs(threads) do
    tok = tok + t:get("ok")
    tbad = tbad + t:get("bad")
  end
  io.write(string.format("forms_ok %d forms_bad %d\n", tok, tbad))
  io.write(string.format("latency_p50_ms %.2f p99_ms %.2f\n", latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
