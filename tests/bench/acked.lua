-- What the wrk scripts that POST a form share (draft.lua, submit.lua): each thread is
-- numbered (tid, from 1) and counts the requests it got acknowledged (acked); the form is
-- read from BENCH_FORM (line 1 the Cookie header, line 2 the body); the last line is that
-- of stats.lua plus acked=N, with rps counting only those acknowledged.
local threads = {}

setup = function(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

-- Sets up a POST of the form with its cookie; returns the body for the caller to send.
function post_form()
  local f = assert(io.open(os.getenv("BENCH_FORM"), "rb"))
  local cookie = f:read("*l")
  local body = f:read("*l")
  f:close()
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  wrk.headers["Cookie"] = cookie
  acked = 0
  return body
end

done = function(summary, latency, requests)
  local e = summary.errors
  local secs = summary.duration / 1e6
  local n = 0
  for _, t in ipairs(threads) do n = n + t:get("acked") end
  io.write(string.format(
    "WRK requests=%d seconds=%.3f rps=%.1f p50_ms=%.3f p99_ms=%.3f errors=%d non2xx3xx=%d acked=%d\n",
    summary.requests, secs, n / secs,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    e.connect + e.read + e.write + e.timeout, e.status, n))
end
