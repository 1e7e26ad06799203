#!/usr/bin/env bash
# Evaluates the committed NER model on CoNLL-2003 eng.testa and fails when
# its entity-level F1 falls below the recorded figure minus 0.005.
#
# The recorded figure is the one number in crates/extractors/ner/model/testa-f1.
# Needs ../shared beside the checkout (skips with a message without it).
# Builds the release runner once, runs pipelines/conll.toml's pipeline with
# its paths pointed at a temporary folder, then `runner eval ner`.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
testa="$root/../shared/data/conll2003/eng.testa"
if [[ ! -f "$testa" ]]; then
    echo "eval-ner: skipped, $testa is absent"
    exit 0
fi
recorded="$(tr -d ' \n' < "$root/crates/extractors/ner/model/testa-f1")"

cargo build --release -p runner --manifest-path "$root/Cargo.toml"
runner="$root/target/release/runner"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cat > "$work/conll.toml" <<TOML
[pipeline]
name = "eval-ner"
on_error = "abort"

[reader]
kind = "conll"
path = "$testa"

[tokenizer]
kind = "news"

[[extractor]]
kind = "ner"

[[exporter]]
kind = "conll"
path = "$work/testa.conll"
TOML

"$runner" run "$work/conll.toml"
"$runner" eval ner "$work/testa.conll"
f1="$("$runner" eval ner "$work/testa.conll" --json | sed -n 's/.*"overall":{[^}]*"f1":\([0-9.]*\)}.*/\1/p')"
if [[ -z "$f1" ]]; then
    echo "eval-ner: could not read the F1 from runner eval ner --json" >&2
    exit 1
fi
if awk -v f1="$f1" -v recorded="$recorded" 'BEGIN { exit !(f1 + 0.005 < recorded) }'; then
    echo "eval-ner: FAILED, eng.testa F1 $f1 is below the recorded $recorded - 0.005" >&2
    exit 1
fi
echo "eval-ner: ok, eng.testa F1 $f1 (recorded $recorded)"
