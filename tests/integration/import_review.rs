//! What the app's import screen stands on: the preview of a file before it is imported (what
//! was detected, which preset or mapping fits, the first rows as records or row errors), a
//! mapping given as TOML text, files without a header, the audit's import log, an import's
//! rejected rows page by page and as CSV, the session's import with its progress events and
//! cancel, and the CLI's `imports` and `rejected`. Expected values are worked out by hand from
//! the fixtures or computed here from the same bytes with the `csv` crate; stored rows are
//! read back with raw SQL.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use clausewise::checklist::sha256_hex;
use clausewise::import::log::{self, RejectedRow};
use clausewise::import::preview::{preview_file, Preview, RowResult, SAMPLE_ROWS};
use clausewise::import::progress::ImportEvent;
use clausewise::import::{ImportOptions, Kind};
use clausewise::session::Session;
use clausewise::{Audit, Error};
use rusqlite::params;

use crate::support::{
    clausewise, create_audit, file_sha, import_into, integrity_check, raw_open, read_delimited,
    realdata, row_count, status, stderr, stdout_json, write,
};

// ---- fixtures -----------------------------------------------------------------------------------

/// Canonical calls, CRLF line ends. Hand-worked outcomes, by line:
/// 2 record; 3 `outcome` not a value; 4 `call_id` K1 again; 5 `started_at` empty;
/// 6 two problems (`started_at`, then `outcome`) and a formula in `agent_id`; 7 record;
/// 8 three fields where the header has five.
const CALLS: &str = "call_id,started_at,outcome,agent_id,customer_ref\r\n\
K1,2024-03-01T09:00:00+03:00,answered,A1,cust-1\r\n\
K2,2024-03-01T09:05:00+03:00,maybe,A1,\r\n\
K1,2024-03-01T09:06:00+03:00,answered,A2,\r\n\
K3,,answered,,\r\n\
K4,yesterday,sometimes,\"=HYPERLINK(\"\"http://x\"\")\",cust-4\r\n\
K5,2024-03-01T10:00:00Z,abandoned,,\r\n\
K6,2024-03-01T10:01:00+03:00,answered\r\n";

const OUTCOMES: &str = "answered, abandoned, callback, voicemail, failed";

/// An export no preset knows: `;`-separated, date and time in two columns, result codes.
const ACME: &str = "Ref;Date;Time;Result;Wait;Agent\n\
A-1;01.03.2024;09:00:05;AGENT;12,5;ayse\n\
A-2;01.03.2024;09:01:00;HANG;40;\n\
A-3;01.03.2024;09:02:00;TEST;0;\n\
A-4;31.02.2024;09:03:00;AGENT;5;ali\n";

/// A mapping for [`ACME`], as the app's mapping editor writes it.
const ACME_MAPPING: &str = r#"[mapping]
name = "acme"
kind = "calls"
utc_offset = "+03:00"
decimal_comma = true

[field.call_id]
column = "Ref"

[field.started_at]
date = "Date"
time = "Time"
format = ["%d.%m.%Y %H:%M:%S"]

[field.outcome]
column = "Result"
map = { "AGENT" = "answered", "HANG" = "abandoned" }
skip = { "TEST" = "test call" }

[field.queue_seconds]
column = "Wait"

[field.agent_id]
column = "Agent"
"#;

/// A file without a header, and a mapping that names its columns by number.
const PLAIN: &str = "X1|2024-03-01 09:00:00|answered\nX2|2024-03-01 09:10:00|abandoned\n";
const PLAIN_MAPPING: &str = r#"[mapping]
name = "plain"
kind = "calls"

[field.call_id]
column = "column 1"

[field.started_at]
column = "column 2"

[field.outcome]
column = "column 3"
"#;

fn options(kind: Kind, adjust: impl FnOnce(&mut ImportOptions)) -> ImportOptions {
    let mut o = ImportOptions::new(kind);
    adjust(&mut o);
    o
}

/// The value a previewed record gives `field`.
fn value<'a>(result: &'a Option<RowResult>, field: &str) -> Option<&'a str> {
    match result {
        Some(RowResult::Record { values }) => values
            .iter()
            .find(|v| v.field == field)
            .map(|v| v.value.as_str()),
        other => panic!("not a record: {other:?}"),
    }
}

/// (line, column, reason) of every error of the previewed rows.
fn preview_errors(p: &Preview) -> Vec<(u64, String, String)> {
    p.rows
        .iter()
        .flat_map(|r| match &r.result {
            Some(RowResult::Rejected { errors }) => errors
                .iter()
                .map(|e| (e.line, e.column.clone(), e.reason.clone()))
                .collect(),
            _ => Vec::new(),
        })
        .collect()
}

/// (line, column, reason) of the stored row errors, with our own SQL.
fn stored_errors(audit: &Path) -> Vec<(u64, String, String)> {
    let conn = raw_open(audit);
    let mut stmt = conn
        .prepare("SELECT line, \"column\", reason FROM import_error ORDER BY line, rowid")
        .unwrap();
    stmt.query_map([], |r| {
        Ok((r.get::<_, i64>(0)? as u64, r.get(1)?, r.get(2)?))
    })
    .unwrap()
    .collect::<rusqlite::Result<_>>()
    .unwrap()
}

/// The ids of the stored contacts with the line each came from.
fn stored_contacts(audit: &Path) -> Vec<(u64, String)> {
    let conn = raw_open(audit);
    let mut stmt = conn
        .prepare("SELECT line, call_id FROM contact ORDER BY line")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get::<_, i64>(0)? as u64, r.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

fn hand_errors() -> Vec<(u64, String, String)> {
    let e = |line: u64, column: &str, reason: &str| (line, column.to_string(), reason.to_string());
    vec![
        e(
            3,
            "outcome",
            &format!("outcome: 'maybe' is not one of {OUTCOMES}"),
        ),
        e(4, "call_id", "call_id 'K1' repeats an earlier row"),
        e(5, "started_at", "started_at is missing"),
        e(
            6,
            "started_at",
            "started_at: 'yesterday' is not a date/time this import reads",
        ),
        e(
            6,
            "outcome",
            &format!("outcome: 'sometimes' is not one of {OUTCOMES}"),
        ),
        e(8, "column 4", "expected 5 fields, found 3"),
    ]
}

// ---- preview ------------------------------------------------------------------------------------

#[test]
fn preview_shows_what_was_detected_and_each_row_as_a_record_or_its_errors() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "calls.csv", CALLS);
    let p = preview_file(&file, &ImportOptions::new(Kind::Calls)).unwrap();

    assert_eq!(p.file_name, "calls.csv");
    assert_eq!(p.size, CALLS.len() as u64);
    assert_eq!(
        [
            p.detected.encoding.as_str(),
            &p.detected.delimiter,
            &p.detected.line_ends
        ],
        ["utf-8", ",", "crlf"]
    );
    assert!(!p.detected.bom);
    assert!(p.has_header);
    assert_eq!(
        p.columns,
        [
            "call_id",
            "started_at",
            "outcome",
            "agent_id",
            "customer_ref"
        ]
    );
    assert_eq!(p.layout.as_deref(), Some("canonical-calls"));
    assert_eq!(p.problem, None);
    assert_eq!(p.matching, ["canonical-calls"]);
    assert!(p.presets.iter().all(|x| x.kind == Kind::Calls));
    assert!(p.presets.iter().any(|x| x.name == "technion"));
    assert_eq!(p.utc_offset, "+00:00");
    assert!(!p.more);

    let lines: Vec<u64> = p.rows.iter().map(|r| r.line).collect();
    assert_eq!(lines, [2, 3, 4, 5, 6, 7, 8]);
    assert_eq!(
        p.rows[4].fields,
        [
            "K4",
            "yesterday",
            "sometimes",
            "=HYPERLINK(\"http://x\")",
            "cust-4"
        ]
    );
    let first = &p.rows[0].result;
    assert_eq!(value(first, "call_id"), Some("K1"));
    assert_eq!(
        value(first, "started_at"),
        Some("2024-03-01T09:00:00+03:00")
    );
    assert_eq!(value(first, "outcome"), Some("answered"));
    assert_eq!(value(first, "channel"), Some("voice"), "the default");
    assert_eq!(value(first, "direction"), Some("inbound"), "the default");
    assert_eq!(value(first, "agent_id"), Some("A1"));
    assert_eq!(
        value(first, "customer_ref"),
        Some("(pseudonymised)"),
        "a customer identifier is not shown as a value of the record"
    );
    assert_eq!(value(first, "queue"), None);
    let k5 = &p.rows[5].result;
    assert_eq!(value(k5, "started_at"), Some("2024-03-01T10:00:00+00:00"));
    assert_eq!(value(k5, "outcome"), Some("abandoned"));

    assert_eq!(preview_errors(&p), hand_errors());
    assert_eq!(p.sample.rows, 7);
    assert_eq!(p.sample.records, 2);
    assert_eq!(p.sample.rejected, 5);
    assert_eq!(p.sample.skipped, 0);
    let required: Vec<&str> = p
        .fields
        .iter()
        .filter(|f| f.required)
        .map(|f| f.name.as_str())
        .collect();
    assert_eq!(required, ["call_id", "started_at", "outcome"]);
    let outcome = p.fields.iter().find(|f| f.name == "outcome").unwrap();
    assert_eq!(
        (outcome.ty.as_str(), outcome.values.join(", ")),
        ("enum", OUTCOMES.to_string())
    );
}

/// The preview's row errors are the ones the import then stores, and its records the ones
/// it stores.
#[test]
fn preview_agrees_with_the_import_of_the_same_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "calls.csv", CALLS);
    let audit = create_audit(dir.path(), "a.ccaudit");
    let p = preview_file(&file, &ImportOptions::new(Kind::Calls)).unwrap();
    let r = import_into(&audit, Kind::Calls, &file, |_| {}).unwrap();
    assert_eq!(stored_errors(&audit), preview_errors(&p));
    assert_eq!(stored_errors(&audit), hand_errors());
    let previewed: Vec<(u64, String)> = p
        .rows
        .iter()
        .filter(|r| matches!(r.result, Some(RowResult::Record { .. })))
        .map(|r| (r.line, value(&r.result, "call_id").unwrap().to_string()))
        .collect();
    assert_eq!(stored_contacts(&audit), previewed);
    assert_eq!(
        (r.rows_read, r.accepted, r.rejected, r.skipped),
        (
            p.sample.rows,
            p.sample.records,
            p.sample.rejected,
            p.sample.skipped
        )
    );
}

#[test]
fn preview_through_the_session_leaves_both_files_as_they_were() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "calls.csv", CALLS);
    let audit = create_audit(dir.path(), "a.ccaudit");
    let (audit_sha, file_before) = (file_sha(&audit), file_sha(&file));
    let mut session = Session::new(&dir.path().join("data"));
    session.open(&audit).unwrap();
    let p = session
        .preview_import(&file, &ImportOptions::new(Kind::Calls))
        .unwrap();
    assert_eq!(p.layout.as_deref(), Some("canonical-calls"));
    drop(session);
    assert_eq!(file_sha(&audit), audit_sha);
    assert_eq!(file_sha(&file), file_before);
    assert_eq!(row_count(&audit, "import"), 0);
}

/// The first 1000 rows of the real 2013-2016 CFPB export, compared with what the csv crate
/// reads from the same bytes.
#[test]
fn preview_of_the_real_cfpb_export_detects_the_preset_and_samples_the_first_thousand_rows() {
    let file = realdata("complaints/cfpb_2013-2016_sample_nobieyi00.csv");
    let (header, records) = read_delimited(&file, b',');
    let p = preview_file(&file, &ImportOptions::new(Kind::Complaints)).unwrap();
    assert_eq!(p.layout.as_deref(), Some("cfpb"));
    assert_eq!(p.matching, ["cfpb"]);
    assert_eq!(p.columns, header);
    assert_eq!(p.detected.delimiter, ",");
    assert_eq!(p.rows.len(), 20);
    assert!(p.more, "3186 rows, more than the sample");
    assert_eq!(p.sample.rows, SAMPLE_ROWS as u64);

    for (row, (line, rec)) in p.rows.iter().zip(&records) {
        assert_eq!(row.line, *line);
        let fields: Vec<&str> = rec.iter().collect();
        assert_eq!(row.fields, fields);
    }
    // Row 1, by hand: no Complaint ID column (the id is the line), M/D/YYYY dates at midnight UTC.
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (line, rec) = &records[0];
    let iso = |us: &str| {
        let n: Vec<u32> = us.split('/').map(|x| x.parse().unwrap()).collect();
        format!("{:04}-{:02}-{:02}T00:00:00+00:00", n[2], n[0], n[1])
    };
    let first = &p.rows[0].result;
    assert_eq!(
        value(first, "complaint_id"),
        Some(format!("line {line}").as_str())
    );
    assert_eq!(
        value(first, "received_at"),
        Some(iso(&rec[col("Date received")]).as_str())
    );
    assert_eq!(value(first, "category"), Some(&rec[col("Product")]));

    // Rejected in the sample: the rows sent to the company before they were received.
    let key = |us: &str| {
        let n: Vec<u32> = us.split('/').map(|x| x.parse().unwrap()).collect();
        (n[2], n[0], n[1])
    };
    let early = records[..SAMPLE_ROWS]
        .iter()
        .filter(|(_, r)| key(&r[col("Date sent to company")]) < key(&r[col("Date received")]))
        .count();
    assert!(
        early > 0,
        "some of the six documented anomalies are early in the file"
    );
    assert_eq!(p.sample.rejected, early as u64);
    assert_eq!(p.sample.records, SAMPLE_ROWS as u64 - early as u64);
}

#[test]
fn an_unknown_layout_is_previewed_as_rows_with_the_reason_no_preset_fits() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "acme.csv", ACME);
    let p = preview_file(&file, &ImportOptions::new(Kind::Calls)).unwrap();
    assert_eq!(p.layout, None);
    let problem = p.problem.unwrap();
    assert!(
        problem.contains("no calls preset recognises this layout"),
        "{problem}"
    );
    assert!(p.matching.is_empty());
    assert_eq!(p.detected.delimiter, ";");
    assert_eq!(p.detected.line_ends, "lf");
    assert_eq!(
        p.columns,
        ["Ref", "Date", "Time", "Result", "Wait", "Agent"]
    );
    assert_eq!(p.rows.len(), 4);
    assert_eq!(
        p.rows[0].fields,
        ["A-1", "01.03.2024", "09:00:05", "AGENT", "12,5", "ayse"]
    );
    assert!(p.rows.iter().all(|r| r.result.is_none()));
    assert_eq!(p.sample.records, 0);
}

/// A mapping given as text (as the app builds it): the preview and then the import use it.
#[test]
fn a_mapping_given_as_text_is_previewed_and_imported() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "acme.csv", ACME);
    let audit = create_audit(dir.path(), "a.ccaudit");
    let with_mapping = || {
        options(Kind::Calls, |o| {
            o.mapping_toml = Some(ACME_MAPPING.to_string())
        })
    };
    let p = preview_file(&file, &with_mapping()).unwrap();
    assert_eq!(p.problem, None);
    assert_eq!(p.layout.as_deref(), Some("mapping:acme"));
    assert_eq!(p.utc_offset, "+03:00");
    let a1 = &p.rows[0].result;
    assert_eq!(value(a1, "call_id"), Some("A-1"));
    assert_eq!(value(a1, "started_at"), Some("2024-03-01T09:00:05+03:00"));
    assert_eq!(value(a1, "outcome"), Some("answered"));
    // 12,5 with a decimal comma is 12.5 s, rounded to 13.
    assert_eq!(value(a1, "queue_seconds"), Some("13"));
    assert_eq!(value(a1, "agent_id"), Some("ayse"));
    assert_eq!(value(&p.rows[1].result, "outcome"), Some("abandoned"));
    assert_eq!(value(&p.rows[1].result, "agent_id"), None);
    assert_eq!(
        p.rows[2].result,
        Some(RowResult::Skipped {
            reason: "test call".into()
        })
    );
    let errors = preview_errors(&p);
    assert_eq!(errors.len(), 1);
    assert_eq!((errors[0].0, errors[0].1.as_str()), (5, "Date"));
    assert!(
        errors[0]
            .2
            .starts_with("started_at: '31.02.2024 09:03:00' is not a date/time"),
        "{}",
        errors[0].2
    );
    assert_eq!(
        (
            p.sample.rows,
            p.sample.records,
            p.sample.rejected,
            p.sample.skipped
        ),
        (4, 2, 1, 1)
    );

    let r = import_into(&audit, Kind::Calls, &file, |o| *o = with_mapping()).unwrap();
    assert_eq!(r.preset, "mapping:acme");
    assert_eq!(
        (r.rows_read, r.accepted, r.rejected, r.skipped),
        (4, 2, 1, 1)
    );
    let conn = raw_open(&audit);
    let a1: (i64, i64, String, i64, String) = conn
        .query_row(
            "SELECT started_at, utc_offset, outcome, queue_seconds, agent_id FROM contact
             WHERE call_id = 'A-1'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .unwrap();
    // 2024-03-01 09:00:05 at +03:00 = 06:00:05 UTC; 19783 days after 1970-01-01.
    assert_eq!(
        a1,
        (
            19_783 * 86_400 + 6 * 3600 + 5,
            180,
            "answered".into(),
            13,
            "ayse".into()
        )
    );
    let (preset, mapping): (String, String) = conn
        .query_row("SELECT preset, mapping FROM import", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!(preset, "mapping:acme");
    assert_eq!(
        mapping, ACME_MAPPING,
        "the import log keeps the mapping's text"
    );
}

#[test]
fn a_mapping_for_the_other_kind_or_with_a_bad_column_is_reported_in_the_preview() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "acme.csv", ACME);
    let p = preview_file(
        &file,
        &options(Kind::Complaints, |o| {
            o.mapping_toml = Some(ACME_MAPPING.to_string())
        }),
    )
    .unwrap();
    assert_eq!(p.layout, None);
    assert!(
        p.problem
            .as_deref()
            .unwrap()
            .contains("the mapping is for calls, not complaints"),
        "{:?}",
        p.problem
    );
    let renamed = ACME_MAPPING.replace("column = \"Agent\"", "column = \"Operator\"");
    let p = preview_file(
        &file,
        &options(Kind::Calls, |o| o.mapping_toml = Some(renamed)),
    )
    .unwrap();
    assert_eq!(p.layout, None);
    let problem = p.problem.unwrap();
    assert!(
        problem.contains("column 'Operator' (for agent_id) is not in the header"),
        "{problem}"
    );
    assert_eq!(p.rows.len(), 4, "the rows are still shown");
}

// ---- files without a header ---------------------------------------------------------------------

#[test]
fn a_file_without_a_header_is_read_by_column_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "plain.txt", PLAIN);
    let audit = create_audit(dir.path(), "a.ccaudit");
    let headerless = PLAIN_MAPPING.replace("kind = \"calls\"", "kind = \"calls\"\nheader = false");
    let p = preview_file(
        &file,
        &options(Kind::Calls, |o| o.mapping_toml = Some(headerless.clone())),
    )
    .unwrap();
    assert_eq!(p.problem, None);
    assert!(!p.has_header);
    assert_eq!(p.columns, ["column 1", "column 2", "column 3"]);
    assert_eq!(p.detected.delimiter, "|");
    let lines: Vec<u64> = p.rows.iter().map(|r| r.line).collect();
    assert_eq!(lines, [1, 2], "the first row is data");
    assert_eq!(value(&p.rows[0].result, "call_id"), Some("X1"));

    let r = import_into(&audit, Kind::Calls, &file, |o| {
        o.mapping_toml = Some(headerless)
    })
    .unwrap();
    assert_eq!((r.rows_read, r.accepted), (2, 2));
    assert_eq!(
        stored_contacts(&audit),
        [(1, "X1".to_string()), (2, "X2".to_string())]
    );
    let header: Option<String> = raw_open(&audit)
        .query_row("SELECT header FROM import", [], |r| r.get(0))
        .unwrap();
    assert_eq!(header, None, "no header is logged for a file without one");
}

/// The user's "no header" choice overrides a mapping that does not say.
#[test]
fn the_header_choice_of_the_options_overrides_the_mapping() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "plain.txt", PLAIN);
    let with = |header: Option<bool>| {
        options(Kind::Calls, |o| {
            o.mapping_toml = Some(PLAIN_MAPPING.to_string());
            o.header = header;
        })
    };
    let p = preview_file(&file, &with(None)).unwrap();
    assert!(
        p.problem
            .as_deref()
            .unwrap()
            .contains("column 'column 1' (for call_id) is not in the header"),
        "{:?}",
        p.problem
    );
    let p = preview_file(&file, &with(Some(false))).unwrap();
    assert_eq!(p.problem, None);
    assert_eq!(p.sample.records, 2);
    let audit = create_audit(dir.path(), "a.ccaudit");
    let r = import_into(&audit, Kind::Calls, &file, |o| *o = with(Some(false))).unwrap();
    assert_eq!((r.rows_read, r.accepted), (2, 2));
}

// ---- the import log and rejected rows -----------------------------------------------------------

/// The CALLS fixture imported into a new audit: (dir, audit, file, import id).
fn imported_calls() -> (tempfile::TempDir, PathBuf, PathBuf, i64) {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "calls.csv", CALLS);
    let audit = create_audit(dir.path(), "a.ccaudit");
    let r = import_into(&audit, Kind::Calls, &file, |_| {}).unwrap();
    (dir, audit, file, r.import_id)
}

fn lines(rows: &[RejectedRow]) -> Vec<u64> {
    rows.iter().map(|r| r.line).collect()
}

#[test]
fn rejected_rows_come_page_by_page_one_entry_per_row_with_its_fields() {
    let (_dir, audit, _file, id) = imported_calls();
    let opened = Audit::open(&audit).unwrap();
    let page = |offset| log::rejected_rows(&opened, id, offset, 2).unwrap();
    let first = page(0);
    assert_eq!(first.total, 5, "five rows, six errors");
    assert_eq!(
        first.columns,
        [
            "call_id",
            "started_at",
            "outcome",
            "agent_id",
            "customer_ref"
        ]
    );
    assert_eq!(lines(&first.rows), [3, 4]);
    assert_eq!(
        first.rows[0].fields,
        ["K2", "2024-03-01T09:05:00+03:00", "maybe", "A1", ""]
    );
    let second = page(2);
    assert_eq!(lines(&second.rows), [5, 6]);
    let k4 = &second.rows[1];
    let problems: Vec<(&str, &str)> = k4
        .problems
        .iter()
        .map(|p| (p.column.as_str(), p.reason.as_str()))
        .collect();
    let hand = hand_errors();
    assert_eq!(
        problems,
        [
            (hand[3].1.as_str(), hand[3].2.as_str()),
            (hand[4].1.as_str(), hand[4].2.as_str())
        ]
    );
    assert_eq!(
        &k4.fields[..4],
        ["K4", "yesterday", "sometimes", "=HYPERLINK(\"http://x\")"]
    );
    assert!(
        k4.fields[4].starts_with("p:") && k4.fields[4] != "cust-4",
        "the customer identifier of a rejected row is kept only as a pseudonym: {:?}",
        k4.fields[4]
    );
    let third = page(4);
    assert_eq!(lines(&third.rows), [8]);
    assert_eq!(
        third.rows[0].fields,
        ["K6", "2024-03-01T10:01:00+03:00", "answered"]
    );
    assert!(page(6).rows.is_empty());
    let all = log::rejected_rows(&opened, id, 0, 100).unwrap();
    assert_eq!(lines(&all.rows), [3, 4, 5, 6, 8]);

    let missing = log::rejected_rows(&opened, id + 1, 0, 10).unwrap_err();
    assert!(
        missing
            .to_string()
            .contains(&format!("there is no import {}", id + 1)),
        "{missing}"
    );
}

#[test]
fn rejected_rows_export_as_csv_with_formulas_neutralised() {
    let (dir, audit, _file, id) = imported_calls();
    let out = dir.path().join("rejected.csv");
    let opened = Audit::open(&audit).unwrap();
    assert_eq!(log::export_rejected(&opened, id, &out).unwrap(), 5);

    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_path(&out)
        .unwrap();
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    assert_eq!(
        rows[0],
        [
            "line",
            "column",
            "reason",
            "call_id",
            "started_at",
            "outcome",
            "agent_id",
            "customer_ref"
        ]
    );
    assert_eq!(rows.len(), 6);
    let hand = hand_errors();
    assert_eq!(
        rows[1],
        [
            "3",
            "outcome",
            hand[0].2.as_str(),
            "K2",
            "2024-03-01T09:05:00+03:00",
            "maybe",
            "A1",
            ""
        ]
    );
    assert_eq!(
        rows[2][..3],
        ["4", "call_id", "call_id 'K1' repeats an earlier row"]
    );
    // Two problems in one row: one line, columns and reasons joined.
    assert_eq!(rows[4][0], "6");
    assert_eq!(rows[4][1], "started_at; outcome");
    assert_eq!(rows[4][2], format!("{}; {}", hand[3].2, hand[4].2));
    assert_eq!(
        rows[4][6], "'=HYPERLINK(\"http://x\")",
        "a formula is written as text"
    );
    assert!(rows[4][7].starts_with("p:"));
    assert_eq!(
        rows[5],
        [
            "8",
            "column 4",
            "expected 5 fields, found 3",
            "K6",
            "2024-03-01T10:01:00+03:00",
            "answered"
        ]
    );
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(!text.contains("cust-4"), "no customer identifier in clear");
}

#[test]
fn the_import_log_lists_each_file_with_its_size_hash_preset_and_counts_newest_first() {
    let (dir, audit, file, _) = imported_calls();
    let acme = write(dir.path(), "acme.csv", ACME);
    import_into(&audit, Kind::Calls, &acme, |o| {
        o.mapping_toml = Some(ACME_MAPPING.into())
    })
    .unwrap();
    let opened = Audit::open(&audit).unwrap();
    let list = log::imports(&opened).unwrap();
    assert_eq!(list.len(), 2);
    let (newest, oldest) = (&list[0], &list[1]);
    assert_eq!(newest.file_name, "acme.csv");
    assert_eq!(newest.preset, "mapping:acme");
    assert_eq!(newest.delimiter, ";");
    assert_eq!(newest.utc_offset, "+03:00");
    assert_eq!(
        (
            newest.rows_read,
            newest.accepted,
            newest.rejected,
            newest.skipped,
            newest.records
        ),
        (4, 2, 1, 1, 2)
    );
    assert_eq!(oldest.file_name, "calls.csv");
    assert_eq!(oldest.kind, Kind::Calls);
    assert_eq!(oldest.file_size, CALLS.len() as u64);
    assert_eq!(oldest.sha256, sha256_hex(CALLS.as_bytes()));
    assert_eq!(oldest.preset, "canonical-calls");
    assert_eq!(oldest.line_ends, "crlf");
    assert_eq!(
        (
            oldest.rows_read,
            oldest.accepted,
            oldest.rejected,
            oldest.skipped
        ),
        (7, 2, 5, 0)
    );
    assert!(newest.id > oldest.id);
    assert!(oldest.imported_at.ends_with('Z'), "{}", oldest.imported_at);
    let _ = file;
}

// ---- the session: import with progress and cancel, mappings saved -------------------------------

/// A canonical call file of `n` rows (all valid).
fn many_calls(dir: &Path, n: u64) -> PathBuf {
    let mut text = String::from("call_id,started_at,outcome\n");
    for i in 0..n {
        text.push_str(&format!(
            "C{i},2024-03-01T{:02}:{:02}:00+00:00,answered\n",
            (i / 60) % 24,
            i % 60
        ));
    }
    write(dir, "many.csv", &text)
}

#[test]
fn a_session_import_reports_its_start_and_progress_and_stores_every_row() {
    let dir = tempfile::tempdir().unwrap();
    let audit = create_audit(dir.path(), "a.ccaudit");
    let file = many_calls(dir.path(), 40_000);
    let mut session = Session::new(&dir.path().join("data"));
    session.open(&audit).unwrap();
    let mut events = Vec::new();
    let cancel = AtomicBool::new(false);
    let r = session
        .import(&file, &ImportOptions::new(Kind::Calls), &cancel, &mut |e| {
            events.push(e)
        })
        .unwrap();
    assert_eq!((r.rows_read, r.accepted), (40_000, 40_000));
    assert_eq!(row_count(&audit, "contact"), 40_000);
    let size = std::fs::metadata(&file).unwrap().len();
    assert_eq!(
        events[0],
        ImportEvent::Started {
            file: file.display().to_string(),
            total_bytes: size
        }
    );
    let progress: Vec<(u64, u64, u64, f64)> = events[1..]
        .iter()
        .map(|e| match e {
            ImportEvent::Progress {
                rows,
                bytes,
                total_bytes,
                rows_per_second,
            } => (*rows, *bytes, *total_bytes, *rows_per_second),
            other => panic!("{other:?}"),
        })
        .collect();
    assert!(!progress.is_empty(), "a 40 000-row import reports progress");
    for w in progress.windows(2) {
        assert!(w[0].0 < w[1].0 && w[0].1 <= w[1].1, "{w:?}");
    }
    for (rows, bytes, total, speed) in &progress {
        assert!(*rows <= 40_000 && *bytes <= size && *total == size);
        assert!(*speed > 0.0);
    }
}

#[test]
fn cancelling_a_session_import_leaves_the_audit_file_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let audit = create_audit(dir.path(), "a.ccaudit");
    let file = many_calls(dir.path(), 40_000);
    let mut session = Session::new(&dir.path().join("data"));
    session.open(&audit).unwrap();
    let cancel = AtomicBool::new(false);
    let mut progress_events = 0;
    let err = session
        .import(&file, &ImportOptions::new(Kind::Calls), &cancel, &mut |e| {
            if matches!(e, ImportEvent::Progress { .. }) {
                progress_events += 1;
                // The user presses Cancel as soon as the bar moves.
                cancel.store(true, Ordering::Relaxed);
            }
        })
        .unwrap_err();
    assert!(matches!(err, Error::Cancelled), "{err}");
    assert_eq!(progress_events, 1);
    drop(session);
    for table in ["import", "import_error", "contact", "complaint"] {
        assert_eq!(row_count(&audit, table), 0, "{table}");
    }
    assert_eq!(integrity_check(&audit), "ok");

    // The same file imports afterwards: the cancelled import left no trace of it.
    let r = import_into(&audit, Kind::Calls, &file, |_| {}).unwrap();
    assert_eq!(r.accepted, 40_000);
}

#[test]
fn session_calls_without_an_open_audit_say_so() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "calls.csv", CALLS);
    let mut session = Session::new(&dir.path().join("data"));
    let cancel = AtomicBool::new(false);
    let err = session
        .import(
            &file,
            &ImportOptions::new(Kind::Calls),
            &cancel,
            &mut |_| {},
        )
        .unwrap_err();
    assert_eq!(err.to_string(), "no audit is open");
    assert_eq!(
        session.imports().unwrap_err().to_string(),
        "no audit is open"
    );
    // A preview needs no audit.
    assert!(session
        .preview_import(&file, &ImportOptions::new(Kind::Calls))
        .is_ok());
}

#[test]
fn the_session_lists_imports_and_exports_rejected_rows() {
    let (dir, audit, _file, id) = imported_calls();
    let mut session = Session::new(&dir.path().join("data"));
    session.open(&audit).unwrap();
    let list = session.imports().unwrap();
    assert_eq!(list.iter().map(|i| i.id).collect::<Vec<_>>(), [id]);
    assert_eq!(
        lines(&session.rejected_rows(id, 1, 3).unwrap().rows),
        [4, 5, 6]
    );
    let out = dir.path().join("r.csv");
    assert_eq!(session.export_rejected(id, &out).unwrap(), 5);
    assert_eq!(std::fs::read_to_string(&out).unwrap().lines().count(), 6);
}

#[test]
fn a_mapping_is_saved_only_when_it_is_valid_and_then_imports_by_path() {
    let dir = tempfile::tempdir().unwrap();
    let session = Session::new(&dir.path().join("data"));
    let bad_path = dir.path().join("bad.toml");
    let bad = ACME_MAPPING.replace("[field.agent_id]", "[field.operator]");
    let err = session
        .save_mapping(&bad, &bad_path)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("bad.toml")
            && err.contains("field 'operator' is not a canonical calls column"),
        "{err}"
    );
    assert!(!bad_path.exists());

    let good = dir.path().join("acme.toml");
    session.save_mapping(ACME_MAPPING, &good).unwrap();
    assert_eq!(std::fs::read_to_string(&good).unwrap(), ACME_MAPPING);
    let file = write(dir.path(), "acme.csv", ACME);
    let audit = create_audit(dir.path(), "a.ccaudit");
    let r = import_into(&audit, Kind::Calls, &file, |o| o.mapping = Some(good)).unwrap();
    assert_eq!(r.preset, "mapping:acme.toml");
    assert_eq!(r.accepted, 2);
}

// ---- the command line ---------------------------------------------------------------------------

/// The real CFPB export's six documented anomalies, written out by `clausewise rejected`,
/// against the rows the csv crate reads from the export itself.
#[test]
fn cli_rejected_writes_the_rejected_rows_of_the_real_cfpb_export() {
    let dir = tempfile::tempdir().unwrap();
    create_audit(dir.path(), "a.ccaudit");
    let file = realdata("complaints/cfpb_2013-2016_sample_nobieyi00.csv");
    let out = clausewise(
        dir.path(),
        &["import", "a.ccaudit", "complaints", file.to_str().unwrap()],
    );
    assert_eq!(status(&out), 1, "{}", stderr(&out));

    let out = clausewise(dir.path(), &["imports", "a.ccaudit", "--json"]);
    assert_eq!(status(&out), 0, "{}", stderr(&out));
    let json = stdout_json(&out);
    let entry = &json["imports"][0];
    assert_eq!(json["imports"].as_array().unwrap().len(), 1);
    assert_eq!(entry["file_name"], "cfpb_2013-2016_sample_nobieyi00.csv");
    assert_eq!(entry["file_size"], std::fs::metadata(&file).unwrap().len());
    assert_eq!(entry["sha256"], file_sha(&file));
    assert_eq!(entry["preset"], "cfpb");
    assert_eq!(
        [&entry["rows_read"], &entry["accepted"], &entry["rejected"]],
        [3_186, 3_180, 6]
    );
    let id = entry["id"].as_i64().unwrap().to_string();

    let out = clausewise(
        dir.path(),
        &["rejected", "a.ccaudit", &id, "--out", "rejected.csv"],
    );
    assert_eq!(status(&out), 0, "{}", stderr(&out));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        format!("Wrote 6 rejected rows of import {id} to rejected.csv")
    );

    let (header, records) = read_delimited(&file, b',');
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let key = |us: &str| {
        let n: Vec<u32> = us.split('/').map(|x| x.parse().unwrap()).collect();
        (n[2], n[0], n[1])
    };
    let expected: Vec<(u64, Vec<String>)> = records
        .iter()
        .filter(|(_, r)| key(&r[col("Date sent to company")]) < key(&r[col("Date received")]))
        .map(|(line, r)| (*line, r.iter().map(neutralised).collect()))
        .collect();
    assert_eq!(expected.len(), 6);

    let (got_header, got) = read_delimited(&dir.path().join("rejected.csv"), b',');
    let mut want_header = vec!["line".to_string(), "column".into(), "reason".into()];
    want_header.extend(header.iter().map(|h| neutralised(h)));
    assert_eq!(got_header, want_header);
    let got: Vec<(u64, Vec<String>)> = got
        .iter()
        .map(|(_, r)| {
            assert_eq!(&r[1], "acknowledged_at");
            (
                r[0].parse().unwrap(),
                r.iter().skip(3).map(str::to_string).collect(),
            )
        })
        .collect();
    assert_eq!(got, expected);

    // To standard output without --out; an unknown import is an error naming the audit.
    let out = clausewise(dir.path(), &["rejected", "a.ccaudit", &id]);
    assert_eq!(status(&out), 0);
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 7);
    let out = clausewise(dir.path(), &["rejected", "a.ccaudit", "99"]);
    assert_eq!(status(&out), 2);
    assert!(
        stderr(&out).contains("a.ccaudit: there is no import 99"),
        "{}",
        stderr(&out)
    );
}

/// The CLI's `--no-header` reads the first row as data.
#[test]
fn cli_import_no_header_with_a_mapping_file() {
    let dir = tempfile::tempdir().unwrap();
    let audit = create_audit(dir.path(), "a.ccaudit");
    write(dir.path(), "plain.txt", PLAIN);
    write(dir.path(), "plain.toml", PLAIN_MAPPING);
    let out = clausewise(
        dir.path(),
        &[
            "import",
            "a.ccaudit",
            "calls",
            "plain.txt",
            "--mapping",
            "plain.toml",
            "--no-header",
            "--json",
        ],
    );
    assert_eq!(status(&out), 0, "{}", stderr(&out));
    assert_eq!(stdout_json(&out)["accepted"], 2);
    let lines: BTreeSet<i64> = raw_open(&audit)
        .prepare("SELECT line FROM contact")
        .unwrap()
        .query_map(params![], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(lines, BTreeSet::from([1, 2]));
}

/// Spreadsheet formula neutralisation, by the rule (not through the crate).
fn neutralised(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_string(),
    }
}
