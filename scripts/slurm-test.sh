#!/usr/bin/env bash
# Sharded runs on a real Slurm (docs/cluster.md), on a one-node cluster that
# scripts/slurm-up.sh starts on localhost (installing slurm-wlm and munge
# from Debian's packages if needed) and scripts/slurm-down.sh stops.
#
# 1. one unsharded run of a small JSONL corpus, kept aside;
# 2. `sbatch --array=0-3` of the same pipeline with `--shard auto/4`, shard 2
#    made to fail on purpose (DATELINE_FAIL_SHARD=2, a test hook);
# 3. the failure is reported (Slurm's job state, the job's log, and
#    `runner shards missing` prints 2);
# 4. `sbatch --array=$(runner shards missing …)` resubmits it; then
#    `runner shards merge`, and every merged output is compared byte for
#    byte with the unsharded run's;
# 5. `sbatch --array=0-3` again: every shard finds its marker and skips.
#
# Uses the runner CI already built: $RUNNER, else the newer of
# target/release/runner and target/debug/runner that knows --shard.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
started=$(date +%s%N)

# Seconds since the start, to a tenth, without bc.
elapsed() {
    local tenths=$((($(date +%s%N) - started) / 100000000))
    echo "$((tenths / 10)).$((tenths % 10))"
}

pick_runner() {
    if [ -n "${RUNNER:-}" ]; then echo "$RUNNER"; return; fi
    local best=""
    for candidate in target/release/runner target/debug/runner; do
        [ -x "$candidate" ] || continue
        "$candidate" --help 2>/dev/null | grep -q -- '--shard' || continue
        if [ -z "$best" ] || [ "$candidate" -nt "$best" ]; then best=$candidate; fi
    done
    [ -n "$best" ] || { echo "slurm-test: no runner with --shard; run cargo build -p runner first" >&2; exit 1; }
    echo "$root/$best"
}
RUNNER=$(realpath "$(pick_runner)")
export RUNNER

state=$root/target/slurm-test
work=$state/work
scripts/slurm-down.sh "$state" >/dev/null 2>&1 || true
scripts/slurm-up.sh "$state/cluster"
export SLURM_CONF=$state/cluster/slurm.conf
echo "   cluster up after $(elapsed) s"

show_logs() {
    echo "== slurm-test failed; the cluster's logs and the jobs' outputs follow" >&2
    squeue >&2 || true
    scontrol show job >&2 2>/dev/null | grep -E 'JobId|JobState|ExitCode' >&2 || true
    tail -n 30 "$state"/cluster/log/*.log >&2 || true
    tail -n 20 "$work"/logs/*.out >&2 2>/dev/null || true
}
finish() {
    local code=$?
    if [ "$code" -ne 0 ]; then show_logs; fi
    "$root/scripts/slurm-down.sh" "$state/cluster" >/dev/null || true
    exit "$code"
}
trap finish EXIT

fail() { echo "slurm-test: $*" >&2; exit 1; }

# A small corpus: 60 articles over three JSONL files, one line broken.
rm -rf "$work"
mkdir -p "$work/corpus" "$work/logs"
months=(January March May July September November)
for file in 0 1 2; do
    for line in $(seq 0 19); do
        n=$((file * 20 + line))
        printf '{"id":"a%03d","date":"2017-12-10","text":"BEIJING, %s %d, 2017 -- Officials said %d million euros, or %d percent, would be spent within %d weeks on project %d."}\n' \
            "$n" "${months[$((n % 6))]}" $((1 + n % 28)) $((10 + n * 7)) $((n % 90)) $((1 + n % 9)) "$n"
        if [ "$n" = 33 ]; then printf '{"id":"broken","text":\n'; fi
    done > "$work/corpus/part$file.jsonl"
done
cat > "$work/pipeline.toml" <<EOF
[pipeline]
threads = 1
batch_size = 4

[reader]
kind = "jsonl"
path = "corpus"

[[extractor]]
kind = "dateline"
[[extractor]]
kind = "measures"
[[extractor]]
kind = "temporal"

[[exporter]]
kind = "jsonl"
path = "out/news.jsonl"
[[exporter]]
kind = "csv"
path = "out/table.csv"
EOF
cat > "$work/shard.sbatch" <<'EOF'
#!/bin/bash
#SBATCH --job-name=dateline
#SBATCH --cpus-per-task=1
#SBATCH --output=logs/shard-%A_%a.out
# One shard of four; the index comes from SLURM_ARRAY_TASK_ID.
exec "$RUNNER" run pipeline.toml --shard auto/4 --no-progress
EOF

cd "$work"
set +e
"$RUNNER" run pipeline.toml --no-progress -q > logs/single.out 2>&1
code=$?
set -e
[ "$code" = 2 ] || fail "the single run exited $code, not 2 (one broken line); see logs/single.out"
mv out single

# Waits for every task of job $1, a bounded number of squeue checks.
wait_for() {
    local job=$1
    for _ in $(seq 600); do
        if [ -z "$(squeue -h -j "$job" 2>/dev/null)" ]; then return 0; fi
        sleep 0.2
    done
    fail "job $job still running after 120 s"
}

# The state and exit code of each task of job $1: `2 FAILED 1:0` per line.
task_states() {
    scontrol show job "$1" | awk '
        /ArrayTaskId=/ { for (i = 1; i <= NF; i++) if ($i ~ /^ArrayTaskId=/) { split($i, a, "="); task = a[2] } }
        /JobState=/ { for (i = 1; i <= NF; i++) if ($i ~ /^JobState=/) { split($i, a, "="); jobstate = a[2] } }
        /ExitCode=/ { for (i = 1; i <= NF; i++) if ($i ~ /^ExitCode=/) { split($i, a, "="); print task, jobstate, a[2] } }' | sort -n
}

echo "== sbatch --array=0-3, shard 2 failing on purpose"
job=$(DATELINE_FAIL_SHARD=2 sbatch --parsable --array=0-3 shard.sbatch)
wait_for "$job"
states=$(task_states "$job")
echo "$states" | sed 's/^/   task /'
echo "$states" | grep -qx '2 FAILED 1:0' || fail "task 2 is not reported FAILED with exit code 1"
[ "$(echo "$states" | grep -c COMPLETED)" = 3 ] || fail "tasks 0, 1 and 3 did not all complete"
grep -q 'DATELINE_FAIL_SHARD=2: shard 2/4 fails on purpose' "logs/shard-${job}_2.out" \
    || fail "the job log of task 2 does not say why it failed"
[ ! -e out/news.part-00002-of-00004.jsonl ] || fail "the failed shard wrote a part"
missing=$("$RUNNER" -q shards missing out --of 4)
[ "$missing" = 2 ] || fail "runner shards missing printed '$missing', not 2"
echo "   runner shards missing out --of 4: $missing"

echo "== sbatch --array=$missing (the resubmission)"
job=$(sbatch --parsable --array="$missing" shard.sbatch)
wait_for "$job"
task_states "$job" | sed 's/^/   task /'
missing=$("$RUNNER" -q shards missing out --of 4)
[ -z "$missing" ] || fail "still missing after the resubmission: $missing"

echo "== runner shards merge out --of 4"
set +e
"$RUNNER" -q shards merge out --of 4 > logs/merge.out
code=$?
set -e
sed 's/^/   /' logs/merge.out
[ "$code" = 2 ] || fail "runner shards merge exited $code, not 2 (one document failed)"
for name in news.jsonl news.errors.jsonl table.csv table.errors.jsonl; do
    cmp "single/$name" "out/$name" || fail "out/$name differs from the single run's"
    echo "   out/$name: identical to the single run ($(wc -l < "out/$name") lines)"
done
[ -s out/_SUCCESS ] || fail "no out/_SUCCESS"

echo "== sbatch --array=0-3 again: every shard is done already"
job=$(sbatch --parsable --array=0-3 shard.sbatch)
wait_for "$job"
for task in 0 1 2 3; do
    grep -q "^shard $task/4: already done" "logs/shard-${job}_$task.out" \
        || fail "task $task did not skip: $(cat "logs/shard-${job}_$task.out")"
done
[ "$(task_states "$job" | grep -c 'COMPLETED 0:0')" = 4 ] || fail "not every skipping task exited 0"
echo "   4 of 4 shards skipped (their markers match)"

echo "slurm-test: passed in $(elapsed) s (runner: $RUNNER)"
