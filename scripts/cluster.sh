#!/usr/bin/env bash
# A replicated Voices on this machine, on loopback only (make cluster, make cluster-stop):
#
#   scripts/cluster.sh start    three etcd members, three PostgreSQL 15 nodes under Patroni
#                               (synchronous replication, automatic failover), two app nodes
#                               and nginx in front; returns once a request through nginx works
#   scripts/cluster.sh status   what runs, and which PostgreSQL node leads
#   scripts/cluster.sh stop     stops everything it started and removes var/cluster/
#
# Everything lives under var/cluster/: the etcd and PostgreSQL data, the Patroni and app
# configurations, the keys, sockets, pid files and logs. `start` is idempotent: what already
# runs is left alone and what is missing (a node stopped or killed) is started again, so it
# also brings a failed node back. Ports (loopback): CLUSTER_PORT (nginx, default 8090), and
# from CLUSTER_BASE (default 7100): etcd clients BASE+1..3, etcd peers BASE+11..13,
# PostgreSQL BASE+21..23, Patroni's REST API BASE+31..33. CLUSTER_WORKERS (default 32) is the
# FastCGI workers per app node. VOICES_BIN overrides the app binary (build/release/voices).
#
# PostgreSQL and Patroni run as the unprivileged `postgres` user, etcd as `etcd`, the app and
# nginx as whoever starts this (as `make run`). Every role has a SCRAM password, generated
# here and kept in 0600 files (var/cluster/secrets/, the Patroni configurations); none is
# ever on a command line.
set -euo pipefail

cd "$(dirname "$0")/.."
root=$(pwd)
C=$root/var/cluster
bin=${VOICES_BIN:-build/release/voices}
pgbin=${PG_BIN:-/usr/lib/postgresql/15/bin}
cmd=${1:-}
N=3           # etcd members and PostgreSQL nodes
APPS=2        # app nodes

say() { echo "cluster: $*"; }
die() { echo "cluster: $*" >&2; exit 1; }

number() { # number NAME VALUE: VALUE is a port-sized number
    case "$2" in
        '' | *[!0-9]*) die "$1 must be a number, not '$2'" ;;
    esac
    if [ "$2" -lt 1 ] || [ "$2" -gt 65500 ]; then die "$1 must be between 1 and 65500"; fi
}

# The ports: those of the running cluster if there is one, else the environment's.
if [ -f "$C/ports" ]; then
    # shellcheck source=/dev/null
    . "$C/ports"
    if [ "$cmd" = start ] && { [ "${CLUSTER_PORT:-$port}" != "$port" ] ||
        [ "${CLUSTER_BASE:-$base}" != "$base" ]; }; then
        die "a cluster set up on port $port (base $base) is in var/cluster/; make cluster-stop first"
    fi
else
    port=${CLUSTER_PORT:-8090}
    base=${CLUSTER_BASE:-7100}
fi
workers=${CLUSTER_WORKERS:-32}
number CLUSTER_PORT "$port"
number CLUSTER_BASE "$base"
case "$workers" in '' | *[!0-9]*) die "CLUSTER_WORKERS must be a number" ;; esac

etcd_port() { echo $((base + $1)); }
peer_port() { echo $((base + 10 + $1)); }
pg_port() { echo $((base + 20 + $1)); }
rest_port() { echo $((base + 30 + $1)); }
base_url="http://127.0.0.1:$port"

# shellcheck source=scripts/proc.sh
. scripts/proc.sh

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

port_free() { # port_free PORT WHAT: die when something else listens there
    if listening "$1"; then
        die "port $1 ($2) is busy; choose other ports: make cluster CLUSTER_BASE=7200 CLUSTER_PORT=8190"
    fi
}

# A process started in its own session, with nothing of ours as its stdin, stdout or
# stderr (the caller may be reading our output through a pipe).
# USER is - for ourselves, or a user to run as: setpriv, without a login session, execs the
# program, so the pid is the program's own.
launch() { # launch PIDFILE LOG USER COMMAND...
    local pidfile=$1 log=$2 u=$3
    shift 3
    if [ "$u" != - ]; then
        set -- setpriv --reuid="$u" --regid="$u" --init-groups \
            env HOME="$(getent passwd "$u" | cut -d: -f6)" "$@"
    fi
    setsid "$@" </dev/null >>"$log" 2>&1 &
    echo "$!" >"$pidfile"
}

password() { # password NAME: the generated password NAME, made once
    local f=$C/secrets/$1.pw
    if [ ! -s "$f" ]; then
        (umask 077; head -c 24 /dev/urandom | base64 | tr -d '/+=\n' >"$f")
    fi
    cat "$f"
}

wait_for() { # wait_for SECONDS WHAT COMMAND...: retries COMMAND until it succeeds
    local limit=$(($1 * 5)) what=$2 i
    shift 2
    for ((i = 0; i < limit; i++)); do
        "$@" >/dev/null 2>&1 && return 0
        sleep 0.2
    done
    die "$what did not come up within $((limit / 5)) seconds"
}

# --- etcd ------------------------------------------------------------------------------------

etcd_cluster() {
    local i list=
    for ((i = 1; i <= N; i++)); do list+="${list:+,}etcd$i=http://127.0.0.1:$(peer_port "$i")"; done
    echo "$list"
}

etcd_hosts() {
    local i list=
    for ((i = 1; i <= N; i++)); do list+="${list:+,}127.0.0.1:$(etcd_port "$i")"; done
    echo "$list"
}

start_etcd() { # start_etcd I
    local i=$1 d=$C/etcd$1
    pid_of "$C/run/etcd$i.pid" etcd >/dev/null && return 0
    port_free "$(etcd_port "$i")" "etcd $i"
    mkdir -p "$d/data"
    chown -R etcd:etcd "$d"
    chmod 0700 "$d" "$d/data"
    # Heartbeat and election a little slower than etcd's defaults (100 ms, 1 s): on a busy
    # machine a slow disk flush should not start an election.
    launch "$C/run/etcd$i.pid" "$C/log/etcd$i.log" etcd etcd \
        --name "etcd$i" --data-dir "$d/data" \
        --listen-client-urls "http://127.0.0.1:$(etcd_port "$i")" \
        --advertise-client-urls "http://127.0.0.1:$(etcd_port "$i")" \
        --listen-peer-urls "http://127.0.0.1:$(peer_port "$i")" \
        --initial-advertise-peer-urls "http://127.0.0.1:$(peer_port "$i")" \
        --initial-cluster "$(etcd_cluster)" --initial-cluster-token "voices-$base" \
        --initial-cluster-state new --heartbeat-interval 200 --election-timeout 2000 \
        --enable-v2=true --logger zap --log-outputs stderr --log-level warn
}

etcd_healthy() {
    curl -fsS --max-time 2 "http://127.0.0.1:$(etcd_port 1)/health" | grep -q '"health":"true"'
}

# --- PostgreSQL under Patroni ----------------------------------------------------------------

# The Patroni configuration of node I. Failover: a leader's key lives ttl (6 s) in etcd;
# when it is not renewed (the node or its Patroni died, or its network) the synchronous
# standby takes over within about ttl + 2 s (Patroni's wait for the old leader's REST API).
# A primary whose PostgreSQL crashed hands over at once (primary_start_timeout 0) rather
# than recovering in place. No replication slots: the remaining standby streams from the new
# primary as soon as it follows it, instead of waiting for the new primary to make its slot
# (wal_keep_size keeps 2 GB of WAL for a standby behind: twice max_wal_size, so that a killed
# primary coming back, rewound, still finds the WAL since its last checkpoint, which can be up
# to max_wal_size old; with 256 MB, after a few minutes of 2,000 submissions a second it did
# not, and waited for removed WAL for good), and it retries its upstream every
# 250 ms (wal_retrieve_retry_interval), so that the new primary soon has a synchronous standby
# to commit with. make cluster-test: writes stopped for 1.4 to 9 s with the primary killed,
# 7 to 8 s with its network cut (docs/measurements.md). Patroni talks to etcd through its v2
# API (`etcd:`): with `etcd3:`, Debian's Patroni 3.0.2 renews its lead with an unconditional
# put, and a primary cut off and back took the lead back from the new one, whose commits were
# then rewound away. synchronous_mode_strict: with no standby to confirm, the primary makes
# commits wait rather than acknowledge one that only it holds.
patroni_conf() { # patroni_conf I
    local i=$1 d=$C/pg$1
    cat <<EOF
# Written by scripts/cluster.sh; rewritten on every start.
scope: voices
namespace: /voices-cluster/
name: pg$i
restapi:
  listen: 127.0.0.1:$(rest_port "$i")
  connect_address: 127.0.0.1:$(rest_port "$i")
etcd:
  hosts: $(etcd_hosts)
bootstrap:
  dcs:
    ttl: 6
    loop_wait: 1
    retry_timeout: 2
    primary_start_timeout: 0
    maximum_lag_on_failover: 1048576
    synchronous_mode: true
    synchronous_mode_strict: true
    postgresql:
      use_pg_rewind: true
      use_slots: false
      parameters:
        wal_level: replica
        hot_standby: 'on'
        wal_log_hints: 'on'
        max_connections: 200
        max_wal_senders: 10
        max_replication_slots: 10
        wal_keep_size: 2GB
        wal_retrieve_retry_interval: 250
        password_encryption: scram-sha-256
  initdb:
    - encoding: UTF8
    - locale: C.UTF-8
    - auth-local: scram-sha-256
    - auth-host: scram-sha-256
postgresql:
  listen: 127.0.0.1:$(pg_port "$i")
  connect_address: 127.0.0.1:$(pg_port "$i")
  data_dir: $d/data
  bin_dir: $pgbin
  pgpass: $d/patroni.pgpass
  authentication:
    superuser:
      username: voices_admin
      password: $(password admin)
    replication:
      username: replicator
      password: $(password replication)
    rewind:
      username: rewinder
      password: $(password rewind)
  parameters:
    unix_socket_directories: $d/sock
    logging_collector: 'on'
    log_directory: $d/log
    log_min_messages: warning
  pg_hba:
    - local all all scram-sha-256
    - host all all 127.0.0.1/32 scram-sha-256
    - host replication replicator 127.0.0.1/32 scram-sha-256
EOF
}

start_patroni() { # start_patroni I
    local i=$1 d=$C/pg$1
    pid_of "$C/run/patroni$i.pid" patroni >/dev/null && return 0
    port_free "$(rest_port "$i")" "Patroni $i"
    # A postgres left by a Patroni that was killed is taken over by the new one; only when
    # nothing runs must the port be free.
    [ -f "$d/data/postmaster.pid" ] || port_free "$(pg_port "$i")" "PostgreSQL $i"
    mkdir -p "$d/sock" "$d/log"
    (umask 077; patroni_conf "$i" >"$d/patroni.yml")
    chown postgres:postgres "$d" "$d/sock" "$d/log" "$d/patroni.yml"
    chmod 0700 "$d"
    chmod 0600 "$d/patroni.yml"
    launch "$C/run/patroni$i.pid" "$C/log/patroni$i.log" postgres patroni "$d/patroni.yml"
}

# The members as Patroni's REST API reports them: "NAME ROLE STATE" lines.
members() {
    local i
    for ((i = 1; i <= N; i++)); do
        curl -fsS --max-time 2 "http://127.0.0.1:$(rest_port "$i")/cluster" 2>/dev/null && return 0
    done
    return 1
}
member_lines() {
    members | python3 -c '
import json, sys
for m in json.load(sys.stdin).get("members", []):
    print(m.get("name"), m.get("role"), m.get("state"), m.get("port"))'
}
have_leader_and_sync() {
    local lines
    lines=$(member_lines) || return 1
    grep -qE '^[^ ]+ leader running ' <<<"$lines" &&
        grep -qE '^[^ ]+ sync_standby (streaming|running) ' <<<"$lines"
}

pg_hosts() {
    local i h='' p=''
    for ((i = 1; i <= N; i++)); do
        h+="${h:+,}127.0.0.1"
        p+="${p:+,}$(pg_port "$i")"
    done
    echo "host=$h port=$p"
}

# The app's database and its three roles (docs/storage.md, Roles): voices_owner owns the
# database and its tables (`voices init` with database_owner: migrates as it and gives the
# grants), voices_app is the app nodes' (no superuser, owns nothing), voices_analyst the
# analysts' read-only one. The passwords go to the server on psql's standard input.
setup_database() {
    local admin=$C/secrets/admin.pgpass r sql=
    (umask 077
        printf '127.0.0.1:*:*:voices_admin:%s\n' "$(password admin)" >"$admin"
        printf '127.0.0.1:*:voices:voices_app:%s\n' "$(password app)" >"$C/secrets/app.pgpass"
        printf '127.0.0.1:*:voices:voices_owner:%s\n' "$(password owner)" >"$C/secrets/owner.pgpass")
    for r in owner app analyst; do
        sql+="SELECT 'CREATE ROLE voices_$r LOGIN' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'voices_$r')
\\gexec
ALTER ROLE voices_$r LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '$(password "$r")';
"
    done
    admin_sql postgres <<SQL
$sql
SELECT 'CREATE DATABASE voices OWNER voices_owner ENCODING ''UTF8'' TEMPLATE template0'
    WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'voices')
\gexec
REVOKE ALL ON DATABASE voices FROM PUBLIC;
GRANT CONNECT ON DATABASE voices TO voices_app, voices_analyst;
SQL
    admin_sql voices <<<'REVOKE ALL ON SCHEMA public FROM PUBLIC;'
}

# admin_sql DB: runs standard input on the primary's database DB as voices_admin.  A new
# connection each time: psql's \c would reconnect to the first host, perhaps a standby that
# has not yet replayed the database just created.
admin_sql() {
    PGPASSFILE=$C/secrets/admin.pgpass "$pgbin/psql" -q -X -v ON_ERROR_STOP=1 \
        "$(pg_hosts) dbname=$1 user=voices_admin target_session_attrs=read-write connect_timeout=5" \
        >/dev/null
}

# --- the app nodes and nginx -----------------------------------------------------------------

app_conf() { # app_conf I
    local i=$1
    cat <<EOF
# Voices app node $i of the local cluster (written by scripts/cluster.sh on every start).
# Both nodes share the database, the surveys, the keys and the server secret; each has its
# own FastCGI socket, writer socket (and its lock) and log.
listen: $C/app$i/voices.sock
writer_socket: $C/app$i/writer.sock
database: $(pg_hosts) dbname=voices user=voices_app target_session_attrs=read-write connect_timeout=2 keepalives_idle=1 keepalives_interval=1 keepalives_count=3 tcp_user_timeout=3000 passfile=$C/secrets/app.pgpass
surveys: surveys
templates: templates
workers: $workers
public_key: $C/keys/analysis.pub
secret_file: $C/keys/server.secret
https: false
base_url: $base_url
draft_languages: true
EOF
}

start_app() { # start_app I
    local i=$1 d=$C/app$1
    pid_of "$C/run/app$i.pid" voices >/dev/null && return 0
    rm -f "$d/voices.sock"
    launch "$C/run/app$i.pid" "$C/log/app$i.log" - "$bin" -c "$d/voices.yaml" serve
}

app_up() { [ -S "$C/app$1/voices.sock" ]; }

start_nginx() {
    local socks=() i
    pid_of "$C/run/nginx.pid" nginx >/dev/null && return 0
    port_free "$port" nginx
    for ((i = 1; i <= APPS; i++)); do socks+=("$C/app$i/voices.sock"); done
    mkdir -p "$C/nginx"
    scripts/nginx-conf.sh "$port" "$C" "$root" "${socks[@]}" >"$C/nginx/nginx.conf"
    launch "$C/run/nginx.pid" "$C/log/nginx.log" - \
        nginx -c "$C/nginx/nginx.conf" -p "$C/nginx/" -g 'daemon off;'
}

# --- the commands ----------------------------------------------------------------------------

start() {
    local i staff_note
    [ -x "$bin" ] || die "$bin is missing; build it with make"
    for p in patroni etcd nginx setpriv curl python3 "$pgbin/psql"; do
        command -v "$p" >/dev/null 2>&1 || die "$p is missing; make cluster installs it (scripts/deps.sh cluster)"
    done
    if ! id postgres >/dev/null 2>&1 || ! id etcd >/dev/null 2>&1; then
        die "the postgres and etcd users are missing; scripts/deps.sh cluster installs the packages"
    fi
    [ "$(id -u)" -eq 0 ] || die "run as root: PostgreSQL and etcd run as their own users"
    mkdir -p "$C/run" "$C/log" "$C/keys" "$C/secrets"
    chmod 0755 "$C"
    chmod 0700 "$C/secrets"
    if [ ! -f "$C/ports" ]; then
        # A first start that fails stops what it started and removes var/cluster/ (keeping
        # its logs), so that the next one starts afresh, on other ports if need be.
        trap 'failed_start $?' EXIT
        printf 'port=%s\nbase=%s\n' "$port" "$base" >"$C/ports"
        # Every port free before anything starts (each is looked at again as its piece starts).
        for ((i = 1; i <= N; i++)); do
            port_free "$(etcd_port "$i")" "etcd $i"
            port_free "$(peer_port "$i")" "etcd $i's peers"
            port_free "$(pg_port "$i")" "PostgreSQL $i"
            port_free "$(rest_port "$i")" "Patroni $i"
        done
        port_free "$port" nginx
    fi

    for ((i = 1; i <= N; i++)); do start_etcd "$i"; done
    wait_for 60 "etcd" etcd_healthy
    say "etcd: $N members on 127.0.0.1:$(etcd_port 1)-$(etcd_port "$N")"

    for ((i = 1; i <= N; i++)); do start_patroni "$i"; done
    wait_for 240 "a PostgreSQL leader with a synchronous standby" have_leader_and_sync
    say "PostgreSQL: $N nodes on 127.0.0.1:$(pg_port 1)-$(pg_port "$N") under Patroni"
    setup_database

    if [ ! -f "$C/keys/analysis.pub" ]; then
        "$bin" keygen "$C/keys/analysis.pub" "$C/keys/analysis.secret" >/dev/null
    fi
    for ((i = 1; i <= APPS; i++)); do
        mkdir -p "$C/app$i"
        app_conf "$i" >"$C/app$i/voices.yaml"
    done
    # Once, for both: the schema (migrated by its owner, who gives the app's and the
    # analysts' roles their grants), the surveys, and the server secret both nodes read.
    # The owner's configuration is the administrator's, in secrets/, not the nodes'.
    (umask 077
        cat "$C/app1/voices.yaml"
        echo "database_owner: $(pg_hosts) dbname=voices user=voices_owner target_session_attrs=read-write connect_timeout=3 passfile=$C/secrets/owner.pgpass"
        echo "database_analyst_role: voices_analyst") >"$C/secrets/owner.yaml"
    "$bin" -c "$C/secrets/owner.yaml" init >>"$C/log/init.log" 2>&1 ||
        die "voices init failed; see var/cluster/log/init.log"
    staff_note="Staff sign-in: $base_url/staff/login"
    if [ "$("$bin" -c "$C/app1/voices.yaml" user list | wc -l)" -le 1 ]; then
        local pw
        pw=$("$bin" -c "$C/app1/voices.yaml" user add admin --role admin | sed -n 's/^One-time password: //p')
        staff_note="$staff_note   name: admin   password: $pw (shown once)"
    fi

    for ((i = 1; i <= APPS; i++)); do start_app "$i"; done
    for ((i = 1; i <= APPS; i++)); do wait_for 30 "app node $i (var/cluster/log/app$i.log)" app_up "$i"; done
    start_nginx
    wait_for 30 "nginx on $base_url" curl -fsS --max-time 2 -o /dev/null "$base_url/healthz"

    echo
    echo "Voices is running at $base_url/ (nginx in front of $APPS app nodes)"
    echo "$staff_note"
    echo
    status_lines
    echo
    echo "Logs: var/cluster/log/. Status: scripts/cluster.sh status. Stop with \`make cluster-stop\`."
    trap - EXIT
}

failed_start() { # failed_start STATUS: the EXIT trap of a first start
    trap - EXIT
    [ "$1" -ne 0 ] || return 0
    echo "cluster: the start failed: stopping what it started; its logs are in var/cluster-failed/" >&2
    stop_all >/dev/null 2>&1 || true
    rm -rf "$root/var/cluster-failed"
    mv "$C/log" "$root/var/cluster-failed" 2>/dev/null || true
    rm -rf "$C"
    exit "$1"
}

status_lines() {
    local i pid lines
    for ((i = 1; i <= N; i++)); do
        pid=$(pid_of "$C/run/etcd$i.pid" etcd) && pid="pid $pid" || pid=stopped
        echo "  etcd$i      127.0.0.1:$(etcd_port "$i")   $pid"
    done
    lines=$(member_lines 2>/dev/null) || lines=
    for ((i = 1; i <= N; i++)); do
        pid=$(pid_of "$C/run/patroni$i.pid" patroni) && pid="patroni pid $pid" || pid="patroni stopped"
        role=$(sed -n "s/^pg$i \([^ ]*\) \([^ ]*\) .*/\1 (\2)/p" <<<"$lines")
        echo "  pg$i        127.0.0.1:$(pg_port "$i")   $pid   ${role:-unknown}"
    done
    for ((i = 1; i <= APPS; i++)); do
        pid=$(pid_of "$C/run/app$i.pid" voices) && pid="pid $pid" || pid=stopped
        echo "  app$i       var/cluster/app$i/voices.sock   $pid"
    done
    pid=$(pid_of "$C/run/nginx.pid" nginx) && pid="pid $pid" || pid=stopped
    echo "  nginx      $base_url   $pid"
}

pids=()
signal() { # signal SIGNAL NAME PIDFILE...: SIGNAL to each that runs a program NAME; in pids
    local sig=$1 name=$2 f pid
    shift 2
    for f in "$@"; do
        if pid=$(pid_of "$f" "$name"); then
            kill "-$sig" "$pid" 2>/dev/null || true
            pids+=("$pid")
        fi
    done
}

# In order: nginx and the app nodes finish their requests; Patroni stops PostgreSQL; a
# postgres whose Patroni was killed outlives it, and is stopped by its own pid file; etcd.
stop_all() {
    pids=()
    signal QUIT nginx "$C/run/nginx.pid"
    signal TERM voices "$C"/run/app[0-9]*.pid
    stop_wait cluster 30 "${pids[@]}"
    pids=()
    signal TERM patroni "$C"/run/patroni[0-9]*.pid
    stop_wait cluster 60 "${pids[@]}"
    pids=()
    signal QUIT postgres "$C"/pg[0-9]*/data/postmaster.pid
    stop_wait cluster 20 "${pids[@]}"
    pids=()
    signal TERM etcd "$C"/run/etcd[0-9]*.pid
    stop_wait cluster 20 "${pids[@]}"
}


case "$cmd" in
start)
    start ;;
status)
    [ -d "$C" ] || { say "not set up (make cluster)"; exit 1; }
    status_lines ;;
stop)
    if [ ! -d "$C" ]; then
        say "nothing to stop"
        exit 0
    fi
    stop_all
    rm -rf "$C"
    say "stopped; var/cluster/ removed" ;;
*)
    echo "usage: $0 start|status|stop" >&2
    exit 2 ;;
esac
