# Sourced by scripts/stop.sh and scripts/cluster.sh: the processes they started, found by
# their pid files.
# shellcheck shell=bash

running() { # running PID: the process exists and is not a zombie
    local state
    [ -r "/proc/$1/stat" ] || return 1
    state=$(sed 's/^.*) \(.\).*/\1/' "/proc/$1/stat" 2>/dev/null) || return 1
    [ "$state" != Z ]
}

pid_of() { # pid_of PIDFILE NAME: the pid in PIDFILE (its first line) if it runs a program called NAME
    local pid
    [ -f "$1" ] || return 1
    pid=$(head -n 1 "$1" 2>/dev/null) || return 1
    [[ "$pid" =~ ^[0-9]+$ ]] || return 1
    running "$pid" || return 1
    grep -qa -- "$2" "/proc/$pid/cmdline" 2>/dev/null || return 1
    echo "$pid"
}

wait_gone() { # wait_gone SECONDS PID...: true when all have exited in time
    local limit=$(($1 * 10)) pid left i
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

stop_wait() { # stop_wait WHO SECONDS PID...: waits for them, then kills what is left (WHO: for the message)
    local who=$1 s=$2 pid
    shift 2
    [ "$#" -gt 0 ] || return 0
    wait_gone "$s" "$@" && return 0
    for pid in "$@"; do
        if running "$pid"; then
            echo "$who: process $pid did not exit in $s seconds; killing it" >&2
            kill -KILL "$pid" 2>/dev/null || true
        fi
    done
    wait_gone 5 "$@" || true
}
