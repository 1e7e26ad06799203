#!/usr/bin/env bash
# Evaluates the entities extractor (after the news tokenizer, dateline and
# ner) on its development corpus, crates/extractors/entities/eval/corpus.jsonl,
# and on the held-out paragraphs (eval/heldout.jsonl), and fails when chain,
# role or place accuracy falls below the floor
# recorded in crates/extractors/entities/eval/reached.toml.
#
# Needs nothing beside the checkout: the corpus, the GeoNames extract and
# the NER model are committed.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cargo run --release --quiet --manifest-path "$root/Cargo.toml" -p entities --example entities_eval -- --check
cargo run --release --quiet --manifest-path "$root/Cargo.toml" -p entities --example entities_eval -- --corpus heldout --check
