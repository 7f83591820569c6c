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

cores=$(nproc)
json_value() { # json_value RUN FIELD: a figure of keys.tsv, or null where there is none
    local v
    if [ "$1" = - ]; then v=${!2:-}; else v=$(field "$2" "${!1}"); fi
    echo "${v:-null}"
}
{
    sep='{'
    while read -r key run name; do
        case $key in '' | '#'*) continue ;; esac
        printf '%s\n  "%s": %s' "$sep" "$key" "$(json_value "$run" "$name")"
        sep=,
    done <scripts/bench/keys.tsv
    printf '\n}\n'
} >"$out"
scripts/bench-cluster.sh "$out" # the replicated figures, when a cluster runs (or BENCH_CLUSTER=1)
echo "bench: wrote $out"
