#!/usr/bin/env bash
# Stops the throwaway PostgreSQL cluster started by scripts/pg-start.sh. Its data stays in DIR;
# delete the directory to start afresh next time.
#
# Usage: scripts/pg-stop.sh [DIR]   (DIR defaults to /tmp/copydesk-pg)
set -euo pipefail

dir=${1:-/tmp/copydesk-pg}

log() { echo "pg-stop: $*" >&2; }

initdb=$(ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1 || true)
if [[ -z $initdb ]]; then
    log "PostgreSQL is not installed; nothing to stop"
    exit 0
fi
bin=$(dirname "$initdb")

as_owner() {
    if [[ $EUID -eq 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

if [[ ! -f $dir/PG_VERSION ]]; then
    log "no cluster in $dir; nothing to stop"
    exit 0
fi
if ! as_owner "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
    log "the cluster in $dir is not running"
    exit 0
fi
as_owner "$bin/pg_ctl" -D "$dir" -m fast -w stop >&2
log "stopped the cluster in $dir"
