#!/usr/bin/env bash
# Evaluates the temporal extractor on the TempEval-3 training data
# (TimeBank + AQUAINT, 256 documents) and fails when relaxed span F1,
# strict span F1 or value F1 falls more than 0.01 below the figure
# recorded in crates/extractors/temporal/eval/reached.toml.
#
# Needs ../shared beside the checkout (skips with a message without it).
# Builds the release runner once, runs pipelines/timeml.toml with its
# input pointed at the TempEval data and its output at a temporary folder,
# then `runner eval timex … --floors reached.toml`.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
gold="$root/../shared/data/tempeval3/train"
if [[ ! -d "$gold" ]]; then
    echo "eval-timex: skipped, $gold is absent"
    exit 0
fi
floors="$root/crates/extractors/temporal/eval/reached.toml"

cargo build --release -p runner --manifest-path "$root/Cargo.toml"
runner="$root/target/release/runner"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The committed pipeline, with its two paths replaced.
sed -e "s|^path = .*|path = \"$gold\"|" -e "s|^dir = .*|dir = \"$work/out\"|" \
    "$root/pipelines/timeml.toml" > "$work/timeml.toml"
sed -i -e 's|^on_error = .*|on_error = "abort"|' "$work/timeml.toml"

"$runner" run "$work/timeml.toml" --no-progress --quiet
"$runner" eval timex "$gold" "$work/out" --floors "$floors" --tolerance 0.01
