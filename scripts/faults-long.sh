#!/bin/sh
# make faults-long: the fault-injection rounds of tests/integration/faults.test.mjs and
# faults_file.test.mjs with FAULTS_SCALE times the submissions and faults (default 10),
# against the sanitizer build.
# Each round prints its figures (confirmed, lost, duplicated, stored but shown an error,
# time to recover) as "# ..." lines. The disk-full round needs root (it mounts a tmpfs).
set -eu

cd "$(dirname "$0")/.."
export FAULTS_SCALE="${FAULTS_SCALE:-10}"
export VOICES_BIN="${VOICES_BIN:-build/asan/voices}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1}"
exec node --test --test-concurrency=1 --test-timeout=3600000 --test-reporter=spec \
    tests/integration/faults.test.mjs tests/integration/faults_file.test.mjs
