"""Reads the parquet and sqlite outputs of one run back and compares them
with the JSONL output of the same run (scripts/check-tables.sh runs it).

    python check_tables.py OUT.jsonl OUT.parquet OUT.sqlite RUN_NAME

Checks, for the parquet files with pyarrow and DuckDB and for the database
with Python's sqlite3: row counts equal to the JSONL documents and
annotations; every annotation row equal to its JSONL annotation (label,
offsets, text, extractor, value); `text[start:end]` of the document text
equal to the annotation text; the typed columns (`amount`, `currency`,
`timex`) equal to the fields of `value`; the Arrow schema pyarrow reads;
the FTS5 index answering a query; one complete run of that name in the
database. Prints one line per check and exits 1 on the first failure.
"""

import collections
import datetime
import json
import sqlite3
import sys

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq


def fail(message):
    print(f"check-tables: FAILED: {message}", file=sys.stderr)
    sys.exit(1)


def check(condition, message):
    if not condition:
        fail(message)


def load_jsonl(path):
    documents = []
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            documents.append(json.loads(line))
    return documents


def expected_rows(documents):
    """(doc_id, label, start, end, text, extractor, value) per annotation."""
    rows = []
    for document in documents:
        for a in document["annotations"]:
            rows.append((document["id"], a["label"], a["start"], a["end"], a["text"],
                         a["extractor"], a.get("value")))
    return rows


DOCUMENT_SCHEMA = [
    ("id", pa.string()), ("source", pa.string()), ("date", pa.date32()),
    ("text", pa.string()), ("header_start", pa.int64()), ("header_end", pa.int64()),
    ("metadata", pa.string()),
]
ANNOTATION_SCHEMA = [
    ("doc_id", pa.string()), ("label", pa.string()), ("start", pa.int64()),
    ("end", pa.int64()), ("text", pa.string()), ("extractor", pa.string()),
    ("value", pa.string()), ("attrs", pa.string()), ("amount", pa.string()),
    ("currency", pa.string()), ("unit", pa.string()), ("timex", pa.string()),
    ("speaker", pa.string()), ("lat", pa.float64()), ("lon", pa.float64()),
]


def check_typed(rows, what):
    """rows: dicts with label, value (decoded), amount, currency, timex."""
    typed = collections.Counter()
    for row in rows:
        value = row["value"]
        if isinstance(value, dict):
            if "amount" in value and value["amount"] is not None:
                check(row["amount"] == str(value["amount"]),
                      f"{what}: amount {row['amount']!r} != value {value!r}")
                typed["amount"] += 1
            if value.get("currency") is not None:
                check(row["currency"] == value["currency"],
                      f"{what}: currency {row['currency']!r} != value {value!r}")
                typed["currency"] += 1
        elif isinstance(value, str):
            check(row["timex"] == value, f"{what}: timex {row['timex']!r} != value {value!r}")
            typed["timex"] += 1
        else:
            check(row["amount"] is None and row["timex"] is None,
                  f"{what}: typed columns without a value: {row!r}")
    return typed


def check_parquet(documents, prefix):
    documents_path = f"{prefix}.documents.parquet"
    annotations_path = f"{prefix}.annotations.parquet"
    doc_table = pq.read_table(documents_path)
    ann_table = pq.read_table(annotations_path)
    check([(f.name, f.type) for f in doc_table.schema] == DOCUMENT_SCHEMA,
          f"documents schema as pyarrow reads it: {doc_table.schema}")
    check([(f.name, f.type) for f in ann_table.schema] == ANNOTATION_SCHEMA,
          f"annotations schema as pyarrow reads it: {ann_table.schema}")
    codecs = {pq.ParquetFile(annotations_path).metadata.row_group(0).column(i).compression
              for i in range(len(ANNOTATION_SCHEMA))} if ann_table.num_rows else {"ZSTD"}
    check(codecs == {"ZSTD"}, f"compression {codecs}")

    check(doc_table.num_rows == len(documents),
          f"parquet documents {doc_table.num_rows} != jsonl {len(documents)}")
    docs = doc_table.to_pylist()
    texts = {}
    for got, want in zip(docs, documents):
        check(got["id"] == want["id"] and got["source"] == want["source"],
              f"document {got['id']} != {want['id']}")
        want_date = want["date"] and datetime.date.fromisoformat(want["date"])
        check(got["date"] == (want_date or None), f"{got['id']}: date {got['date']} != {want['date']}")
        check(got["text"] == want["text"], f"{got['id']}: text differs")
        header = want.get("header")
        check((got["header_start"], got["header_end"]) ==
              ((header["start"], header["end"]) if header else (None, None)),
              f"{got['id']}: header")
        check((json.loads(got["metadata"]) if got["metadata"] else {}) == want.get("metadata", {}),
              f"{got['id']}: metadata {got['metadata']!r}")
        texts[got["id"]] = got["text"]

    expected = expected_rows(documents)
    errors_jsonl = prefix + ".errors.jsonl"
    with open(errors_jsonl, encoding="utf-8") as lines:
        failures = [json.loads(line) for line in lines]
    errors = pq.read_table(f"{prefix}.errors.parquet").to_pylist()
    check(errors == failures, f"errors parquet {errors[:3]} != {errors_jsonl} {failures[:3]}")
    check(ann_table.num_rows == len(expected),
          f"parquet annotations {ann_table.num_rows} != jsonl {len(expected)}")
    rows = ann_table.to_pylist()
    for row, want in zip(rows, expected):
        row["value"] = json.loads(row["value"]) if row["value"] is not None else None
        got = (row["doc_id"], row["label"], row["start"], row["end"], row["text"],
               row["extractor"], row["value"])
        check(got == want, f"annotation {got} != jsonl {want}")
        sliced = texts[row["doc_id"]][row["start"]:row["end"]]
        check(sliced == row["text"], f"text[{row['start']}:{row['end']}] = {sliced!r} != {row['text']!r}")
    typed = check_typed(rows, "parquet")
    print(f"parquet (pyarrow {pa.__version__}): {doc_table.num_rows} documents, "
          f"{ann_table.num_rows} annotations, {len(errors)} failures, {pq.ParquetFile(annotations_path).num_row_groups} "
          f"row group(s); rows, offsets and values equal to JSONL; typed {dict(typed)}")

    # DuckDB: counts per label and one join, straight from the files.
    labels = collections.Counter(want[1] for want in expected)
    got_labels = dict(duckdb.sql(
        f"SELECT label, count(*) FROM read_parquet('{annotations_path}') GROUP BY label").fetchall())
    check(got_labels == dict(labels), f"duckdb labels {got_labels} != jsonl {dict(labels)}")
    mismatched = duckdb.sql(
        f"SELECT count(*) FROM read_parquet('{annotations_path}') a "
        f"JOIN read_parquet('{documents_path}') d ON d.id = a.doc_id "
        f"WHERE substring(d.text, a.start + 1, a.\"end\" - a.start) <> a.text").fetchone()[0]
    check(mismatched == 0, f"duckdb: {mismatched} annotations whose offsets do not slice their text")
    money = duckdb.sql(
        f"SELECT count(*) FROM read_parquet('{annotations_path}') "
        f"WHERE label = 'MONEY' AND CAST(amount AS DECIMAL(38, 6)) > 0 AND currency IS NOT NULL"
    ).fetchone()[0]
    want_money = sum(1 for document in documents for a in document["annotations"]
                     if a["label"] == "MONEY" and isinstance(a.get("value"), dict)
                     and a["value"].get("currency") is not None
                     and a["value"].get("amount") is not None and float(a["value"]["amount"]) > 0)
    check(money == want_money,
          f"duckdb: {money} MONEY rows with amount and currency, JSONL has {want_money}")
    print(f"parquet (duckdb {duckdb.__version__}): label counts equal, offsets slice the text, "
          f"{money} MONEY amounts cast to DECIMAL")


def check_sqlite(documents, path, run):
    connection = sqlite3.connect(path)
    runs = connection.execute("SELECT run_id, state, documents, annotations FROM runs WHERE name = ?",
                              (run,)).fetchall()
    check(len(runs) == 1 and runs[0][1] == "complete", f"runs of {run}: {runs}")
    run_id = runs[0][0]
    expected = expected_rows(documents)
    check(runs[0][2:] == (len(documents), len(expected)), f"runs row {runs[0]}")
    got_docs = connection.execute(
        "SELECT id, text, date FROM documents WHERE run_id = ? ORDER BY rowid", (run_id,)).fetchall()
    check(len(got_docs) == len(documents), f"sqlite documents {len(got_docs)} != {len(documents)}")
    for (doc_id, text, date), want in zip(got_docs, documents):
        check((doc_id, text, date) == (want["id"], want["text"], want["date"]),
              f"sqlite document {doc_id}")
    cursor = connection.execute(
        "SELECT doc_id, label, start, \"end\", text, extractor, value, amount, currency, timex "
        "FROM annotations WHERE run_id = ? ORDER BY rowid", (run_id,))
    rows = []
    for got in cursor:
        rows.append({"doc_id": got[0], "label": got[1], "start": got[2], "end": got[3],
                     "text": got[4], "extractor": got[5],
                     "value": json.loads(got[6]) if got[6] is not None else None,
                     "amount": got[7], "currency": got[8], "timex": got[9]})
    check(len(rows) == len(expected), f"sqlite annotations {len(rows)} != jsonl {len(expected)}")
    for row, want in zip(rows, expected):
        got = (row["doc_id"], row["label"], row["start"], row["end"], row["text"],
               row["extractor"], row["value"])
        check(got == want, f"sqlite annotation {got} != jsonl {want}")
    typed = check_typed(rows, "sqlite")
    bad = connection.execute(
        "SELECT count(*) FROM annotations a JOIN documents d ON d.id = a.doc_id AND d.run_id = a.run_id "
        "WHERE a.run_id = ? AND substr(d.text, a.start + 1, a.\"end\" - a.start) <> a.text",
        (run_id,)).fetchone()[0]
    check(bad == 0, f"sqlite: {bad} annotations whose offsets do not slice their text")
    # FTS5: a word of the first document finds it.
    words = [w for w in documents[0]["text"].split() if w.isalpha() and len(w) > 4] if documents else []
    if words:
        found = [row[0] for row in connection.execute(
            "SELECT d.id FROM documents_fts JOIN documents d ON d.rowid = documents_fts.rowid "
            "WHERE documents_fts MATCH ? AND d.run_id = ?", (f'"{words[0]}"', run_id))]
        check(documents[0]["id"] in found, f"FTS5 query {words[0]!r} did not find {documents[0]['id']}")
    plan = " ".join(str(r) for r in connection.execute(
        "EXPLAIN QUERY PLAN SELECT * FROM annotations WHERE label = 'MONEY'"))
    check("annotations_label" in plan, f"label index unused: {plan}")
    print(f"sqlite (SQLite {sqlite3.sqlite_version}): run {run!r} complete, {len(got_docs)} documents, "
          f"{len(rows)} annotations equal to JSONL; typed {dict(typed)}; "
          f"FTS5 finds {words[0] if words else '-'!r}; label index used")


def main():
    if len(sys.argv) != 5:
        fail("usage: check_tables.py OUT.jsonl OUT.parquet OUT.sqlite RUN_NAME")
    jsonl, parquet, database, run = sys.argv[1:]
    documents = load_jsonl(jsonl)
    check(documents, f"{jsonl} is empty")
    prefix = parquet[: -len(".parquet")] if parquet.endswith(".parquet") else parquet
    check_parquet(documents, prefix)
    check_sqlite(documents, database, run)


if __name__ == "__main__":
    main()
