//! Trains a model without the runner (for experiments while the rest of the
//! workspace is in flux): `cargo run --release -p ner --example ner_train --
//! TRAIN DEV OUT [EPOCHS] [BITS]`. The committed model is made with
//! `runner train ner`, which does the same.

use ner::train::{TrainOptions, train};

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [train_path, dev_path, out, rest @ ..] = args.as_slice() else {
        anyhow::bail!("usage: train TRAIN DEV OUT [EPOCHS] [BITS]");
    };
    let mut options = TrainOptions::default();
    if let Some(epochs) = rest.first() {
        options.epochs = epochs.parse()?;
    }
    if let Some(bits) = rest.get(1) {
        options.bits = bits.parse()?;
    }
    let read = |path: &String| -> anyhow::Result<_> {
        Ok(ner::conll::parse_corpus(&String::from_utf8_lossy(&std::fs::read(path)?)))
    };
    let model = train(&read(train_path)?, &read(dev_path)?, &options, |report| {
        println!(
            "epoch {:>2}: {} mistakes; dev P {:.4} R {:.4} F1 {:.4}",
            report.epoch,
            report.mistakes,
            report.dev.overall.precision(),
            report.dev.overall.recall(),
            report.dev.overall.f1()
        );
    });
    std::fs::write(out, model.to_bytes()?)?;
    Ok(())
}
