#!/usr/bin/env bash
# Experiment analysis at scale: `copydesk experiment analyze --batch` over 10,000 experiments
# in one CSV (deterministic: awk with a fixed seed; a third of them with three arms, a mix of
# winners, losers and nulls), release build. Prints the file's size, wall time (best of N runs),
# experiments per second and the peak RSS (GNU time, when installed).
#
#   bench/experiments.sh                     10,000 experiments, conversion metric, best of 3
#   bench/experiments.sh --experiments 100000 --runs 1
#   bench/experiments.sh --metric mean       variant,users,sum,sum_squares instead
set -euo pipefail
cd "$(dirname "$0")/.."

experiments=10000
runs=3
metric=conversion
while [ $# -gt 0 ]; do
  case "$1" in
    --experiments) experiments="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --metric) metric="$2"; shift 2 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done

cargo build --release --locked -p copydesk --quiet
bin=target/release/copydesk
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
csv="$work/batch.csv"

awk -v n="$experiments" -v metric="$metric" 'BEGIN {
  srand(42)
  if (metric == "mean") print "experiment,variant,users,sum,sum_squares"
  else print "experiment,variant,users,conversions"
  for (e = 1; e <= n; e++) {
    arms = (e % 3 == 0) ? 3 : 2
    base = 0.02 + rand() * 0.10
    for (a = 0; a < arms; a++) {
      users = int(2000 + rand() * 40000)
      lift = (a == 0) ? 0 : (rand() - 0.4) * 0.3
      if (metric == "mean") {
        m = 40 * (1 + lift); sd = 30
        s = m * users; ss = sd * sd * (users - 1) + s * s / users
        printf "exp-%06d,v%d,%d,%.4f,%.4f\n", e, a, users, s, ss
      } else {
        printf "exp-%06d,v%d,%d,%d\n", e, a, users, int(users * base * (1 + lift))
      }
    }
  }
}' > "$csv"

rows=$(($(wc -l < "$csv") - 1))
bytes=$(wc -c < "$csv")
echo "$experiments experiments ($metric), $rows rows, $bytes bytes"

best=""
for _ in $(seq "$runs"); do
  start=$(date +%s.%N)
  "$bin" experiment analyze --batch "$csv" > "$work/out.jsonl"
  end=$(date +%s.%N)
  t=$(echo "$end - $start" | bc -l)
  if [ -z "$best" ] || [ "$(echo "$t < $best" | bc -l)" = 1 ]; then best=$t; fi
done
lines=$(wc -l < "$work/out.jsonl")
[ "$lines" -eq "$experiments" ] || { echo "expected $experiments JSON lines, got $lines" >&2; exit 1; }
printf 'best of %s: %.3f s, %.0f experiments/s, output %s bytes\n' \
  "$runs" "$best" "$(echo "$experiments / $best" | bc -l)" "$(wc -c < "$work/out.jsonl")"
if command -v /usr/bin/time > /dev/null; then
  /usr/bin/time -f 'peak RSS %M KiB' "$bin" experiment analyze --batch "$csv" > /dev/null
fi
