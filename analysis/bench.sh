#!/usr/bin/env bash
# Benchmark of voices-analyse: generates N synthetic responses (default
# 1,000,000) into a scratch database once, then times `report` on it and
# prints wall time and peak memory.  Targets: <= 30 s and <= 512 MiB on
# two cores.  Usage: analysis/bench.sh [N] [BIN]
set -euo pipefail
cd "$(dirname "$0")/.."

n=${1:-1000000}
bin=${2:-build/release/voices-analyse}
dir=${BENCH_DIR:-/tmp/voices-analyse-bench}
mkdir -p "$dir"
db="$dir/bench-$n.db"

if [ ! -f "$dir/analysis.pub" ]; then
    build/release/voices keygen "$dir/analysis.pub" "$dir/analysis.secret" >/dev/null
fi
if [ ! -f "$db" ]; then
    # Generated under another name and renamed when complete, so an interrupted run never
    # leaves a partial database that later runs would take for the real one.
    echo "generating $n responses into $db (once)"
    rm -f "$db.partial"
    "$bin" generate --db "$db.partial" --n "$n" --pub "$dir/analysis.pub" --waves 3
    mv "$db.partial" "$db"
fi
rm -rf "$dir/out"
/usr/bin/time -f "report: %e s wall, %M KiB peak RSS, %P CPU" \
    "$bin" report --db "$db" --key "$dir/analysis.secret" --out "$dir/out" --quiet
