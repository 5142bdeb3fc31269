#!/usr/bin/env bash
# One shard of a hashwatt run: the task every scheduler starts N times.
#
# Which shard it is comes from the scheduler:
#   Slurm job array:          SLURM_ARRAY_TASK_ID (1..N) and SLURM_ARRAY_TASK_COUNT
#   Kubernetes Indexed Job:   JOB_COMPLETION_INDEX (0..N-1, shifted to 1..N) and SHARDS
#   anything else:            SHARD (1..N) and SHARDS
# What to run comes from the job's environment:
#   SCENARIO  the scenario file          PATHS  paths of the whole run
#   SEED      the seed (default 1)       OUT    the folder for every shard's result
#   HASHWATT  the binary (default: hashwatt on PATH)
set -euo pipefail

if [[ -n "${SLURM_ARRAY_TASK_ID:-}" ]]; then
  k=$SLURM_ARRAY_TASK_ID
  n=${SLURM_ARRAY_TASK_COUNT:?Slurm did not set SLURM_ARRAY_TASK_COUNT}
elif [[ -n "${JOB_COMPLETION_INDEX:-}" ]]; then
  # Kubernetes counts completions from 0; hashwatt's shards count from 1.
  k=$((JOB_COMPLETION_INDEX + 1))
  n=${SHARDS:?set SHARDS to the number of completions of the Job}
else
  k=${SHARD:?set SHARD (1..N), or run under Slurm or a Kubernetes Indexed Job}
  n=${SHARDS:?set SHARDS}
fi

: "${SCENARIO:?set SCENARIO}" "${PATHS:?set PATHS}" "${OUT:?set OUT}"
hashwatt=${HASHWATT:-hashwatt}
mkdir -p "$OUT"
exec "$hashwatt" run "$SCENARIO" --paths "$PATHS" --seed "${SEED:-1}" \
  --shard "$k/$n" --progress plain --out "$OUT/shard-$k-of-$n"
