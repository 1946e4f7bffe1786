//! The import log of an audit: which files were imported (name, size, SHA-256, preset or
//! mapping, counts, time), and the rows each import rejected, page by page or as a CSV file the
//! contact centre can fix and send again.

use std::io::Write;
use std::path::Path;

use rusqlite::{params, OptionalExtension};
use serde::Serialize;
use ts_rs::TS;

use super::record::Kind;
use crate::audit::Audit;
use crate::error::{Error, Result};
use crate::text::csv_cell;

/// One import of the audit's log.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ImportEntry {
    #[ts(type = "number")]
    pub id: i64,
    pub kind: Kind,
    pub file_name: String,
    #[ts(type = "number")]
    pub file_size: u64,
    pub sha256: String,
    /// The preset, or `mapping:NAME` for a mapping.
    pub preset: String,
    pub encoding: String,
    pub delimiter: String,
    pub line_ends: String,
    pub utc_offset: String,
    #[ts(type = "number")]
    pub rows_read: u64,
    #[ts(type = "number")]
    pub accepted: u64,
    #[ts(type = "number")]
    pub rejected: u64,
    #[ts(type = "number")]
    pub skipped: u64,
    #[ts(type = "number")]
    pub records: u64,
    /// When (RFC 3339, UTC).
    pub imported_at: String,
    #[ts(type = "number")]
    pub duration_ms: u64,
}

/// One rejected row: its line, every problem found in it, and its fields as read (customer
/// identifiers pseudonymised).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct RejectedRow {
    #[ts(type = "number")]
    pub line: u64,
    pub problems: Vec<Problem>,
    /// Empty when the row's text was not kept (a record folded from several rows).
    pub fields: Vec<String>,
}

/// What is wrong with a rejected row, and where.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Problem {
    pub column: String,
    pub reason: String,
}

/// A page of an import's rejected rows, in line order.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct RejectedPage {
    #[ts(type = "number")]
    pub import_id: i64,
    /// The file's column names (empty for a file without a header).
    pub columns: Vec<String>,
    /// Rejected rows in all.
    #[ts(type = "number")]
    pub total: u64,
    #[ts(type = "number")]
    pub offset: u64,
    pub rows: Vec<RejectedRow>,
}

/// A count column (never negative) as `u64`.
fn count(r: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<u64> {
    Ok(r.get::<_, i64>(i)?.max(0) as u64)
}

/// The audit's imports, newest first.
pub fn imports(audit: &Audit) -> Result<Vec<ImportEntry>> {
    let db = |e| Error::db(audit.path(), e);
    let mut stmt = audit
        .conn()
        .prepare(
            "SELECT id, kind, file_name, file_size, sha256, preset, encoding, delimiter,
                 line_ends, utc_offset, rows_read, accepted, rejected, skipped, records,
                 imported_at, duration_ms
             FROM import ORDER BY id DESC",
        )
        .map_err(db)?;
    let rows = stmt
        .query_map([], |r| {
            let kind: String = r.get(1)?;
            Ok(ImportEntry {
                id: r.get(0)?,
                kind: Kind::parse(&kind).unwrap_or(Kind::Calls),
                file_name: r.get(2)?,
                file_size: count(r, 3)?,
                sha256: r.get(4)?,
                preset: r.get(5)?,
                encoding: r.get(6)?,
                delimiter: r.get(7)?,
                line_ends: r.get(8)?,
                utc_offset: r.get(9)?,
                rows_read: count(r, 10)?,
                accepted: count(r, 11)?,
                rejected: count(r, 12)?,
                skipped: count(r, 13)?,
                records: count(r, 14)?,
                imported_at: r.get(15)?,
                duration_ms: count(r, 16)?,
            })
        })
        .map_err(db)?;
    rows.collect::<rusqlite::Result<_>>().map_err(db)
}

/// The file's column names of import `id` (empty without a header); fails when there is no
/// such import.
fn columns(audit: &Audit, id: i64) -> Result<Vec<String>> {
    let header: Option<Option<String>> = audit
        .conn()
        .query_row("SELECT header FROM import WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .optional()
        .map_err(|e| Error::db(audit.path(), e))?;
    match header {
        None => Err(Error::Invalid(format!(
            "{}: there is no import {id}",
            audit.path().display()
        ))),
        Some(h) => Ok(h
            .and_then(|h| serde_json::from_str(&h).ok())
            .unwrap_or_default()),
    }
}

/// The fields of a stored row text (written as CSV by the import).
fn fields(raw: Option<&str>) -> Vec<String> {
    let Some(raw) = raw else {
        return Vec::new();
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(raw.as_bytes());
    reader
        .records()
        .next()
        .and_then(|r| r.ok())
        .map(|r| r.iter().map(str::to_string).collect())
        .unwrap_or_default()
}

/// Calls `each` with the rejected rows of import `id` on lines `from..=to`, in line order.
fn rows_between(
    audit: &Audit,
    id: i64,
    from: i64,
    to: i64,
    each: &mut dyn FnMut(RejectedRow) -> Result<()>,
) -> Result<()> {
    let db = |e| Error::db(audit.path(), e);
    let mut stmt = audit
        .conn()
        .prepare(
            "SELECT line, \"column\", reason, raw FROM import_error
             WHERE import_id = ?1 AND line BETWEEN ?2 AND ?3 ORDER BY line, rowid",
        )
        .map_err(db)?;
    let mut rows = stmt.query(params![id, from, to]).map_err(db)?;
    let mut current: Option<(RejectedRow, Option<String>)> = None;
    while let Some(r) = rows.next().map_err(db)? {
        let line = count(r, 0).map_err(db)?;
        let problem = Problem {
            column: r.get(1).map_err(db)?,
            reason: r.get(2).map_err(db)?,
        };
        let raw: Option<String> = r.get(3).map_err(db)?;
        match &mut current {
            Some((row, kept)) if row.line == line => {
                row.problems.push(problem);
                if kept.is_none() {
                    *kept = raw;
                }
            }
            _ => {
                if let Some((mut row, raw)) = current.take() {
                    row.fields = fields(raw.as_deref());
                    each(row)?;
                }
                current = Some((
                    RejectedRow {
                        line,
                        problems: vec![problem],
                        fields: Vec::new(),
                    },
                    raw,
                ));
            }
        }
    }
    if let Some((mut row, raw)) = current {
        row.fields = fields(raw.as_deref());
        each(row)?;
    }
    Ok(())
}

/// Rejected rows `offset..offset + limit` of import `id`, in line order.
pub fn rejected_rows(audit: &Audit, id: i64, offset: u64, limit: u64) -> Result<RejectedPage> {
    let columns = columns(audit, id)?;
    let db = |e| Error::db(audit.path(), e);
    let conn = audit.conn();
    let total: i64 = conn
        .query_row(
            "SELECT count(DISTINCT line) FROM import_error WHERE import_id = ?1",
            [id],
            |r| r.get(0),
        )
        .map_err(db)?;
    let span: Option<(i64, i64)> = conn
        .query_row(
            "SELECT min(line), max(line) FROM (SELECT DISTINCT line FROM import_error
                 WHERE import_id = ?1 ORDER BY line LIMIT ?2 OFFSET ?3)",
            params![id, limit.min(i64::MAX as u64) as i64, offset as i64],
            |r| Ok(r.get::<_, Option<i64>>(0)?.zip(r.get::<_, Option<i64>>(1)?)),
        )
        .map_err(db)?;
    let mut rows = Vec::new();
    if let Some((from, to)) = span {
        rows_between(audit, id, from, to, &mut |row| {
            rows.push(row);
            Ok(())
        })?;
    }
    Ok(RejectedPage {
        import_id: id,
        columns,
        total: total as u64,
        offset,
        rows,
    })
}

/// Writes the rejected rows of import `id` as CSV: `line`, `column`, `reason`, then the row's
/// fields under the file's column names. A row with several problems is one line, its columns
/// and reasons joined with `; `. Cells that a spreadsheet would run as a formula are prefixed
/// with `'`. Returns the number of rows written.
pub fn write_rejected_csv(audit: &Audit, id: i64, out: &mut dyn Write) -> Result<u64> {
    let mut columns = columns(audit, id)?;
    let io = |e: csv::Error| Error::Invalid(format!("writing the rejected rows: {e}"));
    // Rows longer than the header (or a file without one) get numbered columns.
    let mut widest = 0usize;
    rows_between(audit, id, i64::MIN, i64::MAX, &mut |row| {
        widest = widest.max(row.fields.len());
        Ok(())
    })?;
    for i in columns.len()..widest {
        columns.push(format!("column {}", i + 1));
    }
    let mut w = csv::WriterBuilder::new().flexible(true).from_writer(out);
    let mut header = vec!["line".to_string(), "column".into(), "reason".into()];
    header.extend(columns);
    w.write_record(header.iter().map(|h| csv_cell(h).into_owned()))
        .map_err(io)?;
    let mut written = 0u64;
    rows_between(audit, id, i64::MIN, i64::MAX, &mut |row| {
        let join = |f: &dyn Fn(&Problem) -> &str| {
            row.problems.iter().map(f).collect::<Vec<_>>().join("; ")
        };
        let mut record = vec![
            row.line.to_string(),
            join(&|p| &p.column),
            join(&|p| &p.reason),
        ];
        record.extend(row.fields.iter().cloned());
        w.write_record(record.iter().map(|c| csv_cell(c).into_owned()))
            .map_err(io)?;
        written += 1;
        Ok(())
    })?;
    w.flush()
        .map_err(|e| Error::Invalid(format!("writing the rejected rows: {e}")))?;
    Ok(written)
}

/// Writes the rejected rows of import `id` to the CSV file `path` (see
/// [`write_rejected_csv`]); a file that could not be written completely is removed.
pub fn export_rejected(audit: &Audit, id: i64, path: &Path) -> Result<u64> {
    columns(audit, id)?;
    let file = std::fs::File::create(path).map_err(|e| Error::io(path, e))?;
    let mut out = std::io::BufWriter::new(file);
    let written = write_rejected_csv(audit, id, &mut out).and_then(|n| {
        out.flush().map_err(|e| Error::io(path, e))?;
        Ok(n)
    });
    written.map_err(|e| {
        let _ = std::fs::remove_file(path);
        match e {
            Error::Invalid(m) => Error::Invalid(format!("{}: {m}", path.display())),
            e => e,
        }
    })
}
