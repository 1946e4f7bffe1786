//! Findings and corrective actions (spec/grading.md): every nonconformity becomes a finding —
//! statement, evidence, requirement, grade — with a corrective action (cause, action, owner, due
//! date, status).

use chrono::{NaiveDate, SecondsFormat, Utc};
use rusqlite::{params, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::audit::Audit;
use crate::error::{Error, Result};
use crate::grade::Grade;

/// Where a corrective action stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ActionStatus {
    Open,
    InProgress,
    Done,
    Verified,
}

impl ActionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ActionStatus::Open => "open",
            ActionStatus::InProgress => "in_progress",
            ActionStatus::Done => "done",
            ActionStatus::Verified => "verified",
        }
    }
    pub fn parse(s: &str) -> Option<ActionStatus> {
        [
            ActionStatus::Open,
            ActionStatus::InProgress,
            ActionStatus::Done,
            ActionStatus::Verified,
        ]
        .into_iter()
        .find(|a| a.as_str() == s)
    }
}

/// A nonconformity and its corrective action.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Finding {
    #[ts(type = "number")]
    pub id: i64,
    pub clause_id: String,
    /// `minor` or `major`.
    pub grade: Grade,
    pub statement: String,
    pub evidence: String,
    pub requirement: String,
    pub cause: String,
    pub action: String,
    pub owner: String,
    #[ts(type = "string | null")]
    pub due_date: Option<NaiveDate>,
    pub status: ActionStatus,
    /// The corrective action is planned: action, owner and due date are all given.
    pub planned: bool,
    /// The clause is still graded as a nonconformity (a regraded clause's findings stay on
    /// file but no longer count).
    pub active: bool,
    pub created_at: String,
    pub updated_at: String,
}

/// A change to a finding; `None` keeps what is stored.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, TS)]
#[ts(export)]
pub struct FindingUpdate {
    pub grade: Option<Grade>,
    pub statement: Option<String>,
    pub evidence: Option<String>,
    pub requirement: Option<String>,
    pub cause: Option<String>,
    pub action: Option<String>,
    pub owner: Option<String>,
    /// `YYYY-MM-DD`; an empty string clears it.
    pub due_date: Option<String>,
    pub status: Option<ActionStatus>,
}

fn now() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true)
}

const SELECT: &str = "SELECT f.id, f.clause_id, f.grade, f.statement, f.evidence, f.requirement,
        f.cause, f.action, f.owner, f.due_date, f.status, f.created_at, f.updated_at,
        coalesce(a.grade IN ('minor', 'major'), 0)
     FROM finding f JOIN clause c ON c.id = f.clause_id
     LEFT JOIN assessment a ON a.clause_id = f.clause_id";

fn row_to_finding(r: &rusqlite::Row<'_>) -> rusqlite::Result<Finding> {
    let grade: String = r.get(2)?;
    let status: String = r.get(10)?;
    let due: Option<String> = r.get(9)?;
    let action: String = r.get(7)?;
    let owner: String = r.get(8)?;
    let due_date = due.and_then(|d| d.parse().ok());
    Ok(Finding {
        id: r.get(0)?,
        clause_id: r.get(1)?,
        grade: Grade::parse(&grade).unwrap_or(Grade::Minor),
        statement: r.get(3)?,
        evidence: r.get(4)?,
        requirement: r.get(5)?,
        cause: r.get(6)?,
        planned: !action.trim().is_empty() && !owner.trim().is_empty() && due_date.is_some(),
        action,
        owner,
        due_date,
        status: ActionStatus::parse(&status).unwrap_or(ActionStatus::Open),
        active: r.get(13)?,
        created_at: r.get(11)?,
        updated_at: r.get(12)?,
    })
}

/// A new finding for `clause_id`, written in `tx` (used when a clause is graded a
/// nonconformity and has none yet).
pub(crate) fn insert(
    tx: &Transaction<'_>,
    clause_id: &str,
    grade: Grade,
    statement: &str,
    evidence: &str,
    requirement: &str,
    due_date: Option<NaiveDate>,
) -> rusqlite::Result<i64> {
    let at = now();
    tx.execute(
        "INSERT INTO finding (clause_id, grade, statement, evidence, requirement, due_date,
             created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
        params![
            clause_id,
            grade.as_str(),
            statement,
            evidence,
            requirement,
            due_date.map(|d| d.to_string()),
            at
        ],
    )?;
    Ok(tx.last_insert_rowid())
}

impl Audit {
    /// Every finding, in checklist order of their clauses, oldest first within a clause.
    pub fn findings(&self) -> Result<Vec<Finding>> {
        let mut stmt = self
            .conn()
            .prepare(&format!("{SELECT} ORDER BY c.position, f.id"))
            .map_err(|e| Error::db(self.path(), e))?;
        let rows = stmt
            .query_map([], row_to_finding)
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
            .map_err(|e| Error::db(self.path(), e))?;
        Ok(rows)
    }

    pub fn finding(&self, id: i64) -> Result<Finding> {
        self.conn()
            .query_row(&format!("{SELECT} WHERE f.id = ?1"), [id], row_to_finding)
            .optional()
            .map_err(|e| Error::db(self.path(), e))?
            .ok_or_else(|| Error::Invalid(format!("{}: no finding {id}", self.path().display())))
    }

    /// Adds a further finding to a clause (several minors on one clause suggest a major).
    pub fn add_finding(&mut self, clause_id: &str, grade: Grade) -> Result<Finding> {
        let clause = self
            .checklist()
            .clause(clause_id)
            .ok_or_else(|| Error::UnknownClause {
                path: self.path().to_path_buf(),
                id: clause_id.to_string(),
                checklist: self.checklist().id.clone(),
            })?;
        if !matches!(grade, Grade::Minor | Grade::Major) {
            return Err(Error::Invalid(format!(
                "{}: a finding is a minor or a major nonconformity, not {}",
                self.path().display(),
                grade.label()
            )));
        }
        let requirement = self.checklist().text(&clause.requirement, "en").to_string();
        let due = self.default_due_date()?;
        let path = self.path().to_path_buf();
        let tx = self
            .conn_mut()
            .transaction()
            .map_err(|e| Error::db(&path, e))?;
        let id = insert(&tx, clause_id, grade, "", "", &requirement, Some(due))
            .and_then(|id| tx.commit().map(|_| id))
            .map_err(|e| Error::db(&path, e))?;
        self.finding(id)
    }

    /// Changes a finding's text or corrective action.
    pub fn update_finding(&mut self, id: i64, update: FindingUpdate) -> Result<Finding> {
        let current = self.finding(id)?;
        let bad = |reason: String| {
            Error::Invalid(format!("{}: finding {id}: {reason}", self.path().display()))
        };
        if let Some(g) = update.grade {
            if !matches!(g, Grade::Minor | Grade::Major) {
                return Err(bad(format!("a finding cannot be {}", g.label())));
            }
        }
        let due_date = match update.due_date.as_deref().map(str::trim) {
            None => current.due_date,
            Some("") => None,
            Some(d) => Some(
                d.parse::<NaiveDate>()
                    .map_err(|_| bad(format!("due date '{d}' is not a date YYYY-MM-DD")))?,
            ),
        };
        let take = |new: Option<String>, old: String| new.unwrap_or(old);
        self.conn()
            .execute(
                "UPDATE finding SET grade = ?2, statement = ?3, evidence = ?4, requirement = ?5,
                     cause = ?6, action = ?7, owner = ?8, due_date = ?9, status = ?10,
                     updated_at = ?11
                 WHERE id = ?1",
                params![
                    id,
                    update.grade.unwrap_or(current.grade).as_str(),
                    take(update.statement, current.statement),
                    take(update.evidence, current.evidence),
                    take(update.requirement, current.requirement),
                    take(update.cause, current.cause),
                    take(update.action, current.action),
                    take(update.owner, current.owner),
                    due_date.map(|d| d.to_string()),
                    update.status.unwrap_or(current.status).as_str(),
                    now()
                ],
            )
            .map_err(|e| Error::db(self.path(), e))?;
        self.finding(id)
    }

    /// Removes a finding.
    pub fn delete_finding(&mut self, id: i64) -> Result<()> {
        self.finding(id)?;
        self.conn()
            .execute("DELETE FROM finding WHERE id = ?1", [id])
            .map_err(|e| Error::db(self.path(), e))?;
        Ok(())
    }

    /// The default due date of a corrective action: the setting's number of days after the
    /// audit's end date (or start date, or today).
    pub fn default_due_date(&self) -> Result<NaiveDate> {
        let meta = self.meta()?;
        let days = self.settings()?.parameters.corrective_action_due_days;
        let base = meta
            .details
            .end_date
            .or(meta.details.start_date)
            .unwrap_or_else(|| Utc::now().date_naive());
        Ok(base + chrono::Duration::days(i64::from(days)))
    }
}
