//! One shard of a run: `runner run PIPELINE --shard I/N` processes part
//! `I` of `N` (docs/cluster.md). This module holds what readers and
//! exporters need to know about it: which part of the input is theirs
//! ([`Shard::range`], [`Shard::owner`]) and what their outputs are called
//! ([`Shard::part_path`]).
//!
//! Cutting is by position only (a count of files, or a byte offset), never
//! by thread count or timing, so every shard of every run agrees on who
//! owns what, and concatenating the shards' outputs in index order gives the
//! output of one unsharded run.

use std::fmt;
use std::path::{Path, PathBuf};

/// Shard `index` of `count` (0-based, `index < count`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Shard {
    pub index: u64,
    pub count: u64,
}

/// The largest shard count: part names have five digits.
pub const MAX_SHARDS: u64 = 99_999;

impl Shard {
    /// A shard, checked: `1 <= count <= MAX_SHARDS` and `index < count`.
    pub fn new(index: u64, count: u64) -> Result<Shard, String> {
        if count == 0 {
            return Err("the shard count must be at least 1".into());
        }
        if count > MAX_SHARDS {
            return Err(format!("the shard count must be at most {MAX_SHARDS}"));
        }
        if index >= count {
            return Err(format!(
                "shard index {index} is out of range: shards of {count} are numbered 0 to {}",
                count - 1
            ));
        }
        Ok(Shard { index, count })
    }

    /// `00003-of-00016`: the part of output names and marker names.
    pub fn tag(&self) -> String {
        format!("{:05}-of-{:05}", self.index, self.count)
    }

    /// Where shard `index` of `count` starts in `0..total`: `floor(index *
    /// total / count)`. Shards are contiguous and differ in size by at
    /// most one unit.
    pub fn start_of(index: u64, count: u64, total: u64) -> u64 {
        let wide = u128::from(index) * u128::from(total) / u128::from(count.max(1));
        u64::try_from(wide).unwrap_or(total)
    }

    /// This shard's part of `0..total` (files by count, or bytes).
    pub fn range(&self, total: u64) -> std::ops::Range<u64> {
        Shard::start_of(self.index, self.count, total)
            ..Shard::start_of(self.index + 1, self.count, total)
    }

    /// Whether this shard owns the unit (a file, a line) that starts at
    /// `offset` of `0..total`: the owner is the last shard whose range
    /// starts at or before `offset`, so a unit starting at `total` (an empty
    /// file at the end) goes to the last shard, and exactly one shard owns
    /// each unit even when some shards are empty.
    pub fn owns(&self, offset: u64, total: u64) -> bool {
        Shard::owner(offset, total, self.count) == self.index
    }

    /// The shard that owns the unit starting at `offset` (see [`Shard::owns`]).
    pub fn owner(offset: u64, total: u64, count: u64) -> u64 {
        if total == 0 {
            return count.saturating_sub(1);
        }
        let offset = offset.min(total);
        // The smallest s with start_of(s + 1) > offset, i.e. the last s with
        // start_of(s) <= offset; a first guess from the ratio, then fixed.
        let mut guess = u64::try_from(u128::from(offset) * u128::from(count) / u128::from(total))
            .unwrap_or(count - 1)
            .min(count - 1);
        while guess > 0 && Shard::start_of(guess, count, total) > offset {
            guess -= 1;
        }
        while guess + 1 < count && Shard::start_of(guess + 1, count, total) <= offset {
            guess += 1;
        }
        guess
    }

    /// `out/news.jsonl` → `out/news.part-00003-of-00016.jsonl`; a name
    /// without an extension (a folder such as `out/report`) gets the part
    /// at its end: `out/report.part-00003-of-00016`.
    pub fn part_path(&self, path: &Path) -> PathBuf {
        let Some(name) = path.file_name() else { return path.to_path_buf() };
        let name = name.to_string_lossy();
        let tag = self.tag();
        let named = match name.rfind('.') {
            Some(dot) if dot > 0 => format!("{}.part-{tag}{}", &name[..dot], &name[dot..]),
            _ => format!("{name}.part-{tag}"),
        };
        path.with_file_name(named)
    }

    /// The reverse of [`Shard::part_path`] on a file name:
    /// `news.part-00003-of-00016.jsonl` → `("news.jsonl", shard 3 of 16)`.
    pub fn parse_part_name(name: &str) -> Option<(String, Shard)> {
        let at = name.rfind(".part-")?;
        let rest = &name[at + ".part-".len()..];
        let tag = rest.get(..14)?;
        let extension = &rest[14..];
        if !(extension.is_empty() || extension.starts_with('.')) {
            return None;
        }
        let (index, count) = tag.split_once("-of-")?;
        if index.len() != 5 || count.len() != 5 {
            return None;
        }
        let shard = Shard::new(index.parse().ok()?, count.parse().ok()?).ok()?;
        Some((format!("{}{extension}", &name[..at]), shard))
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn part_names_are_exact() {
        let shard = Shard::new(3, 16).unwrap();
        assert_eq!(shard.tag(), "00003-of-00016");
        assert_eq!(
            shard.part_path(Path::new("out/news.jsonl")),
            PathBuf::from("out/news.part-00003-of-00016.jsonl")
        );
        assert_eq!(
            shard.part_path(Path::new("out/news.errors.jsonl")),
            PathBuf::from("out/news.errors.part-00003-of-00016.jsonl")
        );
        assert_eq!(
            shard.part_path(Path::new("out/report")),
            PathBuf::from("out/report.part-00003-of-00016")
        );
        assert_eq!(
            shard.part_path(Path::new(".hidden")),
            PathBuf::from(".hidden.part-00003-of-00016")
        );
        assert_eq!(
            Shard::parse_part_name("news.errors.part-00003-of-00016.jsonl"),
            Some(("news.errors.jsonl".into(), shard))
        );
        assert_eq!(
            Shard::parse_part_name("report.part-00003-of-00016"),
            Some(("report".into(), shard))
        );
        assert_eq!(Shard::parse_part_name("news.part-00016-of-00016.jsonl"), None);
        assert_eq!(Shard::parse_part_name("news.part-3-of-16.jsonl"), None);
        assert_eq!(Shard::parse_part_name("news.jsonl"), None);
        assert_eq!(Shard::parse_part_name("news.part-00003-of-00016x"), None);
    }

    #[test]
    fn bad_shards_are_refused_with_a_reason() {
        assert_eq!(
            Shard::new(4, 4).unwrap_err(),
            "shard index 4 is out of range: shards of 4 are numbered 0 to 3"
        );
        assert_eq!(Shard::new(0, 0).unwrap_err(), "the shard count must be at least 1");
        assert_eq!(Shard::new(0, 100_000).unwrap_err(), "the shard count must be at most 99999");
        assert_eq!(Shard::new(0, 1).unwrap().to_string(), "0/1");
    }

    #[test]
    fn ranges_cover_everything_once() {
        for total in 0..40u64 {
            for count in 1..12u64 {
                let mut next = 0;
                for index in 0..count {
                    let range = Shard { index, count }.range(total);
                    assert_eq!(range.start, next);
                    assert!(range.end - range.start <= total / count + 1);
                    next = range.end;
                }
                assert_eq!(next, total);
                // Every unit start has exactly one owner, inside its range
                // when that range is not empty.
                for offset in 0..=total {
                    let owner = Shard::owner(offset, total, count);
                    let owners =
                        (0..count).filter(|&i| Shard { index: i, count }.owns(offset, total));
                    assert_eq!(owners.collect::<Vec<_>>(), [owner]);
                    let range = Shard { index: owner, count }.range(total);
                    if offset < total {
                        assert!(range.contains(&offset), "{offset} {total} {count}");
                    } else {
                        assert_eq!(owner, count - 1);
                    }
                }
            }
        }
    }

    #[test]
    fn more_shards_than_units_leaves_shards_empty() {
        let ranges: Vec<_> = (0..5).map(|index| Shard { index, count: 5 }.range(2)).collect();
        assert_eq!(ranges, [0..0, 0..0, 0..1, 1..1, 1..2]);
        assert_eq!(Shard::owner(0, 2, 5), 2);
        assert_eq!(Shard::owner(1, 2, 5), 4);
        assert_eq!(Shard::owner(0, 0, 5), 4);
    }
}
