//! The document model and the plug-in traits of Dateline.
//!
//! This is the crate a plug-in author depends on, and nothing else: it holds
//! what flows through a pipeline ([`Document`], [`Span`], [`Token`],
//! [`Sentence`], [`Annotation`], [`Date`]), the four stage traits
//! ([`Reader`], [`Tokenizer`], [`Extractor`], [`Exporter`]) and the
//! [`Registry`] through which every crate announces its component kinds.
//! It deliberately knows nothing about TOML, threads or files, so that it
//! stays small and stable while the rest of the workspace changes.
//!
//! # Offsets
//!
//! Inside the process every offset is a *byte* offset into
//! [`Document::text`], because that is what Rust slices with and what costs
//! nothing to compute. A [`Span`] is only ever attached to a document after
//! it has been checked to lie on `char` boundaries inside the text
//! ([`Span::checked`], [`Document::annotate`]), so slicing with it cannot
//! panic. Exporters, and extractors that write offsets inside a value,
//! convert to Unicode code points, the unit of the output contract
//! (`docs/output.md`), in one linear pass ([`CharOffsets`]).
//!
//! # Errors
//!
//! Every fallible call returns [`anyhow::Result`]. An error from a stage
//! fails that one document; the pipeline records it with the stage's name
//! and goes on with the rest.

mod annotation;
mod date;
mod document;
mod offsets;
mod registry;
mod shard;
mod span;
mod stage;

pub use annotation::Annotation;
pub use date::{Date, Weekday};
pub use document::{Document, Entity, Failure, Sentence, Severity, Token, TokenKind};
pub use offsets::CharOffsets;
pub use registry::{
    BuildContext, Component, ComponentKind, ComponentOptions, NoOptions, OptionDoc, OptionsError,
    Registry, Stage, parse_options, suggest,
};
pub use shard::{MAX_SHARDS, Shard};
pub use span::{Span, SpanError};
pub use stage::{
    DocumentStream, Encoder, Exporter, Extractor, FileCheckpoint, Reader, StableHasher, Tokenizer,
};

/// JSON values, re-exported so that plug-ins build annotation values with
/// the same `serde_json` version the exporters serialise.
pub use serde_json::{Map, Value, json};
