#!/usr/bin/env bash
# Failure rounds against the local cluster (make cluster-test; scripts/cluster.sh starts it
# when it is not running). In each round CT_RESPONDENTS (1000) people submit the survey at
# once, over and over, through an nginx of the test's own in front of both app nodes (the
# cluster's, with the per-address limits raised: all of them come from 127.0.0.1), and
# CT_FAULT_AFTER (5) seconds in, one thing breaks:
#
#   primary-kill     the PostgreSQL primary (Patroni's leader) is killed with SIGKILL
#   app-kill         one app node is killed with SIGKILL, all its processes
#   primary-netcut   the primary's network is cut for CT_CUT_S (20) seconds: iptables drops
#                    every packet to and from its PostgreSQL and REST ports, and its Patroni's
#                    packets to etcd (its open connections by port, new ones by cgroup)
#
# Then the broken piece is brought back (scripts/cluster.sh start; Patroni rejoins the old
# primary as a standby) and the round is checked against the database
# (tests/cluster/verify.mjs): every confirmed submission stored exactly once, none twice, how
# long after the fault the first submission sent after it was confirmed, and how many
# people saw the "try again" page (or a gateway error). Writes var/cluster.json, prints a
# table, and exits 1 when a confirmed submission was lost or one was stored twice, or writes
# never came back. CT_ROUNDS picks rounds by name; CT_LOAD_S (25) is the length of the load.
# Needs root (iptables, cgroups), node, psql, curl, nginx, iptables.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
out=var/cluster.json
n=${CT_RESPONDENTS:-1000}
load_s=${CT_LOAD_S:-25}
fault_after=${CT_FAULT_AFTER:-5}
cut_s=${CT_CUT_S:-20}
rounds=${CT_ROUNDS:-primary-kill app-kill primary-netcut}
survey=residents-2026

say() { echo "cluster-test: $(date +%T) $*"; }
die() { echo "cluster-test: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || die "run as root: the rounds kill PostgreSQL and cut its network"
for t in node psql curl nginx iptables; do
    command -v "$t" >/dev/null || [ -x "/usr/sbin/$t" ] || die "$t is missing"
done

if ! scripts/cluster.sh status >/dev/null 2>&1; then
    say "no cluster running: starting one (make cluster)"
fi
scripts/cluster.sh start >/dev/null || die "the cluster did not start (scripts/cluster.sh start)"
. scripts/cluster-lib.sh

dir=$(mktemp -d /tmp/voices-cluster-test.XXXXXX)
load_pid=
cut_rules=()
cut_cgroup=
cleanup() {
    [ -n "$load_pid" ] && kill "$load_pid" 2>/dev/null
    restore_net
    stop_lb "$dir"
    if [ -z "${KEEP_TMP:-}" ]; then rm -rf "$dir"; else say "kept $dir"; fi
}
trap cleanup EXIT

# --- the cluster's state ------------------------------------------------------------------

# A leader, a synchronous standby, every one of the three nodes running (a node the last
# round killed must be back, or this round would take a second node away), both app nodes
# answering.
healthy() {
    local i
    curl -fs --max-time 2 "http://127.0.0.1:$(rest_port "$(leader)")/cluster" |
        node -e 'const c = JSON.parse(require("fs").readFileSync(0, "utf8"));
          const up = (m) => ["streaming", "running"].includes(m.state);
          const ok = c.members.some((m) => m.role === "leader" && m.state === "running") &&
            c.members.some((m) => m.role === "sync_standby" && up(m)) &&
            c.members.length === 3 && c.members.every(up);
          process.exit(ok ? 0 : 1)' || return 1
    for i in 1 2; do [ -S "$C/app$i/voices.sock" ] || return 1; done
    for i in 1 2 3 4; do
        submit_one | grep -q '^303 .*/done' || return 1
    done
}

# One submission through the test's nginx: "STATUS LOCATION".
submit_one() {
    local cookie body
    { read -r cookie; read -r body; } <"$dir/form.txt"
    curl -s -o /dev/null --max-time 10 -w '%{http_code} %{redirect_url}\n' -H "Cookie: $cookie" \
        -H 'Content-Type: application/x-www-form-urlencoded' \
        --data-binary "${body/@NONCE@/$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')}" \
        "http://127.0.0.1:$tport/s/$survey"
}

wait_healthy() { # up to SECONDS
    local i
    for ((i = 0; i < $1; i++)); do
        healthy && return 0
        sleep 1
    done
    say "the cluster was not healthy again within $1 s (scripts/cluster.sh status; var/cluster/log/)"
    return 1
}

# --- faults -----------------------------------------------------------------------------

kill_primary() {
    local i pm
    i=$(leader) || die "no leader to kill"
    pm=$(head -n 1 "$C/pg$i/data/postmaster.pid")
    say "  SIGKILL to PostgreSQL pg$i (postmaster $pm), the primary"
    kill -KILL "$pm"
}

kill_app() { # all processes of app node 1: its supervisor leads its own session
    local pid
    pid=$(cat "$C/run/app1.pid")
    say "  SIGKILL to app node 1 (supervisor $pid and its workers and writer)"
    kill -KILL -- "-$pid"
}

rule() { # rule ARGS...: an iptables rule for apply_rules to add and restore_net to remove
    cut_rules+=("$*")
}
apply_rules() { # every rule at once, in one transaction: the cut is one instant
    local r
    { echo '*filter'; for r in "${cut_rules[@]}"; do echo "-I $r"; done; echo COMMIT; } |
        iptables-restore --noflush
}

# The primary cut off: its ports dropped both ways; its Patroni's connections to etcd dropped
# by their local ports, and any it opens later by the cgroup it is moved into. The rules are
# made first and put in place together (they took seconds one by one on a loaded machine,
# during which the primary's Patroni still reached etcd).
cut_primary() {
    local i pat p cg=/sys/fs/cgroup/unified/voices-cluster-test-$base
    i=$(leader) || die "no leader to cut off"
    pat=$(cat "$C/run/patroni$i.pid")
    say "  cutting the network of pg$i, the primary (ports $(pg_port "$i"), $(rest_port "$i"), Patroni $pat)"
    mkdir -p "$cg"
    echo "$pat" >"$cg/cgroup.procs"
    cut_cgroup=$cg
    rule OUTPUT -m cgroup --path "voices-cluster-test-$base" -j DROP
    for p in $(pg_port "$i") $(rest_port "$i"); do
        rule INPUT -p tcp --dport "$p" -j DROP
        rule INPUT -p tcp --sport "$p" -j DROP
    done
    for p in $(ss -tnpH state established "( dport = :$((base + 1)) or dport = :$((base + 2)) or dport = :$((base + 3)) )" |
        awk -v pid="pid=$pat," '$0 ~ pid {n = split($3, a, ":"); print a[n]}'); do
        rule INPUT -p tcp --sport "$p" -j DROP
        rule INPUT -p tcp --dport "$p" -j DROP
    done
    apply_rules
}

restore_net() {
    local r pid
    # At once, as the cut was made; one by one if that fails (a rule already gone).
    if [ "${#cut_rules[@]}" -gt 0 ] &&
        ! { echo '*filter'; for r in "${cut_rules[@]}"; do echo "-D $r"; done; echo COMMIT; } |
        iptables-restore --noflush 2>/dev/null; then
        for r in "${cut_rules[@]}"; do
            # shellcheck disable=SC2086 # the rule's words
            iptables -D $r 2>/dev/null || true
        done
    fi
    cut_rules=()
    if [ -n "$cut_cgroup" ]; then
        while read -r pid; do
            echo "$pid" >/sys/fs/cgroup/unified/cgroup.procs 2>/dev/null || true
        done <"$cut_cgroup/cgroup.procs"
        rmdir "$cut_cgroup" 2>/dev/null || true
        cut_cgroup=
    fi
}

# --- one round ----------------------------------------------------------------------------

marker_base=$(od -An -N3 -tu4 /dev/urandom | tr -d ' ')
round() { # round NAME FAULT [RESTORE_AFTER_S RESTORE]
    local name=$1 fault=$2 restore_after=${3:-} restore=${4:-} fault_ms line
    say "round $name: $n people submitting for $load_s s"
    node tests/cluster/verify.mjs snapshot "$conn" "$dir/$name.before"
    RESPONDENTS=$n SECONDS=$load_s GRACE_S=40 MARKER_BASE=$marker_base \
        node tests/cluster/load.mjs "$dir/form.txt" "$dir/$name.jsonl" "http://127.0.0.1:$tport/s/$survey" \
        >"$dir/$name.load" &
    load_pid=$!
    marker_base=$((marker_base + 500000))
    sleep "$fault_after"
    "$fault"
    fault_ms=$(date +%s%3N) # the fault complete: the process dead, or every rule in place
    if [ -n "$restore" ]; then
        sleep "$restore_after"
        say "  restored"
        "$restore"
    fi
    wait "$load_pid" || die "the load generator failed: $(cat "$dir/$name.load")"
    load_pid=
    say "  $(sed 's/^LOAD //' "$dir/$name.load")"
    # What was killed is started again (a node rejoining may refuse connections a moment).
    scripts/cluster.sh start >>"$dir/start.log" 2>&1 || { sleep 5; scripts/cluster.sh start >>"$dir/start.log" 2>&1; } ||
        say "the cluster did not come back (scripts/cluster.sh start: $dir/start.log)"
    wait_healthy 120 || broken=1
    sleep 2 # a submission a person gave up on may still be committing
    line=$(node tests/cluster/verify.mjs check "$conn" "$dir/$name.before" "$dir/$name.jsonl" "$name" "$fault_ms")
    line="${line%\}},\"recovered\":$([ "$broken" = 0 ] && echo true || echo false)}"
    results+=("$line")
    say "  $line"
}

# --- the run --------------------------------------------------------------------------------

mkdir -p var
start_lb "$dir"
node tests/bench/submit-body.mjs "http://127.0.0.1:$tport" "/s/$survey" >"$dir/form.txt"
wait_healthy 120 || die "the cluster is not healthy: no round run"
say "cluster healthy: primary pg$(leader); the test's nginx on 127.0.0.1:$tport in front of both app nodes"

results=()
broken=0
for r in $rounds; do
    [ "$broken" = 0 ] || { say "round $r skipped: the cluster did not recover from the last"; continue; }
    case "$r" in
        primary-kill) round primary-kill kill_primary ;;
        app-kill) round app-kill kill_app ;;
        primary-netcut) round primary-netcut cut_primary "$cut_s" restore_net ;;
        *) die "no round called $r (primary-kill, app-kill, primary-netcut)" ;;
    esac
done

{
    echo '{"rounds": ['
    for ((i = 0; i < ${#results[@]}; i++)); do
        printf '  %s%s\n' "${results[$i]}" "$([ "$i" -lt $((${#results[@]} - 1)) ] && echo ,)"
    done
    echo ']}'
} >"$out"
node tests/cluster/report.mjs "$out"
