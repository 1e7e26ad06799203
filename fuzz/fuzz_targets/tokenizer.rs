#![no_main]
//! The `news` tokenizer on arbitrary text; see `dateline_fuzz::check_tokenizer`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| dateline_fuzz::check_tokenizer(data));
