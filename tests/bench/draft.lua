-- wrk script for the draft run: POSTs one step of a survey with a draft (the form of its
-- first page, Continue), so that each request reads, opens, changes, seals and writes the
-- draft (one write transaction) and answers 303 to the next page.
-- Environment: BENCH_FORM (a file: line 1 the Cookie header, line 2 the body).
-- Prints the line of stats.lua plus acked=N (responses with status 303).
local threads = {}

setup = function(thread)
  table.insert(threads, thread)
end

init = function(args)
  local f = assert(io.open(os.getenv("BENCH_FORM"), "rb"))
  local cookie = f:read("*l")
  wrk.body = f:read("*l")
  f:close()
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  wrk.headers["Cookie"] = cookie
  acked = 0
end

response = function(status, headers, body)
  if status == 303 then acked = acked + 1 end
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
