//! Sampling contacts for QA listening (spec/metrics.md, "Sampling"): the planner's sample size,
//! a seeded, reproducible, optionally stratified draw recorded in the audit, the sheet exported
//! as CSV with empty `qa_*` columns, and attaching the filled-in sheet's evaluations to the
//! sampled contacts when it is imported again.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use chrono::{DateTime, Datelike, FixedOffset, SecondsFormat, Utc, Weekday};
use rusqlite::{params, Transaction};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::audit::Audit;
use crate::error::{Error, Result};
use crate::metric;
use crate::stats::{self, SplitMix64};
use crate::text::csv_cell;

/// A field contacts can be stratified by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Stratum {
    Channel,
    Queue,
    /// Calendar month of the local start time (`YYYY-MM`).
    Month,
    /// Weekday or weekend, by local start time.
    Weekday,
}

impl Stratum {
    pub fn as_str(self) -> &'static str {
        match self {
            Stratum::Channel => "channel",
            Stratum::Queue => "queue",
            Stratum::Month => "month",
            Stratum::Weekday => "weekday",
        }
    }
    pub fn parse(s: &str) -> Option<Stratum> {
        [
            Stratum::Channel,
            Stratum::Queue,
            Stratum::Month,
            Stratum::Weekday,
        ]
        .into_iter()
        .find(|x| x.as_str() == s.trim())
    }
}

/// How the sample size is chosen.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "method", rename_all = "snake_case")]
#[ts(export)]
pub enum SizeRule {
    /// A size the auditor chose.
    Fixed {
        #[ts(type = "number")]
        size: u64,
    },
    /// Zero-defect attribute sampling: n = ⌈ln(1−C)/ln(1−p)⌉.
    ZeroDefect { confidence: f64, tolerable: f64 },
    /// Estimating a rate to ±margin (p = 0.5), with the finite-population correction.
    Estimate { confidence: f64, margin: f64 },
}

impl SizeRule {
    /// The sample size for a population of `population` contacts.
    pub fn size(&self, population: u64) -> u64 {
        match *self {
            SizeRule::Fixed { size } => size.min(population),
            SizeRule::ZeroDefect {
                confidence,
                tolerable,
            } => stats::zero_defect_size(confidence, tolerable, population),
            SizeRule::Estimate { confidence, margin } => {
                stats::estimate_size(confidence, margin, 0.5, population)
            }
        }
    }

    /// The method in words, for the audit file and the report.
    pub fn describe(&self) -> String {
        let pct = |x: f64| format!("{} %", (x * 1000.0).round() / 10.0);
        match *self {
            SizeRule::Fixed { size } => format!("fixed size of {size} chosen by the auditor"),
            SizeRule::ZeroDefect {
                confidence,
                tolerable,
            } => format!(
                "zero-defect attribute sampling at {} confidence, {} tolerable deviation rate (n = ⌈ln(1−C)/ln(1−p)⌉)",
                pct(confidence),
                pct(tolerable)
            ),
            SizeRule::Estimate { confidence, margin } => format!(
                "estimating a rate to ±{} at {} confidence (n₀ = z²·p(1−p)/e², p = 0.5, with finite-population correction)",
                pct(margin),
                pct(confidence)
            ),
        }
    }

    /// Checks the rule's rates are between 0 and 1 (exclusive).
    pub fn validate(&self) -> std::result::Result<(), String> {
        let unit = |name: &str, x: f64| {
            if x > 0.0 && x < 1.0 {
                Ok(())
            } else {
                Err(format!(
                    "{name} must be between 0 and 1 (exclusive), not {x}"
                ))
            }
        };
        match *self {
            SizeRule::Fixed { .. } => Ok(()),
            SizeRule::ZeroDefect {
                confidence,
                tolerable,
            } => unit("the confidence", confidence).and(unit("the tolerable rate", tolerable)),
            SizeRule::Estimate { confidence, margin } => {
                unit("the confidence", confidence).and(unit("the margin", margin))
            }
        }
    }
}

/// What the auditor asks of a draw.
#[derive(Debug, Clone, PartialEq, Deserialize, TS)]
#[ts(export)]
pub struct SampleRequest {
    pub rule: SizeRule,
    #[ts(type = "number")]
    pub seed: u64,
    pub strata: Vec<Stratum>,
}

/// One stratum of a draw: its population and how many were drawn from it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Allocation {
    pub stratum: String,
    #[ts(type = "number")]
    pub population: u64,
    #[ts(type = "number")]
    pub drawn: u64,
}

/// A draw as recorded in the audit.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Sample {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "number")]
    pub seed: u64,
    #[ts(type = "number")]
    pub size: u64,
    #[ts(type = "number")]
    pub population: u64,
    pub method: String,
    pub strata: Vec<Stratum>,
    pub allocation: Vec<Allocation>,
    pub created_at: String,
    /// The QA checks the sheet asks for (its empty `qa_*` columns).
    pub checks: Vec<String>,
}

/// Proportional allocation of `size` over strata of the given populations, by largest
/// remainder (ties to the earlier stratum).
pub fn allocate(populations: &[u64], size: u64) -> Vec<u64> {
    let total: u64 = populations.iter().sum();
    if total == 0 {
        return vec![0; populations.len()];
    }
    let size = size.min(total);
    let mut drawn: Vec<u64> = populations
        .iter()
        .map(|&p| (p as u128 * size as u128 / total as u128) as u64)
        .collect();
    let mut left = size - drawn.iter().sum::<u64>();
    let mut order: Vec<usize> = (0..populations.len()).collect();
    let remainder = |i: usize| (populations[i] as u128 * size as u128) % total as u128;
    order.sort_by(|&a, &b| remainder(b).cmp(&remainder(a)).then(a.cmp(&b)));
    for i in order {
        if left == 0 {
            break;
        }
        if drawn[i] < populations[i] {
            drawn[i] += 1;
            left -= 1;
        }
    }
    drawn
}

fn stratum_key(
    strata: &[Stratum],
    channel: &str,
    queue: Option<&str>,
    local: Option<DateTime<FixedOffset>>,
) -> String {
    if strata.is_empty() {
        return "all".into();
    }
    strata
        .iter()
        .map(|s| match s {
            Stratum::Channel => channel.to_string(),
            Stratum::Queue => queue.unwrap_or("(none)").to_string(),
            Stratum::Month => local.map_or("(none)".into(), |t| t.format("%Y-%m").to_string()),
            Stratum::Weekday => match local.map(|t| t.weekday()) {
                Some(Weekday::Sat | Weekday::Sun) => "weekend".into(),
                Some(_) => "weekday".into(),
                None => "(none)".into(),
            },
        })
        .collect::<Vec<_>>()
        .join(" / ")
}

/// The QA checks a sheet asks for: every `qa_*` metric the checklist binds.
fn qa_checks(audit: &Audit) -> Vec<String> {
    let mut checks: Vec<String> = audit
        .checklist()
        .clauses
        .iter()
        .flat_map(|c| &c.metrics)
        .map(|m| m.id.clone())
        .filter(|id| metric::is_qa_metric(id))
        .collect();
    checks.sort();
    checks.dedup();
    checks
}

/// Draws a sample of the audit's contacts, records it in the audit (one transaction) and
/// writes the listening sheet to `out`.
pub fn draw(audit: &mut Audit, request: &SampleRequest, out: &Path) -> Result<Sample> {
    let path = audit.path().to_path_buf();
    let db = |e: rusqlite::Error| Error::db(&path, e);
    request
        .rule
        .validate()
        .map_err(|e| Error::Invalid(format!("sample: {e}")))?;
    let mut strata = request.strata.clone();
    strata.sort();
    strata.dedup();

    // The population, in a stable order (import, then line), grouped by stratum.
    let mut keys: BTreeMap<String, Vec<i64>> = BTreeMap::new();
    {
        let mut stmt = audit
            .conn()
            .prepare(
                "SELECT c.id, c.channel, c.queue, c.started_at, c.utc_offset
                 FROM contact c JOIN import i ON i.id = c.import_id
                 WHERE i.role = 'records' ORDER BY c.id",
            )
            .map_err(db)?;
        let mut rows = stmt.query([]).map_err(db)?;
        while let Some(r) = rows.next().map_err(db)? {
            let id: i64 = r.get(0).map_err(db)?;
            let channel: String = r.get(1).map_err(db)?;
            let queue: Option<String> = r.get(2).map_err(db)?;
            let at: i64 = r.get(3).map_err(db)?;
            let offset: i32 = r.get(4).map_err(db)?;
            let local = FixedOffset::east_opt(offset * 60)
                .and_then(|tz| DateTime::from_timestamp(at, 0).map(|t| t.with_timezone(&tz)));
            let key = stratum_key(&strata, &channel, queue.as_deref(), local);
            keys.entry(key).or_default().push(id);
        }
    }
    let population: u64 = keys.values().map(|v| v.len() as u64).sum();
    if population == 0 {
        return Err(Error::Invalid(format!(
            "{}: there are no contacts to sample; import a contact export first",
            path.display()
        )));
    }
    let size = request.rule.size(population);
    let sizes: Vec<u64> = keys.values().map(|v| v.len() as u64).collect();
    let drawn = allocate(&sizes, size);

    let mut rng = SplitMix64(request.seed);
    let mut chosen: Vec<(i64, String)> = Vec::with_capacity(size as usize);
    let mut allocation = Vec::new();
    for ((key, ids), m) in keys.into_iter().zip(drawn) {
        let mut ids = ids;
        // Partial Fisher–Yates: the first m positions become a uniform random subset.
        for i in 0..m as usize {
            let j = i + rng.below((ids.len() - i) as u64) as usize;
            ids.swap(i, j);
        }
        allocation.push(Allocation {
            stratum: key.clone(),
            population: ids.len() as u64,
            drawn: m,
        });
        chosen.extend(ids.into_iter().take(m as usize).map(|id| (id, key.clone())));
    }
    chosen.sort_unstable();

    let checks = qa_checks(audit);
    let created_at = Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true);
    let method = request.rule.describe();
    let strata_json = serde_json::to_string(&strata).expect("strata serialise");
    let allocation_json = serde_json::to_string(&allocation).expect("allocation serialises");

    // Write the sheet to a temporary file first; the audit records the sample only if the
    // sheet was written, and the sheet is renamed into place only if the audit committed.
    let tmp = out.with_file_name(format!(
        ".{}.partial",
        out.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "sample.csv".into())
    ));
    let tx = audit.conn_mut().transaction().map_err(db)?;
    let result = (|| -> Result<i64> {
        tx.execute(
            "INSERT INTO sample (seed, size, population, method, strata, allocation, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                request.seed as i64,
                size as i64,
                population as i64,
                method,
                strata_json,
                allocation_json,
                created_at
            ],
        )
        .map_err(db)?;
        let sample_id = tx.last_insert_rowid();
        write_sheet(&tx, sample_id, &chosen, &checks, &tmp).map_err(|e| match e {
            SheetError::Db(e) => db(e),
            SheetError::Io(e) => Error::io(out, e),
        })?;
        Ok(sample_id)
    })();
    let id = match result {
        Ok(id) => id,
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            return Err(e);
        }
    };
    if let Err(e) = tx.commit() {
        let _ = std::fs::remove_file(&tmp);
        return Err(db(e));
    }
    std::fs::rename(&tmp, out).map_err(|e| Error::io(out, e))?;
    Ok(Sample {
        id,
        seed: request.seed,
        size,
        population,
        method,
        strata,
        allocation,
        created_at,
        checks,
    })
}

enum SheetError {
    Db(rusqlite::Error),
    Io(std::io::Error),
}

impl From<rusqlite::Error> for SheetError {
    fn from(e: rusqlite::Error) -> Self {
        SheetError::Db(e)
    }
}
impl From<std::io::Error> for SheetError {
    fn from(e: std::io::Error) -> Self {
        SheetError::Io(e)
    }
}
impl From<csv::Error> for SheetError {
    fn from(e: csv::Error) -> Self {
        SheetError::Io(e.into())
    }
}

/// The listening sheet's columns before the `qa_*` checks (canonical names, so the filled-in
/// sheet imports with the canonical preset).
pub const SHEET_COLUMNS: [&str; 9] = [
    "call_id",
    "started_at",
    "channel",
    "direction",
    "queue",
    "queue_seconds",
    "outcome",
    "agent_id",
    "stratum",
];

fn write_sheet(
    tx: &Transaction<'_>,
    sample_id: i64,
    chosen: &[(i64, String)],
    checks: &[String],
    out: &Path,
) -> std::result::Result<(), SheetError> {
    let file = std::fs::File::create(out)?;
    let mut w = csv::Writer::from_writer(std::io::BufWriter::new(file));
    let mut header: Vec<&str> = SHEET_COLUMNS.to_vec();
    header.extend(checks.iter().map(String::as_str));
    w.write_record(&header)?;
    let mut get = tx.prepare(
        "SELECT call_id, started_at, utc_offset, channel, direction, queue, queue_seconds,
                outcome, agent_id
         FROM contact WHERE id = ?1",
    )?;
    let mut record = tx.prepare(
        "INSERT INTO sample_contact (sample_id, contact_id, call_id, stratum)
         VALUES (?1, ?2, ?3, ?4)",
    )?;
    for (id, stratum) in chosen {
        let row = get.query_row([id], |r| {
            let at: i64 = r.get(1)?;
            let offset: i32 = r.get(2)?;
            let started = FixedOffset::east_opt(offset * 60)
                .and_then(|tz| DateTime::from_timestamp(at, 0).map(|t| t.with_timezone(&tz)))
                .map(|t| t.to_rfc3339_opts(SecondsFormat::Secs, true))
                .unwrap_or_default();
            Ok([
                r.get::<_, String>(0)?,
                started,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, Option<String>>(5)?.unwrap_or_default(),
                r.get::<_, Option<i64>>(6)?
                    .map(|q| q.to_string())
                    .unwrap_or_default(),
                r.get::<_, String>(7)?,
                r.get::<_, Option<String>>(8)?.unwrap_or_default(),
            ])
        })?;
        record.execute(params![sample_id, id, row[0], stratum])?;
        let mut cells: Vec<String> = row.iter().map(|c| csv_cell(c).into_owned()).collect();
        cells.push(csv_cell(stratum).into_owned());
        cells.extend(checks.iter().map(|_| String::new()));
        w.write_record(&cells)?;
    }
    let mut inner = w.into_inner().map_err(|e| e.into_error())?;
    inner.flush()?;
    inner.get_ref().sync_all()?;
    Ok(())
}

/// Every sample drawn in the audit, oldest first.
pub fn samples(audit: &Audit) -> Result<Vec<Sample>> {
    let db = |e: rusqlite::Error| Error::db(audit.path(), e);
    let checks = qa_checks(audit);
    let mut stmt = audit
        .conn()
        .prepare(
            "SELECT id, seed, size, population, method, strata, allocation, created_at
             FROM sample ORDER BY id",
        )
        .map_err(db)?;
    let rows = stmt
        .query_map([], |r| {
            let strata: String = r.get(5)?;
            let allocation: String = r.get(6)?;
            Ok(Sample {
                id: r.get(0)?,
                seed: r.get::<_, i64>(1)? as u64,
                size: r.get::<_, i64>(2)? as u64,
                population: r.get::<_, i64>(3)? as u64,
                method: r.get(4)?,
                strata: serde_json::from_str(&strata).unwrap_or_default(),
                allocation: serde_json::from_str(&allocation).unwrap_or_default(),
                created_at: r.get(7)?,
                checks: checks.clone(),
            })
        })
        .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
        .map_err(db)?;
    Ok(rows)
}

/// After a contact import (inside its transaction): when the file is a filled-in listening
/// sheet — it carries QA evaluations and every one of its contacts is a sampled contact — its
/// evaluations are attached to the sampled contacts and its duplicate contacts removed, so that
/// no contact is counted twice. Returns how many contacts received evaluations, or `None` when
/// the import is an ordinary one.
pub(crate) fn attach_qa(tx: &Transaction<'_>, import_id: i64) -> rusqlite::Result<Option<u64>> {
    let has_qa: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM contact_qa q JOIN contact c ON c.id = q.contact_id
                        WHERE c.import_id = ?1)",
        [import_id],
        |r| r.get(0),
    )?;
    if !has_qa {
        return Ok(None);
    }
    let unmatched: i64 = tx.query_row(
        "SELECT count(*) FROM contact c WHERE c.import_id = ?1 AND NOT EXISTS (
             SELECT 1 FROM sample_contact s JOIN contact o ON o.id = s.contact_id
             WHERE s.call_id = c.call_id AND o.import_id <> ?1)",
        [import_id],
        |r| r.get(0),
    )?;
    if unmatched > 0 {
        return Ok(None);
    }
    tx.execute(
        "INSERT OR REPLACE INTO contact_qa (contact_id, name, passed)
         SELECT DISTINCT s.contact_id, q.name, q.passed
         FROM contact_qa q
         JOIN contact c ON c.id = q.contact_id
         JOIN sample_contact s ON s.call_id = c.call_id
         JOIN contact o ON o.id = s.contact_id AND o.import_id <> ?1
         WHERE c.import_id = ?1",
        [import_id],
    )?;
    let evaluated: i64 = tx.query_row(
        "SELECT count(DISTINCT c.call_id) FROM contact_qa q JOIN contact c ON c.id = q.contact_id
         WHERE c.import_id = ?1",
        [import_id],
        |r| r.get(0),
    )?;
    // The import's transaction does not enforce foreign keys: the contacts' evaluations go
    // with them through the schema's cascades.
    crate::db::delete_cascading(tx, "contact", "import_id = ?1", import_id)?;
    tx.execute(
        "DELETE FROM contact_tally WHERE import_id = ?1",
        [import_id],
    )?;
    tx.execute("UPDATE import SET role = 'qa' WHERE id = ?1", [import_id])?;
    Ok(Some(evaluated as u64))
}
