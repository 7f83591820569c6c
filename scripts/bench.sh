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

# Helpers ------------------------------------------------------------------------------------

free_port() {
    node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

wait_for() { # what, command...: up to 15 s
    local what=$1 _
    shift
    for _ in $(seq 150); do
        "$@" >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    echo "bench: $what did not come up" >&2
    return 1
}

start_nginx() { # vardir root upstream port
    mkdir -p "$1/nginx"
    NGINX_POST_RATE=1000000r/s NGINX_POST_BURST=100000 NGINX_ERROR_LEVEL=warn \
        scripts/nginx-conf.sh "$4" "$1" "$2" "$3" >"$1/nginx/nginx.conf"
    "$nginx_bin" -c "$1/nginx/nginx.conf" -p "$1/nginx/"
    wait_for "nginx on port $4" curl -s -o /dev/null "http://127.0.0.1:$4/"
}

start_app() { # workers
    sed -i "s/^workers: .*/workers: $1/" "$dir/voices.yaml"
    rm -f "$dir/voices.sock"
    "$bin" -c "$dir/voices.yaml" serve 2>>"$dir/app.log" &
    app_pid=$!
    wait_for "the app" test -S "$dir/voices.sock"
    wait_for "the app behind nginx" curl -sf "http://127.0.0.1:$app_port/healthz"
}

stop_app() {
    kill -TERM "$app_pid"
    wait "$app_pid" || { echo "bench: the app exited $? after SIGTERM" >&2; exit 1; }
    app_pid=
}

# field NAME LINE: the value of NAME=... in a "WRK ..." or "RAW ..." line.
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$2"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", (b > 0 ? a / b : 0)}'; }

wrk_get() { # url
    local line
    line=$(wrk -t2 -c"$conns" -d"${secs}s" --timeout 5s -s tests/bench/stats.lua "$1" | grep '^WRK ')
    echo "$line"
}

wrk_submit() { # url
    local prof=()
    if [ -n "${BENCH_PERF:-}" ]; then # a system-wide profile of the run, for perf report
        prof=(perf record -q -e cpu-clock -a -g -o "$BENCH_PERF" --)
    fi
    BENCH_FORM="$dir/form.txt" BENCH_SALT=$(od -An -N4 -tx4 /dev/urandom | tr -d ' ') \
        "${prof[@]}" wrk -t2 -c"$conns" -d"${secs}s" --timeout 10s -s tests/bench/submit.lua "$1" |
        grep '^WRK '
}

responses() { sqlite3 "$dir/voices.db" 'SELECT count(*) FROM response'; }

# The writer is the one child with a second thread (its checkpointer): workers, which open
# the database too (drafts, staff), are single-threaded.
is_writer() { [ "$(awk '/^Threads:/ {print $2}' "/proc/$1/status" 2>/dev/null)" -gt 1 ] 2>/dev/null; }

# Worker RSS after the load, MiB: the largest of the workers (the writer is left out).
worker_rss() {
    local max=0 kib p
    for p in $(pgrep -P "$app_pid"); do
        if is_writer "$p"; then continue; fi
        kib=$(awk '/^VmRSS:/ {print $2}' "/proc/$p/status")
        [ "$kib" -gt "$max" ] && max=$kib
    done
    awk -v k="$max" 'BEGIN {printf "%.1f", k / 1024}'
}

writer_pid() {
    local p
    for p in $(pgrep -P "$app_pid"); do
        if is_writer "$p"; then echo "$p"; fi
    done
}

# CPU time (user + system, clock ticks) of the writer, and of the app's processes in all.
cpu_ticks() {
    local w total=0 t p
    w=$(writer_pid)
    for p in $app_pid $(pgrep -P "$app_pid"); do
        t=$(awk '{print $14 + $15}' "/proc/$p/stat")
        total=$((total + t))
        [ "$p" = "$w" ] && echo -n "$t "
    done
    echo "$total"
}

# Submission run: wrk, then the proof that every confirmed submission was stored.  CPU
# per submission (writer, whole app) does not depend on what else the machine is doing.
submit_run() {
    local before after line acked c0 c1 hz w0 a0 w1 a1
    before=$(responses)
    c0=$(cpu_ticks)
    line=$(wrk_submit "http://127.0.0.1:$app_port/s/$survey")
    c1=$(cpu_ticks)
    hz=$(getconf CLK_TCK)
    sleep 1 # in-flight submissions wrk gave up on at the end may still commit
    after=$(responses)
    acked=$(field acked "$line")
    if [ $((after - before)) -lt "$acked" ]; then
        echo "bench: LOST: $acked confirmed, only $((after - before)) stored" >&2
        exit 1
    fi
    read -r w0 a0 <<<"$c0"
    read -r w1 a1 <<<"$c1"
    echo "$line stored=$((after - before))" \
        "writer_us=$(awk -v t=$((w1 - w0)) -v n="$acked" -v hz="$hz" 'BEGIN {printf "%.0f", n ? t * 1e6 / hz / n : 0}')" \
        "app_us=$(awk -v t=$((a1 - a0)) -v n="$acked" -v hz="$hz" 'BEGIN {printf "%.0f", n ? t * 1e6 / hz / n : 0}')"
}

# Draft run: one step of a respondent with a draft, the same form over and over; CPU of the
# whole app per draft written (the workers write drafts, not the writer).
draft_run() {
    local line c0 c1 hz
    c0=$(cpu_ticks)
    line=$(BENCH_FORM="$dir/draft.txt" wrk -t2 -c"$conns" -d"${secs}s" --timeout 10s \
        -s tests/bench/draft.lua "http://127.0.0.1:$app_port/s/$survey" | grep '^WRK ')
    c1=$(cpu_ticks)
    hz=$(getconf CLK_TCK)
    echo "$line app_us=$(awk -v t=$((${c1##* } - ${c0##* })) -v n="$(field acked "$line")" -v hz="$hz" \
        'BEGIN {printf "%.0f", n ? t * 1e6 / hz / n : 0}')"
}

# The median of five timings, in seconds, of a command after one run to warm up.
median5() {
    local t=() i s0 s1
    "$@" >/dev/null
    for i in 1 2 3 4 5; do
        s0=$(date +%s.%N)
        "$@" >/dev/null
        s1=$(date +%s.%N)
        t+=("$(awk -v a="$s0" -v b="$s1" 'BEGIN {printf "%.4f", b - a}')")
    done
    printf '%s\n' "${t[@]}" | sort -n | sed -n 3p
}

# CPU seconds (user + system) of one run of a command and its children.
cpu_of() {
    local TIMEFORMAT='%U %S' t
    t=$({ time "$@" >/dev/null; } 2>&1)
    awk '{printf "%.4f", $1 + $2}' <<<"$t"
}

# Dashboard run (the app stopped): a database of generated responses, an analyst signed in
# with curl, the page timed against sqlite3 reading the same answers: wall time (the median
# of five after one to warm the page cache), and CPU time, which a busy machine disturbs
# less (the app's processes per request, over the five; sqlite3's own, the median of five).
# Prints "DASH n=... ms=... cpu_ms=... ref_ms=... ref_cpu_ms=... bytes=...".
dash_run() {
    local n=${BENCH_DASH_N:-100000} db="$dir/dash.db" jar="$dir/dash.jar" csrf url ms ref bytes fresh results
    local arriving
    local c0 c1 cpu ref_cpu i sql
    build/release/voices-analyse generate --db "$db" --n "$n" --pub "$dir/keys/analysis.pub" \
        --seed 1 --survey "$survey" >/dev/null 2>&1
    sed -i "s|^database: .*|database: $db|" "$dir/voices.yaml"
    "$bin" -c "$dir/voices.yaml" init >/dev/null
    printf 'bench analyst pass phrase\n' |
        "$bin" -c "$dir/voices.yaml" user add bench --role analyst --password-stdin >/dev/null
    start_app "$workers"
    csrf=$(curl -sf -c "$jar" "http://127.0.0.1:$app_port/staff/login" |
        sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -1)
    curl -sf -b "$jar" -c "$jar" -o /dev/null --data-urlencode "_csrf=$csrf" \
        --data-urlencode name=bench --data-urlencode 'password=bench analyst pass phrase' \
        "http://127.0.0.1:$app_port/staff/login"
    url="http://127.0.0.1:$app_port/staff/surveys/$survey/dashboard"
    bytes=$(curl -sf -b "$jar" "$url" | wc -c)
    [ "$bytes" -gt 10000 ] || { echo "bench: the dashboard did not load ($bytes bytes)" >&2; exit 1; }
    c0=$(cpu_ticks)
    ms=$(median5 curl -sf -b "$jar" -o /dev/null "$url" | awk '{printf "%.0f", $1 * 1000}')
    c1=$(cpu_ticks)
    cpu=$(awk -v t=$((${c1##* } - ${c0##* })) -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.0f", t * 1000 / hz / 6}')
    sql="SELECT count(*), sum(length(answers)) FROM response WHERE survey = '$survey'"
    ref=$(median5 sqlite3 "$db" "$sql" | awk '{printf "%.0f", $1 * 1000}')
    ref_cpu=$(for i in 1 2 3 4 5; do cpu_of sqlite3 "$db" "$sql"; echo; done | sort -n | sed -n 3p |
        awk '{printf "%.0f", $1 * 1000}')
    fresh=$(dash_fresh "$db" "$jar" "$url")
    arriving=$(dash_arriving "$db" "$jar" "$url")
    results=$(results_run "$db")
    stop_app
    sed -i "s|^database: .*|database: $dir/voices.db|" "$dir/voices.yaml"
    echo "DASH n=$n ms=$ms cpu_ms=$cpu ref_ms=$ref ref_cpu_ms=$ref_cpu bytes=$bytes $fresh $arriving $results"
}

# The survey's public results page (/r/ID) on the same responses, the survey closed and its
# page published straight in the database: the median of five (wall) and the app's CPU per request over them, reusing the
# dashboard's kept counts.  Prints "results_ms=... results_cpu_ms=...".
results_run() { # db
    local url="http://127.0.0.1:$app_port/r/$survey" ms c0 c1
    sqlite3 "$1" "INSERT INTO results (survey, published) VALUES ('$survey', 1)
        ON CONFLICT (survey) DO UPDATE SET published = 1;
        INSERT OR REPLACE INTO survey_state (survey, action, at, grace, staff, reason)
        VALUES ('$survey', 'close', unixepoch() - 60, 0, 'bench', 'results page timing')"
    curl -sf -o /dev/null "$url" || { echo "bench: the results page did not load" >&2; exit 1; }
    c0=$(cpu_ticks)
    ms=$(median5 curl -sf -o /dev/null "$url" | awk '{printf "%.0f", $1 * 1000}')
    c1=$(cpu_ticks)
    echo "results_ms=$ms results_cpu_ms=$(awk -v t=$((${c1##* } - ${c0##* })) \
        -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.0f", t * 1000 / hz / 6}')"
}

# The dashboard counting afresh, as after any change to the survey's responses: its kept
# counts dropped (gen raised, as the triggers do) before each of three requests; the median
# wall and app CPU time.  Prints "fresh_ms=... fresh_cpu_ms=...".
dash_fresh() { # db jar url
    local i s0 s1 c0 c1 hz ms=() cpu=()
    hz=$(getconf CLK_TCK)
    for i in 1 2 3; do
        sqlite3 "$1" "UPDATE tally_count SET gen = gen + 1, tally = NULL WHERE survey = '$survey'"
        c0=$(cpu_ticks)
        s0=$(date +%s.%N)
        curl -sf -b "$2" -o /dev/null "$3"
        s1=$(date +%s.%N)
        c1=$(cpu_ticks)
        ms+=("$(awk -v a="$s0" -v b="$s1" 'BEGIN {printf "%.0f", (b - a) * 1000}')")
        cpu+=("$(awk -v t=$((${c1##* } - ${c0##* })) -v hz="$hz" 'BEGIN {printf "%.0f", t * 1000 / hz}')")
    done
    echo "fresh_ms=$(printf '%s\n' "${ms[@]}" | sort -n | sed -n 2p)" \
        "fresh_cpu_ms=$(printf '%s\n' "${cpu[@]}" | sort -n | sed -n 2p)"
}

# One submission after another through nginx, BENCH_ARRIVE_GAP (0.05) s apart, each with a
# nonce of its own, until killed: a survey taking responses all the time.
arrive_loop() {
    local cookie body salt k=0
    { read -r cookie; read -r body; } <"$dir/form.txt"
    salt=$(od -An -N4 -tx4 /dev/urandom | tr -d ' ')
    while :; do
        k=$((k + 1))
        curl -s -o /dev/null -H "Cookie: $cookie" -H 'Content-Type: application/x-www-form-urlencoded' \
            --data-binary "${body/@NONCE@/$(printf '%s%024x' "$salt" "$k")}" \
            "http://127.0.0.1:$app_port/s/$survey" || true
        sleep "${BENCH_ARRIVE_GAP:-0.05}"
    done
}

# The dashboard while responses arrive (arrive_loop): ten requests 0.3 s apart, the median wall
# time; before each, whether the survey's kept counts were current (the writer adds each
# batch of new responses to them); the writer's CPU per response that arrived, beside the
# same stream before, with no counts kept (nothing to add to); and, once the stream has
# stopped, whether the page's number of responses is the database's.  Prints "arrive_ms=...
# arrive_kept=K arrived=N arrive_writer_us=... arrive_writer_ref_us=... arrive_same=yes|no".
dash_arriving() { # db jar url
    local i s0 s1 ms=() kept=0 before after pid c0 c1 hz shown ref_us
    hz=$(getconf CLK_TCK)
    # The reference: the same stream for 4 s with no counts kept and no view, so the writer
    # has nothing to add to.
    sqlite3 "$1" "UPDATE tally_count SET gen = gen + 1, tally = NULL WHERE survey = '$survey'"
    before=$(sqlite3 "$1" "SELECT count(*) FROM response WHERE survey = '$survey'")
    c0=$(cpu_ticks)
    arrive_loop &
    pid=$!
    sleep 4
    kill "$pid"
    wait "$pid" 2>/dev/null || true
    sleep 0.5
    c1=$(cpu_ticks)
    after=$(sqlite3 "$1" "SELECT count(*) FROM response WHERE survey = '$survey'")
    read -r c0 _ <<<"$c0"
    read -r c1 _ <<<"$c1"
    ref_us=$(awk -v t=$((c1 - c0)) -v n=$((after - before)) -v hz="$hz" \
        'BEGIN {printf "%.0f", n ? t * 1e6 / hz / n : 0}')
    before=$after
    curl -sf -b "$2" -o /dev/null "$3"
    c0=$(cpu_ticks)
    arrive_loop &
    pid=$!
    sleep 1
    for i in $(seq 10); do
        [ "$(sqlite3 "$1" "SELECT tally IS NOT NULL FROM tally_count WHERE survey = '$survey'")" = 1 ] &&
            kept=$((kept + 1))
        s0=$(date +%s.%N)
        curl -sf -b "$2" -o /dev/null "$3"
        s1=$(date +%s.%N)
        ms+=("$(awk -v a="$s0" -v b="$s1" 'BEGIN {printf "%.0f", (b - a) * 1000}')")
        sleep 0.3
    done
    kill "$pid"
    wait "$pid" 2>/dev/null || true
    sleep 0.5
    c1=$(cpu_ticks)
    after=$(sqlite3 "$1" "SELECT count(*) FROM response WHERE survey = '$survey'")
    shown=$(curl -sf -b "$2" "$3" | sed -n 's/.*<strong id="responses">\([^<]*\)<.*/\1/p' | tr -d ',')
    read -r c0 _ <<<"$c0"
    read -r c1 _ <<<"$c1"
    echo "arrive_ms=$(printf '%s\n' "${ms[@]}" | sort -n | sed -n 5p) arrive_kept=$kept" \
        "arrived=$((after - before))" \
        "arrive_writer_us=$(awk -v t=$((c1 - c0)) -v n=$((after - before)) -v hz="$hz" \
            'BEGIN {printf "%.0f", n ? t * 1e6 / hz / n : 0}')" \
        "arrive_writer_ref_us=$ref_us" \
        "arrive_same=$([ "$shown" = "$after" ] && echo yes || echo "no($shown/$after)")"
}

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
