//! Audit files crafted by someone else (extra triggers, views, tables, altered definitions, huge
//! blobs) and the personal-data purge.

use std::path::{Path, PathBuf};

use clausewise::{Audit, Error};

use crate::support::{clausewise, create_audit, file_sha, raw_open, scalar, status, stderr, write};

/// Opening `path` is refused as "not an audit" naming `what`, and the file is left untouched
/// (same bytes, no side files).
#[track_caller]
fn refused(path: &Path, what: &str) {
    let before = file_sha(path);
    let err = Audit::open(path).unwrap_err();
    match &err {
        Error::NotAnAudit { reason, .. } => assert!(reason.contains(what), "{reason}"),
        other => panic!("expected NotAnAudit, got {other:?}"),
    }
    assert_eq!(file_sha(path), before);
    assert!(!Path::new(&format!("{}-wal", path.display())).exists());
}

/// Runs `sql` on the audit file with a plain connection (as another program would).
fn tamper(path: &Path, sql: &str) {
    let conn = raw_open(path);
    conn.pragma_update(None, "journal_mode", "DELETE").unwrap();
    conn.execute_batch(sql).unwrap();
}

#[test]
fn a_file_with_a_trigger_view_or_table_of_its_own_is_refused_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    for (name, sql, what) in [
        (
            "trigger",
            "CREATE TABLE loot (x); CREATE TRIGGER steal AFTER INSERT ON assessment
             BEGIN INSERT INTO loot VALUES (new.note); END;",
            "loot",
        ),
        (
            "trigger-only",
            "CREATE TRIGGER wipe AFTER UPDATE ON assessment BEGIN DELETE FROM clause; END;",
            "trigger 'wipe'",
        ),
        (
            "view",
            "CREATE VIEW everything AS SELECT * FROM contact;",
            "view 'everything'",
        ),
        (
            "index",
            "CREATE INDEX sneaky ON assessment (note);",
            "index 'sneaky'",
        ),
        (
            "dropped index",
            "DROP INDEX finding_clause;",
            "finding_clause",
        ),
    ] {
        let path = create_audit(dir.path(), &format!("{}.ccaudit", name.replace(' ', "-")));
        tamper(&path, sql);
        refused(&path, what);
    }
}

#[test]
fn a_table_definition_changed_behind_sqlites_back_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = create_audit(dir.path(), "altered.ccaudit");
    // Drop the grade check by rewriting the stored CREATE TABLE text.
    let conn = raw_open(&path);
    conn.pragma_update(None, "journal_mode", "DELETE").unwrap();
    conn.pragma_update(None, "writable_schema", true).unwrap();
    let sql: String = conn
        .query_row(
            "SELECT sql FROM sqlite_schema WHERE name = 'assessment'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let loose = sql.replace("CHECK (grade IN", "CHECK (1 OR grade IN");
    assert_ne!(loose, sql);
    conn.execute(
        "UPDATE sqlite_schema SET sql = ?1 WHERE name = 'assessment'",
        [&loose],
    )
    .unwrap();
    drop(conn);
    refused(&path, "table 'assessment' differs");
}

#[test]
fn huge_text_in_a_note_is_read_safely() {
    let dir = tempfile::tempdir().unwrap();
    let path = create_audit(dir.path(), "huge.ccaudit");
    // 24 MB of note text (with markup), written directly into the file.
    tamper(
        &path,
        "INSERT INTO assessment (clause_id, grade, note, reason, updated_at)
         VALUES ('4.1.1', 'conforming', '<script>x</script>' || hex(zeroblob(12000000)), '', '2026-01-01T00:00:00Z');",
    );
    let audit = Audit::open(&path).unwrap();
    let a = audit.assessment("4.1.1").unwrap().unwrap();
    assert_eq!(a.note.len(), 18 + 24_000_000);
    let out = clausewise(dir.path(), &["info", "huge.ccaudit", "--json"]);
    assert_eq!(status(&out), 0);
}

/// A new audit `dir/name` with three outbound calls imported from `dir/calls.csv`: two from
/// customer 905551112233 (the second 8 days after their opt-out) and one, from 905559998877,
/// rejected for its time.
fn audit_with_customers(dir: &Path, name: &str) -> PathBuf {
    let path = create_audit(dir, name);
    write(
        dir,
        "calls.csv",
        "call_id,started_at,direction,outcome,customer_ref,opted_out_at\n\
         a1,2026-10-01T10:00:00+03:00,outbound,answered,905551112233,2026-10-01T10:01:00+03:00\n\
         a2,2026-10-09T10:00:00+03:00,outbound,answered,905551112233,\n\
         a3,not a time,outbound,answered,905559998877,\n",
    );
    let out = clausewise(dir, &["import", name, "calls", "calls.csv"]);
    assert_eq!(status(&out), 1, "one row is rejected");
    path
}

#[test]
fn purging_removes_pseudonyms_rejected_rows_and_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let path = audit_with_customers(dir.path(), "p.ccaudit");
    let key_before: Vec<u8> = raw_open(&path)
        .query_row("SELECT pseudonym_key FROM secret", [], |r| r.get(0))
        .unwrap();
    let breach = |p: &Path| {
        let e = Audit::open(p).unwrap().evidence().unwrap();
        let m = e.metric("contact_after_opt_out").unwrap();
        (m.k, m.n)
    };
    // a2 is 8 days after the customer's opt-out: one breach among two.
    assert_eq!(breach(&path), (Some(1), 2));
    assert_eq!(
        scalar(
            &path,
            "SELECT count(*) FROM contact WHERE customer_ref IS NOT NULL"
        ),
        2
    );
    assert_eq!(
        scalar(
            &path,
            "SELECT count(*) FROM import_error WHERE raw IS NOT NULL"
        ),
        1
    );
    let pseudonyms: Vec<String> = {
        let conn = raw_open(&path);
        let mut stmt = conn
            .prepare("SELECT DISTINCT customer_ref FROM contact WHERE customer_ref IS NOT NULL")
            .unwrap();
        let rows = stmt.query_map([], |r| r.get(0)).unwrap();
        rows.map(Result::unwrap).collect()
    };
    assert_eq!(pseudonyms.len(), 1);
    let refused = clausewise(dir.path(), &["purge", "p.ccaudit"]);
    assert_eq!(status(&refused), 2, "a purge needs --yes");
    let out = clausewise(dir.path(), &["purge", "p.ccaudit", "--yes"]);
    assert_eq!(status(&out), 0);
    assert_eq!(
        scalar(
            &path,
            "SELECT count(*) FROM contact WHERE customer_ref IS NOT NULL"
        ),
        0
    );
    assert_eq!(
        scalar(
            &path,
            "SELECT count(*) FROM import_error WHERE raw IS NOT NULL"
        ),
        0
    );
    // The row errors themselves stay: line, column and reason.
    assert_eq!(scalar(&path, "SELECT count(*) FROM import_error"), 1);
    let key_after: Vec<u8> = raw_open(&path)
        .query_row("SELECT pseudonym_key FROM secret", [], |r| r.get(0))
        .unwrap();
    assert_ne!(key_before, key_after);
    assert_eq!(key_after.len(), 32);
    // Without customers the opt-out metric has no population.
    assert_eq!(breach(&path), (Some(0), 0));
    assert_eq!(scalar(&path, "SELECT count(*) FROM privacy_event"), 1);
    // Neither the numbers nor their pseudonyms are anywhere in the file's bytes (free pages and
    // the write-ahead log included).
    for file in [path.clone(), dir.path().join("p.ccaudit-wal")] {
        let bytes = std::fs::read(&file).unwrap_or_default();
        let text = String::from_utf8_lossy(&bytes);
        for secret in ["905551112233", "905559998877", pseudonyms[0].as_str()] {
            assert!(!text.contains(secret), "{} holds {secret}", file.display());
        }
    }
}

#[test]
fn reports_never_print_customer_identifiers_or_their_pseudonyms() {
    let dir = tempfile::tempdir().unwrap();
    let path = audit_with_customers(dir.path(), "r.ccaudit");
    let pseudonym: String = raw_open(&path)
        .query_row(
            "SELECT customer_ref FROM contact WHERE customer_ref IS NOT NULL LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let secrets = ["905551112233", "905559998877", pseudonym.as_str()];
    for (format, name) in [
        ("json", "r.json"),
        ("html", "r.html"),
        ("csv", "r.csv"),
        ("pdf", "r.pdf"),
    ] {
        let out = clausewise(
            dir.path(),
            &["report", "r.ccaudit", "--format", format, "--out", name],
        );
        assert_eq!(status(&out), 0, "{}", stderr(&out));
        let mut text =
            String::from_utf8_lossy(&std::fs::read(dir.path().join(name)).unwrap()).into_owned();
        if format == "pdf" {
            let pdf = std::process::Command::new("pdftotext")
                .args([dir.path().join(name).to_str().unwrap(), "-"])
                .output()
                .expect("pdftotext (poppler-utils, installed by scripts/setup.sh)");
            text.push_str(&String::from_utf8_lossy(&pdf.stdout));
        }
        // The report does cover the import (the findings CSV lists findings only).
        if format != "csv" {
            assert!(text.contains("calls.csv"), "{format}");
        }
        for secret in secrets {
            assert!(!text.contains(secret), "{format} report shows {secret}");
        }
    }
}
