#!/usr/bin/env bash
# The reader check of the `parquet` and `sqlite` exporters (docs/output.md).
#
# 1. Creates a Python venv under target/pyenv-tables (gitignored) and
#    installs pinned pyarrow and duckdb from PyPI into it (once; later runs
#    reuse it).
# 2. Runs one pipeline (dateline + measures + temporal) over seeds/, and
#    over ../shared/data/bench/bbc when present, writing jsonl, parquet and
#    sqlite in the same run, then runs it again into the same database.
# 3. scripts/check_tables.py reads the parquet files back with pyarrow and
#    DuckDB and the database with Python's sqlite3, and compares row counts,
#    every annotation, offsets slicing the text, amounts, currencies and
#    TIMEX3 values with the JSONL output; the second run must leave one
#    complete run and no duplicate row.
#
#   scripts/check-tables.sh            # needs PyPI the first time
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

PYARROW_VERSION=26.0.1
DUCKDB_VERSION=1.4.2

venv="$root/target/pyenv-tables"
python="$venv/bin/python"
if ! "$python" -c "import pyarrow, duckdb, sys; sys.exit(pyarrow.__version__ != '$PYARROW_VERSION' or duckdb.__version__ != '$DUCKDB_VERSION')" 2>/dev/null; then
    echo "check-tables: installing pyarrow $PYARROW_VERSION and duckdb $DUCKDB_VERSION into $venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check \
        "pyarrow==$PYARROW_VERSION" "duckdb==$DUCKDB_VERSION"
fi

cargo build --release -p runner --quiet
runner="$root/target/release/runner"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# check NAME INPUT: the same run twice into one database, then the check.
check() {
    local name=$1 input=$2
    local pipeline="$work/$name.toml"
    cat > "$pipeline" <<EOF
[reader]
kind = "text"
path = "$input"

[[extractor]]
kind = "dateline"

[[extractor]]
kind = "measures"

[[extractor]]
kind = "temporal"

[[exporter]]
kind = "jsonl"
path = "$work/$name.jsonl"

[[exporter]]
kind = "parquet"
path = "$work/$name.parquet"

[[exporter]]
kind = "sqlite"
path = "$work/$name.sqlite"
EOF
    # Exit 2 (some documents failed or warned) is a completed run.
    for _ in 1 2; do
        "$runner" run "$pipeline" --no-progress -q > "$work/$name.summary" || [[ $? == 2 ]] \
            || { cat "$work/$name.summary"; echo "check-tables: FAILED: the run of $name" >&2; exit 1; }
    done
    echo "== $name ($input), run twice"
    "$python" scripts/check_tables.py "$work/$name.jsonl" "$work/$name.parquet" \
        "$work/$name.sqlite" "$name"
}

check seeds "$root/seeds"
bench="$root/../shared/data/bench/bbc"
if [[ -d "$bench" ]]; then
    check bbc "$(cd "$bench" && pwd)"
else
    echo "check-tables: skipped the BBC corpus: $bench is absent"
fi
echo "check-tables: passed"
