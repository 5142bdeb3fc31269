#!/usr/bin/env bash
# Runs deploy/shard-task.sh the way a Slurm job array does, on this machine:
# N separate processes, each with its own SLURM_ARRAY_TASK_ID, writing to
# its own folder under $OUT, at most $PARALLEL at a time; then the merge.
#
#   SCENARIO=scenarios/default.toml PATHS=4000 OUT=results/shards \
#     deploy/local/job-array.sh 4
set -euo pipefail
n=${1:?usage: job-array.sh N}
here=$(cd "$(dirname "$0")/.." && pwd)
: "${OUT:?set OUT}"
parallel=${PARALLEL:-2}
pids=()
for k in $(seq 1 "$n"); do
  SLURM_ARRAY_TASK_ID=$k SLURM_ARRAY_TASK_COUNT=$n bash "$here/shard-task.sh" &
  pids+=($!)
  if (( ${#pids[@]} >= parallel )); then
    wait "${pids[0]}"
    pids=("${pids[@]:1}")
  fi
done
for pid in "${pids[@]}"; do wait "$pid"; done
exec "${HASHWATT:-hashwatt}" merge "$OUT" --out "$OUT/merged"
