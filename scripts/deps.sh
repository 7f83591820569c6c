#!/usr/bin/env bash
# Installs what building, running and testing Voices needs, and only what is missing.
# Debian 12. Runs as root, or through sudo otherwise. A no-op in well under two seconds
# when everything is already there.
#
#   scripts/deps.sh           what make run, make check and make bench need
#   scripts/deps.sh cluster   that, and what make cluster needs besides: Patroni, etcd
set -euo pipefail

cd "$(dirname "$0")/.."

# Debian packages: build tools, the libraries the app links, the front end and the test tools.
PKGS=(
    build-essential pkg-config clang libclang-rt-14-dev
    libfcgi-dev libsqlite3-dev sqlite3 libsodium-dev check libyaml-dev libstemmer-dev
    libutf8proc-dev libxlsxwriter-dev libqrencode-dev libjansson-dev libpq-dev postgresql-15
    chromium fonts-liberation fonts-dejavu-core wrk valgrind curl ca-certificates
)

# make cluster's replicated PostgreSQL: Patroni (with its etcd client) and etcd; iptables
# for make cluster-test's network round.
if [ "${1:-}" = cluster ]; then
    PKGS+=(patroni python3-etcd python3-psycopg2 etcd-server etcd-client iptables)
elif [ -n "${1:-}" ]; then
    echo "usage: $0 [cluster]" >&2
    exit 2
fi

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null 2>&1; then
        echo "deps: not root and sudo is not installed; run as root" >&2
        exit 1
    fi
    SUDO=(sudo)
fi

installed() {
    # True when every named package is installed ("install ok installed").
    local status
    status=$(dpkg-query -W -f='${db:Status-Status}\n' "$@" 2>/dev/null) || return 1
    [ "$(grep -c '^installed$' <<<"$status")" -eq "$#" ]
}

missing=()
for p in "${PKGS[@]}"; do
    installed "$p" || missing+=("$p")
done

# Any packaged nginx will do (nginx-light, nginx, nginx-full ...); nginx-light is the smallest.
if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
    missing+=(nginx-light)
fi

# Node.js >= 18 from anywhere (a distribution of its own, or Debian's) is fine as it is.
node_major=0
if command -v node >/dev/null 2>&1; then
    node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
fi
if [ "$node_major" -lt 18 ]; then
    missing+=(nodejs npm)
elif ! command -v npm >/dev/null 2>&1; then
    # Debian's npm goes with Debian's nodejs only; a Node.js installed otherwise brings its own.
    if installed nodejs && ! dpkg-query -W -f='${Version}' nodejs | grep -q nodesource; then
        missing+=(npm)
    else
        echo "deps: node $(node --version) is installed without npm; install its npm first" >&2
        exit 1
    fi
fi

if [ "${#missing[@]}" -gt 0 ]; then
    echo "deps: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    "${SUDO[@]}" apt-get update -q
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# The browser and accessibility test libraries, at the versions package-lock.json pins.
if [ ! -f node_modules/playwright-core/package.json ] || [ ! -f node_modules/axe-core/axe.min.js ]; then
    echo "deps: installing the test libraries from the npm registry"
    if [ -f package-lock.json ]; then
        npm ci --no-audit --no-fund --loglevel=error
    else
        npm install --no-audit --no-fund --loglevel=error
    fi
fi
