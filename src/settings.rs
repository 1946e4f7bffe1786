//! The audit's settings: the parameters the metrics use (T, D, the short-abandon cut-off, the
//! calling-hours window, …) and each metric's target. The checklist gives the defaults; what the
//! auditor changes is stored in the audit file and printed wherever a figure is shown.

use std::collections::BTreeMap;

use chrono::{NaiveTime, SecondsFormat, Utc};
use rusqlite::params;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

use crate::audit::Audit;
use crate::checklist::{Checklist, Parameters};
use crate::error::{Error, Result};
use crate::metric::{self, Comparator};
use crate::report::i18n::Lang;

/// The target a metric is judged against in this audit.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Target {
    pub comparator: Comparator,
    /// A fraction for proportions, seconds for `asa_seconds`, a count for breach counts;
    /// `None` for monitored metrics and `channels_present`.
    pub value: Option<f64>,
    pub zero_tolerance: bool,
    /// For `channels_present`: the channels that must all be present.
    pub channels: Vec<String>,
    /// Whether the auditor changed it from the checklist's default.
    pub changed: bool,
}

/// Everything the metrics are computed with.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Settings {
    pub parameters: Parameters,
    /// The parameters the auditor changed from the checklist's defaults.
    pub changed: Vec<String>,
    /// Per metric id.
    pub targets: BTreeMap<String, Target>,
}

impl Settings {
    /// The defaults of `checklist`: its parameters, and for each metric the target of its
    /// first binding in the checklist, else the default of metrics.md.
    pub fn defaults(checklist: &Checklist) -> Settings {
        let mut targets = BTreeMap::new();
        let bound = checklist.clauses.iter().flat_map(|c| &c.metrics);
        for b in bound {
            targets.entry(b.id.clone()).or_insert_with(|| Target {
                comparator: b.comparator,
                value: b.target,
                zero_tolerance: b.zero_tolerance,
                channels: b.channels.clone(),
                changed: false,
            });
        }
        for id in metric::named_ids() {
            if !targets.contains_key(id) {
                let def = metric::definition(id).expect("a named metric");
                targets.insert(id.to_string(), default_target(&def));
            }
        }
        Settings {
            parameters: checklist.parameters.clone(),
            changed: Vec::new(),
            targets,
        }
    }

    /// The target of metric `id` (a `qa_*` metric missing from the checklist takes the
    /// metrics.md default).
    pub fn target(&self, id: &str) -> Option<Target> {
        self.targets
            .get(id)
            .cloned()
            .or_else(|| metric::definition(id).map(|d| default_target(&d)))
    }

    /// The settings metric `id` is computed with, in words as the report prints them
    /// (`T = 20 s`, `short abandon < 5 s`, …); empty for a metric that uses none.
    pub fn used_by(&self, id: &str) -> Vec<String> {
        self.used_by_in(id, Lang::En)
    }

    /// [`Settings::used_by`], in `lang`.
    pub fn used_by_in(&self, id: &str, lang: Lang) -> Vec<String> {
        let p = &self.parameters;
        let (s, days, short, hours, grace) = match lang {
            Lang::En => (
                "s",
                "days",
                "short abandon",
                "calling hours",
                "opt-out grace",
            ),
            Lang::Tr => ("sn", "gün", "kısa terk", "arama saatleri", "ret toleransı"),
        };
        let t = format!("T = {} {s}", p.service_level_seconds);
        let short = format!("{short} < {} {s}", p.short_abandon_seconds);
        let d = format!("D = {} {days}", p.complaint_resolution_days);
        match id {
            "service_level" => vec![t, short],
            "abandon_rate"
            | "asa_seconds"
            | "agent_or_callback_60s"
            | "callback_offer_after_60s" => {
                vec![short]
            }
            "outbound_outside_hours" => vec![format!(
                "{hours} {}–{}",
                p.calling_hours_start, p.calling_hours_end
            )],
            "contact_after_opt_out" => vec![format!("{grace} {} {days}", p.opt_out_grace_days)],
            "complaint_resolved_in_time" | "complaint_overdue_open" => vec![d],
            _ => Vec::new(),
        }
    }

    /// The calling-hours window as seconds after midnight, both ends included.
    pub fn calling_hours(&self) -> (u32, u32) {
        let secs = |s: &str| {
            NaiveTime::parse_from_str(s, "%H:%M")
                .map(|t| chrono::Timelike::num_seconds_from_midnight(&t))
                .unwrap_or(0)
        };
        (
            secs(&self.parameters.calling_hours_start),
            secs(&self.parameters.calling_hours_end),
        )
    }
}

fn default_target(def: &metric::MetricDef) -> Target {
    Target {
        comparator: def.comparator,
        value: def.target,
        zero_tolerance: def.zero_tolerance,
        channels: if def.comparator == Comparator::Includes {
            vec!["voice".into(), "email".into(), "chat".into()]
        } else {
            Vec::new()
        },
        changed: false,
    }
}

/// A change of one setting: a parameter by its name (`service_level_seconds`, …) or a metric's
/// target as `target.<metric id>`; `value` as the user typed it.
#[derive(Debug, Clone, PartialEq, Deserialize, TS)]
#[ts(export)]
pub struct SettingChange {
    pub key: String,
    pub value: String,
}

impl Audit {
    /// The settings in force: the checklist's defaults with the stored changes applied.
    pub fn settings(&self) -> Result<Settings> {
        let mut settings = Settings::defaults(self.checklist());
        let stored: Vec<(String, String)> = {
            let mut stmt = self
                .conn()
                .prepare("SELECT key, value FROM setting ORDER BY key")
                .map_err(|e| Error::db(self.path(), e))?;
            let rows = stmt
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
                .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
                .map_err(|e| Error::db(self.path(), e))?;
            rows
        };
        let mut params = serde_json::to_value(&settings.parameters).expect("parameters serialise");
        for (key, value) in stored {
            let value: Value = serde_json::from_str(&value).map_err(|e| {
                Error::Invalid(format!(
                    "{}: setting {key} holds unreadable JSON: {e}",
                    self.path().display()
                ))
            })?;
            if let Some(metric_id) = key.strip_prefix("target.") {
                if let Some(mut t) = settings.target(metric_id) {
                    t.value = value.as_f64();
                    t.changed = true;
                    settings.targets.insert(metric_id.to_string(), t);
                }
            } else if let Some(slot) = params.get_mut(&key) {
                *slot = value;
                settings.changed.push(key);
            }
        }
        settings.parameters = serde_json::from_value(params).map_err(|e| {
            Error::Invalid(format!(
                "{}: the stored settings are unreadable: {e}",
                self.path().display()
            ))
        })?;
        Ok(settings)
    }

    /// Changes one setting (validated) and returns the settings now in force. An empty value
    /// returns the setting to the checklist's default.
    pub fn set_setting(&mut self, change: &SettingChange) -> Result<Settings> {
        let key = change.key.trim();
        let raw = change.value.trim();
        let bad = |reason: String| {
            Error::Invalid(format!(
                "{}: setting {key}: {reason}",
                self.path().display()
            ))
        };
        let value: Option<Value> = if raw.is_empty() {
            None
        } else if let Some(metric_id) = key.strip_prefix("target.") {
            let target = Settings::defaults(self.checklist())
                .target(metric_id)
                .ok_or_else(|| bad("no such metric".into()))?;
            let v = parse_target(raw).map_err(bad)?;
            if matches!(
                target.comparator,
                Comparator::Monitor | Comparator::Includes
            ) {
                return Err(bad("this metric has no numeric target".into()));
            }
            let proportion = metric::unit(metric_id) == metric::Unit::Proportion;
            if v < 0.0 || (proportion && v > 1.0) {
                return Err(bad(format!(
                    "{raw} is out of range ({})",
                    if proportion { "0–100 %" } else { "0 or more" }
                )));
            }
            Some(Value::from(v))
        } else {
            let defaults =
                serde_json::to_value(&self.checklist().parameters).expect("parameters serialise");
            match defaults.get(key) {
                Some(Value::Number(_)) => {
                    let n: u32 = raw
                        .parse()
                        .map_err(|_| bad(format!("'{raw}' is not a whole number of 0 or more")))?;
                    Some(Value::from(n))
                }
                Some(Value::String(_)) => {
                    NaiveTime::parse_from_str(raw, "%H:%M")
                        .map_err(|_| bad(format!("'{raw}' is not a time HH:MM")))?;
                    Some(Value::from(raw))
                }
                _ => return Err(bad("no such setting".into())),
            }
        };
        let path = self.path().to_path_buf();
        let now = Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true);
        let result = match value {
            Some(v) => self.conn().execute(
                "INSERT INTO setting (key, value, updated_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value,
                     updated_at = excluded.updated_at",
                params![key, v.to_string(), now],
            ),
            None => self
                .conn()
                .execute("DELETE FROM setting WHERE key = ?1", [key]),
        };
        result.map_err(|e| Error::db(&path, e))?;
        self.settings()
    }
}

/// A target as typed: `80%`, `0.8`, `30` (seconds or a count).
fn parse_target(raw: &str) -> std::result::Result<f64, String> {
    let (number, percent) = match raw.strip_suffix('%') {
        Some(n) => (n.trim(), true),
        None => (raw, false),
    };
    let v: f64 = number
        .replace(',', ".")
        .parse()
        .map_err(|_| format!("'{raw}' is not a number"))?;
    if !v.is_finite() {
        return Err(format!("'{raw}' is not a number"));
    }
    Ok(if percent { v / 100.0 } else { v })
}
