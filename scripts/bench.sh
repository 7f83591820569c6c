#!/usr/bin/env bash
# Benchmarks the release build through real nginx on 127.0.0.1, each figure beside a
# reference measured in the same run, and writes var/bench.json.
#
#   page     GET of a survey's first page (wrk, BENCH_CONNECTIONS connections), against
#            (a) tests/bench/hello.c, a minimal libfcgi program behind the same nginx
#                answering the same bytes from memory, and
#            (b) nginx serving the same bytes as a static file;
#   submit   POST of a survey's final submit, a unique form nonce per request, against
#            (c) tests/bench/raw_insert.c, the same rows inserted straight into SQLite
#                (synchronous=FULL, one transaction per response); afterwards the rows are
#                counted: every 303 (the confirmation) must be in the database;
#   draft    POST of one step of a survey with a draft (a browser with cookies): each request
#            reads and opens the draft, changes it, seals it and writes it (one write
#            transaction beside the writer's), and answers 303; the app's CPU per draft write;
#   rss      the workers' resident memory after the load (/proc);
#   dashboard GET of a survey's staff dashboard over BENCH_DASH_N (100,000) responses made by
#            `voices-analyse generate`, signed in as an analyst (the median of 5 after one to
#            warm the page cache), against (d) sqlite3 reading every one of those responses'
#            answers once (SELECT sum(length(answers))), the least any count of them needs;
#            the first request counts the responses and keeps the counts, the five reuse them;
#            then the same page counting afresh (its kept counts dropped before each of three
#            requests, as a delete or change of the survey's responses drops them), the median;
#            then the page while responses arrive through nginx one after another (the
#            writer adds them to the kept counts): the median of ten, and how often the
#            counts were current;
#            and the survey's public results page (/r/ID) on the same responses;
#   analysis voices-analyse on 1,000,000 responses (analysis/bench.sh), only with
#            BENCH_ANALYSIS=1 or when its database is already generated: generating it
#            takes about 5 minutes.
#
# Environment: BENCH_SECONDS (10) per wrk run, BENCH_ROUNDS (3 rounds of hello and page, taking
# turns), BENCH_CONNECTIONS (64), BENCH_WORKERS (the app's workers; default 16, the best
# measured on 2 cores), BENCH_SWEEP ("4 8 16 32": page and submit at each worker count, then
# the main run), BENCH_SURVEY (residents-2026), BENCH_ONLY=submit (only the draft and
# submission runs, printed, nothing written), BENCH_ONLY=dashboard (only the dashboard run,
# printed, nothing written), BENCH_PERF
# (a file: record a system-wide perf profile of the submission run into it).
# Needs: make (release build), nginx, wrk, curl, sqlite3, node.
set -euo pipefail
cd "$(dirname "$0")/.."

secs=${BENCH_SECONDS:-10}
conns=${BENCH_CONNECTIONS:-64}
workers=${BENCH_WORKERS:-16}
survey=${BENCH_SURVEY:-residents-2026}
bin=build/release/voices
out=var/bench.json
for tool in nginx wrk curl sqlite3 node; do
    command -v "$tool" >/dev/null || [ -x "/usr/sbin/$tool" ] || {
        echo "bench: $tool is missing" >&2
        exit 1
    }
done
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)

dir=$(mktemp -d /tmp/voices-bench.XXXXXX)
app_pid=
hello_pid=
cleanup() {
    for p in $app_pid $hello_pid; do
        kill "$p" 2>/dev/null || true
    done
    for d in app ref; do
        [ -f "$dir/$d/nginx/nginx.pid" ] && kill "$(cat "$dir/$d/nginx/nginx.pid")" 2>/dev/null
    done
    wait 2>/dev/null || true
    if [ -z "${KEEP_TMP:-}" ]; then rm -rf "$dir"; else echo "bench: kept $dir"; fi
}
trap cleanup EXIT

. scripts/bench/helpers.sh
. scripts/bench/dashboard.sh

# Set-up -------------------------------------------------------------------------------------

cflags=(-O2 -g -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror)
"${CC:-cc}" "${cflags[@]}" tests/bench/hello.c -lfcgi -o build/release/bench-hello
"${CC:-cc}" "${cflags[@]}" tests/bench/raw_insert.c -lsqlite3 -lsodium -o build/release/bench-raw-insert

mkdir -p "$dir/keys" var
"$bin" keygen "$dir/keys/analysis.pub" "$dir/keys/analysis.secret" >/dev/null
app_port=$(free_port)
ref_port=$(free_port)
cat >"$dir/voices.yaml" <<EOF
listen: $dir/voices.sock
database: $dir/voices.db
surveys: surveys
templates: templates
public_key: $dir/keys/analysis.pub
secret_file: $dir/keys/server.secret
base_url: http://127.0.0.1:$app_port
workers: $workers
EOF
"$bin" -c "$dir/voices.yaml" init >/dev/null
start_nginx "$dir/app" "$PWD" "$dir/voices.sock" "$app_port"
start_app "$workers"

# The page as the app serves it: the CGI response hello answers with, and the static file.
page="http://127.0.0.1:$app_port/s/$survey"
curl -sf -D "$dir/page.hdr" -o "$dir/page.body" "$page"
mkdir -p "$dir/ref/templates/static"
cp "$dir/page.body" "$dir/ref/templates/static/page.html"
{
    printf 'Status: 200 OK\r\n'
    tr -d '\r' <"$dir/page.hdr" | grep -viE '^(HTTP/|server:|date:|connection:|transfer-encoding:|content-length:|$)' |
        sed 's/$/\r/'
    printf '\r\n'
    cat "$dir/page.body"
} >"$dir/page.cgi"
build/release/bench-hello "$dir/hello.sock" "$dir/page.cgi" "${BENCH_HELLO_PROCS:-1}" ${BENCH_HELLO_LINGER:+linger} &
hello_pid=$!
wait_for "hello" test -S "$dir/hello.sock"
start_nginx "$dir/ref" "$dir/ref" "$dir/hello.sock" "$ref_port"
body_app=$(curl -sf "$page" | wc -c)
body_hello=$(curl -sf "http://127.0.0.1:$ref_port/s/$survey" | wc -c)
echo "bench: page $body_app bytes from the app, $body_hello from hello, $(wc -c <"$dir/page.body") static"
node tests/bench/submit-body.mjs "http://127.0.0.1:$app_port" "/s/$survey" "$dir/draft.txt" >"$dir/form.txt"

if [ "${BENCH_ONLY:-}" = dashboard ]; then
    stop_app
    d=$(dash_run)
    echo "dashboard of $(field n "$d") responses: $(field ms "$d") ms, CPU $(field cpu_ms "$d") ms" \
        "(sqlite3 reading their answers: $(field ref_ms "$d") ms, CPU $(field ref_cpu_ms "$d") ms;" \
        "x$(ratio "$(field ms "$d")" "$(field ref_ms "$d")") and x$(ratio "$(field cpu_ms "$d")" "$(field ref_cpu_ms "$d")")), $(field bytes "$d") bytes;" \
        "counting afresh: $(field fresh_ms "$d") ms, CPU $(field fresh_cpu_ms "$d") ms;" \
        "while responses arrive: $(field arrive_ms "$d") ms (median of 10; counts current before" \
        "$(field arrive_kept "$d") of 10; $(field arrived "$d") arrived; writer CPU" \
        "$(field arrive_writer_us "$d") us each, $(field arrive_writer_ref_us "$d") us with no counts kept; page total = database: $(field arrive_same "$d"));" \
        "results page: $(field results_ms "$d") ms, CPU $(field results_cpu_ms "$d") ms"
    exit 0
fi

if [ "${BENCH_ONLY:-}" = submit ]; then
    d=$(draft_run)
    s=$(submit_run)
    printf '%-34s %10s %9s %9s  %s\n' run 'req/s' 'p50 ms' 'p99 ms' 'CPU per request, whole app'
    printf '%-34s %10s %9s %9s  %s us\n' "draft write (one step)" "$(field rps "$d")" "$(field p50_ms "$d")" \
        "$(field p99_ms "$d")" "$(field app_us "$d")"
    printf '%-34s %10s %9s %9s  %s us\n' "submit (group commit)" "$(field rps "$s")" "$(field p50_ms "$s")" \
        "$(field p99_ms "$s")" "$(field app_us "$s")"
    exit 0
fi

# Optional sweep over worker counts ------------------------------------------------------------

if [ -n "${BENCH_SWEEP:-}" ]; then
    printf '\n%-8s %12s %10s %12s %10s\n' workers page_rps page_p99 submit_rps submit_p99
    for w in $BENCH_SWEEP; do
        stop_app
        start_app "$w"
        g=$(wrk_get "$page")
        s=$(submit_run)
        printf '%-8s %12s %10s %12s %10s\n' "$w" "$(field rps "$g")" "$(field p99_ms "$g")" \
            "$(field rps "$s")" "$(field p99_ms "$s")"
    done
    stop_app
    start_app "$workers"
fi

# The runs ------------------------------------------------------------------------------------

echo "bench: $secs s per run, $conns connections, $workers app workers, $(nproc) cores"
: >"$dir/app/nginx/error.log" # the start-up probes are not part of the runs
: >"$dir/ref/nginx/error.log"
# The page and its reference take turns, BENCH_ROUNDS times, so that a slow spell of the
# shared machine falls on both; the round with the median ratio is the one reported.
rounds=()
runs=()
for _ in $(seq "${BENCH_ROUNDS:-3}"); do
    h=$(wrk_get "http://127.0.0.1:$ref_port/s/$survey")
    c0=$(cpu_ticks)
    a=$(wrk_get "$page")
    c1=$(cpu_ticks)
    us=$(awk -v t=$((${c1##* } - ${c0##* })) -v n="$(field requests "$a")" -v hz="$(getconf CLK_TCK)" \
        'BEGIN {printf "%.0f", t * 1e6 / hz / n}')
    runs+=("$h" "$a")
    rounds+=("$(awk -v a="$(field rps "$a")" -v b="$(field rps "$h")" 'BEGIN {printf "%.4f", a / b}')|$h|$a|$us")
done
median=$(printf '%s\n' "${rounds[@]}" | sort -n | sed -n "$(( (${#rounds[@]} + 1) / 2 ))p")
IFS='|' read -r _ hello app page_us <<<"$median"
echo "bench: page/hello per round: $(printf '%s\n' "${rounds[@]}" | cut -d'|' -f1 | tr '\n' ' ')"
static=$(wrk_get "http://127.0.0.1:$ref_port/static/page.html")
for log in "$dir/ref/nginx/error.log" "$dir/app/nginx/error.log"; do
    if [ -s "$log" ]; then # a response cut by a detached close would show here
        echo "bench: nginx logged errors ($log):" >&2
        cat "$log" >&2
        exit 1
    fi
done
submit=$(submit_run)
draft=$(draft_run)
rss=$(worker_rss)
for run in "${runs[@]}" "$static" "$draft"; do
    if [ "$(field errors "$run")" != 0 ] || [ "$(field non2xx3xx "$run")" != 0 ]; then
        echo "bench: a run had errors: $run" >&2
        exit 1
    fi
done
stop_app
cp "$dir/voices.db" "$dir/raw.db"
raw=$(build/release/bench-raw-insert "$dir/raw.db" "$secs")
dash=$(dash_run)

# Analysis (optional) -------------------------------------------------------------------------

an_secs=null
an_mib=null
an_cold=null
an_db=${BENCH_DIR:-/tmp/voices-analyse-bench}/bench-1000000.db
if [ "${BENCH_ANALYSIS:-0}" = 1 ] || [ -f "$an_db" ]; then
    an_all=$(analysis/bench.sh 1000000 2>&1 | tee /dev/stderr)
    an=$(grep '^report:' <<<"$an_all")
    an_secs=$(sed -n 's/^report: \([0-9.]*\) s wall.*/\1/p' <<<"$an")
    an_cold=$(sed -n 's/^report cold ([^)]*): \([0-9.]*\) s wall.*/\1/p' <<<"$an_all")
    an_cold=${an_cold:-null}
    an_mib=$(sed -n 's/.* \([0-9]*\) KiB peak RSS.*/\1/p' <<<"$an" | awk '{printf "%.1f", $1 / 1024}')
else
    echo "bench: analysis of 1,000,000 responses skipped: run with BENCH_ANALYSIS=1 (generating"
    echo "       the database takes about 5 minutes once; later runs reuse it from $an_db)"
fi

# Workshop poll: 1,000 phones vote at once --------------------------------------------------

poll=$(VOICES_BIN=build/release/voices WORKERS="$workers" PARTICIPANTS=1000 LIMIT_S=120 \
    node tests/bench/poll_load.mjs 2>&1) || { echo "bench: poll load failed: $poll" >&2; exit 1; }
poll_votes=$(sed -n 's/^votes: \([0-9]*\) of .*/\1/p' <<<"$poll")
poll_rate=$(sed -n 's/.* = \([0-9]*\) votes\/s.*/\1/p' <<<"$poll")
poll_all_s=$(sed -n 's/^presenter: live JSON showed all [0-9]* votes \([0-9.]*\) s after.*/\1/p' <<<"$poll")
poll_lag_ms=$(sed -n 's/.*, \([0-9]*\) ms after the last was acknowledged.*/\1/p' <<<"$poll")

# Report --------------------------------------------------------------------------------------

. scripts/bench/report.sh
