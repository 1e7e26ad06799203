//! Sharded runs on a cluster scheduler (docs/cluster.md): `runner run
//! PIPELINE --shard I/N` processes shard `I` of `N`, and `runner shards
//! missing|merge OUT --of N` find the unfinished shards and put the parts
//! together.
//!
//! Dateline does not schedule anything: Slurm job arrays, Kubernetes
//! Indexed Jobs or AWS Batch array jobs start one process per shard, supply
//! the index, retry and place them. What this module adds is the contract
//! that makes that safe:
//!
//! * **Cutting.** The reader cuts its input by position (files by count, or
//!   JSONL lines by byte ranges aligned to line starts;
//!   [`document::Shard`]), never by thread count or timing, so the shards'
//!   outputs in index order are the output of one run.
//! * **Parts.** Every output file is written as its part
//!   (`out/news.part-00003-of-00016.jsonl`), atomically like any output.
//! * **Markers.** Once the parts are in place, `OUT/_done/00003-of-00016.json`
//!   records the counts, the pipeline's and the input's fingerprints, the
//!   Dateline version and the part files. `OUT` is the folder of the first
//!   exporter's first output, where the journal of `--resume` lives too. A
//!   shard whose marker matches is done and exits at once (re-runs and
//!   scheduler retries are idempotent); a marker that does not match is an
//!   error unless `--force`, since its parts came from another pipeline or
//!   another input.
//! * **Merge.** [`merge`] checks every marker and concatenates the parts
//!   into the final outputs (JSONL, the errors files, CSV without the
//!   repeated headers, CoNLL, GeoJSON features, Parquet rows, TimeML
//!   folders, SQLite databases as one run), keeps the per-shard HTML
//!   reports as they are (and says so), then writes `OUT/_SUCCESS`.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use document::Shard;
use serde::{Deserialize, Serialize};

use crate::Pipeline;
use crate::executor::{Progress, RunOptions, Summary};
use crate::journal::{hex, read_json, remove_if_exists, write_json};

const MARKER_VERSION: u32 = 1;

/// The environment variables that name a shard index, in the order
/// `--shard auto/N` looks for them.
pub const INDEX_VARIABLES: [&str; 3] =
    ["SLURM_ARRAY_TASK_ID", "JOB_COMPLETION_INDEX", "AWS_BATCH_JOB_ARRAY_INDEX"];

/// The test hook of docs/cluster.md: a shard whose index is listed in it
/// (`DATELINE_FAIL_SHARD=2` or `=1,3`) fails on purpose before writing
/// anything, so that the scheduler tests can check that a failure is seen
/// and resubmitted.
pub const FAIL_VARIABLE: &str = "DATELINE_FAIL_SHARD";

/// What `--shard` says: an index, or `auto` (from the scheduler's
/// environment), of a count.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ShardArgument {
    /// `None` for `auto`.
    pub index: Option<u64>,
    pub count: u64,
}

impl std::str::FromStr for ShardArgument {
    type Err = String;

    /// `3/16` or `auto/16`.
    fn from_str(text: &str) -> Result<Self, String> {
        let usage = || format!("--shard takes I/N or auto/N (such as 3/16), not `{text}`");
        let (index, count) = text.split_once('/').ok_or_else(usage)?;
        let count: u64 = count.trim().parse().map_err(|_| usage())?;
        let index = match index.trim() {
            "auto" => None,
            number => Some(number.parse::<u64>().map_err(|_| usage())?),
        };
        Shard::new(index.unwrap_or(0), count)?;
        Ok(ShardArgument { index, count })
    }
}

/// The shard a process runs: the index given, or for `auto` the first of
/// [`INDEX_VARIABLES`] that is set, plus `offset` (`--shard-offset K`, for
/// arrays cut into pieces under Slurm's `MaxArraySize`). `lookup` reads
/// the environment (a parameter, so that tests need not set variables).
pub fn resolve(
    argument: ShardArgument,
    offset: u64,
    lookup: impl Fn(&str) -> Option<String>,
) -> Result<(Shard, Option<&'static str>), String> {
    let (base, source) = match argument.index {
        Some(index) => (index, None),
        None => {
            let found = INDEX_VARIABLES.iter().find_map(|name| {
                lookup(name).filter(|value| !value.trim().is_empty()).map(|value| (*name, value))
            });
            let Some((name, value)) = found else {
                return Err(format!(
                    "--shard auto/{}: none of {} is set; give the index, as in --shard 3/{}",
                    argument.count,
                    INDEX_VARIABLES.join(", "),
                    argument.count
                ));
            };
            let index = value
                .trim()
                .parse::<u64>()
                .map_err(|_| format!("{name}={value} is not a shard index"))?;
            (index, Some(name))
        }
    };
    let index = base
        .checked_add(offset)
        .ok_or_else(|| format!("shard index {base} + --shard-offset {offset} overflows"))?;
    let shard = Shard::new(index, argument.count).map_err(|error| match source {
        Some(name) => format!("{error} ({name}={base}, --shard-offset {offset})"),
        None if offset > 0 => format!("{error} ({base} + --shard-offset {offset})"),
        None => error,
    })?;
    Ok((shard, source))
}

/// The failure [`FAIL_VARIABLE`] asks for on this shard, if any.
pub fn injected_failure(shard: Shard, value: Option<&str>) -> Option<String> {
    let value = value?;
    let listed = value.split(',').any(|item| item.trim().parse::<u64>() == Ok(shard.index));
    listed.then(|| {
        format!(
            "{FAIL_VARIABLE}={value}: shard {shard} fails on purpose (a test hook, \
             docs/cluster.md); nothing was written"
        )
    })
}

/// Indices in Slurm's array syntax: `[3, 7, 12, 13, 14, 15]` → `3,7,12-15`.
pub fn array_syntax(indices: &[u64]) -> String {
    let mut sorted = indices.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    let mut pieces = Vec::new();
    let mut index = 0;
    while index < sorted.len() {
        let first = sorted[index];
        let mut last = first;
        while index + 1 < sorted.len() && sorted[index + 1] == last + 1 {
            index += 1;
            last = sorted[index];
        }
        pieces.push(if first == last { first.to_string() } else { format!("{first}-{last}") });
        index += 1;
    }
    pieces.join(",")
}

/// What a finished shard recorded in `OUT/_done/<tag>.json`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Marker {
    pub version: u32,
    pub index: u64,
    pub count: u64,
    /// The Dateline version that wrote the parts.
    pub dateline: String,
    /// The pipeline file, for messages.
    pub pipeline: String,
    /// [`Pipeline::fingerprint`] (the pipeline file's text), in hex.
    pub config: String,
    /// The reader's fingerprint of the whole input listing (every file's
    /// path, size and modification time), in hex.
    pub input: String,
    pub documents: Counts,
    /// Per exporter, in pipeline order, its part files (relative to `OUT`
    /// when inside it).
    pub exporters: Vec<ExporterParts>,
}

/// The figures of one shard.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub read: u64,
    pub written: u64,
    pub failed: u64,
    pub warnings: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExporterParts {
    pub name: String,
    pub kind: String,
    pub files: Vec<PathBuf>,
}

/// `OUT/_done/00003-of-00016.json`.
pub fn marker_path(out: &Path, shard: Shard) -> PathBuf {
    out.join("_done").join(format!("{}.json", shard.tag()))
}

impl Marker {
    /// Reads the marker at `path`; `Ok(None)` if there is none.
    pub fn read(path: &Path) -> anyhow::Result<Option<Marker>> {
        let Some(marker) = read_json::<Marker>(path, "a Dateline shard marker")? else {
            return Ok(None);
        };
        if marker.version != MARKER_VERSION {
            anyhow::bail!(
                "{} has marker version {}; this Dateline writes version {MARKER_VERSION}",
                path.display(),
                marker.version
            );
        }
        Ok(Some(marker))
    }

    /// Why this marker is not the record of the shard `expected` describes.
    fn mismatch(&self, expected: &Marker, out: &Path) -> Option<String> {
        if self.count != expected.count || self.index != expected.index {
            Some(format!("it records shard {}/{}", self.index, self.count))
        } else if self.config != expected.config {
            Some(format!(
                "the pipeline file changed (or another pipeline, {}, wrote it)",
                self.pipeline
            ))
        } else if self.input != expected.input {
            Some("the input changed (a file was added, removed or modified)".into())
        } else if self.dateline != expected.dateline {
            Some(format!("Dateline {} wrote it; this is {}", self.dateline, expected.dateline))
        } else if self.exporters != expected.exporters {
            Some("the pipeline's exporters or their files differ".into())
        } else {
            // Folders of `timeml` and `html` exist only if a document was
            // written; every other part is written even when empty.
            self.exporters
                .iter()
                .filter(|exporter| !matches!(exporter.kind.as_str(), "timeml" | "html"))
                .flat_map(|exporter| &exporter.files)
                .find(|file| !out.join(file).exists())
                .map(|file| format!("its part {} is missing", out.join(file).display()))
        }
    }
}

/// `file` relative to `out` when inside it, else absolute (so that `runner
/// shards merge` finds it from any folder).
fn relative(file: &Path, out: &Path) -> PathBuf {
    if out == Path::new(".") && file.is_relative() && file.parent() == Some(Path::new("")) {
        return file.to_path_buf();
    }
    match file.strip_prefix(out) {
        Ok(inside) => inside.to_path_buf(),
        Err(_) => std::path::absolute(file).unwrap_or_else(|_| file.to_path_buf()),
    }
}

/// The folder of a sharded pipeline's outputs and markers: the folder of
/// its first exporter's first output (`.` for a bare file name).
pub fn out_folder(pipeline: &Pipeline) -> anyhow::Result<PathBuf> {
    let first = pipeline
        .exporters
        .first()
        .and_then(|exporter| exporter.component.outputs().into_iter().next())
        .context("no exporter names an output, so there is no folder for the shard markers")?;
    Ok(match first.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    })
}

/// What [`run`] did.
pub enum ShardOutcome {
    /// The marker matched: the shard was done already.
    Done { marker: PathBuf },
    /// The shard ran; its marker is written unless the run aborted.
    Ran { summary: Box<Summary>, marker: Option<PathBuf> },
}

/// Runs shard `shard` of a pipeline loaded with [`crate::load_sharded`]:
/// skips it if its marker matches, refuses a marker that does not (unless
/// `force`), runs it, and writes the marker once the parts are in place.
pub fn run(
    pipeline: Pipeline,
    shard: Shard,
    force: bool,
    options: &RunOptions,
    progress: &mut (dyn FnMut(&Progress) + Send),
) -> anyhow::Result<ShardOutcome> {
    let out = out_folder(&pipeline)?;
    let marker_file = marker_path(&out, shard);
    let input = pipeline.reader.component.fingerprint().with_context(|| {
        format!(
            "reader \"{}\" (kind {}) cannot fingerprint its input, which a shard marker records",
            pipeline.reader.name, pipeline.reader.kind
        )
    })?;
    let mut expected = Marker {
        version: MARKER_VERSION,
        index: shard.index,
        count: shard.count,
        dateline: env!("CARGO_PKG_VERSION").to_string(),
        pipeline: pipeline.file.display().to_string(),
        config: hex(pipeline.fingerprint),
        input: hex(input),
        documents: Counts::default(),
        exporters: pipeline
            .exporters
            .iter()
            .map(|exporter| ExporterParts {
                name: exporter.name.clone(),
                kind: exporter.kind.to_string(),
                files: exporter
                    .component
                    .outputs()
                    .iter()
                    .map(|file| relative(file, &out))
                    .collect(),
            })
            .collect(),
    };
    match Marker::read(&marker_file) {
        Ok(Some(found)) => match found.mismatch(&expected, &out) {
            None => return Ok(ShardOutcome::Done { marker: marker_file }),
            Some(why) if force => {
                tracing::warn!(
                    "{} does not match ({why}); running the shard again (--force)",
                    marker_file.display()
                );
                remove(&marker_file)?;
            }
            Some(why) => anyhow::bail!(
                "shard {shard}: its marker {} does not match this run: {why}; `--force` runs the shard again",
                marker_file.display()
            ),
        },
        Ok(None) => {}
        Err(error) if force => {
            tracing::warn!("{error:#}; running the shard again (--force)");
            remove(&marker_file)?;
        }
        Err(error) => return Err(error.context("`--force` runs the shard again")),
    }
    // A shard that runs again makes an earlier merge stale.
    remove(&out.join("_SUCCESS"))?;
    let summary = pipeline.run(options, progress)?;
    if summary.aborted.is_some() {
        return Ok(ShardOutcome::Ran { summary: Box::new(summary), marker: None });
    }
    expected.documents = Counts {
        read: summary.read,
        written: summary.written,
        failed: summary.failed,
        warnings: summary.warnings,
    };
    write_json(&marker_file, &expected)?;
    Ok(ShardOutcome::Ran { summary: Box::new(summary), marker: Some(marker_file) })
}

fn remove(path: &Path) -> anyhow::Result<()> {
    remove_if_exists(path).with_context(|| format!("cannot remove {}", path.display()))
}

/// Each of the `count` shards' markers in `out`; `None` where it is absent,
/// unreadable or the record of another shard.
fn markers(out: &Path, count: u64) -> anyhow::Result<Vec<Option<Marker>>> {
    Shard::new(0, count).map_err(|error| anyhow::anyhow!("--of {count}: {error}"))?;
    let read = |index: u64| {
        let shard = Shard { index, count };
        match Marker::read(&marker_path(out, shard)) {
            Ok(Some(marker)) if marker.index == index && marker.count == count => Some(marker),
            Ok(_) => None,
            Err(error) => {
                tracing::warn!("{error:#}; shard {shard} counts as missing");
                None
            }
        }
    };
    Ok((0..count).map(read).collect())
}

/// The indices of the `None`s among [`markers`].
fn absent(markers: &[Option<Marker>]) -> Vec<u64> {
    (0u64..).zip(markers).filter(|(_, marker)| marker.is_none()).map(|(index, _)| index).collect()
}

/// The shards of `count` without a readable marker of `count` in `out`.
pub fn missing(out: &Path, count: u64) -> anyhow::Result<Vec<u64>> {
    Ok(absent(&markers(out, count)?))
}

/// What [`merge`] wrote.
#[derive(Debug, Default)]
pub struct Merged {
    pub outputs: Vec<PathBuf>,
    /// Parts left as they are, with why (html reports).
    pub kept: Vec<String>,
    pub documents: Counts,
}

/// Checks the markers of all `count` shards in `out` and merges every
/// exporter's parts into its final outputs, then writes `out/_SUCCESS`.
/// Nothing is written unless every marker is there and they agree.
pub fn merge(out: &Path, count: u64) -> anyhow::Result<Merged> {
    let found = markers(out, count)?;
    let absent = absent(&found);
    if !absent.is_empty() {
        anyhow::bail!(
            "{} of {count} shards have no marker in {}: {} (`runner shards missing` lists them for resubmission)",
            absent.len(),
            out.join("_done").display(),
            array_syntax(&absent)
        );
    }
    let markers: Vec<Marker> = found.into_iter().flatten().collect();
    let first = &markers[0];
    for marker in &markers[1..] {
        let differs = if marker.config != first.config {
            Some("pipeline file")
        } else if marker.input != first.input {
            Some("input")
        } else if marker.dateline != first.dateline {
            Some("Dateline version")
        } else if marker.exporters.len() != first.exporters.len()
            || marker.exporters.iter().zip(&first.exporters).any(|(a, b)| {
                a.name != b.name || a.kind != b.kind || a.files.len() != b.files.len()
            })
        {
            Some("exporters")
        } else {
            None
        };
        if let Some(what) = differs {
            anyhow::bail!(
                "shards 0 and {} of {count} were run with a different {what}: rerun the odd ones with --force",
                marker.index
            );
        }
    }
    let mut merged = Merged::default();
    for (position, exporter) in first.exporters.iter().enumerate() {
        for file in 0..exporter.files.len() {
            let parts: Vec<PathBuf> = markers
                .iter()
                .map(|marker| out.join(&marker.exporters[position].files[file]))
                .collect();
            let target = whole_path(&parts[0])?;
            match (exporter.kind.as_str(), file) {
                ("html", _) => {
                    merged.kept.push(format!(
                        "exporter \"{}\" (kind html): one report per shard ({} and the others); \
                         reports are not merged",
                        exporter.name,
                        parts[0].display()
                    ));
                    continue;
                }
                ("sqlite", _) => {
                    sqlite_exporter::merge_parts(&parts, &target)?;
                }
                ("timeml", _) => merge_folders(&parts, &target)?,
                ("csv", 0) => concatenate(&parts, &target, Skip::CsvHeader)?,
                ("geojson", _) => concatenate(&parts, &target, Skip::GeojsonWrapper)?,
                ("parquet", _) => {
                    parquet_exporter::merge_parts(&parts, &target)?;
                }
                _ => concatenate(&parts, &target, Skip::Nothing)?,
            }
            merged.outputs.push(target);
        }
    }
    for marker in &markers {
        merged.documents.read += marker.documents.read;
        merged.documents.written += marker.documents.written;
        merged.documents.failed += marker.documents.failed;
        merged.documents.warnings += marker.documents.warnings;
    }
    let record = serde_json::json!({
        "shards": count,
        "dateline": first.dateline,
        "pipeline": first.pipeline,
        "config": first.config,
        "input": first.input,
        "documents": merged.documents,
        "outputs": merged.outputs.iter().map(|path| relative(path, out)).collect::<Vec<_>>(),
    });
    write_json(&out.join("_SUCCESS"), &record)?;
    Ok(merged)
}

/// `out/news.part-00000-of-00004.jsonl` → `out/news.jsonl`.
fn whole_path(part: &Path) -> anyhow::Result<PathBuf> {
    let name = part.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default();
    let (whole, _) = Shard::parse_part_name(&name)
        .with_context(|| format!("{} is not named as a part", part.display()))?;
    Ok(part.with_file_name(whole))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Skip {
    Nothing,
    /// Every part starts with the header row; only the first keeps it.
    CsvHeader,
    /// `{"type":"FeatureCollection","features":[` … `]}`: one wrapper
    /// around the features of every part, written as the exporter does.
    GeojsonWrapper,
}

const GEOJSON_OPEN: &[u8] = b"{\"type\":\"FeatureCollection\",\"features\":[";

/// Writes the parts one after the other into `target`, atomically.
fn concatenate(parts: &[PathBuf], target: &Path, skip: Skip) -> anyhow::Result<()> {
    let mut output = exporter::AtomicFile::create(target)?;
    let write_error = || format!("cannot write {}", target.display());
    let mut features = 0usize;
    if skip == Skip::GeojsonWrapper {
        output.write_all(GEOJSON_OPEN).with_context(write_error)?;
    }
    for (index, part) in parts.iter().enumerate() {
        match skip {
            Skip::Nothing => {
                let mut file = std::fs::File::open(part)
                    .with_context(|| format!("cannot read {}", part.display()))?;
                std::io::copy(&mut file, &mut output).with_context(write_error)?;
            }
            Skip::CsvHeader => {
                let mut file = std::io::BufReader::new(
                    std::fs::File::open(part)
                        .with_context(|| format!("cannot read {}", part.display()))?,
                );
                if index > 0 {
                    let mut header = Vec::new();
                    std::io::BufRead::read_until(&mut file, b'\n', &mut header)
                        .with_context(|| format!("cannot read {}", part.display()))?;
                }
                std::io::copy(&mut file, &mut output).with_context(write_error)?;
            }
            Skip::GeojsonWrapper => {
                // The exporter writes each feature on a line of its own, JSON
                // without raw line breaks: `\n{…}` separated by commas.
                let bytes = std::fs::read(part)
                    .with_context(|| format!("cannot read {}", part.display()))?;
                let body = bytes
                    .strip_prefix(GEOJSON_OPEN)
                    .and_then(|rest| rest.strip_suffix(b"]}\n"))
                    .with_context(|| {
                        format!("{} is not a GeoJSON part written by Dateline", part.display())
                    })?;
                for line in body.split(|&byte| byte == b'\n').filter(|line| !line.is_empty()) {
                    let feature = line.strip_suffix(b",").unwrap_or(line);
                    output
                        .write_all(if features == 0 { b"\n" } else { b",\n" })
                        .with_context(write_error)?;
                    output.write_all(feature).with_context(write_error)?;
                    features += 1;
                }
            }
        }
    }
    if skip == Skip::GeojsonWrapper {
        let closing: &[u8] = if features == 0 { b"]}\n" } else { b"\n]}\n" };
        output.write_all(closing).with_context(write_error)?;
    }
    output.commit()?;
    Ok(())
}

/// TimeML folders: every part folder's files go into the final folder (a
/// shard that wrote no document has no folder). Two parts with the same
/// file name (the same document id in two shards) are refused.
fn merge_folders(parts: &[PathBuf], target: &Path) -> anyhow::Result<()> {
    let mut sources: BTreeMap<std::ffi::OsString, PathBuf> = BTreeMap::new();
    for part in parts {
        let entries = match std::fs::read_dir(part) {
            Ok(entries) => entries,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => continue,
            Err(error) => {
                return Err(error).with_context(|| format!("cannot read {}", part.display()));
            }
        };
        for entry in entries {
            let entry = entry.with_context(|| format!("cannot read {}", part.display()))?;
            let name = entry.file_name();
            if name.to_string_lossy().starts_with('.') {
                continue;
            }
            if let Some(previous) = sources.insert(name.clone(), entry.path()) {
                anyhow::bail!(
                    "{} and {} have the same name; they cannot share {}",
                    previous.display(),
                    entry.path().display(),
                    target.display()
                );
            }
        }
    }
    std::fs::create_dir_all(target)
        .with_context(|| format!("cannot create {}", target.display()))?;
    for (name, source) in sources {
        let bytes =
            std::fs::read(&source).with_context(|| format!("cannot read {}", source.display()))?;
        let mut file = exporter::AtomicFile::create(&target.join(&name))?;
        file.write_all(&bytes).with_context(|| format!("cannot write {}", target.display()))?;
        file.commit()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn environment(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: BTreeMap<String, String> =
            pairs.iter().map(|(key, value)| (key.to_string(), value.to_string())).collect();
        move |name| map.get(name).cloned()
    }

    fn auto(count: u64) -> ShardArgument {
        ShardArgument { index: None, count }
    }

    #[test]
    fn shard_arguments_parse() {
        assert_eq!("3/16".parse(), Ok(ShardArgument { index: Some(3), count: 16 }));
        assert_eq!("auto/4".parse(), Ok(auto(4)));
        assert_eq!(
            "16/16".parse::<ShardArgument>(),
            Err("shard index 16 is out of range: shards of 16 are numbered 0 to 15".into())
        );
        assert_eq!(
            "3".parse::<ShardArgument>(),
            Err("--shard takes I/N or auto/N (such as 3/16), not `3`".into())
        );
        assert_eq!(
            "x/2".parse::<ShardArgument>(),
            Err("--shard takes I/N or auto/N (such as 3/16), not `x/2`".into())
        );
    }

    #[test]
    fn the_index_comes_from_slurm_then_kubernetes_then_aws_batch() {
        let all = environment(&[
            ("SLURM_ARRAY_TASK_ID", "1"),
            ("JOB_COMPLETION_INDEX", "2"),
            ("AWS_BATCH_JOB_ARRAY_INDEX", "3"),
        ]);
        assert_eq!(
            resolve(auto(8), 0, &all),
            Ok((Shard { index: 1, count: 8 }, Some("SLURM_ARRAY_TASK_ID")))
        );
        let kubernetes =
            environment(&[("JOB_COMPLETION_INDEX", "2"), ("AWS_BATCH_JOB_ARRAY_INDEX", "3")]);
        assert_eq!(
            resolve(auto(8), 0, &kubernetes),
            Ok((Shard { index: 2, count: 8 }, Some("JOB_COMPLETION_INDEX")))
        );
        let batch = environment(&[("AWS_BATCH_JOB_ARRAY_INDEX", "3")]);
        assert_eq!(
            resolve(auto(8), 0, &batch),
            Ok((Shard { index: 3, count: 8 }, Some("AWS_BATCH_JOB_ARRAY_INDEX")))
        );
        // An empty variable does not count.
        let empty = environment(&[("SLURM_ARRAY_TASK_ID", ""), ("AWS_BATCH_JOB_ARRAY_INDEX", "5")]);
        assert_eq!(resolve(auto(8), 0, &empty).map(|(shard, _)| shard.index), Ok(5));
        // An explicit index ignores the environment.
        let given = ShardArgument { index: Some(6), count: 8 };
        assert_eq!(resolve(given, 0, &all), Ok((Shard { index: 6, count: 8 }, None)));
    }

    #[test]
    fn the_offset_is_added_and_errors_name_the_variable() {
        let slurm = environment(&[("SLURM_ARRAY_TASK_ID", "999")]);
        assert_eq!(resolve(auto(2000), 1000, &slurm).map(|(shard, _)| shard.index), Ok(1999));
        assert_eq!(
            resolve(auto(1500), 1000, &slurm),
            Err("shard index 1999 is out of range: shards of 1500 are numbered 0 to 1499 \
                 (SLURM_ARRAY_TASK_ID=999, --shard-offset 1000)"
                .into())
        );
        assert_eq!(
            resolve(auto(4), 0, environment(&[])),
            Err("--shard auto/4: none of SLURM_ARRAY_TASK_ID, JOB_COMPLETION_INDEX, \
                 AWS_BATCH_JOB_ARRAY_INDEX is set; give the index, as in --shard 3/4"
                .into())
        );
        assert_eq!(
            resolve(auto(4), 0, environment(&[("JOB_COMPLETION_INDEX", "two")])),
            Err("JOB_COMPLETION_INDEX=two is not a shard index".into())
        );
    }

    #[test]
    fn slurm_array_syntax() {
        assert_eq!(array_syntax(&[3, 7, 12, 13, 14, 15]), "3,7,12-15");
        assert_eq!(array_syntax(&[15, 3, 14, 12, 13, 7, 3]), "3,7,12-15");
        assert_eq!(array_syntax(&[0]), "0");
        assert_eq!(array_syntax(&[0, 1]), "0-1");
        assert_eq!(array_syntax(&[]), "");
    }

    #[test]
    fn the_failure_hook_names_itself() {
        let shard = Shard { index: 2, count: 4 };
        assert_eq!(injected_failure(shard, None), None);
        assert_eq!(injected_failure(shard, Some("1,3")), None);
        assert_eq!(
            injected_failure(shard, Some("1, 2")).unwrap(),
            "DATELINE_FAIL_SHARD=1, 2: shard 2/4 fails on purpose (a test hook, docs/cluster.md); \
             nothing was written"
        );
    }

    #[test]
    fn a_marker_that_does_not_match_says_why() {
        let folder =
            std::env::temp_dir().join(format!("dateline-shard-marker-{}", std::process::id()));
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(folder.join("a.part-00001-of-00002.jsonl"), "").unwrap();
        let marker = Marker {
            version: MARKER_VERSION,
            index: 1,
            count: 2,
            dateline: "0.1.0".into(),
            pipeline: "p.toml".into(),
            config: hex(1),
            input: hex(2),
            documents: Counts::default(),
            exporters: vec![ExporterParts {
                name: "jsonl".into(),
                kind: "jsonl".into(),
                files: vec!["a.part-00001-of-00002.jsonl".into()],
            }],
        };
        let path = marker_path(&folder, Shard { index: 1, count: 2 });
        write_json(&path, &marker).unwrap();
        let found = Marker::read(&path).unwrap().unwrap();
        assert_eq!(found, marker);
        assert_eq!(found.mismatch(&marker, &folder), None);
        let changed = |change: &dyn Fn(&mut Marker)| {
            let mut expected = marker.clone();
            change(&mut expected);
            found.mismatch(&expected, &folder).unwrap_or_default()
        };
        assert_eq!(
            changed(&|m| m.config = hex(3)),
            "the pipeline file changed (or another pipeline, p.toml, wrote it)"
        );
        assert_eq!(
            changed(&|m| m.input = hex(3)),
            "the input changed (a file was added, removed or modified)"
        );
        assert_eq!(
            changed(&|m| m.dateline = "0.2.0".into()),
            "Dateline 0.1.0 wrote it; this is 0.2.0"
        );
        assert_eq!(changed(&|m| m.count = 3), "it records shard 1/2");
        std::fs::remove_file(folder.join("a.part-00001-of-00002.jsonl")).unwrap();
        let missing = found.mismatch(&marker, &folder).unwrap();
        assert!(
            missing.starts_with("its part ")
                && missing.ends_with("a.part-00001-of-00002.jsonl is missing"),
            "{missing}"
        );
        assert_eq!(missing_in(&folder, 2), vec![0]);
        std::fs::remove_dir_all(folder).unwrap();
    }

    fn missing_in(out: &Path, count: u64) -> Vec<u64> {
        missing(out, count).unwrap()
    }

    #[test]
    fn part_files_are_recorded_relative_to_out_when_inside_it() {
        assert_eq!(relative(Path::new("out/a.jsonl"), Path::new("out")), PathBuf::from("a.jsonl"));
        assert_eq!(relative(Path::new("a.jsonl"), Path::new(".")), PathBuf::from("a.jsonl"));
        let elsewhere = relative(Path::new("other/b.csv"), Path::new("out"));
        assert!(elsewhere.is_absolute() && elsewhere.ends_with("other/b.csv"), "{elsewhere:?}");
        assert_eq!(
            marker_path(Path::new("out"), Shard { index: 3, count: 16 }),
            PathBuf::from("out/_done/00003-of-00016.json")
        );
    }

    #[test]
    fn csv_headers_and_geojson_wrappers_are_merged() {
        let folder =
            std::env::temp_dir().join(format!("dateline-shard-merge-{}", std::process::id()));
        std::fs::create_dir_all(&folder).unwrap();
        let write = |name: &str, text: &str| {
            let path = folder.join(name);
            std::fs::write(&path, text).unwrap();
            path
        };
        let csv = [
            write("a.part-00000-of-00003.csv", "h1,h2\r\n1,2\r\n"),
            write("a.part-00001-of-00003.csv", "h1,h2\r\n"),
            write("a.part-00002-of-00003.csv", "h1,h2\r\n3,4\r\n5,6\r\n"),
        ];
        concatenate(&csv, &folder.join("a.csv"), Skip::CsvHeader).unwrap();
        assert_eq!(
            std::fs::read_to_string(folder.join("a.csv")).unwrap(),
            "h1,h2\r\n1,2\r\n3,4\r\n5,6\r\n"
        );
        let open = std::str::from_utf8(GEOJSON_OPEN).unwrap();
        let geojson = [
            write(
                "g.part-00000-of-00003.geojson",
                &format!("{open}\n{{\"a\":1}},\n{{\"b\":2}}\n]}}\n"),
            ),
            write("g.part-00001-of-00003.geojson", &format!("{open}]}}\n")),
            write("g.part-00002-of-00003.geojson", &format!("{open}\n{{\"c\":3}}\n]}}\n")),
        ];
        concatenate(&geojson, &folder.join("g.geojson"), Skip::GeojsonWrapper).unwrap();
        assert_eq!(
            std::fs::read_to_string(folder.join("g.geojson")).unwrap(),
            format!("{open}\n{{\"a\":1}},\n{{\"b\":2}},\n{{\"c\":3}}\n]}}\n")
        );
        concatenate(&geojson[1..2], &folder.join("e.geojson"), Skip::GeojsonWrapper).unwrap();
        assert_eq!(
            std::fs::read_to_string(folder.join("e.geojson")).unwrap(),
            format!("{open}]}}\n")
        );
        assert_eq!(whole_path(&csv[2]).unwrap(), folder.join("a.csv"));
        std::fs::remove_dir_all(folder).unwrap();
    }
}
