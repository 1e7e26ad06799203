//! How a crate announces the component kinds it provides.
//!
//! A component is a type that implements one stage trait and
//! [`Component`], which names its kind, describes it, and declares its
//! option struct. The registry turns the raw options of a pipeline entry
//! into that struct (rejecting unknown keys with a suggestion) and builds
//! the component, so that every kind reports configuration errors the same
//! way.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::{Exporter, Extractor, Reader, Tokenizer};

/// One documented option of a component kind, for `runner list`, the docs
/// and "did you mean" suggestions.
#[derive(Clone, Copy, Debug)]
pub struct OptionDoc {
    pub name: &'static str,
    /// The TOML type, in words: `string`, `integer`, `boolean`, `path`, …
    pub ty: &'static str,
    /// The default as TOML text, or `None` when the option is required.
    pub default: Option<&'static str>,
    pub doc: &'static str,
}

/// The option struct of a component kind. Derive `Deserialize` with
/// `#[serde(deny_unknown_fields)]` and list every field in `OPTIONS`.
pub trait ComponentOptions: DeserializeOwned {
    const OPTIONS: &'static [OptionDoc];
}

/// The options of a kind that has none: any key is an unknown key.
#[derive(Clone, Copy, Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoOptions {}

impl ComponentOptions for NoOptions {
    const OPTIONS: &'static [OptionDoc] = &[];
}

/// What a component needs to know about where it is configured.
#[derive(Clone, Debug)]
pub struct BuildContext {
    /// The folder relative paths resolve against: the pipeline file's folder.
    pub base_dir: PathBuf,
    /// The instance name (`name = …`, else the kind).
    pub name: String,
    /// The pipeline file's stem (`bbc` for `pipelines/bbc.toml`); empty when
    /// the component is built outside a pipeline file. Exporters that keep
    /// several runs in one store name the run after it.
    pub pipeline: String,
    /// The shard this run processes (`runner run --shard I/N`), if any:
    /// readers that support sharding read only their part of the input,
    /// and exporters write part files named by [`BuildContext::part`].
    pub shard: Option<crate::Shard>,
}

impl BuildContext {
    pub fn new(base_dir: impl Into<PathBuf>, name: impl Into<String>) -> Self {
        BuildContext {
            base_dir: base_dir.into(),
            name: name.into(),
            pipeline: String::new(),
            shard: None,
        }
    }

    /// The same context, for a component of the pipeline file `stem`.
    pub fn with_pipeline(mut self, stem: impl Into<String>) -> Self {
        self.pipeline = stem.into();
        self
    }

    /// The same context, for shard `shard` of a sharded run.
    pub fn with_shard(mut self, shard: Option<crate::Shard>) -> Self {
        self.shard = shard;
        self
    }

    /// An output path as this run writes it: `path` itself, or in a
    /// sharded run its part (`out/news.jsonl` →
    /// `out/news.part-00003-of-00016.jsonl`, [`crate::Shard::part_path`]).
    pub fn part(&self, path: impl AsRef<Path>) -> PathBuf {
        match &self.shard {
            Some(shard) => shard.part_path(path.as_ref()),
            None => path.as_ref().to_path_buf(),
        }
    }

    /// `path` if absolute, else `path` inside [`BuildContext::base_dir`],
    /// with `.` and `name/..` folded away so that paths in the output read
    /// `seeds/a.txt`, not `pipelines/../seeds/a.txt`.
    pub fn resolve(&self, path: impl AsRef<Path>) -> PathBuf {
        let path = path.as_ref();
        if path.is_absolute() { fold_dots(path) } else { fold_dots(&self.base_dir.join(path)) }
    }
}

/// Lexical clean-up of `.` and `..`; a leading `..` (above the starting
/// point) is kept, since there is no name before it to cancel.
fn fold_dots(path: &Path) -> PathBuf {
    use std::path::Component as Part;
    let mut folded: Vec<Part<'_>> = Vec::new();
    for part in path.components() {
        match part {
            Part::CurDir => {}
            Part::ParentDir => match folded.last() {
                Some(Part::Normal(_)) => {
                    folded.pop();
                }
                Some(Part::RootDir | Part::Prefix(_)) => {}
                _ => folded.push(part),
            },
            other => folded.push(other),
        }
    }
    if folded.is_empty() {
        return PathBuf::from(".");
    }
    folded.iter().collect()
}

/// A component kind: a type implementing a stage trait that can be built
/// from its options.
pub trait Component: Sized {
    /// The name used as `kind = "…"` in a pipeline file.
    const KIND: &'static str;
    /// One line for `runner list`.
    const DESCRIPTION: &'static str;
    type Options: ComponentOptions;

    /// Builds the component. Fail here, not on the first document, when an
    /// option is unusable; return [`OptionsError::invalid`] to name the key.
    fn build(options: Self::Options, context: &BuildContext) -> anyhow::Result<Self>;
}

/// A configuration problem with one component entry.
#[derive(Debug)]
pub enum OptionsError {
    /// A key the kind does not have, with the closest key it does have.
    UnknownKey { key: String, suggestion: Option<&'static str> },
    /// A key that is present (or missing) with a value that will not do.
    Invalid { key: Option<String>, message: String },
}

impl OptionsError {
    pub fn invalid(key: impl Into<String>, message: impl Into<String>) -> Self {
        OptionsError::Invalid { key: Some(key.into()), message: message.into() }
    }

    /// The key the problem is about, if any.
    pub fn key(&self) -> Option<&str> {
        match self {
            OptionsError::UnknownKey { key, .. } => Some(key),
            OptionsError::Invalid { key, .. } => key.as_deref(),
        }
    }
}

impl fmt::Display for OptionsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OptionsError::UnknownKey { key, suggestion: Some(suggestion) } => {
                write!(f, "unknown key `{key}`; did you mean `{suggestion}`?")
            }
            OptionsError::UnknownKey { key, suggestion: None } => write!(f, "unknown key `{key}`"),
            OptionsError::Invalid { key: Some(key), message } => {
                write!(f, "key `{key}`: {message}")
            }
            OptionsError::Invalid { key: None, message } => f.write_str(message),
        }
    }
}

impl std::error::Error for OptionsError {}

/// Which stage a kind belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Stage {
    Reader,
    Tokenizer,
    Extractor,
    Exporter,
}

impl Stage {
    pub const ALL: [Stage; 4] =
        [Stage::Reader, Stage::Tokenizer, Stage::Extractor, Stage::Exporter];

    /// The pipeline-file table name: `reader`, `tokenizer`, `extractor`, `exporter`.
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Reader => "reader",
            Stage::Tokenizer => "tokenizer",
            Stage::Extractor => "extractor",
            Stage::Exporter => "exporter",
        }
    }
}

type BuildFn<T> = Box<
    dyn Fn(Map<String, Value>, &BuildContext) -> Result<Box<T>, Vec<OptionsError>> + Send + Sync,
>;

/// A registered kind of one stage; `T` is the stage's trait object.
pub struct ComponentKind<T: ?Sized> {
    pub kind: &'static str,
    pub description: &'static str,
    pub options: &'static [OptionDoc],
    build: BuildFn<T>,
}

impl<T: ?Sized + 'static> ComponentKind<T> {
    fn of<C: Component + 'static>(into_box: fn(C) -> Box<T>) -> Self {
        ComponentKind {
            kind: C::KIND,
            description: C::DESCRIPTION,
            options: C::Options::OPTIONS,
            build: Box::new(move |raw, context| {
                let options = parse_options::<C::Options>(raw)?;
                C::build(options, context).map(into_box).map_err(|error| {
                    vec![match error.downcast::<OptionsError>() {
                        Ok(options_error) => options_error,
                        Err(other) => {
                            OptionsError::Invalid { key: None, message: format!("{other:#}") }
                        }
                    }]
                })
            }),
        }
    }

    /// Builds an instance from the entry's options (without `kind` and `name`).
    /// Every problem found is returned, not just the first.
    pub fn build(
        &self,
        options: Map<String, Value>,
        context: &BuildContext,
    ) -> Result<Box<T>, Vec<OptionsError>> {
        (self.build)(options, context)
    }
}

/// Checks the keys against the documented options (every unknown key is
/// reported, with a suggestion), then deserialises, naming the key of a
/// type error. Used for component entries and for any other options table.
pub fn parse_options<O: ComponentOptions>(raw: Map<String, Value>) -> Result<O, Vec<OptionsError>> {
    let known: Vec<&'static str> = O::OPTIONS.iter().map(|option| option.name).collect();
    let (mut remaining, unknown): (Map<String, Value>, Map<String, Value>) =
        raw.into_iter().partition(|(key, _)| known.contains(&key.as_str()));
    let mut errors: Vec<OptionsError> = unknown
        .keys()
        .map(|key| OptionsError::UnknownKey { key: key.clone(), suggestion: suggest(key, &known) })
        .collect();
    // serde stops at the first bad value; to report every one, take the
    // offending key out and try again, once per key at most.
    let mut removed: Vec<String> = Vec::new();
    for _ in 0..=known.len() {
        let error = match serde_path_to_error::deserialize(Value::Object(remaining.clone())) {
            Ok(options) if errors.is_empty() => return Ok(options),
            Ok(_) => return Err(errors),
            Err(error) => error,
        };
        let path = error.path().to_string();
        let key = (path != ".").then(|| path.split('.').next().unwrap_or_default().to_string());
        let message = error.into_inner().to_string();
        // Taking a required key out makes it "missing", and so does a
        // misspelling already reported with this key as its suggestion.
        let missing = |name: &str| message == format!("missing field `{name}`");
        let suggested = errors.iter().any(|error| match error {
            OptionsError::UnknownKey { suggestion: Some(suggestion), .. } => missing(suggestion),
            _ => false,
        });
        if suggested || removed.iter().any(|gone| missing(gone)) {
            return Err(errors);
        }
        let retry = key.as_ref().and_then(|key| remaining.remove(key).map(|_| key.clone()));
        errors.push(OptionsError::Invalid { key, message });
        match retry {
            Some(key) => removed.push(key),
            None => return Err(errors),
        }
    }
    Err(errors)
}

/// The candidate closest to `word` by edit distance, if it is close enough
/// to be a likely misspelling (at most a third of its letters differ).
pub fn suggest<'c>(word: &str, candidates: &[&'c str]) -> Option<&'c str> {
    let word = word.to_lowercase();
    candidates
        .iter()
        .map(|candidate| (edit_distance(&word, &candidate.to_lowercase()), *candidate))
        .filter(|(distance, candidate)| {
            *distance <= (candidate.chars().count().max(3) / 3).max(1) + 1
        })
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

/// Levenshtein distance over chars; options are short, so the quadratic
/// table costs nothing.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        previous = current;
    }
    previous[b.len()]
}

/// Every component kind the program knows, by stage.
#[derive(Default)]
pub struct Registry {
    pub readers: Vec<ComponentKind<dyn Reader>>,
    pub tokenizers: Vec<ComponentKind<dyn Tokenizer>>,
    pub extractors: Vec<ComponentKind<dyn Extractor>>,
    pub exporters: Vec<ComponentKind<dyn Exporter>>,
}

impl Registry {
    pub fn new() -> Self {
        Registry::default()
    }

    pub fn add_reader<C: Component + Reader + 'static>(&mut self) -> &mut Self {
        self.readers.push(ComponentKind::of::<C>(|c| Box::new(c)));
        self
    }

    pub fn add_tokenizer<C: Component + Tokenizer + 'static>(&mut self) -> &mut Self {
        self.tokenizers.push(ComponentKind::of::<C>(|c| Box::new(c)));
        self
    }

    pub fn add_extractor<C: Component + Extractor + 'static>(&mut self) -> &mut Self {
        self.extractors.push(ComponentKind::of::<C>(|c| Box::new(c)));
        self
    }

    pub fn add_exporter<C: Component + Exporter + 'static>(&mut self) -> &mut Self {
        self.exporters.push(ComponentKind::of::<C>(|c| Box::new(c)));
        self
    }

    pub fn reader(&self, kind: &str) -> Option<&ComponentKind<dyn Reader>> {
        self.readers.iter().find(|entry| entry.kind == kind)
    }

    pub fn tokenizer(&self, kind: &str) -> Option<&ComponentKind<dyn Tokenizer>> {
        self.tokenizers.iter().find(|entry| entry.kind == kind)
    }

    pub fn extractor(&self, kind: &str) -> Option<&ComponentKind<dyn Extractor>> {
        self.extractors.iter().find(|entry| entry.kind == kind)
    }

    pub fn exporter(&self, kind: &str) -> Option<&ComponentKind<dyn Exporter>> {
        self.exporters.iter().find(|entry| entry.kind == kind)
    }

    /// The registered kinds of one stage, with their descriptions and options.
    pub fn kinds(&self, stage: Stage) -> Vec<(&'static str, &'static str, &'static [OptionDoc])> {
        fn entries<T: ?Sized>(
            kinds: &[ComponentKind<T>],
        ) -> Vec<(&'static str, &'static str, &'static [OptionDoc])> {
            kinds.iter().map(|entry| (entry.kind, entry.description, entry.options)).collect()
        }
        match stage {
            Stage::Reader => entries(&self.readers),
            Stage::Tokenizer => entries(&self.tokenizers),
            Stage::Extractor => entries(&self.extractors),
            Stage::Exporter => entries(&self.exporters),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Document;
    use serde::Deserialize;
    use serde_json::json;

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct ShoutOptions {
        #[serde(default)]
        label: Option<String>,
        #[serde(default = "default_min")]
        min_length: usize,
    }

    fn default_min() -> usize {
        2
    }

    impl ComponentOptions for ShoutOptions {
        const OPTIONS: &'static [OptionDoc] = &[
            OptionDoc { name: "label", ty: "string", default: Some("\"SHOUT\""), doc: "label" },
            OptionDoc { name: "min_length", ty: "integer", default: Some("2"), doc: "shortest" },
        ];
    }

    struct Shout {
        label: String,
        min_length: usize,
    }

    impl Component for Shout {
        const KIND: &'static str = "shout";
        const DESCRIPTION: &'static str = "all-caps words";
        type Options = ShoutOptions;

        fn build(options: ShoutOptions, _context: &BuildContext) -> anyhow::Result<Self> {
            if options.min_length == 0 {
                return Err(OptionsError::invalid("min_length", "must be at least 1").into());
            }
            Ok(Shout {
                label: options.label.unwrap_or_else(|| "SHOUT".into()),
                min_length: options.min_length,
            })
        }
    }

    impl Extractor for Shout {
        fn extract(&self, document: &mut Document) -> anyhow::Result<()> {
            let _ = (&self.label, self.min_length, document);
            Ok(())
        }
    }

    fn options(value: serde_json::Value) -> Map<String, Value> {
        value.as_object().cloned().unwrap_or_default()
    }

    fn registry() -> Registry {
        let mut registry = Registry::new();
        registry.add_extractor::<Shout>();
        registry
    }

    #[test]
    fn builds_a_registered_kind() {
        let registry = registry();
        let kind = registry.extractor("shout").unwrap();
        assert_eq!(kind.description, "all-caps words");
        let context = BuildContext::new(".", "shout");
        assert!(kind.build(options(json!({"min_length": 3})), &context).is_ok());
        assert!(registry.extractor("whisper").is_none());
        assert_eq!(registry.kinds(Stage::Extractor)[0].0, "shout");
    }

    #[test]
    fn reports_every_unknown_key_with_a_suggestion() {
        let registry = registry();
        let context = BuildContext::new(".", "shout");
        let errors = registry
            .extractor("shout")
            .unwrap()
            .build(options(json!({"lable": "X", "min_lenght": 3, "colour": 1})), &context)
            .err()
            .unwrap();
        let messages: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(
            messages,
            [
                "unknown key `colour`",
                "unknown key `lable`; did you mean `label`?",
                "unknown key `min_lenght`; did you mean `min_length`?",
            ]
        );
    }

    #[test]
    fn names_the_key_of_a_type_error_and_of_a_build_error() {
        let registry = registry();
        let context = BuildContext::new(".", "shout");
        let kind = registry.extractor("shout").unwrap();
        let errors = kind.build(options(json!({"min_length": "three"})), &context).err().unwrap();
        assert_eq!(errors[0].key(), Some("min_length"));
        assert_eq!(
            errors[0].to_string(),
            "key `min_length`: invalid type: string \"three\", expected usize"
        );
        let errors = kind.build(options(json!({"min_length": 0})), &context).err().unwrap();
        assert_eq!(errors[0].to_string(), "key `min_length`: must be at least 1");
    }

    #[test]
    fn reports_every_bad_value_and_unknown_key_together() {
        let registry = registry();
        let context = BuildContext::new(".", "shout");
        let kind = registry.extractor("shout").unwrap();
        let errors = kind
            .build(options(json!({"label": 3, "min_length": "x", "colour": 1})), &context)
            .err()
            .unwrap();
        let messages: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(
            messages,
            [
                "unknown key `colour`",
                "key `label`: invalid type: integer `3`, expected a string",
                "key `min_length`: invalid type: string \"x\", expected usize",
            ]
        );
    }

    #[test]
    fn suggestions_only_for_near_misses() {
        let candidates = ["path", "batch_size", "threads"];
        assert_eq!(suggest("pth", &candidates), Some("path"));
        assert_eq!(suggest("Path", &candidates), Some("path"));
        assert_eq!(suggest("batchsize", &candidates), Some("batch_size"));
        assert_eq!(suggest("thread", &candidates), Some("threads"));
        assert_eq!(suggest("colour", &candidates), None);
    }

    #[test]
    fn context_resolves_relative_paths_against_its_folder() {
        let context = BuildContext::new("/work/pipelines", "x");
        assert_eq!(context.resolve("../seeds"), PathBuf::from("/work/seeds"));
        assert_eq!(context.resolve("/data/./x"), PathBuf::from("/data/x"));
        let relative = BuildContext::new("pipelines", "x");
        assert_eq!(relative.resolve("../seeds"), PathBuf::from("seeds"));
        assert_eq!(relative.resolve("../../seeds"), PathBuf::from("../seeds"));
        assert_eq!(relative.resolve(".."), PathBuf::from("."));
        assert_eq!(BuildContext::new(".", "x").resolve("out.jsonl"), PathBuf::from("out.jsonl"));
    }
}
