#!/usr/bin/env bash
# Throughput and peak memory of the default pipeline (reader + tokenizer +
# dateline + jsonl) over the BBC corpus, with 1 and 2 threads, and over the
# corpus repeated 4 times (streaming: peak RSS should not grow).
# Usage: scripts/bench.sh            (needs ../shared/data/bench/bbc)
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=../shared/data/bench/bbc
[ -d "$corpus" ] || { echo "skipped: $corpus is absent"; exit 0; }

cargo build --release -p runner --quiet
runner=target/release/runner

measure() { # label, then runner arguments
    local label=$1; shift
    local log; log=$(mktemp)
    /usr/bin/time -f '%M' -o "$log.rss" "$runner" "$@" --no-progress -q > "$log"
    local words mbs secs rss
    words=$(sed -n 's/^time .* s, \(.*\) words\/s.*/\1/p' "$log")
    mbs=$(sed -n 's/^time .* words\/s, \(.*\) MB\/s/\1/p' "$log")
    secs=$(sed -n 's/^time  *\([0-9.]*\) s.*/\1/p' "$log")
    rss=$(( $(tail -1 "$log.rss") / 1024 ))
    printf '%-32s %8s s %14s words/s %8s MB/s %6s MiB peak RSS\n' "$label" "$secs" "$words" "$mbs" "$rss"
    rm -f "$log" "$log.rss"
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "== tokenizer alone, one core"
cargo run --release -p tokenizer --example tokenizer_throughput --quiet -- "$corpus" 5
echo "== default pipeline (reader + news tokenizer + dateline + jsonl)"
for threads in 1 2; do
    measure "bbc, $threads thread(s)" pipelines/bbc.toml --threads "$threads"
done
four=$(mktemp -d)
for copy in a b c d; do cp -r "$corpus" "$four/$copy"; done
sed "s|path = \"../../shared/data/bench/bbc\"|path = \"$four\"|; s|../out/bbc.jsonl|../out/bbc4.jsonl|" \
    pipelines/bbc.toml > "$four/p.toml"
# The pipeline file's folder anchors relative paths: write the output beside the repo's out/.
sed -i "s|path = \"../out/bbc4.jsonl\"|path = \"$(pwd)/out/bbc4.jsonl\"|" "$four/p.toml"
for threads in 1 2; do
    measure "bbc x4, $threads thread(s)" "$four/p.toml" --threads "$threads"
done
rm -rf "$four"
