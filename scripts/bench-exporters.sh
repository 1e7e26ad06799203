#!/usr/bin/env bash
# The cost of the parquet and sqlite exporters against jsonl on the BBC
# corpus, in one run (figures in docs/output.md):
#
# 1. the whole pipeline (text reader, news tokenizer, dateline + measures +
#    temporal) with one exporter each: jsonl, then parquet, then sqlite,
#    best of 3, with --threads 2 and --threads 1;
# 2. the exporters alone on the same documents (the jsonl output read back),
#    best of 3 (crates/pipeline/examples/exporters_throughput.rs).
#
# Usage: scripts/bench-exporters.sh        (needs ../shared/data/bench/bbc)
set -euo pipefail
cd "$(dirname "$0")/.."
corpus="$(pwd)/../shared/data/bench/bbc"
[ -d "$corpus" ] || { echo "skipped: $corpus is absent"; exit 0; }

cargo build --release -p runner --quiet
cargo build --release -p pipeline --example exporters_throughput --quiet
runner=target/release/runner
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

for kind in jsonl parquet sqlite; do
    cat > "$work/$kind.toml" <<EOF
[reader]
kind = "text"
path = "$corpus"
extensions = ["txt"]

[tokenizer]
kind = "news"

[[extractor]]
kind = "dateline"

[[extractor]]
kind = "measures"

[[extractor]]
kind = "temporal"

[[exporter]]
kind = "$kind"
path = "$work/out.$kind"
EOF
done

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== whole pipeline (reader + tokenizer + dateline + measures + temporal + one exporter), best of 3"
for threads in 2 1; do
    jsonl=""
    for kind in jsonl parquet sqlite; do
        best=""
        for _ in 1 2 3; do
            rm -f "$work/out.sqlite"
            secs=$("$runner" run "$work/$kind.toml" --threads "$threads" --no-progress -q \
                | sed -n 's/^time  *\([0-9.]*\) s.*/\1/p')
            best=$(awk -v a="$secs" -v b="$best" 'BEGIN { print (b == "" || a < b) ? a : b }')
        done
        jsonl=${jsonl:-$best}
        printf '%-8s --threads %s %8s s %6.2fx jsonl\n' "$kind" "$threads" "$best" \
            "$(awk -v a="$best" -v b="$jsonl" 'BEGIN { print a / b }')"
    done
done
echo "== the exporters alone on the same documents"
target/release/examples/exporters_throughput "$work/out.jsonl" 3
