//! Mappings: how the columns of a one-row-per-record file become canonical fields. A mapping is
//! a small TOML file (documented in `docs/mapping.md`); the built-in presets for regulator and
//! ACD exports are mappings too (`audits/presets/`). Canonical columns that a mapping does not
//! mention are taken from a header column of the same name, so a canonical file needs none.

use std::borrow::Cow;
use std::collections::BTreeMap;

use chrono::FixedOffset;
use serde::Deserialize;

use super::layout::{Layout, Row, Sink};
use super::record::{self, Complaint, Contact, FieldType, Kind};

/// A mapping file, as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MappingFile {
    pub mapping: Header,
    #[serde(default)]
    pub field: BTreeMap<String, FieldSpec>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Header {
    pub name: String,
    pub kind: Kind,
    #[serde(default)]
    pub description: String,
    /// Offset of timestamps written without one, e.g. `+03:00` (default `+00:00`).
    pub utc_offset: Option<String>,
    pub delimiter: Option<String>,
    pub encoding: Option<String>,
    /// Header columns that identify this layout (for automatic detection).
    #[serde(default)]
    pub detect: Vec<String>,
    /// Numbers written with a decimal comma (`12,5`).
    #[serde(default)]
    pub decimal_comma: bool,
    /// `false`: the file has no header row; columns are named `column 1`, `column 2`, …
    pub header: Option<bool>,
}

/// Where one canonical field comes from.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldSpec {
    /// The column (or the first present of several alternatives).
    pub column: Option<OneOrMany>,
    /// Several columns joined with `-` (an id unique only in combination).
    pub join: Option<Vec<String>>,
    /// A constant value.
    pub value: Option<String>,
    /// A date column combined with `time` (a time column).
    pub date: Option<String>,
    pub time: Option<String>,
    /// Timestamp formats (chrono syntax), tried in order.
    #[serde(default)]
    pub format: OneOrMany,
    /// Source value → canonical value.
    #[serde(default)]
    pub map: BTreeMap<String, String>,
    /// Used for values not in `map` ("" = empty). Without it, such values pass through.
    pub default: Option<String>,
    /// Source value → reason: rows with this value are not records.
    #[serde(default)]
    pub skip: BTreeMap<String, String>,
    /// Source values that mean "unknown".
    #[serde(default)]
    pub null: Vec<String>,
    /// The field is empty when another column holds a value.
    pub empty_when: Option<Condition>,
    /// `empty`: a value that does not parse makes the field unknown instead of rejecting the row.
    pub on_error: Option<String>,
    /// `line`: when the column is absent or empty, use `line N` (for exports without an id).
    pub generate: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    pub column: String,
    pub is: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(untagged)]
pub enum OneOrMany {
    #[default]
    None,
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    fn list(&self) -> Vec<String> {
        match self {
            OneOrMany::None => Vec::new(),
            OneOrMany::One(s) => vec![s.clone()],
            OneOrMany::Many(v) => v.clone(),
        }
    }
}

/// A problem with a mapping itself (not with a row).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{file}: {reason}")]
pub struct MappingError {
    pub file: String,
    pub reason: String,
}

impl MappingFile {
    pub fn parse(text: &str, file: &str) -> Result<MappingFile, MappingError> {
        let m: MappingFile = toml::from_str(text).map_err(|e| {
            let at = e.span().map(|s| crate::text::line_column(text, s.start));
            MappingError {
                file: file.to_string(),
                reason: match at {
                    Some((l, c)) => format!("line {l}, column {c}: {}", e.message().trim()),
                    None => e.message().trim().to_string(),
                },
            }
        })?;
        let err = |reason: String| MappingError {
            file: file.to_string(),
            reason,
        };
        for (name, spec) in &m.field {
            let Some(ty) = m.mapping.kind.field_type(name) else {
                return Err(err(format!(
                    "field '{name}' is not a canonical {} column",
                    m.mapping.kind.as_str()
                )));
            };
            let sources = [
                spec.column.is_some(),
                spec.join.is_some(),
                spec.value.is_some(),
                spec.date.is_some(),
            ];
            if sources.iter().filter(|s| **s).count() != 1 && spec.generate.is_none() {
                return Err(err(format!(
                    "field '{name}': give exactly one of column, join, value, or date (+ time)"
                )));
            }
            if spec.time.is_some() && spec.date.is_none() {
                return Err(err(format!("field '{name}': time needs date")));
            }
            if spec.date.is_some() && ty != FieldType::Timestamp {
                return Err(err(format!(
                    "field '{name}': date/time only for timestamps"
                )));
            }
            if let Some(o) = &spec.on_error {
                if o != "empty" && o != "reject" {
                    return Err(err(format!(
                        "field '{name}': on_error is 'empty' or 'reject'"
                    )));
                }
            }
            if let Some(g) = &spec.generate {
                if g != "line" {
                    return Err(err(format!("field '{name}': generate is 'line'")));
                }
            }
        }
        offset(m.mapping.utc_offset.as_deref()).map_err(err)?;
        Ok(m)
    }

    /// Whether a header holds every `detect` column (case and spaces ignored).
    pub fn matches_header(&self, header: &[String]) -> bool {
        !self.mapping.detect.is_empty()
            && self
                .mapping
                .detect
                .iter()
                .all(|d| header.iter().any(|h| same(h, d)))
    }
}

/// Reads a `+HH:MM` / `-HH:MM` offset (`None` = UTC).
pub fn offset(text: Option<&str>) -> Result<FixedOffset, String> {
    let Some(t) = text else {
        return Ok(FixedOffset::east_opt(0).expect("zero offset"));
    };
    let t = t.trim();
    let (sign, rest) = match t.as_bytes().first() {
        Some(b'+') => (1, &t[1..]),
        Some(b'-') => (-1, &t[1..]),
        _ => return Err(format!("UTC offset '{t}' is not +HH:MM or -HH:MM")),
    };
    let (h, m) = rest
        .split_once(':')
        .and_then(|(h, m)| Some((h.parse::<i32>().ok()?, m.parse::<i32>().ok()?)))
        .ok_or_else(|| format!("UTC offset '{t}' is not +HH:MM or -HH:MM"))?;
    FixedOffset::east_opt(sign * (h * 3600 + m * 60))
        .ok_or_else(|| format!("UTC offset '{t}' is out of range"))
}

fn same(a: &str, b: &str) -> bool {
    a.trim().eq_ignore_ascii_case(b.trim())
}

/// One field, resolved against the header.
#[derive(Debug)]
struct Compiled {
    name: String,
    /// Read as it is: no unknown values, conditions, generated ids, skips or value maps.
    plain: bool,
    /// Where its value goes in a record.
    slot: Slot,
    ty: FieldType,
    source: Source,
    spec: FieldSpec,
    formats: Vec<String>,
    empty_when: Option<(usize, String)>,
}

#[derive(Debug)]
enum Source {
    Column(usize),
    Join(Vec<usize>),
    DateTime(usize, Option<usize>),
    Value(String),
    Missing,
}

/// A one-row-per-record layout driven by a mapping.
pub struct MappingLayout {
    kind: Kind,
    fields: Vec<Compiled>,
    parsing: Parsing,
    /// The record being made, reused from row to row (its strings keep their room).
    contact: Contact,
    complaint: Complaint,
    has_header: bool,
}

/// How a field's text is read, apart from the field's own rules.
struct Parsing {
    offset: FixedOffset,
    decimal_comma: bool,
}

impl MappingLayout {
    /// Resolves `mapping` against the file's `header`; fails when a named column is missing.
    pub fn new(
        mapping: &MappingFile,
        header: &[String],
        utc_offset: Option<&str>,
    ) -> Result<MappingLayout, String> {
        let kind = mapping.mapping.kind;
        let find = |col: &str| header.iter().position(|h| same(h, col));
        let offset = offset(utc_offset.or(mapping.mapping.utc_offset.as_deref()))?;
        let mut names: Vec<String> = kind.fields().iter().map(|(c, _)| c.to_string()).collect();
        if kind == Kind::Calls {
            for h in header {
                let h = h.trim().to_lowercase();
                if crate::metric::is_qa_metric(&h) && !names.contains(&h) {
                    names.push(h);
                }
            }
        }
        for name in mapping.field.keys() {
            if !names.contains(name) {
                names.push(name.clone());
            }
        }
        let mut fields = Vec::new();
        for name in names {
            let ty = kind
                .field_type(&name)
                .ok_or_else(|| format!("no field '{name}'"))?;
            let spec = mapping.field.get(&name).cloned().unwrap_or_default();
            let explicit = mapping.field.contains_key(&name);
            let source = if let Some(v) = &spec.value {
                Source::Value(v.clone())
            } else if let Some(cols) = &spec.join {
                let idx: Result<Vec<usize>, String> = cols
                    .iter()
                    .map(|c| {
                        find(c).ok_or_else(|| {
                            format!("column '{c}' (for {name}) is not in the header")
                        })
                    })
                    .collect();
                Source::Join(idx?)
            } else if let Some(d) = &spec.date {
                let di = find(d)
                    .ok_or_else(|| format!("column '{d}' (for {name}) is not in the header"))?;
                let ti = match &spec.time {
                    Some(t) => Some(find(t).ok_or_else(|| {
                        format!("column '{t}' (for {name}) is not in the header")
                    })?),
                    None => None,
                };
                Source::DateTime(di, ti)
            } else if let Some(cols) = &spec.column {
                let list = cols.list();
                match list.iter().find_map(|c| find(c)) {
                    Some(i) => Source::Column(i),
                    None if spec.generate.is_some() => Source::Missing,
                    None => {
                        return Err(format!(
                            "column '{}' (for {name}) is not in the header",
                            list.join("' or '")
                        ))
                    }
                }
            } else if explicit && spec.generate.is_some() {
                Source::Missing
            } else {
                match find(&name) {
                    Some(i) => Source::Column(i),
                    None => Source::Missing,
                }
            };
            let empty_when = match &spec.empty_when {
                Some(c) => Some((
                    find(&c.column).ok_or_else(|| {
                        format!("column '{}' (for {name}) is not in the header", c.column)
                    })?,
                    c.is.clone(),
                )),
                None => None,
            };
            let plain = spec.null.is_empty()
                && empty_when.is_none()
                && spec.generate.is_none()
                && spec.skip.is_empty()
                && spec.map.is_empty()
                && spec.default.is_none();
            fields.push(Compiled {
                plain,
                formats: spec.format.list(),
                slot: Slot::of(kind, &name),
                name,
                ty,
                source,
                spec,
                empty_when,
            });
        }
        Ok(MappingLayout {
            kind,
            fields,
            parsing: Parsing {
                offset,
                decimal_comma: mapping.mapping.decimal_comma,
            },
            contact: Contact::default(),
            complaint: Complaint::default(),
            has_header: true,
        })
    }

    /// Whether the file's first row is its header (else it is data, and `new` was given the
    /// names `column 1`, `column 2`, …).
    pub fn with_header(mut self, has_header: bool) -> MappingLayout {
        self.has_header = has_header;
        self
    }
}

/// A field's parsed value; text is borrowed from the row or the mapping where it can be.
enum Value<'a> {
    Text(Cow<'a, str>),
    Bool(bool),
    Int(i64),
    Time(chrono::DateTime<FixedOffset>),
}

enum Outcome<'a> {
    Value(Option<Value<'a>>),
    Skip(String),
    Reject(String, String),
}

impl Parsing {
    fn column_of(&self, f: &Compiled, row: &Row<'_>) -> String {
        match f.source {
            Source::Column(i) | Source::DateTime(i, _) => row.column_name(i),
            Source::Join(ref cols) => cols
                .iter()
                .map(|i| row.column_name(*i))
                .collect::<Vec<_>>()
                .join("+"),
            _ => f.name.clone(),
        }
    }

    /// The mapping's rules for a field (unknown values, conditions, generated ids, skips,
    /// value maps): the value to parse and, when the mapping gave it, the mapped text; or what
    /// became of the field.
    fn apply_spec<'a>(
        &self,
        f: &'a Compiled,
        row: &'a Row<'_>,
        raw: Option<Cow<'a, str>>,
    ) -> Result<(Cow<'a, str>, Option<&'a str>), Outcome<'a>> {
        let raw = match raw {
            Some(r) if f.spec.null.iter().any(|n| *n == r) => None,
            r => r,
        };
        let raw = match (&f.empty_when, raw) {
            (Some((i, is)), Some(r)) => match row.get(*i) {
                Ok(Some(v)) if v.as_ref() == is => None,
                Ok(_) => Some(r),
                Err(e) => return Err(Outcome::Reject(row.column_name(*i), e)),
            },
            (_, r) => r,
        };
        let raw = match raw {
            None if f.spec.generate.as_deref() == Some("line") => {
                return Err(Outcome::Value(Some(Value::Text(Cow::Owned(format!(
                    "line {}",
                    row.line
                ))))))
            }
            None => return Err(Outcome::Value(None)),
            Some(r) => r,
        };
        if !f.spec.skip.is_empty() {
            if let Some(reason) = f.spec.skip.get(raw.as_ref()) {
                return Err(Outcome::Skip(reason.clone()));
            }
        }
        let from_spec: Option<&'a str> = f
            .spec
            .map
            .get(raw.as_ref())
            .or(f.spec.default.as_ref())
            .map(String::as_str);
        Ok((raw, from_spec))
    }

    fn read<'a>(&self, f: &'a Compiled, row: &'a Row<'_>) -> Outcome<'a> {
        let column = || self.column_of(f, row);
        let raw: Option<Cow<'a, str>> = match &f.source {
            Source::Value(v) => Some(Cow::Borrowed(v)),
            Source::Missing => None,
            Source::Column(i) => match row.get(*i) {
                Ok(v) => v,
                Err(e) => return Outcome::Reject(column(), e),
            },
            Source::Join(cols) => {
                let mut parts = Vec::with_capacity(cols.len());
                for i in cols {
                    match row.get(*i) {
                        Ok(Some(v)) => parts.push(v),
                        Ok(None) => {}
                        Err(e) => return Outcome::Reject(row.column_name(*i), e),
                    }
                }
                (parts.len() == cols.len()).then(|| Cow::Owned(parts.join("-")))
            }
            Source::DateTime(d, t) => {
                let date = match row.get(*d) {
                    Ok(v) => v,
                    Err(e) => return Outcome::Reject(column(), e),
                };
                let time = match t.map(|t| row.get(t)) {
                    Some(Ok(v)) => v,
                    Some(Err(e)) => return Outcome::Reject(row.column_name(t.unwrap_or(0)), e),
                    None => None,
                };
                match (date, time) {
                    (Some(d), Some(t)) => Some(Cow::Owned(format!("{d} {t}"))),
                    (d, _) => d,
                }
            }
        };
        let (raw, from_spec) = if f.plain {
            match raw {
                Some(r) => (r, None),
                None => return Outcome::Value(None),
            }
        } else {
            match self.apply_spec(f, row, raw) {
                Ok(found) => found,
                Err(outcome) => return outcome,
            }
        };
        let mapped: &str = from_spec.unwrap_or(&raw);
        if mapped.is_empty() {
            return Outcome::Value(None);
        }
        let parsed = match f.ty {
            FieldType::Text => Ok(Value::Text(match from_spec {
                Some(s) => Cow::Borrowed(s),
                None => raw.clone(),
            })),
            FieldType::Enum(allowed) => {
                let lower: Cow<'_, str> = if mapped
                    .bytes()
                    .any(|b| b.is_ascii_uppercase() || !b.is_ascii())
                {
                    Cow::Owned(mapped.to_lowercase())
                } else {
                    Cow::Borrowed(mapped)
                };
                match allowed.iter().find(|a| **a == lower) {
                    Some(a) => Ok(Value::Text(Cow::Borrowed(*a))),
                    None => Err(format!("'{raw}' is not one of {}", allowed.join(", "))),
                }
            }
            FieldType::Bool => record::parse_bool(mapped).map(Value::Bool),
            FieldType::Seconds => if self.decimal_comma {
                record::parse_seconds(&mapped.replace(',', "."))
            } else {
                record::parse_seconds(mapped)
            }
            .map(Value::Int),
            FieldType::Score => match mapped.trim().parse::<i64>() {
                Ok(s) if (1..=5).contains(&s) => Ok(Value::Int(s)),
                _ => Err(format!("'{mapped}' is not a score from 1 to 5")),
            },
            FieldType::Timestamp => {
                record::parse_timestamp(mapped, &f.formats, self.offset).map(Value::Time)
            }
        };
        match parsed {
            Ok(v) => Outcome::Value(Some(v)),
            Err(_) if f.spec.on_error.as_deref() == Some("empty") => Outcome::Value(None),
            Err(e) => Outcome::Reject(column(), format!("{}: {e}", f.name)),
        }
    }
}

impl Layout for MappingLayout {
    fn has_header(&self) -> bool {
        self.has_header
    }

    fn private_columns(&self) -> Vec<usize> {
        self.fields
            .iter()
            .filter(|f| f.name == "customer_ref")
            .flat_map(|f| match &f.source {
                Source::Column(i) => vec![*i],
                Source::Join(columns) => columns.clone(),
                _ => Vec::new(),
            })
            .collect()
    }

    fn row(&mut self, row: &Row<'_>, sink: &mut dyn Sink) {
        let MappingLayout {
            kind,
            fields,
            parsing,
            contact,
            complaint,
            ..
        } = self;
        // Every field is set (or emptied) below, so the record holds nothing of earlier rows.
        contact.qa.clear();
        let mut rejected = false;
        for f in fields.iter() {
            match parsing.read(f, row) {
                Outcome::Skip(reason) => {
                    if !rejected {
                        sink.skip(row.line, &reason);
                    }
                    rejected = true;
                    break;
                }
                Outcome::Reject(column, reason) => {
                    sink.reject(row.line, &column, reason);
                    rejected = true;
                }
                Outcome::Value(v) => {
                    if !rejected {
                        set(contact, complaint, f, v);
                    }
                }
            }
        }
        if !rejected {
            match kind {
                Kind::Calls => sink.contact_ref(row.line, contact),
                Kind::Complaints => sink.complaint_ref(row.line, complaint),
            }
        }
    }
}

/// Sets a text field, reusing the room of the string it held.
fn text(to: &mut Option<String>, v: Option<Value<'_>>) {
    match (to.as_mut(), v) {
        (Some(s), Some(Value::Text(t))) => {
            s.clear();
            s.push_str(&t);
        }
        (None, Some(Value::Text(t))) => *to = Some(t.into_owned()),
        _ => *to = None,
    }
}
fn boolean(v: Option<Value>) -> Option<bool> {
    match v {
        Some(Value::Bool(b)) => Some(b),
        _ => None,
    }
}
fn int(v: Option<Value>) -> Option<i64> {
    match v {
        Some(Value::Int(i)) => Some(i),
        _ => None,
    }
}
fn time(v: Option<Value>) -> Option<chrono::DateTime<FixedOffset>> {
    match v {
        Some(Value::Time(t)) => Some(t),
        _ => None,
    }
}

/// Where a field's value goes in a record.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Slot {
    CallId,
    StartedAt,
    ContactChannel,
    Direction,
    Queue,
    IvrSeconds,
    QueueSeconds,
    ContactOutcome,
    CallbackOffered,
    CallbackRequested,
    TalkSeconds,
    HoldSeconds,
    AgentId,
    Transferred,
    ContactEscalated,
    SurveyScore,
    CustomerRef,
    ComplaintRef,
    Consent,
    OptedOutAt,
    /// A `qa_*` evaluation.
    Qa,
    ComplaintId,
    ReceivedAt,
    ComplaintChannel,
    Category,
    AcknowledgedAt,
    ReferenceGiven,
    EtaGiven,
    ResolvedAt,
    ComplaintOutcome,
    ComplaintEscalated,
    Satisfied,
    None,
}

impl Slot {
    fn of(kind: Kind, name: &str) -> Slot {
        match (kind, name) {
            (Kind::Calls, "call_id") => Slot::CallId,
            (Kind::Calls, "started_at") => Slot::StartedAt,
            (Kind::Calls, "channel") => Slot::ContactChannel,
            (Kind::Calls, "direction") => Slot::Direction,
            (Kind::Calls, "queue") => Slot::Queue,
            (Kind::Calls, "ivr_seconds") => Slot::IvrSeconds,
            (Kind::Calls, "queue_seconds") => Slot::QueueSeconds,
            (Kind::Calls, "outcome") => Slot::ContactOutcome,
            (Kind::Calls, "callback_offered") => Slot::CallbackOffered,
            (Kind::Calls, "callback_requested") => Slot::CallbackRequested,
            (Kind::Calls, "talk_seconds") => Slot::TalkSeconds,
            (Kind::Calls, "hold_seconds") => Slot::HoldSeconds,
            (Kind::Calls, "agent_id") => Slot::AgentId,
            (Kind::Calls, "transferred") => Slot::Transferred,
            (Kind::Calls, "escalated") => Slot::ContactEscalated,
            (Kind::Calls, "survey_score") => Slot::SurveyScore,
            (Kind::Calls, "customer_ref") => Slot::CustomerRef,
            (Kind::Calls, "complaint_ref") => Slot::ComplaintRef,
            (Kind::Calls, "consent") => Slot::Consent,
            (Kind::Calls, "opted_out_at") => Slot::OptedOutAt,
            (Kind::Calls, _) => Slot::Qa,
            (Kind::Complaints, "complaint_id") => Slot::ComplaintId,
            (Kind::Complaints, "received_at") => Slot::ReceivedAt,
            (Kind::Complaints, "channel") => Slot::ComplaintChannel,
            (Kind::Complaints, "category") => Slot::Category,
            (Kind::Complaints, "acknowledged_at") => Slot::AcknowledgedAt,
            (Kind::Complaints, "reference_given") => Slot::ReferenceGiven,
            (Kind::Complaints, "eta_given") => Slot::EtaGiven,
            (Kind::Complaints, "resolved_at") => Slot::ResolvedAt,
            (Kind::Complaints, "outcome") => Slot::ComplaintOutcome,
            (Kind::Complaints, "escalated") => Slot::ComplaintEscalated,
            (Kind::Complaints, "satisfied") => Slot::Satisfied,
            (Kind::Complaints, _) => Slot::None,
        }
    }
}

fn set(c: &mut Contact, p: &mut Complaint, f: &Compiled, v: Option<Value>) {
    match f.slot {
        Slot::CallId => {
            c.call_id.clear();
            if let Some(Value::Text(t)) = v {
                c.call_id.push_str(&t);
            }
        }
        Slot::StartedAt => c.started_at = time(v),
        Slot::ContactChannel => text(&mut c.channel, v),
        Slot::Direction => text(&mut c.direction, v),
        Slot::Queue => text(&mut c.queue, v),
        Slot::IvrSeconds => c.ivr_seconds = int(v),
        Slot::QueueSeconds => c.queue_seconds = int(v),
        Slot::ContactOutcome => text(&mut c.outcome, v),
        Slot::CallbackOffered => c.callback_offered = boolean(v),
        Slot::CallbackRequested => c.callback_requested = boolean(v),
        Slot::TalkSeconds => c.talk_seconds = int(v),
        Slot::HoldSeconds => c.hold_seconds = int(v),
        Slot::AgentId => text(&mut c.agent_id, v),
        Slot::Transferred => c.transferred = boolean(v),
        Slot::ContactEscalated => c.escalated = boolean(v),
        Slot::SurveyScore => c.survey_score = int(v),
        Slot::CustomerRef => text(&mut c.customer_ref, v),
        Slot::ComplaintRef => text(&mut c.complaint_ref, v),
        Slot::Consent => c.consent = boolean(v),
        Slot::OptedOutAt => c.opted_out_at = time(v),
        Slot::Qa => {
            if let Some(b) = boolean(v) {
                c.qa.push((f.name.clone(), b));
            }
        }
        Slot::ComplaintId => {
            p.complaint_id.clear();
            if let Some(Value::Text(t)) = v {
                p.complaint_id.push_str(&t);
            }
        }
        Slot::ReceivedAt => p.received_at = time(v),
        Slot::ComplaintChannel => text(&mut p.channel, v),
        Slot::Category => text(&mut p.category, v),
        Slot::AcknowledgedAt => p.acknowledged_at = time(v),
        Slot::ReferenceGiven => p.reference_given = boolean(v),
        Slot::EtaGiven => p.eta_given = boolean(v),
        Slot::ResolvedAt => p.resolved_at = time(v),
        Slot::ComplaintOutcome => text(&mut p.outcome, v),
        Slot::ComplaintEscalated => p.escalated = boolean(v),
        Slot::Satisfied => p.satisfied = boolean(v),
        Slot::None => {}
    }
}
