//! The evidence engine: every metric of spec/metrics.md computed from the imported records, with
//! its sample size, 95 % interval, status against the audit's target and, when inconclusive, how
//! many records would decide it. Contacts and complaints are each read once, in one pass.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, FixedOffset, SecondsFormat};
use rusqlite::types::ValueRef;
use serde::Serialize;
use ts_rs::TS;

use crate::audit::Audit;
use crate::error::{Error, Result};
use crate::metric::{self, Comparator, Population, Unit};
use crate::settings::{Settings, Target};
use crate::stats::{self, Moments, Verdict, Z95};

/// Where a metric stands against its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Status {
    Pass,
    Fail,
    /// Too few records to decide: the interval straddles the target.
    Inconclusive,
    /// The population is empty: never 0 % and never 100 %.
    NotAssessable,
    /// Shown for information; no target.
    Monitor,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Fail => "fail",
            Status::Inconclusive => "inconclusive",
            Status::NotAssessable => "not_assessable",
            Status::Monitor => "monitor",
        }
    }
}

/// One metric computed over the audit's records.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct MetricResult {
    pub id: String,
    pub unit: Unit,
    pub population: Population,
    /// Records meeting the formula's numerator (for breach counts: the breaches). Absent for
    /// statistics such as `asa_seconds`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "number")]
    pub k: Option<u64>,
    /// Records in the population (the denominator).
    #[ts(type = "number")]
    pub n: u64,
    /// The figure: a fraction 0–1 for proportions and breach counts (k / n), seconds for
    /// `asa_seconds`, complaints per 1,000 contacts; `None` when not assessable.
    pub value: Option<f64>,
    /// 95 % interval (Wilson for proportions, normal approximation for a mean).
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    /// The target in the metric's unit (for breach counts: the breaches allowed).
    pub target: Option<f64>,
    pub comparator: Comparator,
    pub zero_tolerance: bool,
    pub status: Status,
    /// What the status means in words, with the sample-size advice when inconclusive.
    pub advice: String,
    /// How many more records would decide an inconclusive metric if its rate held.
    #[ts(type = "number | null")]
    pub more_records: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub p50: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub p90: Option<f64>,
    /// For `channels_present`: the channels found, and the channels required.
    pub channels: Vec<String>,
    pub required_channels: Vec<String>,
    /// The formula in words.
    pub formula: String,
    /// The settings the figure was computed with, in words (`T = 20 s`, `D = 15 days`, …).
    pub parameters: Vec<String>,
    /// The imports (by id) whose records make up the population.
    #[ts(type = "number[]")]
    pub sources: Vec<i64>,
}

/// An import that evidence came from.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Source {
    #[ts(type = "number")]
    pub id: i64,
    pub kind: String,
    pub role: String,
    pub file_name: String,
    pub sha256: String,
    pub preset: String,
    #[ts(type = "number")]
    pub records: u64,
    pub imported_at: String,
}

/// Every metric of the audit, with the settings and sources they were computed from.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Evidence {
    pub settings: Settings,
    pub metrics: Vec<MetricResult>,
    pub sources: Vec<Source>,
    #[ts(type = "number")]
    pub contacts: u64,
    #[ts(type = "number")]
    pub complaints: u64,
    /// End of data: the latest contact start and the latest complaint receipt (RFC 3339).
    pub contacts_end: Option<String>,
    pub complaints_end: Option<String>,
}

impl Evidence {
    pub fn metric(&self, id: &str) -> Option<&MetricResult> {
        self.metrics.iter().find(|m| m.id == id)
    }

    /// The evidence with each metric's advice, formula and settings in `lang` (computed in
    /// English; the figures are the same in every language).
    pub fn in_language(mut self, lang: crate::report::i18n::Lang) -> Evidence {
        for m in &mut self.metrics {
            m.advice = lang.advice(m);
            m.formula = lang.formula(&m.id, &m.formula);
            m.parameters = self.settings.used_by_in(&m.id, lang);
        }
        self
    }
}

/// A proportion k / n under way.
#[derive(Debug, Default, Clone, Copy)]
struct Count {
    k: u64,
    n: u64,
}

impl Count {
    fn add(&mut self, hit: bool) {
        self.add_many(hit, 1);
    }
    fn add_many(&mut self, hit: bool, n: u64) {
        self.n += n;
        self.k += if hit { n } else { 0 };
    }
}

const DAY: i64 = 86_400;

#[derive(Default)]
struct ContactTally {
    total: u64,
    service_level: Count,
    abandon: Count,
    asa: Moments,
    asa_histogram: BTreeMap<u32, u64>,
    agent_or_callback: Count,
    callback_after_60: Count,
    agent_id: Count,
    survey: Count,
    csat: Count,
    escalation: Count,
    outside_hours: Count,
    without_consent: Count,
    channels: BTreeSet<String>,
    first_day: Option<i64>,
    last: Option<(i64, i32)>,
    in_complaint_period: u64,
    /// Outbound contacts to a known customer.
    outbound_with_customer: u64,
}

#[derive(Default)]
struct ComplaintTally {
    total: u64,
    ack: Count,
    reference: Count,
    eta: Count,
    resolved_in_time: Count,
    overdue_open: Count,
    satisfied: Count,
    channels: BTreeSet<String>,
    first_day: Option<i64>,
    last: Option<(i64, i32)>,
}

fn text(v: ValueRef<'_>) -> &str {
    match v {
        ValueRef::Text(t) => std::str::from_utf8(t).unwrap_or(""),
        _ => "",
    }
}

fn int(v: ValueRef<'_>) -> Option<i64> {
    match v {
        ValueRef::Integer(i) => Some(i),
        _ => None,
    }
}

fn flag(v: ValueRef<'_>) -> Option<bool> {
    int(v).map(|i| i != 0)
}

fn rfc3339(at: i64, offset_minutes: i32) -> Option<String> {
    let tz = FixedOffset::east_opt(offset_minutes * 60)?;
    DateTime::from_timestamp(at, 0).map(|t| {
        t.with_timezone(&tz)
            .to_rfc3339_opts(SecondsFormat::Secs, true)
    })
}

/// Computes every metric over the records of `audit`.
pub fn compute(audit: &Audit) -> Result<Evidence> {
    let settings = audit.settings()?;
    let db = |e: rusqlite::Error| Error::db(audit.path(), e);
    let conn = audit.conn();
    let p = &settings.parameters;

    // Complaints first: their period bounds the contacts counted for complaints_per_1000.
    let end: Option<i64> = conn
        .query_row("SELECT max(received_at) FROM complaint", [], |r| r.get(0))
        .map_err(db)?;
    let mut kt = ComplaintTally::default();
    {
        let d = i64::from(p.complaint_resolution_days) * DAY;
        let mut stmt = conn
            .prepare(
                "SELECT received_at, utc_offset, acknowledged_at, reference_given, eta_given,
                        resolved_at, satisfied, channel
                 FROM complaint",
            )
            .map_err(db)?;
        let mut rows = stmt.query([]).map_err(db)?;
        while let Some(r) = rows.next().map_err(db)? {
            let received = int(r.get_ref(0).map_err(db)?).unwrap_or(0);
            let offset = int(r.get_ref(1).map_err(db)?).unwrap_or(0) as i32;
            let ack = int(r.get_ref(2).map_err(db)?);
            let resolved = int(r.get_ref(5).map_err(db)?);
            kt.total += 1;
            kt.ack.add(ack.is_some_and(|a| a - received <= DAY));
            if let Some(b) = flag(r.get_ref(3).map_err(db)?) {
                kt.reference.add(b);
            }
            let quick = resolved.is_some_and(|x| x - received <= DAY);
            if let (false, Some(b)) = (quick, flag(r.get_ref(4).map_err(db)?)) {
                kt.eta.add(b);
            }
            if let Some(end) = end {
                if received <= end - d {
                    kt.resolved_in_time
                        .add(resolved.is_some_and(|x| x - received <= d));
                }
                kt.overdue_open
                    .add(resolved.is_none() && end - received > d);
            }
            if let Some(b) = flag(r.get_ref(6).map_err(db)?) {
                kt.satisfied.add(b);
            }
            let channel = text(r.get_ref(7).map_err(db)?);
            if !channel.is_empty() && !kt.channels.contains(channel) {
                kt.channels.insert(channel.to_string());
            }
            let day = received.div_euclid(DAY);
            kt.first_day = Some(kt.first_day.map_or(day, |f| f.min(day)));
            if kt.last.is_none_or(|(l, _)| received > l) {
                kt.last = Some((received, offset));
            }
        }
    }
    let complaint_days = kt.first_day.zip(kt.last.map(|(l, _)| l.div_euclid(DAY)));

    // Contacts: from the per-import tallies (migrations/04-tallies), exact for any setting.
    let mut ct = ContactTally::default();
    {
        let short = i64::from(p.short_abandon_seconds);
        let t = i64::from(p.service_level_seconds);
        let (open, close) = settings.calling_hours();
        let (open, close) = (i64::from(open), i64::from(close));
        let mut stmt = conn
            .prepare(
                "SELECT x.family, x.t, x.a, x.b, x.c, x.d, x.n FROM contact_tally x
                 JOIN import i ON i.id = x.import_id WHERE i.role = 'records'",
            )
            .map_err(db)?;
        let mut rows = stmt.query([]).map_err(db)?;
        while let Some(r) = rows.next().map_err(db)? {
            let get = |i: usize| r.get_ref(i).map_err(db);
            let family = text(get(0)?);
            let label = text(get(1)?);
            let (a, b, c, d) = (int(get(2)?), int(get(3)?), int(get(4)?), int(get(5)?));
            let n = int(get(6)?).unwrap_or(0) as u64;
            match family {
                "queue" => {
                    let q = a.unwrap_or(0);
                    let callback_offered = b.map(|x| x != 0);
                    let answered = label == "answered";
                    let abandoned = label == "abandoned";
                    // Offered: queued inbound voice contacts, less the short abandons.
                    if abandoned && q < short {
                        continue;
                    }
                    if answered || abandoned {
                        ct.service_level.add_many(answered && q <= t, n);
                    }
                    if answered || abandoned || label == "callback" {
                        ct.abandon.add_many(abandoned, n);
                    }
                    if answered {
                        ct.asa.push_many(q as f64, n);
                        *ct.asa_histogram
                            .entry(q.clamp(0, u32::MAX as i64) as u32)
                            .or_default() += n;
                    }
                    if answered && q <= 60 {
                        ct.agent_or_callback.add_many(true, n);
                    } else if let Some(offer) = callback_offered {
                        ct.agent_or_callback.add_many(offer, n);
                    }
                    if let (true, Some(offer)) = (q > 60, callback_offered) {
                        ct.callback_after_60.add_many(offer, n);
                    }
                }
                "answer" => {
                    // Every contact, whatever its channel and direction.
                    if a == Some(1) {
                        ct.agent_id.add_many(b == Some(1), n);
                        ct.survey.add_many(c.is_some(), n);
                        if let Some(e) = d {
                            ct.escalation.add_many(e != 0, n);
                        }
                    }
                    if let Some(score) = c {
                        ct.csat.add_many(score >= 4, n);
                    }
                }
                "outbound" => {
                    // Inside the window: open ≤ local ≤ close, to the second. The window's
                    // ends are whole minutes, so a minute's seconds 1–59 are all inside or all
                    // outside; only second 0 (kept apart, `b`) can sit on the closing time.
                    let at = a.unwrap_or(0) * 60;
                    let inside = if b == Some(1) {
                        open <= at && at <= close
                    } else {
                        open <= at && at < close
                    };
                    let outside = !inside;
                    ct.outside_hours.add_many(outside, n);
                    if let Some(consent) = c {
                        ct.without_consent.add_many(consent == 0, n);
                    }
                    if d == Some(1) {
                        ct.outbound_with_customer += n;
                    }
                }
                "day" => {
                    ct.total += n;
                    if !label.is_empty() && !ct.channels.contains(label) {
                        ct.channels.insert(label.to_string());
                    }
                    let day = a.unwrap_or(0);
                    ct.first_day = Some(ct.first_day.map_or(day, |f| f.min(day)));
                    let latest = b.unwrap_or(0);
                    if ct.last.is_none_or(|(l, _)| latest > l) {
                        ct.last = Some((latest, c.unwrap_or(0) as i32));
                    }
                    if complaint_days.is_some_and(|(x, y)| (x..=y).contains(&day)) {
                        ct.in_complaint_period += n;
                    }
                }
                _ => {}
            }
        }
    }
    // Outbound contacts to a customer more than the grace period after that customer's
    // (earliest) opt-out, through the two partial indexes.
    let grace = i64::from(p.opt_out_grace_days) * DAY;
    let after: i64 = conn
        .query_row(
            "SELECT count(*) FROM contact c
             JOIN (SELECT customer_ref, min(opted_out_at) AS o FROM contact
                   WHERE opted_out_at IS NOT NULL GROUP BY customer_ref) x
               ON x.customer_ref = c.customer_ref
             JOIN import i ON i.id = c.import_id AND i.role = 'records'
             WHERE c.direction = 'outbound' AND c.customer_ref IS NOT NULL
               AND c.started_at > x.o + ?1",
            [grace],
            |r| r.get(0),
        )
        .map_err(db)?;
    let after_opt_out = Count {
        k: after as u64,
        n: ct.outbound_with_customer,
    };
    let complaints_in_contact_period: u64 = match ct.first_day.zip(ct.last) {
        Some((first, (last, _))) => conn
            .query_row(
                "SELECT count(*) FROM complaint WHERE received_at >= ?1 AND received_at < ?2",
                [first * DAY, (last.div_euclid(DAY) + 1) * DAY],
                |r| r.get::<_, i64>(0),
            )
            .map_err(db)? as u64,
        None => 0,
    };

    let qa: Vec<(String, u64, u64)> = {
        let mut stmt = conn
            .prepare(
                "SELECT name, sum(passed), count(*) FROM contact_qa GROUP BY name ORDER BY name",
            )
            .map_err(db)?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    format!("qa_{}", r.get::<_, String>(0)?.trim_start_matches("qa_")),
                    r.get::<_, i64>(1)? as u64,
                    r.get::<_, i64>(2)? as u64,
                ))
            })
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
            .map_err(db)?;
        rows
    };

    let sources = sources(audit)?;
    let ids_of = |kind: &str, role: &str| -> Vec<i64> {
        sources
            .iter()
            .filter(|s| s.kind == kind && s.role == role && s.records > 0)
            .map(|s| s.id)
            .collect()
    };
    let contact_sources = ids_of("calls", "records");
    let complaint_sources = ids_of("complaints", "records");
    let qa_sources: Vec<i64> = {
        let mut ids = ids_of("calls", "qa");
        if !qa.is_empty() {
            let mut stmt = conn
                .prepare(
                    "SELECT DISTINCT c.import_id FROM contact_qa q JOIN contact c ON c.id = q.contact_id
                     ORDER BY 1",
                )
                .map_err(db)?;
            let more = stmt
                .query_map([], |r| r.get::<_, i64>(0))
                .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
                .map_err(db)?;
            ids.extend(more);
            ids.sort_unstable();
            ids.dedup();
        }
        ids
    };

    let mut metrics = Vec::new();
    let mut push = |id: &str, figure: Figure| {
        let def = metric::definition(id).expect("a known metric");
        let target = settings.target(id).expect("a known metric");
        let sources = match def.population {
            Population::Contacts if id.starts_with("qa_") => qa_sources.clone(),
            Population::Contacts => contact_sources.clone(),
            Population::Complaints => complaint_sources.clone(),
            Population::Both => {
                let mut all = contact_sources.clone();
                all.extend(&complaint_sources);
                all
            }
        };
        let mut m = judge(id, &def, &target, figure, sources);
        m.parameters = settings.used_by(id);
        metrics.push(m);
    };
    push("service_level", Figure::Proportion(ct.service_level));
    push("abandon_rate", Figure::Proportion(ct.abandon));
    push(
        "asa_seconds",
        Figure::Mean(ct.asa, ct.asa_histogram.clone()),
    );
    push(
        "agent_or_callback_60s",
        Figure::Proportion(ct.agent_or_callback),
    );
    push(
        "callback_offer_after_60s",
        Figure::Proportion(ct.callback_after_60),
    );
    push("agent_id_recorded", Figure::Proportion(ct.agent_id));
    push("survey_coverage", Figure::Proportion(ct.survey));
    push("csat_top2", Figure::Proportion(ct.csat));
    push("escalation_available", Figure::Proportion(ct.escalation));
    let present: BTreeSet<String> = ct.channels.union(&kt.channels).cloned().collect();
    push(
        "channels_present",
        Figure::Channels(present, ct.total + kt.total),
    );
    push("outbound_outside_hours", Figure::Breaches(ct.outside_hours));
    push(
        "outbound_without_consent",
        Figure::Breaches(ct.without_consent),
    );
    push("contact_after_opt_out", Figure::Breaches(after_opt_out));
    push("complaint_ack_24h", Figure::Proportion(kt.ack));
    push(
        "complaint_reference_given",
        Figure::Proportion(kt.reference),
    );
    push("complaint_eta_given", Figure::Proportion(kt.eta));
    push(
        "complaint_resolved_in_time",
        Figure::Proportion(kt.resolved_in_time),
    );
    push("complaint_overdue_open", Figure::Breaches(kt.overdue_open));
    push("complaint_satisfied", Figure::Proportion(kt.satisfied));
    push(
        "complaints_per_1000",
        Figure::Rate {
            complaints: complaints_in_contact_period,
            contacts: ct.in_complaint_period,
        },
    );
    // QA pass rates: those found in the records and those the checklist binds.
    let mut qa_ids: BTreeMap<String, Count> = settings
        .targets
        .keys()
        .filter(|id| metric::is_qa_metric(id))
        .map(|id| (id.clone(), Count::default()))
        .collect();
    for (id, k, n) in qa {
        if metric::is_qa_metric(&id) {
            qa_ids.insert(id, Count { k, n });
        }
    }
    for (id, count) in qa_ids {
        push(&id, Figure::Proportion(count));
    }

    Ok(Evidence {
        settings: settings.clone(),
        metrics,
        sources,
        contacts: ct.total,
        complaints: kt.total,
        contacts_end: ct.last.and_then(|(at, off)| rfc3339(at, off)),
        complaints_end: kt.last.and_then(|(at, off)| rfc3339(at, off)),
    })
}

/// The imports in the audit, oldest first.
pub fn sources(audit: &Audit) -> Result<Vec<Source>> {
    let db = |e: rusqlite::Error| Error::db(audit.path(), e);
    let mut stmt = audit
        .conn()
        .prepare(
            "SELECT id, kind, role, file_name, sha256, preset, records, imported_at
             FROM import ORDER BY id",
        )
        .map_err(db)?;
    let rows = stmt
        .query_map([], |r| {
            Ok(Source {
                id: r.get(0)?,
                kind: r.get(1)?,
                role: r.get(2)?,
                file_name: r.get(3)?,
                sha256: r.get(4)?,
                preset: r.get(5)?,
                records: r.get::<_, i64>(6)? as u64,
                imported_at: r.get(7)?,
            })
        })
        .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
        .map_err(db)?;
    Ok(rows)
}

enum Figure {
    Proportion(Count),
    /// Zero-tolerance breaches: k breaches among n records.
    Breaches(Count),
    Mean(Moments, BTreeMap<u32, u64>),
    Channels(BTreeSet<String>, u64),
    Rate {
        complaints: u64,
        contacts: u64,
    },
}

fn percent(x: f64) -> String {
    let p = x * 100.0;
    if (p - p.round()).abs() < 0.05 {
        format!("{p:.0} %")
    } else {
        format!("{p:.1} %")
    }
}

fn judge(
    id: &str,
    def: &metric::MetricDef,
    target: &Target,
    figure: Figure,
    sources: Vec<i64>,
) -> MetricResult {
    let mut m = MetricResult {
        id: id.to_string(),
        unit: metric::unit(id),
        population: def.population,
        k: None,
        n: 0,
        value: None,
        ci_low: None,
        ci_high: None,
        target: target.value,
        comparator: target.comparator,
        zero_tolerance: target.zero_tolerance,
        status: Status::NotAssessable,
        advice: String::new(),
        more_records: None,
        p50: None,
        p90: None,
        channels: Vec::new(),
        required_channels: Vec::new(),
        formula: def.formula.to_string(),
        parameters: Vec::new(),
        sources,
    };
    let empty = "Not assessable: no records in its population.".to_string();
    match figure {
        Figure::Proportion(c) | Figure::Breaches(c) if c.n == 0 => {
            m.k = Some(0);
            m.advice = empty;
        }
        Figure::Proportion(c) => {
            m.k = Some(c.k);
            m.n = c.n;
            m.value = Some(c.k as f64 / c.n as f64);
            let (low, high) = stats::wilson(c.k as f64, c.n as f64, Z95).expect("n > 0");
            (m.ci_low, m.ci_high) = (Some(low), Some(high));
            match (target.comparator, target.value) {
                (Comparator::AtLeast | Comparator::AtMost, Some(t)) => {
                    let at_least = target.comparator == Comparator::AtLeast;
                    if target.zero_tolerance {
                        // Any breach fails a zero-tolerance metric.
                        let breaches = if at_least { c.n - c.k } else { c.k };
                        if breaches > 0 {
                            m.status = Status::Fail;
                            m.advice = format!(
                                "Fails: {breaches} breach{} of zero tolerance ({} of {}).",
                                if breaches == 1 { "" } else { "es" },
                                percent(breaches as f64 / c.n as f64),
                                c.n
                            );
                        } else {
                            m.status = Status::Pass;
                            m.advice = format!("Passes: no breach among {} records.", c.n);
                        }
                    } else {
                        m.status = match stats::judge(low, high, t, at_least) {
                            Verdict::Pass => Status::Pass,
                            Verdict::Fail => Status::Fail,
                            Verdict::Inconclusive => Status::Inconclusive,
                        };
                        (m.advice, m.more_records) = proportion_advice(m.status, c, t, at_least);
                    }
                }
                _ => {
                    m.status = Status::Monitor;
                    m.advice = "Monitored: no target.".into();
                }
            }
        }
        Figure::Breaches(c) => {
            m.k = Some(c.k);
            m.n = c.n;
            m.value = Some(c.k as f64 / c.n as f64);
            let (low, high) = stats::wilson(c.k as f64, c.n as f64, Z95).expect("n > 0");
            (m.ci_low, m.ci_high) = (Some(low), Some(high));
            let allowed = target.value.unwrap_or(0.0);
            if c.k as f64 > allowed {
                m.status = Status::Fail;
                m.advice = format!(
                    "Fails: {} breach{} among {} records ({}); {} allowed.",
                    c.k,
                    if c.k == 1 { "" } else { "es" },
                    c.n,
                    percent(c.k as f64 / c.n as f64),
                    allowed
                );
            } else {
                m.status = Status::Pass;
                m.advice = if c.k == 0 {
                    format!("Passes: no breach among {} records.", c.n)
                } else {
                    format!(
                        "Passes: {} breaches among {} records, {allowed} allowed.",
                        c.k, c.n
                    )
                };
            }
        }
        Figure::Mean(moments, histogram) => {
            m.n = moments.n();
            if m.n == 0 {
                m.advice = empty;
                return m;
            }
            m.value = moments.mean();
            m.p50 = stats::quantile(&histogram, 0.5);
            m.p90 = stats::quantile(&histogram, 0.9);
            let mean = m.value.expect("n > 0");
            match (moments.interval(), target.value) {
                (Some((low, high)), Some(t)) => {
                    (m.ci_low, m.ci_high) = (Some(low), Some(high));
                    let at_least = target.comparator == Comparator::AtLeast;
                    m.status = match stats::judge(low, high, t, at_least) {
                        Verdict::Pass => Status::Pass,
                        Verdict::Fail => Status::Fail,
                        Verdict::Inconclusive => Status::Inconclusive,
                    };
                    m.advice = match m.status {
                        Status::Pass => format!("Passes: mean {mean:.1} s, target {t} s."),
                        Status::Fail => format!("Fails: mean {mean:.1} s, target {t} s."),
                        _ => {
                            let half = (high - low) / 2.0;
                            let sd = half * (m.n as f64).sqrt() / Z95;
                            if (mean - t).abs() < 1e-9 {
                                "Inconclusive: the mean equals the target; more records will not decide it.".into()
                            } else {
                                let total = ((Z95 * sd / (mean - t)).powi(2)).ceil() as u64 + 1;
                                let more = total.saturating_sub(m.n).max(1);
                                m.more_records = Some(more);
                                format!(
                                    "Inconclusive: about {more} more records (n = {}) would decide it if the mean stays at {mean:.1} s.",
                                    m.n + more
                                )
                            }
                        }
                    };
                }
                (None, Some(_)) => {
                    m.status = Status::Inconclusive;
                    m.more_records = Some(1);
                    m.advice = "Inconclusive: one record is too few for an interval.".into();
                }
                (_, None) => {
                    m.status = Status::Monitor;
                    m.advice = "Monitored: no target.".into();
                }
            }
        }
        Figure::Channels(present, records) => {
            m.channels = present.iter().cloned().collect();
            m.required_channels = target.channels.clone();
            if records == 0 {
                m.advice = empty;
                return m;
            }
            let required = target.channels.len() as u64;
            let found = target
                .channels
                .iter()
                .filter(|c| present.contains(*c))
                .count() as u64;
            m.k = Some(found);
            m.n = required;
            m.value = (required > 0).then(|| found as f64 / required as f64);
            let missing: Vec<&str> = target
                .channels
                .iter()
                .filter(|c| !present.contains(*c))
                .map(String::as_str)
                .collect();
            if missing.is_empty() {
                m.status = Status::Pass;
                m.advice = format!("Passes: {} present.", m.channels.join(", "));
            } else {
                m.status = Status::Fail;
                m.advice = format!("Fails: no records on {}.", missing.join(", "));
            }
        }
        Figure::Rate {
            complaints,
            contacts,
        } => {
            m.k = Some(complaints);
            m.n = contacts;
            if contacts == 0 {
                m.advice = "Not assessable: no contacts in the period the complaints cover.".into();
                return m;
            }
            m.value = Some(complaints as f64 / contacts as f64 * 1000.0);
            m.status = Status::Monitor;
            m.advice = "Monitored: no target.".into();
        }
    }
    m
}

fn proportion_advice(
    status: Status,
    c: Count,
    target: f64,
    at_least: bool,
) -> (String, Option<u64>) {
    let rate = percent(c.k as f64 / c.n as f64);
    let goal = format!("{} {}", if at_least { "≥" } else { "≤" }, percent(target));
    match status {
        Status::Pass => (
            format!("Passes: {rate} ({}/{}), target {goal}.", c.k, c.n),
            None,
        ),
        Status::Fail => (
            format!("Fails: {rate} ({}/{}), target {goal}.", c.k, c.n),
            None,
        ),
        _ => match stats::records_to_decide(c.k, c.n, target, at_least) {
            Some(total) => {
                let more = total.saturating_sub(c.n).max(1);
                (
                    format!(
                        "Inconclusive: about {more} more records (n = {}) would decide it if the rate stays at {rate}.",
                        c.n + more
                    ),
                    Some(more),
                )
            }
            None => (
                format!(
                    "Inconclusive: the rate {rate} equals the target; more records will not decide it."
                ),
                None,
            ),
        },
    }
}
