# Sourced by scripts/bench.sh: the dashboard run (dash_run) over generated responses, the
# public results page, the page counting afresh and while responses arrive. Uses bench.sh's
# settings and scripts/bench/helpers.sh.
# shellcheck shell=bash

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
# counts dropped (as a purge's triggers do) before each of three requests; the median
# wall and app CPU time.  Prints "fresh_ms=... fresh_cpu_ms=...".
dash_fresh() { # db jar url
    local i s0 s1 c0 c1 hz ms=() cpu=()
    hz=$(getconf CLK_TCK)
    for i in 1 2 3; do
        sqlite3 "$1" "UPDATE tally_count SET tally = NULL WHERE survey = '$survey'"
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
    sqlite3 "$1" "UPDATE tally_count SET tally = NULL WHERE survey = '$survey'"
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
        [ "$(sqlite3 "$1" "SELECT tally IS NOT NULL AND gen = (SELECT sum(gen) FROM tally_gen
            WHERE survey = '$survey') FROM tally_count WHERE survey = '$survey'")" = 1 ] &&
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
