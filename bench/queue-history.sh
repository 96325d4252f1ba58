#!/usr/bin/env bash
# The queue and history benchmark: builds SQLite databases with 10k, 100k and 1M versions and
# times a reviewer's queue page, asset histories and an asset's page through the Service API
# (crates/copydesk-service/benches/queue_history.rs). Release build, via `cargo bench`.
#
#   bench/queue-history.sh              all three scales; results go into docs/benchmarks.md
#   bench/queue-history.sh --quick      10k and 100k versions only (about a minute)
#   bench/queue-history.sh --print      print the results instead of writing them
#
# Other arguments go to the benchmark: --scales 10000,50000  --iterations 500  --keep.
# The results replace what lies between the two marker lines in docs/benchmarks.md; the text
# around them is left alone. The 1M database needs about 2.5 GB under $TMPDIR (default /tmp).
set -euo pipefail
cd "$(dirname "$0")/.."

doc=docs/benchmarks.md
begin='<!-- queue-history results: begin (written by bench/queue-history.sh) -->'
end='<!-- queue-history results: end -->'

print=0
args=()
for arg in "$@"; do
    case "$arg" in
        --print) print=1 ;;
        *) args+=("$arg") ;;
    esac
done

results=$(mktemp)
trap 'rm -f "$results" "$results.bench" "$results.doc"' EXIT

cargo bench -p copydesk-service --bench queue_history -- ${args[@]+"${args[@]}"} >"$results.bench"

cpu=$(grep -m1 '^model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//' || true)
ram=$(awk '/^MemTotal/ { printf "%.0f GiB RAM", $2 / 1048576 }' /proc/meminfo 2>/dev/null || true)
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ -n "$(git status --porcelain 2>/dev/null)" ]; then
    commit="$commit (with uncommitted changes)"
fi
{
    echo "Measured $(date -u +%Y-%m-%d) at commit $commit on $(nproc) CPUs (${cpu:-unknown CPU}),"
    echo "${ram:-unknown RAM}, $(uname -sr); $(rustc --version); \`cargo bench\` (release profile)."
    echo
    cat "$results.bench"
} >"$results"

if [ "$print" = 1 ] || ! grep -qxF "$begin" "$doc" 2>/dev/null || ! grep -qxF "$end" "$doc"; then
    [ "$print" = 1 ] || echo "no result markers in $doc: printing the results instead" >&2
    cat "$results"
    exit 0
fi

awk -v begin="$begin" -v end="$end" -v results="$results" '
    $0 == begin { print; print ""; while ((getline line < results) > 0) print line; print ""; skip = 1; next }
    $0 == end { skip = 0 }
    !skip { print }
' "$doc" >"$results.doc"
cp "$results.doc" "$doc"
echo "wrote the results into $doc" >&2
