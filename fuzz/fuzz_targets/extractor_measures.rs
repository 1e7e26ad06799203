#![no_main]
//! The `measures` extractor (after the `news` tokenizer) on arbitrary text and
//! document dates; see `dateline_fuzz::check_extractor`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| dateline_fuzz::check_extractor("measures", data));
