#!/usr/bin/env bash
# Fuzzes copydesk-guard's document front ends and checks (cargo-fuzz target `front_end`, see
# docs/fuzzing.md). Usage: scripts/fuzz.sh [SECONDS] [libFuzzer args...]   (SECONDS: 300)
#
# - Works on the stable toolchain: cargo-fuzz passes nightly-only rustc flags, which
#   RUSTC_BOOTSTRAP=1 allows. AddressSanitizer is tried first and falls back to
#   `--sanitizer none` if its build fails; FUZZ_SANITIZER=address|none skips the probe.
# - Fuzzes a COPY of the committed seeds (crates/copydesk-guard/fuzz/corpus/front_end) in
#   target/fuzz-corpus/front_end, so the committed folder never grows; the copy keeps what
#   earlier runs found.
# - Keeps going after a crash: libFuzzer stops at the first one, so it is started again on the
#   grown corpus until SECONDS have passed. Crashing inputs are in
#   crates/copydesk-guard/fuzz/artifacts/front_end/; the script exits 1 when a run found any.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

seconds=${1:-300}
[ $# -gt 0 ] && shift
case $seconds in
    '' | *[!0-9]*)
        echo "usage: scripts/fuzz.sh [SECONDS] [libFuzzer args...]" >&2
        exit 2
        ;;
esac

step() { printf '\n==> %s\n' "$*" >&2; }

if ! cargo fuzz --version >/dev/null 2>&1; then
    step "installing cargo-fuzz"
    cargo install cargo-fuzz --locked
fi

export RUSTC_BOOTSTRAP=1
fuzz_dir=$root/crates/copydesk-guard/fuzz
name=front_end
work=$root/target/fuzz-corpus/$name
artifacts=$fuzz_dir/artifacts/$name
mkdir -p "$work" "$artifacts"
cp -f "$fuzz_dir/corpus/$name"/* "$work"/
cd "$fuzz_dir"

sanitizer=${FUZZ_SANITIZER:-}
if [ -z "$sanitizer" ]; then
    step "building with AddressSanitizer"
    if cargo fuzz build --sanitizer address "$name"; then
        sanitizer=address
    else
        step "AddressSanitizer build failed: using --sanitizer none"
        sanitizer=none
    fi
fi

marker=$(mktemp)
log=$(mktemp)
trap 'rm -f "$marker" "$log"' EXIT
deadline=$((SECONDS + seconds))
runs=0 execs=0
while :; do
    # the library may change between runs: rebuild first, then give libFuzzer what time is left
    cargo fuzz build --sanitizer "$sanitizer" "$name"
    left=$((deadline - SECONDS))
    [ "$left" -gt 0 ] || break
    runs=$((runs + 1))
    step "run $runs: fuzzing $name for ${left}s (sanitizer: $sanitizer, corpus: $work)"
    status=0
    cargo fuzz run --sanitizer "$sanitizer" "$name" "$work" -- \
        -max_total_time="$left" -print_final_stats=1 "$@" 2>&1 | tee "$log" || status=$?
    n=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    execs=$((execs + ${n:-0}))
    [ "$status" -eq 0 ] && break
    if ! grep -aq 'Test unit written to\|Failing input' "$log"; then
        echo "cargo fuzz failed without a crash (exit $status): see above" >&2
        exit "$status"
    fi
    step "crash found (kept in $artifacts); starting again"
done

elapsed=$((seconds - (deadline - SECONDS)))
crashes=$(find "$artifacts" -maxdepth 1 -type f \( -name 'crash-*' -o -name 'oom-*' -o -name 'timeout-*' \) -newer "$marker" | sort)
step "done: ${elapsed}s in $runs run(s), $execs executions ($((execs / (elapsed > 0 ? elapsed : 1))) exec/s), corpus $(find "$work" -type f | wc -l) files"
if [ -n "$crashes" ]; then
    echo "crashing inputs found by this run:" >&2
    echo "$crashes" >&2
    exit 1
fi
