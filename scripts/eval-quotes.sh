#!/usr/bin/env bash
# Evaluates the quotes extractor on its development corpus
# (crates/extractors/quotes/eval/corpus.txt, original articles written for
# the project, gold quotes marked inline) and fails when quote span F1,
# relaxed span F1 or speaker accuracy falls more than 0.01 below the figure
# recorded in crates/extractors/quotes/eval/reached.toml.
#
# Needs nothing beside the checkout: the corpus is in the repository.
# Runs the news tokenizer, the embedded ner model and the quotes extractor,
# as pipelines/quotes.toml does, through the `quotes_eval` example.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
floors="$root/crates/extractors/quotes/eval/reached.toml"

cargo run --release --quiet --manifest-path "$root/Cargo.toml" -p quotes --example quotes_eval -- \
    --floors "$floors" --tolerance 0.01 "$@"
