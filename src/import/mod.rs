//! Importing call and complaint exports into an audit (spec/records.md). One import is one
//! transaction: the records, the rejected rows and the import's log entry are written together
//! or not at all, so a cancel, a crash or a kill leaves the audit file as it was.

pub mod asterisk;
pub mod layout;
pub mod log;
pub mod mapping;
pub mod presets;
pub mod preview;
pub mod progress;
pub mod queue_log;
pub mod record;
pub mod source;

use std::path::{Path, PathBuf};
use std::time::Instant;

use chrono::{DateTime, FixedOffset, SecondsFormat, Utc};
use csv::ByteRecord;
use hmac::{Hmac, Mac};
use rusqlite::{params, OptionalExtension, Statement, Transaction};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use ts_rs::TS;

use crate::audit::Audit;
use crate::error::{Error, Result};
use layout::{Layout, Row, Sink};
use mapping::{MappingFile, MappingLayout};
pub use record::Kind;
use record::{Complaint, Contact};
use source::{Detected, Source, SourceOptions};

/// How many row errors a report carries (all of them are stored in the audit file).
pub const REPORT_ERRORS: usize = 1000;

/// What the user asks of an import.
#[derive(Debug, Clone, Deserialize, TS)]
#[ts(export)]
pub struct ImportOptions {
    pub kind: Kind,
    /// A built-in preset by name; detected from the file when neither it nor `mapping` is given.
    pub preset: Option<String>,
    /// A mapping TOML file.
    #[ts(type = "string | null")]
    pub mapping: Option<PathBuf>,
    /// A mapping as TOML text (built in the app), instead of a file.
    pub mapping_toml: Option<String>,
    /// Whether the first row is a header: `false` names the columns `column 1`, `column 2`, …
    /// for the mapping and reads the first row as data. Default: the mapping's `header`, else yes.
    pub header: Option<bool>,
    /// Import a file again that was imported before (the earlier import is replaced).
    pub replace: bool,
    pub source: SourceOptions,
    /// Offset of timestamps written without one (`+03:00`); default: the preset's, else UTC.
    pub utc_offset: Option<String>,
}

impl ImportOptions {
    pub fn new(kind: Kind) -> ImportOptions {
        ImportOptions {
            kind,
            preset: None,
            mapping: None,
            mapping_toml: None,
            header: None,
            replace: false,
            source: SourceOptions::default(),
            utc_offset: None,
        }
    }

    /// The mapping asked for (a file or TOML text), parsed and checked against the kind, with
    /// its text (kept in the import log).
    pub(crate) fn load_mapping(&self) -> Result<Option<(MappingFile, String)>> {
        let (text, name) = match (&self.mapping, &self.mapping_toml) {
            (Some(_), Some(_)) => {
                return Err(Error::Invalid(
                    "give a mapping file or a mapping text, not both".into(),
                ))
            }
            (Some(m), None) => (
                std::fs::read_to_string(m).map_err(|e| Error::io(m, e))?,
                m.display().to_string(),
            ),
            (None, Some(text)) => (text.clone(), "the mapping".to_string()),
            (None, None) => return Ok(None),
        };
        let parsed = MappingFile::parse(&text, &name)?;
        if parsed.mapping.kind != self.kind {
            return Err(Error::Invalid(format!(
                "{name}: the mapping is for {}, not {}",
                parsed.mapping.kind.as_str(),
                self.kind.as_str()
            )));
        }
        Ok(Some((parsed, text)))
    }
}

/// A rejected row: where and why.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct RowError {
    #[ts(type = "number")]
    pub line: u64,
    pub column: String,
    pub reason: String,
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ImportReport {
    #[ts(type = "number")]
    pub import_id: i64,
    pub kind: Kind,
    pub file: String,
    pub sha256: String,
    pub preset: String,
    #[ts(type = "number")]
    pub rows_read: u64,
    #[ts(type = "number")]
    pub accepted: u64,
    #[ts(type = "number")]
    pub rejected: u64,
    #[ts(type = "number")]
    pub skipped: u64,
    /// Canonical records stored (differs from `accepted` where rows fold into one record); for
    /// a QA sheet, the sampled contacts that received evaluations.
    #[ts(type = "number")]
    pub records: u64,
    /// `records`, or `qa` for a filled-in QA listening sheet whose evaluations were attached
    /// to the sampled contacts.
    pub role: String,
    /// The first [`REPORT_ERRORS`] row errors.
    pub errors: Vec<RowError>,
    #[ts(type = "number")]
    pub errors_total: u64,
    pub detected: Detected,
    #[ts(type = "number")]
    pub duration_ms: u64,
}

/// Progress of a running import.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Progress {
    #[ts(type = "number")]
    pub rows: u64,
    #[ts(type = "number")]
    pub bytes: u64,
    #[ts(type = "number")]
    pub total_bytes: u64,
}

/// How often (in rows) progress is reported and cancellation checked.
const PROGRESS_EVERY: u64 = 8192;

/// Imports `path` into `audit`. `progress` is called every few thousand rows; returning
/// `false` cancels the import, which then leaves the audit file unchanged.
pub fn import_file(
    audit: &mut Audit,
    path: &Path,
    options: &ImportOptions,
    progress: &mut dyn FnMut(&Progress) -> bool,
) -> Result<ImportReport> {
    let started = Instant::now();
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    let mapping = options.load_mapping()?;
    let mut source_options = options.source.clone();
    if let Some((m, _)) = &mapping {
        source_options.encoding = source_options.encoding.or(m.mapping.encoding.clone());
        source_options.delimiter = source_options.delimiter.or(m.mapping.delimiter.clone());
    }
    let mut source = Source::open(path, &source_options)?;
    let mut first = ByteRecord::new();
    let has_rows = source
        .reader
        .read_byte_record(&mut first)
        .map_err(|e| csv_error(path, e))?;
    if !has_rows {
        return Err(Error::Invalid(format!(
            "{}: the file has no rows",
            path.display()
        )));
    }
    let header: Vec<String> = first
        .iter()
        .map(|f| {
            source
                .decoder
                .decode(f)
                .map(|t| t.trim().to_string())
                .unwrap_or_default()
        })
        .collect();
    let first_line = first.position().map_or(1, |p| source.lines.first_line(p));
    let first_row = Row {
        line: first_line,
        fields: &first,
        decoder: source.decoder,
        header: None,
    };
    let offset = mapping::offset(options.utc_offset.as_deref())
        .map_err(|e| Error::Invalid(format!("{}: {e}", path.display())))?;
    let chosen = choose_layout(
        path,
        options,
        mapping.as_ref().map(|(m, _)| m),
        &header,
        &first_row,
        offset,
    )?;
    let mut layout = chosen.layout;

    let key: Vec<u8> = audit
        .conn()
        .query_row("SELECT pseudonym_key FROM secret WHERE id = 1", [], |r| {
            r.get(0)
        })
        .map_err(|e| Error::db(audit.path(), e))?;
    let audit_path = audit.path().to_path_buf();
    let db = |e: rusqlite::Error| Error::db(&audit_path, e);
    let tx = audit.conn_mut().transaction().map_err(db)?;
    tx.execute(
        "INSERT INTO import (kind, file_name, file_size, sha256, preset, mapping, encoding,
             delimiter, line_ends, utc_offset, header, imported_at)
         VALUES (?1, ?2, ?3, '', ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        params![
            options.kind.as_str(),
            file_name,
            source.size as i64,
            chosen.name,
            mapping.as_ref().map(|(_, text)| text.as_str()),
            source.detected.encoding,
            source.detected.delimiter,
            source.detected.line_ends,
            chosen.utc_offset.to_string(),
            // A headerless file's first row is data (caller numbers and all), not a header.
            layout
                .has_header()
                .then(|| serde_json::to_string(&header).expect("strings serialise")),
            Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true),
        ],
    )
    .map_err(db)?;
    let import_id = tx.last_insert_rowid();

    let mut sink = Store::new(&tx, import_id, key).map_err(db)?;
    sink.private = layout.private_columns();
    let header_for_rows = if layout.has_header() {
        Some(header.as_slice())
    } else {
        None
    };
    let mut rows_read = 0u64;
    if !layout.has_header() {
        rows_read += 1;
        layout.row(&first_row, &mut sink);
        sink.flush_row(first_line, &first, source.decoder)
            .map_err(db)?;
    }
    let mut record = ByteRecord::new();
    loop {
        match source.reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => return Err(csv_error(path, e)),
        }
        rows_read += 1;
        let line = record.position().map_or(0, |p| source.lines.first_line(p));
        let row = Row {
            line,
            fields: &record,
            decoder: source.decoder,
            header: header_for_rows,
        };
        if header_for_rows.is_some() && record.len() != header.len() {
            sink.reject(
                line,
                &format!("column {}", record.len().min(header.len()) + 1),
                format!("expected {} fields, found {}", header.len(), record.len()),
            );
        } else {
            layout.row(&row, &mut sink);
        }
        sink.flush_row(line, &record, source.decoder).map_err(db)?;
        if rows_read.is_multiple_of(PROGRESS_EVERY) {
            let p = Progress {
                rows: rows_read,
                bytes: source.meter.bytes(),
                total_bytes: source.size,
            };
            if !progress(&p) {
                return Err(Error::Cancelled);
            }
        }
    }
    layout.finish(&mut sink);
    sink.flush_row(0, &record, source.decoder).map_err(db)?;
    if let Some(e) = sink.failure.take() {
        return Err(db(e));
    }
    sink.tally.write(&tx, import_id).map_err(db)?;
    let mut records = sink.records;
    let skipped = sink.skipped;
    let first_errors = std::mem::take(&mut sink.report_errors);
    drop(sink);
    // A filled-in QA listening sheet: its evaluations go to the sampled contacts.
    let mut role = "records";
    if options.kind == Kind::Calls {
        if let Some(evaluated) = crate::sampling::attach_qa(&tx, import_id).map_err(db)? {
            records = evaluated;
            role = "qa";
        }
    }

    let sha256 = source.meter.sha256();
    // The same file imported before: refused, or replaced (its records go with it).
    let same = params![options.kind.as_str(), sha256, import_id];
    let earlier: Option<(i64, String)> = tx
        .query_row(
            "SELECT id, imported_at FROM import WHERE kind = ?1 AND sha256 = ?2 AND id <> ?3
             ORDER BY id LIMIT 1",
            same,
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()
        .map_err(db)?;
    if let Some((id, when)) = earlier {
        if !options.replace {
            return Err(Error::AlreadyImported {
                path: path.to_path_buf(),
                id,
                when,
            });
        }
        tx.execute(
            "DELETE FROM import WHERE kind = ?1 AND sha256 = ?2 AND id <> ?3",
            same,
        )
        .map_err(db)?;
    }
    let (rejected, errors_total): (i64, i64) = tx
        .query_row(
            "SELECT count(DISTINCT line), count(*) FROM import_error WHERE import_id = ?1",
            [import_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .map_err(db)?;
    let rejected = rejected as u64;
    let accepted = rows_read.saturating_sub(rejected + skipped);
    let duration_ms = started.elapsed().as_millis() as u64;
    tx.execute(
        "UPDATE import SET sha256 = ?2, rows_read = ?3, accepted = ?4, rejected = ?5,
             skipped = ?6, records = ?7, duration_ms = ?8 WHERE id = ?1",
        params![
            import_id,
            sha256,
            rows_read as i64,
            accepted as i64,
            rejected as i64,
            skipped as i64,
            records as i64,
            duration_ms as i64
        ],
    )
    .map_err(db)?;
    tx.commit().map_err(db)?;
    Ok(ImportReport {
        import_id,
        kind: options.kind,
        file: path.display().to_string(),
        sha256,
        preset: chosen.name,
        rows_read,
        accepted,
        rejected,
        skipped,
        records,
        role: role.to_string(),
        errors: first_errors,
        errors_total: errors_total as u64,
        detected: source.detected,
        duration_ms,
    })
}

pub(crate) fn csv_error(path: &Path, e: csv::Error) -> Error {
    let at = e
        .position()
        .map(|p| format!("line {}: ", p.line()))
        .unwrap_or_default();
    Error::Invalid(format!("{}: {at}{e}", path.display()))
}

pub(crate) struct Chosen {
    pub(crate) name: String,
    pub(crate) layout: Box<dyn Layout>,
    /// The offset of times written without one: the user's, else the preset's, else UTC.
    pub(crate) utc_offset: FixedOffset,
}

pub(crate) fn choose_layout(
    path: &Path,
    options: &ImportOptions,
    mapping: Option<&MappingFile>,
    header: &[String],
    first: &Row<'_>,
    offset: FixedOffset,
) -> Result<Chosen> {
    let utc = options.utc_offset.as_deref();
    let bad = |reason: String| Error::Invalid(format!("{}: {reason}", path.display()));
    let from_mapping = |m: &MappingFile, name: String| -> Result<Chosen> {
        let has_header = options.header.or(m.mapping.header).unwrap_or(true);
        let numbered: Vec<String>;
        let columns = if has_header {
            header
        } else {
            numbered = (1..=header.len()).map(|i| format!("column {i}")).collect();
            &numbered
        };
        let layout = MappingLayout::new(m, columns, utc)
            .map_err(|e| bad(format!("{e} (preset or mapping '{}')", m.mapping.name)))?
            .with_header(has_header);
        Ok(Chosen {
            name,
            layout: Box::new(layout),
            utc_offset: mapping::offset(utc.or(m.mapping.utc_offset.as_deref())).map_err(bad)?,
        })
    };
    if let Some(m) = mapping {
        let name = match &options.mapping {
            Some(p) => format!(
                "mapping:{}",
                p.file_name()
                    .map(|n| n.to_string_lossy())
                    .unwrap_or_default()
            ),
            None => format!("mapping:{}", m.mapping.name),
        };
        return from_mapping(m, name);
    }
    let builtin = presets::mappings();
    let folding = presets::folding();
    // A built-in preset by name, for this kind of records.
    let by_name = |name: &str| -> Option<Result<Chosen>> {
        let (kind, chosen) = match builtin.iter().find(|m| m.mapping.name == name) {
            Some(m) => (m.mapping.kind, from_mapping(m, name.to_string())),
            None => {
                let f = folding.iter().find(|f| f.name == name)?;
                let layout = (f.make)(offset);
                (
                    Kind::Calls,
                    Ok(Chosen {
                        name: name.to_string(),
                        layout,
                        utc_offset: offset,
                    }),
                )
            }
        };
        Some(if kind == options.kind {
            chosen
        } else {
            Err(bad(format!(
                "preset '{name}' reads {}, not {}",
                kind.as_str(),
                options.kind.as_str()
            )))
        })
    };
    if let Some(name) = &options.preset {
        return by_name(name).unwrap_or_else(|| {
            let names: Vec<String> = presets::list().into_iter().map(|p| p.name).collect();
            Err(bad(format!(
                "no preset '{name}'; the presets are {}",
                names.join(", ")
            )))
        });
    }
    let mut candidates: Vec<(usize, &str)> = builtin
        .iter()
        .filter(|m| m.mapping.kind == options.kind && m.matches_header(header))
        .map(|m| (m.mapping.detect.len(), m.mapping.name.as_str()))
        .collect();
    if options.kind == Kind::Calls {
        candidates.extend(
            folding
                .iter()
                .filter(|f| (f.looks_like)(first))
                .map(|f| (usize::MAX, f.name)),
        );
    }
    candidates.sort_by(|a, b| b.cmp(a));
    match candidates.as_slice() {
        [] => Err(bad(format!(
            "no {} preset recognises this layout (first row: {}); choose a preset or give a mapping file",
            options.kind.as_str(),
            header.iter().take(12).cloned().collect::<Vec<_>>().join(", ")
        ))),
        [(a, _), (b, _), ..] if a == b => Err(bad(format!(
            "several presets fit this file ({}); choose one",
            candidates.iter().map(|c| c.1).collect::<Vec<_>>().join(", ")
        ))),
        [(_, name), ..] => by_name(name).expect("a listed preset"),
    }
}

/// Writes what a layout delivers into the open transaction.
struct Store<'t> {
    conn: &'t rusqlite::Connection,
    import_id: i64,
    mac: Hmac<Sha256>,
    contact: Statement<'t>,
    qa: Statement<'t>,
    complaint: Statement<'t>,
    error: Statement<'t>,
    /// Errors of rows not yet flushed: (line, column, reason).
    pending: Vec<RowError>,
    report_errors: Vec<RowError>,
    records: u64,
    skipped: u64,
    failure: Option<rusqlite::Error>,
    /// Columns of customer identifiers, pseudonymised in the stored copy of a rejected row.
    private: Vec<usize>,
    /// Tallies of the contacts stored (see `crate::tally`).
    tally: crate::tally::ContactTally,
}

impl<'t> Store<'t> {
    fn new(tx: &'t Transaction<'_>, import_id: i64, key: Vec<u8>) -> rusqlite::Result<Store<'t>> {
        Ok(Store {
            conn: tx,
            import_id,
            mac: Hmac::<Sha256>::new_from_slice(&key).expect("HMAC takes any key length"),
            contact: tx.prepare(
                "INSERT INTO contact (import_id, line, call_id, started_at, utc_offset, channel,
                     direction, queue, ivr_seconds, queue_seconds, outcome, callback_offered,
                     callback_requested, talk_seconds, hold_seconds, agent_id, transferred,
                     escalated, survey_score, customer_ref, complaint_ref, consent, opted_out_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,
                         ?17, ?18, ?19, ?20, ?21, ?22, ?23)
                 ON CONFLICT (import_id, call_id) DO NOTHING",
            )?,
            qa: tx.prepare(
                "INSERT OR REPLACE INTO contact_qa (contact_id, name, passed) VALUES (?1, ?2, ?3)",
            )?,
            complaint: tx.prepare(
                "INSERT INTO complaint (import_id, line, complaint_id, received_at, utc_offset,
                     channel, category, acknowledged_at, reference_given, eta_given, resolved_at,
                     outcome, escalated, satisfied)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)
                 ON CONFLICT (import_id, complaint_id) DO NOTHING",
            )?,
            error: tx.prepare(
                "INSERT INTO import_error (import_id, line, \"column\", reason, raw)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?,
            pending: Vec::new(),
            report_errors: Vec::new(),
            records: 0,
            skipped: 0,
            failure: None,
            private: Vec::new(),
            tally: Default::default(),
        })
    }

    /// A keyed pseudonym of a customer identifier: the identifier itself never reaches disk.
    fn pseudonym(&self, value: &str) -> String {
        let mut mac = self.mac.clone();
        mac.update(value.as_bytes());
        let tag = mac.finalize().into_bytes();
        format!("p:{}", crate::text::hex(&tag[..12]))
    }

    /// Writes the errors of the row just handled, with the row's text when it is that row's.
    fn flush_row(
        &mut self,
        line: u64,
        record: &ByteRecord,
        decoder: source::FieldDecoder,
    ) -> rusqlite::Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let raw = if self.pending.iter().any(|e| e.line == line) {
            let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
            let fields: Vec<String> = record
                .iter()
                .enumerate()
                .map(|(i, f)| {
                    let text = match decoder.decode(f) {
                        Ok(t) => t.into_owned(),
                        Err(_) => String::from_utf8_lossy(f).into_owned(),
                    };
                    if self.private.contains(&i) && !text.trim().is_empty() {
                        self.pseudonym(text.trim())
                    } else {
                        text
                    }
                })
                .collect();
            w.write_record(&fields).ok();
            w.into_inner()
                .ok()
                .and_then(|b| String::from_utf8(b).ok())
                .map(|s| s.trim_end().to_string())
        } else {
            None
        };
        for e in std::mem::take(&mut self.pending) {
            let row_raw = if e.line == line { raw.as_deref() } else { None };
            self.error.execute(params![
                self.import_id,
                e.line as i64,
                e.column,
                e.reason,
                row_raw
            ])?;
            if self.report_errors.len() < REPORT_ERRORS {
                self.report_errors.push(e);
            }
        }
        Ok(())
    }

    fn keep_failure(&mut self, r: rusqlite::Result<usize>) -> Option<usize> {
        match r {
            Ok(n) => Some(n),
            Err(e) => {
                self.failure.get_or_insert(e);
                None
            }
        }
    }
}

fn secs(t: &DateTime<FixedOffset>) -> i64 {
    t.timestamp()
}

fn offset_minutes(t: &DateTime<FixedOffset>) -> i64 {
    i64::from(t.offset().local_minus_utc() / 60)
}

impl Sink for Store<'_> {
    fn contact(&mut self, line: u64, c: Contact) {
        let (started, outcome) = match c.required() {
            Ok(ok) => ok,
            Err((column, reason)) => return self.reject(line, column, reason),
        };
        let customer = c.customer_ref.as_deref().map(|v| self.pseudonym(v));
        let b = |v: Option<bool>| v.map(i64::from);
        let inserted = self.contact.execute(params![
            self.import_id,
            line as i64,
            c.call_id,
            secs(&started),
            offset_minutes(&started),
            c.channel.as_deref().unwrap_or("voice"),
            c.direction.as_deref().unwrap_or("inbound"),
            c.queue,
            c.ivr_seconds,
            c.queue_seconds,
            outcome,
            b(c.callback_offered),
            b(c.callback_requested),
            c.talk_seconds,
            c.hold_seconds,
            c.agent_id,
            b(c.transferred),
            b(c.escalated),
            c.survey_score,
            customer,
            c.complaint_ref,
            b(c.consent),
            c.opted_out_at.as_ref().map(secs),
        ]);
        match self.keep_failure(inserted) {
            Some(0) => self.reject(
                line,
                "call_id",
                format!("call_id '{}' repeats an earlier row", c.call_id),
            ),
            Some(_) => {
                self.records += 1;
                self.tally.add(&crate::tally::TallyInput {
                    channel: c.channel.as_deref().unwrap_or("voice"),
                    direction: c.direction.as_deref().unwrap_or("inbound"),
                    outcome,
                    queue_seconds: c.queue_seconds,
                    callback_offered: c.callback_offered,
                    agent_id: c.agent_id.as_deref(),
                    survey_score: c.survey_score,
                    escalated: c.escalated,
                    consent: c.consent,
                    has_customer: customer.is_some(),
                    started_at: secs(&started),
                    utc_offset_minutes: offset_minutes(&started),
                });
                if !c.qa.is_empty() {
                    let id = self.conn.last_insert_rowid();
                    for (name, passed) in &c.qa {
                        let r = self.qa.execute(params![id, name, i64::from(*passed)]);
                        self.keep_failure(r);
                    }
                }
            }
            None => {}
        }
    }

    fn complaint(&mut self, line: u64, c: Complaint) {
        let received = match c.required() {
            Ok(received) => received,
            Err((column, reason)) => return self.reject(line, column, reason),
        };
        let b = |v: Option<bool>| v.map(i64::from);
        let inserted = self.complaint.execute(params![
            self.import_id,
            line as i64,
            c.complaint_id,
            secs(&received),
            offset_minutes(&received),
            c.channel,
            c.category,
            c.acknowledged_at.as_ref().map(secs),
            b(c.reference_given),
            b(c.eta_given),
            c.resolved_at.as_ref().map(secs),
            c.outcome,
            b(c.escalated),
            b(c.satisfied),
        ]);
        match self.keep_failure(inserted) {
            Some(0) => self.reject(
                line,
                "complaint_id",
                format!("complaint_id '{}' repeats an earlier row", c.complaint_id),
            ),
            Some(_) => self.records += 1,
            None => {}
        }
    }

    fn skip(&mut self, _line: u64, _reason: &str) {
        self.skipped += 1;
    }

    fn reject(&mut self, line: u64, column: &str, reason: String) {
        self.pending.push(RowError {
            line,
            column: column.to_string(),
            reason,
        });
    }
}
