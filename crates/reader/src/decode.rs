//! From bytes on disk to document text: transparent decompression, binary
//! detection, and UTF-8 decoding with a Windows-1252 fallback.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;

use flate2::bufread::MultiGzDecoder;
use ruzstd::decoding::errors::{FrameDecoderError, ReadFrameHeaderError};
use ruzstd::decoding::{BlockDecodingStrategy, FrameDecoder};

/// How many leading bytes the control-character test looks at.
pub(crate) const SNIFF_BYTES: usize = 8192;

/// The most memory reserved before the first byte is read.
const INITIAL_CAPACITY_LIMIT: u64 = 64 * 1024 * 1024;

/// How a file is compressed, from its extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Compression {
    None,
    Gzip,
    Zstd,
}

impl Compression {
    /// `.gz` and `.zst` (any case) mark compressed files.
    pub(crate) fn of(name: &str) -> Compression {
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".gz") {
            Compression::Gzip
        } else if lower.ends_with(".zst") {
            Compression::Zstd
        } else {
            Compression::None
        }
    }

    /// Length of the suffix, dot included; 0 for none.
    pub(crate) fn suffix_len(self) -> usize {
        match self {
            Compression::None => 0,
            Compression::Gzip => ".gz".len(),
            Compression::Zstd => ".zst".len(),
        }
    }

    fn name(self) -> &'static str {
        match self {
            Compression::None => "",
            Compression::Gzip => "gzip",
            Compression::Zstd => "zstd",
        }
    }
}

/// A byte source whose read errors are phrased for the errors file.
pub(crate) struct Input {
    inner: Box<dyn BufRead + Send>,
    compression: Compression,
}

impl Input {
    /// Opens `path`, decompressing as its name says. The size is that of
    /// the file on disk.
    pub(crate) fn open(path: &Path, compression: Compression) -> Result<(Input, u64), String> {
        let file = File::open(path).map_err(|error| format!("cannot read file: {error}"))?;
        let size = file.metadata().map_err(|error| format!("cannot read file: {error}"))?.len();
        let buffered = BufReader::with_capacity(64 * 1024, file);
        let inner: Box<dyn BufRead + Send> = match compression {
            Compression::None => Box::new(buffered),
            Compression::Gzip => Box::new(BufReader::new(MultiGzDecoder::new(buffered))),
            Compression::Zstd => Box::new(BufReader::new(ZstdDecoder::new(buffered))),
        };
        Ok((Input { inner, compression }, size))
    }

    pub(crate) fn compression(&self) -> Compression {
        self.compression
    }

    /// The message for a read error: decompression errors name the format.
    pub(crate) fn describe(&self, error: &io::Error) -> String {
        match self.compression {
            Compression::None => format!("cannot read file: {error}"),
            compression if error.kind() == io::ErrorKind::UnexpectedEof => {
                format!("corrupt {} data: the data ends too early", compression.name())
            }
            compression => format!("corrupt {} data: {error}", compression.name()),
        }
    }

    pub(crate) fn reader(&mut self) -> &mut (dyn BufRead + Send) {
        &mut *self.inner
    }
}

/// Reads a whole document, never more than `max` bytes of it: the size of
/// a plain file is checked before anything is read, and decompressed
/// output is cut off one byte past the limit.
pub(crate) fn read_document(path: &Path, max: u64) -> Result<Vec<u8>, String> {
    let (mut input, size) = Input::open(path, Compression::of(&path.to_string_lossy()))?;
    if input.compression() == Compression::None && size > max {
        return Err(too_large(size, max));
    }
    // A guess at the size; the vector grows if it is wrong.
    let capacity = match input.compression() {
        Compression::None => size,
        _ => size.saturating_mul(4),
    };
    let capacity = capacity.min(max).min(INITIAL_CAPACITY_LIMIT);
    let mut bytes = Vec::with_capacity(usize::try_from(capacity).unwrap_or(0));
    let limit = max.saturating_add(1);
    if let Err(error) = input.reader().take(limit).read_to_end(&mut bytes) {
        return Err(input.describe(&error));
    }
    if bytes.len() as u64 > max {
        return Err(match input.compression() {
            // The file grew since it was measured.
            Compression::None => format!("document is more than {max} bytes, {}", above(max)),
            _ => format!("document is more than {max} bytes once decompressed, {}", above(max)),
        });
    }
    Ok(bytes)
}

fn above(max: u64) -> String {
    format!("above max_document_bytes = {max}")
}

pub(crate) fn too_large(size: u64, max: u64) -> String {
    format!("document is {size} bytes, {}", above(max))
}

/// Why raw bytes are not a text document, if they are not: an empty file,
/// a UTF-16 file, or binary content.
pub(crate) fn check_bytes(bytes: &[u8]) -> Result<(), String> {
    let body = bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes);
    if body.is_empty() {
        return Err("empty document".into());
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err("unsupported encoding: UTF-16 (byte order mark); convert to UTF-8".into());
    }
    if let Some(offset) = memchr::memchr(0, bytes) {
        return Err(format!("binary content: NUL byte at offset {offset}"));
    }
    let head = &bytes[..bytes.len().min(SNIFF_BYTES)];
    let controls = count_binary_controls(head);
    if controls * 10 > head.len() {
        return Err(format!(
            "binary content: {controls} of the first {} bytes are control characters",
            head.len()
        ));
    }
    Ok(())
}

/// C0 controls other than tab, line feed, carriage return and form feed.
fn is_binary_control(byte: u8) -> bool {
    // Comparisons only, no branch: the loop below is vectorised.
    (byte < 0x20) & (byte != b'\t') & (byte != b'\n') & (byte != 0x0C) & (byte != b'\r')
}

/// How many bytes are [binary controls](is_binary_control). Counted in
/// byte-sized counters over runs of 255 bytes, which the compiler turns
/// into 32 bytes a step: a `filter().count()` over the head was three
/// quarters of the reader thread's instructions.
fn count_binary_controls(bytes: &[u8]) -> usize {
    bytes
        .chunks(255)
        .map(|run| {
            let in_run =
                run.iter().fold(0u8, |count, &byte| count + u8::from(is_binary_control(byte)));
            usize::from(in_run)
        })
        .sum()
}

pub(crate) const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Text decoded from bytes, with what the fallback had to do.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Decoded {
    pub text: String,
    /// Bytes that were not part of valid UTF-8 and were read as Windows-1252.
    pub fallback_bytes: usize,
    /// Offset of the first such byte in the input (BOM included).
    pub first_fallback: Option<usize>,
}

impl Decoded {
    /// The warning to attach to the document, if the fallback was used.
    /// `place` follows the offset: `""` or `" of the line"`.
    pub(crate) fn warning(&self, place: &str) -> Option<String> {
        let first = self.first_fallback?;
        let plural = if self.fallback_bytes == 1 { "byte" } else { "bytes" };
        Some(format!(
            "invalid UTF-8: {} {plural} decoded as Windows-1252 (first at byte {first}{place})",
            self.fallback_bytes
        ))
    }
}

/// Decodes UTF-8, dropping a leading byte order mark. Every byte that is
/// not part of a valid UTF-8 sequence is read as Windows-1252 instead, so
/// that a stray `£` from a Latin-1 file survives; nothing fails.
pub(crate) fn decode(bytes: &[u8]) -> Decoded {
    let (skipped, body) = match bytes.strip_prefix(UTF8_BOM) {
        Some(body) => (UTF8_BOM.len(), body),
        None => (0, bytes),
    };
    // The common case, without a copy of the chunks.
    if let Ok(text) = std::str::from_utf8(body) {
        return Decoded { text: text.to_owned(), fallback_bytes: 0, first_fallback: None };
    }
    let mut text = String::with_capacity(body.len() + body.len() / 8);
    let mut offset = skipped;
    let mut fallback_bytes = 0;
    let mut first_fallback = None;
    for chunk in body.utf8_chunks() {
        text.push_str(chunk.valid());
        offset += chunk.valid().len();
        for &byte in chunk.invalid() {
            text.push(windows_1252(byte));
            first_fallback.get_or_insert(offset);
            fallback_bytes += 1;
            offset += 1;
        }
    }
    Decoded { text, fallback_bytes, first_fallback }
}

/// [`decode`] for a buffer that is no longer needed: valid UTF-8 is kept
/// without a copy, which matters for a 100 MB document.
pub(crate) fn decode_owned(bytes: Vec<u8>) -> Decoded {
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            if text.starts_with('\u{FEFF}') {
                text.drain(..'\u{FEFF}'.len_utf8());
            }
            Decoded { text, fallback_bytes: 0, first_fallback: None }
        }
        Err(error) => decode(error.as_bytes()),
    }
}

/// One byte as Windows-1252: 0x80–0x9F from the code page's table (the
/// five unassigned bytes become U+FFFD), everything else as Latin-1.
pub(crate) fn windows_1252(byte: u8) -> char {
    const HIGH: [char; 32] = [
        '\u{20AC}', '\u{FFFD}', '\u{201A}', '\u{0192}', '\u{201E}', '\u{2026}', '\u{2020}',
        '\u{2021}', '\u{02C6}', '\u{2030}', '\u{0160}', '\u{2039}', '\u{0152}', '\u{FFFD}',
        '\u{017D}', '\u{FFFD}', '\u{FFFD}', '\u{2018}', '\u{2019}', '\u{201C}', '\u{201D}',
        '\u{2022}', '\u{2013}', '\u{2014}', '\u{02DC}', '\u{2122}', '\u{0161}', '\u{203A}',
        '\u{0153}', '\u{FFFD}', '\u{017E}', '\u{0178}',
    ];
    match byte {
        0x80..=0x9F => HIGH[usize::from(byte - 0x80)],
        _ => char::from(byte),
    }
}

/// A zstd decoder over every frame of a stream, as the `zstd` tool writes
/// them (skippable frames are skipped), that checks frame checksums.
///
/// `ruzstd::decoding::StreamingDecoder` reads a single frame only.
pub(crate) struct ZstdDecoder<R: BufRead> {
    source: R,
    decoder: FrameDecoder,
    in_frame: bool,
}

impl<R: BufRead> ZstdDecoder<R> {
    pub(crate) fn new(source: R) -> Self {
        ZstdDecoder { source, decoder: FrameDecoder::new(), in_frame: false }
    }
}

/// An `io::Error` with a readable message: ruzstd prints some of its
/// errors with `Debug`.
fn invalid_data(error: FrameDecoderError) -> io::Error {
    let message = match &error {
        FrameDecoderError::ReadFrameHeaderError(ReadFrameHeaderError::BadMagicNumber(_)) => {
            "not zstd data (no zstd magic number)".to_owned()
        }
        _ if ends_too_early(&error) => {
            return io::Error::new(io::ErrorKind::UnexpectedEof, "the data ends too early");
        }
        FrameDecoderError::ReadFrameHeaderError(header) => header.to_string(),
        other => other.to_string(),
    };
    io::Error::new(io::ErrorKind::InvalidData, message)
}

/// Whether an end-of-file error is behind `error`.
fn ends_too_early(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut current = Some(error);
    while let Some(error) = current {
        let io_error = error.downcast_ref::<io::Error>();
        if io_error.is_some_and(|io_error| io_error.kind() == io::ErrorKind::UnexpectedEof) {
            return true;
        }
        current = error.source();
    }
    false
}

impl<R: BufRead> Read for ZstdDecoder<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        loop {
            if self.in_frame {
                while self.decoder.can_collect() == 0 && !self.decoder.is_finished() {
                    self.decoder
                        .decode_blocks(&mut self.source, BlockDecodingStrategy::UptoBlocks(1))
                        .map_err(invalid_data)?;
                }
                let read = self.decoder.read(buf)?;
                if read > 0 {
                    return Ok(read);
                }
                let stored = self.decoder.get_checksum_from_data();
                if stored.is_some() && stored != self.decoder.get_calculated_checksum() {
                    return Err(io::Error::new(
                        io::ErrorKind::InvalidData,
                        "frame checksum does not match its content",
                    ));
                }
                self.in_frame = false;
            }
            if self.source.fill_buf()?.is_empty() {
                return Ok(0);
            }
            match self.decoder.reset(&mut self.source) {
                Ok(()) => self.in_frame = true,
                Err(FrameDecoderError::ReadFrameHeaderError(ReadFrameHeaderError::SkipFrame {
                    length,
                    ..
                })) => {
                    let skipped =
                        io::copy(&mut (&mut self.source).take(u64::from(length)), &mut io::sink())?;
                    if skipped < u64::from(length) {
                        return Err(io::Error::new(
                            io::ErrorKind::UnexpectedEof,
                            "skippable frame is cut short",
                        ));
                    }
                }
                Err(error) => return Err(invalid_data(error)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binary_controls_are_the_c0_bytes_but_tab_newlines_and_form_feed() {
        let controls: Vec<u8> = (0..=u8::MAX).filter(|&byte| is_binary_control(byte)).collect();
        let expected: Vec<u8> =
            (0..0x20).filter(|byte| ![b'\t', b'\n', 0x0C, b'\r'].contains(byte)).collect();
        assert_eq!(controls, expected);
        let all: Vec<u8> = (0..=u8::MAX).cycle().take(1000).collect();
        let counted = all.iter().filter(|&&byte| is_binary_control(byte)).count();
        assert_eq!(count_binary_controls(&all), counted);
        // Eleven controls in 100 bytes is binary, ten is not.
        let mut text = vec![b'a'; 100];
        text[..10].fill(0x01);
        assert_eq!(check_bytes(&text), Ok(()));
        text[10] = 0x1B;
        assert_eq!(
            check_bytes(&text),
            Err("binary content: 11 of the first 100 bytes are control characters".into())
        );
    }

    #[test]
    fn compression_from_the_name() {
        assert_eq!(Compression::of("a.txt.gz"), Compression::Gzip);
        assert_eq!(Compression::of("a.TXT.GZ"), Compression::Gzip);
        assert_eq!(Compression::of("a.jsonl.zst"), Compression::Zstd);
        assert_eq!(Compression::of("a.txt"), Compression::None);
        assert_eq!(Compression::of("gz"), Compression::None);
    }

    #[test]
    fn valid_utf8_is_taken_as_is_and_the_bom_dropped() {
        let decoded = decode("\u{FEFF}Zürich £5".as_bytes());
        assert_eq!(
            decoded,
            Decoded { text: "Zürich £5".into(), fallback_bytes: 0, first_fallback: None }
        );
        assert_eq!(decoded.warning(""), None);
        assert_eq!(decode_owned("\u{FEFF}Zürich £5".as_bytes().to_vec()), decoded);
        assert_eq!(decode_owned(b"\xA3".to_vec()).text, "£");
    }

    #[test]
    fn invalid_bytes_fall_back_to_windows_1252() {
        let decoded = decode(b"cost \xA35 \x93quoted\x94 \x80 \x81 caf\xC3\xA9 \xC3");
        assert_eq!(decoded.text, "cost £5 \u{201C}quoted\u{201D} € \u{FFFD} café Ã");
        assert_eq!(decoded.fallback_bytes, 6);
        assert_eq!(decoded.first_fallback, Some(5));
        assert_eq!(
            decoded.warning("").as_deref(),
            Some("invalid UTF-8: 6 bytes decoded as Windows-1252 (first at byte 5)")
        );
        let with_bom = decode(b"\xEF\xBB\xBF\xA3");
        assert_eq!(with_bom.text, "£");
        assert_eq!(
            with_bom.warning(" of the line").as_deref(),
            Some("invalid UTF-8: 1 byte decoded as Windows-1252 (first at byte 3 of the line)")
        );
    }

    #[test]
    fn the_whole_windows_1252_table() {
        let high: String = (0x80..=0x9F).map(windows_1252).collect();
        assert_eq!(high, "€\u{FFFD}‚ƒ„…†‡ˆ‰Š‹Œ\u{FFFD}Ž\u{FFFD}\u{FFFD}‘’“”•–—˜™š›œ\u{FFFD}žŸ");
        assert_eq!(windows_1252(0xA0), '\u{A0}');
        assert_eq!(windows_1252(0xE9), 'é');
        assert_eq!(windows_1252(0xFF), 'ÿ');
    }

    #[test]
    fn empty_utf16_and_binary_bytes_are_refused() {
        assert_eq!(check_bytes(b""), Err("empty document".into()));
        assert_eq!(check_bytes(UTF8_BOM), Err("empty document".into()));
        assert_eq!(
            check_bytes(b"\xFF\xFEa\0"),
            Err("unsupported encoding: UTF-16 (byte order mark); convert to UTF-8".into())
        );
        assert_eq!(check_bytes(b"abc\0def"), Err("binary content: NUL byte at offset 3".into()));
        let mut controls = vec![b'a'; 89];
        controls.extend([0x01; 11]);
        assert_eq!(
            check_bytes(&controls),
            Err("binary content: 11 of the first 100 bytes are control characters".into())
        );
        controls.truncate(90);
        assert_eq!(check_bytes(&controls), Ok(()));
        assert_eq!(check_bytes(b"tabs\tand\r\nfeeds\x0C"), Ok(()));
    }
}
