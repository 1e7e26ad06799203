#!/usr/bin/env bash
# The browser check of the `html` exporter, and the screenshots of
# docs/output.md.
#
# 1. Runs pipelines/report.toml (every extractor over seeds/) into
#    out/report/ and renders index.html and the first document page with
#    headless Chromium into out/screenshots/{index,document}.png.
# 2. Checks through the DOM (--dump-dom) that the highlights and charts are
#    there: DATELINE, LOC and MONEY marks on the document page, the
#    label table, the bar charts and the timeline on the index.
# 3. Runs the report of one more article whose text holds
#    <script>alert(1)</script> and checks that the browser shows it as text
#    (the DOM holds the escaped text and no script element).
#
# Installs Debian's `chromium` when no Chromium is on the PATH (needs root
# or sudo). Exits non-zero on the first failed check.
#
#   scripts/html-report.sh            # the check and the screenshots
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

browser="$(command -v chromium || command -v chromium-browser || true)"
if [[ -z "$browser" ]]; then
    echo "html-report: installing Debian's chromium"
    if [[ "$(id -u)" == 0 ]]; then apt_get=(apt-get); else apt_get=(sudo apt-get); fi
    "${apt_get[@]}" install -y --no-install-recommends chromium >/dev/null \
        || { "${apt_get[@]}" update >/dev/null && "${apt_get[@]}" install -y --no-install-recommends chromium >/dev/null; }
    browser="$(command -v chromium)"
fi

cargo build -p runner
runner="$root/target/debug/runner"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Headless Chromium with a fresh profile each time and nothing fetched.
chrome() {
    "$browser" --headless --no-sandbox --disable-gpu --disable-background-networking \
        --disable-component-update --no-first-run --hide-scrollbars \
        --user-data-dir="$(mktemp -d "$work/profile.XXXX")" "$@" 2>/dev/null
}

fail() {
    echo "html-report: FAILED: $*" >&2
    exit 1
}

# Fails unless the DOM in file $1 contains the fixed string $2.
expect() {
    grep -qF -- "$2" "$1" || fail "$(basename "$1") lacks: $2"
}

"$runner" run pipelines/report.toml --no-progress
report="$root/out/report"
page="$(ls "$report"/docs/*.html | head -n 1)"
shots="$root/out/screenshots"
mkdir -p "$shots"
chrome --window-size=1200,1500 --screenshot="$shots/index.png" "file://$report/index.html"
chrome --window-size=1200,1500 --screenshot="$shots/document.png" "file://$page"
[[ -s "$shots/index.png" && -s "$shots/document.png" ]] || fail "no screenshots"

chrome --dump-dom "file://$report/index.html" > "$work/index.dom"
chrome --dump-dom "file://$page" > "$work/document.dom"
expect "$work/index.dom" '<table id="labels">'
expect "$work/index.dom" 'data-label="DATELINE"><td><span class="swatch sw"></span>DATELINE</td><td class="n">2</td>'
expect "$work/index.dom" '<svg class="bars" data-label="LOC"'
expect "$work/index.dom" '<svg id="timeline"'
expect "$work/index.dom" '<rect class="bar"'
expect "$work/index.dom" '<table id="amounts">'
expect "$work/index.dom" '<table id="documents">'
expect "$work/document.dom" 'data-label="DATELINE" title="DATELINE: agency: Xinhua'
expect "$work/document.dom" 'data-label="LOC"'
expect "$work/document.dom" 'title="MONEY: 35,000,000 EUR">35 million euros'
if grep -qiE '(src|href)="https?:' "$work/index.dom" "$work/document.dom"; then
    fail "a page refers to the network"
fi

# The hostile article.
mkdir -p "$work/in"
printf 'A test page.\n\nIts text holds <script>alert(1)</script> as text.\n' > "$work/in/hostile.txt"
cat > "$work/hostile.toml" <<TOML
[reader]
kind = "text"
path = "in"

[tokenizer]
kind = "news"

[[extractor]]
kind = "dateline"

[[exporter]]
kind = "html"
dir = "report"
TOML
"$runner" run "$work/hostile.toml" --no-progress >/dev/null
chrome --dump-dom "file://$work/report/docs/000001-hostile.html" > "$work/hostile.dom"
expect "$work/hostile.dom" 'Its text holds &lt;script&gt;alert(1)&lt;/script&gt; as text.'
if grep -qi '<script' "$work/hostile.dom"; then
    fail "the hostile article's script became an element"
fi

echo "html-report: ok (screenshots in out/screenshots/)"
