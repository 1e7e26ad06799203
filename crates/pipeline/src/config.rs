//! Loading and validating a pipeline file.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use document::{
    BuildContext, ComponentKind, ComponentOptions, Date, Exporter, Extractor, Map, OptionDoc,
    OptionsError, Reader, Registry, Stage, Tokenizer, Value, parse_options, suggest,
};
use serde::Deserialize;
use toml::Spanned;

use crate::tests::{Expectation, PipelineTest};

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
    #[serde(default = "default_checkpoint_every")]
    pub checkpoint_every: usize,
    #[serde(default)]
    pub max_document_ms: u64,
}

fn default_checkpoint_every() -> usize {
    8
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
            checkpoint_every: default_checkpoint_every(),
            max_document_ms: 0,
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
        OptionDoc {
            name: "checkpoint_every",
            ty: "integer",
            default: Some("8"),
            doc: "batches between commit points, from which `runner run --resume` continues a killed run; 0 = none",
        },
        OptionDoc {
            name: "max_document_ms",
            ty: "integer",
            default: Some("0"),
            doc: "a document still in the tokenizer or extractors after this many milliseconds fails and the run goes on; 0 = no limit",
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
    /// A stable hash of the pipeline file's text: a resumed run must have
    /// been started with the same file.
    pub fingerprint: u64,
    pub name: String,
    pub settings: Settings,
    pub reader: Named<dyn Reader>,
    pub tokenizer: Named<dyn Tokenizer>,
    pub extractors: Vec<Named<dyn Extractor>>,
    pub exporters: Vec<Named<dyn Exporter>>,
    /// The `[[test]]` tables, for [`Pipeline::run_tests`].
    pub tests: Vec<PipelineTest>,
}

/// A pipeline loaded for `runner test`: everything but the reader and the
/// exporters, which are neither built nor checked (so a placeholder input
/// path does not stop the tests).
pub struct TestPipeline {
    pub file: PathBuf,
    pub name: String,
    pub tokenizer: Named<dyn Tokenizer>,
    pub extractors: Vec<Named<dyn Extractor>>,
    pub tests: Vec<PipelineTest>,
}

/// What the checker built; the reader and exporters only in full mode.
struct Checked {
    name: String,
    settings: Settings,
    reader: Option<Named<dyn Reader>>,
    tokenizer: Named<dyn Tokenizer>,
    extractors: Vec<Named<dyn Extractor>>,
    exporters: Vec<Named<dyn Exporter>>,
    tests: Vec<PipelineTest>,
}

/// Far above any useful value; a larger one is a typo.
pub const MAX_BATCH_SIZE: usize = 1_000_000;
pub const MAX_THREADS: usize = 1024;

const TOP_LEVEL_KEYS: [&str; 6] =
    ["pipeline", "reader", "tokenizer", "extractor", "exporter", "test"];

/// The keys of a `[[test]]` table and of one of its `expect`/`reject` entries.
const TEST_KEYS: [&str; 5] = ["name", "text", "date", "expect", "reject"];
const EXPECTATION_KEYS: [&str; 3] = ["label", "text", "value"];

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
    #[serde(default)]
    test: Vec<Spanned<RawTable>>,
}

/// Reads, validates and builds the pipeline in `path`.
pub fn load(path: &Path, registry: &Registry) -> Result<Pipeline, ConfigErrors> {
    let source = read_source(path)?;
    load_str(&source, path, registry)
}

/// Like [`load`], for shard `shard` of a sharded run (docs/cluster.md): the
/// reader reads only its part of the input (a reader kind that cannot is
/// an error) and the exporters write parts
/// (`out/news.part-00003-of-00016.jsonl`).
pub fn load_sharded(
    path: &Path,
    registry: &Registry,
    shard: Option<document::Shard>,
) -> Result<Pipeline, ConfigErrors> {
    let source = read_source(path)?;
    let checked = check_with(&source, path, registry, true, shard)?;
    build_pipeline(checked, &source, path)
}

/// Like [`load`], for a pipeline held in memory; `path` names it in errors
/// and its folder anchors relative paths.
pub fn load_str(source: &str, path: &Path, registry: &Registry) -> Result<Pipeline, ConfigErrors> {
    let checked = check(source, path, registry, true)?;
    build_pipeline(checked, source, path)
}

fn build_pipeline(checked: Checked, source: &str, path: &Path) -> Result<Pipeline, ConfigErrors> {
    let reader = checked.reader.ok_or_else(|| ConfigErrors(Vec::new()))?;
    let mut hasher = document::StableHasher::new();
    hasher.write(source.as_bytes());
    Ok(Pipeline {
        file: path.to_path_buf(),
        fingerprint: hasher.finish(),
        name: checked.name,
        settings: checked.settings,
        reader,
        tokenizer: checked.tokenizer,
        extractors: checked.extractors,
        exporters: checked.exporters,
        tests: checked.tests,
    })
}

/// Reads and validates the pipeline in `path` for its `[[test]]` tables:
/// like [`load`], but the `[reader]` and `[[exporter]]` tables are skipped
/// (neither built nor required), since tests use neither.
pub fn load_tests(path: &Path, registry: &Registry) -> Result<TestPipeline, ConfigErrors> {
    let source = read_source(path)?;
    load_tests_str(&source, path, registry)
}

/// Like [`load_tests`], for a pipeline held in memory.
pub fn load_tests_str(
    source: &str,
    path: &Path,
    registry: &Registry,
) -> Result<TestPipeline, ConfigErrors> {
    let checked = check(source, path, registry, false)?;
    Ok(TestPipeline {
        file: path.to_path_buf(),
        name: checked.name,
        tokenizer: checked.tokenizer,
        extractors: checked.extractors,
        tests: checked.tests,
    })
}

fn check(
    source: &str,
    path: &Path,
    registry: &Registry,
    full: bool,
) -> Result<Checked, ConfigErrors> {
    check_with(source, path, registry, full, None)
}

fn check_with(
    source: &str,
    path: &Path,
    registry: &Registry,
    full: bool,
    shard: Option<document::Shard>,
) -> Result<Checked, ConfigErrors> {
    let mut checker = Checker { source, file: path.to_path_buf(), errors: Vec::new(), full, shard };
    let checked = checker.check(path, registry);
    match checked {
        Some(checked) if checker.errors.is_empty() => Ok(checked),
        _ => {
            let mut errors = checker.errors;
            errors.sort_by_key(|error| error.line.unwrap_or(0));
            Err(ConfigErrors(errors))
        }
    }
}

fn read_source(path: &Path) -> Result<String, ConfigErrors> {
    std::fs::read_to_string(path).map_err(|error| {
        ConfigErrors(vec![ConfigError {
            file: path.to_path_buf(),
            line: None,
            component: None,
            key: None,
            message: format!("cannot read the pipeline file: {error}"),
        }])
    })
}

struct Checker<'s> {
    source: &'s str,
    file: PathBuf,
    errors: Vec<ConfigError>,
    /// Build the reader and the exporters too (false for `runner test`).
    full: bool,
    /// The shard of a sharded run, handed to every component.
    shard: Option<document::Shard>,
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

    fn check(&mut self, path: &Path, registry: &Registry) -> Option<Checked> {
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
            let expected_array = matches!(name, "extractor" | "exporter" | "test");
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
                        "unknown table `{name}`; a pipeline has [pipeline], [reader], [tokenizer], [[extractor]], [[exporter]] and [[test]]"
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
            _ if !self.full => None,
            Some(table) => {
                let entry = Entry { label: "reader".into(), table };
                let reader = self.component(&entry, Stage::Reader, &base_dir, &registry.readers);
                if let (Some(shard), Some(reader)) = (self.shard, &reader)
                    && !reader.component.shardable()
                {
                    let message = format!(
                        "reader kind \"{}\" cannot be sharded (--shard {shard}); the text and jsonl readers can",
                        reader.kind
                    );
                    self.error(Some(table.span()), Some("reader"), Some("kind"), message);
                }
                reader
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
        let exporters = if self.full {
            self.components(&raw.exporter, Stage::Exporter, &base_dir, &registry.exporters)
        } else {
            Vec::new()
        };
        if self.full && raw.exporter.is_empty() {
            self.error(None, None, None, "no [[exporter]] table: nothing would be written; add e.g. kind = \"jsonl\", path = \"out.jsonl\"".into());
        }
        self.check_unique_names(&raw.extractor, &extractors, "extractor");
        if self.full {
            self.check_unique_names(&raw.exporter, &exporters, "exporter");
            self.check_outputs(&raw.exporter, &exporters);
        }
        let tests = self.tests(&raw.test);

        let name =
            settings.as_ref().and_then(|settings| settings.name.clone()).unwrap_or_else(|| {
                path.file_stem().map(|stem| stem.to_string_lossy().into_owned()).unwrap_or_default()
            });
        if self.full && reader.is_none() {
            return None;
        }
        Some(Checked {
            name,
            settings: settings?,
            reader,
            tokenizer: tokenizer?,
            extractors: extractors.into_iter().collect::<Option<Vec<_>>>()?,
            exporters: exporters.into_iter().collect::<Option<Vec<_>>>()?,
            tests,
        })
    }

    /// The `[[test]]` tables; every problem is reported, and a test with
    /// one is left out.
    fn tests(&mut self, tables: &[Spanned<RawTable>]) -> Vec<PipelineTest> {
        let mut tests: Vec<PipelineTest> = Vec::new();
        let mut names: Vec<String> = Vec::new();
        for (index, table) in tables.iter().enumerate() {
            let given_name = table
                .get_ref()
                .iter()
                .find(|(key, _)| key.get_ref() == "name")
                .and_then(|(_, value)| value.get_ref().as_str());
            let label = match given_name {
                Some(name) => format!("test[{}] (name = {})", index + 1, quoted(name)),
                None => format!("test[{}]", index + 1),
            };
            let errors_before = self.errors.len();
            let mut test = PipelineTest {
                name: String::new(),
                line: self.line_of(table.span()),
                text: String::new(),
                date: None,
                expect: Vec::new(),
                reject: Vec::new(),
            };
            for (key, value) in table.get_ref() {
                let span = Some(key.span());
                let name = key.get_ref().as_str();
                let problem = match name {
                    "name" | "text" => match value.get_ref().as_str() {
                        Some(text) if !text.trim().is_empty() => {
                            if name == "name" {
                                test.name = text.to_string();
                            } else {
                                test.text = text.to_string();
                            }
                            None
                        }
                        _ => Some(format!("key `{name}` must be a non-empty string")),
                    },
                    "date" => match test_date(value.get_ref()) {
                        Ok(date) => {
                            test.date = Some(date);
                            None
                        }
                        Err(message) => Some(message),
                    },
                    "expect" | "reject" => match self.expectations(value.get_ref(), name) {
                        Ok(list) if name == "expect" => {
                            test.expect = list;
                            None
                        }
                        Ok(list) => {
                            test.reject = list;
                            None
                        }
                        Err(message) => Some(message),
                    },
                    _ => Some(match suggest(name, &TEST_KEYS) {
                        Some(known) => format!("unknown key `{name}`; did you mean `{known}`?"),
                        None => format!(
                            "unknown key `{name}`; a test has name, text, date, expect and reject"
                        ),
                    }),
                };
                if let Some(message) = problem {
                    self.error(span, Some(&label), Some(name), message);
                }
            }
            for required in ["name", "text"] {
                if key_span(table, required).is_none() {
                    self.error(
                        Some(table.span()),
                        Some(&label),
                        Some(required),
                        format!("missing key `{required}`"),
                    );
                }
            }
            if key_span(table, "expect").is_none() && key_span(table, "reject").is_none() {
                self.error(
                    Some(table.span()),
                    Some(&label),
                    None,
                    "a test needs `expect` or `reject`: the annotations that must (or must not) be produced".into(),
                );
            }
            let duplicate = names.iter().position(|earlier| earlier == &test.name);
            if let Some(first) = duplicate.filter(|_| !test.name.is_empty()) {
                self.error(
                    key_span(table, "name"),
                    Some(&label),
                    Some("name"),
                    format!("has the same name as test[{}]; give each test its own", first + 1),
                );
            }
            names.push(test.name.clone());
            if self.errors.len() == errors_before {
                tests.push(test);
            }
        }
        tests
    }

    /// `expect = [{label, text, value?}, …]`.
    fn expectations(&self, value: &toml::Value, key: &str) -> Result<Vec<Expectation>, String> {
        let Some(items) = value.as_array() else {
            return Err(format!(
                "key `{key}` must be a list of tables, e.g. [{{ label = \"DATE\", text = \"Monday\" }}]"
            ));
        };
        let mut list = Vec::with_capacity(items.len());
        for (index, item) in items.iter().enumerate() {
            let position = format!("{key}[{}]", index + 1);
            let Some(table) = item.as_table() else {
                return Err(format!("{position} must be a table {{ label = …, text = … }}"));
            };
            for name in table.keys() {
                if !EXPECTATION_KEYS.contains(&name.as_str()) {
                    return Err(match suggest(name, &EXPECTATION_KEYS) {
                        Some(known) => {
                            format!("{position}: unknown key `{name}`; did you mean `{known}`?")
                        }
                        None => format!(
                            "{position}: unknown key `{name}`; an entry has label, text and value"
                        ),
                    });
                }
            }
            let string = |name: &str| -> Result<String, String> {
                match table.get(name) {
                    Some(toml::Value::String(text)) if !text.is_empty() => Ok(text.clone()),
                    Some(_) => Err(format!("{position}: `{name}` must be a non-empty string")),
                    None => Err(format!("{position}: missing `{name}`")),
                }
            };
            list.push(Expectation {
                label: string("label")?,
                text: string("text")?,
                value: table.get("value").map(to_json),
            });
        }
        Ok(list)
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
                    ("checkpoint_every", settings.checkpoint_every, 0, MAX_BATCH_SIZE),
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
        let stem = self.file.file_stem().map(|stem| stem.to_string_lossy().into_owned());
        let context = BuildContext::new(base_dir, name.clone())
            .with_pipeline(stem.unwrap_or_default())
            .with_shard(self.shard);
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

/// A test's `date`: `"2017-12-10"` or the TOML date `2017-12-10`.
fn test_date(value: &toml::Value) -> Result<Date, String> {
    let text = match value {
        toml::Value::String(text) => text.clone(),
        toml::Value::Datetime(datetime) if datetime.time.is_none() => datetime.to_string(),
        _ => return Err("key `date` must be a date such as \"2017-12-10\"".into()),
    };
    text.parse::<Date>().map_err(|error| format!("key `date`: {error}"))
}

fn quoted(text: &str) -> String {
    Value::String(text.to_string()).to_string()
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
