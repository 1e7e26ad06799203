//! Loading and validating a pipeline file.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use document::{
    BuildContext, ComponentKind, ComponentOptions, Exporter, Extractor, Map, OptionDoc,
    OptionsError, Reader, Registry, Stage, Tokenizer, Value, parse_options, suggest,
};
use serde::Deserialize;
use toml::Spanned;

/// One problem in a pipeline file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    pub file: PathBuf,
    /// 1-based line, where the problem can be placed.
    pub line: Option<usize>,
    /// `reader (kind = "text")`, `extractor[2] (kind = "dateline")`, `[pipeline]`.
    pub component: Option<String>,
    pub key: Option<String>,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let Some(component) = &self.component {
            write!(f, ": {component}")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Every problem found in a pipeline file, in line order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigErrors(pub Vec<ConfigError>);

impl fmt::Display for ConfigErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, error) in self.0.iter().enumerate() {
            if index > 0 {
                writeln!(f)?;
            }
            write!(f, "{error}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ConfigErrors {}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OnError {
    /// Record the failed document and go on.
    Skip,
    /// Stop at the first failed document; nothing is written.
    Abort,
}

/// The `[pipeline]` table.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub threads: usize,
    #[serde(default = "default_batch_size")]
    pub batch_size: usize,
    #[serde(default = "default_on_error")]
    pub on_error: OnError,
    #[serde(default = "default_max_errors")]
    pub max_errors: usize,
}

fn default_batch_size() -> usize {
    256
}

fn default_on_error() -> OnError {
    OnError::Skip
}

fn default_max_errors() -> usize {
    1000
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            name: None,
            threads: 0,
            batch_size: default_batch_size(),
            on_error: default_on_error(),
            max_errors: default_max_errors(),
        }
    }
}

impl ComponentOptions for Settings {
    const OPTIONS: &'static [OptionDoc] = &[
        OptionDoc {
            name: "name",
            ty: "string",
            default: Some("the file name without .toml"),
            doc: "the pipeline's name, shown in logs and the summary",
        },
        OptionDoc {
            name: "threads",
            ty: "integer",
            default: Some("0"),
            doc: "worker threads; 0 uses every core (`--threads` overrides)",
        },
        OptionDoc {
            name: "batch_size",
            ty: "integer",
            default: Some("256"),
            doc: "documents read, processed in parallel and written together; bounds memory",
        },
        OptionDoc {
            name: "on_error",
            ty: "\"skip\" | \"abort\"",
            default: Some("\"skip\""),
            doc: "skip: record a failed document and go on; abort: stop at the first",
        },
        OptionDoc {
            name: "max_errors",
            ty: "integer",
            default: Some("1000"),
            doc: "abort once more documents than this have failed",
        },
    ];
}

/// A component built from the pipeline file, with the name its output carries.
pub struct Named<T: ?Sized> {
    pub name: String,
    pub kind: &'static str,
    pub component: Box<T>,
}

/// A validated pipeline, every component built and ready to run.
pub struct Pipeline {
    pub file: PathBuf,
    pub name: String,
    pub settings: Settings,
    pub reader: Named<dyn Reader>,
    pub tokenizer: Named<dyn Tokenizer>,
    pub extractors: Vec<Named<dyn Extractor>>,
    pub exporters: Vec<Named<dyn Exporter>>,
}

/// Far above any useful value; a larger one is a typo.
pub const MAX_BATCH_SIZE: usize = 1_000_000;
pub const MAX_THREADS: usize = 1024;

const TOP_LEVEL_KEYS: [&str; 5] = ["pipeline", "reader", "tokenizer", "extractor", "exporter"];

type RawTable = BTreeMap<Spanned<String>, Spanned<toml::Value>>;

/// The second pass: the five known tables, each with its spans.
#[derive(Deserialize)]
struct RawPipeline {
    pipeline: Option<Spanned<RawTable>>,
    reader: Option<Spanned<RawTable>>,
    tokenizer: Option<Spanned<RawTable>>,
    #[serde(default)]
    extractor: Vec<Spanned<RawTable>>,
    #[serde(default)]
    exporter: Vec<Spanned<RawTable>>,
}

/// Reads, validates and builds the pipeline in `path`.
pub fn load(path: &Path, registry: &Registry) -> Result<Pipeline, ConfigErrors> {
    let source = std::fs::read_to_string(path).map_err(|error| {
        ConfigErrors(vec![ConfigError {
            file: path.to_path_buf(),
            line: None,
            component: None,
            key: None,
            message: format!("cannot read the pipeline file: {error}"),
        }])
    })?;
    load_str(&source, path, registry)
}

/// Like [`load`], for a pipeline held in memory; `path` names it in errors
/// and its folder anchors relative paths.
pub fn load_str(source: &str, path: &Path, registry: &Registry) -> Result<Pipeline, ConfigErrors> {
    let mut checker = Checker { source, file: path.to_path_buf(), errors: Vec::new() };
    let pipeline = checker.check(path, registry);
    match pipeline {
        Some(pipeline) if checker.errors.is_empty() => Ok(pipeline),
        _ => {
            let mut errors = checker.errors;
            errors.sort_by_key(|error| error.line.unwrap_or(0));
            Err(ConfigErrors(errors))
        }
    }
}

struct Checker<'s> {
    source: &'s str,
    file: PathBuf,
    errors: Vec<ConfigError>,
}

/// Where a component entry sits, for messages.
struct Entry<'t> {
    label: String,
    table: &'t Spanned<RawTable>,
}

impl Checker<'_> {
    fn line_of(&self, span: Range<usize>) -> usize {
        let end = span.start.min(self.source.len());
        self.source.as_bytes()[..end].iter().filter(|byte| **byte == b'\n').count() + 1
    }

    fn error(
        &mut self,
        span: Option<Range<usize>>,
        component: Option<&str>,
        key: Option<&str>,
        message: String,
    ) {
        let line = span.map(|span| self.line_of(span));
        self.errors.push(ConfigError {
            file: self.file.clone(),
            line,
            component: component.map(str::to_string),
            key: key.map(str::to_string),
            message,
        });
    }

    fn check(&mut self, path: &Path, registry: &Registry) -> Option<Pipeline> {
        // Pass one: the top-level keys and their shapes, so that a misspelt
        // table or `[extractor]` for `[[extractor]]` gets its own message.
        let top: BTreeMap<Spanned<String>, toml::Value> = match toml::from_str(self.source) {
            Ok(top) => top,
            Err(error) => {
                let message = error.message().to_string();
                self.error(error.span(), None, None, format!("invalid TOML: {message}"));
                return None;
            }
        };
        let mut shapes_ok = true;
        for (key, value) in &top {
            let name = key.get_ref().as_str();
            let expected_array = matches!(name, "extractor" | "exporter");
            let settings_keys: Vec<&str> =
                Settings::OPTIONS.iter().map(|option| option.name).collect();
            let message = if settings_keys.contains(&name) && !value.is_table() {
                Some(format!(
                    "key `{name}` belongs in the [pipeline] table: write it under [pipeline]"
                ))
            } else if !TOP_LEVEL_KEYS.contains(&name) {
                Some(match suggest(name, &TOP_LEVEL_KEYS) {
                    Some(known) => format!("unknown table `{name}`; did you mean `{known}`?"),
                    None => format!(
                        "unknown table `{name}`; a pipeline has [pipeline], [reader], [tokenizer], [[extractor]] and [[exporter]]"
                    ),
                })
            } else if expected_array && !is_array_of_tables(value) {
                Some(format!("`{name}` must be an array of tables: write [[{name}]]"))
            } else if !expected_array && !value.is_table() {
                Some(format!("`{name}` must be a table: write [{name}]"))
            } else {
                None
            };
            if let Some(message) = message {
                // A misplaced known table stops here; an unknown one does not
                // affect the rest, which is checked too.
                if TOP_LEVEL_KEYS.contains(&name) {
                    shapes_ok = false;
                }
                self.error(Some(key.span()), None, Some(name), message);
            }
        }
        if !shapes_ok {
            return None;
        }
        let raw: RawPipeline = match toml::from_str(self.source) {
            Ok(raw) => raw,
            Err(error) => {
                let message = error.message().to_string();
                self.error(error.span(), None, None, message);
                return None;
            }
        };
        let base_dir = match path.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
            _ => PathBuf::from("."),
        };

        let settings = self.settings(raw.pipeline.as_ref());
        let reader = match &raw.reader {
            Some(table) => {
                let entry = Entry { label: "reader".into(), table };
                self.component(&entry, Stage::Reader, &base_dir, &registry.readers)
            }
            None => {
                self.error(None, None, None, "missing [reader] table: say what to read, e.g. kind = \"text\", path = \"../seeds\"".into());
                None
            }
        };
        let tokenizer = match &raw.tokenizer {
            Some(table) => {
                let entry = Entry { label: "tokenizer".into(), table };
                self.component(&entry, Stage::Tokenizer, &base_dir, &registry.tokenizers)
            }
            None => self.default_tokenizer(&base_dir, registry),
        };
        let extractors =
            self.components(&raw.extractor, Stage::Extractor, &base_dir, &registry.extractors);
        let exporters =
            self.components(&raw.exporter, Stage::Exporter, &base_dir, &registry.exporters);
        if raw.exporter.is_empty() {
            self.error(None, None, None, "no [[exporter]] table: nothing would be written; add e.g. kind = \"jsonl\", path = \"out.jsonl\"".into());
        }
        self.check_unique_names(&raw.extractor, &extractors, "extractor");
        self.check_unique_names(&raw.exporter, &exporters, "exporter");
        self.check_outputs(&raw.exporter, &exporters);

        let name =
            settings.as_ref().and_then(|settings| settings.name.clone()).unwrap_or_else(|| {
                path.file_stem().map(|stem| stem.to_string_lossy().into_owned()).unwrap_or_default()
            });
        Some(Pipeline {
            file: path.to_path_buf(),
            name,
            settings: settings?,
            reader: reader?,
            tokenizer: tokenizer?,
            extractors: extractors.into_iter().collect::<Option<Vec<_>>>()?,
            exporters: exporters.into_iter().collect::<Option<Vec<_>>>()?,
        })
    }

    fn settings(&mut self, table: Option<&Spanned<RawTable>>) -> Option<Settings> {
        let Some(table) = table else { return Some(Settings::default()) };
        let options = to_json_map(table.get_ref().iter());
        let component = Some("[pipeline]");
        match parse_options::<Settings>(options) {
            Ok(settings) => {
                // Limits that keep a typo from exhausting memory or threads.
                let limits = [
                    ("batch_size", settings.batch_size, 1, MAX_BATCH_SIZE),
                    ("threads", settings.threads, 0, MAX_THREADS),
                ];
                let mut valid = true;
                for (key, value, low, high) in limits {
                    if !(low..=high).contains(&value) {
                        let message = format!("key `{key}`: must be between {low} and {high}");
                        self.error(key_span(table, key), component, Some(key), message);
                        valid = false;
                    }
                }
                valid.then_some(settings)
            }
            Err(errors) => {
                for error in errors {
                    let span =
                        error.key().and_then(|key| key_span(table, key)).unwrap_or(table.span());
                    self.error(Some(span), component, error.key(), error.to_string());
                }
                None
            }
        }
    }

    fn default_tokenizer(
        &mut self,
        base_dir: &Path,
        registry: &Registry,
    ) -> Option<Named<dyn Tokenizer>> {
        let kind = registry.tokenizers.first()?;
        let context = BuildContext::new(base_dir, kind.kind);
        match kind.build(Map::new(), &context) {
            Ok(component) => {
                Some(Named { name: kind.kind.to_string(), kind: kind.kind, component })
            }
            Err(errors) => {
                for error in errors {
                    self.error(None, Some("tokenizer"), error.key(), error.to_string());
                }
                None
            }
        }
    }

    fn components<T: ?Sized + 'static>(
        &mut self,
        tables: &[Spanned<RawTable>],
        stage: Stage,
        base_dir: &Path,
        kinds: &[ComponentKind<T>],
    ) -> Vec<Option<Named<T>>> {
        tables
            .iter()
            .enumerate()
            .map(|(index, table)| {
                let entry = Entry { label: format!("{}[{}]", stage.as_str(), index + 1), table };
                self.component(&entry, stage, base_dir, kinds)
            })
            .collect()
    }

    fn component<T: ?Sized + 'static>(
        &mut self,
        entry: &Entry<'_>,
        stage: Stage,
        base_dir: &Path,
        kinds: &[ComponentKind<T>],
    ) -> Option<Named<T>> {
        let table = entry.table;
        let known: Vec<&'static str> = kinds.iter().map(|kind| kind.kind).collect();
        let known_list = known.join(", ");
        let stage_name = stage.as_str();
        let Some((kind_key, kind_value)) =
            table.get_ref().iter().find(|(key, _)| key.get_ref() == "kind")
        else {
            self.error(
                Some(table.span()),
                Some(&entry.label),
                Some("kind"),
                format!("missing key `kind`; known {stage_name} kinds: {known_list}"),
            );
            return None;
        };
        let Some(kind_name) = kind_value.get_ref().as_str() else {
            self.error(
                Some(kind_key.span()),
                Some(&entry.label),
                Some("kind"),
                format!("key `kind` must be a string; known {stage_name} kinds: {known_list}"),
            );
            return None;
        };
        let label = format!("{} (kind = \"{kind_name}\")", entry.label);
        let Some(kind) = kinds.iter().find(|kind| kind.kind == kind_name) else {
            let hint = match suggest(kind_name, &known) {
                Some(near) => format!("; did you mean \"{near}\"?"),
                None => String::new(),
            };
            self.error(
                Some(kind_value.span()),
                Some(&label),
                Some("kind"),
                format!("unknown {stage_name} kind \"{kind_name}\"{hint} (known: {known_list})"),
            );
            return None;
        };
        let mut name = kind.kind.to_string();
        if let Some((name_key, name_value)) =
            table.get_ref().iter().find(|(key, _)| key.get_ref() == "name")
        {
            match name_value.get_ref().as_str() {
                Some(given) if !given.trim().is_empty() => name = given.to_string(),
                _ => {
                    self.error(
                        Some(name_key.span()),
                        Some(&label),
                        Some("name"),
                        "key `name` must be a non-empty string".into(),
                    );
                    return None;
                }
            }
        }
        let options = to_json_map(
            table
                .get_ref()
                .iter()
                .filter(|(key, _)| !matches!(key.get_ref().as_str(), "kind" | "name")),
        );
        let context = BuildContext::new(base_dir, name.clone());
        match kind.build(options, &context) {
            Ok(component) => Some(Named { name, kind: kind.kind, component }),
            Err(errors) => {
                for error in errors {
                    let span =
                        error.key().and_then(|key| key_span(table, key)).unwrap_or(table.span());
                    let message = match &error {
                        OptionsError::Invalid { key: Some(key), message }
                            if key_span(table, key).is_none() =>
                        {
                            format!("{message} (key `{key}`)")
                        }
                        _ => error.to_string(),
                    };
                    self.error(Some(span), Some(&label), error.key(), message);
                }
                None
            }
        }
    }

    fn check_unique_names<T: ?Sized>(
        &mut self,
        tables: &[Spanned<RawTable>],
        built: &[Option<Named<T>>],
        stage: &str,
    ) {
        let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
        for (index, named) in built.iter().enumerate() {
            let Some(named) = named else { continue };
            if let Some(first) = seen.insert(&named.name, index) {
                let span = tables.get(index).map(|table| table.span());
                let label = format!("{stage}[{}] (kind = \"{}\")", index + 1, named.kind);
                let message = format!(
                    "has the same name \"{}\" as {stage}[{}]; give one a different `name`",
                    named.name,
                    first + 1
                );
                self.error(span, Some(&label), Some("name"), message);
            }
        }
    }

    /// Two exporters writing one file would interleave their lines.
    fn check_outputs(
        &mut self,
        tables: &[Spanned<RawTable>],
        built: &[Option<Named<dyn Exporter>>],
    ) {
        let mut seen: BTreeMap<PathBuf, usize> = BTreeMap::new();
        for (index, named) in built.iter().enumerate() {
            let Some(named) = named else { continue };
            for path in named.component.outputs() {
                match seen.get(&path) {
                    Some(first) => {
                        let span = tables.get(index).map(|table| table.span());
                        let label = format!("exporter[{}] (kind = \"{}\")", index + 1, named.kind);
                        let message = format!(
                            "writes {}, which exporter[{}] writes too; give each its own path",
                            path.display(),
                            first + 1
                        );
                        self.error(span, Some(&label), Some("path"), message);
                    }
                    None => {
                        seen.insert(path, index);
                    }
                }
            }
        }
    }
}

fn is_array_of_tables(value: &toml::Value) -> bool {
    value.as_array().is_some_and(|items| items.iter().all(toml::Value::is_table))
}

fn key_span(table: &Spanned<RawTable>, key: &str) -> Option<Range<usize>> {
    table.get_ref().keys().find(|candidate| candidate.get_ref() == key).map(Spanned::span)
}

fn to_json_map<'t>(
    entries: impl Iterator<Item = (&'t Spanned<String>, &'t Spanned<toml::Value>)>,
) -> Map<String, Value> {
    entries.map(|(key, value)| (key.get_ref().clone(), to_json(value.get_ref()))).collect()
}

/// TOML to JSON for option structs; datetimes become their TOML text.
fn to_json(value: &toml::Value) -> Value {
    match value {
        toml::Value::String(text) => Value::String(text.clone()),
        toml::Value::Integer(number) => Value::from(*number),
        toml::Value::Float(number) => {
            serde_json::Number::from_f64(*number).map_or(Value::Null, Value::Number)
        }
        toml::Value::Boolean(flag) => Value::Bool(*flag),
        toml::Value::Datetime(datetime) => Value::String(datetime.to_string()),
        toml::Value::Array(items) => Value::Array(items.iter().map(to_json).collect()),
        toml::Value::Table(table) => {
            Value::Object(table.iter().map(|(key, value)| (key.clone(), to_json(value))).collect())
        }
    }
}
