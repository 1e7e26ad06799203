//! The same input and pipeline give byte-identical output whatever the
//! thread count and batch size.

mod common;

use std::fs;
use std::path::Path;

use common::{root, runner, scratch, shared_data};

fn pipeline(input: &Path, batch_size: usize) -> String {
    format!(
        "[pipeline]\nbatch_size = {batch_size}\n\n[reader]\nkind = \"text\"\npath = \"{}\"\n\n\
         [[extractor]]\nkind = \"dateline\"\n\n[[exporter]]\nkind = \"jsonl\"\npath = \"out.jsonl\"\ntokens = true\n",
        input.display()
    )
}

fn outputs(folder: &Path, threads: &str, batch_size: usize, input: &Path) -> (Vec<u8>, Vec<u8>) {
    fs::write(folder.join("p.toml"), pipeline(input, batch_size)).unwrap();
    let output = runner(folder, &["run", "p.toml", "--threads", threads]);
    assert!(matches!(output.status.code(), Some(0 | 2)), "{}", common::stderr(&output));
    (
        fs::read(folder.join("out.jsonl")).unwrap(),
        fs::read(folder.join("out.errors.jsonl")).unwrap(),
    )
}

/// A few hundred documents made from the seeds, with other datelines,
/// non-ASCII text, empty and broken files mixed in.
fn make_corpus(folder: &Path) {
    let seeds: Vec<String> = ["000_168fd1ce8330dd5c.txt", "004_19210f1ef9f6238c.txt"]
        .iter()
        .map(|name| fs::read_to_string(root().join("seeds").join(name)).unwrap())
        .collect();
    let places = ["TRIPOLI", "SÃO PAULO", "NAIROBI, Kenya", "ST. LOUIS", "BEIJING"];
    let months = ["Jan. 3", "Feb. 29", "July 7", "Sept. 12", "Dec. 31"];
    for index in 0..300 {
        let folder = folder.join(format!("part{}", index % 4));
        fs::create_dir_all(&folder).unwrap();
        let seed = &seeds[index % 2];
        let text = seed
            .replacen(
                "TRIPOLI, Dec. 9",
                &format!("{}, {}", places[index % 5], months[index % 5]),
                1,
            )
            .replacen(
                "TRIPOLI, July 7",
                &format!("{}, {}", places[(index + 2) % 5], months[index % 5]),
                1,
            )
            .replace("Serraj", if index % 3 == 0 { "Sarrāj" } else { "Serraj" });
        let path = folder.join(format!("doc{index:03}.txt"));
        match index % 50 {
            17 => fs::write(path, "").unwrap(),
            33 => fs::write(path, b"\x00\x01binary").unwrap(),
            41 => fs::write(path, [text.as_bytes(), b"\xff"].concat()).unwrap(),
            _ => fs::write(path, text).unwrap(),
        }
    }
}

#[test]
fn one_thread_and_eight_threads_write_the_same_bytes() {
    let folder = scratch("threads");
    let input = folder.join("corpus");
    make_corpus(&input);
    let (one, one_errors) = outputs(&folder, "1", 7, &input);
    let (eight, eight_errors) = outputs(&folder, "8", 7, &input);
    let (big_batches, big_batch_errors) = outputs(&folder, "8", 1000, &input);
    assert_eq!(one.iter().filter(|byte| **byte == b'\n').count(), 288, "300 inputs, 12 broken");
    assert!(one == eight, "threads 1 and 8 differ");
    assert!(one == big_batches, "batch sizes 7 and 1000 differ");
    assert_eq!(one_errors, eight_errors);
    assert_eq!(one_errors, big_batch_errors);
    assert_eq!(
        String::from_utf8_lossy(&one_errors).lines().count(),
        18,
        "6 empty, 6 binary, 6 warnings"
    );
    fs::remove_dir_all(folder).unwrap();
}

#[test]
fn the_bbc_corpus_is_the_same_with_one_and_two_threads() {
    let Some(bbc) = shared_data("bench/bbc") else { return };
    let folder = scratch("bbc");
    let (one, one_errors) = outputs(&folder, "1", 256, &bbc);
    let (two, two_errors) = outputs(&folder, "2", 64, &bbc);
    assert!(one == two, "threads 1 and 2 differ on the BBC corpus");
    assert_eq!(one_errors, two_errors);
    assert_eq!(
        one.iter().filter(|byte| **byte == b'\n').count(),
        2226,
        "2,225 articles and the README"
    );
    fs::remove_dir_all(folder).unwrap();
}
