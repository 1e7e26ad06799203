//! Turning the `path` option into an ordered list of files, shared by every
//! reader.
//!
//! A path is a file, a directory (read recursively) or a glob pattern.
//! [`check`] runs when the reader is built and only makes sure each path
//! names something; [`list`] runs when the reader is first opened and does
//! the walking. Each path's files are sorted by their path relative to the
//! path's root, as bytes, so that a run reads the same files in the same
//! order on every machine; several paths keep the order they were given in.

use std::collections::HashSet;
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use document::{BuildContext, OptionsError};
use glob::MatchOptions;
use serde::Deserialize;
use serde::de::{self, Deserializer, SeqAccess, Visitor};

use crate::decode::Compression;

/// The `path` option: one string or an array of strings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Paths(pub Vec<String>);

impl<'de> Deserialize<'de> for Paths {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Paths, D::Error> {
        struct PathsVisitor;

        impl<'de> Visitor<'de> for PathsVisitor {
            type Value = Paths;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a path or an array of paths")
            }

            fn visit_str<E: de::Error>(self, value: &str) -> Result<Paths, E> {
                Ok(Paths(vec![value.to_owned()]))
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Paths, A::Error> {
                let mut paths = Vec::new();
                while let Some(path) = seq.next_element::<String>()? {
                    paths.push(path);
                }
                Ok(Paths(paths))
            }
        }

        deserializer.deserialize_any(PathsVisitor)
    }
}

/// One checked entry of the `path` option.
#[derive(Clone, Debug)]
pub(crate) struct Source {
    /// The path as written in the pipeline file, for messages.
    pub given: String,
    kind: SourceKind,
}

#[derive(Clone, Debug)]
enum SourceKind {
    File(PathBuf),
    Directory(PathBuf),
    /// `root` is the pattern's leading directory without wildcards, which
    /// ids are relative to; `pattern` is the full pattern, root escaped.
    Glob {
        root: PathBuf,
        pattern: String,
    },
}

/// Which files of a directory (or a glob's matches) are read.
#[derive(Clone, Debug, Default)]
pub(crate) struct Filter {
    /// Lower-case extensions without the dot, compared after `.gz`/`.zst`
    /// is stripped; `None` accepts every file.
    pub extensions: Option<Vec<String>>,
    /// Whether the extensions also filter the files a glob matches
    /// (directories found by a glob are always filtered).
    pub filter_glob_matches: bool,
}

impl Filter {
    /// Whether the file at `relative` (or just its name) is read.
    fn accepts(&self, relative: &str) -> bool {
        let Some(extensions) = &self.extensions else { return true };
        let name = relative.rsplit('/').next().unwrap_or(relative);
        extension(name).is_some_and(|extension| {
            extensions.iter().any(|wanted| wanted.eq_ignore_ascii_case(extension))
        })
    }
}

/// A file to read, or something found while listing that could not be.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Entry {
    pub path: PathBuf,
    /// Path relative to the root, `/`-separated.
    pub relative: String,
    /// `relative` without the extension(s), for files; `relative` for a
    /// directory that could not be read.
    pub id: String,
    /// Size on disk, 0 when unknown.
    pub size: u64,
    /// Modification time in nanoseconds since 1970, 0 when unknown; with the
    /// size, what tells a resumed run that a file changed.
    pub modified: u64,
    /// Why the entry cannot be read, found while listing.
    pub problem: Option<String>,
}

impl Entry {
    fn file(path: PathBuf, relative: String, size: u64) -> Entry {
        Entry { path, id: file_id(&relative), relative, size, modified: 0, problem: None }
    }

    fn unreadable_file(path: PathBuf, relative: String, error: &std::io::Error) -> Entry {
        let problem = Some(format!("cannot read file: {error}"));
        Entry { path, id: file_id(&relative), relative, size: 0, modified: 0, problem }
    }

    fn unreadable_directory(path: PathBuf, relative: String, error: &std::io::Error) -> Entry {
        let problem = Some(format!("cannot read directory: {error}"));
        Entry { path, id: relative.clone(), relative, size: 0, modified: 0, problem }
    }
}

/// The files of every source, in reading order.
#[derive(Clone, Debug, Default)]
pub(crate) struct Listing {
    pub entries: Vec<Entry>,
    /// Sum of the sizes of the readable files, on disk.
    pub total_bytes: u64,
}

/// The extension of a file name after `.gz`/`.zst` is taken off, if any.
pub(crate) fn extension(name: &str) -> Option<&str> {
    let name = strip_compression(name);
    let dot = name.rfind('.').filter(|&dot| dot > 0)?;
    Some(&name[dot + 1..])
}

fn strip_compression(name: &str) -> &str {
    let suffix = Compression::of(name).suffix_len();
    if suffix > 0 && name.len() > suffix { &name[..name.len() - suffix] } else { name }
}

/// A file's id: its relative path without `.gz`/`.zst` and one more
/// extension (`sport/199.txt` → `sport/199`, `a.txt.gz` → `a`).
pub(crate) fn file_id(relative: &str) -> String {
    let (folder, name) = match relative.rfind('/') {
        Some(slash) => relative.split_at(slash + 1),
        None => ("", relative),
    };
    let name = strip_compression(name);
    let stem = match name.rfind('.') {
        Some(dot) if dot > 0 => &name[..dot],
        _ => name,
    };
    format!("{folder}{stem}")
}

fn has_wildcards(text: &str) -> bool {
    text.contains(['*', '?', '['])
}

fn glob_options() -> MatchOptions {
    MatchOptions {
        case_sensitive: true,
        require_literal_separator: true,
        require_literal_leading_dot: true,
    }
}

/// Where a relative path was looked for, for messages.
fn looked_for(given: &str, resolved: &Path, context: &BuildContext) -> String {
    if Path::new(given).is_absolute() {
        String::new()
    } else {
        format!(
            " (resolved to `{}`: relative paths resolve against the pipeline file's folder, `{}`)",
            resolved.display(),
            context.base_dir.display()
        )
    }
}

/// Checks that every path names an existing file or directory, or is a
/// glob pattern that matches something. Nothing is walked yet.
pub(crate) fn check(paths: &Paths, context: &BuildContext) -> Result<Vec<Source>, OptionsError> {
    if paths.0.is_empty() {
        return Err(OptionsError::invalid("path", "give at least one path"));
    }
    paths.0.iter().map(|given| check_one(given, context)).collect()
}

fn check_one(given: &str, context: &BuildContext) -> Result<Source, OptionsError> {
    if given.is_empty() {
        return Err(OptionsError::invalid("path", "an empty string is not a path"));
    }
    // Lexically tidied (`a/./b/` → `a/b`), `..` kept: it may cross a link.
    let resolved: PathBuf = context.resolve(given).components().collect();
    let kind = match fs::metadata(&resolved) {
        Ok(metadata) if metadata.is_dir() => SourceKind::Directory(resolved),
        Ok(_) => SourceKind::File(resolved),
        Err(_) if has_wildcards(given) => check_glob(given, context)?,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            let message =
                format!("`{given}` does not exist{}", looked_for(given, &resolved, context));
            return Err(OptionsError::invalid("path", message));
        }
        Err(error) => {
            let message =
                format!("cannot read `{given}`: {error}{}", looked_for(given, &resolved, context));
            return Err(OptionsError::invalid("path", message));
        }
    };
    Ok(Source { given: given.to_owned(), kind })
}

fn check_glob(given: &str, context: &BuildContext) -> Result<SourceKind, OptionsError> {
    let parts: Vec<&str> = given.split('/').collect();
    let fixed = parts.iter().take_while(|part| !has_wildcards(part)).count();
    let prefix = parts[..fixed].join("/");
    let root = match prefix.as_str() {
        "" if given.starts_with('/') => PathBuf::from("/"),
        "" => context.base_dir.clone(),
        prefix => context.resolve(prefix).components().collect(),
    };
    let Some(root_text) = root.to_str() else {
        let message = format!("cannot use `{given}`: `{}` is not valid UTF-8", root.display());
        return Err(OptionsError::invalid("path", message));
    };
    let pattern = format!(
        "{}/{}",
        glob::Pattern::escape(root_text.trim_end_matches('/')),
        parts[fixed..].join("/")
    );
    let matches = glob::glob_with(&pattern, glob_options()).map_err(|error| {
        OptionsError::invalid(
            "path",
            format!("`{given}` is not a valid glob pattern: {}", error.msg),
        )
    })?;
    if !matches.flatten().any(|_| true) {
        let shown = root.join(parts[fixed..].join("/"));
        let message =
            format!("glob `{given}` matches nothing{}", looked_for(given, &shown, context));
        return Err(OptionsError::invalid("path", message));
    }
    Ok(SourceKind::Glob { root, pattern })
}

/// Lists every source, in order. Fails only when a root itself cannot be
/// read any more; problems below a root become entries.
/// A reader's inputs: the paths checked when it was built, listed on first
/// use and kept, so that `total_bytes` and every `open` see the same files.
#[derive(Debug)]
pub(crate) struct Inputs {
    pub sources: Vec<Source>,
    pub filter: Filter,
    listing: std::sync::OnceLock<Result<Listing, String>>,
}

impl Inputs {
    pub fn new(sources: Vec<Source>, filter: Filter) -> Self {
        Inputs { sources, filter, listing: std::sync::OnceLock::new() }
    }

    pub fn listing(&self) -> Result<&Listing, &str> {
        self.listing
            .get_or_init(|| list(&self.sources, &self.filter))
            .as_ref()
            .map_err(String::as_str)
    }

    /// Every listed file's path, size and modification time, hashed: what
    /// [`document::Reader::fingerprint`] reports for file-based readers.
    pub fn fingerprint(&self) -> Option<u64> {
        let listing = self.listing().ok()?;
        let mut hasher = document::StableHasher::new();
        for entry in &listing.entries {
            hash_file(&mut hasher, &entry.path, entry.size, entry.modified);
            hasher.write_field(entry.problem.as_deref().unwrap_or("").as_bytes());
        }
        Some(hasher.finish())
    }
}

pub(crate) fn list(sources: &[Source], filter: &Filter) -> Result<Listing, String> {
    let mut listing = Listing::default();
    for source in sources {
        let mut entries = Vec::new();
        match &source.kind {
            SourceKind::File(path) => {
                let metadata = fs::metadata(path)
                    .map_err(|error| format!("cannot read `{}`: {error}", path.display()))?;
                let name = path.file_name().map(|name| name.to_string_lossy().into_owned());
                entries.push(file_entry(path.clone(), name.unwrap_or_default(), &metadata));
            }
            SourceKind::Directory(path) => walk(path, "", filter, &mut entries)?,
            SourceKind::Glob { root, pattern } => {
                let matches = glob::glob_with(pattern, glob_options()).map_err(|error| {
                    format!("`{}` is not a valid glob pattern: {error}", source.given)
                })?;
                for found in matches {
                    match found {
                        Ok(path) => {
                            let relative = relative_to(&path, root);
                            match fs::metadata(&path) {
                                Ok(metadata) if metadata.is_dir() => {
                                    walk(&path, &relative, filter, &mut entries)?;
                                }
                                _ if filter.filter_glob_matches && !filter.accepts(&relative) => {}
                                Ok(metadata) => entries.push(file_entry(path, relative, &metadata)),
                                Err(error) => {
                                    entries.push(Entry::unreadable_file(path, relative, &error));
                                }
                            }
                        }
                        Err(error) => {
                            let relative = relative_to(error.path(), root);
                            let path = error.path().to_path_buf();
                            entries.push(Entry::unreadable_directory(
                                path,
                                relative,
                                error.error(),
                            ));
                        }
                    }
                }
            }
        }
        entries.sort_by(|a, b| a.relative.as_bytes().cmp(b.relative.as_bytes()));
        // `**` can match a folder and the files in it.
        entries.dedup_by(|a, b| a.relative == b.relative);
        listing.entries.append(&mut entries);
    }
    listing.total_bytes = readable_bytes(&listing.entries);
    Ok(listing)
}

/// The files of one shard: the sorted listing cut into `count` contiguous
/// runs of files by count (`Shard::range`); every file when not sharded.
pub(crate) fn shard_of_files(entries: &[Entry], shard: Option<document::Shard>) -> &[Entry] {
    let Some(shard) = shard else { return entries };
    let range = shard.range(entries.len() as u64);
    let start = usize::try_from(range.start).unwrap_or(entries.len());
    let end = usize::try_from(range.end).unwrap_or(entries.len());
    &entries[start.min(entries.len())..end.min(entries.len())]
}

/// The summed size of the readable files among `entries`.
pub(crate) fn readable_bytes(entries: &[Entry]) -> u64 {
    entries
        .iter()
        .filter(|entry| entry.problem.is_none())
        .map(|entry| entry.size)
        .fold(0, u64::saturating_add)
}

/// One file's part of a reader fingerprint: its path, size and
/// modification time.
pub(crate) fn hash_file(
    hasher: &mut document::StableHasher,
    path: &Path,
    size: u64,
    modified: u64,
) {
    hasher.write_field(path.as_os_str().as_encoded_bytes());
    hasher.write(&size.to_le_bytes());
    hasher.write(&modified.to_le_bytes());
}

pub(crate) fn modified_nanos(metadata: &fs::Metadata) -> u64 {
    let since_epoch =
        metadata.modified().ok().and_then(|time| time.duration_since(UNIX_EPOCH).ok());
    since_epoch.map_or(0, |duration| u64::try_from(duration.as_nanos()).unwrap_or(u64::MAX))
}

fn file_entry(path: PathBuf, relative: String, metadata: &fs::Metadata) -> Entry {
    let mut entry = Entry::file(path, relative, metadata.len());
    entry.modified = modified_nanos(metadata);
    if !metadata.is_file() {
        entry.problem = Some("not a regular file".into());
    }
    entry
}

/// `path` relative to `root`, `/`-separated: `""` for `root` itself, the
/// file name if it is not inside `root`.
fn relative_to(path: &Path, root: &Path) -> String {
    let relative = path.strip_prefix(root).ok();
    let relative = relative.unwrap_or_else(|| Path::new(path.file_name().unwrap_or_default()));
    let parts: Vec<String> =
        relative.components().map(|part| part.as_os_str().to_string_lossy().into_owned()).collect();
    parts.join("/")
}

fn join(folder: &str, name: &str) -> String {
    if folder.is_empty() { name.to_owned() } else { format!("{folder}/{name}") }
}

/// Adds the accepted files below `root` to `entries`, skipping hidden
/// names. Symbolic links are followed, but each directory is read once, so
/// a link back up the tree cannot loop. Only a source's own folder (an
/// empty `prefix`) being unreadable is an error.
fn walk(
    root: &Path,
    prefix: &str,
    filter: &Filter,
    entries: &mut Vec<Entry>,
) -> Result<(), String> {
    let mut visited = HashSet::new();
    visited.insert(fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf()));
    let mut stack = vec![(root.to_path_buf(), prefix.to_owned())];
    while let Some((folder, relative)) = stack.pop() {
        let items = match fs::read_dir(&folder) {
            Ok(items) => items,
            Err(error) if folder == root && prefix.is_empty() => {
                return Err(format!("cannot read directory `{}`: {error}", root.display()));
            }
            Err(error) => {
                entries.push(Entry::unreadable_directory(folder, relative, &error));
                continue;
            }
        };
        let mut children = Vec::new();
        for item in items {
            match item {
                Ok(item) => children.push(item),
                Err(error) => {
                    entries.push(Entry::unreadable_directory(
                        folder.clone(),
                        relative.clone(),
                        &error,
                    ));
                    break;
                }
            }
        }
        children.sort_by_key(|child| child.file_name());
        for child in children.into_iter().rev() {
            let name = child.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') {
                continue;
            }
            let path = child.path();
            let child_relative = join(&relative, &name);
            let is_link = child.file_type().is_ok_and(|kind| kind.is_symlink());
            let metadata = if is_link { fs::metadata(&path) } else { child.metadata() };
            match metadata {
                Ok(metadata) if metadata.is_dir() => {
                    let canonical = fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
                    if visited.insert(canonical) {
                        stack.push((path, child_relative));
                    } else {
                        tracing::debug!(path = %path.display(), "directory already listed, skipped");
                    }
                }
                Ok(_) if !filter.accepts(&name) => {}
                Ok(metadata) => entries.push(file_entry(path, child_relative, &metadata)),
                Err(_) if !filter.accepts(&name) => {}
                Err(error) => entries.push(Entry::unreadable_file(path, child_relative, &error)),
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_drop_compression_and_one_extension() {
        assert_eq!(file_id("sport/199.txt"), "sport/199");
        assert_eq!(file_id("a.txt.gz"), "a");
        assert_eq!(file_id("a.jsonl.zst"), "a");
        assert_eq!(file_id("report.v2.txt"), "report.v2");
        assert_eq!(file_id("x/README"), "x/README");
        assert_eq!(file_id("x.gz"), "x");
        assert_eq!(file_id("v1.0/notes"), "v1.0/notes");
    }

    #[test]
    fn extensions_are_read_after_compression() {
        assert_eq!(extension("a.txt.gz"), Some("txt"));
        assert_eq!(extension("a.TXT"), Some("TXT"));
        assert_eq!(extension("a.gz"), None);
        assert_eq!(extension("README"), None);
        let filter = Filter { extensions: Some(vec!["txt".into()]), filter_glob_matches: true };
        assert!(filter.accepts("a.txt.zst"));
        assert!(filter.accepts("A.TXT"));
        assert!(!filter.accepts("a.md"));
        assert!(!filter.accepts("txt"));
        assert!(!filter.accepts("v1.txt/notes"));
        assert!(filter.accepts("v1.0/notes.txt"));
        assert!(Filter::default().accepts("anything"));
    }
}
