/// Converts byte offsets of one text into Unicode code-point offsets.
///
/// Built once per document from the offsets it will be asked about, then
/// answered by binary search: one pass over the text whatever the number of
/// annotations, and no pass at all for ASCII text.
pub struct CharOffsets {
    /// Sorted, distinct byte offsets with their code-point offsets.
    table: Vec<(usize, usize)>,
    ascii: bool,
}

impl CharOffsets {
    pub fn new(text: &str, offsets: impl IntoIterator<Item = usize>) -> CharOffsets {
        if text.is_ascii() {
            return CharOffsets { table: Vec::new(), ascii: true };
        }
        let mut wanted: Vec<usize> = offsets.into_iter().collect();
        wanted.sort_unstable();
        wanted.dedup();
        let mut table = Vec::with_capacity(wanted.len());
        let mut chars = 0;
        let mut position = 0;
        for offset in wanted {
            let offset = offset.min(text.len());
            chars += count_chars(text.as_bytes().get(position..offset).unwrap_or_default());
            position = offset.max(position);
            table.push((offset, chars));
        }
        CharOffsets { table, ascii: false }
    }

    /// The code-point offset of a byte offset given to [`CharOffsets::new`].
    pub fn get(&self, byte_offset: usize) -> usize {
        if self.ascii {
            return byte_offset;
        }
        match self.table.binary_search_by_key(&byte_offset, |(byte, _)| *byte) {
            Ok(index) => self.table[index].1,
            // Not registered: fall back to the nearest registered offset below.
            Err(0) => 0,
            Err(index) => self.table[index - 1].1,
        }
    }
}

/// Code points in a UTF-8 byte slice: every byte that is not a
/// continuation byte starts one.
fn count_chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|byte| (**byte as i8) >= -0x40).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_byte_offsets_to_code_points() {
        let text = "Zürich 🙂 São Paulo";
        let offsets: Vec<usize> =
            text.char_indices().map(|(byte, _)| byte).chain([text.len()]).collect();
        let table = CharOffsets::new(text, offsets.iter().rev().copied());
        for (chars, byte) in offsets.iter().enumerate() {
            assert_eq!(table.get(*byte), chars, "byte {byte}");
        }
    }

    #[test]
    fn ascii_text_needs_no_table() {
        let table = CharOffsets::new("plain", [3]);
        assert_eq!(table.get(3), 3);
        assert!(table.table.is_empty());
    }
}
