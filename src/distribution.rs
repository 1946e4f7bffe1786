//! The dashboard's two distributions: how long offered contacts waited in the queue (answered and
//! abandoned apart), in buckets with the service-level threshold T as an edge, and how long
//! complaints took to resolve, in day buckets with the resolution deadline D as an edge.
//!
//! Every bucket holds the values above its lower edge up to and including its upper edge; the
//! first also holds its lower edge (0) and the last has no upper edge. Upper edges are inclusive
//! because the metrics are: service level counts a contact answered within T when its wait is
//! `≤ T`, and a complaint is resolved in time when it took `≤ D` days. So the bars up to T add up
//! to the service level's numerator, and the bars up to D to the complaints resolved in time.
//!
//! Both are counted by SQL (`GROUP BY` bucket): the queue waits from the importer's per-import
//! tallies (`contact_tally`, which keep every queue wait whole, so the count is exact for any T)
//! and the resolution times from the complaints themselves.

use rusqlite::params_from_iter;
use serde::Serialize;
use ts_rs::TS;

use crate::audit::Audit;
use crate::error::{Error, Result};

/// The queue-wait edges (seconds) besides T.
pub const WAIT_EDGES: [u32; 6] = [5, 10, 30, 60, 120, 300];
/// The resolution-time edges (days) besides D.
pub const RESOLUTION_EDGES: [u32; 4] = [1, 3, 7, 30];

const DAY: i64 = 86_400;

/// One bar of the queue-wait distribution: waits `low < q ≤ high` seconds (the first bar
/// `0 ≤ q ≤ high`; the last, without `high`, every wait above `low`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct WaitBucket {
    pub low: u32,
    pub high: Option<u32>,
    #[ts(type = "number")]
    pub answered: u64,
    #[ts(type = "number")]
    pub abandoned: u64,
}

/// How long the offered contacts (inbound voice contacts that queued, less the short abandons;
/// the population of the service level) waited in the queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct QueueWait {
    /// T, the service-level threshold in seconds: always the upper edge of a bucket.
    pub threshold_seconds: u32,
    /// Abandons that waited less than this are short abandons, left out as the metrics do.
    pub short_abandon_seconds: u32,
    pub buckets: Vec<WaitBucket>,
    #[ts(type = "number")]
    pub answered: u64,
    #[ts(type = "number")]
    pub abandoned: u64,
    /// Answered with a wait `≤ T` (the service level's numerator).
    #[ts(type = "number")]
    pub answered_within_threshold: u64,
    /// The short abandons left out of the buckets.
    #[ts(type = "number")]
    pub short_abandons: u64,
}

/// One bar of the resolution-time distribution: complaints resolved `low < r ≤ high` days
/// after they were received (the first bar every `r ≤ high`; the last, without `high`, every
/// `r` above `low`). Days are periods of 24 hours, as `D` is in the metrics.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ResolutionBucket {
    pub low: u32,
    pub high: Option<u32>,
    #[ts(type = "number")]
    pub complaints: u64,
}

/// How long complaints took from `received_at` to `resolved_at`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ResolutionTime {
    /// D, the resolution deadline in days: always the upper edge of a bucket.
    pub deadline_days: u32,
    /// The resolved complaints by time taken.
    pub buckets: Vec<ResolutionBucket>,
    #[ts(type = "number")]
    pub complaints: u64,
    #[ts(type = "number")]
    pub resolved: u64,
    /// Resolved within D days (`≤ D`), whenever received.
    #[ts(type = "number")]
    pub resolved_within_deadline: u64,
    /// Not resolved (no `resolved_at`).
    #[ts(type = "number")]
    pub open: u64,
    /// Of the open complaints, those received more than D days before the end of the data
    /// (the latest `received_at`): the breaches of `complaint_overdue_open`.
    #[ts(type = "number")]
    pub open_overdue: u64,
}

/// Both distributions of an audit, with the settings they were cut at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Distributions {
    pub queue_wait: QueueWait,
    pub resolution_time: ResolutionTime,
}

/// The upper edges of the bounded buckets: `fixed` and `threshold`, in order, each once.
pub fn edges(fixed: &[u32], threshold: u32) -> Vec<u32> {
    let mut all: Vec<u32> = fixed.iter().copied().chain([threshold]).collect();
    all.sort_unstable();
    all.dedup();
    all
}

/// `(low, high)` of each bucket cut at `edges` (see [`edges`]); the last has no `high`.
fn bounds(edges: &[u32]) -> Vec<(u32, Option<u32>)> {
    let mut out = Vec::with_capacity(edges.len() + 1);
    let mut low = 0;
    for &e in edges {
        out.push((low, Some(e)));
        low = e;
    }
    out.push((low, None));
    out
}

/// `CASE WHEN <value> <= ?k THEN 0 WHEN <value> <= ?k+1 THEN 1 … ELSE n END`, the bucket of
/// `value` for `n` edges bound from parameter `first` on.
fn bucket_case(value: &str, n: usize, first: usize) -> String {
    let mut sql = String::from("CASE");
    for i in 0..n {
        sql.push_str(&format!(" WHEN {value} <= ?{} THEN {i}", first + i));
    }
    sql.push_str(&format!(" ELSE {n} END"));
    sql
}

/// Both distributions of `audit`, cut at its settings' T and D.
pub fn compute(audit: &Audit) -> Result<Distributions> {
    let p = audit.settings()?.parameters;
    Ok(Distributions {
        queue_wait: queue_wait(audit, p.service_level_seconds, p.short_abandon_seconds)?,
        resolution_time: resolution_time(audit, p.complaint_resolution_days)?,
    })
}

/// The queue waits of the offered contacts, cut at T = `threshold` seconds; abandons under
/// `short` seconds are counted apart.
pub fn queue_wait(audit: &Audit, threshold: u32, short: u32) -> Result<QueueWait> {
    let db = |e: rusqlite::Error| Error::db(audit.path(), e);
    let edges = edges(&WAIT_EDGES, threshold);
    // Bucket -1: the short abandons. Only imports of records count (a filled-in QA sheet adds
    // evaluations, not contacts).
    let sql = format!(
        "SELECT CASE WHEN x.t = 'abandoned' AND x.a < ?1 THEN -1 ELSE {} END AS bucket,
                x.t, sum(x.n)
         FROM contact_tally x JOIN import i ON i.id = x.import_id AND i.role = 'records'
         WHERE x.family = 'queue' AND (x.t = 'answered' OR x.t = 'abandoned')
         GROUP BY bucket, x.t",
        bucket_case("x.a", edges.len(), 2)
    );
    let args = std::iter::once(i64::from(short)).chain(edges.iter().map(|&e| i64::from(e)));
    let mut buckets: Vec<WaitBucket> = bounds(&edges)
        .into_iter()
        .map(|(low, high)| WaitBucket {
            low,
            high,
            answered: 0,
            abandoned: 0,
        })
        .collect();
    let mut short_abandons = 0;
    let mut stmt = audit.conn().prepare(&sql).map_err(db)?;
    let mut rows = stmt.query(params_from_iter(args)).map_err(db)?;
    while let Some(r) = rows.next().map_err(db)? {
        let bucket: i64 = r.get(0).map_err(db)?;
        let outcome: String = r.get(1).map_err(db)?;
        let n = r.get::<_, i64>(2).map_err(db)?.max(0) as u64;
        match (usize::try_from(bucket).ok(), outcome.as_str()) {
            (None, _) => short_abandons += n,
            (Some(i), "answered") => buckets[i].answered += n,
            (Some(i), _) => buckets[i].abandoned += n,
        }
    }
    let answered_within_threshold = buckets
        .iter()
        .take_while(|b| b.high.is_some_and(|h| h <= threshold))
        .map(|b| b.answered)
        .sum();
    Ok(QueueWait {
        threshold_seconds: threshold,
        short_abandon_seconds: short,
        answered: buckets.iter().map(|b| b.answered).sum(),
        abandoned: buckets.iter().map(|b| b.abandoned).sum(),
        answered_within_threshold,
        short_abandons,
        buckets,
    })
}

/// The complaints' resolution times, cut at D = `deadline` days.
pub fn resolution_time(audit: &Audit, deadline: u32) -> Result<ResolutionTime> {
    let db = |e: rusqlite::Error| Error::db(audit.path(), e);
    let edges = edges(&RESOLUTION_EDGES, deadline);
    // Bucket -1: open; -2: open and older than D at the end of the data.
    let sql = format!(
        "SELECT CASE WHEN c.resolved_at IS NULL
                     THEN CASE WHEN e.latest - c.received_at > ?1 THEN -2 ELSE -1 END
                     ELSE {} END AS bucket,
                count(*)
         FROM complaint c, (SELECT max(received_at) AS latest FROM complaint) e
         GROUP BY bucket",
        bucket_case("c.resolved_at - c.received_at", edges.len(), 2)
    );
    let args =
        std::iter::once(i64::from(deadline) * DAY).chain(edges.iter().map(|&e| i64::from(e) * DAY));
    let mut buckets: Vec<ResolutionBucket> = bounds(&edges)
        .into_iter()
        .map(|(low, high)| ResolutionBucket {
            low,
            high,
            complaints: 0,
        })
        .collect();
    let (mut open, mut open_overdue) = (0, 0);
    let mut stmt = audit.conn().prepare(&sql).map_err(db)?;
    let mut rows = stmt.query(params_from_iter(args)).map_err(db)?;
    while let Some(r) = rows.next().map_err(db)? {
        let bucket: i64 = r.get(0).map_err(db)?;
        let n = r.get::<_, i64>(1).map_err(db)?.max(0) as u64;
        match bucket {
            -2 => {
                open += n;
                open_overdue += n;
            }
            -1 => open += n,
            i => buckets[i as usize].complaints += n,
        }
    }
    let resolved: u64 = buckets.iter().map(|b| b.complaints).sum();
    let resolved_within_deadline = buckets
        .iter()
        .take_while(|b| b.high.is_some_and(|h| h <= deadline))
        .map(|b| b.complaints)
        .sum();
    Ok(ResolutionTime {
        deadline_days: deadline,
        buckets,
        complaints: resolved + open,
        resolved,
        resolved_within_deadline,
        open,
        open_overdue,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_threshold_is_an_edge_once_wherever_it_falls() {
        assert_eq!(edges(&WAIT_EDGES, 20), [5, 10, 20, 30, 60, 120, 300]);
        assert_eq!(edges(&WAIT_EDGES, 30), [5, 10, 30, 60, 120, 300]);
        assert_eq!(edges(&WAIT_EDGES, 600), [5, 10, 30, 60, 120, 300, 600]);
        assert_eq!(edges(&WAIT_EDGES, 0), [0, 5, 10, 30, 60, 120, 300]);
        assert_eq!(edges(&RESOLUTION_EDGES, 15), [1, 3, 7, 15, 30]);
    }

    #[test]
    fn buckets_run_from_zero_to_open_ended() {
        assert_eq!(
            bounds(&[1, 3, 7, 15, 30]),
            [
                (0, Some(1)),
                (1, Some(3)),
                (3, Some(7)),
                (7, Some(15)),
                (15, Some(30)),
                (30, None)
            ]
        );
        assert_eq!(
            bucket_case("v", 2, 3),
            "CASE WHEN v <= ?3 THEN 0 WHEN v <= ?4 THEN 1 ELSE 2 END"
        );
    }
}
