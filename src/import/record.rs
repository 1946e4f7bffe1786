//! The canonical records of `spec/records.md` and the parsing of their field values.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};

/// Which kind of records a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Kind {
    Calls,
    Complaints,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Calls => "calls",
            Kind::Complaints => "complaints",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        match s {
            "calls" => Some(Kind::Calls),
            "complaints" => Some(Kind::Complaints),
            _ => None,
        }
    }
}

/// A contact (call, chat, e-mail, social message): one row of the canonical `calls` records.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Contact {
    pub call_id: String,
    pub started_at: Option<DateTime<FixedOffset>>,
    /// voice / chat / email / social (default voice).
    pub channel: Option<String>,
    /// inbound / outbound (default inbound).
    pub direction: Option<String>,
    pub queue: Option<String>,
    pub ivr_seconds: Option<i64>,
    /// Empty: never queued.
    pub queue_seconds: Option<i64>,
    /// answered / abandoned / callback / voicemail / failed.
    pub outcome: Option<String>,
    pub callback_offered: Option<bool>,
    pub callback_requested: Option<bool>,
    pub talk_seconds: Option<i64>,
    pub hold_seconds: Option<i64>,
    pub agent_id: Option<String>,
    pub transferred: Option<bool>,
    pub escalated: Option<bool>,
    pub survey_score: Option<i64>,
    /// In clear here; pseudonymised before it is written.
    pub customer_ref: Option<String>,
    pub complaint_ref: Option<String>,
    pub consent: Option<bool>,
    pub opted_out_at: Option<DateTime<FixedOffset>>,
    /// `qa_*` evaluations: (column name, passed).
    pub qa: Vec<(String, bool)>,
}

/// Why a record cannot be stored: the column and the reason.
pub type RecordProblem = (&'static str, String);

impl Contact {
    /// The checks every stored contact passes (the same for an import and its preview):
    /// its id, start and outcome are given. Returns the start and the outcome.
    pub fn required(&self) -> Result<(DateTime<FixedOffset>, &str), RecordProblem> {
        if self.call_id.is_empty() {
            return Err(("call_id", "call_id is missing".into()));
        }
        let Some(started) = self.started_at else {
            return Err(("started_at", "started_at is missing".into()));
        };
        let Some(outcome) = self.outcome.as_deref() else {
            return Err(("outcome", "outcome is missing".into()));
        };
        Ok((started, outcome))
    }
}

impl Complaint {
    /// The checks every stored complaint passes (the same for an import and its preview): its
    /// id and receipt are given, and it is neither acknowledged nor resolved before it was
    /// received. Returns the receipt.
    pub fn required(&self) -> Result<DateTime<FixedOffset>, RecordProblem> {
        if self.complaint_id.is_empty() {
            return Err(("complaint_id", "complaint_id is missing".into()));
        }
        let Some(received) = self.received_at else {
            return Err(("received_at", "received_at is missing".into()));
        };
        for (name, t) in [
            ("acknowledged_at", &self.acknowledged_at),
            ("resolved_at", &self.resolved_at),
        ] {
            if let Some(t) = t {
                if t < &received {
                    return Err((
                        name,
                        format!(
                            "{name} ({}) is before received_at ({})",
                            t.to_rfc3339(),
                            received.to_rfc3339()
                        ),
                    ));
                }
            }
        }
        Ok(received)
    }
}

/// A complaint: one row of the canonical `complaints` records.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Complaint {
    pub complaint_id: String,
    pub received_at: Option<DateTime<FixedOffset>>,
    /// voice / email / chat / social / letter / web / other.
    pub channel: Option<String>,
    pub category: Option<String>,
    pub acknowledged_at: Option<DateTime<FixedOffset>>,
    pub reference_given: Option<bool>,
    pub eta_given: Option<bool>,
    /// Empty: still open.
    pub resolved_at: Option<DateTime<FixedOffset>>,
    /// upheld / partially_upheld / rejected / withdrawn / open.
    pub outcome: Option<String>,
    pub escalated: Option<bool>,
    pub satisfied: Option<bool>,
}

pub const CONTACT_CHANNELS: &[&str] = &["voice", "chat", "email", "social"];
pub const DIRECTIONS: &[&str] = &["inbound", "outbound"];
pub const CONTACT_OUTCOMES: &[&str] = &["answered", "abandoned", "callback", "voicemail", "failed"];
pub const COMPLAINT_CHANNELS: &[&str] =
    &["voice", "email", "chat", "social", "letter", "web", "other"];
pub const COMPLAINT_OUTCOMES: &[&str] = &[
    "upheld",
    "partially_upheld",
    "rejected",
    "withdrawn",
    "open",
];

/// How a canonical field's text is checked and converted.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FieldType {
    Text,
    /// One of these values (compared in lower case).
    Enum(&'static [&'static str]),
    Bool,
    /// Whole seconds ≥ 0.
    Seconds,
    /// A survey score from 1 to 5.
    Score,
    Timestamp,
}

use FieldType::{Bool, Enum, Score, Seconds, Text, Timestamp};

/// The canonical contact columns and their types, in spec order.
#[rustfmt::skip]
pub const CONTACT_FIELDS: &[(&str, FieldType)] = &[
    ("call_id", Text), ("started_at", Timestamp), ("channel", Enum(CONTACT_CHANNELS)),
    ("direction", Enum(DIRECTIONS)), ("queue", Text), ("ivr_seconds", Seconds),
    ("queue_seconds", Seconds), ("outcome", Enum(CONTACT_OUTCOMES)),
    ("callback_offered", Bool), ("callback_requested", Bool), ("talk_seconds", Seconds),
    ("hold_seconds", Seconds), ("agent_id", Text), ("transferred", Bool), ("escalated", Bool),
    ("survey_score", Score), ("customer_ref", Text), ("complaint_ref", Text), ("consent", Bool),
    ("opted_out_at", Timestamp),
];

/// The canonical complaint columns and their types, in spec order.
#[rustfmt::skip]
pub const COMPLAINT_FIELDS: &[(&str, FieldType)] = &[
    ("complaint_id", Text), ("received_at", Timestamp), ("channel", Enum(COMPLAINT_CHANNELS)),
    ("category", Text), ("acknowledged_at", Timestamp), ("reference_given", Bool),
    ("eta_given", Bool), ("resolved_at", Timestamp), ("outcome", Enum(COMPLAINT_OUTCOMES)),
    ("escalated", Bool), ("satisfied", Bool),
];

impl Kind {
    /// The canonical columns of this kind of record and their types, in spec order.
    pub fn fields(self) -> &'static [(&'static str, FieldType)] {
        match self {
            Kind::Calls => CONTACT_FIELDS,
            Kind::Complaints => COMPLAINT_FIELDS,
        }
    }

    /// The type of canonical column `name`; any `qa_*` column of a contact is a boolean.
    pub fn field_type(self, name: &str) -> Option<FieldType> {
        self.fields()
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, t)| *t)
            .or_else(|| (self == Kind::Calls && crate::metric::is_qa_metric(name)).then_some(Bool))
    }

    /// The canonical header line of this kind of record.
    pub fn header(self) -> String {
        let names: Vec<&str> = self.fields().iter().map(|(n, _)| *n).collect();
        names.join(",")
    }
}

/// Parses a boolean as records.md allows (yes/no, y/n, true/false, 1/0, evet/hayır, sì/no).
pub fn parse_bool(s: &str) -> Result<bool, String> {
    let t = super::layout::trim(s);
    let lower: std::borrow::Cow<'_, str> =
        if t.bytes().any(|b| b.is_ascii_uppercase() || !b.is_ascii()) {
            t.to_lowercase().into()
        } else {
            t.into()
        };
    match lower.as_ref() {
        "yes" | "y" | "true" | "1" | "evet" | "e" | "sì" | "si" => Ok(true),
        "no" | "n" | "false" | "0" | "hayır" | "hayir" | "h" => Ok(false),
        _ => Err(format!("'{s}' is not yes/no")),
    }
}

/// Parses a whole number of seconds ≥ 0 (also `H:MM:SS` and `MM:SS`).
pub fn parse_seconds(s: &str) -> Result<i64, String> {
    let t = super::layout::trim(s);
    let value = if t.contains(':') {
        let parts: Vec<&str> = t.split(':').collect();
        let nums: Result<Vec<i64>, _> = parts.iter().map(|p| p.parse::<i64>()).collect();
        match nums.ok().as_deref() {
            Some([h, m, s]) if *m < 60 && *s < 60 => h * 3600 + m * 60 + s,
            Some([m, s]) if *s < 60 => m * 60 + s,
            _ => return Err(format!("'{s}' is not a duration")),
        }
    } else {
        t.parse::<i64>()
            .or_else(|_| t.parse::<f64>().map(|f| f.round() as i64))
            .map_err(|_| format!("'{s}' is not a number of seconds"))?
    };
    if value < 0 {
        return Err(format!("{value} is negative"));
    }
    Ok(value)
}

/// Parses a timestamp: RFC 3339 / ISO 8601 with offset; else one of `formats` (chrono syntax,
/// date-only formats give midnight) read in the fixed `offset`.
pub fn parse_timestamp(
    s: &str,
    formats: &[String],
    offset: FixedOffset,
) -> Result<DateTime<FixedOffset>, String> {
    let t = super::layout::trim(s);
    if let Ok(dt) = DateTime::parse_from_rfc3339(t) {
        return Ok(dt);
    }
    for f in formats
        .iter()
        .map(String::as_str)
        .chain(DEFAULT_FORMATS.iter().copied())
    {
        if f.contains("%z") || f.contains("%:z") {
            if let Ok(dt) = DateTime::parse_from_str(t, f) {
                return Ok(dt);
            }
        } else if let Ok(naive) = NaiveDateTime::parse_from_str(t, f) {
            return local(offset, naive);
        } else if let Ok(date) = NaiveDate::parse_from_str(t, f) {
            return local(offset, date.and_time(NaiveTime::MIN));
        }
    }
    Err(format!("'{s}' is not a date/time this import reads"))
}

const DEFAULT_FORMATS: &[&str] = &[
    "%Y-%m-%dT%H:%M:%S%:z",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
];

fn local(offset: FixedOffset, naive: NaiveDateTime) -> Result<DateTime<FixedOffset>, String> {
    offset
        .from_local_datetime(&naive)
        .single()
        .ok_or_else(|| format!("{naive} does not exist at offset {offset}"))
}
