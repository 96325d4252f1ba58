#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster for copydesk's tests and prints its admin URL as the
# last line on stdout (everything else goes to stderr):
#
#   export COPYDESK_TEST_PG_URL=$(scripts/pg-start.sh)
#
# Usage: scripts/pg-start.sh [DIR]   (DIR defaults to /tmp/copydesk-pg; port is $PGPORT or 5433)
#
# As root on Debian/Ubuntu it installs the postgresql package when no server is installed and
# runs the cluster as the `postgres` user (initdb refuses to run as root). As any other user it
# runs the cluster as that user. The cluster trusts every local connection: tests only.
# Running it again while the cluster is up just prints the URL. Stop it with scripts/pg-stop.sh.
set -euo pipefail

dir=${1:-/tmp/copydesk-pg}
port=${PGPORT:-5433}
url="postgres://postgres@127.0.0.1:${port}/postgres"

log() { echo "pg-start: $*" >&2; }

pg_bindir() {
    local initdb
    initdb=$(ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1 || true)
    [[ -n $initdb ]] && dirname "$initdb"
}

bin=$(pg_bindir || true)
if [[ -z $bin ]]; then
    if [[ $EUID -ne 0 ]]; then
        log "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb); run as root to install it"
        exit 1
    fi
    log "installing postgresql with apt-get"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq --no-install-recommends postgresql >&2
    bin=$(pg_bindir || true)
    if [[ -z $bin ]]; then
        log "apt-get installed postgresql but no initdb was found under /usr/lib/postgresql"
        exit 1
    fi
fi

# Run a PostgreSQL tool as the cluster's owner.
as_owner() {
    if [[ $EUID -eq 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

if [[ -f $dir/PG_VERSION ]] && as_owner "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
    log "already running in $dir"
    echo "$url"
    exit 0
fi

if [[ ! -f $dir/PG_VERSION ]]; then
    log "creating a cluster in $dir with $bin/initdb"
    mkdir -p "$dir"
    if [[ $EUID -eq 0 ]]; then
        chown postgres:postgres "$dir"
    fi
    chmod 700 "$dir"
    as_owner "$bin/initdb" -D "$dir" --auth=trust -U postgres -E UTF8 --no-sync >&2
fi

log "starting on 127.0.0.1:$port (log: $dir/log)"
if ! as_owner "$bin/pg_ctl" -D "$dir" -l "$dir/log" \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1" -w start >&2; then
    log "the server did not start; the end of $dir/log:"
    tail -n 20 "$dir/log" >&2 || true
    exit 1
fi

for _ in $(seq 1 60); do
    if "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" -U postgres; then
        echo "$url"
        exit 0
    fi
    sleep 0.5
done
log "the server started but does not accept connections on 127.0.0.1:$port; see $dir/log"
exit 1
