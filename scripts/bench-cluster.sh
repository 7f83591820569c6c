#!/usr/bin/env bash
# The replicated figures of `make bench`, beside the single-node ones of the same run:
#
#   scripts/bench-cluster.sh BENCH_JSON
#
# When the local cluster runs (make cluster), or with BENCH_CLUSTER=1 (which starts it):
#   submit  POST of the survey's final submit through an nginx in front of both app nodes
#           (wrk, BENCH_CONNECTIONS, a unique nonce per request, tests/bench/submit.lua),
#           every confirmation committed on the primary and its synchronous standby;
#           afterwards the responses are counted: every confirmation must be stored;
#   raw     against pgbench on the same primary, as many clients, one transaction per
#           response (its nonce row and its response row, a copy of a stored one, into
#           scratch tables of the same shape, dropped afterwards): what any design that
#           commits each response by itself pays at least, with no HTTP and no sealing;
#           and again with 16 clients, where pgbench is fastest on this machine (of 4 to 64),
#           for a second ratio (cluster_vs_raw_best_ratio).
# Adds cluster_submits_per_s, cluster_submit_p99_ms, cluster_vs_raw_ratio (and the details)
# to BENCH_JSON; without a cluster they are null.  BENCH_SECONDS (10) per run.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
json=${1:?usage: scripts/bench-cluster.sh BENCH_JSON}
secs=${BENCH_SECONDS:-10}
conns=${BENCH_CONNECTIONS:-64}
survey=${BENCH_SURVEY:-residents-2026}

die() { echo "bench: $*" >&2; exit 1; }
put() { # put KEY=VALUE...: sets keys of BENCH_JSON (numbers or null)
    node -e 'const fs = require("fs"); const [f, ...kv] = process.argv.slice(1);
      const j = JSON.parse(fs.readFileSync(f, "utf8"));
      for (const p of kv) { const i = p.indexOf("="); j[p.slice(0, i)] = JSON.parse(p.slice(i + 1)); }
      fs.writeFileSync(f, JSON.stringify(j, null, 2) + "\n");' "$json" "$@"
}

if [ "${BENCH_CLUSTER:-}" = 1 ]; then
    scripts/cluster.sh start >/dev/null
elif ! grep -q 'leader (running)' <<<"$(scripts/cluster.sh status 2>/dev/null)"; then
    echo "bench: no cluster running: the replicated figures are skipped (make cluster, or BENCH_CLUSTER=1)"
    put cluster_submits_per_s=null cluster_submit_p99_ms=null cluster_vs_raw_ratio=null \
        cluster_vs_raw_best_ratio=null
    exit 0
fi
. scripts/cluster-lib.sh
command -v pgbench >/dev/null || die "pgbench is missing (postgresql-client)"
dir=$(mktemp -d /tmp/voices-bench-cluster.XXXXXX)
cleanup() {
    stop_lb "$dir"
    psql -Xq "$conn" -c 'DROP SCHEMA IF EXISTS bench_raw CASCADE' >/dev/null 2>&1 || true
    rm -rf "$dir"
}
trap cleanup EXIT
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$2"; }
count() { psql -XAtq "$conn" -c "SELECT count(*) FROM response WHERE survey = '$survey'"; }

start_lb "$dir"
node tests/bench/submit-body.mjs "http://127.0.0.1:$tport" "/s/$survey" >"$dir/form.txt"

# The app: wrk through both nodes, then every confirmation looked for.
before=$(count)
sub=$(BENCH_FORM="$dir/form.txt" BENCH_SALT=$(od -An -N4 -tx4 /dev/urandom | tr -d ' ') \
    wrk -t2 -c"$conns" -d"${secs}s" --timeout 10s -s tests/bench/submit.lua \
    "http://127.0.0.1:$tport/s/$survey" | grep '^WRK ')
sleep 1
stored=$(($(count) - before))
if [ "$stored" -lt "$(field acked "$sub")" ]; then
    echo "bench: LOST on the cluster: $(field acked "$sub") confirmed, only $stored stored" >&2
    exit 1
fi

# The reference: pgbench, one transaction per response, on the primary.
# As many clients as the load had, or as many connections as the primary has left over the
# app nodes' own (each worker holds one).
p=$(pg_port "$(leader)")
best_clients=16
clients=$(psql -XAtq "$conn" -c "SELECT least($conns, current_setting('max_connections')::int
    - current_setting('superuser_reserved_connections')::int - count(*) - 2) FROM pg_stat_activity")
psql -Xq -v ON_ERROR_STOP=1 "$conn" >/dev/null <<'SQL'
SET client_min_messages TO warning;
DROP SCHEMA IF EXISTS bench_raw CASCADE;
CREATE SCHEMA bench_raw;
CREATE TABLE bench_raw.used_nonce (LIKE public.used_nonce INCLUDING ALL);
CREATE TABLE bench_raw.response (LIKE public.response INCLUDING ALL,
    FOREIGN KEY (survey, version, def_hash) REFERENCES public.survey (id, version, def_hash),
    FOREIGN KEY (texts_key) REFERENCES public.seal_key (id));
SQL
{
    echo '\set id random(1, 9000000000000000000)'
    echo 'BEGIN;'
    psql -XAtq -v ON_ERROR_STOP=1 "$conn" -c "SELECT
        format('INSERT INTO bench_raw.used_nonce (hash, day) VALUES (sha256(int8send(:id)), %L);', day),
        format('INSERT INTO bench_raw.response (id, survey, version, def_hash, channel, lang, day,'
          ' answers, texts, texts_key) VALUES (:id, %L, %s, %L, %L, %L, %L, %L, %L::bytea, %s);',
          survey, version, def_hash, channel, lang, day, answers, texts, texts_key)
        FROM response WHERE survey = '$survey' AND texts IS NOT NULL LIMIT 1" -F $'\n'
    echo 'COMMIT;'
} >"$dir/raw.sql"
# raw CLIENTS: pgbench's run with that many clients: "rps=... p50_ms=... p99_ms=... n=...".
raw_run() {
    rm -f "$dir"/pgbench_log.*
    (cd "$dir" && pgbench -n -M prepared -c "$1" -j 2 -T "$secs" -l -f raw.sql \
        "host=127.0.0.1 port=$p dbname=voices user=voices_admin" >pgbench.out 2>&1) ||
        { cat "$dir/pgbench.out" >&2; exit 1; }
    # pgbench's rate, and the latencies of its log (the third column, in microseconds).
    echo " rps=$(sed -n 's/^tps = \([0-9.]*\) .*/\1/p' "$dir/pgbench.out" | tail -n 1 | awk '{printf "%.1f", $1}') $(
        cat "$dir"/pgbench_log.* | awk '$3 ~ /^[0-9]+$/ {print $3 / 1000}' | sort -n |
        awk '{ms[NR] = $1} END {printf "p50_ms=%.3f p99_ms=%.3f n=%d", ms[int(NR * 0.5) + 1], ms[int(NR * 0.99) + 1], NR}')"
}
raw=$(raw_run "$clients")
# And with 16 clients, pgbench's best here (of 4 to 64): the reference at its fastest.
best=$(raw_run "$best_clients")
ratio() { awk -v a="$(field rps "$sub")" -v b="$(field rps "$1")" 'BEGIN {printf "%.2f", (b > 0 ? a / b : 0)}'; }
ratio=$(ratio "$raw")
best_ratio=$(ratio "$best")

echo
printf '%-40s %10s %9s %9s  %s\n' "replicated (3 PostgreSQL, 2 app nodes)" 'req/s' 'p50 ms' 'p99 ms' notes
printf '%-40s %10s %9s %9s  %s\n' "submit: cluster (group commit)" "$(field rps "$sub")" "$(field p50_ms "$sub")" \
    "$(field p99_ms "$sub")" "x$ratio of raw; $(field acked "$sub") confirmed, $stored stored (target >= 1.5x raw, >= 2000/s, p99 <= 100 ms)"
printf '%-40s %10s %9s %9s  %s\n' "submit: raw libpq, 1 txn/response" "$(field rps "$raw")" "$(field p50_ms "$raw")" \
    "$(field p99_ms "$raw")" "pgbench, $clients clients (as many as the load), on the primary"
printf '%-40s %10s %9s %9s  %s\n' "submit: raw libpq, $best_clients clients" "$(field rps "$best")" "$(field p50_ms "$best")" \
    "$(field p99_ms "$best")" "pgbench's best client count here: the cluster is x$best_ratio of it"
put cluster_submits_per_s="$(field rps "$sub")" cluster_submit_p50_ms="$(field p50_ms "$sub")" \
    cluster_submit_p99_ms="$(field p99_ms "$sub")" cluster_submits_confirmed="$(field acked "$sub")" \
    cluster_submits_stored="$stored" cluster_raw_commits_per_s="$(field rps "$raw")" \
    cluster_raw_p99_ms="$(field p99_ms "$raw")" cluster_raw_clients="$clients" cluster_vs_raw_ratio="$ratio" \
    cluster_raw_best_commits_per_s="$(field rps "$best")" cluster_raw_best_clients="$best_clients" \
    cluster_vs_raw_best_ratio="$best_ratio"
