#![no_main]
//! The `quotes` extractor (after the `news` tokenizer and the extractors it
//! reads) on arbitrary text and document dates; see
//! `dateline_fuzz::check_extractor`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| dateline_fuzz::check_extractor("quotes", data));
