#!/usr/bin/env bash
# Guardrail library throughput on one core with every built-in check on, on the deterministic
# marketing corpus from bench/corpus.py. Usage: bench/guard-throughput.sh [MB]
set -euo pipefail
cd "$(dirname "$0")/.."
mb=${1:-12}
dir=$(mktemp -d /tmp/copydesk-throughput.XXXXXX)
trap 'rm -rf "$dir"' EXIT
python3 bench/corpus.py "$dir" --mb "$mb" >&2
cargo bench -p copydesk-guard --bench throughput --locked -- "$dir"
