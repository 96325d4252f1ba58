#!/usr/bin/env bash
# Every check copydesk has, as CI runs it: formatting, lints, docs, and all test suites on
# SQLite and on a real PostgreSQL server started here from Debian's packages (installed with
# apt-get when missing, which needs root), and the web app in Debian's headless Chromium.
# Usage: scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*" >&2; }

# A clean clone gains nothing from incremental state or full debug info; both only fill the
# disk (about 6 GB of target/ with them, which once ran a CI machine out of space).
# Line tables keep file:line in a failing test's backtrace.
export CARGO_INCREMENTAL=0
export CARGO_PROFILE_DEV_DEBUG=line-tables-only
free_kib=$(df -Pk . | awk 'NR == 2 { print $4 }')
if [ "${free_kib:-0}" -lt $((3 * 1024 * 1024)) ]; then
    echo "warning: only $((free_kib / 1024)) MiB free here; a full run needs about 3 GiB" >&2
fi

step "formatting"
cargo fmt --all --check

step "lints"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "docs"
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --locked --quiet

step "PostgreSQL"
# a free loopback port, so a developer's own cluster is left alone
port=5433
while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
    port=$((port + 1))
done
pg_dir=$(mktemp -d /tmp/copydesk-test-pg.XXXXXX)
cleanup() {
    scripts/pg-stop.sh "$pg_dir" >/dev/null 2>&1 || true
    rm -rf "$pg_dir"
}
trap cleanup EXIT
COPYDESK_TEST_PG_URL=$(PGPORT=$port scripts/pg-start.sh "$pg_dir" | tail -n 1)
export COPYDESK_TEST_PG_URL
# tests fail rather than skip PostgreSQL when it is missing
export COPYDESK_REQUIRE_PG=1

step "tests (SQLite and PostgreSQL at $COPYDESK_TEST_PG_URL)"
cargo test --workspace --locked

step "browser tests (headless Chromium, axe-core)"
scripts/browser-test.sh

step "all checks passed"
