//! The dashboard's distributions on a hand-made fixture: queue waits of offered contacts in
//! buckets cut at T, complaint resolution times in day buckets cut at D. Every count below was
//! worked out by hand from the rows (in the comments), including values exactly on an edge:
//! a bucket holds the values above its lower edge up to and including its upper edge, as the
//! service level counts a wait of exactly T as answered within T and a complaint resolved in
//! exactly D days as resolved in time.

use std::path::{Path, PathBuf};

use clausewise::distribution::{self, Distributions, ResolutionBucket, WaitBucket};
use clausewise::import::Kind;
use clausewise::session::Session;
use clausewise::settings::SettingChange;
use clausewise::Audit;

use crate::support::{clausewise, create_audit, import_into, status, stdout_json, write};

const CONTACTS: &str = "call_id,started_at,channel,direction,queue_seconds,outcome
c1,2026-10-01T10:00:00+03:00,voice,inbound,0,answered
c2,2026-10-01T10:01:00+03:00,voice,inbound,5,answered
c3,2026-10-01T10:02:00+03:00,voice,inbound,6,answered
c4,2026-10-01T10:03:00+03:00,voice,inbound,20,answered
c5,2026-10-01T10:04:00+03:00,voice,inbound,21,answered
c6,2026-10-01T10:05:00+03:00,voice,inbound,300,answered
c7,2026-10-01T10:06:00+03:00,voice,inbound,301,answered
c8,2026-10-01T10:07:00+03:00,voice,inbound,4,abandoned
c9,2026-10-01T10:08:00+03:00,voice,inbound,5,abandoned
c10,2026-10-01T10:09:00+03:00,voice,inbound,20,abandoned
c11,2026-10-01T10:10:00+03:00,voice,inbound,60,abandoned
c12,2026-10-01T10:11:00+03:00,voice,inbound,61,abandoned
c13,2026-10-01T10:12:00+03:00,voice,inbound,45,callback
c14,2026-10-01T10:13:00+03:00,voice,inbound,,answered
c15,2026-10-01T10:14:00+03:00,chat,inbound,8,answered
c16,2026-10-01T10:15:00+03:00,voice,outbound,8,answered
c17,2026-10-01T10:16:00+03:00,voice,inbound,10,answered
c18,2026-10-01T10:17:00+03:00,voice,inbound,1000,abandoned
";

// T = 20 s, short abandon < 5 s (the checklist's defaults). Offered contacts: inbound voice with
// a queue wait, answered or abandoned, less abandons under 5 s. Left out: c8 (short abandon,
// 4 s), c13 (callback), c14 (never queued), c15 (chat), c16 (outbound).
//
//   bucket       answered                 abandoned
//   0–5          c1 (0), c2 (5)      2    c9 (5: not short)  1
//   5–10         c3 (6), c17 (10)    2                       0
//   10–20        c4 (20 = T)         1    c10 (20)           1
//   20–30        c5 (21)             1                       0
//   30–60                            0    c11 (60)           1
//   60–120                           0    c12 (61)           1
//   120–300      c6 (300)            1                       0
//   > 300        c7 (301)            1    c18 (1000)         1
//   total                            8                       5
//
// Answered within T (≤ 20 s): c1 c2 c3 c17 c4 = 5, the service level's k; its n = 8 + 5 = 13.
fn wait(low: u32, high: Option<u32>, answered: u64, abandoned: u64) -> WaitBucket {
    WaitBucket {
        low,
        high,
        answered,
        abandoned,
    }
}

fn waits_at_t20() -> Vec<WaitBucket> {
    vec![
        wait(0, Some(5), 2, 1),
        wait(5, Some(10), 2, 0),
        wait(10, Some(20), 1, 1),
        wait(20, Some(30), 1, 0),
        wait(30, Some(60), 0, 1),
        wait(60, Some(120), 0, 1),
        wait(120, Some(300), 1, 0),
        wait(300, None, 1, 1),
    ]
}

const COMPLAINTS: &str = "complaint_id,received_at,resolved_at
k1,2026-09-01T10:00:00+03:00,2026-09-01T12:00:00+03:00
k2,2026-09-01T10:00:00+03:00,2026-09-02T10:00:00+03:00
k3,2026-09-01T10:00:00+03:00,2026-09-02T10:00:01+03:00
k4,2026-09-01,2026-09-04
k5,2026-09-01T10:00:00+03:00,2026-09-16T10:00:00+03:00
k6,2026-09-01T10:00:00+03:00,2026-09-16T10:00:01+03:00
k7,2026-09-01T10:00:00+03:00,2026-10-01T10:00:00+03:00
k8,2026-09-01T10:00:00+03:00,2026-10-01T10:00:01+03:00
k9,2026-09-03T10:00:00+03:00,2026-09-08T10:00:00+03:00
k10,2026-09-10T10:00:00+03:00,
k11,2026-09-16T10:00:00+03:00,
k12,2026-10-01T10:00:00+03:00,
k13,2026-09-15T10:00:00+03:00,2026-09-22T10:00:00+00:00
";

// D = 15 days (the checklist's default). Resolution time = resolved_at − received_at, as
// instants (k13: 07:00 UTC on the 15th to 10:00 UTC on the 22nd = 7 days 3 hours).
//
//   bucket (days)   complaints
//   ≤ 1             k1 (2 h), k2 (exactly 1 day)                 2
//   1–3             k3 (1 day 1 s), k4 (dates, exactly 3 days)   2
//   3–7             k9 (5 days)                                  1
//   7–15            k5 (exactly 15 days = D), k13 (7 d 3 h)       2
//   15–30           k6 (15 days 1 s), k7 (exactly 30 days)       2
//   > 30            k8 (30 days 1 s)                             1
//   not resolved    k10, k11, k12                                3
//
// Resolved 10, within D 2 + 2 + 1 + 2 = 7. End of data = k12's receipt (1 Oct 10:00); open and
// received more than 15 days before it: k10 (21 days); k11 is exactly 15 days, not more.
fn resolution(low: u32, high: Option<u32>, complaints: u64) -> ResolutionBucket {
    ResolutionBucket {
        low,
        high,
        complaints,
    }
}

fn fixture(dir: &Path) -> PathBuf {
    let audit = create_audit(dir, "d.ccaudit");
    let calls = write(dir, "calls.csv", CONTACTS);
    let r = import_into(&audit, Kind::Calls, &calls, |_| {}).unwrap();
    assert_eq!((r.accepted, r.rejected), (18, 0), "{:?}", r.errors);
    let complaints = write(dir, "complaints.csv", COMPLAINTS);
    let r = import_into(&audit, Kind::Complaints, &complaints, |_| {}).unwrap();
    assert_eq!((r.accepted, r.rejected), (13, 0), "{:?}", r.errors);
    audit
}

fn set(audit: &Path, key: &str, value: &str) {
    Audit::open(audit)
        .unwrap()
        .set_setting(&SettingChange {
            key: key.into(),
            value: value.into(),
        })
        .unwrap();
}

fn compute(audit: &Path) -> Distributions {
    distribution::compute(&Audit::open(audit).unwrap()).unwrap()
}

#[test]
fn queue_waits_fall_in_buckets_cut_at_t_with_upper_edges_included() {
    let dir = tempfile::tempdir().unwrap();
    let audit = fixture(dir.path());
    let q = compute(&audit).queue_wait;
    assert_eq!(q.threshold_seconds, 20);
    assert_eq!(q.short_abandon_seconds, 5);
    assert_eq!(q.buckets, waits_at_t20());
    assert_eq!((q.answered, q.abandoned), (8, 5));
    assert_eq!(q.answered_within_threshold, 5);
    assert_eq!(q.short_abandons, 1);

    // The bars up to T are the service level's numerator, all the bars its denominator.
    let e = Audit::open(&audit).unwrap().evidence().unwrap();
    let sl = e.metric("service_level").unwrap();
    assert_eq!((sl.k, sl.n), (Some(5), 13));
}

#[test]
fn a_new_t_becomes_an_edge_and_moves_the_counts() {
    let dir = tempfile::tempdir().unwrap();
    let audit = fixture(dir.path());

    // T = 30 is one of the fixed edges already: the 10–20 and 20–30 bars become one 10–30 bar
    // (c4 c5 answered, c10 abandoned); answered within T gains c5: 6.
    set(&audit, "service_level_seconds", "30");
    let q = compute(&audit).queue_wait;
    assert_eq!(
        q.buckets,
        [
            wait(0, Some(5), 2, 1),
            wait(5, Some(10), 2, 0),
            wait(10, Some(30), 2, 1),
            wait(30, Some(60), 0, 1),
            wait(60, Some(120), 0, 1),
            wait(120, Some(300), 1, 0),
            wait(300, None, 1, 1),
        ]
    );
    assert_eq!(q.answered_within_threshold, 6);

    // T = 7 splits 5–10: c3 (6) in 5–7, c17 (10) in 7–10. Short abandons under 6 s now take
    // c9 (5) too, so the 0–5 bar loses its abandon.
    set(&audit, "service_level_seconds", "7");
    set(&audit, "short_abandon_seconds", "6");
    let q = compute(&audit).queue_wait;
    assert_eq!(
        q.buckets,
        [
            wait(0, Some(5), 2, 0),
            wait(5, Some(7), 1, 0),
            wait(7, Some(10), 1, 0),
            wait(10, Some(30), 2, 1),
            wait(30, Some(60), 0, 1),
            wait(60, Some(120), 0, 1),
            wait(120, Some(300), 1, 0),
            wait(300, None, 1, 1),
        ]
    );
    assert_eq!(q.answered_within_threshold, 3);
    assert_eq!((q.short_abandons, q.abandoned), (2, 4));
}

#[test]
fn resolution_times_fall_in_day_buckets_cut_at_d_and_open_complaints_apart() {
    let dir = tempfile::tempdir().unwrap();
    let audit = fixture(dir.path());
    let r = compute(&audit).resolution_time;
    assert_eq!(r.deadline_days, 15);
    assert_eq!(
        r.buckets,
        [
            resolution(0, Some(1), 2),
            resolution(1, Some(3), 2),
            resolution(3, Some(7), 1),
            resolution(7, Some(15), 2),
            resolution(15, Some(30), 2),
            resolution(30, None, 1),
        ]
    );
    assert_eq!((r.complaints, r.resolved, r.open), (13, 10, 3));
    assert_eq!(r.resolved_within_deadline, 7);
    assert_eq!(r.open_overdue, 1);

    // The same open complaints are complaint_overdue_open's breaches, and the same resolved
    // ones (all received at least D days before the end) its numerator of resolved in time.
    let e = Audit::open(&audit).unwrap().evidence().unwrap();
    assert_eq!(e.metric("complaint_overdue_open").unwrap().k, Some(1));
    assert_eq!(e.metric("complaint_resolved_in_time").unwrap().k, Some(7));

    // D = 7: 7–15 and 15–30 become 7–30 (k5 k13 k6 k7); within D 2 + 2 + 1 = 5; open for more
    // than 7 days at the end: k10 (21) and k11 (15).
    set(&audit, "complaint_resolution_days", "7");
    let r = compute(&audit).resolution_time;
    assert_eq!(
        r.buckets,
        [
            resolution(0, Some(1), 2),
            resolution(1, Some(3), 2),
            resolution(3, Some(7), 1),
            resolution(7, Some(30), 4),
            resolution(30, None, 1),
        ]
    );
    assert_eq!((r.resolved_within_deadline, r.open_overdue), (5, 2));
}

#[test]
fn an_audit_without_records_has_every_bucket_empty() {
    let dir = tempfile::tempdir().unwrap();
    let audit = create_audit(dir.path(), "empty.ccaudit");
    let d = compute(&audit);
    assert_eq!(d.queue_wait.buckets.len(), 8);
    assert!(d
        .queue_wait
        .buckets
        .iter()
        .all(|b| b.answered == 0 && b.abandoned == 0));
    assert_eq!(d.resolution_time.buckets.len(), 6);
    assert!(d.resolution_time.buckets.iter().all(|b| b.complaints == 0));
    assert_eq!(
        (d.resolution_time.open, d.resolution_time.open_overdue),
        (0, 0)
    );
}

#[test]
fn the_session_and_the_command_line_give_the_same_counts() {
    let dir = tempfile::tempdir().unwrap();
    let audit = fixture(dir.path());

    let mut session = Session::new(&dir.path().join("data"));
    session.open(&audit).unwrap();
    let d = session.distributions().unwrap();
    assert_eq!(d.queue_wait.buckets, waits_at_t20());
    assert_eq!(d.resolution_time.open, 3);

    let out = clausewise(
        dir.path(),
        &["distributions", audit.to_str().unwrap(), "--json"],
    );
    assert_eq!(status(&out), 0);
    let json = stdout_json(&out);
    let answered: Vec<u64> = json["queue_wait"]["buckets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["answered"].as_u64().unwrap())
        .collect();
    assert_eq!(answered, [2, 2, 1, 1, 0, 0, 1, 1]);
    let resolved: Vec<u64> = json["resolution_time"]["buckets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["complaints"].as_u64().unwrap())
        .collect();
    assert_eq!(resolved, [2, 2, 1, 2, 2, 1]);
    assert_eq!(json["resolution_time"]["open_overdue"], 1);
    assert_eq!(
        json["queue_wait"]["buckets"][7]["high"],
        serde_json::Value::Null
    );

    let text = clausewise(dir.path(), &["distributions", audit.to_str().unwrap()]);
    assert_eq!(status(&text), 0);
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(
        text.contains("Answered within T: 5 of 8 answered."),
        "{text}"
    );
}
