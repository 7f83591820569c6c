# Sourced by scripts/bench.sh: starting nginx and the app, wrk runs, fields of their
# "WRK ..." lines, the processes' CPU and memory, and the submission and draft runs. Uses
# bench.sh's settings ($dir, $bin, $conns, $secs, $survey, $app_port, $app_pid, $nginx_bin).
# shellcheck shell=bash

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
