//! Window tests of the dashboard's distribution charts on the demo audit: the counts the bars
//! carry equal the core's on a copy of the file and a count of the stored records by plain SQL
//! (bucketed here, apart from the core), the T and D lines sit on the right bucket edges, a new
//! T redraws the chart, and screenshots of both in the light and the dark theme.

use std::collections::BTreeMap;
use std::path::Path;

use clausewise::distribution::{self, Distributions};
use clausewise::report::Lang;
use clausewise::settings::SettingChange;
use clausewise::Audit;
use fantoccini::Client;
use serde_json::Value;

use super::a11y::choose;
use super::evidence::{click, demo_pair, read_only, retype, text, texts, thousands};
use super::{eventually, find, screenshot, Driver};

const DAY: i64 = 86_400;

/// A bucket key as the charts write it: `10-20`, `300-` (no upper edge).
fn key(low: u32, high: Option<u32>) -> String {
    match high {
        Some(h) => format!("{low}-{h}"),
        None => format!("{low}-"),
    }
}

/// The bucket of `v` among `0–e₁, e₁–e₂, …, eₙ–` (upper edges included): its index.
fn bucket_of(edges: &[i64], v: i64) -> usize {
    edges.iter().position(|&e| v <= e).unwrap_or(edges.len())
}

/// The key of bucket `i` of `edges`, as the charts write it.
fn key_at(edges: &[i64], i: usize) -> String {
    let low = if i == 0 { 0 } else { edges[i - 1] };
    match edges.get(i) {
        Some(h) => format!("{low}-{h}"),
        None => format!("{low}-"),
    }
}

/// `fixed` and `threshold`, in order, each once.
fn with_edge(fixed: &[i64], threshold: i64) -> Vec<i64> {
    let mut all: Vec<i64> = fixed.iter().copied().chain([threshold]).collect();
    all.sort_unstable();
    all.dedup();
    all
}

/// `(bucket, series) → count` straight from the stored records: offered inbound voice contacts
/// (queued, answered or abandoned, abandons under `short` s left out) by their queue wait, and
/// complaints by resolution time in days, the open ones under `open`.
fn counted_by_sql(audit: &Path, t: i64, short: i64, d: i64) -> BTreeMap<(String, String), u64> {
    let conn = read_only(audit);
    let mut out = BTreeMap::new();
    let waits = with_edge(&[5, 10, 30, 60, 120, 300], t);
    let mut stmt = conn
        .prepare(
            "SELECT c.queue_seconds, c.outcome FROM contact c
             JOIN import i ON i.id = c.import_id AND i.role = 'records'
             WHERE c.channel = 'voice' AND c.direction = 'inbound'
               AND c.queue_seconds IS NOT NULL
               AND (c.outcome = 'answered' OR c.outcome = 'abandoned')",
        )
        .unwrap();
    let rows = stmt
        .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))
        .unwrap();
    for row in rows {
        let (q, outcome) = row.unwrap();
        if outcome == "abandoned" && q < short {
            continue;
        }
        let k = key_at(&waits, bucket_of(&waits, q));
        *out.entry((k, outcome)).or_default() += 1;
    }
    let days = with_edge(&[1, 3, 7, 30], d);
    let seconds: Vec<i64> = days.iter().map(|e| e * DAY).collect();
    let mut stmt = conn
        .prepare("SELECT received_at, resolved_at FROM complaint")
        .unwrap();
    let rows = stmt
        .query_map([], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, Option<i64>>(1)?))
        })
        .unwrap();
    for row in rows {
        let k = match row.unwrap() {
            (received, Some(resolved)) => (
                key_at(&days, bucket_of(&seconds, resolved - received)),
                "resolved".to_string(),
            ),
            (_, None) => ("open".to_string(), "open".to_string()),
        };
        *out.entry(k).or_default() += 1;
    }
    out
}

/// Only the queue waits of a count.
fn waits_only(counts: BTreeMap<(String, String), u64>) -> BTreeMap<(String, String), u64> {
    counts
        .into_iter()
        .filter(|((_, s), _)| s == "answered" || s == "abandoned")
        .collect()
}

/// The same counts from the core's result (zero buckets left out, as the SQL has none).
fn from_core(d: &Distributions) -> BTreeMap<(String, String), u64> {
    let mut out = BTreeMap::new();
    for b in &d.queue_wait.buckets {
        for (series, n) in [("answered", b.answered), ("abandoned", b.abandoned)] {
            if n > 0 {
                out.insert((key(b.low, b.high), series.to_string()), n);
            }
        }
    }
    for b in &d.resolution_time.buckets {
        if b.complaints > 0 {
            out.insert((key(b.low, b.high), "resolved".to_string()), b.complaints);
        }
    }
    if d.resolution_time.open > 0 {
        out.insert(("open".into(), "open".into()), d.resolution_time.open);
    }
    out
}

/// What the window's bars carry: `(bucket, series) → count` of the chart `testid`, every
/// bucket in order.
async fn shown(c: &Client, testid: &str) -> Vec<(String, String, u64)> {
    let js = format!(
        "return [...document.querySelectorAll('[data-testid={testid}] [data-bucket]')].flatMap(g =>
            [...g.querySelectorAll('[data-series]')].map(b =>
                [g.getAttribute('data-bucket'), b.getAttribute('data-series'),
                 Number(b.getAttribute('data-count'))]))"
    );
    let v = c.execute(&js, vec![]).await.expect("the chart's bars");
    v.as_array()
        .expect("an array")
        .iter()
        .map(|x| {
            (
                x[0].as_str().unwrap().to_string(),
                x[1].as_str().unwrap().to_string(),
                x[2].as_u64().unwrap(),
            )
        })
        .collect()
}

fn nonzero(bars: &[(String, String, u64)]) -> BTreeMap<(String, String), u64> {
    bars.iter()
        .filter(|(_, _, n)| *n > 0)
        .map(|(b, s, n)| ((b.clone(), s.clone()), *n))
        .collect()
}

/// Whether the threshold line of a chart lies between buckets `before` and `after`: right of
/// the first's axis label and bars, left of the second's (panics with the positions when not).
async fn threshold_between(c: &Client, testid: &str, before: &str, after: &str) -> bool {
    let js = format!(
        "const svg = document.querySelector('[data-testid={testid}]');
         const x = Number(svg.querySelector('[data-testid={testid}-threshold]').getAttribute('x1'));
         const at = k => {{
             const g = svg.querySelector(`[data-bucket='${{k}}']`);
             const label = Number(g.querySelector(':scope > text').getAttribute('x'));
             const bars = [...g.querySelectorAll('rect')].map(r =>
                 [Number(r.getAttribute('x')), Number(r.getAttribute('x')) + Number(r.getAttribute('width'))]);
             return [label, bars];
         }};
         return [x, at('{before}'), at('{after}')];"
    );
    let v = c.execute(&js, vec![]).await.expect("the threshold's place");
    let x = v[0].as_f64().expect("the line's x");
    let place = |i: usize| -> (f64, Vec<(f64, f64)>) {
        let label = v[i][0].as_f64().expect("the label's x");
        let bars = v[i][1]
            .as_array()
            .expect("the bars")
            .iter()
            .map(|r| (r[0].as_f64().unwrap(), r[1].as_f64().unwrap()))
            .collect();
        (label, bars)
    };
    let (a, b) = (place(1), place(2));
    let between =
        a.0 < x && a.1.iter().all(|&(_, r)| r < x) && b.0 > x && b.1.iter().all(|&(l, _)| l > x);
    assert!(between, "line at {x}; {before}: {a:?}; {after}: {b:?}");
    between
}

async fn show_charts(c: &Client) {
    c.execute(
        "document.querySelector('[data-testid=queue-wait]').scrollIntoView()",
        vec![],
    )
    .await
    .unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_dashboard_charts_show_the_distributions_the_core_and_sql_count() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let (audit, copy) = demo_pair(dir.path());
    let expected = distribution::compute(&Audit::open(&copy).unwrap()).unwrap();
    // The demo keeps the checklist's T = 20 s, short abandons < 5 s and D = 15 days.
    assert_eq!(
        (
            expected.queue_wait.threshold_seconds,
            expected.queue_wait.short_abandon_seconds,
            expected.resolution_time.deadline_days
        ),
        (20, 5, 15)
    );
    let by_sql = counted_by_sql(&audit, 20, 5, 15);
    assert_eq!(from_core(&expected), by_sql, "the core against plain SQL");
    assert!(
        expected.queue_wait.answered > 1000 && expected.resolution_time.open > 0,
        "the demo has waits and open complaints to draw"
    );

    let driver = Driver::start(&dir.path().join("data"));
    let c = driver.window(&[&audit]).await;
    click(&c, "[data-screen=dashboard]").await;
    find(&c, "[data-testid=queue-wait-chart]").await;

    let waits = shown(&c, "queue-wait-chart").await;
    let resolutions = shown(&c, "resolution-time-chart").await;
    // Every bucket is drawn, in order, each with its bars.
    let keys: Vec<String> = waits
        .iter()
        .filter(|(_, s, _)| s == "answered")
        .map(|(k, _, _)| k.clone())
        .collect();
    assert_eq!(
        keys,
        ["0-5", "5-10", "10-20", "20-30", "30-60", "60-120", "120-300", "300-"]
    );
    let keys: Vec<String> = resolutions.iter().map(|(k, _, _)| k.clone()).collect();
    assert_eq!(keys, ["0-1", "1-3", "3-7", "7-15", "15-30", "30-", "open"]);
    let mut all = nonzero(&waits);
    all.extend(nonzero(&resolutions));
    assert_eq!(all, by_sql, "the window against plain SQL");
    assert_eq!(all, from_core(&expected), "the window against the core");
    // The open bar's foot: the complaints open for more than D days.
    let overdue: Value = c
        .execute(
            "return document.querySelectorAll('[data-testid=resolution-time-chart] [data-bucket=open] rect.series-overdue').length",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        overdue.as_u64(),
        Some(u64::from(expected.resolution_time.open_overdue > 0))
    );
    // T and D lines on their edges.
    assert!(threshold_between(&c, "queue-wait-chart", "10-20", "20-30").await);
    assert!(threshold_between(&c, "resolution-time-chart", "7-15", "15-30").await);
    // The summary in words, for assistive technology, carries the counts.
    let label = find(&c, "[data-testid=queue-wait-chart]")
        .await
        .attr("aria-label")
        .await
        .unwrap()
        .unwrap_or_default();
    for n in [
        expected.queue_wait.answered,
        expected.queue_wait.abandoned,
        expected.queue_wait.answered_within_threshold,
    ] {
        assert!(label.contains(&thousands(n)), "{n} missing from {label:?}");
    }
    assert_eq!(
        find(&c, "[data-testid=queue-wait-chart]")
            .await
            .attr("role")
            .await
            .unwrap()
            .as_deref(),
        Some("img")
    );

    show_charts(&c).await;
    screenshot(&c, "dashboard-charts-light").await;
    choose(&c, "[data-testid=theme]", "dark").await;
    show_charts(&c).await;
    screenshot(&c, "dashboard-charts-dark").await;
    choose(&c, "[data-testid=theme]", "light").await;
    // In Turkish the bars carry the same counts.
    choose(&c, "[data-testid=language]", "tr").await;
    show_charts(&c).await;
    screenshot(&c, "dashboard-charts-tr").await;
    assert_eq!(shown(&c, "queue-wait-chart").await, waits);
    assert_eq!(shown(&c, "resolution-time-chart").await, resolutions);
    // The decision's rule and reasons, written by the core, are Turkish too: the rule of
    // grading.md in Turkish, and each clause with its Turkish title from the checklist.
    let core = Audit::open(&copy).unwrap();
    let turkish = core
        .scorecard()
        .unwrap()
        .in_language(Lang::Tr, core.checklist());
    assert_eq!(turkish.rule, "zorunlu bir madde değerlendirilmemiş");
    let rule = eventually("the rule in Turkish", async || {
        let shown = text(&c, "[data-testid=decision-rule]").await;
        (shown == turkish.rule).then_some(shown)
    })
    .await;
    assert_eq!(rule, turkish.rule);
    assert_eq!(
        texts(&c, "[data-testid=decision-reasons] li").await,
        turkish.reasons
    );
    let first = &turkish.drivers[0].clause_id;
    let title = core
        .checklist()
        .clause(first)
        .unwrap()
        .title
        .get("tr")
        .unwrap();
    assert!(turkish.reasons[0].starts_with(&format!("{first} {title}: ")));
    choose(&c, "[data-testid=language]", "en").await;
    let english = core.scorecard().unwrap();
    eventually("the rule in English again", async || {
        (text(&c, "[data-testid=decision-rule]").await == english.rule).then_some(())
    })
    .await;
    assert_eq!(
        texts(&c, "[data-testid=decision-reasons] li").await,
        english.reasons
    );

    // T = 30 s typed in the settings: 30 s is an edge already, so 10–20 and 20–30 become 10–30.
    retype(&c, "#param-service_level_seconds", "30").await;
    let mut check = Audit::open(&copy).unwrap();
    check
        .set_setting(&SettingChange {
            key: "service_level_seconds".into(),
            value: "30".into(),
        })
        .unwrap();
    let at_30 = distribution::compute(&check).unwrap();
    let want = waits_only(from_core(&at_30));
    let redrawn = eventually("the chart redrawn at T = 30 s", async || {
        let bars = shown(&c, "queue-wait-chart").await;
        bars.iter()
            .any(|(k, _, _)| k == "10-30")
            .then(|| nonzero(&bars))
    })
    .await;
    assert_eq!(redrawn, want);
    assert_eq!(redrawn, waits_only(counted_by_sql(&audit, 30, 5, 15)));
    assert!(threshold_between(&c, "queue-wait-chart", "10-30", "30-60").await);
    c.close().await.unwrap();
}
