//! The `.ccaudit` file: what `Audit::create` writes, what `Audit::open` refuses (without touching
//! the file), and the assessments, all checked with raw SQL on a connection of our own.

use std::collections::BTreeMap;
use std::io::{Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use clausewise::checklist::sha256_hex;
use clausewise::{db, AssessmentUpdate, Audit, AuditType, Checklist, Error, Grade, NewAudit};

use crate::support::{
    clause, create_audit, dir_names, file_sha, grade_only, integrity_check, mini_checklist, names,
    raw_assessments, raw_clauses, raw_open, raw_top_sections, read_toml, repo_file, row_count,
    str_at, update, write, DEFAULT_CHECKLIST,
};

fn details() -> NewAudit {
    NewAudit {
        organisation: "Acme Çağrı Merkezi".into(),
        site: Some("Ankara".into()),
        scope: Some("Inbound voice and chat".into()),
        channels: vec!["voice".into(), "chat".into()],
        audit_type: AuditType::Surveillance,
        auditors: vec!["Ayşe Yılmaz".into(), "John Smith".into()],
        start_date: NaiveDate::from_ymd_opt(2026, 3, 2),
        end_date: NaiveDate::from_ymd_opt(2026, 3, 4),
    }
}

fn row(clause: &str, grade: &str, note: &str, reason: &str) -> (String, String, String, String) {
    (clause.into(), grade.into(), note.into(), reason.into())
}

/// The SQLite side files of `path` that exist.
fn sidecars(path: &Path) -> Vec<String> {
    ["-wal", "-shm", "-journal"]
        .iter()
        .map(|s| format!("{}{s}", path.display()))
        .filter(|p| Path::new(p).exists())
        .collect()
}

// ---- create -------------------------------------------------------------------------------------

#[test]
fn a_new_audit_file_is_sound_and_carries_the_format_ids() {
    let dir = tempfile::tempdir().unwrap();
    let path = create_audit(dir.path(), "a.ccaudit");
    assert_eq!(integrity_check(&path), "ok");
    let conn = raw_open(&path);
    let pragma = |name: &str| -> rusqlite::types::Value {
        conn.pragma_query_value(None, name, |r| r.get(0)).unwrap()
    };
    use rusqlite::types::Value::{Integer, Text};
    assert_eq!(pragma("application_id"), Integer(db::APPLICATION_ID.into()));
    assert_eq!(pragma("application_id"), Integer(0x4343_4155), "\"CCAU\"");
    assert_eq!(pragma("user_version"), Integer(db::schema_version()));
    assert_eq!(pragma("journal_mode"), Text("wal".into()));
    // The page size is only taken when set before the first write.
    assert_eq!(pragma("page_size"), Integer(16384));
    assert_eq!(db::PAGE_SIZE, 16384);
    let bytes = std::fs::read(&path).unwrap();
    assert_eq!(
        u16::from_be_bytes([bytes[16], bytes[17]]),
        16384,
        "file header"
    );
}

#[test]
fn the_embedded_migrations_are_valid() {
    db::migrations().validate().unwrap();
    let on_disk = std::fs::read_dir(repo_file("migrations"))
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().is_dir())
        .count();
    assert!(on_disk >= 1);
    assert_eq!(db::schema_version(), on_disk as i64);
}

#[test]
fn a_new_audit_stores_the_metadata_and_the_checklist_it_was_given() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.ccaudit");
    let checklist = Checklist::resolve(None).unwrap();
    drop(Audit::create(&path, &details(), &checklist).unwrap());

    let conn = raw_open(&path);
    let column = |name: &str| -> Option<String> {
        conn.query_row(&format!("SELECT {name} FROM audit"), [], |r| r.get(0))
            .unwrap()
    };
    let list =
        |name: &str| -> Vec<String> { serde_json::from_str(&column(name).unwrap()).unwrap() };
    let text = |s: &str| Some(s.to_string());
    assert_eq!(column("organisation"), text("Acme Çağrı Merkezi"));
    assert_eq!(column("site"), text("Ankara"));
    assert_eq!(column("scope"), text("Inbound voice and chat"));
    assert_eq!(list("channels"), ["voice", "chat"]);
    assert_eq!(column("audit_type"), text("surveillance"));
    assert_eq!(list("auditors"), ["Ayşe Yılmaz", "John Smith"]);
    assert_eq!(column("start_date"), text("2026-03-02"));
    assert_eq!(column("end_date"), text("2026-03-04"));

    let shipped = repo_file(DEFAULT_CHECKLIST);
    let doc = read_toml(DEFAULT_CHECKLIST);
    let header = doc["checklist"].as_table().unwrap();
    assert_eq!(column("checklist_id").as_deref(), str_at(header, "id"));
    assert_eq!(
        column("checklist_version").as_deref(),
        str_at(header, "version")
    );
    assert_eq!(column("checklist_sha256"), Some(file_sha(&shipped)));
    assert_eq!(
        column("checklist_source"),
        Some(std::fs::read_to_string(&shipped).unwrap())
    );
    assert_eq!(row_count(&path, "audit"), 1);
}

#[test]
fn a_new_audit_has_one_clause_row_per_checklist_clause_in_file_order() {
    let dir = tempfile::tempdir().unwrap();
    let path = create_audit(dir.path(), "a.ccaudit");
    let expected: Vec<(String, String, f64, bool)> = raw_clauses()
        .iter()
        .map(|c| {
            (
                str_at(c, "id").unwrap().to_string(),
                str_at(c, "section").unwrap().to_string(),
                c.get("weight").map_or(1.0, |w| w.as_float().unwrap()),
                c.get("mandatory").is_none_or(|m| m.as_bool().unwrap()),
            )
        })
        .collect();
    let conn = raw_open(&path);
    let mut stmt = conn
        .prepare("SELECT id, section_id, weight, mandatory FROM clause ORDER BY position")
        .unwrap();
    let stored: Vec<(String, String, f64, bool)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert_eq!(stored, expected);
    assert_eq!(row_count(&path, "assessment"), 0);
    assert_eq!(row_count(&path, "assessment_history"), 0);
}

#[test]
fn create_leaves_only_the_audit_file_in_its_folder() {
    let dir = tempfile::tempdir().unwrap();
    create_audit(dir.path(), "a.ccaudit");
    assert_eq!(dir_names(dir.path()), names(&["a.ccaudit"]));
}

#[test]
fn create_refuses_an_existing_path_and_leaves_it_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "taken.ccaudit", "someone else's file\n");
    let checklist = Checklist::resolve(None).unwrap();
    let err = Audit::create(&path, &details(), &checklist).unwrap_err();
    assert!(
        matches!(&err, Error::AlreadyExists { path: p } if p == &path),
        "{err}"
    );
    assert_eq!(std::fs::read(&path).unwrap(), b"someone else's file\n");
    assert_eq!(dir_names(dir.path()), names(&["taken.ccaudit"]));
}

#[test]
fn a_create_that_fails_half_way_leaves_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.ccaudit");
    // A checklist that passed validation cannot fail to be written, so break one by hand:
    // a repeated clause id violates the clause table's primary key after the file exists.
    let mut checklist = Checklist::resolve(None).unwrap();
    checklist.clauses.push(checklist.clauses[0].clone());
    let err = Audit::create(&path, &details(), &checklist).unwrap_err();
    assert!(matches!(err, Error::Database { .. }), "{err}");
    assert_eq!(dir_names(dir.path()), names(&[]));
}

#[test]
fn a_create_with_a_blank_organisation_is_refused_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.ccaudit");
    let checklist = Checklist::resolve(None).unwrap();
    let err = Audit::create(&path, &NewAudit::named("  "), &checklist).unwrap_err();
    assert!(matches!(err, Error::Invalid(_)), "{err}");
    assert_eq!(dir_names(dir.path()), names(&[]));
}

// ---- open refuses without touching ---------------------------------------------------------------

/// SHA-256 of `path` and of each SQLite side file of it that exists, by name.
fn snapshot(path: &Path) -> BTreeMap<String, String> {
    let mut files = vec![path.display().to_string()];
    files.extend(sidecars(path));
    files
        .into_iter()
        .map(|f| {
            let sha = file_sha(Path::new(&f));
            (f, sha)
        })
        .collect()
}

/// Opens `path`, expecting a refusal; checks that the file's bytes are as before and that no
/// -wal, -shm or -journal file appeared, disappeared or changed.
fn refused_unchanged(path: &Path) -> Error {
    let before = snapshot(path);
    let err = Audit::open(path).expect_err("the file should be refused");
    assert_eq!(snapshot(path), before, "{} was modified", path.display());
    err
}

fn assert_not_an_audit(err: &Error, path: &Path) {
    assert!(
        matches!(err, Error::NotAnAudit { path: p, .. } if p == path),
        "{err:?}"
    );
    assert!(err.to_string().contains(&path.display().to_string()));
}

#[test]
fn open_refuses_a_png_named_ccaudit_without_touching_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    png.extend([0u8; 64]);
    let path = dir.path().join("picture.ccaudit");
    std::fs::write(&path, &png).unwrap();
    assert_not_an_audit(&refused_unchanged(&path), &path);
}

#[test]
fn open_refuses_an_empty_file_without_touching_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "empty.ccaudit", "");
    assert_not_an_audit(&refused_unchanged(&path), &path);
    assert_eq!(std::fs::metadata(&path).unwrap().len(), 0);
}

#[test]
fn open_refuses_a_text_file_without_touching_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "notes.ccaudit",
        "call_id,started_at\n1,2026-01-01\n",
    );
    assert_not_an_audit(&refused_unchanged(&path), &path);
}

#[test]
fn open_refuses_another_programs_sqlite_database_without_touching_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("other.ccaudit");
    let other = rusqlite::Connection::open(&path).unwrap();
    other
        .execute_batch("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1), (2);")
        .unwrap();
    drop(other);
    assert_not_an_audit(&refused_unchanged(&path), &path);
}

#[test]
fn open_refuses_another_programs_database_left_with_a_wal_file_without_touching_it() {
    // A copy taken while the other program had the database open: the rows are only in the
    // -wal file. Checkpointing that into the file would change both files.
    let dir = tempfile::tempdir().unwrap();
    let live = dir.path().join("live.db");
    let conn = rusqlite::Connection::open(&live).unwrap();
    conn.pragma_update(None, "journal_mode", "WAL").unwrap();
    conn.pragma_update(None, "wal_autocheckpoint", 0).unwrap();
    conn.execute_batch("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1), (2);")
        .unwrap();
    let path = dir.path().join("copy.ccaudit");
    std::fs::copy(&live, &path).unwrap();
    std::fs::copy(
        dir.path().join("live.db-wal"),
        dir.path().join("copy.ccaudit-wal"),
    )
    .unwrap();
    drop(conn);
    assert_eq!(sidecars(&path), [format!("{}-wal", path.display())]);
    assert_not_an_audit(&refused_unchanged(&path), &path);
}

#[test]
fn open_refuses_an_audit_from_a_newer_schema_naming_both_versions() {
    let dir = tempfile::tempdir().unwrap();
    let path = create_audit(dir.path(), "newer.ccaudit");
    let newer = db::schema_version() + 5;
    raw_open(&path)
        .pragma_update(None, "user_version", newer)
        .unwrap();
    let err = refused_unchanged(&path);
    match &err {
        Error::NewerSchema {
            path: p,
            found,
            supported,
        } => {
            assert_eq!(p, &path);
            assert_eq!((*found, *supported), (newer, db::schema_version()));
        }
        other => panic!("expected NewerSchema, got {other:?}"),
    }
}

#[test]
fn open_refuses_a_damaged_audit_without_touching_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = create_audit(dir.path(), "damaged.ccaudit");
    let page_size: u32 = raw_open(&path)
        .pragma_query_value(None, "page_size", |r| r.get(0))
        .unwrap();
    let page_size = u64::from(page_size);
    let len = std::fs::metadata(&path).unwrap().len();
    assert!(len >= 3 * page_size, "the fixture needs a few pages");
    // Page 2 is the root of the first table: overwrite its b-tree page header (page type,
    // freeblock, cell count, cell content offset) with garbage.
    let mut f = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
    f.seek(SeekFrom::Start(page_size)).unwrap();
    f.write_all(&[0xA5; 12]).unwrap();
    drop(f);
    assert_eq!(std::fs::metadata(&path).unwrap().len(), len);

    let err = refused_unchanged(&path);
    assert!(
        matches!(&err, Error::Damaged { path: p, .. } if p == &path),
        "{err:?}"
    );
    assert!(err.to_string().contains(&path.display().to_string()));
}

#[test]
fn an_audit_keeps_its_checklist_when_the_source_file_changes_or_goes() {
    let dir = tempfile::tempdir().unwrap();
    let original = mini_checklist(&(clause("4.1.1", "4.1", "") + &clause("4.1.2", "4.1", "")));
    let source = write(dir.path(), "mine.toml", &original);
    let path = dir.path().join("a.ccaudit");
    let checklist = Checklist::load(&source).unwrap();
    drop(Audit::create(&path, &details(), &checklist).unwrap());

    let check = || {
        let audit = Audit::open(&path).unwrap();
        let ids: Vec<&str> = audit
            .checklist()
            .clauses
            .iter()
            .map(|c| c.id.as_str())
            .collect();
        assert_eq!(ids, ["4.1.1", "4.1.2"]);
        assert_eq!(audit.checklist().sha256, sha256_hex(original.as_bytes()));
        assert_eq!(
            audit.meta().unwrap().checklist_sha256,
            sha256_hex(original.as_bytes())
        );
    };
    write(
        dir.path(),
        "mine.toml",
        &mini_checklist(&clause("4.1.9", "4.1", "")),
    );
    check();
    std::fs::remove_file(&source).unwrap();
    check();
}

// ---- assessments --------------------------------------------------------------------------------

fn open_new(dir: &Path) -> (PathBuf, Audit) {
    let path = create_audit(dir, "a.ccaudit");
    let audit = Audit::open(&path).unwrap();
    (path, audit)
}

#[test]
fn an_assessment_round_trips_through_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut audit) = open_new(dir.path());
    let stored = audit
        .update_assessment(
            "4.2.5",
            update(Grade::Minor, "3 of 20 lacked a reference", ""),
        )
        .unwrap();
    assert_eq!(
        (stored.clause_id.as_str(), stored.grade),
        ("4.2.5", Grade::Minor)
    );
    assert_eq!(
        raw_assessments(&path),
        [row("4.2.5", "minor", "3 of 20 lacked a reference", "")]
    );
    drop(audit);
    let reopened = Audit::open(&path).unwrap();
    let a = reopened.assessment("4.2.5").unwrap().unwrap();
    assert_eq!(
        (a.grade, a.note.as_str()),
        (Grade::Minor, "3 of 20 lacked a reference")
    );
}

#[test]
fn changing_only_the_grade_keeps_the_stored_note() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut audit) = open_new(dir.path());
    audit
        .update_assessment("7.1", update(Grade::Conforming, "forecast seen", ""))
        .unwrap();
    audit
        .update_assessment("7.1", grade_only(Grade::Observation))
        .unwrap();
    assert_eq!(
        raw_assessments(&path),
        [row("7.1", "observation", "forecast seen", "")]
    );
}

#[test]
fn not_applicable_without_a_reason_is_refused_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut audit) = open_new(dir.path());
    audit
        .update_assessment("4.5.6", update(Grade::Conforming, "consent seen", ""))
        .unwrap();
    let before = (
        raw_assessments(&path),
        row_count(&path, "assessment_history"),
    );
    for attempt in [grade_only(Grade::Na), update(Grade::Na, "n/a", "   ")] {
        let err = audit.update_assessment("4.5.6", attempt).unwrap_err();
        assert!(matches!(err, Error::Invalid(_)), "{err}");
        assert!(err.to_string().contains("4.5.6"), "{err}");
    }
    let after = (
        raw_assessments(&path),
        row_count(&path, "assessment_history"),
    );
    assert_eq!(after, before);
    assert_eq!(before.1, 1);
}

#[test]
fn not_applicable_with_a_reason_is_stored() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut audit) = open_new(dir.path());
    audit
        .update_assessment("4.5.6", update(Grade::Na, "", "no outbound calls in scope"))
        .unwrap();
    assert_eq!(
        raw_assessments(&path),
        [row("4.5.6", "na", "", "no outbound calls in scope")]
    );
}

#[test]
fn an_unknown_clause_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut audit) = open_new(dir.path());
    let err = audit
        .update_assessment("4.9.9", grade_only(Grade::Conforming))
        .unwrap_err();
    assert!(
        matches!(&err, Error::UnknownClause { id, .. } if id == "4.9.9"),
        "{err}"
    );
    assert_eq!(row_count(&path, "assessment"), 0);
    assert_eq!(row_count(&path, "assessment_history"), 0);
}

#[test]
fn every_update_appends_one_row_to_the_history() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut audit) = open_new(dir.path());
    let steps = [
        (
            "6.1",
            update(Grade::Minor, "no vulnerable-customer criteria", ""),
        ),
        ("6.1", grade_only(Grade::Ofi)),
        (
            "8.3",
            update(Grade::Conforming, "ISO 27001 certificate", ""),
        ),
        (
            "6.1",
            AssessmentUpdate {
                note: Some("criteria drafted".into()),
                ..Default::default()
            },
        ),
    ];
    for (i, (clause, u)) in steps.into_iter().enumerate() {
        audit.update_assessment(clause, u).unwrap();
        assert_eq!(row_count(&path, "assessment_history"), i as i64 + 1);
    }
    let conn = raw_open(&path);
    let mut stmt = conn
        .prepare("SELECT clause_id, grade, note, reason FROM assessment_history ORDER BY id")
        .unwrap();
    let history: Vec<(String, String, String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert_eq!(
        history,
        [
            row("6.1", "minor", "no vulnerable-customer criteria", ""),
            row("6.1", "ofi", "no vulnerable-customer criteria", ""),
            row("8.3", "conforming", "ISO 27001 certificate", ""),
            row("6.1", "ofi", "criteria drafted", ""),
        ]
    );
}

#[test]
fn progress_counts_assessed_clauses_per_top_level_section() {
    let dir = tempfile::tempdir().unwrap();
    let (_path, mut audit) = open_new(dir.path());
    // "na" is a decision and counts as assessed; "not-assessed" does not.
    let grades = [
        ("4.1.1", update(Grade::Conforming, "", "")),
        ("4.5.6", update(Grade::Na, "", "out of scope")),
        ("7.2", update(Grade::Major, "", "")),
        ("7.3", update(Grade::NotAssessed, "", "")),
        ("9.1", update(Grade::Ofi, "", "")),
    ];
    for (clause, u) in grades {
        audit.update_assessment(clause, u).unwrap();
    }
    let assessed_by_me = ["4.1.1", "4.5.6", "7.2", "9.1"];

    let mut expected: BTreeMap<String, (u32, u32)> = BTreeMap::new();
    for (clause, top) in raw_top_sections() {
        let e = expected.entry(top).or_default();
        e.1 += 1;
        if assessed_by_me.contains(&clause.as_str()) {
            e.0 += 1;
        }
    }
    assert_eq!(expected["4"].0, 2, "hand check of the expectation");

    let progress = audit.progress().unwrap();
    let order: Vec<&str> = progress.iter().map(|p| p.section.as_str()).collect();
    assert_eq!(order, ["4", "5", "6", "7", "8", "9"]);
    let got: BTreeMap<String, (u32, u32)> = progress
        .into_iter()
        .map(|p| (p.section, (p.assessed, p.total)))
        .collect();
    assert_eq!(got, expected);
}
