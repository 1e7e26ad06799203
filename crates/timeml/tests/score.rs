//! The scorer on small hand-made files whose answers are worked out by
//! hand.

use std::fs;
use std::path::PathBuf;

use timeml::score::{score_dirs, score_document};
use timeml::{Timex, parse};

fn timex(start: usize, end: usize, kind: &str, value: &str) -> Timex {
    Timex { start, end, tid: String::new(), kind: kind.into(), value: value.into(), modifier: None }
}

#[test]
fn counts_strict_relaxed_type_and_value() {
    let gold = [
        timex(0, 5, "DATE", "2013"),      // exact match, right value
        timex(10, 20, "DATE", "2013-03"), // system overlaps, wrong value
        timex(30, 35, "DURATION", "P3Y"), // missed
    ];
    let system = [
        timex(0, 5, "DATE", "2013"),
        timex(12, 20, "TIME", "2013-04"),
        timex(40, 45, "DATE", "2014"), // spurious
    ];
    let counts = score_document(&gold, &system);
    assert_eq!((counts.gold, counts.system), (3, 3));
    assert_eq!((counts.strict_gold_matched, counts.strict_system_matched), (1, 1));
    assert_eq!((counts.relaxed_gold_matched, counts.relaxed_system_matched), (2, 2));
    assert_eq!((counts.pairs, counts.type_correct, counts.value_correct), (2, 1, 1));
}

fn folder(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("timeml-score-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    for (file, content) in files {
        fs::write(dir.join(file), content).unwrap();
    }
    dir
}

#[test]
fn scores_folders_like_tempeval() {
    let gold = folder(
        "gold",
        &[
            (
                "a.tml",
                "<TimeML><DCT><TIMEX3 tid=\"t0\" value=\"2013-03-22\">x</TIMEX3></DCT><TEXT>It rained \
                 <TIMEX3 tid=\"t1\" type=\"DATE\" value=\"2013-03-21\">yesterday</TIMEX3> for \
                 <TIMEX3 tid=\"t2\" type=\"DURATION\" value=\"PT3H\">three hours</TIMEX3>.</TEXT></TimeML>",
            ),
            (
                "b.tml",
                "<TimeML><TEXT>Since <TIMEX3 tid=\"t1\" type=\"DATE\" value=\"2008\">2008</TIMEX3>.</TEXT></TimeML>",
            ),
        ],
    );
    let system = folder(
        "system",
        &[(
            "a.tml.TE3input",
            "<TimeML><TEXT>It rained <TIMEX3 tid=\"t1\" type=\"DATE\" value=\"2013-03-21\">yesterday</TIMEX3> for \
             three <TIMEX3 tid=\"t2\" type=\"DURATION\" value=\"PT2H\">hours</TIMEX3>.</TEXT></TimeML>",
        )],
    );
    let report = score_dirs(&gold, &system).unwrap();
    // Gold: 3 TIMEX3 (b's one missed with its file). System: 2, both
    // overlapping gold; one exact; one value right.
    assert_eq!(report.documents, 2);
    assert_eq!(report.missing, ["b"]);
    assert!(report.text_mismatch.is_empty());
    assert_eq!((report.counts.gold, report.counts.system), (3, 2));
    assert_eq!((report.strict.precision, report.strict.recall), (0.5, 1.0 / 3.0));
    assert_eq!((report.relaxed.precision, report.relaxed.recall), (1.0, 2.0 / 3.0));
    assert!((report.relaxed.f1 - 0.8).abs() < 1e-12);
    assert_eq!((report.type_accuracy, report.value_accuracy), (1.0, 0.5));
    assert_eq!((report.value.precision, report.value.recall), (0.5, 1.0 / 3.0));
    assert!((report.value.f1 - 0.4).abs() < 1e-12);
    let text = report.to_text();
    assert!(text.contains("relaxed span   P 100.00  R  66.67  F1  80.00"), "{text}");
    assert!(text.contains("1 gold documents have no system file: b"), "{text}");
    let _ = fs::remove_dir_all(&gold);
    let _ = fs::remove_dir_all(&system);
}

#[test]
fn an_empty_gold_folder_is_an_error() {
    let empty = folder("empty", &[]);
    assert!(score_dirs(&empty, &empty).is_err());
    let _ = fs::remove_dir_all(&empty);
    assert!(parse("").timexes.is_empty());
}

#[test]
fn floors_pass_within_the_tolerance_and_fail_below() {
    let report = timeml::score::Report {
        relaxed: timeml::score::Prf { precision: 0.9, recall: 0.9, f1: 0.9 },
        ..Default::default()
    };
    let checks = timeml::score::check_floors(&report, "# reached\nrelaxed_f1 = 0.905\n", 0.01);
    assert!(checks.unwrap()[0].passed);
    let checks = timeml::score::check_floors(&report, "relaxed_f1 = 0.92 # too high\n", 0.01);
    let checks = checks.unwrap();
    assert!(!checks[0].passed);
    assert_eq!((checks[0].reached, checks[0].measured), (0.92, 0.9));
    assert!(timeml::score::check_floors(&report, "relaxd_f1 = 0.9", 0.01).is_err());
    assert!(timeml::score::check_floors(&report, "relaxed_f1 = high", 0.01).is_err());
    assert!(timeml::score::check_floors(&report, "", 0.01).is_err());
}
