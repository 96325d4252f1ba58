#!/usr/bin/env bash
# Research synthesis at scale: 100,000 short customer texts with eight planted themes and 5%
# chatter, generated deterministically in Rust (crates/copydesk-assist/tests/research/corpus.rs),
# through copydesk_assist::research::synthesize. Release build, via `cargo bench`; prints wall
# time, items per second, the process's peak RSS (VmHWM) and the themes found against the
# planted ones.
#
#   bench/research.sh                    100,000 items, best of 3 runs
#   bench/research.sh --items 20000      another size
#   bench/research.sh --runs 1
set -euo pipefail
cd "$(dirname "$0")/.."
cargo bench -p copydesk-assist --bench research --locked -- "$@"
