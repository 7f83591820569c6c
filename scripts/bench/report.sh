# Sourced by scripts/bench.sh once every run is done: the table of figures and their
# ratios, printed, and the same figures written to $out (var/bench.json).
# shellcheck shell=bash

page_hello=$(ratio "$(field rps "$app")" "$(field rps "$hello")")
page_static=$(ratio "$(field rps "$app")" "$(field rps "$static")")
submit_raw=$(ratio "$(field rps "$submit")" "$(field rps "$raw")")
dash_ref=$(ratio "$(field ms "$dash")" "$(field ref_ms "$dash")")
dash_ref_cpu=$(ratio "$(field cpu_ms "$dash")" "$(field ref_cpu_ms "$dash")")

echo
printf '%-34s %10s %9s %9s  %s\n' run 'req/s' 'p50 ms' 'p99 ms' notes
row() { printf '%-34s %10s %9s %9s  %s\n' "$1" "$(field rps "$2")" "$(field p50_ms "$2")" "$(field p99_ms "$2")" "$3"; }
row "page: app ($workers workers)" "$app" "x$page_hello of hello, x$page_static of static (target >= 0.80 of hello, p99 <= 15 ms)"
row "page: hello (libfcgi, detached)" "$hello" "errors 0 here and for the app, both nginx error logs empty"
row "page: nginx static file" "$static" ""
row "submit: app (group commit)" "$submit" "x$submit_raw of raw; $(field acked "$submit") confirmed, $(field stored "$submit") stored (target >= 1.5x raw, >= 6000/s, p99 <= 50 ms)"
echo "page CPU per request, all of the app's processes: $page_us us"
echo "submit CPU per confirmed submission: writer $(field writer_us "$submit") us, whole app $(field app_us "$submit") us"
row "draft: one step written (PRG)" "$draft" "CPU per draft write, whole app: $(field app_us "$draft") us"
row "submit: raw SQLite, 1 txn/response" "$raw" "2 rows per response, $(field answers "$raw") answers inside"
echo "worker RSS after the load: $rss MiB"
echo "poll: ${poll_votes:-?} of 1000 votes counted, ${poll_rate:-?} votes/s, presenter showed all ${poll_all_s:-?} s after the first vote and ${poll_lag_ms:-?} ms after the last was confirmed (target <= 1 s)"
echo "analysis of 1M responses: ${an_secs} s warm, ${an_cold} s cold, peak ${an_mib} MiB"
echo "dashboard of $(field n "$dash") responses: $(field ms "$dash") ms, x$dash_ref of sqlite3 reading their answers ($(field ref_ms "$dash") ms); CPU $(field cpu_ms "$dash") ms, x$dash_ref_cpu of sqlite3's $(field ref_cpu_ms "$dash") ms; counting afresh $(field fresh_ms "$dash") ms, CPU $(field fresh_cpu_ms "$dash") ms; while responses arrive $(field arrive_ms "$dash") ms (counts current before $(field arrive_kept "$dash") of 10 views, $(field arrived "$dash") arrived, writer CPU $(field arrive_writer_us "$dash") us each, $(field arrive_writer_ref_us "$dash") us with none kept); results page $(field results_ms "$dash") ms, CPU $(field results_cpu_ms "$dash") ms (target < 1000 ms)"

cat >"$out" <<EOF
{
  "cores": $(nproc),
  "seconds_per_run": $secs,
  "connections": $conns,
  "workers": $workers,
  "page_rps": $(field rps "$app"),
  "page_p50_ms": $(field p50_ms "$app"),
  "page_p99_ms": $(field p99_ms "$app"),
  "page_app_cpu_us": $page_us,
  "hello_rps": $(field rps "$hello"),
  "hello_p99_ms": $(field p99_ms "$hello"),
  "static_rps": $(field rps "$static"),
  "page_vs_hello_ratio": $page_hello,
  "page_vs_static_ratio": $page_static,
  "submits_per_s": $(field rps "$submit"),
  "submit_p50_ms": $(field p50_ms "$submit"),
  "submit_p99_ms": $(field p99_ms "$submit"),
  "submits_confirmed": $(field acked "$submit"),
  "submits_stored": $(field stored "$submit"),
  "submit_writer_cpu_us": $(field writer_us "$submit"),
  "submit_app_cpu_us": $(field app_us "$submit"),
  "draft_writes_per_s": $(field rps "$draft"),
  "draft_p50_ms": $(field p50_ms "$draft"),
  "draft_p99_ms": $(field p99_ms "$draft"),
  "draft_app_cpu_us": $(field app_us "$draft"),
  "raw_full_commits_per_s": $(field rps "$raw"),
  "raw_full_p99_ms": $(field p99_ms "$raw"),
  "submit_vs_raw_full_ratio": $submit_raw,
  "worker_rss_mib": $rss,
  "poll_votes_counted": ${poll_votes:-null},
  "poll_votes_per_s": ${poll_rate:-null},
  "poll_presenter_all_votes_s": ${poll_all_s:-null},
  "poll_presenter_after_last_vote_ms": ${poll_lag_ms:-null},
  "analysis_1m_seconds": $an_secs,
  "analysis_1m_cold_seconds": $an_cold,
  "analysis_1m_peak_mib": $an_mib,
  "dashboard_responses": $(field n "$dash"),
  "dashboard_ms": $(field ms "$dash"),
  "dashboard_sqlite_read_ms": $(field ref_ms "$dash"),
  "dashboard_vs_sqlite_read_ratio": $dash_ref,
  "dashboard_cpu_ms": $(field cpu_ms "$dash"),
  "dashboard_fresh_ms": $(field fresh_ms "$dash"),
  "dashboard_fresh_cpu_ms": $(field fresh_cpu_ms "$dash"),
  "dashboard_arriving_ms": $(field arrive_ms "$dash"),
  "dashboard_arriving_kept_of_10": $(field arrive_kept "$dash"),
  "dashboard_arriving_responses": $(field arrived "$dash"),
  "dashboard_arriving_writer_cpu_us": $(field arrive_writer_us "$dash"),
  "dashboard_arriving_writer_ref_cpu_us": $(field arrive_writer_ref_us "$dash"),
  "results_page_ms": $(field results_ms "$dash"),
  "results_page_cpu_ms": $(field results_cpu_ms "$dash"),
  "dashboard_sqlite_read_cpu_ms": $(field ref_cpu_ms "$dash"),
  "dashboard_vs_sqlite_read_cpu_ratio": $dash_ref_cpu
}
EOF
scripts/bench-cluster.sh "$out" # the replicated figures, when a cluster runs (or BENCH_CLUSTER=1)
echo "bench: wrote $out"
