#![no_main]
//! The pipeline loader on arbitrary TOML; see `dateline_fuzz::check_pipeline_toml`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| dateline_fuzz::check_pipeline_toml(data));
