#!/usr/bin/env bash
# The web app in real headless Chromium: installs Debian's chromium (and Node.js when
# missing) with apt-get, the test's npm packages from the lock file, builds copydesk and runs
# crates/copydesk-server/tests/browser/run.mjs. Screenshots go to target/browser-screenshots.
# Usage: scripts/browser-test.sh
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf 'browser-test: %s\n' "$*" >&2; }

missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
if ((${#missing[@]})); then
    if [[ $(id -u) -ne 0 ]]; then
        log "needs ${missing[*]}; install them (apt-get install ${missing[*]}) or run as root"
        exit 1
    fi
    log "installing ${missing[*]} with apt-get"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

cargo build --locked -p copydesk --quiet
cd crates/copydesk-server/tests/browser
npm ci --no-audit --no-fund --loglevel=error
COPYDESK_BIN="$OLDPWD/target/debug/copydesk" SCREENSHOTS="$OLDPWD/target/browser-screenshots" \
    CHROMIUM="$(command -v chromium)" node run.mjs
