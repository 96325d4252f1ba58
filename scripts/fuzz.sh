#!/usr/bin/env bash
# Fuzzes copydesk-guard's document front ends and checks (target `front_end`, see
# docs/fuzzing.md). Usage: scripts/fuzz.sh [SECONDS]   (default 300)
#
# Works on the stable toolchain: cargo-fuzz passes nightly-only rustc flags, which
# RUSTC_BOOTSTRAP=1 allows. AddressSanitizer is tried first; if that build fails, the run falls
# back to `--sanitizer none` (safe Rust: panics and assertion failures are still caught).
# Set FUZZ_SANITIZER=address|none to skip the probe.
#
# The fuzzer runs on a copy of the committed seed corpus, so the committed folder never grows;
# the copy is kept in target/fuzz-corpus/front_end (new inputs are merged back only by hand,
# see docs/fuzzing.md). Crashes land in crates/copydesk-guard/fuzz/artifacts/front_end/.
# Extra arguments after SECONDS go to libFuzzer (e.g. -jobs=2 -workers=2).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

seconds=${1:-300}
shift || true
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
target_name=front_end
seeds=$fuzz_dir/corpus/$target_name
work=$root/target/fuzz-corpus/$target_name
mkdir -p "$work"
# the working corpus keeps what earlier runs found; the seeds are added afresh each time
cp -f "$seeds"/* "$work"/
cd "$fuzz_dir"

sanitizer=${FUZZ_SANITIZER:-}
if [ -z "$sanitizer" ]; then
    step "building with AddressSanitizer"
    if cargo fuzz build --sanitizer address "$target_name"; then
        sanitizer=address
    else
        step "AddressSanitizer build failed; falling back to --sanitizer none"
        sanitizer=none
    fi
fi

step "fuzzing $target_name for ${seconds}s (sanitizer: $sanitizer, corpus: $work)"
cargo fuzz run --sanitizer "$sanitizer" "$target_name" "$work" -- \
    -max_total_time="$seconds" -print_final_stats=1 "$@"
