//! Embeds the committed model, `model/ner.model.gz`, when it exists. A
//! checkout without it (while the first model is being trained) still
//! builds: the extractor then reports at build time that it has no model.

use std::path::PathBuf;

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let model = manifest.join("model").join("ner.model.gz");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default()).join("ner.model.gz");
    println!("cargo:rerun-if-changed={}", model.display());
    println!("cargo:rerun-if-changed=model");
    let bytes = std::fs::read(&model).unwrap_or_default();
    if let Err(error) = std::fs::write(&out, bytes) {
        panic!("cannot write {}: {error}", out.display());
    }
}
