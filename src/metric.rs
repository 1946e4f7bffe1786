//! The metrics of `spec/metrics.md`: their ids, populations and default targets. The checklist
//! binds clauses to these ids; the evidence engine computes them.

use serde::Serialize;
use ts_rs::TS;

/// How a metric's figure is compared with its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub enum Comparator {
    /// The figure must be at least the target.
    #[serde(rename = ">=")]
    AtLeast,
    /// The figure must be at most the target.
    #[serde(rename = "<=")]
    AtMost,
    /// Shown for information; no pass or fail.
    #[serde(rename = "monitor")]
    Monitor,
    /// Every listed channel must be present.
    #[serde(rename = "includes")]
    Includes,
}

/// Which records a metric is computed from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Population {
    Contacts,
    Complaints,
    Both,
}

/// What a metric is, as metrics.md defines it.
#[derive(Debug, Clone, PartialEq)]
pub struct MetricDef {
    pub id: String,
    pub population: Population,
    pub comparator: Comparator,
    /// The default target: a fraction for proportions, seconds for `asa_seconds`, a count for
    /// the zero-tolerance counts. `None` for monitored metrics and `channels_present`.
    pub target: Option<f64>,
    /// Any breach fails the metric.
    pub zero_tolerance: bool,
    /// The formula in words (English).
    pub formula: &'static str,
}

struct Known {
    id: &'static str,
    population: Population,
    comparator: Comparator,
    target: Option<f64>,
    zero_tolerance: bool,
    formula: &'static str,
}

use Comparator::{AtLeast, AtMost, Includes, Monitor};
use Population::{Both, Complaints, Contacts};

#[rustfmt::skip]
const KNOWN: &[Known] = &[
    Known { id: "service_level", population: Contacts, comparator: AtLeast, target: Some(0.80), zero_tolerance: false,
        formula: "offered contacts answered within T seconds / offered answered + offered abandoned" },
    Known { id: "abandon_rate", population: Contacts, comparator: AtMost, target: Some(0.05), zero_tolerance: false,
        formula: "offered abandoned / (offered answered + offered abandoned + callback)" },
    Known { id: "asa_seconds", population: Contacts, comparator: AtMost, target: Some(30.0), zero_tolerance: false,
        formula: "mean queue time of answered offered contacts, with p50 and p90" },
    Known { id: "agent_or_callback_60s", population: Contacts, comparator: AtLeast, target: Some(0.95), zero_tolerance: false,
        formula: "offered contacts answered within 60 s or offered a callback / offered contacts" },
    Known { id: "callback_offer_after_60s", population: Contacts, comparator: AtLeast, target: Some(0.90), zero_tolerance: false,
        formula: "contacts queued over 60 s that were offered a callback / contacts queued over 60 s" },
    Known { id: "agent_id_recorded", population: Contacts, comparator: AtLeast, target: Some(0.99), zero_tolerance: false,
        formula: "answered contacts with an agent id / answered contacts" },
    Known { id: "survey_coverage", population: Contacts, comparator: Monitor, target: None, zero_tolerance: false,
        formula: "answered contacts with a survey score / answered contacts" },
    Known { id: "csat_top2", population: Contacts, comparator: AtLeast, target: Some(0.80), zero_tolerance: false,
        formula: "contacts scoring 4 or 5 / contacts with a survey score" },
    Known { id: "escalation_available", population: Contacts, comparator: Monitor, target: None, zero_tolerance: false,
        formula: "escalated contacts / answered contacts (above 0 shows the route is used)" },
    Known { id: "channels_present", population: Both, comparator: Includes, target: None, zero_tolerance: false,
        formula: "distinct channels among contacts and complaints" },
    Known { id: "outbound_outside_hours", population: Contacts, comparator: AtMost, target: Some(0.0), zero_tolerance: true,
        formula: "outbound contacts starting outside the calling-hours window (local time)" },
    Known { id: "outbound_without_consent", population: Contacts, comparator: AtMost, target: Some(0.0), zero_tolerance: true,
        formula: "outbound contacts whose consent is no" },
    Known { id: "contact_after_opt_out", population: Contacts, comparator: AtMost, target: Some(0.0), zero_tolerance: true,
        formula: "outbound contacts to a customer more than the grace period after that customer opted out" },
    Known { id: "complaint_ack_24h", population: Complaints, comparator: AtLeast, target: Some(0.95), zero_tolerance: false,
        formula: "complaints acknowledged within 24 h of receipt / complaints" },
    Known { id: "complaint_reference_given", population: Complaints, comparator: AtLeast, target: Some(1.0), zero_tolerance: true,
        formula: "complaints given a reference number / complaints where this is known" },
    Known { id: "complaint_eta_given", population: Complaints, comparator: AtLeast, target: Some(0.95), zero_tolerance: false,
        formula: "complaints told an expected resolution time / complaints not resolved within a day, where this is known" },
    Known { id: "complaint_resolved_in_time", population: Complaints, comparator: AtLeast, target: Some(0.90), zero_tolerance: false,
        formula: "complaints resolved within D days / complaints received at least D days before the end of the data" },
    Known { id: "complaint_overdue_open", population: Complaints, comparator: AtMost, target: Some(0.0), zero_tolerance: true,
        formula: "open complaints older than D days at the end of the data" },
    Known { id: "complaint_satisfied", population: Complaints, comparator: AtLeast, target: Some(0.80), zero_tolerance: false,
        formula: "satisfied complainants / complaints where this is known" },
    Known { id: "complaints_per_1000", population: Both, comparator: Monitor, target: None, zero_tolerance: false,
        formula: "complaints / contacts x 1000 over the same period" },
];

/// QA pass-rate metrics that metrics.md makes zero tolerance.
const QA_ZERO_TOLERANCE: &[&str] = &["qa_no_pressure_sales", "qa_privacy_ok"];

/// Whether `id` names a QA pass-rate metric (`qa_` followed by lowercase letters, digits, `_`).
pub fn is_qa_metric(id: &str) -> bool {
    id.strip_prefix("qa_").is_some_and(|rest| {
        !rest.is_empty()
            && rest
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    })
}

/// The definition of metric `id`, or `None` when metrics.md has no such metric.
pub fn definition(id: &str) -> Option<MetricDef> {
    if let Some(k) = KNOWN.iter().find(|k| k.id == id) {
        return Some(MetricDef {
            id: k.id.to_string(),
            population: k.population,
            comparator: k.comparator,
            target: k.target,
            zero_tolerance: k.zero_tolerance,
            formula: k.formula,
        });
    }
    is_qa_metric(id).then(|| MetricDef {
        id: id.to_string(),
        population: Contacts,
        comparator: AtLeast,
        target: Some(if QA_ZERO_TOLERANCE.contains(&id) {
            1.0
        } else {
            0.95
        }),
        zero_tolerance: QA_ZERO_TOLERANCE.contains(&id),
        formula: "sampled contacts passing this QA check / sampled contacts evaluated on it",
    })
}

/// The ids of every named (non-QA) metric, in metrics.md order.
pub fn named_ids() -> impl Iterator<Item = &'static str> {
    KNOWN.iter().map(|k| k.id)
}

/// What a metric's figure and target measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Unit {
    /// A fraction 0–1 (shown as a percentage).
    Proportion,
    /// Seconds (`asa_seconds`).
    Seconds,
    /// A number of breaches; the target is a count.
    Count,
    /// A count of channels (`channels_present`).
    Channels,
    /// Complaints per 1,000 contacts.
    PerThousand,
}

/// The unit of metric `id`.
pub fn unit(id: &str) -> Unit {
    match id {
        "asa_seconds" => Unit::Seconds,
        "outbound_outside_hours"
        | "outbound_without_consent"
        | "contact_after_opt_out"
        | "complaint_overdue_open" => Unit::Count,
        "channels_present" => Unit::Channels,
        "complaints_per_1000" => Unit::PerThousand,
        _ => Unit::Proportion,
    }
}
