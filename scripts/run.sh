#!/usr/bin/env bash
# Starts Voices locally: the app (FastCGI on a unix socket) and nginx in front of it on
# 127.0.0.1:PORT, then stays in the foreground until Ctrl-C or `make stop`.
#
#   scripts/run.sh [PORT]        (make run PORT=9000)
#
# Everything it makes lives under var/: the config (var/voices.yaml, written once, edit it
# freely), the database, keys, sockets, pid files, logs and the generated nginx.conf.
# VOICES_BIN overrides the app binary (default build/release/voices).
set -euo pipefail

cd "$(dirname "$0")/.."
root=$(pwd)
port=${1:-8080}
bin=${VOICES_BIN:-build/release/voices}
config=var/voices.yaml
socket=var/run/voices.sock

case "$port" in
    '' | *[!0-9]*) echo "run: PORT must be a number, not '$port'" >&2; exit 2 ;;
esac
if [ "$port" -lt 1 ] || [ "$port" -gt 65535 ]; then
    echo "run: PORT must be between 1 and 65535" >&2
    exit 2
fi
if [ ! -x "$bin" ]; then
    echo "run: $bin is missing; build it with make" >&2
    exit 1
fi

alive() { # alive PIDFILE NAME: the pid in PIDFILE is running a program called NAME
    local pid
    [ -f "$1" ] || return 1
    pid=$(cat "$1" 2>/dev/null) || return 1
    [[ "$pid" =~ ^[0-9]+$ ]] || return 1
    grep -qa -- "$2" "/proc/$pid/cmdline" 2>/dev/null
}

if alive var/run/run.pid run.sh || alive var/run/voices.pid voices || alive var/run/nginx.pid nginx; then
    echo "run: Voices is already running from this directory; stop it with \`make stop\`" >&2
    exit 1
fi
if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "run: port $port is busy: something already listens on 127.0.0.1:$port." >&2
    echo "     Stop it, or choose another port: make run PORT=9000" >&2
    exit 1
fi

mkdir -p var/run var/keys var/nginx var/log
rm -f var/run/voices.pid var/run/nginx.pid var/run/run.pid

base_url="http://127.0.0.1:$port"
if [ ! -f "$config" ]; then
    cat >"$config" <<EOF
# Voices configuration for running locally (written by scripts/run.sh; edit freely).
# Relative paths are relative to the directory the app is started from (the source tree).
listen: $socket        # unix socket (created mode 0666), or 127.0.0.1:9001
database: var/voices.db
surveys: surveys
templates: templates
workers: 16             # the measured best on 2 cores (docs/measurements.md, "Worker count")
public_key: var/keys/analysis.pub
secret_file: var/keys/server.secret
https: false
base_url: $base_url
draft_languages: true   # offer draft translations, for trying them out; not for real use
EOF
    echo "run: wrote $config"
elif ! grep -q "^base_url: $base_url\$" "$config"; then
    sed -i "s|^base_url:.*|base_url: $base_url|" "$config"
fi
listen=$(sed -n 's/^listen:[[:space:]]*\([^[:space:]#]*\).*/\1/p' "$config" | head -n 1)
listen=${listen:-$socket}

if [ ! -f var/keys/analysis.pub ]; then
    "$bin" keygen var/keys/analysis.pub var/keys/analysis.secret
    echo
    echo "run: made the analysis key pair in var/keys/. The secret key (var/keys/analysis.secret)"
    echo "     decrypts the free-text answers: for real use, move it off the server to the"
    echo "     analysts' machine and keep only var/keys/analysis.pub here."
    echo
fi

"$bin" -c "$config" init

# A first staff account, made once: its one-time password is printed below.
staff_note="Staff sign-in: $base_url/staff/login"
if [ "$("$bin" -c "$config" user list | wc -l)" -le 1 ]; then
    password=$("$bin" -c "$config" user add admin --role admin | sed -n 's/^One-time password: //p')
    staff_note="$staff_note   name: admin   password: $password (shown once)"
fi

app_pid=
nginx_pid=
tail_pid=
stopping=0

# shellcheck disable=SC2317 # called from the traps below
cleanup() {
    trap - INT TERM EXIT
    if [ "$stopping" -eq 0 ]; then
        stopping=1
        VOICES_STOP_FROM_RUN=1 scripts/stop.sh || true
    fi
    rm -f var/run/run.pid
    if [ -n "$tail_pid" ]; then
        sleep 0.3
        kill "$tail_pid" 2>/dev/null || true
        wait "$tail_pid" 2>/dev/null || true
    fi
}
trap 'cleanup; exit 1' EXIT
trap 'echo; cleanup; echo "run: stopped"; exit 0' INT TERM
echo "$$" >var/run/run.pid

# The app logs to var/log/voices.log; tail shows it here as well. Both servers run in their
# own session so that Ctrl-C reaches only this script, which then stops them in order and
# lets the app finish the requests it has.
touch var/log/voices.log
tail -n 0 -F var/log/voices.log 2>/dev/null &
tail_pid=$!
setsid "$bin" -c "$config" serve 2>>var/log/voices.log </dev/null &
app_pid=$!
echo "$app_pid" >var/run/voices.pid

# shellcheck disable=SC2317 # called through wait_until
app_ready() {
    case "$listen" in
        */* | *.sock) [ -S "$listen" ] ;;
        *:*) (exec 3<>"/dev/tcp/${listen%:*}/${listen##*:}") 2>/dev/null ;;
        *) [ -S "$listen" ] ;;
    esac
}
# Stops the script when the app, or nginx once started, is no longer running.
still_running() {
    if [ -n "$nginx_pid" ] && ! kill -0 "$nginx_pid" 2>/dev/null; then
        echo "run: nginx stopped while starting; see var/nginx/error.log" >&2
        exit 1
    fi
    if ! kill -0 "$app_pid" 2>/dev/null; then
        echo "run: the app stopped while starting; see var/log/voices.log" >&2
        exit 1
    fi
}

# Tries the command after TRIES every 0.1 s until it succeeds (0), TRIES times
# at most (1), checking that the servers still run between tries.
wait_until() {
    local tries=$1
    shift
    for _ in $(seq 1 "$tries"); do
        "$@" && return 0
        still_running
        sleep 0.1
    done
    return 1
}

if ! wait_until 150 app_ready; then
    echo "run: the app did not listen on $listen within 15 seconds" >&2
    exit 1
fi

scripts/nginx-conf.sh "$port" "$root/var" "$root" "$listen" >var/nginx/nginx.conf
setsid nginx -c "$root/var/nginx/nginx.conf" -p "$root/var/nginx/" -g 'daemon off;' </dev/null &
nginx_pid=$!
echo "$nginx_pid" >var/run/nginx.pid

# shellcheck disable=SC2317 # called through wait_until
healthy() {
    curl -fsS --max-time 2 -o /dev/null "$base_url/healthz" 2>/dev/null
}
if ! wait_until 100 healthy; then
    echo "run: $base_url/healthz did not answer within 10 seconds" >&2
    exit 1
fi

echo
echo "Voices is running at $base_url/"
found=0
for f in surveys/*.yaml; do
    [ -f "$f" ] || continue
    [ "$(basename "$f")" = ui.yaml ] && continue
    grep -q '^kind:[[:space:]]*poll' "$f" && continue
    id=$(sed -n 's/^id:[[:space:]]*["'\'']\{0,1\}\([A-Za-z0-9_-]*\).*/\1/p' "$f" | head -n 1)
    [ -n "$id" ] || continue
    found=1
    if grep -q '^audience:[[:space:]]*young' "$f"; then
        echo "  $base_url/s/$id?c=school   (?c= names the channel: school is an example)"
    else
        echo "  $base_url/s/$id"
    fi
done
[ "$found" -eq 1 ] || echo "  (no surveys in surveys/ yet)"
echo
echo "$staff_note"
echo
echo "Logs: var/log/voices.log (app), var/nginx/access.log and var/nginx/error.log (nginx)."
echo "Stop with Ctrl-C or \`make stop\`."
echo

# Stay until Ctrl-C or `make stop` (both arrive here as a signal, handled by the trap
# above), or until one of the two servers ends on its own, which is an error.
set +e
wait -n "$app_pid" "$nginx_pid"
set -e
if ! kill -0 "$app_pid" 2>/dev/null; then
    echo "run: the app stopped unexpectedly; see var/log/voices.log" >&2
else
    echo "run: nginx stopped unexpectedly; see var/nginx/error.log" >&2
fi
exit 1
