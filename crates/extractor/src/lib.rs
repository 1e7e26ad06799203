//! The built-in extractors of Dateline, registered in one place.
//!
//! Every extractor lives in a crate of its own under
//! `crates/extractors/<name>`, depends on `document` and nothing else of
//! Dateline's, and is registered here. This crate is the one place that
//! knows them all, so that the pipeline and the runner depend on it alone
//! and never change when an extractor is added.
//!
//! # Adding an extractor
//!
//! 1. Create the crate `crates/extractors/<name>` (the workspace's
//!    `crates/extractors/*` member glob picks it up) with a type that
//!    implements [`document::Component`] and [`document::Extractor`]; copy
//!    `crates/extractors/dateline`, the worked example.
//! 2. Add one dependency line to `crates/extractor/Cargo.toml`:
//!    `<name> = { path = "../extractors/<name>" }`.
//! 3. Add one registration line to [`register`] below.
//!
//! Then `kind = "<KIND>"` works in an `[[extractor]]` entry of a pipeline
//! file. `docs/writing-an-extractor.md` walks through the three steps.
//!
//! # Why the shared helpers are not here
//!
//! This crate depends on every extractor crate, so no extractor crate can
//! depend on it: shared code placed here could be reached by nobody who
//! needs it. Helpers that one extractor exports and later ones will want
//! (the month names and year resolution of `dateline`, for instance) stay
//! public in that extractor's crate until a second extractor needs them,
//! and then move down into a small crate that both depend on, or into
//! `document`. So this crate holds registration only, deliberately.

use document::Registry;

/// Registers every built-in extractor kind, one line per extractor crate.
pub fn register(registry: &mut Registry) {
    registry.add_extractor::<dateline::DatelineExtractor>();
    registry.add_extractor::<entities::EntitiesExtractor>();
    registry.add_extractor::<measures::MeasuresExtractor>();
    registry.add_extractor::<ner::NerExtractor>();
    registry.add_extractor::<patterns::PatternsExtractor>();
    registry.add_extractor::<quotes::QuotesExtractor>();
    registry.add_extractor::<temporal::TemporalExtractor>();
}

#[cfg(test)]
mod tests {
    use super::*;
    use document::{BuildContext, Document, Stage, json};

    fn registry() -> Registry {
        let mut registry = Registry::new();
        register(&mut registry);
        registry
    }

    #[test]
    fn registers_dateline_with_its_options() {
        let registry = registry();
        let kind = registry.extractor("dateline").expect("dateline is registered");
        assert!(!kind.description.is_empty());
        let options: Vec<_> =
            kind.options.iter().map(|option| (option.name, option.ty, option.default)).collect();
        assert_eq!(
            options,
            [("max_paragraphs", "integer", Some("3")), ("emit_places", "boolean", Some("true"))]
        );
        assert!(registry.kinds(Stage::Extractor).iter().any(|(name, ..)| *name == "dateline"));
    }

    #[test]
    fn registers_quotes_with_its_options() {
        let registry = registry();
        let kind = registry.extractor("quotes").expect("quotes is registered");
        let options: Vec<_> =
            kind.options.iter().map(|option| (option.name, option.ty, option.default)).collect();
        assert_eq!(
            options,
            [("indirect", "boolean", Some("true")), ("partial", "boolean", Some("true"))]
        );
    }

    #[test]
    fn kinds_are_unique() {
        let registry = registry();
        let mut kinds: Vec<_> = registry.kinds(Stage::Extractor).into_iter().map(|k| k.0).collect();
        let count = kinds.len();
        kinds.sort_unstable();
        kinds.dedup();
        assert_eq!(kinds.len(), count, "two extractor crates claim the same kind");
    }

    #[test]
    fn a_registered_extractor_builds_and_runs() {
        let registry = registry();
        let context = BuildContext::new(".", "dateline");
        let options = json!({"max_paragraphs": 2}).as_object().cloned().unwrap_or_default();
        let extractor = registry.extractor("dateline").unwrap().build(options, &context).unwrap();
        let mut document = Document::new("d", "LONDON (Reuters) - Britain said.");
        extractor.extract(&mut document).unwrap();
        let labels: Vec<&str> = document.annotations.iter().map(|a| a.label.as_str()).collect();
        assert_eq!(labels, ["DATELINE", "LOC"]);
    }
}
