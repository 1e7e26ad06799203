//! The cost of the `jsonl`, `parquet` and `sqlite` exporters alone, on the
//! same documents: the JSONL output of a run (its annotations included) is
//! read back into documents once, then each exporter writes all of them
//! and finishes, `passes` times; the best time of each is reported with
//! its ratio to `jsonl`. `scripts/bench-exporters.sh` runs it on the BBC
//! corpus after timing the whole pipeline with each exporter.
//!
//! ```sh
//! cargo run --release -p pipeline --example exporters_throughput -- out/bbc.jsonl 3
//! ```

use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context;
use document::{Annotation, BuildContext, Date, Document, Map, Span, Value, json};

/// Code-point offset → byte offset in `text`.
fn byte_offsets(text: &str) -> Vec<usize> {
    text.char_indices().map(|(byte, _)| byte).chain([text.len()]).collect()
}

fn document_from_line(line: &str) -> anyhow::Result<Document> {
    let record: Map<String, Value> = serde_json::from_str(line)?;
    let text = record.get("text").and_then(Value::as_str).context("no text (text = false?)")?;
    let id = record.get("id").and_then(Value::as_str).unwrap_or_default();
    let mut document = Document::new(id, text);
    document.source = record.get("source").and_then(Value::as_str).unwrap_or_default().into();
    document.date =
        record.get("date").and_then(Value::as_str).and_then(|date| date.parse::<Date>().ok());
    if let Some(Value::Object(metadata)) = record.get("metadata") {
        document.metadata = metadata.clone();
    }
    let bytes = byte_offsets(text);
    let offset = |value: Option<&Value>| -> anyhow::Result<usize> {
        let chars = value.and_then(Value::as_u64).context("offset")?;
        bytes.get(usize::try_from(chars)?).copied().context("offset beyond the text")
    };
    if let Some(header) = record.get("header") {
        document.header = Some(Span::new(offset(header.get("start"))?, offset(header.get("end"))?));
    }
    for annotation in record.get("annotations").and_then(Value::as_array).into_iter().flatten() {
        let span = Span::new(offset(annotation.get("start"))?, offset(annotation.get("end"))?);
        let label = annotation.get("label").and_then(Value::as_str).unwrap_or_default();
        let mut built = Annotation::new(label, span);
        built.extractor =
            annotation.get("extractor").and_then(Value::as_str).unwrap_or_default().into();
        built.value = annotation.get("value").cloned();
        if let Some(Value::Object(attrs)) = annotation.get("attrs") {
            built.attrs = Some(attrs.clone());
        }
        document.annotate(built)?;
    }
    Ok(document)
}

/// Seconds to write every document with a fresh exporter and finish it.
fn time_exporter(kind: &str, options: Value, documents: &[Document]) -> anyhow::Result<f64> {
    let registry = pipeline::builtin_registry();
    let options = options.as_object().cloned().unwrap_or_default();
    let started = Instant::now();
    let mut exporter = registry
        .exporter(kind)
        .context("unknown kind")?
        .build(options, &BuildContext::new(".", kind).with_pipeline("bench"))
        .map_err(|errors| anyhow::anyhow!("{}", errors[0]))?;
    for document in documents {
        exporter.write(document)?;
    }
    exporter.finish()?;
    Ok(started.elapsed().as_secs_f64())
}

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let input =
        PathBuf::from(args.next().context("usage: exporters_throughput OUT.jsonl [PASSES]")?);
    let passes: usize = args.next().map(|passes| passes.parse()).transpose()?.unwrap_or(3);
    let documents = std::fs::read_to_string(&input)
        .with_context(|| format!("cannot read {}", input.display()))?
        .lines()
        .map(document_from_line)
        .collect::<anyhow::Result<Vec<Document>>>()?;
    let annotations: usize = documents.iter().map(|document| document.annotations.len()).sum();
    let megabytes: f64 =
        documents.iter().map(|document| document.text.len()).sum::<usize>() as f64 / 1e6;
    println!(
        "{} documents, {annotations} annotations, {megabytes:.1} MB of text; best of {passes} passes",
        documents.len()
    );
    let folder = std::env::temp_dir().join(format!("dateline-exporters-{}", std::process::id()));
    std::fs::create_dir_all(&folder)?;
    let path = |name: &str| -> String { folder.join(name).to_string_lossy().into_owned() };
    let kinds: [(&str, Value); 3] = [
        ("jsonl", json!({"path": path("out.jsonl")})),
        ("parquet", json!({"path": path("out.parquet")})),
        ("sqlite", json!({"path": path("out.sqlite")})),
    ];
    let mut jsonl_seconds = None;
    for (kind, options) in &kinds {
        let mut best = f64::INFINITY;
        for _ in 0..passes.max(1) {
            // A fresh output each pass (the sqlite exporter would otherwise
            // also delete the previous pass's run).
            std::fs::remove_dir_all(&folder)?;
            std::fs::create_dir_all(&folder)?;
            best = best.min(time_exporter(kind, options.clone(), &documents)?);
        }
        let size: u64 = std::fs::read_dir(&folder)?
            .filter_map(Result::ok)
            .filter(|entry| !entry.file_name().to_string_lossy().contains(".errors."))
            .filter_map(|entry| entry.metadata().ok())
            .map(|metadata| metadata.len())
            .sum();
        let jsonl = *jsonl_seconds.get_or_insert(best);
        println!(
            "{kind:8} {best:7.3} s  {:5.2}x jsonl  {:6.1} MB written",
            best / jsonl,
            size as f64 / 1e6
        );
    }
    std::fs::remove_dir_all(&folder)?;
    Ok(())
}
