#![no_main]
//! The `text` reader on an arbitrary file; see `dateline_fuzz::check_reader`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| dateline_fuzz::check_reader("text", data));
