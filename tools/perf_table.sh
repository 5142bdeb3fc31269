#!/usr/bin/env bash
# The table of docs/performance.md, "Every shipped scenario": each scenario
# run once on 1 thread and once on 2 (or every thread count given in
# THREADS), with its wall time, path-steps per second, its multiple of
# reference-core 20 000 paths on the same thread count (measured in the
# same run, so the ratio holds across machines that differ in speed) and
# its peak memory. Measure on a quiet machine.
#
#   cargo build --release && tools/perf_table.sh [RUNS]
#
# RUNS (default 1): runs per row; the row keeps the fastest. The base is
# measured before and after the rows (the faster kept).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=./target/release/hashwatt
runs=${1:-1}
threads=${THREADS:-"1 2"}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# scenario, paths
rows=(
  "reference-core 20000"
  "reference-core-deterministic 20000"
  "default 10000"
  "operator 10000"
  "ai-squeeze 10000"
  "backtest-2024 10000"
  "operator 100"
  "operator 1000"
)
steps_of() { "$bin" validate "scenarios/$1.toml" | sed -n 's/.* \([0-9][0-9]*\) steps.*/\1/p' | head -1; }
# Prints "seconds kib" of the fastest of $runs runs.
measure() {
  local scenario=$1 paths=$2 t=$3 best="" mem=""
  for _ in $(seq "$runs"); do
    /usr/bin/time -f '%e %M' -o "$out/time" "$bin" run "scenarios/$scenario.toml" \
      --paths "$paths" --threads "$t" --quiet --progress none --out "$out/r" >/dev/null 2>&1
    read -r s k <"$out/time"
    if [ -z "$best" ] || awk "BEGIN{exit !($s < $best)}"; then best=$s; mem=$k; fi
  done
  echo "$best $mem"
}
echo "| scenario | paths | path-steps | threads | wall | path-steps/s | × reference-core 20 000 | peak memory |"
echo "|---|---|---|---|---|---|---|---|"
min() { awk -v a="$1" -v b="$2" 'BEGIN { print (a < b ? a : b) }'; }
for t in $threads; do
  # The base is measured before and after the rows, and the faster kept,
  # so that a machine that speeds up or slows down during the table biases
  # the ratios less; its own row is the base.
  read -r base base_mem < <(measure reference-core 20000 "$t")
  measured=()
  for row in "${rows[@]}"; do
    read -r scenario paths <<<"$row"
    if [ "$row" = "reference-core 20000" ]; then
      measured+=("$row base")
    else
      read -r s k < <(measure "$scenario" "$paths" "$t")
      measured+=("$row $s $k")
    fi
  done
  read -r again _ < <(measure reference-core 20000 "$t")
  base=$(min "$base" "$again")
  for m in "${measured[@]}"; do
    read -r scenario paths s k <<<"$m"
    if [ "$s" = base ]; then s=$base; k=$base_mem; fi
    steps=$(steps_of "$scenario")
    awk -v sc="$scenario" -v p="$paths" -v st="$steps" -v t="$t" -v s="$s" -v k="$k" -v b="$base" 'BEGIN {
      ps = p * st
      printf "| %s | %d | %.2f M | %d | %.2f s | %.2f M | %.2f× | %d MiB |\n", sc, p, ps / 1e6, t, s, ps / s / 1e6, s / b, k / 1024
    }'
  done
done
