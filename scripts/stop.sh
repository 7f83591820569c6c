#!/usr/bin/env bash
# Stops what scripts/run.sh started (make stop): nginx finishes the requests it has and the
# app drains its workers, then both exit. Safe to run when nothing is running.
set -euo pipefail

cd "$(dirname "$0")/.."

# shellcheck source=scripts/proc.sh
. scripts/proc.sh

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

stop_wait stop 30 "${pids[@]}"
rm -f var/run/voices.pid var/run/nginx.pid
[ -n "${VOICES_STOP_FROM_RUN:-}" ] || rm -f var/run/run.pid
echo "stop: stopped"
