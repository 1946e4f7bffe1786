//! Fuzz targets, run by proptest for a bounded number of cases (set `PROPTEST_CASES` to run
//! more): CSV detection, preview and import; mapping TOML; checklist TOML; opening an audit file
//! with bytes changed. No input may panic; every import must account for every row it read.
//! A failing case is shrunk by proptest and printed; it then becomes a regression test below.

use std::path::Path;

use clausewise::checklist::Checklist;
use clausewise::import::mapping::MappingFile;
use clausewise::import::preview::preview_file;
use clausewise::import::{import_file, ImportOptions, Kind};
use clausewise::Audit;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

use crate::support::{create_audit, repo_file};

fn runner(default_cases: u32) -> TestRunner {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default_cases);
    TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    })
}

/// Bytes that look like delimited text often enough to get past detection: cells of printable
/// text, quotes, delimiters, line ends of every kind, BOMs, NULs and high bytes.
fn csvish() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        4 => "[a-zA-Z0-9 :/.+-]{0,12}".prop_map(|s| s.into_bytes()),
        2 => Just(b",".to_vec()),
        1 => Just(b";".to_vec()),
        1 => Just(b"\t".to_vec()),
        1 => Just(b"|".to_vec()),
        2 => Just(b"\"".to_vec()),
        2 => Just(b"\n".to_vec()),
        1 => Just(b"\r\n".to_vec()),
        1 => Just(b"\r".to_vec()),
        1 => Just(vec![0xEF, 0xBB, 0xBF]),
        1 => Just(vec![0xFF, 0xFE]),
        1 => Just(vec![0]),
        1 => any::<u8>().prop_map(|b| vec![b]),
        1 => Just(b"call_id,started_at,outcome\n".to_vec()),
        1 => Just(b"complaint_id,received_at\n".to_vec()),
        1 => Just(b"2026-10-01T10:00:00+03:00".to_vec()),
        1 => Just(b"answered".to_vec()),
    ];
    prop::collection::vec(piece, 0..120).prop_map(|parts| parts.concat())
}

fn import_bytes(dir: &Path, audit: &mut Audit, bytes: &[u8], kind: Kind, n: usize) {
    let path = dir.join(format!("in-{n}.csv"));
    std::fs::write(&path, bytes).unwrap();
    let mut options = ImportOptions::new(kind);
    options.replace = true;
    // The preview never panics and never writes.
    let _ = preview_file(&path, &options);
    match import_file(audit, &path, &options, &mut |_| true) {
        Ok(r) => assert_eq!(
            r.accepted + r.rejected + r.skipped,
            r.rows_read,
            "{:?}",
            String::from_utf8_lossy(bytes)
        ),
        Err(e) => assert!(!e.to_string().is_empty()),
    }
}

#[test]
fn fuzz_csv_detection_preview_and_import() {
    let dir = tempfile::tempdir().unwrap();
    let audit_path = create_audit(dir.path(), "fuzz.ccaudit");
    let audit = std::cell::RefCell::new(Audit::open(&audit_path).unwrap());
    let n = std::cell::Cell::new(0);
    let next = || {
        n.set(n.get() + 1);
        n.get()
    };
    runner(300)
        .run(&(csvish(), any::<bool>()), |(bytes, calls)| {
            let kind = if calls { Kind::Calls } else { Kind::Complaints };
            import_bytes(dir.path(), &mut audit.borrow_mut(), &bytes, kind, next());
            Ok(())
        })
        .unwrap();
    // Raw random bytes too.
    runner(200)
        .run(&prop::collection::vec(any::<u8>(), 0..2048), |bytes| {
            import_bytes(
                dir.path(),
                &mut audit.borrow_mut(),
                &bytes,
                Kind::Calls,
                next(),
            );
            Ok(())
        })
        .unwrap();
    drop(audit);
    assert_eq!(crate::support::integrity_check(&audit_path), "ok");
}

/// A valid mapping file, mutated by proptest.
const MAPPING: &str = r#"[mapping]
name = "acme"
kind = "calls"
delimiter = ";"
[field.call_id]
column = "Id"
[field.started_at]
date = "Day"
time = "Time"
format = ["%d.%m.%Y %H:%M:%S"]
[field.outcome]
column = "Result"
map = { OK = "answered", LOST = "abandoned" }
skip = { TEST = "test call" }
"#;

fn mutated(text: &'static str) -> impl Strategy<Value = String> {
    let len = text.len();
    prop::collection::vec((0..len, any::<char>(), 0u8..3), 0..8).prop_map(move |edits| {
        let mut chars: Vec<char> = text.chars().collect();
        for (at, c, op) in edits {
            let at = at.min(chars.len());
            match op {
                0 => chars.insert(at, c),
                1 if at < chars.len() => {
                    chars.remove(at);
                }
                _ if at < chars.len() => chars[at] = c,
                _ => {}
            }
        }
        chars.into_iter().collect()
    })
}

#[test]
fn fuzz_mapping_toml() {
    assert!(MappingFile::parse(MAPPING, "acme.toml").is_ok());
    runner(500)
        .run(&prop_oneof![mutated(MAPPING), any::<String>()], |text| {
            let _ = MappingFile::parse(&text, "fuzz.toml");
            Ok(())
        })
        .unwrap();
}

#[test]
fn fuzz_checklist_toml() {
    let text: &'static str = Box::leak(
        std::fs::read_to_string(repo_file(crate::support::DEFAULT_CHECKLIST))
            .unwrap()
            .into_boxed_str(),
    );
    assert!(Checklist::parse(text, "default").is_ok());
    runner(150)
        .run(&mutated(text), |t| {
            if let Err(e) = Checklist::parse(&t, "fuzz.toml") {
                assert!(!e.problems.is_empty());
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn fuzz_opening_an_audit_file_with_bytes_changed() {
    let dir = tempfile::tempdir().unwrap();
    let good = create_audit(dir.path(), "good.ccaudit");
    let original = std::fs::read(&good).unwrap();
    let len = original.len();
    let target = dir.path().join("bad.ccaudit");
    runner(200)
        .run(
            &prop::collection::vec((0..len, any::<u8>()), 1..16),
            |flips| {
                let mut bytes = original.clone();
                for (at, b) in flips {
                    bytes[at] = b;
                }
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", target.display()));
                }
                std::fs::write(&target, &bytes).unwrap();
                if let Ok(audit) = Audit::open(&target) {
                    // Opened: reading it must not panic either.
                    let _ = audit.view();
                    let _ = audit.evidence();
                    let _ = audit.scorecard();
                }
                Ok(())
            },
        )
        .unwrap();
}
