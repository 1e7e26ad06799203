#!/usr/bin/env bash
# Sharded runs on a real corpus (docs/cluster.md): the BBC benchmark corpus
# (../shared/data/bench/bbc, 2,225 articles), once through the text reader
# and once as a single JSON Lines file, each run unsharded and as N shards
# (one process after another, as a scheduler would run them), merged with
# `runner shards merge` and compared byte for byte with the unsharded run.
# Skips with a message without ../shared.
#
#   scripts/shard-check.sh [N]          default N: 8
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
count=${1:-8}
corpus=$root/../shared/data/bench/bbc
if [ ! -d "$corpus" ]; then
    echo "skipped: $corpus is absent (../shared is only on CI and developer machines)"
    exit 0
fi
runner=${RUNNER:-}
if [ -z "$runner" ]; then
    cargo build --release -p runner --quiet
    runner=$root/target/release/runner
fi
# Seconds since $1 (date +%s%N), to a hundredth, without bc.
seconds() {
    local hundredths=$((($(date +%s%N) - $1) / 10000000))
    printf '%d.%02d' $((hundredths / 100)) $((hundredths % 100))
}

work=$root/target/shard-check
rm -rf "$work"
mkdir -p "$work"
cd "$work"

python3 - "$corpus" <<'PYEOF'
import json, os, sys
root = sys.argv[1]
paths = sorted(
    (os.path.relpath(os.path.join(folder, name), root)
     for folder, _, names in os.walk(root) for name in names if name.endswith(".txt")),
    key=lambda relative: relative.encode(),
)
with open("bbc.jsonl", "w", encoding="utf-8") as out:
    for relative in paths:
        with open(os.path.join(root, relative), "rb") as file:
            text = file.read().decode("utf-8", "replace")
        out.write(json.dumps({"id": relative[:-4], "text": text}) + "\n")
PYEOF

for kind in text jsonl; do
    if [ "$kind" = text ]; then
        reader="kind = \"text\"
path = \"$corpus\"
extensions = [\"txt\"]"
    else
        reader='kind = "jsonl"
path = "bbc.jsonl"'
    fi
    cat > "$kind.toml" <<EOF
[pipeline]
threads = 2

[reader]
$reader

[[extractor]]
kind = "dateline"
[[extractor]]
kind = "measures"
[[extractor]]
kind = "temporal"

[[exporter]]
kind = "jsonl"
path = "out-$kind/bbc.jsonl"
[[exporter]]
kind = "csv"
path = "out-$kind/table.csv"
EOF
    started=$(date +%s%N)
    set +e
    "$runner" run "$kind.toml" --no-progress -q > /dev/null
    code=$?
    set -e
    [ "$code" -le 2 ] || { echo "shard-check: the unsharded $kind run exited $code" >&2; exit 1; }
    single=$(seconds "$started")
    mv "out-$kind" "single-$kind"
    started=$(date +%s%N)
    for index in $(seq 0 $((count - 1))); do
        "$runner" run "$kind.toml" --no-progress -q --shard "$index/$count" > /dev/null
    done
    sharded=$(seconds "$started")
    set +e
    "$runner" -q shards merge "out-$kind" --of "$count" > /dev/null
    code=$?
    set -e
    [ "$code" -le 2 ] || { echo "shard-check: merge of $kind exited $code" >&2; exit 1; }
    for name in bbc.jsonl bbc.errors.jsonl table.csv table.errors.jsonl; do
        cmp "single-$kind/$name" "out-$kind/$name" \
            || { echo "shard-check: $kind $name differs from the unsharded run's" >&2; exit 1; }
    done
    printf '%-5s reader: unsharded %s s, %d shards one after another %s s; merged outputs identical (%s bytes of JSONL)\n' \
        "$kind" "$single" "$count" "$sharded" "$(wc -c < "out-$kind/bbc.jsonl")"
done
