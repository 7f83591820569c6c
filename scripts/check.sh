#!/usr/bin/env bash
# Runs every test (make check builds them first, with AddressSanitizer and UBSan):
#   1. each unit test binary in build/asan/tests/ (Check), and the storage ones again on
#      PostgreSQL;
#   2. the integration tests (real nginx + the app) and the browser tests (Chromium), with
#      node's test runner, one file at a time.
# Exits non-zero on any failure. The last line is "N passed, N failed".
#
# Environment: VOICES_BIN (default build/asan/voices), TESTS (a node test file or a
# directory to run instead of all of them), UNIT=0 to skip the unit tests, NODE_TESTS=0 to
# skip the node tests, PG=0 to skip the storage tests' second run on PostgreSQL.
set -euo pipefail

cd "$(dirname "$0")/.."

export VOICES_BIN=${VOICES_BIN:-build/asan/voices}
# Check's per-test timeouts are for optimised code; sanitizers make it several times slower.
export CK_TIMEOUT_MULTIPLIER=${CK_TIMEOUT_MULTIPLIER:-4}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}

passed=0
failed=0
skipped=0
tmp=$(mktemp -d /tmp/voices-check.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

# Runs one Check binary ($1) and counts its checks; $2 names it in the output.
run_unit() {
    local t=$1 name=$2 out rc checks fails errors bad
    out="$tmp/$name.out"
    rc=0
    "$t" >"$out" 2>&1 || rc=$?
    # Check's summary: "100%: Checks: 12, Failures: 0, Errors: 0" (one per runner).
    read -r checks fails errors < <(
        sed -n 's/^[0-9]*%: Checks: \([0-9]*\), Failures: \([0-9]*\), Errors: \([0-9]*\).*/\1 \2 \3/p' "$out" |
            awk '{c += $1; f += $2; e += $3; n++} END {if (n) print c, f, e; else print "- - -"}'
    )
    if [ "$checks" = - ]; then
        failed=$((failed + 1))
        echo "unit $name: FAILED (exit $rc, no Check summary)"
        sed 's/^/    /' "$out"
        return
    fi
    bad=$((fails + errors))
    if [ "$rc" -ne 0 ] && [ "$bad" -eq 0 ]; then
        # All checks passed but the binary failed anyway (a leak report at exit, say).
        bad=1
    fi
    passed=$((passed + checks - fails - errors))
    failed=$((failed + bad))
    if [ "$bad" -eq 0 ]; then
        echo "unit $name: $checks checks passed"
    else
        echo "unit $name: FAILED: $checks checks, $fails failures, $errors errors, exit $rc"
        sed 's/^/    /' "$out"
    fi
}

# 1. Unit tests.
if [ "${UNIT:-1}" != 0 ]; then
    bins=()
    for t in build/asan/tests/*; do
        [ -f "$t" ] && [ -x "$t" ] && bins+=("$t")
    done
    if [ "${#bins[@]}" -eq 0 ]; then
        echo "unit: no test binaries in build/asan/tests/"
    fi
    for t in "${bins[@]}"; do
        run_unit "$t" "$(basename "$t")"
    done
fi

# 1b. The storage tests that pass on PostgreSQL, again on a throwaway PostgreSQL server
# (scripts/pg-test.sh: Debian's postgresql-15, run as the unprivileged postgres user).
# PG=0 skips them, and the node tests' run on PostgreSQL (2b).  The others still read
# SQLite files directly (docs/storage.md).
PG_UNIT=(test_store test_store_nodes test_store_audit test_store_staff test_store_staff_acct test_draft test_poll
    test_store_lost cgi_test_life cgi_test_purge cgi_test_results cgi_test_staff)
PG_UNIT+=(test_store_roles test_store_bulk)
PG_NODE=(tests/integration/smoke.test.mjs tests/integration/front.test.mjs
    tests/integration/survey.test.mjs tests/integration/poll.test.mjs
    tests/integration/poll_languages.test.mjs tests/integration/device.test.mjs
    tests/integration/entry.test.mjs tests/integration/hostile.test.mjs
    tests/integration/grid.test.mjs tests/integration/drafts.test.mjs
    tests/integration/staff.test.mjs tests/integration/results.test.mjs
    tests/integration/dashboard.test.mjs tests/integration/lifecycle.test.mjs
    tests/integration/staff_accounts.test.mjs tests/integration/poll_types.test.mjs
    tests/integration/poll_export.test.mjs tests/integration/reload.test.mjs
    tests/integration/purge.test.mjs tests/integration/audit.test.mjs
    tests/integration/poll_privacy.test.mjs tests/integration/analysis.test.mjs
    tests/integration/faults.test.mjs tests/integration/db_lost.test.mjs)
PG_NODE+=(tests/integration/pg_roles.test.mjs)
pg_conn=
pgdir=
# Starts the server once; false (and counts a failure) when it cannot.
pg_start() {
    [ -n "$pg_conn" ] && return 0
    if [ ! -x /usr/lib/postgresql/15/bin/initdb ]; then
        echo "PostgreSQL: FAILED: postgresql-15 is not installed (scripts/deps.sh installs it)"
        failed=$((failed + 1))
        return 1
    fi
    pgdir=$(mktemp -d /tmp/voices-pg.XXXXXX)
    trap 'scripts/pg-test.sh stop "$pgdir" >/dev/null 2>&1; rm -rf "$tmp"' EXIT
    if ! pg_conn=$(scripts/pg-test.sh start "$pgdir"); then
        echo "PostgreSQL: FAILED: the test server did not start"
        failed=$((failed + 1))
        return 1
    fi
}
pg_secs=0	# time spent on the PostgreSQL runs (server start included)
if [ "${UNIT:-1}" != 0 ] && [ "${PG:-1}" != 0 ]; then
    t0=$SECONDS
fi
if [ "${UNIT:-1}" != 0 ] && [ "${PG:-1}" != 0 ] && pg_start; then
    for name in "${PG_UNIT[@]}"; do
        [ -x "build/asan/tests/$name" ] &&
            VOICES_TEST_PG=$pg_conn run_unit "build/asan/tests/$name" "$name@postgresql"
    done
    pg_secs=$((pg_secs + SECONDS - t0))
fi

# Runs node test files ($2...) in one runner and counts them; $1 names the TAP file.
run_node() {
    local tap="$tmp/$1.tap" rc=0 np nf nc ns nt
    shift
    if [ ! -x "$VOICES_BIN" ]; then
        echo "node: $VOICES_BIN is missing; the tests that need the app will fail" >&2
    fi
    opts=(--test --test-concurrency=1
        --test-reporter=spec --test-reporter-destination=stdout
        --test-reporter=tap --test-reporter-destination="$tap")
    if node --help 2>/dev/null | grep -q -- --test-timeout; then
        opts+=(--test-timeout=300000)
    fi
    node "${opts[@]}" "$@" || rc=$?
    count() { # the last "# NAME N" line of the TAP summary
        sed -n "s/^# $1 \([0-9]*\)\$/\1/p" "$tap" | tail -n 1
    }
    np=$(count pass)
    nf=$(count fail)
    nc=$(count cancelled)
    ns=$(count skipped)
    nt=$(count todo)
    if [ -z "$np" ]; then
        echo "node: the test runner ended without a summary (exit $rc)"
        failed=$((failed + 1))
    else
        passed=$((passed + np))
        failed=$((failed + ${nf:-0} + ${nc:-0}))
        skipped=$((skipped + ${ns:-0} + ${nt:-0}))
        if [ "$rc" -ne 0 ] && [ "$((${nf:-0} + ${nc:-0}))" -eq 0 ]; then
            echo "node: the test runner exited $rc"
            failed=$((failed + 1))
        fi
    fi
}

# 2. Integration and browser tests.
if [ "${NODE_TESTS:-1}" != 0 ]; then
    dirs=(tests/integration tests/browser)
    if [ -n "${TESTS:-}" ]; then
        read -r -a dirs <<<"$TESTS"
    fi
    files=()
    while IFS= read -r f; do
        files+=("$f")
    done < <(find "${dirs[@]}" -type f \
        \( -name '*.test.mjs' -o -name '*.test.js' \) 2>/dev/null | sort)
    if [ "${#files[@]}" -eq 0 ]; then
        echo "node: no test files in ${dirs[*]}"
    else
        run_node node "${files[@]}"
    fi
    # 2b. Those that pass on PostgreSQL, again with the app on it (of the files chosen).
    pg_files=()
    for f in "${files[@]}"; do
        for p in "${PG_NODE[@]}"; do
            [ "$f" = "$p" ] && pg_files+=("$f")
        done
    done
    t0=$SECONDS
    if [ "${PG:-1}" != 0 ] && [ "${#pg_files[@]}" -gt 0 ] && pg_start; then
        echo "node: again on PostgreSQL: ${pg_files[*]}"
        VOICES_TEST_PG=$pg_conn run_node node-pg "${pg_files[@]}"
        pg_secs=$((pg_secs + SECONDS - t0))
    fi
fi

# The failed node tests again, with their errors, where the end of a long log shows them.
for tap in "$tmp"/node.tap "$tmp"/node-pg.tap; do
    [ -f "$tap" ] && grep -q '^ *not ok' "$tap" || continue
    echo
    echo "failed in ${tap##*/}:"
    awk '/^ *not ok/ { p = 1; s = 0 } p && /^ *stack:/ { s = 1 }
        p && /^ *\.\.\.$/ { p = 0 } p && !s' "$tap"
done
echo
[ -n "$pg_conn" ] && echo "PostgreSQL runs: ${pg_secs} s"
if [ "$skipped" -gt 0 ]; then
    echo "$passed passed, $failed failed, $skipped skipped"
else
    echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
