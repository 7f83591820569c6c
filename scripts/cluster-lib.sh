# Sourced by scripts/cluster-test.sh and scripts/bench-cluster.sh: the running cluster's ports
# (var/cluster/ports, written by scripts/cluster.sh), its primary, a connection to it, and an
# nginx of the caller's own in front of both app nodes.  Needs $root (the source tree).
# shellcheck shell=bash disable=SC2154 # $root is the caller's, $base comes from var/cluster/ports

C=$root/var/cluster
# shellcheck source=/dev/null
. "$C/ports"
pg_port() { echo $((base + 20 + $1)); }
rest_port() { echo $((base + 30 + $1)); }
export PGPASSFILE=$C/secrets/admin.pgpass
# The admin's connection to whichever node is the primary now.
conn="host=127.0.0.1,127.0.0.1,127.0.0.1 port=$(pg_port 1),$(pg_port 2),$(pg_port 3)"
conn+=" dbname=voices user=voices_admin target_session_attrs=read-write connect_timeout=3"

leader() { # the number of the node that holds Patroni's leader key
    local i
    for i in 1 2 3; do
        if curl -fs --max-time 1 -o /dev/null "http://127.0.0.1:$(rest_port "$i")/leader"; then
            echo "$i"
            return 0
        fi
    done
    return 1
}

# start_lb DIR: nginx from scripts/nginx-conf.sh in front of both app nodes, as the cluster's
# own, but with the per-address limits raised (all the load comes from 127.0.0.1) and room
# for a few thousand connections; its port in $tport.  Stop it with stop_lb DIR.
start_lb() {
    mkdir -p "$1/nginx"
    tport=$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
    NGINX_POST_RATE=1000000r/s NGINX_POST_BURST=100000 NGINX_ERROR_LEVEL=warn \
        scripts/nginx-conf.sh "$tport" "$1" "$root" "$C/app1/voices.sock" "$C/app2/voices.sock" |
        sed 's/worker_connections [0-9]*;/worker_connections 8192;/' >"$1/nginx/nginx.conf"
    "$(command -v nginx || echo /usr/sbin/nginx)" -c "$1/nginx/nginx.conf" -p "$1/nginx/"
}
stop_lb() {
    if [ -f "$1/nginx/nginx.pid" ]; then kill "$(cat "$1/nginx/nginx.pid")" 2>/dev/null || true; fi
}
