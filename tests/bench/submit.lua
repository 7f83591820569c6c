-- wrk script for the submission run: POSTs the final submit of a survey, each request with
-- a nonce no other request in any run uses, so every one is a new response, not a duplicate.
-- Environment: BENCH_FORM (a file: line 1 the Cookie header, line 2 the body with @NONCE@),
-- BENCH_SALT (8 hex digits, different for each run against one database).
-- Prints the line of stats.lua plus acked=N (responses with status 303 to the confirmation).
local threads = {}

setup = function(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

init = function(args)
  local f = assert(io.open(os.getenv("BENCH_FORM"), "rb"))
  local cookie = f:read("*l")
  local body = f:read("*l")
  f:close()
  local at = assert(body:find("@NONCE@", 1, true))
  head, tail = body:sub(1, at - 1), body:sub(at + 7)
  salt = os.getenv("BENCH_SALT") or "00000000"
  counter, acked = 0, 0
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  wrk.headers["Cookie"] = cookie
end

request = function()
  counter = counter + 1
  return wrk.format(nil, nil, nil,
    head .. string.format("%s%08x%016x", salt, tid, counter) .. tail)
end

-- Only the confirmation counts: a 303 back to a page of the survey (a form the app found
-- wrong, sent back to be corrected) stores nothing.
response = function(status, headers, body)
  local loc = headers["Location"] or headers["location"] or ""
  if status == 303 and loc:find("/done", 1, true) then acked = acked + 1 end
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
