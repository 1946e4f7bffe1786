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
pub mod store;

use std::path::{Path, PathBuf};
use std::time::Instant;

use chrono::{FixedOffset, SecondsFormat, Utc};

use csv::ByteRecord;
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::audit::Audit;
use crate::error::{Error, Result};
use layout::{Layout, Row, Sink};
use mapping::{MappingFile, MappingLayout};
pub use record::Kind;
use source::{Detected, Source, SourceOptions};
use store::{Batcher, Message, Pseudonyms, QueueOut, RawText, Summary, Writer};

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

/// A file opened for preview or import: its source (in the mapping's encoding and delimiter
/// unless the options force others), its first record, that record as header names, and the
/// line it starts on.
pub(crate) struct Opened {
    pub source: Source,
    pub first: ByteRecord,
    pub header: Vec<String>,
    pub first_line: u64,
}

/// Opens `path` and reads its first record (an error when the file has none).
pub(crate) fn open_first(
    path: &Path,
    options: &ImportOptions,
    mapping: Option<&MappingFile>,
) -> Result<Opened> {
    let mut source_options = options.source.clone();
    if let Some(m) = mapping {
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
    Ok(Opened {
        source,
        first,
        header,
        first_line,
    })
}

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
    let Opened {
        mut source,
        first,
        header,
        first_line,
    } = open_first(path, options, mapping.as_ref().map(|(m, _)| m))?;
    let first_row = Row::new(first_line, &first, source.decoder, None);
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
    let raw = RawText {
        decoder: source.decoder,
        private: layout.private_columns(),
        pseudonyms: Pseudonyms::new(&key),
    };
    let entry = ImportEntry {
        kind: options.kind,
        file_name,
        file_size: source.size,
        preset: &chosen.name,
        mapping: mapping.as_ref().map(|(_, text)| text.as_str()),
        detected: source.detected.clone(),
        utc_offset: chosen.utc_offset.to_string(),
        // A headerless file's first row is data (caller numbers and all), not a header.
        header: layout
            .has_header()
            .then(|| serde_json::to_string(&header).expect("strings serialise")),
        replace: options.replace,
        started,
    };
    let audit_path = audit.path().to_path_buf();
    let conn = audit.conn_mut();
    // Rows are read, checked and pseudonymised on this thread and written on another.
    let (queue, queued) = store::queue();
    let (read, written) = std::thread::scope(|scope| {
        let writer = scope.spawn(|| write_import(conn, &entry, raw.clone(), queued));
        let mut sink = Batcher::new(queue, raw.clone());
        let read = read_rows(
            path,
            &mut source,
            layout.as_mut(),
            &header,
            (&first, first_line),
            &mut sink,
            progress,
        );
        match read {
            Ok(rows_read) => {
                let skipped = sink.skipped;
                sink.end(Summary {
                    sha256: source.meter.sha256(),
                    rows_read,
                    skipped,
                })
            }
            // Dropping the queue before its end makes the writing thread roll back.
            Err(_) => drop(sink),
        }
        let written = writer
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (read, written)
    });
    let done = match (read, written) {
        // A failed write stops the reading too: the write's error is the cause.
        (_, Err(Failure::Db(e))) => return Err(Error::db(&audit_path, e)),
        (Err(e), _) => return Err(e),
        (Ok(_), Err(Failure::Incomplete)) => return Err(Error::Cancelled),
        (Ok(_), Err(Failure::AlreadyImported { id, when })) => {
            return Err(Error::AlreadyImported {
                path: path.to_path_buf(),
                id,
                when,
            })
        }
        (Ok(_), Ok(done)) => done,
    };
    Ok(ImportReport {
        import_id: done.import_id,
        kind: options.kind,
        file: path.display().to_string(),
        sha256: done.summary.sha256,
        preset: chosen.name,
        rows_read: done.summary.rows_read,
        accepted: done.accepted,
        rejected: done.rejected,
        skipped: done.summary.skipped,
        records: done.records,
        role: done.role.to_string(),
        errors: done.errors,
        errors_total: done.errors_total,
        detected: source.detected,
        duration_ms: done.duration_ms,
    })
}

/// Reads every data row and hands it to the layout; returns the number of rows read.
fn read_rows(
    path: &Path,
    source: &mut Source,
    layout: &mut dyn Layout,
    header: &[String],
    (first, first_line): (&ByteRecord, u64),
    sink: &mut Batcher,
    progress: &mut dyn FnMut(&Progress) -> bool,
) -> Result<u64> {
    let header_for_rows = layout.has_header().then_some(header);
    let mut rows_read = 0u64;
    if !layout.has_header() {
        rows_read += 1;
        let row = Row::new(first_line, first, source.decoder, None);
        layout.row(&row, sink);
        sink.flush_row(first_line, first);
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
        if header_for_rows.is_some() && record.len() != header.len() {
            sink.reject(
                line,
                &format!("column {}", record.len().min(header.len()) + 1),
                format!("expected {} fields, found {}", header.len(), record.len()),
            );
        } else {
            let row = Row::new(line, &record, source.decoder, header_for_rows);
            layout.row(&row, sink);
        }
        sink.flush_row(line, &record);
        if rows_read.is_multiple_of(PROGRESS_EVERY) {
            let p = Progress {
                rows: rows_read,
                bytes: source.meter.bytes(),
                total_bytes: source.size,
            };
            if sink.closed || !progress(&p) {
                // A closed queue: the writing thread failed and reports why.
                return Err(Error::Cancelled);
            }
        }
    }
    layout.finish(sink);
    sink.flush_row(0, &record);
    Ok(rows_read)
}

/// The import's entry in the audit's log of imports.
struct ImportEntry<'a> {
    kind: Kind,
    file_name: String,
    file_size: u64,
    preset: &'a str,
    mapping: Option<&'a str>,
    detected: Detected,
    utc_offset: String,
    header: Option<String>,
    replace: bool,
    started: Instant,
}

/// Why the writing thread stopped without committing.
enum Failure {
    Db(rusqlite::Error),
    AlreadyImported {
        id: i64,
        when: String,
    },
    /// The reading thread stopped before the end of the file (it reports why).
    Incomplete,
}

impl From<rusqlite::Error> for Failure {
    fn from(e: rusqlite::Error) -> Failure {
        Failure::Db(e)
    }
}

/// What the committed import holds.
struct Done {
    import_id: i64,
    summary: Summary,
    accepted: u64,
    rejected: u64,
    records: u64,
    /// `records`, or `qa` for a filled-in QA listening sheet.
    role: &'static str,
    errors: Vec<RowError>,
    errors_total: u64,
    duration_ms: u64,
}

/// The writing thread: one transaction holding the import's entry, its records and its row
/// errors, committed once the reading thread has read the whole file.
///
/// SQLite does not enforce foreign keys in this transaction: every row it writes refers to
/// the import's entry, written first, or to a record just stored, and the deletions it makes
/// (an earlier import of the same file, the records of a QA sheet) go through
/// [`crate::db::delete_cascading`], which deletes what enforcement would. Enforced, foreign keys
/// cost a lookup of the import's entry for every record, and make each multi-row INSERT keep
/// a journal of the pages it changes to undo itself; the INSERTs are `OR FAIL`, which needs
/// none (a failed statement fails the whole import, whose transaction is rolled back). The
/// statement journals that other statements keep are kept in memory: on disk, they would be
/// written again for every statement.
fn write_import(
    conn: &mut rusqlite::Connection,
    entry: &ImportEntry<'_>,
    raw: RawText,
    queued: QueueOut,
) -> std::result::Result<Done, Failure> {
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    conn.pragma_update(None, "foreign_keys", false)?;
    let done = write_transaction(conn, entry, raw, &queued);
    // Back to the connection's settings once the transaction is over (committed, or rolled
    // back when it was dropped). Enforcing foreign keys again cannot fail outside a
    // transaction; if it did, the connection must not be used as if it did.
    let enforced = conn
        .pragma_update(None, "foreign_keys", true)
        .and_then(|_| conn.pragma_query_value(None, "foreign_keys", |r| r.get::<_, bool>(0)));
    let _ = conn.pragma_update(None, "temp_store", "DEFAULT");
    match enforced {
        Ok(true) => done,
        Ok(false) => Err(Failure::Db(rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_INTERNAL),
            Some("foreign keys could not be enforced again after the import".into()),
        ))),
        Err(e) => Err(Failure::Db(e)),
    }
}

fn write_transaction(
    conn: &mut rusqlite::Connection,
    entry: &ImportEntry<'_>,
    raw: RawText,
    queued: &QueueOut,
) -> std::result::Result<Done, Failure> {
    let tx = conn.transaction()?;
    tx.execute(
        "INSERT INTO import (kind, file_name, file_size, sha256, preset, mapping, encoding,
             delimiter, line_ends, utc_offset, header, imported_at)
         VALUES (?1, ?2, ?3, '', ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        params![
            entry.kind.as_str(),
            entry.file_name,
            entry.file_size as i64,
            entry.preset,
            entry.mapping,
            entry.detected.encoding,
            entry.detected.delimiter,
            entry.detected.line_ends,
            entry.utc_offset,
            entry.header,
            Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true),
        ],
    )?;
    let import_id = tx.last_insert_rowid();
    let mut writer = Writer::new(&tx, import_id, raw)?;
    let summary = loop {
        match queued.recv() {
            Some(Message::Batch(batch)) => {
                let bytes = batch.bytes();
                let emptied = writer.write(batch)?;
                queued.written(emptied, bytes);
            }
            Some(Message::End(summary)) => break summary,
            // Dropping the transaction rolls it back.
            None => return Err(Failure::Incomplete),
        }
    };
    writer.tally.write(&tx, import_id)?;
    let mut records = writer.records;
    let qa_rows = writer.qa_rows;
    drop(writer);
    // A filled-in QA listening sheet: its evaluations go to the sampled contacts. Only an
    // import that stored evaluations can be one (the check reads every contact it stored).
    let mut role = "records";
    if entry.kind == Kind::Calls && qa_rows {
        if let Some(evaluated) = crate::sampling::attach_qa(&tx, import_id)? {
            records = evaluated;
            role = "qa";
        }
    }

    // The same file imported before: refused, or replaced (its records go with it).
    let same = params![entry.kind.as_str(), summary.sha256, import_id];
    let earlier: Option<(i64, String)> = tx
        .query_row(
            "SELECT id, imported_at FROM import WHERE kind = ?1 AND sha256 = ?2 AND id <> ?3
             ORDER BY id LIMIT 1",
            same,
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    if let Some((id, when)) = earlier {
        if !entry.replace {
            return Err(Failure::AlreadyImported { id, when });
        }
        let ids: Vec<i64> = tx
            .prepare("SELECT id FROM import WHERE kind = ?1 AND sha256 = ?2 AND id <> ?3")?
            .query_map(same, |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        for id in ids {
            crate::db::delete_cascading(&tx, "import", "id = ?1", id)?;
        }
    }
    let (rejected, errors_total): (i64, i64) = tx.query_row(
        "SELECT count(DISTINCT line), count(*) FROM import_error WHERE import_id = ?1",
        [import_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let errors: Vec<RowError> = tx
        .prepare(
            "SELECT line, \"column\", reason FROM import_error WHERE import_id = ?1
             ORDER BY line, rowid LIMIT ?2",
        )?
        .query_map(params![import_id, REPORT_ERRORS as i64], |r| {
            Ok(RowError {
                line: r.get::<_, i64>(0)? as u64,
                column: r.get(1)?,
                reason: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let rejected = rejected as u64;
    let accepted = summary.rows_read.saturating_sub(rejected + summary.skipped);
    let duration_ms = entry.started.elapsed().as_millis() as u64;
    tx.execute(
        "UPDATE import SET sha256 = ?2, rows_read = ?3, accepted = ?4, rejected = ?5,
             skipped = ?6, records = ?7, duration_ms = ?8 WHERE id = ?1",
        params![
            import_id,
            summary.sha256,
            summary.rows_read as i64,
            accepted as i64,
            rejected as i64,
            summary.skipped as i64,
            records as i64,
            duration_ms as i64
        ],
    )?;
    tx.commit()?;
    Ok(Done {
        import_id,
        summary,
        accepted,
        rejected,
        records,
        errors,
        role,
        errors_total: errors_total as u64,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::NewAudit;
    use crate::checklist::Checklist;

    fn foreign_keys(audit: &Audit) -> bool {
        audit
            .conn()
            .pragma_query_value(None, "foreign_keys", |r| r.get(0))
            .unwrap()
    }

    /// The import's transaction runs without foreign keys; the connection enforces them again
    /// afterwards, whether the import was stored or refused.
    #[test]
    fn foreign_keys_are_enforced_again_after_an_import() {
        let dir = tempfile::tempdir().unwrap();
        let mut audit = Audit::create(
            &dir.path().join("a.ccaudit"),
            &NewAudit::named("Acme"),
            &Checklist::resolve(None).unwrap(),
        )
        .unwrap();
        let file = dir.path().join("calls.csv");
        std::fs::write(
            &file,
            "call_id,started_at,outcome\nC1,2024-03-01T09:00:00+03:00,answered\n",
        )
        .unwrap();
        let options = ImportOptions::new(Kind::Calls);
        assert!(foreign_keys(&audit));
        let report = import_file(&mut audit, &file, &options, &mut |_| true).unwrap();
        assert_eq!(report.accepted, 1);
        assert!(foreign_keys(&audit));
        let refused = import_file(&mut audit, &file, &options, &mut |_| true);
        assert!(matches!(refused, Err(Error::AlreadyImported { .. })));
        assert!(foreign_keys(&audit));
        // Enforced: a contact of no import is refused.
        let orphan = audit.conn().execute(
            "INSERT INTO contact (import_id, line, call_id, started_at, utc_offset, channel,
                 direction, outcome)
             VALUES (99, 2, 'X', 0, 0, 'voice', 'inbound', 'answered')",
            [],
        );
        assert!(orphan.is_err());
    }
}
