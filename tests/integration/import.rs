//! Importing call and complaint records (spec/records.md, spec/cli.md). The presets run on the
//! real exports of `shared/realdata`, and the results are compared with the counts its README
//! documents or with values computed here from the same bytes with the `csv` crate. The module
//! also covers the CLI's `--json`, the import rules, hostile files, mapping files, a killed
//! import and the synthetic demo data. Stored records are always read back with raw SQL, never
//! through the importer.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use chrono::{FixedOffset, NaiveDate, TimeZone};
use clausewise::checklist::sha256_hex;
use clausewise::import::{ImportReport, Kind};

use crate::support::{
    clausewise, columns_containing, create_audit, file_bytes_contain, file_sha, import_into,
    integrity_check, raw_open, read_delimited, realdata, row_count, scalar, status, stderr,
    stdout_json, utf16le_with_bom, write, write_bytes,
};

// ---- helpers ------------------------------------------------------------------------------------

/// The header of the small canonical call fixtures.
const CALLS_HEADER: &str = "call_id,started_at,outcome,agent_id,customer_ref";

/// A canonical call file: [`CALLS_HEADER`] and `rows`, each line ended by `eol`.
fn calls_csv(rows: &[&str], eol: &str) -> String {
    let mut text = String::from(CALLS_HEADER);
    text.push_str(eol);
    for row in rows {
        text.push_str(row);
        text.push_str(eol);
    }
    text
}

/// Unix seconds of a wall-clock time at a UTC offset given in hours.
fn at(offset_hours: i32, y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> i64 {
    FixedOffset::east_opt(offset_hours * 3600)
        .unwrap()
        .with_ymd_and_hms(y, mo, d, h, mi, s)
        .single()
        .unwrap()
        .timestamp()
}

/// Unix seconds of midnight UTC of a date.
fn midnight_utc(date: NaiveDate) -> i64 {
    date.and_hms_opt(0, 0, 0).unwrap().and_utc().timestamp()
}

/// `H:MM:SS` as seconds, by hand.
fn clock_seconds(text: &str) -> i64 {
    let parts: Vec<i64> = text.split(':').map(|p| p.parse().unwrap()).collect();
    assert_eq!(parts.len(), 3, "{text}");
    parts[0] * 3600 + parts[1] * 60 + parts[2]
}

/// `M/D/YYYY` (padded or not) or `YYYY-MM-DD`, by hand.
fn us_or_iso_date(text: &str) -> NaiveDate {
    let n: Vec<u32> = text.split(['/', '-']).map(|p| p.parse().unwrap()).collect();
    let (y, m, d) = if text.contains('/') {
        (n[2], n[0], n[1])
    } else {
        (n[0], n[1], n[2])
    };
    NaiveDate::from_ymd_opt(y as i32, m, d).unwrap_or_else(|| panic!("not a date: {text}"))
}

/// Every data row counted once; the import's log entry agrees with the report; the rejected
/// rows are the distinct lines of the stored row errors; every accepted row is one record.
fn assert_counts_add_up(audit: &Path, r: &ImportReport) {
    assert_eq!(
        r.accepted + r.rejected + r.skipped,
        r.rows_read,
        "{}: accepted + rejected + skipped != rows read",
        r.file
    );
    let conn = raw_open(audit);
    let logged: (i64, i64, i64, i64, String) = conn
        .query_row(
            "SELECT rows_read, accepted, rejected, skipped, sha256 FROM import WHERE id = ?1",
            [r.import_id],
            |row| {
                Ok((
                    row.get(0)?,
                    row.get(1)?,
                    row.get(2)?,
                    row.get(3)?,
                    row.get(4)?,
                ))
            },
        )
        .unwrap();
    assert_eq!(
        logged,
        (
            r.rows_read as i64,
            r.accepted as i64,
            r.rejected as i64,
            r.skipped as i64,
            r.sha256.clone()
        )
    );
    let error_lines: i64 = conn
        .query_row(
            "SELECT count(DISTINCT line) FROM import_error WHERE import_id = ?1",
            [r.import_id],
            |row| row.get(0),
        )
        .unwrap();
    assert_eq!(error_lines, r.rejected as i64, "{}", r.file);
    let table = match r.kind {
        Kind::Calls => "contact",
        Kind::Complaints => "complaint",
    };
    let records: i64 = conn
        .query_row(
            &format!("SELECT count(*) FROM {table} WHERE import_id = ?1"),
            [r.import_id],
            |row| row.get(0),
        )
        .unwrap();
    assert_eq!(records, r.accepted as i64, "{}", r.file);
}

/// The stored row errors of an import as (line, column, reason), by line.
fn stored_errors(audit: &Path, import_id: i64) -> Vec<(i64, String, String)> {
    let conn = raw_open(audit);
    let mut stmt = conn
        .prepare(
            "SELECT line, \"column\", reason FROM import_error WHERE import_id = ?1
             ORDER BY line, \"column\"",
        )
        .unwrap();
    stmt.query_map([import_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

/// A stored contact, read with raw SQL.
#[derive(Debug, Clone, PartialEq, Default)]
struct Call {
    line: i64,
    started_at: i64,
    utc_offset: i64,
    queue: Option<String>,
    ivr_seconds: Option<i64>,
    queue_seconds: Option<i64>,
    outcome: String,
    callback_requested: Option<i64>,
    talk_seconds: Option<i64>,
    agent_id: Option<String>,
}

/// The contacts of an import by call id, and their stored customer pseudonyms.
fn stored_calls(
    audit: &Path,
    import_id: i64,
) -> (BTreeMap<String, Call>, BTreeMap<String, Option<String>>) {
    let conn = raw_open(audit);
    let mut stmt = conn
        .prepare(
            "SELECT call_id, line, started_at, utc_offset, queue, ivr_seconds, queue_seconds,
                    outcome, callback_requested, talk_seconds, agent_id, customer_ref
             FROM contact WHERE import_id = ?1",
        )
        .unwrap();
    let rows: Vec<(String, Call, Option<String>)> = stmt
        .query_map([import_id], |r| {
            Ok((
                r.get(0)?,
                Call {
                    line: r.get(1)?,
                    started_at: r.get(2)?,
                    utc_offset: r.get(3)?,
                    queue: r.get(4)?,
                    ivr_seconds: r.get(5)?,
                    queue_seconds: r.get(6)?,
                    outcome: r.get(7)?,
                    callback_requested: r.get(8)?,
                    talk_seconds: r.get(9)?,
                    agent_id: r.get(10)?,
                },
                r.get(11)?,
            ))
        })
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let mut calls = BTreeMap::new();
    let mut customers = BTreeMap::new();
    for (id, call, customer) in rows {
        customers.insert(id.clone(), customer);
        assert!(
            calls.insert(id.clone(), call).is_none(),
            "call {id} stored twice"
        );
    }
    (calls, customers)
}

/// A stored complaint, read with raw SQL.
#[derive(Debug, Clone, PartialEq)]
struct StoredComplaint {
    line: i64,
    received_at: i64,
    utc_offset: i64,
    acknowledged_at: Option<i64>,
    resolved_at: Option<i64>,
    channel: Option<String>,
    outcome: Option<String>,
}

fn stored_complaints(audit: &Path, import_id: i64) -> BTreeMap<String, StoredComplaint> {
    let conn = raw_open(audit);
    let mut stmt = conn
        .prepare(
            "SELECT complaint_id, line, received_at, utc_offset, acknowledged_at, resolved_at,
                    channel, outcome
             FROM complaint WHERE import_id = ?1",
        )
        .unwrap();
    let rows: Vec<(String, StoredComplaint)> = stmt
        .query_map([import_id], |r| {
            Ok((
                r.get(0)?,
                StoredComplaint {
                    line: r.get(1)?,
                    received_at: r.get(2)?,
                    utc_offset: r.get(3)?,
                    acknowledged_at: r.get(4)?,
                    resolved_at: r.get(5)?,
                    channel: r.get(6)?,
                    outcome: r.get(7)?,
                },
            ))
        })
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let count = rows.len();
    let map: BTreeMap<_, _> = rows.into_iter().collect();
    assert_eq!(map.len(), count, "a complaint id stored twice");
    map
}

/// Compares two maps entry by entry, so that a failure names the first differing record.
fn assert_same_records<V: std::fmt::Debug + PartialEq>(
    what: &str,
    got: &BTreeMap<String, V>,
    expected: &BTreeMap<String, V>,
) {
    for (id, e) in expected {
        assert_eq!(got.get(id), Some(e), "{what}: record {id}");
    }
    let extra: Vec<&String> = got.keys().filter(|k| !expected.contains_key(*k)).collect();
    assert!(extra.is_empty(), "{what}: unexpected records {extra:?}");
}

/// A fresh audit in a temporary folder.
fn fresh_audit() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let audit = create_audit(dir.path(), "a.ccaudit");
    (dir, audit)
}

/// What an audit file holds, to show that a refused import changed nothing: the SHA-256 of
/// its bytes (taken first, before any connection of ours) and its record and import counts.
fn audit_state(audit: &Path) -> (String, i64, i64, i64, i64) {
    let sha = file_sha(audit);
    (
        sha,
        row_count(audit, "import"),
        row_count(audit, "import_error"),
        row_count(audit, "contact"),
        row_count(audit, "complaint"),
    )
}

/// Runs an import that must be refused as a whole: the error holds every one of `expect` (the
/// file at fault among them), and the audit file is byte for byte as before. Returns the error.
fn assert_refused(
    audit: &Path,
    kind: Kind,
    file: &Path,
    adjust: impl FnOnce(&mut clausewise::import::ImportOptions),
    expect: &[&str],
) -> String {
    let before = audit_state(audit);
    let err = import_into(audit, kind, file, adjust)
        .map(|r| format!("imported: {r:?}"))
        .expect_err("the import should be refused")
        .to_string();
    for e in expect {
        assert!(err.contains(e), "'{e}' not in the error: {err}");
    }
    assert_eq!(
        audit_state(audit),
        before,
        "a refused import changed the audit file"
    );
    err
}

// ---- the presets on real exports ----------------------------------------------------------------

/// Technion February 1999 (README file 1): every call compared with the file itself.
#[test]
fn technion_month_file_stores_every_call_as_the_file_has_it() {
    let (_dir, audit) = fresh_audit();
    let file = realdata("calls/technion_anonbank_1999-02_calls.txt");
    let r = import_into(&audit, Kind::Calls, &file, |_| {}).unwrap();
    assert_eq!(r.preset, "technion");
    // README: 33,344 records, 278 of them PHANTOM.
    assert_eq!(r.rows_read, 33_344);
    assert_eq!(r.skipped, 278);
    assert_eq!(r.rejected, 0, "{:?}", r.errors);
    assert_counts_add_up(&audit, &r);

    // What the import recorded about the file (README: tab-separated, CRLF, 3,453,308 bytes).
    let conn = raw_open(&audit);
    let logged: (String, String, i64, String, String, String, String) = conn
        .query_row(
            "SELECT kind, file_name, file_size, sha256, preset, delimiter, line_ends
             FROM import WHERE id = ?1",
            [r.import_id],
            |row| {
                Ok((
                    row.get(0)?,
                    row.get(1)?,
                    row.get(2)?,
                    row.get(3)?,
                    row.get(4)?,
                    row.get(5)?,
                    row.get(6)?,
                ))
            },
        )
        .unwrap();
    assert_eq!(
        logged,
        (
            "calls".to_string(),
            "technion_anonbank_1999-02_calls.txt".to_string(),
            3_453_308,
            file_sha(&file),
            "technion".to_string(),
            "tab".to_string(),
            "crlf".to_string()
        )
    );

    // README counts table: AGENT 27,162 (answered), HANG 5,904 (abandoned).
    let outcome = |o: &str| {
        scalar(
            &audit,
            &format!("SELECT count(*) FROM contact WHERE outcome = '{o}'"),
        )
    };
    assert_eq!(outcome("answered"), 27_162);
    assert_eq!(outcome("abandoned"), 5_904);
    assert_eq!(
        scalar(
            &audit,
            "SELECT count(*) FROM contact WHERE channel <> 'voice' OR direction <> 'inbound'"
        ),
        0
    );

    // The first rows, by hand from the file's first lines.
    let (calls, customers) = stored_calls(&audit, r.import_id);
    let first = &calls["AA0101-34536"];
    assert_eq!(first.line, 2);
    assert_eq!(first.started_at, at(0, 1999, 2, 1, 7, 2, 47));
    assert_eq!(first.utc_offset, 0);
    assert_eq!(first.talk_seconds, Some(166));
    assert_eq!(first.agent_id.as_deref(), Some("DORIT"));
    assert_eq!(first.outcome, "answered");
    assert_eq!(first.queue_seconds, None, "q_start 0:00:00: never queued");
    assert_eq!(first.ivr_seconds, Some(9));
    assert_eq!(
        customers["AA0101-34536"], None,
        "customer_id 0: unidentified"
    );
    assert_eq!(calls["AA0101-34537"].agent_id, None, "NO_SERVER");
    let hang = &calls["AA0101-34539"];
    assert_eq!(
        (hang.line, hang.outcome.as_str(), hang.queue_seconds),
        (5, "abandoned", Some(5))
    );
    let pseudonym = customers["AA0101-34539"].clone().expect("a customer");
    assert!(!pseudonym.contains("23317894"), "{pseudonym}");

    // Every call, computed here from the file read with the csv crate.
    let (header, records) = read_delimited(&file, b'\t');
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let [vru, id, cust, ty, date, entry, vru_time, q_start, q_time, out, ser_time, server] = [
        "vru+line",
        "call_id",
        "customer_id",
        "type",
        "date",
        "vru_entry",
        "vru_time",
        "q_start",
        "q_time",
        "outcome",
        "ser_time",
        "server",
    ]
    .map(col);
    let mut expected = BTreeMap::new();
    let mut customer_of = BTreeMap::new();
    for (line, rec) in &records {
        let outcome = match &rec[out] {
            "PHANTOM" => continue,
            "AGENT" => "answered",
            "HANG" => "abandoned",
            other => panic!("outcome {other}"),
        };
        let d = &rec[date];
        assert_eq!(d.len(), 6, "YYMMDD: {d}");
        let day = NaiveDate::from_ymd_opt(
            1900 + d[0..2].parse::<i32>().unwrap(),
            d[2..4].parse().unwrap(),
            d[4..6].parse().unwrap(),
        )
        .unwrap();
        let call_id = format!("{}-{}", &rec[vru], &rec[id]);
        let vru_seconds: i64 = rec[vru_time].parse().unwrap();
        let call = Call {
            line: *line as i64,
            started_at: midnight_utc(day) + clock_seconds(&rec[entry]),
            utc_offset: 0,
            queue: Some(rec[ty].to_string()),
            ivr_seconds: (vru_seconds >= 0).then_some(vru_seconds),
            queue_seconds: (&rec[q_start] != "0:00:00").then(|| rec[q_time].parse().unwrap()),
            outcome: outcome.to_string(),
            callback_requested: (&rec[ty] == "TT").then_some(1),
            talk_seconds: Some(rec[ser_time].parse().unwrap()),
            agent_id: (&rec[server] != "NO_SERVER").then(|| rec[server].to_string()),
        };
        assert!(
            expected.insert(call_id.clone(), call).is_none(),
            "{call_id} repeats"
        );
        if &rec[cust] != "0" {
            customer_of.insert(call_id, rec[cust].to_string());
        }
    }
    assert_eq!(expected.len(), 33_344 - 278);
    // README: queued AGENT 14,095 + queued HANG 3,963.
    let queued = expected
        .values()
        .filter(|c| c.queue_seconds.is_some())
        .count();
    assert_eq!(queued, 14_095 + 3_963);
    assert_eq!(
        scalar(
            &audit,
            "SELECT count(*) FROM contact WHERE queue_seconds IS NOT NULL"
        ),
        queued as i64
    );
    // README: 25 rows have a negative vru_time (left unknown by the preset).
    let negative = |rec: &csv::StringRecord| rec[vru_time].parse::<i64>().unwrap() < 0;
    assert_eq!(records.iter().filter(|(_, rec)| negative(rec)).count(), 25);
    assert_eq!(
        scalar(
            &audit,
            "SELECT count(*) FROM contact WHERE ivr_seconds IS NULL"
        ),
        expected
            .values()
            .filter(|c| c.ivr_seconds.is_none())
            .count() as i64
    );
    assert_same_records("technion", &calls, &expected);

    // Customer ids: pseudonymised, one pseudonym per customer and one customer per pseudonym.
    let mut pseudonyms_of: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    let mut customers_of: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (call_id, stored) in &customers {
        match (customer_of.get(call_id), stored) {
            (None, None) => {}
            (Some(clear), Some(p)) => {
                assert_ne!(p, clear);
                pseudonyms_of.entry(clear).or_default().insert(p);
                customers_of.entry(p).or_default().insert(clear);
            }
            other => panic!("{call_id}: customer {other:?}"),
        }
    }
    assert!(pseudonyms_of.values().all(|s| s.len() == 1));
    assert!(customers_of.values().all(|s| s.len() == 1));
    assert!(pseudonyms_of.len() > 1000);
}

/// Technion one day, comma-separated with ISO dates (README file 2).
#[test]
fn technion_one_day_csv_imports_with_the_documented_counts() {
    let (_dir, audit) = fresh_audit();
    let file = realdata("calls/technion_anonbank_oneday_barntrosna.csv");
    let r = import_into(&audit, Kind::Calls, &file, |_| {}).unwrap();
    assert_eq!(r.preset, "technion");
    // README: 2,375 records: 1,511 AGENT, 846 HANG and 18 PHANTOM.
    assert_eq!((r.rows_read, r.skipped, r.rejected), (2_375, 18, 0));
    assert_counts_add_up(&audit, &r);
    let outcome = |o: &str| {
        scalar(
            &audit,
            &format!("SELECT count(*) FROM contact WHERE outcome = '{o}'"),
        )
    };
    assert_eq!((outcome("answered"), outcome("abandoned")), (1_511, 846));
    // First data row: AA0204,43678,…,2010-08-01,0:10:10,…,HANG.
    let (calls, _) = stored_calls(&audit, r.import_id);
    let first = &calls["AA0204-43678"];
    assert_eq!(first.line, 2);
    assert_eq!(first.started_at, at(0, 2010, 8, 1, 0, 10, 10));
    assert_eq!(first.outcome, "abandoned");
    assert_eq!(r.detected.delimiter, ",");
}

/// What a CFPB export should become, computed here from the file: the stored complaints by id
/// and the lines to be rejected (date sent before date received, or a repeated id).
fn cfpb_expectation(file: &Path) -> (BTreeMap<String, StoredComplaint>, BTreeSet<i64>, usize) {
    let (header, records) = read_delimited(file, b',');
    let col = |name: &str| header.iter().position(|h| h == name);
    let received = col("Date received").unwrap();
    let sent = col("Date sent to company").unwrap();
    let response = col("Company response to consumer").unwrap();
    let id = col("Complaint ID");
    let mut expected = BTreeMap::new();
    let mut rejected = BTreeSet::new();
    for (line, rec) in &records {
        let line = *line as i64;
        let complaint_id = match id {
            Some(i) if !rec[i].trim().is_empty() => rec[i].trim().to_string(),
            _ => format!("line {line}"),
        };
        let received_at = midnight_utc(us_or_iso_date(&rec[received]));
        let acknowledged_at = midnight_utc(us_or_iso_date(&rec[sent]));
        if acknowledged_at < received_at || expected.contains_key(&complaint_id) {
            rejected.insert(line);
            continue;
        }
        let stored = StoredComplaint {
            line,
            received_at,
            utc_offset: 0,
            acknowledged_at: Some(acknowledged_at),
            resolved_at: None,
            channel: None,
            outcome: (&rec[response] == "In progress").then(|| "open".to_string()),
        };
        expected.insert(complaint_id, stored);
    }
    (expected, rejected, records.len())
}

/// Imports a CFPB file and checks it against [`cfpb_expectation`]; returns the report.
fn check_cfpb(rel: &str, documented_rows: u64) -> (ImportReport, BTreeSet<i64>) {
    let (_dir, audit) = fresh_audit();
    let file = realdata(rel);
    let r = import_into(&audit, Kind::Complaints, &file, |_| {}).unwrap();
    assert_eq!(r.preset, "cfpb");
    assert_eq!(r.rows_read, documented_rows, "README count of {rel}");
    assert_counts_add_up(&audit, &r);
    let (mut expected, rejected, rows) = cfpb_expectation(&file);
    assert_eq!(rows as u64, documented_rows);
    assert_eq!(r.rejected as usize, rejected.len(), "{:?}", r.errors);
    let error_lines: BTreeSet<i64> = stored_errors(&audit, r.import_id)
        .into_iter()
        .map(|(line, _, _)| line)
        .collect();
    assert_eq!(error_lines, rejected);
    // Channel and outcome beyond "open" are the preset's choice; compare what we computed.
    let mut got = stored_complaints(&audit, r.import_id);
    for c in got.values_mut() {
        c.channel = None;
        if c.outcome.as_deref() != Some("open") {
            c.outcome = None;
        }
    }
    for c in expected.values_mut() {
        c.channel = None;
    }
    assert_same_records(rel, &got, &expected);
    (r, rejected)
}

/// CFPB 2013-2016 (README file 7): no Complaint ID, so ids are "line N"; the 6 rows whose
/// date sent is before the date received are rejected on acknowledged_at.
#[test]
fn cfpb_2013_2016_rejects_exactly_the_six_documented_rows() {
    let (r, rejected) = check_cfpb("complaints/cfpb_2013-2016_sample_nobieyi00.csv", 3_186);
    assert_eq!(rejected.len(), 6, "README: 6 rows sent before received");
    assert_eq!(r.rejected, 6);
    assert!(
        r.errors.iter().all(|e| e.column == "acknowledged_at"),
        "{:?}",
        r.errors
    );
    let lines: BTreeSet<i64> = r.errors.iter().map(|e| e.line as i64).collect();
    assert_eq!(lines, rejected);
}

/// CFPB 2016-09, the 18-column layout (README file 8).
#[test]
fn cfpb_2016_09_imports_its_349_complaints() {
    let (r, _) = check_cfpb("complaints/cfpb_2016-09_sample_bkreis84.csv", 349);
    assert_eq!(r.rejected, 0, "{:?}", r.errors);
}

/// CFPB 2023 (README file 9): multi-line quoted narratives; each complaint's line is the line
/// its record starts on. README: 616 are In progress.
#[test]
fn cfpb_2023_keeps_the_first_line_of_multi_line_records() {
    let file = realdata("complaints/cfpb_2023_sample_aravindsriraj.csv");
    let (_, records) = read_delimited(&file, b',');
    let spans_lines = records.windows(2).filter(|w| w[1].0 > w[0].0 + 1).count();
    assert!(spans_lines > 10, "the file should hold multi-line records");
    let (r, rejected) = check_cfpb("complaints/cfpb_2023_sample_aravindsriraj.csv", 2_067);
    let in_progress = records
        .iter()
        .filter(|(_, rec)| &rec[14] == "In progress")
        .count();
    assert_eq!(in_progress, 616, "README: 616 are In progress");
    assert_eq!(r.rejected as usize, rejected.len());
}

/// NYC 311 (README file 10): 12-hour AM/PM timestamps; resolved when `Closed Date` is given.
#[test]
fn nyc311_reads_twelve_hour_times_and_closed_dates() {
    let (_dir, audit) = fresh_audit();
    let file = realdata("complaints/nyc311_2022-05-01_sample_fedhere.csv");
    let r = import_into(&audit, Kind::Complaints, &file, |_| {}).unwrap();
    assert_eq!(r.preset, "nyc311");
    assert_eq!(r.rows_read, 924);
    assert_counts_add_up(&audit, &r);

    // `MM/DD/YYYY hh:mm:ss AM` as wall-clock seconds, by hand.
    let wall = |text: &str| -> i64 {
        let parts: Vec<&str> = text.split(' ').collect();
        assert_eq!(parts.len(), 3, "{text}");
        let (h, rest) = parts[1].split_once(':').unwrap();
        let h: i64 = h.parse().unwrap();
        let h = h % 12 + if parts[2] == "PM" { 12 } else { 0 };
        midnight_utc(us_or_iso_date(parts[0])) + clock_seconds(&format!("{h}:{rest}"))
    };
    let (header, records) = read_delimited(&file, b',');
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let [key, created, closed, status_col, channel_col] = [
        "Unique Key",
        "Created Date",
        "Closed Date",
        "Status",
        "Open Data Channel Type",
    ]
    .map(col);
    let mut rejected = BTreeSet::new();
    let mut expected = BTreeMap::new();
    for (line, rec) in &records {
        let received = wall(&rec[created]);
        let resolved = (!rec[closed].is_empty()).then(|| wall(&rec[closed]));
        if resolved.is_some_and(|t| t < received) {
            rejected.insert(*line as i64);
            continue;
        }
        let open = ["Open", "Assigned", "Pending", "Started", "In Progress"];
        let channel = match &rec[channel_col] {
            "PHONE" => Some("voice"),
            "ONLINE" | "MOBILE" => Some("web"),
            _ => None,
        };
        expected.insert(
            rec[key].to_string(),
            (
                *line as i64,
                received,
                resolved,
                channel.map(str::to_string),
                open.contains(&&rec[status_col]).then(|| "open".to_string()),
            ),
        );
    }
    let closed_given = records
        .iter()
        .filter(|(_, rec)| !rec[closed].is_empty())
        .count();
    assert_eq!(closed_given, 480, "README: 480 are Closed");
    assert_eq!(
        expected.values().filter(|e| e.4.is_some()).count(),
        444,
        "README: 440 In Progress and 4 Open"
    );
    assert_eq!(r.rejected as usize, rejected.len(), "{:?}", r.errors);

    // Times compared as wall clock (stored seconds + the stored offset).
    let got: BTreeMap<String, _> = stored_complaints(&audit, r.import_id)
        .into_iter()
        .map(|(id, c)| {
            let off = c.utc_offset * 60;
            let local = (c.line, c.received_at + off, c.resolved_at.map(|t| t + off));
            (id, (local.0, local.1, local.2, c.channel, c.outcome))
        })
        .collect();
    assert_same_records("nyc311", &got, &expected);
    // The first row by hand: 05/01/2022 12:00:03 AM is three seconds after midnight.
    assert_eq!(got["54049402"].1, at(0, 2022, 5, 1, 0, 0, 3));
    assert_eq!(got["54049402"].2, None);
    // The second: closed 05/01/2022 12:07:46 AM.
    assert_eq!(got["54046813"].2, Some(at(0, 2022, 5, 1, 0, 7, 46)));
    assert_eq!(
        scalar(
            &audit,
            "SELECT count(*) FROM complaint WHERE resolved_at IS NOT NULL"
        ) as usize,
        expected.values().filter(|e| e.2.is_some()).count()
    );
}

// ---- the CLI's --json ---------------------------------------------------------------------------

const SPEC_KEYS: [&str; 9] = [
    "kind",
    "file",
    "sha256",
    "preset",
    "rows_read",
    "accepted",
    "rejected",
    "skipped",
    "errors",
];

fn assert_spec_keys(json: &serde_json::Value) {
    let object = json.as_object().expect("a JSON object");
    for key in SPEC_KEYS {
        assert!(object.contains_key(key), "no '{key}' in {json}");
    }
    for key in ["rows_read", "accepted", "rejected", "skipped"] {
        assert!(json[key].is_u64(), "{key} is not a count: {json}");
    }
    for e in json["errors"].as_array().expect("errors is an array") {
        assert!(e["line"].is_u64(), "{e}");
        assert!(e["column"].is_string(), "{e}");
        assert!(e["reason"].is_string(), "{e}");
    }
}

#[test]
fn import_json_reports_rejected_rows_and_exits_1() {
    let (dir, _audit) = fresh_audit();
    let text = calls_csv(
        &[
            "J1,2024-03-01T09:00:00+03:00,answered,A1,",
            "J2,yesterday,answered,A1,",
            "J3,2024-03-01T09:10:00+03:00,abandoned,,",
        ],
        "\n",
    );
    let file = write(dir.path(), "calls.csv", &text);
    let out = clausewise(
        dir.path(),
        &["import", "a.ccaudit", "calls", "calls.csv", "--json"],
    );
    assert_eq!(status(&out), 1, "{}", stderr(&out));
    let json = stdout_json(&out);
    assert_spec_keys(&json);
    assert_eq!(json["kind"], "calls");
    assert!(
        json["file"].as_str().unwrap().ends_with("calls.csv"),
        "{json}"
    );
    assert_eq!(json["sha256"], sha256_hex(&std::fs::read(&file).unwrap()));
    assert_eq!(json["preset"], "canonical-calls");
    assert_eq!(
        [
            &json["rows_read"],
            &json["accepted"],
            &json["rejected"],
            &json["skipped"]
        ],
        [3, 2, 1, 0]
    );
    let errors = json["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{json}");
    assert_eq!(errors[0]["line"], 3);
    assert_eq!(errors[0]["column"], "started_at");
    assert!(errors[0]["reason"].as_str().unwrap().contains("yesterday"));
}

#[test]
fn import_json_of_a_clean_file_exits_0() {
    let (dir, audit) = fresh_audit();
    let text = calls_csv(&["K1,2024-03-01T09:00:00+03:00,answered,A1,"], "\n");
    let file = write(dir.path(), "clean.csv", &text);
    let out = clausewise(
        dir.path(),
        &["import", "a.ccaudit", "calls", "clean.csv", "--json"],
    );
    assert_eq!(status(&out), 0, "{}", stderr(&out));
    let json = stdout_json(&out);
    assert_spec_keys(&json);
    assert_eq!(json["sha256"], sha256_hex(&std::fs::read(&file).unwrap()));
    assert_eq!([&json["rows_read"], &json["rejected"]], [1, 0]);
    assert_eq!(json["errors"], serde_json::json!([]));
    assert_eq!(row_count(&audit, "contact"), 1);
}

/// The real CFPB file with its 6 anomalies, through the CLI.
#[test]
fn import_json_of_a_real_file_names_its_sha256_and_exits_1() {
    let (dir, _audit) = fresh_audit();
    let file = realdata("complaints/cfpb_2013-2016_sample_nobieyi00.csv");
    let out = clausewise(
        dir.path(),
        &[
            "import",
            "a.ccaudit",
            "complaints",
            file.to_str().unwrap(),
            "--json",
        ],
    );
    assert_eq!(status(&out), 1, "{}", stderr(&out));
    let json = stdout_json(&out);
    assert_spec_keys(&json);
    assert_eq!(json["sha256"], sha256_hex(&std::fs::read(&file).unwrap()));
    assert_eq!(json["kind"], "complaints");
    assert_eq!(json["preset"], "cfpb");
    assert_eq!([&json["rows_read"], &json["rejected"]], [3_186, 6]);
    let errors = json["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 6);
    assert!(
        errors.iter().all(|e| e["column"] == "acknowledged_at"),
        "{json}"
    );
}

/// Without --json, every rejected row is one line on stderr naming file, line and column.
#[test]
fn import_text_output_names_file_line_and_column_of_each_rejected_row() {
    let (dir, _audit) = fresh_audit();
    let text = calls_csv(
        &[
            "T1,2024-03-01T09:00:00+03:00,answered,A1,",
            "T2,2024-03-01T09:05:00+03:00,maybe,A1,",
        ],
        "\n",
    );
    write(dir.path(), "calls.csv", &text);
    let out = clausewise(dir.path(), &["import", "a.ccaudit", "calls", "calls.csv"]);
    assert_eq!(status(&out), 1);
    let err = stderr(&out);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 1, "{err}");
    assert!(lines[0].contains("calls.csv"), "{err}");
    assert!(lines[0].contains("line 3"), "{err}");
    assert!(lines[0].contains("outcome"), "{err}");
    assert!(lines[0].contains("maybe"), "{err}");
}

/// Input that cannot be read at all: exit 2, nothing on stdout, the file named on stderr, and
/// the audit file as it was.
#[test]
fn import_of_unreadable_input_exits_2_and_changes_nothing() {
    let (dir, audit) = fresh_audit();
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";
    write_bytes(dir.path(), "picture.csv", png);
    write_bytes(dir.path(), "empty.csv", b"");
    let before = audit_state(&audit);
    for (file, says) in [
        ("picture.csv", "not a text file"),
        ("empty.csv", "empty"),
        ("missing.csv", "missing.csv"),
    ] {
        let out = clausewise(
            dir.path(),
            &["import", "a.ccaudit", "calls", file, "--json"],
        );
        assert_eq!(status(&out), 2, "{file}: {}", stderr(&out));
        assert!(
            out.stdout.is_empty(),
            "{file}: stdout holds {:?}",
            out.stdout
        );
        let err = stderr(&out);
        assert!(err.contains(file) && err.contains(says), "{file}: {err}");
        assert_eq!(audit_state(&audit), before, "{file}");
    }
}

// ---- import rules -------------------------------------------------------------------------------

#[test]
fn importing_the_same_file_again_is_refused_and_replace_replaces_it() {
    let (dir, audit) = fresh_audit();
    let text = calls_csv(
        &[
            "R1,2024-03-01T09:00:00+03:00,answered,A1,905550000001",
            "R2,2024-03-01T09:05:00+03:00,abandoned,,",
            "R3,not a time,answered,A1,",
        ],
        "\n",
    );
    write(dir.path(), "calls.csv", &text);
    let import = |extra: &[&str]| {
        let mut args = vec!["import", "a.ccaudit", "calls", "calls.csv"];
        args.extend_from_slice(extra);
        clausewise(dir.path(), &args)
    };
    assert_eq!(status(&import(&[])), 1, "one row rejected");
    let once = audit_state(&audit);
    let first_import = scalar(&audit, "SELECT id FROM import");
    assert_eq!((once.1, once.2, once.3), (1, 1, 2));
    let customer = |audit: &Path| -> String {
        raw_open(audit)
            .query_row(
                "SELECT customer_ref FROM contact WHERE call_id = 'R1'",
                [],
                |r| r.get(0),
            )
            .unwrap()
    };
    let pseudonym = customer(&audit);

    let again = import(&[]);
    assert_ne!(status(&again), 0);
    assert_ne!(status(&again), 1, "a refusal is not a row problem");
    let err = stderr(&again);
    assert!(err.contains("calls.csv"), "{err}");
    assert!(err.contains("--replace"), "{err}");
    assert_eq!(
        audit_state(&audit),
        once,
        "the refused import changed the audit file"
    );

    // Also under another name: the content decides.
    std::fs::copy(dir.path().join("calls.csv"), dir.path().join("renamed.csv")).unwrap();
    let out = clausewise(dir.path(), &["import", "a.ccaudit", "calls", "renamed.csv"]);
    assert_ne!(status(&out), 0);
    assert!(stderr(&out).contains("renamed.csv"), "{}", stderr(&out));
    assert_eq!(audit_state(&audit), once);

    let replaced = import(&["--replace"]);
    assert_eq!(status(&replaced), 1, "{}", stderr(&replaced));
    let after = audit_state(&audit);
    assert_eq!(
        (after.1, after.2, after.3),
        (1, 1, 2),
        "one import, replaced"
    );
    assert_ne!(scalar(&audit, "SELECT id FROM import"), first_import);
    assert_eq!(
        scalar(
            &audit,
            "SELECT count(*) FROM contact WHERE import_id <> (SELECT id FROM import)"
        ),
        0
    );
    assert_eq!(customer(&audit), pseudonym, "same audit, same pseudonym");
    assert_eq!(integrity_check(&audit), "ok");
}

#[test]
fn repeated_ids_within_a_file_reject_the_later_rows_by_line() {
    let (dir, audit) = fresh_audit();
    let text = calls_csv(
        &[
            "D1,2024-03-01T09:00:00+03:00,answered,first,",
            "D2,2024-03-01T09:05:00+03:00,answered,,",
            "D1,2024-03-01T09:10:00+03:00,abandoned,second,",
            "D2,2024-03-01T09:15:00+03:00,abandoned,,",
        ],
        "\n",
    );
    let file = write(dir.path(), "dup.csv", &text);
    let r = import_into(&audit, Kind::Calls, &file, |_| {}).unwrap();
    assert_eq!((r.rows_read, r.accepted, r.rejected), (4, 2, 2));
    assert_counts_add_up(&audit, &r);
    let errors = stored_errors(&audit, r.import_id);
    assert_eq!(errors.len(), 2, "{errors:?}");
    for ((line, column, reason), id) in errors.iter().zip(["D1", "D2"]) {
        assert_eq!(column, "call_id");
        assert!(reason.contains(id), "{reason}");
        assert_eq!(*line, if id == "D1" { 4 } else { 5 });
    }
    let (calls, _) = stored_calls(&audit, r.import_id);
    assert_eq!(
        calls["D1"].agent_id.as_deref(),
        Some("first"),
        "the first row is kept"
    );
    assert_eq!(calls["D1"].line, 2);

    // Complaints too.
    let text = "complaint_id,received_at\nK1,2024-03-01\nK1,2024-03-02\n";
    let file = write(dir.path(), "dup-complaints.csv", text);
    let r = import_into(&audit, Kind::Complaints, &file, |_| {}).unwrap();
    assert_eq!((r.accepted, r.rejected), (1, 1));
    assert_eq!(r.errors[0].line, 3);
    assert_eq!(r.errors[0].column, "complaint_id");
}

/// Records are written many to a statement: in a file of a few hundred rows, ids repeated
/// within one statement's rows and across statements still reject exactly the later rows
/// (each stored with its own text), and QA checks go to the records they belong to.
#[test]
fn repeated_ids_and_qa_checks_in_a_long_file_land_on_the_right_rows() {
    let (dir, audit) = fresh_audit();
    let mut text = String::from("call_id,started_at,outcome,qa_greeting\n");
    // (line, call id, QA value) of each row, and the expected outcome, worked out here.
    let mut rows: Vec<(i64, String, &str)> = Vec::new();
    for i in 0..300i64 {
        let id = if i % 7 == 3 {
            rows[i as usize - 1].1.clone() // the previous row's id: same statement
        } else if i % 50 == 45 {
            rows[i as usize - 40].1.clone() // an id from a few statements back
        } else {
            format!("R{i:04}")
        };
        let qa = ["yes", "no", ""][i as usize % 3];
        text.push_str(&format!(
            "{id},2024-03-01T09:{:02}:{:02}+03:00,answered,{qa}\n",
            i / 60,
            i % 60
        ));
        rows.push((i + 2, id, qa));
    }
    let file = write(dir.path(), "long.csv", &text);
    let r = import_into(&audit, Kind::Calls, &file, |_| {}).unwrap();

    let mut seen = BTreeSet::new();
    let mut kept: BTreeMap<String, (i64, Option<i64>)> = BTreeMap::new();
    let mut repeated: Vec<i64> = Vec::new();
    for (line, id, qa) in &rows {
        if seen.insert(id.clone()) {
            let passed = match *qa {
                "yes" => Some(1),
                "no" => Some(0),
                _ => None,
            };
            kept.insert(id.clone(), (*line, passed));
        } else {
            repeated.push(*line);
        }
    }
    assert!(repeated.len() > 40, "{}", repeated.len());
    assert_eq!(
        (r.rows_read, r.accepted, r.rejected),
        (300, kept.len() as u64, repeated.len() as u64)
    );
    assert_counts_add_up(&audit, &r);

    let conn = raw_open(&audit);
    let stored: BTreeMap<String, (i64, Option<i64>)> = conn
        .prepare(
            "SELECT c.call_id, c.line, q.passed FROM contact c
             LEFT JOIN contact_qa q ON q.contact_id = c.id AND q.name = 'qa_greeting'
             WHERE c.import_id = ?1",
        )
        .unwrap()
        .query_map([r.import_id], |row| {
            Ok((row.get(0)?, (row.get(1)?, row.get(2)?)))
        })
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert_eq!(stored, kept);
    assert_eq!(
        row_count(&audit, "contact_qa"),
        kept.values().filter(|(_, q)| q.is_some()).count() as i64
    );

    let errors: Vec<(i64, String, String)> = conn
        .prepare("SELECT line, reason, raw FROM import_error WHERE import_id = ?1 ORDER BY line")
        .unwrap()
        .query_map([r.import_id], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?))
        })
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert_eq!(errors.iter().map(|e| e.0).collect::<Vec<_>>(), repeated);
    let lines: Vec<&str> = text.lines().collect();
    for (line, reason, raw) in &errors {
        let (_, id, _) = &rows[*line as usize - 2];
        assert_eq!(reason, &format!("call_id '{id}' repeats an earlier row"));
        assert_eq!(raw, lines[*line as usize - 1], "line {line}");
    }

    // Complaints are written the same way.
    let mut text = String::from("complaint_id,received_at\n");
    for i in 0..100 {
        let id = if i % 10 == 9 { i - 5 } else { i };
        text.push_str(&format!("K{id},2024-03-01\n"));
    }
    let file = write(dir.path(), "complaints.csv", &text);
    let r = import_into(&audit, Kind::Complaints, &file, |_| {}).unwrap();
    assert_eq!((r.rows_read, r.accepted, r.rejected), (100, 90, 10));
    assert_counts_add_up(&audit, &r);
    let lines: Vec<u64> = r.errors.iter().map(|e| e.line).collect();
    assert_eq!(lines, (0..10).map(|k| 10 * k + 9 + 2).collect::<Vec<u64>>());
}

/// An Asterisk call whose legs straddle the six hours after which a call is taken as complete
/// is folded into two contacts with the same call id: the second is rejected when it is
/// stored, and so is every row folded into it, so that the rows still add up.
#[test]
fn a_rejected_folded_call_rejects_every_row_folded_into_it() {
    let (dir, audit) = fresh_audit();
    let leg = |src: &str,
               dst: &str,
               start: &str,
               answer: &str,
               end: &str,
               secs: (u32, u32),
               disposition: &str,
               uniqueid: &str,
               linkedid: &str,
               seq: u32| {
        format!(
            "\"\",\"{src}\",\"211474\",\"stadion-pstn\",\"\"\"{src}\"\" <{src}>\",\
             \"SIP/trunk-0000000{seq}\",\"{dst}\",\"Dial\",\"SIP/101,30\",\"{start}\",\"{answer}\",\
             \"{end}\",{},{},\"{disposition}\",\"DOCUMENTATION\",\"{uniqueid}\",\"\",\"\",\
             \"{linkedid}\",{seq}\n",
            secs.0, secs.1
        )
    };
    let l1 = "1706349600.1";
    let text = [
        // Line 1: call L1, answered, ends at 10:01.
        leg(
            "5551001",
            "SIP/101-0000000a",
            "2024-01-27 10:00:00",
            "2024-01-27 10:00:05",
            "2024-01-27 10:01:00",
            (60, 55),
            "ANSWERED",
            l1,
            l1,
            1,
        ),
        // Line 2: another call ending at 17:02, over six hours later: L1 is complete.
        leg(
            "5552002",
            "SIP/102-0000000b",
            "2024-01-27 16:59:00",
            "2024-01-27 16:59:02",
            "2024-01-27 17:02:00",
            (180, 178),
            "ANSWERED",
            "1706374740.2",
            "1706374740.2",
            2,
        ),
        // Lines 3 and 4: two more legs of L1 that rang for seven hours: a second L1 call.
        leg(
            "5551001",
            "SIP/103-0000000c",
            "2024-01-27 10:00:05",
            "",
            "2024-01-27 17:03:00",
            (25375, 0),
            "NO ANSWER",
            "1706349605.3",
            l1,
            3,
        ),
        leg(
            "5551001",
            "SIP/104-0000000d",
            "2024-01-27 10:00:10",
            "",
            "2024-01-27 17:03:30",
            (25400, 0),
            "NO ANSWER",
            "1706349610.4",
            l1,
            4,
        ),
    ]
    .concat();
    let file = write(dir.path(), "Master.csv", &text);
    let r = import_into(&audit, Kind::Calls, &file, |o| {
        o.preset = Some("asterisk-cdr".into())
    })
    .unwrap();
    // Lines 1 and 2 are one contact each; lines 3 and 4 are the rejected second L1.
    assert_eq!(
        (r.rows_read, r.accepted, r.rejected, r.skipped, r.records),
        (4, 2, 2, 0, 2)
    );
    assert_counts_add_up(&audit, &r);
    let reason = format!("call_id '{l1}' repeats an earlier row");
    assert_eq!(
        stored_errors(&audit, r.import_id),
        [
            (3, "call_id".to_string(), reason.clone()),
            (
                4,
                "call_id".to_string(),
                format!("{reason} (this row is part of the call that starts on line 3)")
            ),
        ]
    );
    let (calls, _) = stored_calls(&audit, r.import_id);
    assert_eq!(calls[l1].line, 1);
    assert_eq!(calls[l1].outcome, "answered");
    assert_eq!(calls["1706374740.2"].line, 2);
}

/// Customer identifiers never reach the audit file in clear; one customer is one pseudonym
/// within an audit and another pseudonym in another audit.
#[test]
fn customer_identifiers_are_stored_only_as_per_audit_pseudonyms() {
    const PHONE: &str = "905551234567";
    let dir = tempfile::tempdir().unwrap();
    let first = create_audit(dir.path(), "first.ccaudit");
    let second = create_audit(dir.path(), "second.ccaudit");
    let text = calls_csv(
        &[
            &format!("P1,2024-03-01T09:00:00+03:00,answered,A1,{PHONE}"),
            &format!("P2,2024-03-01T09:05:00+03:00,abandoned,,{PHONE}"),
            "P3,2024-03-01T09:10:00+03:00,answered,A1,905559999999",
            // A rejected row: its stored copy must not hold the number either.
            &format!("P4,not a time,answered,A1,{PHONE}"),
        ],
        "\n",
    );
    let file = write(dir.path(), "calls.csv", &text);
    let later = write(
        dir.path(),
        "later.csv",
        &calls_csv(
            &[&format!("Q1,2024-03-02T09:00:00+03:00,answered,A2,{PHONE}")],
            "\n",
        ),
    );
    let r = import_into(&first, Kind::Calls, &file, |_| {}).unwrap();
    assert_eq!((r.accepted, r.rejected), (3, 1));
    import_into(&first, Kind::Calls, &later, |_| {}).unwrap();
    import_into(&second, Kind::Calls, &file, |_| {}).unwrap();

    for audit in [&first, &second] {
        assert_eq!(columns_containing(audit, PHONE), Vec::<String>::new());
        assert!(
            !file_bytes_contain(audit, PHONE),
            "{} holds the number",
            audit.display()
        );
    }
    let pseudonym = |audit: &Path, call: &str| -> String {
        raw_open(audit)
            .query_row(
                "SELECT customer_ref FROM contact WHERE call_id = ?1",
                [call],
                |r| r.get(0),
            )
            .unwrap()
    };
    let p1 = pseudonym(&first, "P1");
    assert!(!p1.is_empty());
    assert_eq!(pseudonym(&first, "P2"), p1, "same customer, same file");
    assert_eq!(pseudonym(&first, "Q1"), p1, "same customer, later import");
    assert_ne!(pseudonym(&first, "P3"), p1, "another customer");
    assert_ne!(pseudonym(&second, "P1"), p1, "another audit");
    assert_eq!(pseudonym(&second, "P2"), pseudonym(&second, "P1"));
}

// ---- hostile files ------------------------------------------------------------------------------

#[test]
fn ragged_rows_are_rejected_with_the_field_counts() {
    let (dir, audit) = fresh_audit();
    let text = calls_csv(
        &[
            "G1,2024-03-01T09:00:00+03:00,answered,A1,",
            "G2,2024-03-01T09:05:00+03:00,answered",
            "G3,2024-03-01T09:10:00+03:00,answered,A1,,surplus",
            "G4,2024-03-01T09:15:00+03:00,abandoned,,",
        ],
        "\n",
    );
    let file = write(dir.path(), "ragged.csv", &text);
    let r = import_into(&audit, Kind::Calls, &file, |_| {}).unwrap();
    assert_eq!((r.rows_read, r.accepted, r.rejected), (4, 2, 2));
    assert_counts_add_up(&audit, &r);
    let errors = stored_errors(&audit, r.import_id);
    assert_eq!(errors.iter().map(|e| e.0).collect::<Vec<_>>(), [3, 4]);
    assert!(errors[0].2.contains("expected 5 fields"), "{errors:?}");
    assert!(errors[0].2.contains('3'), "{errors:?}");
    assert!(errors[1].2.contains("expected 5 fields"), "{errors:?}");
    assert!(errors[1].2.contains('6'), "{errors:?}");
}

/// A UTF-8 file (Turkish names) with one corrupt byte: still read as UTF-8, and only the row
/// with the bad byte is rejected, naming its column.
#[test]
fn invalid_utf8_in_a_utf8_file_rejects_that_row_naming_the_column() {
    let (dir, audit) = fresh_audit();
    let mut bytes = calls_csv(
        &[
            "U1,2024-03-01T09:00:00+03:00,answered,Ayşe Gül,",
            "U2,2024-03-01T09:05:00+03:00,answered,Şükrü Çağlar,",
            "U3,2024-03-01T09:10:00+03:00,answered,İlknur Öztürk,",
        ],
        "\n",
    )
    .into_bytes();
    bytes.extend_from_slice(b"U4,2024-03-01T09:15:00+03:00,answered,Bad\xFFName,\n");
    bytes.extend_from_slice("U5,2024-03-01T09:20:00+03:00,abandoned,Ilgın,\n".as_bytes());
    let file = write_bytes(dir.path(), "utf8.csv", &bytes);
    let r = import_into(&audit, Kind::Calls, &file, |_| {}).unwrap();
    assert_eq!(r.detected.encoding, "utf-8");
    assert_eq!((r.rows_read, r.accepted, r.rejected), (5, 4, 1));
    assert_counts_add_up(&audit, &r);
    assert_eq!(r.errors[0].line, 5);
    assert_eq!(r.errors[0].column, "agent_id");
    assert!(r.errors[0].reason.contains("UTF-8"), "{:?}", r.errors);
    let (calls, _) = stored_calls(&audit, r.import_id);
    assert_eq!(calls["U1"].agent_id.as_deref(), Some("Ayşe Gül"));
    assert_eq!(calls["U2"].agent_id.as_deref(), Some("Şükrü Çağlar"));
    assert_eq!(calls["U5"].agent_id.as_deref(), Some("Ilgın"));

    // Forced to UTF-8, a plain ASCII file with a stray byte is judged the same way.
    let mut ascii = calls_csv(&["V1,2024-03-01T09:00:00+03:00,answered,A1,"], "\n").into_bytes();
    ascii.extend_from_slice(b"V2,2024-03-01T09:05:00+03:00,answered,x\xC3y,\n");
    let file = write_bytes(dir.path(), "ascii.csv", &ascii);
    let r = import_into(&audit, Kind::Calls, &file, |o| {
        o.source.encoding = Some("utf-8".into())
    })
    .unwrap();
    assert_eq!((r.accepted, r.rejected), (1, 1));
    assert_eq!(
        (r.errors[0].line, r.errors[0].column.as_str()),
        (3, "agent_id")
    );
}

/// A whole Windows-1254 file (Turkish export) is detected and decoded.
#[test]
fn a_windows_1254_file_is_detected_and_decoded() {
    let (dir, audit) = fresh_audit();
    let text = calls_csv(
        &[
            "W1,2024-03-01T09:00:00+03:00,answered,Şükrü Işıkoğlu,",
            "W2,2024-03-01T09:05:00+03:00,answered,Ayşe Çağlar,",
            "W3,2024-03-01T09:10:00+03:00,abandoned,İlkay Öğüt,",
        ],
        "\r\n",
    );
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1254.encode(&text);
    assert!(!unmappable);
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "the fixture must not be UTF-8"
    );
    let file = write_bytes(dir.path(), "tr.csv", &bytes);
    let r = import_into(&audit, Kind::Calls, &file, |_| {}).unwrap();
    assert_eq!(r.detected.encoding, "windows-1254");
    assert_eq!((r.rows_read, r.accepted), (3, 3));
    let (calls, _) = stored_calls(&audit, r.import_id);
    assert_eq!(calls["W1"].agent_id.as_deref(), Some("Şükrü Işıkoğlu"));
    assert_eq!(calls["W2"].agent_id.as_deref(), Some("Ayşe Çağlar"));
    assert_eq!(calls["W3"].agent_id.as_deref(), Some("İlkay Öğüt"));
    assert_eq!(calls["W3"].line, 4);
    assert_eq!(r.sha256, sha256_hex(&bytes));
}

#[test]
fn a_utf8_bom_does_not_hide_the_first_column() {
    let (dir, audit) = fresh_audit();
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend(calls_csv(&["B1,2024-03-01T09:00:00+03:00,answered,Ayşe,"], "\r\n").bytes());
    let file = write_bytes(dir.path(), "bom.csv", &bytes);
    let r = import_into(&audit, Kind::Calls, &file, |_| {}).unwrap();
    assert_eq!(
        r.preset, "canonical-calls",
        "call_id is matched despite the BOM"
    );
    assert!(r.detected.bom);
    assert_eq!(r.detected.encoding, "utf-8");
    assert_eq!(r.accepted, 1);
    let (calls, _) = stored_calls(&audit, r.import_id);
    assert_eq!(calls["B1"].agent_id.as_deref(), Some("Ayşe"));
    assert_eq!(
        r.sha256,
        sha256_hex(&bytes),
        "the BOM is part of the file's hash"
    );
}

#[test]
fn a_utf16le_file_with_bom_is_decoded() {
    let (dir, audit) = fresh_audit();
    let text = calls_csv(
        &[
            "S1,2024-03-01T09:00:00+03:00,answered,Ayşe,",
            "S2,2024-03-01T09:05:00+03:00,bogus,Çağrı,",
            "S3,2024-03-01T09:10:00+03:00,abandoned,Öykü,",
        ],
        "\r\n",
    );
    let bytes = utf16le_with_bom(&text);
    let file = write_bytes(dir.path(), "utf16.csv", &bytes);
    let r = import_into(&audit, Kind::Calls, &file, |_| {}).unwrap();
    assert_eq!(r.detected.encoding, "utf-16le");
    assert_eq!(r.preset, "canonical-calls");
    assert_eq!((r.rows_read, r.accepted, r.rejected), (3, 2, 1));
    assert_eq!(
        (r.errors[0].line, r.errors[0].column.as_str()),
        (3, "outcome")
    );
    let (calls, _) = stored_calls(&audit, r.import_id);
    assert_eq!(calls["S1"].agent_id.as_deref(), Some("Ayşe"));
    assert_eq!(calls["S3"].agent_id.as_deref(), Some("Öykü"));
    assert_eq!((calls["S1"].line, calls["S3"].line), (2, 4));
    assert_eq!(r.sha256, sha256_hex(&bytes));
}

/// Line ends of old Mac exports (CR only): rows are split, and lines are numbered, as an
/// editor shows them.
#[test]
fn cr_only_line_ends_split_rows_and_number_lines() {
    let (dir, audit) = fresh_audit();
    let text = calls_csv(
        &[
            "C1,2024-03-01T09:00:00+03:00,answered,A1,",
            "C2,never,answered,A1,",
            "C3,2024-03-01T09:10:00+03:00,abandoned,,",
        ],
        "\r",
    );
    let file = write(dir.path(), "mac.csv", &text);
    let r = import_into(&audit, Kind::Calls, &file, |_| {}).unwrap();
    assert_eq!(r.detected.line_ends, "cr");
    assert_eq!((r.rows_read, r.accepted, r.rejected), (3, 2, 1));
    assert_eq!(
        (r.errors[0].line, r.errors[0].column.as_str()),
        (3, "started_at")
    );
    let (calls, _) = stored_calls(&audit, r.import_id);
    assert_eq!((calls["C1"].line, calls["C3"].line), (2, 4));
    assert_eq!(calls["C3"].outcome, "abandoned");
}

/// CRLF line ends, blank lines and a quoted field over two lines: every record keeps the line
/// it starts on.
#[test]
fn line_numbers_count_crlf_blank_lines_and_quoted_line_breaks() {
    let (dir, audit) = fresh_audit();
    let text = [
        CALLS_HEADER,
        "L1,2024-03-01T09:00:00+03:00,answered,\"two\r\nlines\",",
        "",
        "L2,2024-03-01T09:05:00+03:00,answered,A1,",
        "",
        "",
        "L3,later,answered,A1,",
        "L4,2024-03-01T09:15:00+03:00,abandoned,,",
    ]
    .join("\r\n");
    let file = write(dir.path(), "crlf.csv", &text);
    let r = import_into(&audit, Kind::Calls, &file, |_| {}).unwrap();
    assert_eq!(r.detected.line_ends, "crlf");
    assert_eq!((r.rows_read, r.accepted, r.rejected), (4, 3, 1));
    assert_eq!(r.errors[0].line, 8);
    let (calls, _) = stored_calls(&audit, r.import_id);
    let lines: Vec<i64> = ["L1", "L2", "L4"].iter().map(|c| calls[*c].line).collect();
    assert_eq!(lines, [2, 5, 9]);
}

#[test]
fn a_field_over_a_megabyte_rejects_its_row() {
    let (dir, audit) = fresh_audit();
    let mut bytes = calls_csv(&["M1,2024-03-01T09:00:00+03:00,answered,A1,"], "\n").into_bytes();
    bytes.extend_from_slice(b"M2,2024-03-01T09:05:00+03:00,answered,");
    bytes.extend(std::iter::repeat_n(b'x', (1 << 20) + 1));
    bytes.extend_from_slice(b",\nM3,2024-03-01T09:10:00+03:00,abandoned,,\n");
    let file = write_bytes(dir.path(), "long.csv", &bytes);
    let r = import_into(&audit, Kind::Calls, &file, |_| {}).unwrap();
    assert_eq!((r.rows_read, r.accepted, r.rejected), (3, 2, 1));
    assert_eq!(
        (r.errors[0].line, r.errors[0].column.as_str()),
        (3, "agent_id")
    );
    assert!(r.errors[0].reason.contains("long"), "{:?}", r.errors);
    assert_counts_add_up(&audit, &r);

    // The stored copy of the rejected row is cut to 4 KiB, saying how long the row was: the
    // row as written above, without its line end.
    let head = "M2,2024-03-01T09:05:00+03:00,answered,";
    let row_len = head.len() + (1 << 20) + 1 + ",".len();
    let raw: String = raw_open(&audit)
        .query_row(
            "SELECT raw FROM import_error WHERE import_id = ?1 AND line = 3",
            [r.import_id],
            |row| row.get(0),
        )
        .unwrap();
    assert!(raw.len() <= 4096, "{} bytes stored", raw.len());
    let marker = format!(" …[cut: the row is {row_len} bytes long]");
    assert!(raw.ends_with(&marker), "{}", &raw[raw.len() - 60..]);
    let kept = &raw[..raw.len() - marker.len()];
    assert!(kept.starts_with(head), "{}", &kept[..60]);
    assert!(kept[head.len()..].bytes().all(|b| b == b'x'));
    assert_eq!(kept.len(), 4096 - marker.len());
}

#[test]
fn a_nul_byte_in_a_field_rejects_its_row() {
    let (dir, audit) = fresh_audit();
    let mut bytes = calls_csv(
        &[
            "N1,2024-03-01T09:00:00+03:00,answered,A1,",
            "N2,2024-03-01T09:05:00+03:00,answered,A1,",
        ],
        "\n",
    )
    .into_bytes();
    bytes.extend_from_slice(b"N3,2024-03-01T09:10:00+03:00,answered,A\x001,\n");
    let file = write_bytes(dir.path(), "nul.csv", &bytes);
    let r = import_into(&audit, Kind::Calls, &file, |_| {}).unwrap();
    assert_eq!(r.detected.encoding, "utf-8");
    assert_eq!((r.rows_read, r.accepted, r.rejected), (3, 2, 1));
    assert_eq!(
        (r.errors[0].line, r.errors[0].column.as_str()),
        (4, "agent_id")
    );
    assert!(r.errors[0].reason.contains("NUL"), "{:?}", r.errors);
}

#[test]
fn an_empty_file_is_refused() {
    let (dir, audit) = fresh_audit();
    let file = write_bytes(dir.path(), "nothing.csv", b"");
    assert_refused(
        &audit,
        Kind::Calls,
        &file,
        |_| {},
        &["nothing.csv", "empty"],
    );
}

/// A file with a header and no rows is a valid, empty export (a period without complaints is
/// evidence too): it imports with 0 rows and is recorded.
#[test]
fn a_header_only_file_imports_zero_rows() {
    let (dir, audit) = fresh_audit();
    let file = write(
        dir.path(),
        "none.csv",
        "complaint_id,received_at,channel,outcome\r\n",
    );
    let r = import_into(&audit, Kind::Complaints, &file, |_| {}).unwrap();
    assert_eq!(r.preset, "canonical-complaints");
    assert_eq!(
        (r.rows_read, r.accepted, r.rejected, r.skipped),
        (0, 0, 0, 0)
    );
    assert_counts_add_up(&audit, &r);
    assert_eq!(row_count(&audit, "import"), 1);
    assert_eq!(row_count(&audit, "complaint"), 0);
}

#[test]
fn a_png_renamed_csv_is_not_a_text_file() {
    let (dir, audit) = fresh_audit();
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    png.extend((0u8..=255).cycle().take(600));
    let file = write_bytes(dir.path(), "calls.csv", &png);
    assert_refused(
        &audit,
        Kind::Calls,
        &file,
        |_| {},
        &["calls.csv", "not a text file"],
    );
}

#[test]
fn unreadable_inputs_leave_the_audit_unchanged() {
    let (dir, audit) = fresh_audit();
    // Binary data without a known signature.
    let binary: Vec<u8> = (0u8..32).cycle().take(2000).collect();
    let file = write_bytes(dir.path(), "blob.csv", &binary);
    assert_refused(
        &audit,
        Kind::Calls,
        &file,
        |_| {},
        &["blob.csv", "not a text file"],
    );
    // A layout no preset knows.
    let file = write(dir.path(), "other.csv", "a,b,c\n1,2,3\n");
    assert_refused(&audit, Kind::Calls, &file, |_| {}, &["other.csv", "preset"]);
    // A file that does not exist.
    let missing = dir.path().join("missing.csv");
    assert_refused(&audit, Kind::Calls, &missing, |_| {}, &["missing.csv"]);
}

// ---- mapping files ------------------------------------------------------------------------------

/// A mapping for a semicolon-delimited ACD export with decimal commas.
const ACME_MAPPING: &str = r#"# An ACD export: Turkish site, semicolons, decimal commas.
[mapping]
name = "acme-acd"
kind = "calls"
utc_offset = "+03:00"
decimal_comma = true

[field.call_id]
column = "Ref"

[field.started_at]
date = "Day"
time = "Clock"
format = "%d.%m.%Y %H:%M:%S"

[field.channel]
value = "chat"

[field.queue]
column = "Skill"

[field.outcome]
column = "Result"
map = { AGENT = "answered", HANG = "abandoned" }
skip = { TEST = "a test call" }

[field.agent_id]
column = "Agent"
null = ["-", "NONE"]

[field.talk_seconds]
column = "Talk"
"#;

const ACME_DATA: &str = "Ref;Day;Clock;Skill;Result;Agent;Talk
R1;05.03.2024;09:15:30;Fatura;AGENT;Ayşe;12,4
R2;05.03.2024;23:59:59;Arıza;HANG;-;0
R3;06.03.2024;00:00:01;Fatura;TEST;NONE;
R4;06.03.2024;10:00:00;Arıza;AGENT;Mehmet;90,6
R5;06.03.2024;10:05:00;Arıza;BUSY;NONE;3
";

#[test]
fn a_mapping_file_renames_maps_combines_and_skips() {
    let (dir, audit) = fresh_audit();
    let mapping = write(dir.path(), "acme.toml", ACME_MAPPING);
    let file = write(dir.path(), "acme.csv", ACME_DATA);
    let r = import_into(&audit, Kind::Calls, &file, |o| {
        o.mapping = Some(mapping.clone())
    })
    .unwrap();
    assert_eq!(r.detected.delimiter, ";");
    assert!(r.preset.contains("acme.toml"), "{}", r.preset);
    // R3 is a TEST call (skipped); R5's BUSY is in no map and not an outcome (rejected).
    assert_eq!(
        (r.rows_read, r.accepted, r.rejected, r.skipped),
        (5, 3, 1, 1)
    );
    assert_counts_add_up(&audit, &r);
    assert_eq!(
        (r.errors[0].line, r.errors[0].column.as_str()),
        (6, "Result")
    );
    assert!(r.errors[0].reason.contains("BUSY"), "{:?}", r.errors);

    let (calls, _) = stored_calls(&audit, r.import_id);
    let call = |line, started_at, queue: &str, outcome: &str, talk, agent: Option<&str>| Call {
        line,
        started_at,
        utc_offset: 180,
        queue: Some(queue.to_string()),
        outcome: outcome.to_string(),
        talk_seconds: Some(talk),
        agent_id: agent.map(str::to_string),
        ..Call::default()
    };
    let expected = BTreeMap::from([
        (
            "R1".to_string(),
            call(
                2,
                at(3, 2024, 3, 5, 9, 15, 30),
                "Fatura",
                "answered",
                12,
                Some("Ayşe"),
            ),
        ),
        (
            "R2".to_string(),
            call(
                3,
                at(3, 2024, 3, 5, 23, 59, 59),
                "Arıza",
                "abandoned",
                0,
                None,
            ),
        ),
        (
            "R4".to_string(),
            call(
                5,
                at(3, 2024, 3, 6, 10, 0, 0),
                "Arıza",
                "answered",
                91,
                Some("Mehmet"),
            ),
        ),
    ]);
    assert_same_records("acme", &calls, &expected);
    assert_eq!(
        scalar(
            &audit,
            "SELECT count(*) FROM contact WHERE channel = 'chat' AND direction = 'inbound'"
        ),
        3
    );
    // The mapping is kept with the import, as written.
    let kept: String = raw_open(&audit)
        .query_row(
            "SELECT mapping FROM import WHERE id = ?1",
            [r.import_id],
            |row| row.get(0),
        )
        .unwrap();
    assert_eq!(kept, ACME_MAPPING);
}

#[test]
fn the_utc_offset_option_applies_to_times_written_without_one() {
    let (dir, audit) = fresh_audit();
    let text = "call_id,started_at,outcome\nO1,2024-03-05 09:15:30,answered\nO2,2024-03-05T09:15:30+01:00,answered\n";
    let file = write(dir.path(), "naive.csv", text);
    let r = import_into(&audit, Kind::Calls, &file, |o| {
        o.utc_offset = Some("+03:00".into())
    })
    .unwrap();
    assert_eq!(r.accepted, 2);
    let (calls, _) = stored_calls(&audit, r.import_id);
    assert_eq!(
        (calls["O1"].started_at, calls["O1"].utc_offset),
        (at(3, 2024, 3, 5, 9, 15, 30), 180)
    );
    assert_eq!(
        (calls["O2"].started_at, calls["O2"].utc_offset),
        (at(1, 2024, 3, 5, 9, 15, 30), 60),
        "an offset in the value wins"
    );
}

#[test]
fn a_mapping_naming_a_missing_column_is_refused_naming_it() {
    let (dir, audit) = fresh_audit();
    let mapping = write(
        dir.path(),
        "acme.toml",
        &ACME_MAPPING.replace("column = \"Agent\"", "column = \"Operator\""),
    );
    let file = write(dir.path(), "acme.csv", ACME_DATA);
    assert_refused(
        &audit,
        Kind::Calls,
        &file,
        |o| o.mapping = Some(mapping.clone()),
        &["acme.csv", "'Operator'", "not in the header"],
    );
}

#[test]
fn a_mapping_or_preset_for_the_other_kind_is_refused() {
    let (dir, audit) = fresh_audit();
    let mapping = write(dir.path(), "acme.toml", ACME_MAPPING);
    let file = write(dir.path(), "acme.csv", ACME_DATA);
    let err = assert_refused(
        &audit,
        Kind::Complaints,
        &file,
        |o| o.mapping = Some(mapping.clone()),
        &["acme.toml", "calls"],
    );
    assert!(err.contains("complaints"), "{err}");
    let calls = write(
        dir.path(),
        "calls.csv",
        &calls_csv(&["X1,2024-03-01T09:00:00+03:00,answered,A1,"], "\n"),
    );
    assert_refused(
        &audit,
        Kind::Calls,
        &calls,
        |o| o.preset = Some("cfpb".into()),
        &["calls.csv", "cfpb", "complaints"],
    );
    // A call-log preset implemented in code is refused for complaints too.
    assert_refused(
        &audit,
        Kind::Complaints,
        &calls,
        |o| o.preset = Some("asterisk-cdr".into()),
        &["calls.csv", "asterisk-cdr", "complaints"],
    );
    // And through the CLI: exit 2, nothing stored.
    let out = clausewise(
        dir.path(),
        &[
            "import",
            "a.ccaudit",
            "complaints",
            "acme.csv",
            "--mapping",
            "acme.toml",
        ],
    );
    assert_eq!(status(&out), 2);
    assert!(stderr(&out).contains("acme.toml"), "{}", stderr(&out));
    assert_eq!(row_count(&audit, "import"), 0);
}

#[test]
fn a_broken_mapping_file_is_refused_naming_file_and_line() {
    let (dir, audit) = fresh_audit();
    let mapping = write(
        dir.path(),
        "broken.toml",
        "[mapping]\nname = \"x\"\nkind = \"calls\"\n\n[field.call_id]\ncolumn = \n",
    );
    let file = write(dir.path(), "acme.csv", ACME_DATA);
    let before = audit_state(&audit);
    let err = import_into(&audit, Kind::Calls, &file, |o| {
        o.mapping = Some(mapping.clone())
    })
    .unwrap_err()
    .to_string();
    assert!(err.contains("broken.toml"), "{err}");
    assert!(err.contains("line 6"), "{err}");
    assert_eq!(audit_state(&audit), before);
}

// ---- a killed import ----------------------------------------------------------------------------

/// Writes `rows` synthetic calls with the CLI.
fn demo_calls(dir: &Path, name: &str, rows: u64) -> PathBuf {
    let out = clausewise(
        dir,
        &[
            "demo-data",
            "calls",
            &rows.to_string(),
            "--out",
            name,
            "--seed",
            "11",
        ],
    );
    assert_eq!(status(&out), 0, "{}", stderr(&out));
    dir.join(name)
}

/// Starts `clausewise import` and kills it once it has run for `delay`. Returns the size of
/// the audit's `-wal` file just before the kill, or `None` when the import finished first.
fn kill_import_after(dir: &Path, audit: &Path, file: &Path, delay: Duration) -> Option<u64> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_clausewise"))
        .current_dir(dir)
        .arg("import")
        .arg(audit)
        .arg("calls")
        .arg(file)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while started.elapsed() < delay {
        if child.try_wait().unwrap().is_some() {
            return None;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let wal = std::fs::metadata(format!("{}-wal", audit.display()))
        .map(|m| m.len())
        .unwrap_or(0);
    child.kill().unwrap();
    let exit = child.wait().unwrap();
    match exit.code() {
        Some(0) => None,
        Some(code) if cfg!(unix) => panic!("the import failed by itself (exit {code})"),
        _ => Some(wal),
    }
}

#[test]
fn a_killed_import_leaves_the_audit_file_as_it_was() {
    let (dir, audit) = fresh_audit();
    let small = write(
        dir.path(),
        "small.csv",
        &calls_csv(
            &[
                "E1,2024-03-01T09:00:00+03:00,answered,A1,",
                "E2,bad,answered,A1,",
            ],
            "\n",
        ),
    );
    import_into(&audit, Kind::Calls, &small, |_| {}).unwrap();
    let counts = |audit: &Path| {
        (
            row_count(audit, "contact"),
            row_count(audit, "import"),
            row_count(audit, "import_error"),
        )
    };
    let before = counts(&audit);
    assert_eq!(before, (1, 1, 1));

    let mut rows = 300_000u64;
    let mut big = demo_calls(dir.path(), "big.csv", rows);
    let mut largest_wal = 0;
    for delay_ms in [300u64, 1_200, 3_000] {
        loop {
            let sha = file_sha(&audit);
            match kill_import_after(dir.path(), &audit, &big, Duration::from_millis(delay_ms)) {
                Some(wal) => {
                    largest_wal = largest_wal.max(wal);
                    assert_eq!(file_sha(&audit), sha, "killed after {delay_ms} ms");
                    assert_eq!(integrity_check(&audit), "ok", "killed after {delay_ms} ms");
                    assert_eq!(counts(&audit), before, "killed after {delay_ms} ms");
                    break;
                }
                None => {
                    // It finished first: undo it with a fresh audit and try a larger file.
                    assert!(rows < 5_000_000, "the import is too quick to interrupt");
                    rows *= 2;
                    big = demo_calls(dir.path(), "big.csv", rows);
                    std::fs::remove_file(&audit).unwrap();
                    create_audit(dir.path(), "a.ccaudit");
                    import_into(&audit, Kind::Calls, &small, |_| {}).unwrap();
                    assert_eq!(counts(&audit), before);
                }
            }
        }
    }
    assert!(
        largest_wal > 0,
        "no kill landed while the import was writing"
    );

    let out = clausewise(
        dir.path(),
        &["import", "a.ccaudit", "calls", "big.csv", "--json"],
    );
    assert_eq!(status(&out), 0, "{}", stderr(&out));
    assert_eq!(stdout_json(&out)["accepted"], rows);
    assert_eq!(
        counts(&audit),
        (before.0 + rows as i64, before.1 + 1, before.2)
    );
    assert_eq!(integrity_check(&audit), "ok");
}

/// Cancelling from the progress callback stops the import and leaves the audit as it was; the
/// same file then imports in full.
#[test]
fn a_cancelled_import_leaves_the_audit_file_as_it_was() {
    let (dir, audit) = fresh_audit();
    let rows = 30_000u64;
    let file = demo_calls(dir.path(), "calls.csv", rows);
    let size = std::fs::metadata(&file).unwrap().len();
    let before = audit_state(&audit);
    let mut seen = Vec::new();
    let mut opened = clausewise::audit::Audit::open(&audit).unwrap();
    let err = clausewise::import::import_file(
        &mut opened,
        &file,
        &clausewise::import::ImportOptions::new(Kind::Calls),
        &mut |p| {
            seen.push(*p);
            seen.len() < 2
        },
    )
    .unwrap_err();
    drop(opened);
    assert!(matches!(err, clausewise::Error::Cancelled), "{err}");
    // Asked every 8192 rows; the second answer stopped it.
    let counted: Vec<u64> = seen.iter().map(|p| p.rows).collect();
    assert_eq!(counted, [8192, 16384]);
    assert!(seen
        .iter()
        .all(|p| p.total_bytes == size && p.bytes <= size));
    assert!(seen[0].bytes < seen[1].bytes);
    assert_eq!(audit_state(&audit), before);

    let r = import_into(&audit, Kind::Calls, &file, |_| {}).unwrap();
    assert_eq!((r.rows_read, r.accepted), (rows, rows));
    assert_eq!(row_count(&audit, "contact"), rows as i64);
}

// ---- demo data ----------------------------------------------------------------------------------

#[test]
fn demo_data_is_reproducible_by_seed_and_imports_cleanly() {
    let (dir, audit) = fresh_audit();
    for (kind, preset, table) in [
        ("calls", "canonical-calls", "contact"),
        ("complaints", "canonical-complaints", "complaint"),
    ] {
        let make = |name: &str, seed: &str| {
            let out = clausewise(
                dir.path(),
                &["demo-data", kind, "2000", "--out", name, "--seed", seed],
            );
            assert_eq!(status(&out), 0, "{}", stderr(&out));
            std::fs::read(dir.path().join(name)).unwrap()
        };
        let a = make(&format!("{kind}-a.csv"), "7");
        let b = make(&format!("{kind}-b.csv"), "7");
        let c = make(&format!("{kind}-c.csv"), "8");
        assert_eq!(a, b, "{kind}: same seed, same bytes");
        assert_ne!(a, c, "{kind}: another seed, another file");
        let (_, records) = read_delimited(&dir.path().join(format!("{kind}-a.csv")), b',');
        assert_eq!(records.len(), 2000);

        let file = dir.path().join(format!("{kind}-a.csv"));
        let r = import_into(&audit, Kind::parse(kind).unwrap(), &file, |_| {}).unwrap();
        assert_eq!(r.preset, preset);
        assert_eq!(
            (r.rows_read, r.accepted, r.rejected),
            (2000, 2000, 0),
            "{:?}",
            r.errors
        );
        assert_counts_add_up(&audit, &r);
        assert_eq!(row_count(&audit, table), 2000);
    }
}

#[test]
fn quotes_can_be_read_as_plain_text() {
    let (dir, audit) = fresh_audit();
    // An agent field that starts with a quote which nothing closes (inches, in a desk name).
    let text = "call_id,started_at,outcome,agent_id\n\
                q1,2026-10-01T10:00:00+03:00,answered,\"Desk 7\n\
                q2,2026-10-01T10:05:00+03:00,answered,A2\n";
    let file = write(dir.path(), "quotes.csv", text);
    // Read with quoting, the quote swallows the rest of the file into q1's agent id.
    let quoted = clausewise(
        dir.path(),
        &["import", "a.ccaudit", "calls", "quotes.csv", "--json"],
    );
    assert_eq!(stdout_json(&quoted)["rows_read"], 1);
    std::fs::remove_file(&audit).unwrap();
    create_audit(dir.path(), "a.ccaudit");
    let out = clausewise(
        dir.path(),
        &[
            "import",
            "a.ccaudit",
            "calls",
            "quotes.csv",
            "--quote",
            "none",
            "--json",
        ],
    );
    assert_eq!(status(&out), 0, "{}", stderr(&out));
    let v = stdout_json(&out);
    assert_eq!(
        (v["rows_read"].as_u64(), v["accepted"].as_u64()),
        (Some(2), Some(2))
    );
    assert_eq!(v["detected"]["quote"], "none");
    let conn = raw_open(&audit);
    let agents: Vec<String> = conn
        .prepare("SELECT agent_id FROM contact ORDER BY call_id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(agents, ["\"Desk 7", "A2"]);
    let bad = clausewise(
        dir.path(),
        &[
            "import",
            "a.ccaudit",
            "calls",
            "quotes.csv",
            "--quote",
            "`",
            "--replace",
        ],
    );
    assert_eq!(status(&bad), 2);
    assert!(stderr(&bad).contains("quote '`'"), "{}", stderr(&bad));
    let _ = file;
}

/// The `(line, call_id, agent_id)` of every contact of import `import_id`, in line order.
fn contacts_of(audit: &Path, import_id: i64) -> Vec<(i64, String, Option<String>)> {
    raw_open(audit)
        .prepare("SELECT line, call_id, agent_id FROM contact WHERE import_id = ?1 ORDER BY line")
        .unwrap()
        .query_map([import_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

#[test]
fn line_ends_can_be_forced() {
    let (dir, audit) = fresh_audit();
    // Old Mac line ends (a lone CR) and a blank line 4; no LF anywhere.
    let cr_only = "call_id,started_at,outcome,agent_id\r\
                   L1,2026-10-01T10:00:00+03:00,answered,A1\r\
                   L2,2026-10-01T10:05:00+03:00,abandoned,\r\
                   \r\
                   L3,2026-10-01T10:09:00+03:00,answered,A3\r";
    let file = write(dir.path(), "mac.csv", cr_only);
    assert!(!cr_only.contains('\n'));
    let expected = vec![
        (2, "L1".to_string(), Some("A1".to_string())),
        (3, "L2".to_string(), None),
        (5, "L3".to_string(), Some("A3".to_string())),
    ];
    for (ends, replace) in [(None, false), (Some("auto"), true), (Some("cr"), true)] {
        let r = import_into(&audit, Kind::Calls, &file, |o| {
            o.source.line_ends = ends.map(str::to_string);
            o.replace = replace;
        })
        .unwrap();
        assert_eq!((r.rows_read, r.accepted, r.rejected), (3, 3, 0), "{ends:?}");
        assert_eq!(r.detected.line_ends, "cr");
        assert_eq!(contacts_of(&audit, r.import_id), expected, "{ends:?}");
    }

    // Forced to LF, the file is one row: its header, holding every line. Counted by hand:
    // 4 + 4 + 4 + 1 (the blank line) + 4 + 1 (after the last CR) fields, less the 5 that
    // each CR joins into one.
    let mut lf = clausewise::import::ImportOptions::new(Kind::Calls);
    lf.source.line_ends = Some("lf".into());
    let p = clausewise::import::preview::preview_file(&file, &lf).unwrap();
    assert_eq!(p.detected.line_ends, "lf");
    assert!(p.rows.is_empty());
    assert_eq!(p.sample.rows, 0);
    assert_eq!(p.columns.len(), 13);
    assert_eq!(p.columns[3], "agent_id\rL1");
    let out = clausewise(
        dir.path(),
        &[
            "import",
            "a.ccaudit",
            "calls",
            "mac.csv",
            "--line-ends",
            "lf",
            "--replace",
            "--json",
        ],
    );
    assert_eq!(status(&out), 0, "{}", stderr(&out));
    assert_eq!(stdout_json(&out)["rows_read"], 0);

    // Forced to CR LF, the first lone CR (the end of line 1) is refused, naming the line.
    let out = clausewise(
        dir.path(),
        &[
            "import",
            "a.ccaudit",
            "calls",
            "mac.csv",
            "--line-ends",
            "crlf",
            "--replace",
        ],
    );
    assert_eq!(status(&out), 2);
    assert!(
        stderr(&out).contains("mac.csv: line 1: a CR without LF after it"),
        "{}",
        stderr(&out)
    );
    let out = clausewise(
        dir.path(),
        &[
            "import",
            "a.ccaudit",
            "calls",
            "mac.csv",
            "--line-ends",
            "unix",
        ],
    );
    assert_eq!(status(&out), 2);
    assert!(
        stderr(&out).contains("line ends 'unix'"),
        "{}",
        stderr(&out)
    );

    // Rows ended by CR with an unquoted LF inside L2's agent field.
    let text = "call_id,started_at,outcome,agent_id\r\
                L1,2026-10-01T10:00:00+03:00,answered,A1\r\
                L2,2026-10-01T10:05:00+03:00,answered,Desk\nNorth\r\
                L3,2026-10-01T10:09:00+03:00,abandoned,\r";
    let file = write(dir.path(), "desk.csv", text);
    // Read with every line end: the LF ends L2's row early, and "North" (line 4) is a row of
    // one field.
    let auto = import_into(&audit, Kind::Calls, &file, |_| {}).unwrap();
    assert_eq!(
        (auto.rows_read, auto.accepted, auto.rejected),
        (4, 3, 1),
        "{:?}",
        auto.errors
    );
    assert_eq!(auto.errors[0].line, 4);
    assert_eq!(auto.errors[0].reason, "expected 4 fields, found 1");
    // Read with CR line ends only, the LF is part of the field.
    let cr = import_into(&audit, Kind::Calls, &file, |o| {
        o.source.line_ends = Some("cr".into());
        o.replace = true;
    })
    .unwrap();
    assert_eq!((cr.rows_read, cr.accepted, cr.rejected), (3, 3, 0));
    assert_eq!(
        contacts_of(&audit, cr.import_id),
        [
            (2, "L1".to_string(), Some("A1".to_string())),
            (3, "L2".to_string(), Some("Desk\nNorth".to_string())),
            (4, "L3".to_string(), None),
        ]
    );
    // The same with CR LF row ends, forced to CR LF.
    let file = write(dir.path(), "desk-crlf.csv", &text.replace('\r', "\r\n"));
    let crlf = import_into(&audit, Kind::Calls, &file, |o| {
        o.source.line_ends = Some("crlf".into());
    })
    .unwrap();
    assert_eq!((crlf.rows_read, crlf.accepted, crlf.rejected), (3, 3, 0));
    assert_eq!(crlf.detected.line_ends, "crlf");
    assert_eq!(
        contacts_of(&audit, crlf.import_id),
        [
            (2, "L1".to_string(), Some("A1".to_string())),
            (3, "L2".to_string(), Some("Desk\nNorth".to_string())),
            (4, "L3".to_string(), None),
        ]
    );
}
