//! `cargo bench -p dateline-benches`: each stage of the news pipeline on
//! fixed inputs (the seeds; the first BBC files when ../shared is there).
//! Throughput is in bytes of text and in whitespace-separated words
//! ("elements"), the harness's one definition of a word.
//!
//! Quick run: `cargo bench -p dateline-benches -- --warm-up-time 1 --measurement-time 2`.
//! One stage: `cargo bench -p dateline-benches -- extractor/ner`.

use std::hint::black_box;
use std::path::Path;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use dateline_benches::{bbc, documents, news_pipeline, scratch, seeds, staged, words};
use document::{BuildContext, Document, Map, Value};

fn stages(c: &mut Criterion, input_name: &str, input: &Path, limit: usize) {
    let out = scratch(input_name);
    let pipeline = news_pipeline(input, &out);
    let raw = documents(&pipeline, limit);
    let bytes: u64 = raw.iter().map(|document| document.text.len() as u64).sum();
    let word_count = words(&raw);
    let mut group = c.benchmark_group(input_name);
    let throughputs = [Throughput::Bytes(bytes), Throughput::Elements(word_count)];

    // Reader: listing, reading and decoding the files (warm page cache).
    // Only for the seeds: the BBC sample is a prefix of a larger folder.
    if limit == usize::MAX {
        for throughput in &throughputs {
            group.throughput(throughput.clone());
            let unit = unit(throughput);
            group.bench_function(format!("reader/text/{unit}"), |b| {
                b.iter(|| match pipeline.reader.component.open() {
                    Ok(stream) => black_box(stream.count()),
                    Err(error) => panic!("{error:#}"),
                })
            });
        }
    }
    group.throughput(Throughput::Elements(word_count));

    group.bench_function(format!("tokenizer/{}", pipeline.tokenizer.name), |b| {
        b.iter_batched(
            || raw.clone(),
            |mut documents| {
                for document in &mut documents {
                    let _ = black_box(pipeline.tokenizer.component.tokenize(document));
                }
                documents
            },
            BatchSize::SmallInput,
        )
    });

    for (index, extractor) in pipeline.extractors.iter().enumerate() {
        let input = staged(&pipeline, &raw, index);
        group.bench_function(format!("extractor/{}", extractor.name), |b| {
            b.iter_batched(
                || input.clone(),
                |mut documents| {
                    for document in &mut documents {
                        let _ = black_box(extractor.component.extract(document));
                    }
                    documents
                },
                BatchSize::SmallInput,
            )
        });
    }

    // What a worker does to a document: the tokenizer and every extractor.
    group.bench_function("chain/tokenizer+extractors", |b| {
        b.iter_batched(
            || raw.clone(),
            |mut documents| {
                for document in &mut documents {
                    let _ = black_box(pipeline.tokenizer.component.tokenize(document));
                    for extractor in &pipeline.extractors {
                        let _ = black_box(extractor.component.extract(document));
                    }
                }
                documents
            },
            BatchSize::SmallInput,
        )
    });

    // The jsonl exporter writing fully annotated documents into a fresh
    // file per sample (finishing it, with its fsync, is not timed).
    let annotated = staged(&pipeline, &raw, pipeline.extractors.len());
    let registry = pipeline::builtin_registry();
    let Some(jsonl) = registry.exporter("jsonl") else { panic!("no jsonl exporter") };
    group.bench_function("exporter/jsonl", |b| {
        b.iter_custom(|iterations| {
            let folder = out.join("jsonl");
            let _ = std::fs::remove_dir_all(&folder);
            let _ = std::fs::create_dir_all(&folder);
            let mut options = Map::new();
            options.insert("path".into(), Value::String("bench.jsonl".into()));
            let context = BuildContext::new(&folder, "jsonl");
            let mut exporter = match jsonl.build(options, &context) {
                Ok(exporter) => exporter,
                Err(errors) => panic!("{errors:?}"),
            };
            let started = std::time::Instant::now();
            for _ in 0..iterations {
                for document in &annotated {
                    let _ = black_box(exporter.write(black_box(document)));
                }
            }
            let elapsed = started.elapsed();
            let _ = exporter.finish();
            let _ = std::fs::remove_dir_all(&folder);
            elapsed
        })
    });
    group.finish();
    drop::<Vec<Document>>(annotated);
    let _ = std::fs::remove_dir_all(&out);
}

fn unit(throughput: &Throughput) -> &'static str {
    match throughput {
        Throughput::Bytes(_) => "bytes",
        _ => "words",
    }
}

fn seeds_benches(c: &mut Criterion) {
    stages(c, "seeds", &seeds(), usize::MAX);
}

fn bbc_benches(c: &mut Criterion) {
    if let Some(bbc) = bbc() {
        stages(c, "bbc-sample", &bbc, dateline_benches::BBC_SAMPLE);
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = seeds_benches, bbc_benches
}
criterion_main!(benches);
