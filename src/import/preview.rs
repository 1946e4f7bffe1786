//! Looking at a file before importing it: what was detected (encoding, delimiter, line ends,
//! header), which preset or mapping an import with the same options would use and which
//! presets fit, and the first rows both as written and as the canonical records (or row
//! errors) they become. Nothing is written anywhere: the audit file is not even opened.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use csv::ByteRecord;
use serde::Serialize;
use ts_rs::TS;

use super::layout::{Row, Sink};
use super::presets::{self, PresetInfo};
use super::record::{Complaint, Contact, FieldType, Kind};
use super::source::{Detected, FieldDecoder};
use super::{choose_layout, csv_error, mapping, open_first, ImportOptions, Opened, RowError};
use crate::error::Result;

/// How many rows a preview shows.
pub const PREVIEW_ROWS: usize = 20;
/// How many rows a preview runs through the layout (so that rows folded into one record, and
/// repeated ids, are seen as an import would see them), and counts in its sample figures.
pub const SAMPLE_ROWS: usize = 1000;

/// What a preview found.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Preview {
    /// The file's path as given.
    pub file: String,
    pub file_name: String,
    #[ts(type = "number")]
    pub size: u64,
    pub kind: Kind,
    pub detected: Detected,
    /// Whether the layout reads the first row as the header.
    pub has_header: bool,
    /// The names the layout reads columns by: the header, or `column 1`, `column 2`, … when
    /// the file has none.
    pub columns: Vec<String>,
    /// The preset or mapping an import with these options would use; `None` when none fits,
    /// and then `problem` says why.
    pub layout: Option<String>,
    pub problem: Option<String>,
    /// The built-in presets of this kind whose signature the file has.
    pub matching: Vec<String>,
    /// Every built-in preset for this kind of records.
    pub presets: Vec<PresetInfo>,
    /// Offset of times written without one, as the import would read them.
    pub utc_offset: String,
    /// The canonical fields of this kind of records, for showing records and building a
    /// mapping.
    pub fields: Vec<FieldInfo>,
    /// The first [`PREVIEW_ROWS`] data rows.
    pub rows: Vec<PreviewRow>,
    /// What became of the first [`SAMPLE_ROWS`] data rows (`sample.rows` of them).
    pub sample: SampleCounts,
    /// Whether the file has more data rows than the sample.
    pub more: bool,
}

/// One data row of a preview.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct PreviewRow {
    #[ts(type = "number")]
    pub line: u64,
    /// The fields as written (decoded; undecodable bytes replaced).
    pub fields: Vec<String>,
    /// What the import would make of it; `None` when no layout fits the file.
    pub result: Option<RowResult>,
}

/// What an import would make of one row.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(tag = "status", rename_all = "snake_case")]
#[ts(export)]
pub enum RowResult {
    /// The row is a record (for folded layouts: the first row of the record).
    Record { values: Vec<FieldValue> },
    /// The row is deliberately not a record.
    Skipped { reason: String },
    /// The row would be rejected.
    Rejected { errors: Vec<RowError> },
    /// The row is part of a record that starts on another line.
    Folded,
}

/// A canonical field's value as it would be stored (customer identifiers are pseudonymised).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct FieldValue {
    pub field: String,
    pub value: String,
}

/// Counts over the rows a preview ran through the layout.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, TS)]
#[ts(export)]
pub struct SampleCounts {
    #[ts(type = "number")]
    pub rows: u64,
    #[ts(type = "number")]
    pub records: u64,
    #[ts(type = "number")]
    pub rejected: u64,
    #[ts(type = "number")]
    pub skipped: u64,
}

/// A canonical field: its name, type and allowed values.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct FieldInfo {
    pub name: String,
    /// `text`, `enum`, `bool`, `seconds`, `score` or `timestamp`.
    pub ty: String,
    /// The values of an `enum` field.
    pub values: Vec<String>,
    /// A record without it is rejected.
    pub required: bool,
}

/// The fields a record must have (spec/records.md).
const REQUIRED: &[&str] = &[
    "call_id",
    "started_at",
    "outcome",
    "complaint_id",
    "received_at",
];

/// The canonical fields of `kind`, in spec order.
pub fn fields(kind: Kind) -> Vec<FieldInfo> {
    kind.fields()
        .iter()
        .map(|(name, ty)| {
            let (ty, values) = match ty {
                FieldType::Text => ("text", Vec::new()),
                FieldType::Enum(v) => ("enum", v.iter().map(|s| s.to_string()).collect()),
                FieldType::Bool => ("bool", Vec::new()),
                FieldType::Seconds => ("seconds", Vec::new()),
                FieldType::Score => ("score", Vec::new()),
                FieldType::Timestamp => ("timestamp", Vec::new()),
            };
            FieldInfo {
                name: name.to_string(),
                ty: ty.to_string(),
                values,
                required: REQUIRED.contains(name),
            }
        })
        .collect()
}

/// Previews the import of `path` with `options` (see [`Preview`]). Fails only when the file
/// cannot be read as records at all; a layout that does not fit is reported in `problem`.
pub fn preview_file(path: &Path, options: &ImportOptions) -> Result<Preview> {
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    let mut problem: Option<String> = None;
    let mapping = options.load_mapping().unwrap_or_else(|e| {
        problem = Some(e.to_string());
        None
    });
    let Opened {
        mut source,
        first,
        header,
        first_line,
    } = open_first(path, options, mapping.as_ref().map(|(m, _)| m))?;
    let decoder = source.decoder;
    let first_row = Row::new(first_line, &first, decoder, None);

    let builtin = presets::mappings();
    let mut matching: Vec<String> = builtin
        .iter()
        .filter(|m| m.mapping.kind == options.kind && m.matches_header(&header))
        .map(|m| m.mapping.name.clone())
        .collect();
    if options.kind == Kind::Calls {
        matching.extend(
            presets::folding()
                .iter()
                .filter(|f| (f.looks_like)(&first_row))
                .map(|f| f.name.to_string()),
        );
    }

    let offset = match mapping::offset(options.utc_offset.as_deref()) {
        Ok(o) => Some(o),
        Err(e) => {
            problem.get_or_insert(format!("{}: {e}", path.display()));
            None
        }
    };
    let chosen = match (offset, &problem) {
        (Some(offset), None) => match choose_layout(
            path,
            options,
            mapping.as_ref().map(|(m, _)| m),
            &header,
            &first_row,
            offset,
        ) {
            Ok(c) => Some(c),
            Err(e) => {
                problem = Some(e.to_string());
                None
            }
        },
        _ => None,
    };
    let utc_offset = match &chosen {
        Some(c) => c.utc_offset.to_string(),
        None => options
            .utc_offset
            .clone()
            .unwrap_or_else(|| "+00:00".to_string()),
    };
    let has_header = match &chosen {
        Some(c) => c.layout.has_header(),
        None => options
            .header
            .or(mapping.as_ref().and_then(|(m, _)| m.mapping.header))
            .unwrap_or(true),
    };
    let columns: Vec<String> = if has_header {
        header.clone()
    } else {
        (1..=header.len()).map(|i| format!("column {i}")).collect()
    };

    // The rows: the first few kept as text, the sample run through the layout.
    let mut sink = Collect::new(options.kind);
    let mut layout = chosen.map(|c| (c.name, c.layout));
    let mut rows: Vec<PreviewRow> = Vec::new();
    let mut sample_rows = 0u64;
    let mut handle = |record: &ByteRecord, line: u64, sink: &mut Collect| {
        if rows.len() < PREVIEW_ROWS {
            rows.push(PreviewRow {
                line,
                fields: record.iter().map(|f| text(decoder, f)).collect(),
                result: None,
            });
            sink.shown.insert(line);
        }
        let Some((_, layout)) = layout.as_mut() else {
            return;
        };
        let row = Row::new(
            line,
            record,
            decoder,
            has_header.then_some(header.as_slice()),
        );
        if has_header && record.len() != header.len() {
            sink.reject(
                line,
                &format!("column {}", record.len().min(header.len()) + 1),
                format!("expected {} fields, found {}", header.len(), record.len()),
            );
        } else {
            layout.row(&row, sink);
        }
        sink.end_row();
    };
    if !has_header {
        sample_rows += 1;
        handle(&first, first_line, &mut sink);
    }
    let mut record = ByteRecord::new();
    let mut more = false;
    loop {
        match source.reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => return Err(csv_error(path, e)),
        }
        if sample_rows as usize >= SAMPLE_ROWS {
            more = true;
            break;
        }
        let line = record.position().map_or(0, |p| source.lines.first_line(p));
        sample_rows += 1;
        handle(&record, line, &mut sink);
    }
    if let Some((_, layout)) = layout.as_mut() {
        layout.finish(&mut sink);
        sink.end_row();
    }
    let layout_name = layout.map(|(name, _)| name);
    if layout_name.is_some() {
        for row in &mut rows {
            row.result = Some(sink.result(row.line));
        }
    }
    Ok(Preview {
        file: path.display().to_string(),
        file_name,
        size: source.size,
        kind: options.kind,
        detected: source.detected.clone(),
        has_header,
        columns,
        layout: layout_name,
        problem,
        matching,
        presets: presets::list()
            .into_iter()
            .filter(|p| p.kind == options.kind)
            .collect(),
        utc_offset,
        fields: fields(options.kind),
        rows,
        sample: SampleCounts {
            rows: sample_rows,
            records: sink.records,
            rejected: sink.rejected_lines.len() as u64,
            skipped: sink.skipped,
        },
        more,
    })
}

fn text(decoder: FieldDecoder, bytes: &[u8]) -> String {
    match decoder.decode(bytes) {
        Ok(t) => t.into_owned(),
        Err(_) => String::from_utf8_lossy(bytes).into_owned(),
    }
}

/// Keeps what the layout makes of the sample, checking records as the import does before it
/// stores them (required fields, times before reception, repeated ids).
struct Collect {
    kind: Kind,
    /// The lines shown, whose outcome is kept.
    shown: HashSet<u64>,
    outcomes: BTreeMap<u64, RowResult>,
    ids: HashSet<String>,
    records: u64,
    skipped: u64,
    rejected_lines: HashSet<u64>,
    /// Errors delivered for the row being handled (a line counts once, however many).
    pending: Vec<RowError>,
}

impl Collect {
    fn new(kind: Kind) -> Collect {
        Collect {
            kind,
            shown: HashSet::new(),
            outcomes: BTreeMap::new(),
            ids: HashSet::new(),
            records: 0,
            skipped: 0,
            rejected_lines: HashSet::new(),
            pending: Vec::new(),
        }
    }

    fn end_row(&mut self) {
        for e in std::mem::take(&mut self.pending) {
            self.rejected_lines.insert(e.line);
            if self.shown.contains(&e.line) {
                match self.outcomes.get_mut(&e.line) {
                    Some(RowResult::Rejected { errors }) => errors.push(e),
                    _ => {
                        let line = e.line;
                        self.outcomes
                            .insert(line, RowResult::Rejected { errors: vec![e] });
                    }
                }
            }
        }
    }

    fn result(&self, line: u64) -> RowResult {
        self.outcomes
            .get(&line)
            .cloned()
            .unwrap_or(RowResult::Folded)
    }

    fn record(&mut self, line: u64, id: &str, values: Vec<FieldValue>) {
        let column = match self.kind {
            Kind::Calls => "call_id",
            Kind::Complaints => "complaint_id",
        };
        if !self.ids.insert(id.to_string()) {
            return self.reject(
                line,
                column,
                format!("{column} '{id}' repeats an earlier row"),
            );
        }
        self.records += 1;
        if self.shown.contains(&line) {
            self.outcomes.insert(line, RowResult::Record { values });
        }
    }
}

fn push(values: &mut Vec<FieldValue>, field: &str, value: Option<String>) {
    if let Some(value) = value {
        values.push(FieldValue {
            field: field.to_string(),
            value,
        });
    }
}

fn yes_no(v: Option<bool>) -> Option<String> {
    v.map(|b| if b { "yes" } else { "no" }.to_string())
}

fn time(t: &Option<chrono::DateTime<chrono::FixedOffset>>) -> Option<String> {
    t.map(|t| t.to_rfc3339())
}

fn int(v: Option<i64>) -> Option<String> {
    v.map(|i| i.to_string())
}

/// How a customer identifier is shown: it is stored only as a keyed pseudonym.
const PSEUDONYMISED: &str = "(pseudonymised)";

impl Sink for Collect {
    fn contact(&mut self, line: u64, c: Contact) {
        if let Err((column, reason)) = c.required() {
            return self.reject(line, column, reason);
        }
        let mut v = Vec::new();
        push(&mut v, "call_id", Some(c.call_id.clone()));
        push(&mut v, "started_at", time(&c.started_at));
        push(&mut v, "channel", Some(c.channel.unwrap_or("voice".into())));
        push(
            &mut v,
            "direction",
            Some(c.direction.unwrap_or("inbound".into())),
        );
        push(&mut v, "queue", c.queue);
        push(&mut v, "ivr_seconds", int(c.ivr_seconds));
        push(&mut v, "queue_seconds", int(c.queue_seconds));
        push(&mut v, "outcome", c.outcome);
        push(&mut v, "callback_offered", yes_no(c.callback_offered));
        push(&mut v, "callback_requested", yes_no(c.callback_requested));
        push(&mut v, "talk_seconds", int(c.talk_seconds));
        push(&mut v, "hold_seconds", int(c.hold_seconds));
        push(&mut v, "agent_id", c.agent_id);
        push(&mut v, "transferred", yes_no(c.transferred));
        push(&mut v, "escalated", yes_no(c.escalated));
        push(&mut v, "survey_score", int(c.survey_score));
        push(
            &mut v,
            "customer_ref",
            c.customer_ref.map(|_| PSEUDONYMISED.to_string()),
        );
        push(&mut v, "complaint_ref", c.complaint_ref);
        push(&mut v, "consent", yes_no(c.consent));
        push(&mut v, "opted_out_at", time(&c.opted_out_at));
        for (name, passed) in &c.qa {
            push(&mut v, name, yes_no(Some(*passed)));
        }
        self.record(line, &c.call_id, v);
    }

    fn folded_contact(&mut self, lines: &[u64], c: Contact) {
        // As in an import: a folded contact that is rejected rejects every row folded into it.
        let before = self.pending.len();
        self.contact(lines[0], c);
        let first: Vec<RowError> = self.pending[before..]
            .iter()
            .filter(|e| e.line == lines[0])
            .cloned()
            .collect();
        for line in &lines[1..] {
            for e in &first {
                self.reject(
                    *line,
                    &e.column,
                    super::store::folded_reason(&e.reason, lines[0]),
                );
            }
        }
    }

    fn complaint(&mut self, line: u64, c: Complaint) {
        if let Err((column, reason)) = c.required() {
            return self.reject(line, column, reason);
        }
        let mut v = Vec::new();
        push(&mut v, "complaint_id", Some(c.complaint_id.clone()));
        push(&mut v, "received_at", time(&c.received_at));
        push(&mut v, "channel", c.channel);
        push(&mut v, "category", c.category);
        push(&mut v, "acknowledged_at", time(&c.acknowledged_at));
        push(&mut v, "reference_given", yes_no(c.reference_given));
        push(&mut v, "eta_given", yes_no(c.eta_given));
        push(&mut v, "resolved_at", time(&c.resolved_at));
        push(&mut v, "outcome", c.outcome);
        push(&mut v, "escalated", yes_no(c.escalated));
        push(&mut v, "satisfied", yes_no(c.satisfied));
        self.record(line, &c.complaint_id, v);
    }

    fn skip(&mut self, line: u64, reason: &str) {
        self.skipped += 1;
        if self.shown.contains(&line) {
            self.outcomes.insert(
                line,
                RowResult::Skipped {
                    reason: reason.to_string(),
                },
            );
        }
    }

    fn reject(&mut self, line: u64, column: &str, reason: String) {
        self.pending.push(RowError {
            line,
            column: column.to_string(),
            reason,
        });
    }
}
