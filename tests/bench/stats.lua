-- wrk script for a plain GET run: prints one line that scripts/bench.sh reads.
--   WRK requests=N seconds=S rps=R p50_ms=A p99_ms=B errors=E non2xx3xx=F
-- errors counts connect, read, write and timeout errors; non2xx3xx the responses
-- with a status of 400 or more.
done = function(summary, latency, requests)
  local e = summary.errors
  local secs = summary.duration / 1e6
  io.write(string.format(
    "WRK requests=%d seconds=%.3f rps=%.1f p50_ms=%.3f p99_ms=%.3f errors=%d non2xx3xx=%d\n",
    summary.requests, secs, summary.requests / secs,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    e.connect + e.read + e.write + e.timeout, e.status))
end
