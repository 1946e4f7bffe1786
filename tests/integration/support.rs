//! Helpers shared by the integration tests: paths of the shipped files, readers that look at
//! those files and at audit files *without* going through the crate (the `toml` crate directly,
//! raw rusqlite), tiny checklist fixtures, and running the built CLI.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use clausewise::checklist::sha256_hex;
use clausewise::import::{import_file, ImportOptions, ImportReport, Kind};
use clausewise::{AssessmentUpdate, Audit, Checklist, Grade, NewAudit};
use rusqlite::{Connection, OpenFlags};

/// The default checklist as shipped, relative to the crate root.
pub const DEFAULT_CHECKLIST: &str = "audits/checklists/tse-ts-iso-18295-1.toml";
/// The file mapping checklist.md's requirements onto the default checklist's clauses.
pub const COVERAGE: &str = "audits/checklists/tse-ts-iso-18295-1.coverage.toml";
/// The inputs of the demo audit.
pub const DEMO: &str = "audits/demo/demo.toml";

/// The grade tokens of spec/cli.md.
pub const CLI_GRADES: [&str; 7] = [
    "conforming",
    "observation",
    "ofi",
    "minor",
    "major",
    "na",
    "not-assessed",
];

/// A file of the repository, by its path relative to the crate root.
pub fn repo_file(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// A repository TOML file parsed by the `toml` crate directly.
pub fn read_toml(rel: &str) -> toml::Table {
    let text = std::fs::read_to_string(repo_file(rel)).unwrap();
    text.parse()
        .unwrap_or_else(|e| panic!("{rel} is not valid TOML: {e}"))
}

/// The `[[name]]` tables of a document, in file order.
pub fn array_of_tables<'a>(doc: &'a toml::Table, name: &str) -> Vec<&'a toml::Table> {
    doc.get(name)
        .and_then(toml::Value::as_array)
        .map(|a| a.iter().map(|v| v.as_table().unwrap()).collect())
        .unwrap_or_default()
}

/// A string at a dotted key (`"requirement.en"`), if present.
pub fn str_at<'a>(table: &'a toml::Table, dotted: &str) -> Option<&'a str> {
    let mut keys = dotted.split('.');
    let mut value = table.get(keys.next()?)?;
    for key in keys {
        value = value.get(key)?;
    }
    value.as_str()
}

/// The strings of an array value (`clauses = ["4.1.1"]`).
pub fn strings(table: &toml::Table, key: &str) -> Vec<String> {
    table
        .get(key)
        .and_then(toml::Value::as_array)
        .map(|a| a.iter().map(|v| v.as_str().unwrap().to_string()).collect())
        .unwrap_or_default()
}

/// The default checklist's `[[clause]]` tables, read straight from the shipped file.
pub fn raw_clauses() -> Vec<toml::Table> {
    array_of_tables(&read_toml(DEFAULT_CHECKLIST), "clause")
        .into_iter()
        .cloned()
        .collect()
}

/// The default checklist's clause ids in file order, read straight from the shipped file.
pub fn raw_clause_ids() -> Vec<String> {
    raw_clauses()
        .iter()
        .map(|c| str_at(c, "id").unwrap().to_string())
        .collect()
}

/// For every clause of the shipped default checklist, its top-level section (following the
/// `parent` keys of the `[[section]]` tables).
pub fn raw_top_sections() -> BTreeMap<String, String> {
    let doc = read_toml(DEFAULT_CHECKLIST);
    let parent: BTreeMap<&str, &str> = array_of_tables(&doc, "section")
        .into_iter()
        .filter_map(|s| Some((str_at(s, "id")?, str_at(s, "parent")?)))
        .collect();
    array_of_tables(&doc, "clause")
        .into_iter()
        .map(|c| {
            let mut section = str_at(c, "section").unwrap();
            while let Some(p) = parent.get(section) {
                section = p;
            }
            (str_at(c, "id").unwrap().to_string(), section.to_string())
        })
        .collect()
}

// ---- tiny checklist fixtures -------------------------------------------------------------------

/// A small valid checklist (sections 4 and 4.1 under it) followed by `clauses`.
pub fn mini_checklist(clauses: &str) -> String {
    format!(
        r#"[checklist]
id = "mini"
version = "0.1"
languages = ["en", "tr"]
title.en = "Mini checklist"
title.tr = "Küçük kontrol listesi"

[parameters]
service_level_seconds = 20
short_abandon_seconds = 5
complaint_resolution_days = 15
calling_hours_start = "09:00"
calling_hours_end = "20:00"
opt_out_grace_days = 3
corrective_action_due_days = 30

[[section]]
id = "4"
title.en = "Customer relationship"
title.tr = "Müşteri ilişkisi"

[[section]]
id = "4.1"
parent = "4"
title.en = "Commitments"
title.tr = "Taahhütler"
{clauses}"#
    )
}

/// A valid clause block; `extra` is appended inside it (more keys, then `[[clause.metric]]`).
pub fn clause(id: &str, section: &str, extra: &str) -> String {
    format!(
        r#"
[[clause]]
id = "{id}"
section = "{section}"
title.en = "Title of {id}"
title.tr = "{id} başlığı"
requirement.en = "Requirement of {id}"
requirement.tr = "{id} gerekliliği"
guidance.en = "Guidance for {id}"
guidance.tr = "{id} için rehber"
methods = ["document_review"]
{extra}
"#
    )
}

/// Writes `text` to `dir/name` and returns the path.
pub fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

// ---- audit files, read with raw rusqlite -------------------------------------------------------

/// Creates an audit with the default checklist at `dir/name` and closes it again.
pub fn create_audit(dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(name);
    let checklist = Checklist::resolve(None).unwrap();
    Audit::create(&path, &NewAudit::named("Test Org"), &checklist).unwrap();
    path
}

/// An update that sets only the grade (keeping the stored note and reason).
pub fn grade_only(grade: Grade) -> AssessmentUpdate {
    AssessmentUpdate {
        grade: Some(grade),
        ..Default::default()
    }
}

/// An update that sets grade, note and reason.
pub fn update(grade: Grade, note: &str, reason: &str) -> AssessmentUpdate {
    AssessmentUpdate {
        grade: Some(grade),
        note: Some(note.into()),
        reason: Some(reason.into()),
    }
}

/// A connection of our own to an existing database file (never creates one).
pub fn raw_open(path: &Path) -> Connection {
    Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE).unwrap()
}

/// `PRAGMA integrity_check` of a database file, run on a connection of our own.
pub fn integrity_check(path: &Path) -> String {
    raw_open(path)
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap()
}

/// The number of rows in `table`.
pub fn row_count(path: &Path, table: &str) -> i64 {
    raw_open(path)
        .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .unwrap()
}

/// The `assessment` rows as (clause, grade, note, reason), ordered by clause id.
pub fn raw_assessments(path: &Path) -> Vec<(String, String, String, String)> {
    let conn = raw_open(path);
    let mut stmt = conn
        .prepare("SELECT clause_id, grade, note, reason FROM assessment ORDER BY clause_id")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

/// SHA-256 of a file's bytes.
pub fn file_sha(path: &Path) -> String {
    sha256_hex(&std::fs::read(path).unwrap())
}

/// The names of the entries of a folder.
pub fn dir_names(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

/// A set of file names, for comparing with [`dir_names`].
pub fn names(list: &[&str]) -> BTreeSet<String> {
    list.iter().map(|s| s.to_string()).collect()
}

// ---- the CLI ------------------------------------------------------------------------------------

/// Runs the built `clausewise` binary in `dir`.
pub fn clausewise(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_clausewise"))
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap()
}

/// The exit status of a finished command (panics if it was killed by a signal).
pub fn status(out: &Output) -> i32 {
    out.status.code().expect("the process exited normally")
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).unwrap()
}

/// The whole of stdout as one JSON document (fails on anything before or after it).
pub fn stdout_json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not one JSON document ({e}):\n{}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

// ---- record imports -----------------------------------------------------------------------------

/// A file of the shared folder of real exports (its README documents each file's counts).
pub fn realdata(rel: &str) -> PathBuf {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/realdata")).join(rel)
}

/// Imports `file` through the library into the audit file at `audit` (opened for this import
/// and closed again), with the default options for `kind` changed by `adjust`.
pub fn import_into(
    audit: &Path,
    kind: Kind,
    file: &Path,
    adjust: impl FnOnce(&mut ImportOptions),
) -> clausewise::Result<ImportReport> {
    let mut options = ImportOptions::new(kind);
    adjust(&mut options);
    let mut opened = Audit::open(audit)?;
    import_file(&mut opened, file, &options, &mut |_| true)
}

/// Writes `bytes` to `dir/name` and returns the path.
pub fn write_bytes(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// One integer from a query of our own (`SELECT count(*) …`).
pub fn scalar(path: &Path, sql: &str) -> i64 {
    raw_open(path)
        .query_row(sql, [], |r| r.get(0))
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// The line each record of a delimited text starts on (1-based; the header is a record),
/// found by scanning the bytes for line ends (LF, CRLF or CR) outside double quotes: a count
/// of our own, independent of the csv crate's and of the importer's. Empty lines hold no
/// record.
pub fn record_start_lines(bytes: &[u8]) -> Vec<u64> {
    let mut starts = Vec::new();
    let (mut line, mut quoted, mut at_start) = (1u64, false, true);
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if at_start && b != b'\n' && b != b'\r' {
            starts.push(line);
            at_start = false;
        }
        match b {
            b'"' => quoted = !quoted,
            b'\r' | b'\n' => {
                if b == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
                line += 1;
                at_start = at_start || !quoted;
            }
            _ => {}
        }
        i += 1;
    }
    starts
}

/// A delimited file read with the csv crate directly: its header, and every data record with
/// the line it starts on (from [`record_start_lines`]).
pub fn read_delimited(path: &Path, delimiter: u8) -> (Vec<String>, Vec<(u64, csv::StringRecord)>) {
    let bytes = std::fs::read(path).unwrap();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(bytes.as_slice());
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let lines = record_start_lines(&bytes);
    assert_eq!(
        lines.len(),
        records.len(),
        "{}: the line scan and the csv crate disagree on the number of records",
        path.display()
    );
    let mut rows = lines.into_iter().zip(records);
    let header = rows.next().unwrap().1.iter().map(str::to_string).collect();
    (header, rows.collect())
}

/// Every `table.column` of the audit file whose value, as text, contains `needle` in some row
/// (SQL `LIKE` over every column of every table, on a connection of our own).
pub fn columns_containing(path: &Path, needle: &str) -> Vec<String> {
    let conn = raw_open(path);
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let pattern = format!("%{needle}%");
    let mut found = Vec::new();
    for table in tables {
        let columns: Vec<String> = conn
            .prepare("SELECT name FROM pragma_table_info(?1)")
            .unwrap()
            .query_map([&table], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        for column in columns {
            let sql = format!(
                "SELECT count(*) FROM \"{table}\" WHERE CAST(\"{column}\" AS TEXT) LIKE ?1"
            );
            let n: i64 = conn.query_row(&sql, [&pattern], |r| r.get(0)).unwrap();
            if n > 0 {
                found.push(format!("{table}.{column}"));
            }
        }
    }
    found
}

/// Whether the bytes of a file, or of its `-wal` file if there is one, contain `needle`.
pub fn file_bytes_contain(path: &Path, needle: &str) -> bool {
    let wal = PathBuf::from(format!("{}-wal", path.display()));
    [path.to_path_buf(), wal]
        .iter()
        .filter_map(|p| std::fs::read(p).ok())
        .any(|bytes| bytes.windows(needle.len()).any(|w| w == needle.as_bytes()))
}

/// `text` as UTF-16LE with a byte-order mark.
pub fn utf16le_with_bom(text: &str) -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    bytes
}
