#!/usr/bin/env bash
# Stops what scripts/run.sh started (make stop): nginx finishes the requests it has and the
# app drains its workers, then both exit. Safe to run when nothing is running.
set -euo pipefail

cd "$(dirname "$0")/.."

running() { # running PID: the process exists and is not a zombie
    local state
    [ -r "/proc/$1/stat" ] || return 1
    state=$(sed 's/^.*) \(.\).*/\1/' "/proc/$1/stat" 2>/dev/null) || return 1
    [ "$state" != Z ]
}

pid_of() { # pid_of PIDFILE NAME: the pid in PIDFILE if it is running a program called NAME
    local pid
    [ -f "$1" ] || return 1
    pid=$(cat "$1" 2>/dev/null) || return 1
    [[ "$pid" =~ ^[0-9]+$ ]] || return 1
    running "$pid" || return 1
    grep -qa -- "$2" "/proc/$pid/cmdline" 2>/dev/null || return 1
    echo "$pid"
}

wait_gone() { # wait_gone SECONDS PID...: true when all have exited in time
    local limit=$(($1 * 10)) pid left
    shift
    for ((i = 0; i < limit; i++)); do
        left=0
        for pid in "$@"; do
            if running "$pid"; then left=1; fi
        done
        [ "$left" -eq 0 ] && return 0
        sleep 0.1
    done
    return 1
}

# A foreground `make run` in another shell: ask it to stop; it stops the servers itself.
if [ -z "${VOICES_STOP_FROM_RUN:-}" ] && run_pid=$(pid_of var/run/run.pid run.sh); then
    kill -TERM "$run_pid" 2>/dev/null || true
    if wait_gone 40 "$run_pid"; then
        echo "stop: stopped"
        exit 0
    fi
    echo "stop: scripts/run.sh ($run_pid) did not stop; stopping the servers directly" >&2
fi

pids=()
if nginx_pid=$(pid_of var/run/nginx.pid nginx); then
    # Graceful: nginx stops accepting, finishes the requests in flight, then exits.
    if [ -f var/nginx/nginx.conf ]; then
        nginx -q -s quit -c "$(pwd)/var/nginx/nginx.conf" -p "$(pwd)/var/nginx/" 2>/dev/null ||
            kill -QUIT "$nginx_pid" 2>/dev/null || true
    else
        kill -QUIT "$nginx_pid" 2>/dev/null || true
    fi
    pids+=("$nginx_pid")
fi
if app_pid=$(pid_of var/run/voices.pid voices); then
    # SIGTERM: the app finishes the requests it has, commits, and exits 0.
    kill -TERM "$app_pid" 2>/dev/null || true
    pids+=("$app_pid")
fi

if [ "${#pids[@]}" -eq 0 ]; then
    rm -f var/run/voices.pid var/run/nginx.pid var/run/run.pid
    [ -n "${VOICES_STOP_FROM_RUN:-}" ] || echo "stop: nothing was running"
    exit 0
fi

if ! wait_gone 30 "${pids[@]}"; then
    for pid in "${pids[@]}"; do
        if running "$pid"; then
            echo "stop: process $pid did not exit in 30 seconds; killing it" >&2
            kill -KILL "$pid" 2>/dev/null || true
        fi
    done
    wait_gone 5 "${pids[@]}" || true
fi
rm -f var/run/voices.pid var/run/nginx.pid
[ -n "${VOICES_STOP_FROM_RUN:-}" ] || rm -f var/run/run.pid
echo "stop: stopped"
