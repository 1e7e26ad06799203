#!/usr/bin/env bash
# Evaluates the temporal extractor on the TempEval-3 training data
# (TimeBank + AQUAINT, 256 documents) and fails when relaxed span F1,
# strict span F1 or value F1 falls more than 0.01 below the figure
# recorded in crates/extractors/temporal/eval/reached.toml.
#
# Needs ../shared beside the checkout (skips with a message without it).
# Builds the release runner once, runs pipelines/timeml.toml with its
# input pointed at the TempEval data and its output at a temporary folder,
# then `runner eval timex … --floors reached.toml`. Last, not gated, it
# prints value F1 against a copy of the gold with the values listed in
# crates/extractors/temporal/eval/gold-errata.tsv corrected.
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

# Not gated: value F1 against the gold with the errata in
# crates/extractors/temporal/eval/gold-errata.tsv applied (values that
# contradict their own words; docs/temporal.md).
errata="$root/crates/extractors/temporal/eval/gold-errata.tsv"
cp -r "$gold" "$work/gold-corrected"
python3 - "$errata" "$work/gold-corrected" <<'PY'
import glob, re, sys
errata, folder = sys.argv[1], sys.argv[2]
rows = [line.rstrip("\n").split("\t") for line in open(errata, encoding="utf-8")
        if line.strip() and not line.startswith("#")][1:]
for document, tid, text, gold, words, _why in rows:
    paths = glob.glob(f"{folder}/*/{document}.tml")
    if len(paths) != 1:
        sys.exit(f"eval-timex: erratum {document}: {len(paths)} gold files of that name")
    path = paths[0]
    # newline="": the gold mixes CRLF and LF files; keep their bytes.
    source = open(path, encoding="utf-8", newline="").read()
    tag = re.compile(r'<TIMEX3 [^>]*\btid="%s"[^>]*>%s</TIMEX3>' % (tid, re.escape(text)))
    found = tag.search(source)
    if not found or f'value="{gold}"' not in found.group(0):
        sys.exit(f"eval-timex: erratum {document} {tid} no longer matches the gold")
    fixed = found.group(0).replace(f'value="{gold}"', f'value="{words}"')
    source = source[: found.start()] + fixed + source[found.end():]
    open(path, "w", encoding="utf-8", newline="").write(source)
print(f"gold with {len(rows)} errata applied (not gated):")
PY
"$runner" eval timex "$work/gold-corrected" "$work/out" | grep '^value'
