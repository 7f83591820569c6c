#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests, from Debian's postgresql-15.
#   scripts/pg-test.sh start DIR   initdb + pg_ctl start in DIR (created, empty),
#                                  listening only on a unix socket in DIR; prints
#                                  the connection string on stdout
#   scripts/pg-test.sh stop DIR    stops it and removes DIR
# The server runs as the unprivileged `postgres` user (initdb refuses root), the
# package's own.  Roles use SCRAM passwords; the test role's password is in
# DIR/pgpass (mode 0600, owned by whoever started this), named by passfile= in
# the connection string, never on a command line.  The test role may create
# databases (each test gets its own) and is no superuser; so is voices_owner, who
# owns the app's schema in the tests that run the app (voices_app, voices_analyst
# beside it: docs/storage.md, Roles).  The server runs without
# fsync: its data is thrown away, and durability is not what these tests check.
set -euo pipefail

BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
USER_PG=${PG_USER:-postgres}
cmd=${1:-}
dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: $0 start|stop DIR" >&2; exit 2; }

as_pg() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u "$USER_PG" -- "$@"
    else
        "$@"
    fi
}

case "$cmd" in
start)
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    chmod 0755 "$dir"
    mkdir -p "$dir/data" "$dir/sock"
    [ "$(id -u)" -eq 0 ] && chown "$USER_PG" "$dir/data" "$dir/sock"
    chmod 0700 "$dir/data"
    admin_pw=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
    test_pw=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
    umask 077
    printf '%s\n' "$admin_pw" > "$dir/admin.pw"
    [ "$(id -u)" -eq 0 ] && chown "$USER_PG" "$dir/admin.pw"
    as_pg "$BIN/initdb" -D "$dir/data" -U voices_admin --auth=scram-sha-256 \
        --pwfile="$dir/admin.pw" -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
        { cat "$dir/initdb.log" >&2; exit 1; }
    rm -f "$dir/admin.pw"
    as_pg "$BIN/pg_ctl" -D "$dir/data" -l "$dir/data/server.log" -w -s \
        -o "-c listen_addresses='' -c unix_socket_directories='$dir/sock' -c fsync=off -c full_page_writes=off -c synchronous_commit=off -c max_connections=60" start
    printf '%s\n' "$dir/sock:*:*:voices_admin:$admin_pw" "$dir/sock:*:*:voices_test:$test_pw" > "$dir/pgpass"
    # The roles and their passwords reach the server on psql's standard input, never on its
    # command line (where ps shows it). The passwords are base64 without /+=: letters and
    # digits only, safe inside a literal.
    # The three roles of docs/storage.md ("Roles"), for the tests that run the app as it
    # runs in production: the schema's owner (who also creates each test's database), the
    # app's role and the analysts' read-only one.  The owner's, app's and analysts' roles
    # of the tests: user=voices_owner, user=voices_app, user=voices_analyst added to the
    # connection string printed below.
    sql="CREATE ROLE voices_test LOGIN CREATEDB PASSWORD '$test_pw';"
    for r in voices_owner voices_app voices_analyst; do
        pw=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
        printf '%s\n' "$dir/sock:*:*:$r:$pw" >> "$dir/pgpass"
        attr=LOGIN
        [ "$r" = voices_owner ] && attr="LOGIN CREATEDB"
        sql+=$'\n'"CREATE ROLE $r $attr PASSWORD '$pw';"
    done
    PGPASSFILE="$dir/pgpass" "$BIN/psql" -q -h "$dir/sock" -U voices_admin -d postgres \
        -v ON_ERROR_STOP=1 >/dev/null <<<"$sql"
    echo "host=$dir/sock user=voices_test dbname=postgres passfile=$dir/pgpass"
    ;;
stop)
    if [ -d "$dir/data" ]; then
        as_pg "$BIN/pg_ctl" -D "$dir/data" -m immediate -w -s stop || true
    fi
    rm -rf "$dir"
    ;;
*)
    echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
