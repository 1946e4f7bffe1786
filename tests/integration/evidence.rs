//! The evidence engine: metrics on small fixtures whose every figure was worked out by hand (in
//! the comments), the Wilson interval against published values, the sampling planner and draw,
//! suggested grades, scores and every row of the readiness decision table.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use clausewise::evidence::{Evidence, MetricResult, Status};
use clausewise::findings::FindingUpdate;
use clausewise::import::Kind;
use clausewise::sampling::{self, SampleRequest, SizeRule, Stratum};
use clausewise::scoring::Decision;
use clausewise::settings::SettingChange;
use clausewise::stats;
use clausewise::{AssessmentUpdate, Audit, AuditType, Checklist, Grade, NewAudit};

use crate::support::{
    clause, clausewise, create_audit, import_into, mini_checklist, raw_open, realdata, status,
    stdout_json, write,
};

// ---- fixtures -----------------------------------------------------------------------------------

const CONTACTS_HEADER: &str = "call_id,started_at,channel,direction,queue_seconds,outcome,\
callback_offered,agent_id,escalated,survey_score,customer_ref,consent,opted_out_at";

/// Inbound rows v1–v11 and outbound rows o1–o9. Worked by hand (T = 20 s, short abandon < 5 s):
/// offered = v1 v2 v3 v4 v6 v7 v8 v11 (v5 is a short abandon, v9 never queued, v10 is a chat).
const CONTACT_ROWS: &[&str] = &[
    "v1,2026-10-01T10:00:00+03:00,voice,inbound,10,answered,,A1,no,5,,,",
    "v2,2026-10-01T10:01:00+03:00,voice,inbound,20,answered,,A2,,3,,,",
    "v3,2026-10-01T10:02:00+03:00,voice,inbound,21,answered,,,yes,4,,,",
    "v4,2026-10-01T10:03:00+03:00,voice,inbound,70,answered,no,A1,,,,,",
    "v5,2026-10-01T10:04:00+03:00,voice,inbound,3,abandoned,,,,,,,",
    "v6,2026-10-01T10:05:00+03:00,voice,inbound,5,abandoned,,,,,,,",
    "v7,2026-10-01T10:06:00+03:00,voice,inbound,90,abandoned,yes,,,,,,",
    "v8,2026-10-01T10:07:00+03:00,voice,inbound,65,callback,yes,,,,,,",
    "v9,2026-10-01T10:08:00+03:00,voice,inbound,,answered,,A3,,,,,",
    "v10,2026-10-01T10:09:00+03:00,chat,inbound,30,answered,,A4,,,,,",
    "v11,2026-10-01T10:10:00+03:00,voice,inbound,61,abandoned,,,,,,,",
    // Outbound: calling hours 09:00–20:00 local, both ends included.
    "o1,2026-10-01T09:00:00+03:00,voice,outbound,,voicemail,,,,,C1,yes,",
    "o2,2026-10-01T08:59:59+03:00,voice,outbound,,voicemail,,,,,C2,no,",
    "o3,2026-10-01T20:00:00+03:00,voice,outbound,,voicemail,,,,,C1,yes,",
    "o4,2026-10-01T20:00:01+03:00,voice,outbound,,voicemail,,,,,C3,,",
    // 17:30 local at +00:00 (inside), although 20:30 at +03:00.
    "o5,2026-10-01T17:30:00+00:00,voice,outbound,,voicemail,,,,,C4,yes,",
    // 06:30 local at -05:00 (outside), although 11:30 UTC.
    "o6,2026-10-02T06:30:00-05:00,voice,outbound,,voicemail,,,,,C4,yes,",
    "o7,2026-10-05T10:00:00+03:00,voice,outbound,,voicemail,,,,,C1,yes,2026-10-05T10:05:00+03:00",
    // Exactly three days after the opt-out: not later than the grace period.
    "o8,2026-10-08T10:05:00+03:00,voice,outbound,,voicemail,,,,,C1,yes,",
    "o9,2026-10-08T10:05:01+03:00,voice,outbound,,voicemail,,,,,C1,yes,",
];

const COMPLAINTS_HEADER: &str = "complaint_id,received_at,channel,acknowledged_at,\
reference_given,eta_given,resolved_at,satisfied";

/// End of data = k5's receipt, 2026-10-01T09:00+03:00; D = 15 days.
const COMPLAINT_ROWS: &[&str] = &[
    "k1,2026-09-01T10:00:00+03:00,email,2026-09-02T10:00:00+03:00,yes,,2026-09-01T20:00:00+03:00,yes",
    "k2,2026-09-01T10:00:00+03:00,letter,2026-09-02T10:00:01+03:00,no,yes,2026-09-16T10:00:00+03:00,no",
    "k3,2026-09-10,email,,yes,no,,",
    "k4,2026-09-20T09:00:00+03:00,email,2026-09-20T12:00:00+03:00,,yes,2026-10-06T09:00:01+03:00,yes",
    "k5,2026-10-01T09:00:00+03:00,email,2026-10-01T10:00:00+03:00,yes,,,",
];

fn csv(header: &str, rows: &[&str]) -> String {
    let mut text = format!("{header}\n");
    for r in rows {
        text.push_str(r);
        text.push('\n');
    }
    text
}

fn audit_with(dir: &Path, contacts: &[&str], complaints: &[&str]) -> PathBuf {
    let audit = create_audit(dir, "e.ccaudit");
    if !contacts.is_empty() {
        let f = write(dir, "calls.csv", &csv(CONTACTS_HEADER, contacts));
        let r = import_into(&audit, Kind::Calls, &f, |_| {}).unwrap();
        assert_eq!(
            (r.accepted, r.rejected),
            (contacts.len() as u64, 0),
            "{:?}",
            r.errors
        );
    }
    if !complaints.is_empty() {
        let f = write(dir, "complaints.csv", &csv(COMPLAINTS_HEADER, complaints));
        let r = import_into(&audit, Kind::Complaints, &f, |_| {}).unwrap();
        assert_eq!(
            (r.accepted, r.rejected),
            (complaints.len() as u64, 0),
            "{:?}",
            r.errors
        );
    }
    audit
}

fn evidence(audit: &Path) -> Evidence {
    Audit::open(audit)
        .unwrap()
        .evidence()
        .unwrap()
        .as_ref()
        .clone()
}

fn metric<'a>(e: &'a Evidence, id: &str) -> &'a MetricResult {
    e.metric(id).unwrap_or_else(|| panic!("no metric {id}"))
}

#[track_caller]
fn assert_kn(e: &Evidence, id: &str, k: u64, n: u64) {
    let m = metric(e, id);
    assert_eq!((m.k, m.n), (Some(k), n), "{id}");
    assert!(
        (m.value.unwrap() - k as f64 / n as f64).abs() < 1e-12,
        "{id}: value {:?}",
        m.value
    );
}

// ---- statistics ---------------------------------------------------------------------------------

#[test]
fn wilson_interval_matches_published_values() {
    // Newcombe (1998), Statistics in Medicine 17:857–872, Table I, method 3 (score, no
    // continuity correction), to four decimals.
    let published = [
        (81.0, 263.0, 0.2553, 0.3662),
        (15.0, 148.0, 0.0624, 0.1605),
        (0.0, 20.0, 0.0, 0.1611),
        (1.0, 29.0, 0.0061, 0.1718),
    ];
    for (k, n, low, high) in published {
        let (l, h) = stats::wilson(k, n, stats::Z95).unwrap();
        assert!((l - low).abs() < 5e-5, "{k}/{n}: low {l} vs {low}");
        assert!((h - high).abs() < 5e-5, "{k}/{n}: high {h} vs {high}");
    }
    assert_eq!(stats::wilson(0.0, 0.0, stats::Z95), None);
    assert_eq!(stats::wilson(7.0, 7.0, stats::Z95).unwrap().1, 1.0);
}

#[test]
fn planner_sizes_match_metrics_md_examples() {
    // metrics.md: 59 for 95 % / 5 %; 278 of 1,000 at ±5 %.
    assert_eq!(stats::zero_defect_size(0.95, 0.05, 100_000), 59);
    assert_eq!(stats::estimate_size(0.95, 0.05, 0.5, 1_000), 278);
    // Capped at the population.
    assert_eq!(stats::zero_defect_size(0.95, 0.05, 40), 40);
    // Without the correction (a huge population) n₀ = 1.96²·0.25/0.0025 = 384.1 → 385.
    assert_eq!(stats::estimate_size(0.95, 0.05, 0.5, 1_000_000_000), 385);
    // 99 % / 1 %: ln(0.01)/ln(0.99) = 458.2 → 459.
    assert_eq!(stats::zero_defect_size(0.99, 0.01, 1_000_000), 459);
}

#[test]
fn records_to_decide_is_the_smallest_deciding_total() {
    // Brute force, as a second method: the first total m ≥ n at which the Wilson interval of
    // the same rate no longer straddles the target.
    let brute = |k: u64, n: u64, t: f64, at_least: bool| {
        let p = k as f64 / n as f64;
        (n..2_000_000)
            .find(|&m| {
                let (l, h) = stats::wilson(p * m as f64, m as f64, stats::Z95).unwrap();
                stats::judge(l, h, t, at_least) != stats::Verdict::Inconclusive
            })
            .unwrap()
    };
    for (k, n, t, at_least) in [
        (2, 2, 0.9, true),
        (81, 100, 0.8, true),
        (17, 20, 0.8, true),
        (6, 100, 0.05, false),
        (3, 40, 0.05, false),
    ] {
        assert_eq!(
            stats::records_to_decide(k, n, t, at_least),
            Some(brute(k, n, t, at_least)),
            "{k}/{n} vs {t}"
        );
    }
    assert_eq!(stats::records_to_decide(4, 5, 0.8, true), None);
}

// ---- contact and complaint metrics --------------------------------------------------------------

#[test]
fn contact_metrics_on_a_hand_worked_fixture() {
    let dir = tempfile::tempdir().unwrap();
    let audit = audit_with(dir.path(), CONTACT_ROWS, COMPLAINT_ROWS);
    let e = evidence(&audit);
    assert_eq!((e.contacts, e.complaints), (20, 5));
    // answered ≤ 20 s (v1, v2) / offered answered (v1–v4) + offered abandoned (v6, v7, v11).
    assert_kn(&e, "service_level", 2, 7);
    // offered abandoned (v6, v7, v11) / answered 4 + abandoned 3 + callback 1 (v8).
    assert_kn(&e, "abandon_rate", 3, 8);
    // Queue times of offered answered: 10, 20, 21, 70.
    let asa = metric(&e, "asa_seconds");
    assert_eq!((asa.k, asa.n), (None, 4));
    assert!((asa.value.unwrap() - 30.25).abs() < 1e-12);
    // Nearest rank: p50 = 2nd of 4 = 20, p90 = 4th of 4 = 70.
    assert_eq!((asa.p50, asa.p90), (Some(20.0), Some(70.0)));
    // v1 v2 v3 answered ≤ 60; v7 v8 offered a callback; v4 neither; v6 and v11 unknown.
    assert_kn(&e, "agent_or_callback_60s", 5, 6);
    // Queued over 60 s with the offer known: v4 no, v7 yes, v8 yes (v11 unknown).
    assert_kn(&e, "callback_offer_after_60s", 2, 3);
    // Answered in any channel: v1 v2 v3 v4 v9 v10; with an agent: all but v3.
    assert_kn(&e, "agent_id_recorded", 5, 6);
    assert_kn(&e, "survey_coverage", 3, 6);
    // Scores 5, 3, 4.
    assert_kn(&e, "csat_top2", 2, 3);
    // Answered with `escalated` known: v1 no, v3 yes.
    assert_kn(&e, "escalation_available", 1, 2);
    // Outside 09:00–20:00 local: o2 (08:59:59), o4 (20:00:01), o6 (06:30 at -05:00).
    assert_kn(&e, "outbound_outside_hours", 3, 9);
    // Consent known for 8 outbound contacts (not o4); o2 had none.
    assert_kn(&e, "outbound_without_consent", 1, 8);
    // C1 opted out at o7 (10-05 10:05); o8 is exactly 3 days later, o9 one second after that.
    assert_kn(&e, "contact_after_opt_out", 1, 9);
    let channels = metric(&e, "channels_present");
    assert_eq!(channels.channels, ["chat", "email", "letter", "voice"]);
    assert_eq!(channels.status, Status::Pass);
    // Statuses that follow from the figures alone: zero-tolerance breaches fail.
    for id in [
        "outbound_outside_hours",
        "outbound_without_consent",
        "contact_after_opt_out",
    ] {
        assert_eq!(metric(&e, id).status, Status::Fail, "{id}");
    }
    // 2/7 has an upper bound far below 80 %.
    assert_eq!(metric(&e, "service_level").status, Status::Fail);
    assert_eq!(metric(&e, "survey_coverage").status, Status::Monitor);
    // The end of the data is the latest start, o9.
    assert_eq!(e.contacts_end.as_deref(), Some("2026-10-08T10:05:01+03:00"));
}

#[test]
fn complaint_metrics_on_a_hand_worked_fixture() {
    let dir = tempfile::tempdir().unwrap();
    let audit = audit_with(dir.path(), CONTACT_ROWS, COMPLAINT_ROWS);
    let e = evidence(&audit);
    // Acknowledged within 24 h: k1 (exactly 24 h), k4, k5; k2 one second late; k3 never.
    assert_kn(&e, "complaint_ack_24h", 3, 5);
    // Known for k1 k2 k3 k5; k2 no.
    assert_kn(&e, "complaint_reference_given", 3, 4);
    // Not resolved within a day: k2 k3 k4 k5; eta known for k2 (yes) k3 (no) k4 (yes).
    assert_kn(&e, "complaint_eta_given", 2, 3);
    // Received by end − 15 days (2026-09-16 09:00): k1 k2 k3; in time k1, k2 (exactly 15 days).
    assert_kn(&e, "complaint_resolved_in_time", 2, 3);
    // Open: k3 (21 days old at the end) and k5 (0 days): one overdue among 5.
    assert_kn(&e, "complaint_overdue_open", 1, 5);
    assert_kn(&e, "complaint_satisfied", 2, 3);
    // Same period: the complaints cover 09-01..10-01 (UTC days), the contacts 10-01..10-08.
    // Contacts on 10-01: v1–v11 and o1–o5 (o6 is 10-02 UTC) = 16; complaints on 10-01: k5.
    let per = metric(&e, "complaints_per_1000");
    assert_eq!((per.k, per.n), (Some(1), 16));
    assert!((per.value.unwrap() - 62.5).abs() < 1e-9);
    // Zero tolerance: one "no" among four fails.
    assert_eq!(metric(&e, "complaint_reference_given").status, Status::Fail);
    assert_eq!(
        e.complaints_end.as_deref(),
        Some("2026-10-01T09:00:00+03:00")
    );
}

#[test]
fn empty_populations_are_not_assessable_never_zero_or_hundred() {
    let dir = tempfile::tempdir().unwrap();
    // Only short abandons: nothing is offered.
    let rows = [
        "s1,2026-10-01T10:00:00+03:00,voice,inbound,1,abandoned,,,,,,,",
        "s2,2026-10-01T10:01:00+03:00,voice,inbound,4,abandoned,,,,,,,",
    ];
    let audit = audit_with(dir.path(), &rows, &[]);
    let e = evidence(&audit);
    for id in [
        "service_level",
        "abandon_rate",
        "asa_seconds",
        "agent_or_callback_60s",
        "agent_id_recorded",
        "csat_top2",
        "outbound_outside_hours",
        "complaint_ack_24h",
        "complaint_overdue_open",
        "complaints_per_1000",
        "qa_privacy_ok",
    ] {
        let m = metric(&e, id);
        assert_eq!(m.status, Status::NotAssessable, "{id}");
        assert_eq!((m.n, m.value, m.ci_low), (0, None, None), "{id}");
    }
    // An audit with no records at all: every metric is not assessable.
    let empty = create_audit(dir.path(), "empty.ccaudit");
    let e = evidence(&empty);
    assert!(e
        .metrics
        .iter()
        .all(|m| m.status == Status::NotAssessable && m.value.is_none()));
}

#[test]
fn settings_change_the_figures_and_are_stored_in_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let audit = audit_with(dir.path(), CONTACT_ROWS, &[]);
    let mut a = Audit::open(&audit).unwrap();
    let set = |a: &mut Audit, key: &str, value: &str| {
        a.set_setting(&SettingChange {
            key: key.into(),
            value: value.into(),
        })
    };
    // T = 21: v3 (21 s) now counts too.
    set(&mut a, "service_level_seconds", "21").unwrap();
    // Short abandons below 6 s: v6 (5 s) is no longer offered.
    set(&mut a, "short_abandon_seconds", "6").unwrap();
    // Calling hours end at 20:01: o4 (20:00:01) is inside.
    set(&mut a, "calling_hours_end", "20:01").unwrap();
    set(&mut a, "target.service_level", "40%").unwrap();
    drop(a);
    let e = evidence(&audit);
    assert_kn(&e, "service_level", 3, 6);
    assert_kn(&e, "abandon_rate", 2, 7);
    assert_kn(&e, "outbound_outside_hours", 2, 9);
    assert_eq!(metric(&e, "service_level").target, Some(0.4));
    // Each figure carries the settings it was computed with, as changed.
    assert_eq!(
        metric(&e, "service_level").parameters,
        ["T = 21 s", "short abandon < 6 s"]
    );
    assert_eq!(
        metric(&e, "asa_seconds").parameters,
        ["short abandon < 6 s"]
    );
    assert_eq!(
        metric(&e, "outbound_outside_hours").parameters,
        ["calling hours 09:00–20:01"]
    );
    assert_eq!(
        metric(&e, "contact_after_opt_out").parameters,
        ["opt-out grace 3 days"]
    );
    assert_eq!(
        metric(&e, "complaint_overdue_open").parameters,
        ["D = 15 days"]
    );
    assert!(metric(&e, "csat_top2").parameters.is_empty());
    // Stored in the file, read back with plain SQL.
    let conn = raw_open(&audit);
    let stored: String = conn
        .query_row(
            "SELECT value FROM setting WHERE key = 'service_level_seconds'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(stored, "21");
    drop(conn);
    // Bad values are refused with the setting named; an empty value restores the default.
    let mut a = Audit::open(&audit).unwrap();
    for (key, value) in [
        ("service_level_seconds", "-1"),
        ("calling_hours_start", "9am"),
        ("target.service_level", "120%"),
        ("target.no_such_metric", "1"),
        ("no_such_setting", "1"),
    ] {
        let err = set(&mut a, key, value).unwrap_err().to_string();
        assert!(err.contains(key), "{err}");
    }
    let s = set(&mut a, "service_level_seconds", "").unwrap();
    assert_eq!(s.parameters.service_level_seconds, 20);
}

/// The Technion one-day file, computed independently from the raw CSV with the definitions of
/// metrics.md and the preset's documented decisions (HANG = abandoned, AGENT = answered,
/// PHANTOM skipped, never queued when q_start is 0:00:00).
#[test]
fn technion_one_day_service_level_abandonment_and_asa() {
    let file = realdata("calls/technion_anonbank_oneday_barntrosna.csv");
    let mut reader = csv::Reader::from_path(&file).unwrap();
    let headers = reader.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (q_start, q_time, outcome) = (col("q_start"), col("q_time"), col("outcome"));
    let (mut sl_k, mut sl_n, mut ab_k, mut ab_n) = (0u64, 0u64, 0u64, 0u64);
    let mut waits = Vec::new();
    for row in reader.records() {
        let row = row.unwrap();
        let out = &row[outcome];
        if out == "PHANTOM" || &row[q_start] == "0:00:00" {
            continue;
        }
        let q: i64 = row[q_time].parse().unwrap();
        let answered = out == "AGENT";
        if !answered && q < 5 {
            continue; // a short abandon is not an offered contact
        }
        sl_n += 1;
        ab_n += 1;
        if answered {
            waits.push(q);
            sl_k += u64::from(q <= 20);
        } else {
            ab_k += 1;
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let audit = create_audit(dir.path(), "t.ccaudit");
    import_into(&audit, Kind::Calls, &file, |_| {}).unwrap();
    let e = evidence(&audit);
    assert_kn(&e, "service_level", sl_k, sl_n);
    assert_kn(&e, "abandon_rate", ab_k, ab_n);
    let asa = metric(&e, "asa_seconds");
    let mean = waits.iter().sum::<i64>() as f64 / waits.len() as f64;
    assert_eq!(asa.n, waits.len() as u64);
    assert!((asa.value.unwrap() - mean).abs() < 1e-9);
    waits.sort_unstable();
    let rank = |q: f64| waits[((q * waits.len() as f64).ceil() as usize).max(1) - 1] as f64;
    assert_eq!((asa.p50, asa.p90), (Some(rank(0.5)), Some(rank(0.9))));
    assert!(sl_n > 1000, "the file has {sl_n} offered contacts");
}

// ---- suggested grades, findings, scores and the decision ----------------------------------------

fn mini_audit(dir: &Path, clauses: &str, audit_type: AuditType) -> PathBuf {
    let text = mini_checklist(clauses);
    let path = write(dir, "mini.toml", &text);
    let checklist = Checklist::load(&path).unwrap();
    let mut details = NewAudit::named("Mini Org");
    details.audit_type = audit_type;
    details.end_date = Some("2026-11-20".parse().unwrap());
    let audit = dir.join("mini.ccaudit");
    Audit::create(&audit, &details, &checklist).unwrap();
    audit
}

fn grade(a: &mut Audit, id: &str, g: Grade, reason: &str) -> clausewise::Result<()> {
    a.update_assessment(
        id,
        AssessmentUpdate {
            grade: Some(g),
            note: None,
            reason: Some(reason.into()),
        },
    )
    .map(|_| ())
}

fn plan(a: &mut Audit, clause_id: &str) {
    let id = a
        .findings()
        .unwrap()
        .into_iter()
        .find(|f| f.clause_id == clause_id)
        .unwrap()
        .id;
    a.update_finding(
        id,
        FindingUpdate {
            cause: Some("rota gap".into()),
            action: Some("add evening cover".into()),
            owner: Some("Ops manager".into()),
            ..Default::default()
        },
    )
    .unwrap();
}

fn three_clauses() -> String {
    format!(
        "{}{}{}",
        clause("4.1.1", "4.1", ""),
        clause("4.1.2", "4.1", "weight = 2"),
        clause("4.1.3", "4.1", "mandatory = false")
    )
}

#[test]
fn every_row_of_the_decision_table() {
    let dir = tempfile::tempdir().unwrap();
    let audit = mini_audit(dir.path(), &three_clauses(), AuditType::Stage2);
    let mut a = Audit::open(&audit).unwrap();

    // A mandatory clause not assessed (4.1.2), even beside a major: incomplete.
    grade(&mut a, "4.1.1", Grade::Major, "").unwrap();
    let s = a.scorecard().unwrap();
    assert_eq!(s.decision, Decision::Incomplete);
    assert_eq!(s.reasons.len(), 1);
    assert!(s.reasons[0].starts_with("4.1.2 "), "{:?}", s.reasons);

    // Every mandatory clause assessed, one major: not ready. 4.1.3 is optional and unassessed.
    grade(&mut a, "4.1.2", Grade::Conforming, "").unwrap();
    let s = a.scorecard().unwrap();
    assert_eq!(s.decision, Decision::NotReady);
    assert!(s.reasons[0].starts_with("4.1.1 "));
    // Scores by hand: 4.1.1 major 0 points (weight 1), 4.1.2 conforming 100 (weight 2):
    // (0·1 + 100·2) / 3.
    let section = &s.sections[0];
    assert_eq!(section.id, "4");
    assert!((section.score.unwrap() - 200.0 / 3.0).abs() < 1e-9);
    assert_eq!(
        (section.assessed, section.not_assessed, section.total),
        (2, 1, 3)
    );
    assert!((s.overall.unwrap() - 200.0 / 3.0).abs() < 1e-9);

    // A minor without a plan: conditionally ready. Grading it created its finding.
    grade(&mut a, "4.1.1", Grade::Minor, "").unwrap();
    let findings = a.findings().unwrap();
    assert_eq!(findings.len(), 1, "one finding per nonconformity");
    assert_eq!(findings[0].requirement, "Requirement of 4.1.1");
    // Due 30 days (the setting) after the audit's end date.
    assert_eq!(findings[0].due_date, Some("2026-12-20".parse().unwrap()));
    let s = a.scorecard().unwrap();
    assert_eq!(s.decision, Decision::ConditionallyReady);

    // The same minor with a corrective-action plan: ready subject to corrective actions.
    plan(&mut a, "4.1.1");
    let s = a.scorecard().unwrap();
    assert_eq!(s.decision, Decision::ReadySubjectToCorrectiveActions);
    assert!(s.reasons[0].contains("with a corrective-action plan"));
    // (50·1 + 100·2) / 3.
    assert!((s.overall.unwrap() - 250.0 / 3.0).abs() < 1e-9);

    // No nonconformity: ready (the finding stays on file, inactive).
    grade(&mut a, "4.1.1", Grade::Observation, "").unwrap();
    grade(&mut a, "4.1.3", Grade::Na, "outside the scope").unwrap();
    let s = a.scorecard().unwrap();
    assert_eq!(s.decision, Decision::Ready);
    assert!(!a.findings().unwrap()[0].active);
    // (90·1 + 100·2) / 3; N/A excluded and counted separately.
    assert!((s.overall.unwrap() - 290.0 / 3.0).abs() < 1e-9);
    assert_eq!(s.sections[0].not_applicable, 1);
    assert!(!s.self_assessment);
}

#[test]
fn self_assessment_is_labelled_as_such() {
    let dir = tempfile::tempdir().unwrap();
    let audit = mini_audit(dir.path(), &three_clauses(), AuditType::SelfAssessment);
    let out = clausewise(dir.path(), &["score", audit.to_str().unwrap(), "--json"]);
    assert_eq!(status(&out), 0);
    let v = stdout_json(&out);
    assert_eq!(v["self_assessment"], true);
    assert_eq!(v["audit_type"], "self-assessment");
    let text = clausewise(dir.path(), &["score", audit.to_str().unwrap()]);
    let stdout = String::from_utf8(text.stdout).unwrap();
    assert!(
        stdout.starts_with("Self-assessment readiness: incomplete"),
        "{stdout}"
    );
}

/// A clause bound to three metrics, for the suggestion rules.
fn metric_clause() -> String {
    clause(
        "4.1.1",
        "4.1",
        r#"
[[clause.metric]]
id = "service_level"
[[clause.metric]]
id = "complaint_reference_given"
[[clause.metric]]
id = "complaint_satisfied"
"#,
    )
}

#[test]
fn suggested_grades_follow_grading_md_and_a_different_grade_needs_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    let audit = mini_audit(dir.path(), &metric_clause(), AuditType::Stage2);
    let a = Audit::open(&audit).unwrap();
    // No records: nothing to suggest, and any grade is accepted without a reason.
    assert_eq!(a.suggestion("4.1.1").unwrap(), None);

    // 100 complaints, every one with a reference and satisfied: all pass → conforming.
    let rows: Vec<String> = (0..100)
        .map(|i| format!("c{i},2026-09-01T10:00:00+03:00,email,,yes,,,yes"))
        .collect();
    let refs: Vec<&str> = rows.iter().map(String::as_str).collect();
    let f = write(dir.path(), "k1.csv", &csv(COMPLAINTS_HEADER, &refs));
    drop(a);
    import_into(&audit, Kind::Complaints, &f, |_| {}).unwrap();
    let mut a = Audit::open(&audit).unwrap();
    assert_eq!(
        a.suggestion("4.1.1").unwrap().unwrap().grade,
        Grade::Conforming
    );

    // Grading it otherwise needs a written reason; both grades are kept.
    let err = grade(&mut a, "4.1.1", Grade::Observation, "").unwrap_err();
    assert!(err.to_string().contains("needs a written reason"), "{err}");
    grade(
        &mut a,
        "4.1.1",
        Grade::Observation,
        "script not followed on two calls",
    )
    .unwrap();
    let stored = a.assessment("4.1.1").unwrap().unwrap();
    assert_eq!(
        (stored.grade, stored.suggested),
        (Grade::Observation, Some(Grade::Conforming))
    );

    // Three minor findings on the clause suggest a major (systemic).
    for _ in 0..3 {
        a.add_finding("4.1.1", Grade::Minor).unwrap();
    }
    let s = a.suggestion("4.1.1").unwrap().unwrap();
    assert_eq!(s.grade, Grade::Major, "{:?}", s.reasons);
    drop(a);

    // A zero-tolerance breach: 6 more complaints without a reference among 106 = 5.7 % > 5 %
    // → major; with 5 of 105 (4.8 %) it is a target miss → minor.
    let dir2 = tempfile::tempdir().unwrap();
    for (bad, expected) in [(5usize, Grade::Minor), (6, Grade::Major)] {
        let audit = mini_audit(dir2.path(), &metric_clause(), AuditType::Stage2);
        let mut rows: Vec<String> = (0..100)
            .map(|i| format!("c{i},2026-09-01T10:00:00+03:00,email,,yes,,,yes"))
            .collect();
        rows.extend((0..bad).map(|i| format!("b{i},2026-09-01T10:00:00+03:00,email,,no,,,yes")));
        let refs: Vec<&str> = rows.iter().map(String::as_str).collect();
        let f = write(dir2.path(), "k.csv", &csv(COMPLAINTS_HEADER, &refs));
        import_into(&audit, Kind::Complaints, &f, |_| {}).unwrap();
        let a = Audit::open(&audit).unwrap();
        assert_eq!(
            a.suggestion("4.1.1").unwrap().unwrap().grade,
            expected,
            "{bad} breaches"
        );
        drop(a);
        std::fs::remove_file(&audit).unwrap();
    }
}

#[test]
fn an_inconclusive_metric_suggests_an_observation_with_advice() {
    let dir = tempfile::tempdir().unwrap();
    let audit = mini_audit(dir.path(), &metric_clause(), AuditType::Stage2);
    // 17 of 20 satisfied (85 %, target 80 %): the interval [64 %, 95 %] straddles 80 %.
    let mut rows: Vec<String> = (0..17)
        .map(|i| format!("c{i},2026-09-01T10:00:00+03:00,email,,yes,,,yes"))
        .collect();
    rows.extend((0..3).map(|i| format!("d{i},2026-09-01T10:00:00+03:00,email,,yes,,,no")));
    let refs: Vec<&str> = rows.iter().map(String::as_str).collect();
    let f = write(dir.path(), "k.csv", &csv(COMPLAINTS_HEADER, &refs));
    import_into(&audit, Kind::Complaints, &f, |_| {}).unwrap();
    let a = Audit::open(&audit).unwrap();
    let e = a.evidence().unwrap();
    let m = e.metric("complaint_satisfied").unwrap();
    assert_eq!(m.status, Status::Inconclusive);
    let total = stats::records_to_decide(17, 20, 0.8, true).unwrap();
    assert_eq!(m.more_records, Some(total - 20));
    assert!(m.advice.contains(&format!("n = {total}")), "{}", m.advice);
    let s = a.suggestion("4.1.1").unwrap().unwrap();
    assert_eq!(s.grade, Grade::Observation);
    assert!(s.reasons[0].contains("more records"));
}

// ---- sampling -----------------------------------------------------------------------------------

fn sheet(path: &Path) -> Vec<BTreeMap<String, String>> {
    let mut r = csv::Reader::from_path(path).unwrap();
    let headers = r.headers().unwrap().clone();
    r.records()
        .map(|row| {
            let row = row.unwrap();
            headers
                .iter()
                .zip(row.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

#[test]
fn the_draw_is_reproducible_stratified_and_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("calls.csv");
    let out = clausewise(
        dir.path(),
        &[
            "demo-data",
            "calls",
            "2000",
            "--out",
            data.to_str().unwrap(),
        ],
    );
    assert_eq!(status(&out), 0);
    let audit = create_audit(dir.path(), "s.ccaudit");
    import_into(&audit, Kind::Calls, &data, |_| {}).unwrap();

    let request = |seed| SampleRequest {
        rule: SizeRule::ZeroDefect {
            confidence: 0.95,
            tolerable: 0.05,
        },
        seed,
        strata: vec![Stratum::Channel],
    };
    let mut a = Audit::open(&audit).unwrap();
    let (p1, p2, p3) = (
        dir.path().join("s1.csv"),
        dir.path().join("s2.csv"),
        dir.path().join("s3.csv"),
    );
    let s1 = sampling::draw(&mut a, &request(7), &p1).unwrap();
    sampling::draw(&mut a, &request(7), &p2).unwrap();
    sampling::draw(&mut a, &request(8), &p3).unwrap();
    assert_eq!(s1.size, 59);
    assert_eq!(s1.population, 2000);
    assert_eq!(std::fs::read(&p1).unwrap(), std::fs::read(&p2).unwrap());
    assert_ne!(std::fs::read(&p1).unwrap(), std::fs::read(&p3).unwrap());

    // The allocation is proportional to the channel counts (largest remainder), computed
    // here from the demo file itself.
    let mut by_channel: BTreeMap<String, u64> = BTreeMap::new();
    for row in sheet(&data) {
        *by_channel.entry(row["channel"].clone()).or_default() += 1;
    }
    let pops: Vec<u64> = by_channel.values().copied().collect();
    let mut expected: Vec<f64> = pops.iter().map(|&p| p as f64 * 59.0 / 2000.0).collect();
    let floors: Vec<u64> = expected.iter().map(|x| x.floor() as u64).collect();
    let mut left = 59 - floors.iter().sum::<u64>();
    let mut order: Vec<usize> = (0..pops.len()).collect();
    order.sort_by(|&a, &b| {
        (expected[b] - expected[b].floor())
            .partial_cmp(&(expected[a] - expected[a].floor()))
            .unwrap()
    });
    let mut want = floors.clone();
    for i in order {
        if left > 0 {
            want[i] += 1;
            left -= 1;
        }
    }
    expected.clear();
    let got: Vec<u64> = s1.allocation.iter().map(|x| x.drawn).collect();
    assert_eq!(got, want);
    let rows = sheet(&p1);
    assert_eq!(rows.len(), 59);
    for (stratum, n) in by_channel.keys().zip(&want) {
        assert_eq!(
            rows.iter().filter(|r| &r["channel"] == stratum).count() as u64,
            *n
        );
    }
    // Empty QA columns to fill in; no customer identifier on the sheet.
    assert!(rows[0].contains_key("qa_privacy_ok") && rows[0]["qa_privacy_ok"].is_empty());
    assert!(!rows[0].contains_key("customer_ref"));
    // Seed, strata and method recorded in the audit.
    let conn = raw_open(&audit);
    let (seed, strata, n): (i64, String, i64) = conn
        .query_row(
            "SELECT seed, strata, (SELECT count(*) FROM sample_contact WHERE sample_id = sample.id)
             FROM sample ORDER BY id LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!((seed, strata.as_str(), n), (7, "[\"channel\"]", 59));
}

#[test]
fn a_filled_in_sheet_attaches_qa_to_the_sampled_contacts() {
    let dir = tempfile::tempdir().unwrap();
    let audit = audit_with(dir.path(), CONTACT_ROWS, &[]);
    let sheet_path = dir.path().join("sheet.csv");
    let out = clausewise(
        dir.path(),
        &[
            "sample",
            audit.to_str().unwrap(),
            "--out",
            sheet_path.to_str().unwrap(),
            "--size",
            "5",
            "--seed",
            "42",
        ],
    );
    assert_eq!(status(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    // Fill in two checks: qa_privacy_ok yes for all five, qa_respectful no for the first.
    let text = std::fs::read_to_string(&sheet_path).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let privacy = header.iter().position(|h| *h == "qa_privacy_ok").unwrap();
    let respectful = header.iter().position(|h| *h == "qa_respectful").unwrap();
    let mut filled = format!("{}\n", header.join(","));
    for (i, line) in lines.enumerate() {
        let mut cells: Vec<String> = line.split(',').map(String::from).collect();
        cells[privacy] = "yes".into();
        cells[respectful] = if i == 0 { "no" } else { "yes" }.into();
        filled.push_str(&cells.join(","));
        filled.push('\n');
    }
    let filled_path = write(dir.path(), "filled.csv", &filled);
    let before = evidence(&audit);
    let r = import_into(&audit, Kind::Calls, &filled_path, |_| {}).unwrap();
    assert_eq!((r.role.as_str(), r.records), ("qa", 5));
    let e = evidence(&audit);
    // No contact counted twice.
    assert_eq!(e.contacts, before.contacts);
    assert_kn(&e, "service_level", 2, 7);
    assert_kn(&e, "qa_privacy_ok", 5, 5);
    assert_kn(&e, "qa_respectful", 4, 5);
    assert_eq!(metric(&e, "qa_privacy_ok").status, Status::Pass);
    // The QA rows belong to the contacts the sample drew.
    let conn = raw_open(&audit);
    let orphans: i64 = conn
        .query_row(
            "SELECT count(*) FROM contact_qa q WHERE q.contact_id NOT IN
                 (SELECT contact_id FROM sample_contact)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(orphans, 0);
}

// ---- the command line ---------------------------------------------------------------------------

#[test]
fn metrics_and_score_json_have_the_keys_of_cli_md() {
    let dir = tempfile::tempdir().unwrap();
    let audit = audit_with(dir.path(), CONTACT_ROWS, COMPLAINT_ROWS);
    let a = audit.to_str().unwrap();
    let out = clausewise(dir.path(), &["metrics", a, "--json"]);
    assert_eq!(status(&out), 0);
    let v = stdout_json(&out);
    let metrics = v["metrics"].as_array().unwrap();
    let sl = metrics.iter().find(|m| m["id"] == "service_level").unwrap();
    for key in [
        "id",
        "k",
        "n",
        "value",
        "ci_low",
        "ci_high",
        "target",
        "comparator",
        "status",
        "advice",
    ] {
        assert!(sl.get(key).is_some(), "metrics --json lacks {key}");
    }
    assert_eq!((sl["k"].as_u64(), sl["n"].as_u64()), (Some(2), Some(7)));
    assert_eq!(sl["comparator"], ">=");
    assert_eq!(sl["status"], "fail");
    let asa = metrics.iter().find(|m| m["id"] == "asa_seconds").unwrap();
    assert!(asa.get("k").is_none(), "a statistic has no k");
    assert_eq!(
        (asa["p50"].as_f64(), asa["p90"].as_f64()),
        (Some(20.0), Some(70.0))
    );
    let not_assessable = metrics.iter().find(|m| m["id"] == "qa_privacy_ok").unwrap();
    assert_eq!(not_assessable["status"], "not_assessable");
    assert!(not_assessable["value"].is_null());

    let g = clausewise(dir.path(), &["grade", a, "4.1.1", "conforming"]);
    assert_eq!(status(&g), 0);
    let out = clausewise(dir.path(), &["score", a, "--json"]);
    assert_eq!(status(&out), 0);
    let v = stdout_json(&out);
    for key in ["decision", "overall", "sections", "clauses", "reasons"] {
        assert!(v.get(key).is_some(), "score --json lacks {key}");
    }
    assert_eq!(v["decision"], "incomplete");
    let c = &v["clauses"][0];
    for key in ["id", "grade", "suggested", "score"] {
        assert!(c.get(key).is_some(), "score clauses lack {key}");
    }
    assert_eq!(
        (c["id"].as_str(), c["grade"].as_str()),
        (Some("4.1.1"), Some("conforming"))
    );
    assert_eq!(c["score"].as_f64(), Some(100.0));
    assert_eq!(v["sections"][0]["id"], "4");
    assert_eq!(v["sections"][0]["score"].as_f64(), Some(100.0));
}

/// The importer's tallies equal the migration's SQL backfill over the same contacts (a second,
/// independent statement of the same definitions).
#[test]
fn the_importers_contact_tallies_equal_the_sql_definitions() {
    let dir = tempfile::tempdir().unwrap();
    let data = demo_calls(dir.path(), 3000);
    assert_tallies_equal_sql(dir.path(), &data);
}

/// A contact whose id repeats an earlier one is not stored, and not counted: here the repeats
/// start last on their day and have another outcome, so that counting them would show (in
/// the first and the last group of rows the importer hands on).
#[test]
fn the_importers_contact_tallies_leave_out_repeated_ids() {
    let dir = tempfile::tempdir().unwrap();
    let data = demo_calls(dir.path(), 3000);
    let text = std::fs::read_to_string(&data).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let repeat = |line: &str| {
        let mut fields: Vec<String> = line.split(',').map(str::to_string).collect();
        // started_at: the same day, last thing; outcome: another one.
        let (day, rest) = fields[1].split_once('T').unwrap();
        fields[1] = format!("{day}T23:59:59{}", &rest[8..]);
        fields[7] = if fields[7] == "answered" {
            "abandoned"
        } else {
            "answered"
        }
        .into();
        fields.join(",")
    };
    let (early, late) = (repeat(&lines[5]), repeat(&lines[2990]));
    lines.insert(11, early);
    lines.push(late);
    std::fs::write(&data, lines.join("\n") + "\n").unwrap();
    let report = assert_tallies_equal_sql(dir.path(), &data);
    assert_eq!((report.rows_read, report.rejected), (3002, 2));
}

fn demo_calls(dir: &Path, rows: usize) -> PathBuf {
    let data = dir.join("demo.csv");
    let out = clausewise(
        dir,
        &[
            "demo-data",
            "calls",
            &rows.to_string(),
            "--out",
            data.to_str().unwrap(),
        ],
    );
    assert_eq!(status(&out), 0);
    data
}

/// Imports `data` into a new audit and checks the tallies against the SQL definitions.
fn assert_tallies_equal_sql(dir: &Path, data: &Path) -> clausewise::import::ImportReport {
    let audit = audit_with(dir, CONTACT_ROWS, &[]);
    let report = import_into(&audit, Kind::Calls, data, |_| {}).unwrap();
    let rows = |conn: &rusqlite::Connection| -> Vec<String> {
        let mut stmt = conn
            .prepare(
                "SELECT import_id, family, t, a, b, c, d, n FROM contact_tally
                 ORDER BY 1, 2, 3, 4, 5, 6, 7",
            )
            .unwrap();
        stmt.query_map([], |r| {
            let v: Vec<rusqlite::types::Value> =
                (0..8).map(|i| r.get(i)).collect::<rusqlite::Result<_>>()?;
            Ok(format!("{v:?}"))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect()
    };
    let conn = raw_open(&audit);
    let from_import = rows(&conn);
    assert!(from_import.len() > 100, "{} tally rows", from_import.len());
    let migration =
        std::fs::read_to_string(crate::support::repo_file("migrations/04-tallies/up.sql")).unwrap();
    let backfill = &migration[migration.find("-- Backfill").unwrap()..];
    conn.execute_batch(&format!("DELETE FROM contact_tally; {backfill}"))
        .unwrap();
    assert_eq!(rows(&conn), from_import);
    report
}
