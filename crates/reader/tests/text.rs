mod common;

use common::*;
use document::{Date, Severity, Span, json};

fn nested(scratch: &Scratch) {
    scratch.write("data/b.txt", "b");
    scratch.write("data/a/z.txt", "z");
    scratch.write("data/a-b.txt", "a-b");
    scratch.write("data/a/b/c.txt.gz", gzip(b"c, compressed"));
    scratch.write("data/README", "readme");
    scratch.write("data/sport/199.md", "markdown");
    scratch.write("data/.hidden.txt", "hidden");
    scratch.write("data/.git/x.txt", "hidden folder");
    scratch.write("data/sport/.cache/y.txt", "hidden folder");
}

#[test]
fn a_directory_is_read_recursively_in_byte_order() {
    let scratch = Scratch::new("nested");
    nested(&scratch);
    let reader = build_ok("text", &scratch.context(), json!({"path": "data"}));
    let items = read_all(&*reader);
    assert_eq!(summary(&items), ["README", "a-b", "a/b/c", "a/z", "b", "sport/199"]);
    let c = document(&items[2]);
    assert_eq!(c.text, "c, compressed");
    assert_eq!(c.source, scratch.path("data/a/b/c.txt.gz"));
    assert_eq!(document(&items[5]).source, scratch.path("data/sport/199.md"));
    assert!(items.iter().all(|item| document(item).warnings.is_empty()));

    let gz_size = std::fs::metadata(scratch.path("data/a/b/c.txt.gz")).unwrap().len();
    assert_eq!(reader.total_bytes(), Some(1 + 1 + 3 + gz_size + 6 + 8));
}

#[test]
fn extensions_filter_directories_and_globs() {
    let scratch = Scratch::new("extensions");
    nested(&scratch);
    let options = json!({"path": "data/", "extensions": [".TXT"]});
    let reader = build_ok("text", &scratch.context(), options);
    assert_eq!(summary(&read_all(&*reader)), ["a-b", "a/b/c", "a/z", "b"]);

    let options = json!({"path": ["data/*", "data/sport/199.md"], "extensions": ["txt"]});
    let reader = build_ok("text", &scratch.context(), options);
    // The glob matches `a` (walked), `a-b.txt` and `b.txt`; the named file is always read.
    assert_eq!(summary(&read_all(&*reader)), ["a-b", "a/b/c", "a/z", "b", "199"]);
}

#[test]
fn globs_are_relative_to_their_fixed_folder() {
    let scratch = Scratch::new("glob");
    nested(&scratch);
    scratch.write("data/sport/100.txt", "100");
    scratch.write("data/sport/200.txt", "200");
    scratch.write("data/tech/150.txt", "150");
    let reader = build_ok("text", &scratch.context(), json!({"path": "data/*/1*.*"}));
    assert_eq!(summary(&read_all(&*reader)), ["sport/100", "sport/199", "tech/150"]);

    let absolute = format!("{}/data/**/*.txt", scratch.root.display());
    let reader = build_ok("text", &scratch.context(), json!({"path": absolute}));
    let items = read_all(&*reader);
    // A trailing `**` matches the folders below `data` (not its files); each
    // folder is walked, and a file found twice (`a`, then `a/b`) is read once.
    let reader = build_ok("text", &scratch.context(), json!({"path": "data/**"}));
    assert_eq!(
        summary(&read_all(&*reader)),
        ["a/b/c", "a/z", "sport/100", "sport/199", "sport/200", "tech/150"]
    );

    // `c.txt.gz` does not match `*.txt`; `.git` is hidden.
    assert_eq!(summary(&items), ["a-b", "a/z", "b", "sport/100", "sport/200", "tech/150"]);
}

#[test]
fn a_single_file_and_several_paths_in_order() {
    let scratch = Scratch::new("single");
    nested(&scratch);
    let reader = build_ok("text", &scratch.context(), json!({"path": "data/a/b/c.txt.gz"}));
    let items = read_all(&*reader);
    assert_eq!(summary(&items), ["c"]);
    assert_eq!(document(&items[0]).source, scratch.path("data/a/b/c.txt.gz"));

    let options = json!({"path": ["data/sport", "data/a", "data/.hidden.txt"]});
    let reader = build_ok("text", &scratch.context(), options);
    assert_eq!(summary(&read_all(&*reader)), ["199", "b/c", "z", ".hidden"]);
}

#[test]
fn duplicate_ids_are_failures() {
    let scratch = Scratch::new("duplicates");
    scratch.write("2017/a.txt", "one");
    scratch.write("2018/a.txt", "two");
    let reader = build_ok("text", &scratch.context(), json!({"path": ["2017", "2018"]}));
    let items = read_all(&*reader);
    assert_eq!(document(&items[0]).text, "one");
    let duplicate = failure(&items[1]);
    assert_eq!(duplicate.id, "a");
    assert_eq!(duplicate.source, scratch.path("2018/a.txt"));
    assert_eq!(
        duplicate.error,
        format!("duplicate id `a`: already used by {}", scratch.path("2017/a.txt"))
    );
}

#[test]
fn gzip_and_zstd_round_trip() {
    let scratch = Scratch::new("compressed");
    let text = "Chelsea have sacked Adrian Mutu after he failed a drugs test. ".repeat(50);
    scratch.write("plain.txt", &text);
    scratch.write("gzip.txt.gz", gzip(text.as_bytes()));
    scratch.write("zstd.txt.zst", zstd(text.as_bytes()));
    // Concatenated members and frames, as `cat a.gz b.gz` and `zstd` write them,
    // with a skippable frame between the zstd frames.
    scratch.write("members.txt.gz", [gzip(b"first "), gzip(b"second")].concat());
    let skippable = [&0x184D_2A50u32.to_le_bytes()[..], &3u32.to_le_bytes(), b"xyz"].concat();
    scratch.write("frames.txt.zst", [zstd(b"first "), skippable, zstd(b"second")].concat());
    let reader = build_ok("text", &scratch.context(), json!({"path": "."}));
    let items = read_all(&*reader);
    assert_eq!(summary(&items), ["frames", "gzip", "members", "plain", "zstd"]);
    assert_eq!(document(&items[0]).text, "first second");
    assert_eq!(document(&items[1]).text, text);
    assert_eq!(document(&items[2]).text, "first second");
    assert_eq!(document(&items[4]).text, text);
}

#[test]
fn corrupt_archives_are_failures() {
    let scratch = Scratch::new("corrupt");
    scratch.write("garbage.txt.gz", "this is not gzip");
    let mut truncated = gzip("some text that is long enough".repeat(20).as_bytes());
    truncated.truncate(truncated.len() / 2);
    scratch.write("truncated.txt.gz", truncated);
    scratch.write("junk.txt.zst", "this is not zstd");
    let mut bad_checksum = zstd(b"checked text");
    if let Some(last) = bad_checksum.last_mut() {
        *last ^= 0xFF;
    }
    scratch.write("checksum.txt.zst", bad_checksum);
    let mut cut = zstd("some text that is long enough".repeat(20).as_bytes());
    cut.truncate(cut.len() / 2);
    scratch.write("cut.txt.zst", cut);
    let reader = build_ok("text", &scratch.context(), json!({"path": "."}));
    assert_eq!(
        summary(&read_all(&*reader)),
        [
            "checksum: corrupt zstd data: frame checksum does not match its content",
            "cut: corrupt zstd data: the data ends too early",
            "garbage: corrupt gzip data: invalid gzip header",
            "junk: corrupt zstd data: not zstd data (no zstd magic number)",
            "truncated: corrupt gzip data: the data ends too early",
        ]
    );
}

#[test]
fn unreadable_inputs_are_failures_with_exact_reasons() {
    let scratch = Scratch::new("failures");
    scratch.write("empty.txt", "");
    scratch.write("bom-only.txt", "\u{FEFF}");
    scratch.write("blank.txt", " \n\t\r\n ");
    scratch.write("nul.txt", b"abc\0def");
    let mut controls = vec![b'x'; 100];
    controls.extend([0x1B; 20]);
    scratch.write("controls.txt", controls);
    scratch.write("utf16.txt", b"\xFF\xFEh\0i\0");
    scratch.write("ok.txt", "fine");
    let reader = build_ok("text", &scratch.context(), json!({"path": "."}));
    let items = read_all(&*reader);
    assert_eq!(
        summary(&items),
        [
            "blank: whitespace-only document",
            "bom-only: empty document",
            "controls: binary content: 20 of the first 120 bytes are control characters",
            "empty: empty document",
            "nul: binary content: NUL byte at offset 3",
            "ok",
            "utf16: unsupported encoding: UTF-16 (byte order mark); convert to UTF-8",
        ]
    );
    let nul = failure(&items[4]);
    assert_eq!(nul.stage, "reader");
    assert_eq!(nul.severity, Severity::Error);
    assert_eq!(nul.source, scratch.path("nul.txt"));
}

#[cfg(unix)]
#[test]
fn dangling_symlinks_and_loops() {
    let scratch = Scratch::new("symlinks");
    scratch.write("data/real.txt", "real");
    std::os::unix::fs::symlink("missing.txt", scratch.root.join("data/broken.txt")).unwrap();
    std::os::unix::fs::symlink("real.txt", scratch.root.join("data/link.txt")).unwrap();
    std::os::unix::fs::symlink("..", scratch.root.join("data/up")).unwrap();
    let reader = build_ok("text", &scratch.context(), json!({"path": "data"}));
    let items = read_all(&*reader);
    assert_eq!(
        summary(&items),
        ["broken: cannot read file: No such file or directory (os error 2)", "link", "real"]
    );
    assert_eq!(failure(&items[0]).source, scratch.path("data/broken.txt"));
    assert_eq!(document(&items[1]).text, "real");
}

#[test]
fn size_limits_are_checked_before_reading() {
    let scratch = Scratch::new("limits");
    let sparse = std::fs::File::create(scratch.root.join("huge.txt")).unwrap();
    sparse.set_len(1 << 30).unwrap();
    scratch.write("gz.txt.gz", gzip(&[b'a'; 100]));
    scratch.write("zst.txt.zst", zstd(&[b'a'; 100]));
    scratch.write("tiny.txt", "0123456789");
    let reader = build_ok("text", &scratch.context(), json!({"path": "."}));
    assert_eq!(
        summary(&read_all(&*reader)),
        [
            "gz",
            "huge: document is 1073741824 bytes, above max_document_bytes = 104857600",
            "tiny",
            "zst"
        ]
    );
    let options =
        json!({"path": ["gz.txt.gz", "tiny.txt", "zst.txt.zst"], "max_document_bytes": 10});
    let reader = build_ok("text", &scratch.context(), options);
    assert_eq!(
        summary(&read_all(&*reader)),
        [
            "gz: document is more than 10 bytes once decompressed, above max_document_bytes = 10",
            "tiny",
            "zst: document is more than 10 bytes once decompressed, above max_document_bytes = 10",
        ]
    );
    let options = json!({"path": ["gz.txt.gz", "tiny.txt"], "max_document_bytes": 9});
    let reader = build_ok("text", &scratch.context(), options);
    assert_eq!(
        summary(&read_all(&*reader))[1],
        "tiny: document is 10 bytes, above max_document_bytes = 9"
    );
}

#[test]
fn invalid_utf8_falls_back_to_windows_1252_with_a_warning() {
    let scratch = Scratch::new("encoding");
    scratch.write("pound.txt", b"He was fined \xA3500 and called it \x93unfair\x94.");
    scratch.write("bom.txt", "\u{FEFF}Zürich");
    let reader = build_ok("text", &scratch.context(), json!({"path": "."}));
    let items = read_all(&*reader);
    let bom = document(&items[0]);
    assert_eq!(bom.text, "Zürich");
    assert!(bom.warnings.is_empty());
    let pound = document(&items[1]);
    assert_eq!(pound.text, "He was fined £500 and called it \u{201C}unfair\u{201D}.");
    assert_eq!(
        pound.warnings,
        ["invalid UTF-8: 3 bytes decoded as Windows-1252 (first at byte 13)"]
    );
}

#[test]
fn the_bbc_pound_sign() {
    // `../shared` beside the clone holds the licensed corpora.
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/bench/bbc/sport/199.txt");
    if !std::path::Path::new(path).exists() {
        eprintln!("skipped: the BBC corpus is not in ../shared");
        return;
    }
    let scratch = Scratch::new("bbc");
    let reader = build_ok("text", &scratch.context(), json!({"path": path}));
    let items = read_all(&*reader);
    let document = document(&items[0]);
    assert_eq!(document.id, "199");
    assert!(document.text.starts_with("Chelsea sack Mutu\n"));
    assert!(document.text.contains('£'), "{}", document.text);
    assert!(!document.text.contains('\u{FFFD}'));
    assert_eq!(
        document.warnings,
        ["invalid UTF-8: 1 byte decoded as Windows-1252 (first at byte 257)"]
    );
    assert_eq!(document.date, None);
}

#[test]
fn xinhua_headers_set_date_and_metadata() {
    let scratch = Scratch::new("header");
    let seeds = concat!(env!("CARGO_MANIFEST_DIR"), "/../../seeds");
    let options = json!({"path": seeds, "date": "2018-07-07"});
    let reader = build_ok("text", &scratch.context(), options);
    let items = read_all(&*reader);
    assert_eq!(summary(&items), ["000_168fd1ce8330dd5c", "004_19210f1ef9f6238c"]);
    let seed = document(&items[0]);
    assert_eq!(seed.date, Some(Date::new(2017, 12, 10).unwrap()));
    assert_eq!(seed.header, Some(Span::new(0, 68)));
    assert!(seed.text.starts_with(" date 2017-12-10 Source: Xinhua|"));
    assert_eq!(&seed.text[seed.body().start..seed.body().start + 14], "\nVideo Player ");
    assert_eq!(
        document::Value::Object(seed.metadata.clone()),
        json!({"agency": "Xinhua", "published": "2017-12-10T05:57:50", "editor": "Jiaxin"})
    );
    // No header: the `date` option gives the date.
    let other = document(&items[1]);
    assert_eq!(other.header, None);
    assert_eq!(other.date, Some(Date::new(2018, 7, 7).unwrap()));
    assert!(other.metadata.is_empty());

    let options = json!({"path": seeds, "header": false});
    let reader = build_ok("text", &scratch.context(), options);
    let items = read_all(&*reader);
    assert_eq!(document(&items[0]).header, None);
    assert_eq!(document(&items[0]).date, None);
}

#[test]
fn build_errors_name_the_key() {
    let scratch = Scratch::new("build");
    scratch.write("data/a.txt", "a");
    let context = scratch.context();
    let base = scratch.root.display();
    assert_eq!(
        build_error("text", &context, json!({"pth": "data", "extension": ["txt"]})),
        [
            "unknown key `extension`; did you mean `extensions`?",
            "unknown key `pth`; did you mean `path`?"
        ]
    );
    assert_eq!(build_error("text", &context, json!({})), ["missing field `path`"]);
    assert_eq!(
        build_error("text", &context, json!({"path": 3})),
        ["key `path`: invalid type: integer `3`, expected a path or an array of paths"]
    );
    assert_eq!(
        build_error("text", &context, json!({"path": "nope/x.txt"})),
        [format!(
            "key `path`: `nope/x.txt` does not exist (resolved to `{base}/nope/x.txt`: relative \
             paths resolve against the pipeline file's folder, `{base}`)"
        )]
    );
    assert_eq!(
        build_error("text", &context, json!({"path": "/nonexistent/dateline"})),
        ["key `path`: `/nonexistent/dateline` does not exist"]
    );
    assert_eq!(
        build_error("text", &context, json!({"path": ["data", "data/*.md"]})),
        [format!(
            "key `path`: glob `data/*.md` matches nothing (resolved to `{base}/data/*.md`: \
             relative paths resolve against the pipeline file's folder, `{base}`)"
        )]
    );
    assert_eq!(
        build_error("text", &context, json!({"path": "data/[a"})),
        ["key `path`: `data/[a` is not a valid glob pattern: invalid range pattern"]
    );
    assert_eq!(
        build_error("text", &context, json!({"path": []})),
        ["key `path`: give at least one path"]
    );
    assert_eq!(
        build_error("text", &context, json!({"path": "data", "extensions": ["*.txt"]})),
        [
            "key `extensions`: `*.txt` is not a file extension: write \"txt\", not \"*.txt\" or \"txt.gz\" (.gz and .zst files are read whatever the filter)"
        ]
    );
    assert_eq!(
        build_error("text", &context, json!({"path": "data", "max_document_bytes": 0})),
        ["key `max_document_bytes`: must be at least 1"]
    );
    assert_eq!(
        build_error("text", &context, json!({"path": "data", "date": "10/12/2017"})),
        ["key `date`: `10/12/2017` is not a date of the form YYYY-MM-DD"]
    );
}

#[test]
fn an_empty_listing_fails_to_open() {
    let scratch = Scratch::new("empty-listing");
    scratch.write("data/a.md", "a");
    let reader =
        build_ok("text", &scratch.context(), json!({"path": "data", "extensions": ["txt"]}));
    let error = reader.open().err().unwrap();
    assert_eq!(
        error.to_string(),
        "nothing to read: `data` holds no files with extension txt (hidden files and folders are skipped)"
    );
    assert_eq!(reader.total_bytes(), Some(0));
}

#[test]
fn every_option_is_documented() {
    let registry = registry();
    let kinds = registry.kinds(document::Stage::Reader);
    let names: Vec<&str> = kinds.iter().map(|(kind, _, _)| *kind).collect();
    assert_eq!(names[..3], ["text", "jsonl", "conll"]);
    let options: Vec<&str> = kinds[0].2.iter().map(|option| option.name).collect();
    assert_eq!(options, ["path", "extensions", "max_document_bytes", "date", "header"]);
    let options: Vec<&str> = kinds[1].2.iter().map(|option| option.name).collect();
    assert_eq!(
        options,
        ["path", "id_field", "text_field", "date_field", "max_document_bytes", "date", "header"]
    );
    let options: Vec<&str> = kinds[2].2.iter().map(|option| option.name).collect();
    assert_eq!(options, ["path"]);
}
