#!/usr/bin/env bash
# Runs the cargo-fuzz targets in fuzz/ (docs/reliability.md), each for
# SECONDS (default 600), from a seed corpus made of the seed articles, the
# shipped pipelines and small hand-made inputs, and prints one line per
# target: executions, corpus size and whether anything was found.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]
#
# Findings land in fuzz/artifacts/<target>/; replay one with
#   RUSTC_BOOTSTRAP=1 cargo fuzz run <target> fuzz/artifacts/<target>/<file>
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-600}
shift || true
if [ $# -gt 0 ]; then
    targets=("$@")
else
    targets=(tokenizer extractor_dateline extractor_measures extractor_temporal extractor_ner
             extractor_entities extractor_quotes extractor_patterns
             reader_text reader_jsonl reader_timeml reader_conll pipeline_toml)
fi

command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
# libFuzzer needs -Z flags; this machine has one stable toolchain, which
# accepts them with RUSTC_BOOTSTRAP.
export RUSTC_BOOTSTRAP=1

seeds=fuzz/seeds
texts=(seeds/*.txt)
small_texts=(
    "TRIPOLI, Dec. 9 (Xinhua) -- Libya's UN-backed Prime Minister Fayez Serraj said on Saturday that 35 million euros will arrive next week."
    "On 12/10/2017 at 10:30 a.m. local time, \"We need more cooperation,\" Serraj said, \"particularly on the borders.\""
    "The 1990s saw a 5 percent rise; in the first quarter of 2019 it cost \$1.5 billion, or 2,000 tonnes, every year."
)
for target in "${targets[@]}"; do
    rm -rf "${seeds:?}/$target"
    mkdir -p "$seeds/$target"
    index=0
    add() { printf '%s' "$1" > "$seeds/$target/seed-$index"; index=$((index + 1)); }
    case "$target" in
        tokenizer|extractor_*)
            # Four bytes choose the document date (first byte odd: a date).
            for file in "${texts[@]}"; do
                { printf '\x01\x75\x0b\x09'; cat "$file"; } > "$seeds/$target/seed-$index"
                index=$((index + 1))
            done
            for text in "${small_texts[@]}"; do
                # A zero first byte: no document date.
                { printf '\x00\x00\x00\x00'; printf '%s' "$text"; } > "$seeds/$target/seed-$index"
                index=$((index + 1))
            done
            ;;
        reader_text)
            for file in "${texts[@]}"; do cp "$file" "$seeds/$target/seed-$index"; index=$((index + 1)); done
            ;;
        reader_jsonl)
            add '{"id": "a", "text": "Libya said on Saturday.", "date": "2017-12-10"}
{"id": 7, "text": "x"}
{"text": "no id", "extra": [1, {"b": null}]}'
            ;;
        reader_timeml)
            add '<?xml version="1.0" ?><TimeML><DOCID>ABC</DOCID><DCT><TIMEX3 tid="t0" type="DATE" value="1998-01-08" functionInDocument="CREATION_TIME">01/08/1998</TIMEX3></DCT><TEXT>The talks ended <TIMEX3 tid="t1" type="DATE" value="1998-01-07">yesterday</TIMEX3> &amp; resume &lt;soon&gt;.</TEXT></TimeML>'
            ;;
        reader_conll)
            add '-DOCSTART- -X- -X- O

EU NNP B-NP B-ORG
rejects VBZ B-VP O
German JJ B-NP B-MISC
call NN I-NP O
. . O O

Peter NNP B-NP B-PER
Blackburn NNP I-NP I-PER
'
            ;;
        pipeline_toml)
            for file in pipelines/*.toml; do cp "$file" "$seeds/$target/seed-$index"; index=$((index + 1)); done
            ;;
    esac
done

mkdir -p fuzz/logs
printf '%-20s %14s %8s %s\n' target executions corpus findings
for target in "${targets[@]}"; do
    mkdir -p "fuzz/corpus/$target"
    log="fuzz/logs/$target.log"
    status=0
    cargo fuzz run --release "$target" "fuzz/corpus/$target" "$seeds/$target" -- \
        -max_total_time="$seconds" -timeout=60 -rss_limit_mb=4096 -max_len=65536 \
        -print_final_stats=1 > "$log" 2>&1 || status=$?
    executions=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
    corpus=$(find "fuzz/corpus/$target" -type f | wc -l)
    if [ "$status" -eq 0 ]; then findings=none; else findings="FOUND (exit $status, see $log)"; fi
    printf '%-20s %14s %8s %s\n' "$target" "$executions" "$corpus" "$findings"
done
