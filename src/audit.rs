//! One audit = one `.ccaudit` file: its metadata, the checklist it was created with and the
//! auditor's grades. Every multi-step write is one transaction.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use chrono::{NaiveDate, SecondsFormat, Utc};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::checklist::Checklist;
use crate::db;
use crate::error::{Error, Result};
use crate::evidence::{self, Evidence};
use crate::grade::Grade;
use crate::scoring::{self, Suggestion};

/// The kind of audit, as a certification body plans them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum AuditType {
    #[serde(rename = "stage1")]
    Stage1,
    #[serde(rename = "stage2")]
    Stage2,
    #[serde(rename = "surveillance")]
    Surveillance,
    /// A manager's own assessment; never a certification recommendation.
    #[serde(rename = "self-assessment")]
    SelfAssessment,
}

impl AuditType {
    pub const ALL: [AuditType; 4] = [
        AuditType::Stage1,
        AuditType::Stage2,
        AuditType::Surveillance,
        AuditType::SelfAssessment,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AuditType::Stage1 => "stage1",
            AuditType::Stage2 => "stage2",
            AuditType::Surveillance => "surveillance",
            AuditType::SelfAssessment => "self-assessment",
        }
    }

    pub fn parse(token: &str) -> Option<AuditType> {
        AuditType::ALL.into_iter().find(|t| t.as_str() == token)
    }

    pub fn label(self) -> &'static str {
        match self {
            AuditType::Stage1 => "Stage 1 audit",
            AuditType::Stage2 => "Stage 2 audit",
            AuditType::Surveillance => "Surveillance audit",
            AuditType::SelfAssessment => "Self-assessment",
        }
    }
}

/// What the user says about an audit when creating it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct NewAudit {
    pub organisation: String,
    pub site: Option<String>,
    pub scope: Option<String>,
    pub channels: Vec<String>,
    pub audit_type: AuditType,
    pub auditors: Vec<String>,
    #[ts(type = "string | null")]
    pub start_date: Option<NaiveDate>,
    #[ts(type = "string | null")]
    pub end_date: Option<NaiveDate>,
}

impl NewAudit {
    /// A stage 2 audit of `organisation` with nothing else filled in.
    pub fn named(organisation: &str) -> NewAudit {
        NewAudit {
            organisation: organisation.to_string(),
            site: None,
            scope: None,
            channels: Vec::new(),
            audit_type: AuditType::Stage2,
            auditors: Vec::new(),
            start_date: None,
            end_date: None,
        }
    }

    fn validate(&self) -> Result<()> {
        if self.organisation.trim().is_empty() {
            return Err(Error::Invalid("the organisation's name is required".into()));
        }
        if let (Some(s), Some(e)) = (self.start_date, self.end_date) {
            if e < s {
                return Err(Error::Invalid(format!(
                    "the audit ends ({e}) before it starts ({s})"
                )));
            }
        }
        Ok(())
    }
}

/// The audit's metadata as stored in the file.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct AuditMeta {
    #[serde(flatten)]
    #[ts(flatten)]
    pub details: NewAudit,
    pub created_at: String,
    pub checklist_id: String,
    pub checklist_version: String,
    pub checklist_sha256: String,
    #[ts(type = "number")]
    pub schema_version: i64,
}

/// The auditor's current grade, note and reason for one clause.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Assessment {
    pub clause_id: String,
    pub grade: Grade,
    pub note: String,
    /// The justification: required for "not applicable" and for a grade that differs from
    /// the suggested one.
    pub reason: String,
    /// The grade the evidence suggested when the clause was graded.
    pub suggested: Option<Grade>,
    pub updated_at: String,
}

/// A change to a clause's assessment; `None` keeps what is stored.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, TS)]
#[ts(export)]
pub struct AssessmentUpdate {
    pub grade: Option<Grade>,
    pub note: Option<String>,
    pub reason: Option<String>,
}

/// How far the audit has got in one top-level section.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct SectionProgress {
    pub section: String,
    pub assessed: u32,
    pub total: u32,
}

/// Everything the app shows about an open audit.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct AuditView {
    pub path: String,
    pub meta: AuditMeta,
    pub checklist: Checklist,
    pub assessments: Vec<Assessment>,
    pub progress: Vec<SectionProgress>,
}

/// An open audit file.
#[derive(Debug)]
pub struct Audit {
    conn: Connection,
    path: PathBuf,
    checklist: Checklist,
    /// The last computed evidence, with the fingerprint of the data it was computed from.
    evidence: Mutex<Option<(String, Arc<Evidence>)>>,
}

fn now() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn json_list(list: &[String]) -> String {
    serde_json::to_string(list).expect("a list of strings serialises")
}

/// The non-blank entries of a list, trimmed.
fn trimmed(list: &[String]) -> Vec<String> {
    list.iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// Moves the finished file `tmp` to `path` unless a file is there already, even one that
/// appeared since `Audit::create` looked: a hard link cannot replace a file. Where the file
/// system has no hard links, it is renamed after one more look.
fn place_new(tmp: &Path, path: &Path) -> Result<()> {
    match std::fs::hard_link(tmp, path) {
        Ok(()) => {
            // The new file is in place; the temporary name goes.
            let _ = std::fs::remove_file(tmp);
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            Err(Error::AlreadyExists { path: path.into() })
        }
        Err(_) => {
            if path.exists() {
                return Err(Error::AlreadyExists { path: path.into() });
            }
            std::fs::rename(tmp, path).map_err(|e| Error::io(path, e))
        }
    }
}

fn blank_to_none(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

impl Audit {
    /// Creates a new audit file at `path` for `details`, using `checklist`. The file appears
    /// complete or not at all: it is built under a temporary name and renamed into place.
    pub fn create(path: &Path, details: &NewAudit, checklist: &Checklist) -> Result<Audit> {
        details.validate()?;
        if path.exists() {
            return Err(Error::AlreadyExists { path: path.into() });
        }
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let tmp = tempfile_path(&dir, path);
        let result = (|| {
            let mut conn = db::create_new(&tmp)?;
            write_new(&mut conn, details, checklist).map_err(|e| Error::db(path, e))?;
            conn.close().map_err(|(_, e)| Error::db(path, e))?;
            place_new(&tmp, path)
        })();
        if let Err(e) = result {
            db::remove_with_sidecars(&tmp);
            return Err(e);
        }
        Audit::open(path)
    }

    /// Opens an existing audit file (see [`db::open_existing`] for the checks made first).
    pub fn open(path: &Path) -> Result<Audit> {
        let conn = db::open_existing(path)?;
        let source: String = conn
            .query_row("SELECT checklist_source FROM audit WHERE id = 1", [], |r| {
                r.get(0)
            })
            .optional()
            .map_err(|e| Error::db(path, e))?
            .ok_or_else(|| Error::NotAnAudit {
                path: path.into(),
                reason: "it holds no audit".into(),
            })?;
        let checklist =
            Checklist::parse(&source, &format!("{} (stored checklist)", path.display()))?;
        Ok(Audit {
            conn,
            path: path.to_path_buf(),
            checklist,
            evidence: Mutex::new(None),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The checklist the audit was created with.
    pub fn checklist(&self) -> &Checklist {
        &self.checklist
    }

    pub(crate) fn conn_mut(&mut self) -> &mut Connection {
        &mut self.conn
    }

    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }

    /// An error unless the audit's checklist has the clause `clause_id`.
    pub(crate) fn known_clause(&self, clause_id: &str) -> Result<()> {
        if self.checklist.clause(clause_id).is_none() {
            return Err(Error::UnknownClause {
                path: self.path.clone(),
                id: clause_id.to_string(),
                checklist: self.checklist.id.clone(),
            });
        }
        Ok(())
    }

    fn db_err(&self, e: rusqlite::Error) -> Error {
        Error::db(&self.path, e)
    }

    pub fn meta(&self) -> Result<AuditMeta> {
        let parse_list = |s: String| serde_json::from_str::<Vec<String>>(&s).unwrap_or_default();
        let parse_date = |s: Option<String>| s.and_then(|s| s.parse::<NaiveDate>().ok());
        self.conn
            .query_row(
                "SELECT organisation, site, scope, channels, audit_type, auditors, start_date,
                        end_date, created_at, checklist_id, checklist_version, checklist_sha256
                 FROM audit WHERE id = 1",
                [],
                |r| {
                    let audit_type: String = r.get(4)?;
                    Ok(AuditMeta {
                        details: NewAudit {
                            organisation: r.get(0)?,
                            site: r.get(1)?,
                            scope: r.get(2)?,
                            channels: parse_list(r.get(3)?),
                            audit_type: AuditType::parse(&audit_type).unwrap_or(AuditType::Stage2),
                            auditors: parse_list(r.get(5)?),
                            start_date: parse_date(r.get(6)?),
                            end_date: parse_date(r.get(7)?),
                        },
                        created_at: r.get(8)?,
                        checklist_id: r.get(9)?,
                        checklist_version: r.get(10)?,
                        checklist_sha256: r.get(11)?,
                        schema_version: db::schema_version(),
                    })
                },
            )
            .map_err(|e| self.db_err(e))
    }

    /// Changes the audit's details (organisation, site, scope, channels, type, auditors, dates)
    /// in one statement; the checklist and everything graded stay as they are.
    pub fn update_details(&mut self, details: &NewAudit) -> Result<AuditMeta> {
        details.validate()?;
        self.conn
            .execute(
                "UPDATE audit SET organisation = ?1, site = ?2, scope = ?3, channels = ?4,
                        audit_type = ?5, auditors = ?6, start_date = ?7, end_date = ?8
                 WHERE id = 1",
                params![
                    details.organisation.trim(),
                    blank_to_none(details.site.clone()),
                    blank_to_none(details.scope.clone()),
                    json_list(&trimmed(&details.channels)),
                    details.audit_type.as_str(),
                    json_list(&trimmed(&details.auditors)),
                    details.start_date.map(|x| x.to_string()),
                    details.end_date.map(|x| x.to_string()),
                ],
            )
            .map_err(|e| self.db_err(e))?;
        self.meta()
    }

    /// Every stored assessment, in checklist order.
    pub fn assessments(&self) -> Result<Vec<Assessment>> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT a.clause_id, a.grade, a.note, a.reason, a.updated_at, a.suggested
                 FROM assessment a JOIN clause c ON c.id = a.clause_id
                 ORDER BY c.position",
            )
            .map_err(|e| self.db_err(e))?;
        let rows = stmt
            .query_map([], row_to_assessment)
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
            .map_err(|e| self.db_err(e))?;
        Ok(rows)
    }

    /// The stored assessment of one clause, if any.
    pub fn assessment(&self, clause_id: &str) -> Result<Option<Assessment>> {
        self.conn
            .query_row(
                "SELECT clause_id, grade, note, reason, updated_at, suggested FROM assessment
                 WHERE clause_id = ?1",
                [clause_id],
                row_to_assessment,
            )
            .optional()
            .map_err(|e| self.db_err(e))
    }

    /// Changes a clause's grade, note or reason and records the change in the audit trail,
    /// in one transaction. Returns the assessment as stored.
    pub fn update_assessment(
        &mut self,
        clause_id: &str,
        update: AssessmentUpdate,
    ) -> Result<Assessment> {
        self.known_clause(clause_id)?;
        let current = self.assessment(clause_id)?;
        let grade = update
            .grade
            .or(current.as_ref().map(|a| a.grade))
            .unwrap_or(Grade::NotAssessed);
        let note = update
            .note
            .or_else(|| current.as_ref().map(|a| a.note.clone()))
            .unwrap_or_default();
        let reason = update
            .reason
            .or_else(|| current.as_ref().map(|a| a.reason.clone()))
            .unwrap_or_default();
        if grade == Grade::Na && reason.trim().is_empty() {
            return Err(Error::Invalid(format!(
                "{}: clause {clause_id}: \"not applicable\" needs a justification (a reason)",
                self.path.display()
            )));
        }
        let suggestion = self.suggestion(clause_id)?;
        let suggested = suggestion.as_ref().map(|s| s.grade);
        let graded = !matches!(grade, Grade::NotAssessed | Grade::Na);
        if let (true, Some(s)) = (graded, suggested) {
            if s != grade && reason.trim().is_empty() {
                return Err(Error::Invalid(format!(
                    "{}: clause {clause_id}: the evidence suggests {}; grading it {} needs a written reason",
                    self.path.display(),
                    s.label(),
                    grade.label()
                )));
            }
        }
        let stored = Assessment {
            clause_id: clause_id.to_string(),
            grade,
            note,
            reason,
            suggested,
            updated_at: now(),
        };
        // A nonconformity without a finding gets one, prefilled from the clause and evidence.
        let new_finding = if matches!(grade, Grade::Minor | Grade::Major)
            && !self.findings()?.iter().any(|f| f.clause_id == clause_id)
        {
            let clause = self.checklist.clause(clause_id).expect("checked above");
            let evidence_text = suggestion
                .as_ref()
                .map(|s| s.reasons.join("\n"))
                .unwrap_or_default();
            Some((
                self.checklist.text(&clause.requirement, "en").to_string(),
                evidence_text,
                self.default_due_date()?,
            ))
        } else {
            None
        };
        let path = self.path.clone();
        let tx = self.conn.transaction().map_err(|e| Error::db(&path, e))?;
        tx.execute(
            "INSERT INTO assessment (clause_id, grade, note, reason, updated_at, suggested)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT (clause_id) DO UPDATE SET grade = excluded.grade,
                 note = excluded.note, reason = excluded.reason, updated_at = excluded.updated_at,
                 suggested = excluded.suggested",
            params![
                stored.clause_id,
                stored.grade.as_str(),
                stored.note,
                stored.reason,
                stored.updated_at,
                suggested.map(Grade::as_str),
            ],
        )
        .and_then(|_| {
            // The audit trail records the row exactly as it now stands.
            tx.execute(
                "INSERT INTO assessment_history (clause_id, grade, note, reason, changed_at,
                     suggested)
                 SELECT clause_id, grade, note, reason, updated_at, suggested FROM assessment
                 WHERE clause_id = ?1",
                [&stored.clause_id],
            )
        })
        .and_then(|_| match &new_finding {
            Some((requirement, evidence_text, due)) => crate::findings::insert(
                &tx,
                clause_id,
                grade,
                &stored.note,
                evidence_text,
                requirement,
                Some(*due),
            )
            .map(|_| ()),
            None => Ok(()),
        })
        .and_then(|_| tx.commit())
        .map_err(|e| Error::db(&path, e))?;
        Ok(stored)
    }

    /// Undoes the latest change of a clause: the grade, note and reason it had before that
    /// change are written back as a new change, so the audit trail stays append-only (the undo
    /// is itself a row of `assessment_history`). Before its first change a clause was not
    /// assessed, with no note or reason. The stored reason comes back with its grade, so a
    /// grade that differed from the suggestion is restored with its justification.
    pub fn undo_assessment(&mut self, clause_id: &str) -> Result<Assessment> {
        if self.checklist.clause(clause_id).is_none() {
            return Err(Error::UnknownClause {
                path: self.path.clone(),
                id: clause_id.to_string(),
                checklist: self.checklist.id.clone(),
            });
        }
        let mut stmt = self
            .conn
            .prepare(
                "SELECT grade, note, reason FROM assessment_history WHERE clause_id = ?1
                 ORDER BY id DESC LIMIT 2",
            )
            .map_err(|e| self.db_err(e))?;
        let states = stmt
            .query_map([clause_id], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
            .map_err(|e| self.db_err(e))?;
        drop(stmt);
        let (grade, note, reason) = match states.as_slice() {
            [] => {
                return Err(Error::Invalid(format!(
                    "{}: clause {clause_id} has no change to undo",
                    self.path.display()
                )))
            }
            [_] => (Grade::NotAssessed, String::new(), String::new()),
            [_, (grade, note, reason), ..] => {
                let grade = Grade::parse(grade).ok_or_else(|| {
                    Error::Invalid(format!(
                        "{}: clause {clause_id}: unknown grade {grade:?} in the audit trail",
                        self.path.display()
                    ))
                })?;
                (grade, note.clone(), reason.clone())
            }
        };
        self.update_assessment(
            clause_id,
            AssessmentUpdate {
                grade: Some(grade),
                note: Some(note),
                reason: Some(reason),
            },
        )
    }

    /// Every metric over the audit's records. Computed once and kept until the records or the
    /// settings change.
    pub fn evidence(&self) -> Result<Arc<Evidence>> {
        let fingerprint: String = self
            .conn
            .query_row(
                "SELECT (SELECT count(*) || ':' || coalesce(max(id), 0) || ':' || coalesce(sum(records), 0)
                         || ':' || coalesce(group_concat(sha256), '') FROM import)
                     || '|' || (SELECT coalesce(group_concat(key || '=' || value), '') FROM setting)
                     || '|' || (SELECT count(*) FROM contact_qa)
                     || '|' || (SELECT count(*) FROM privacy_event)",
                [],
                |r| r.get(0),
            )
            .map_err(|e| self.db_err(e))?;
        let mut cache = self.evidence.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((f, e)) = cache.as_ref() {
            if *f == fingerprint {
                return Ok(e.clone());
            }
        }
        let fresh = Arc::new(evidence::compute(self)?);
        *cache = Some((fingerprint, fresh.clone()));
        Ok(fresh)
    }

    /// The grade the evidence suggests for a clause (grading.md), if any.
    pub fn suggestion(&self, clause_id: &str) -> Result<Option<Suggestion>> {
        self.suggestion_in(clause_id, crate::report::i18n::Lang::En)
    }

    /// [`Audit::suggestion`], with the reasons in `lang`.
    pub fn suggestion_in(
        &self,
        clause_id: &str,
        lang: crate::report::i18n::Lang,
    ) -> Result<Option<Suggestion>> {
        let Some(clause) = self.checklist.clause(clause_id) else {
            return Ok(None);
        };
        let minors = self
            .findings()?
            .iter()
            .filter(|f| f.clause_id == clause_id && f.grade == Grade::Minor)
            .count();
        Ok(scoring::suggest_in(
            clause,
            self.evidence()?.as_ref(),
            minors,
            lang,
        ))
    }

    /// Scores and the readiness decision.
    pub fn scorecard(&self) -> Result<scoring::Scorecard> {
        scoring::score(self, self.evidence()?.as_ref(), &self.findings()?)
    }

    /// Assessed / total clauses per top-level section, in checklist order. A clause counts as
    /// assessed once it has any grade other than "not assessed".
    pub fn progress(&self) -> Result<Vec<SectionProgress>> {
        let graded: HashMap<String, Grade> = self
            .assessments()?
            .into_iter()
            .map(|a| (a.clause_id, a.grade))
            .collect();
        let mut out: Vec<SectionProgress> = self
            .checklist
            .sections
            .iter()
            .filter(|s| s.parent.is_none())
            .map(|s| SectionProgress {
                section: s.id.clone(),
                assessed: 0,
                total: 0,
            })
            .collect();
        for clause in &self.checklist.clauses {
            let top = self.top_section(&clause.section);
            if let Some(p) = out.iter_mut().find(|p| p.section == top) {
                p.total += 1;
                if graded
                    .get(&clause.id)
                    .is_some_and(|g| *g != Grade::NotAssessed)
                {
                    p.assessed += 1;
                }
            }
        }
        Ok(out)
    }

    /// The top-level section that `section` sits in.
    pub fn top_section(&self, section: &str) -> String {
        let mut id = section;
        while let Some(parent) = self
            .checklist
            .sections
            .iter()
            .find(|s| s.id == id)
            .and_then(|s| s.parent.as_deref())
        {
            id = parent;
        }
        id.to_string()
    }

    /// Everything the app shows about this audit.
    pub fn view(&self) -> Result<AuditView> {
        Ok(AuditView {
            path: self.path.display().to_string(),
            meta: self.meta()?,
            checklist: self.checklist.clone(),
            assessments: self.assessments()?,
            progress: self.progress()?,
        })
    }
}

fn row_to_assessment(r: &rusqlite::Row<'_>) -> rusqlite::Result<Assessment> {
    let grade: String = r.get(1)?;
    Ok(Assessment {
        clause_id: r.get(0)?,
        grade: Grade::parse(&grade).ok_or_else(|| {
            rusqlite::Error::FromSqlConversionFailure(
                1,
                rusqlite::types::Type::Text,
                format!("unknown grade '{grade}'").into(),
            )
        })?,
        note: r.get(2)?,
        reason: r.get(3)?,
        updated_at: r.get(4)?,
        suggested: r
            .get::<_, Option<String>>(5)?
            .and_then(|g| Grade::parse(&g)),
    })
}

fn tempfile_path(dir: &Path, target: &Path) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "audit".into());
    dir.join(format!(".{name}.{}.partial", std::process::id()))
}

fn write_new(conn: &mut Connection, d: &NewAudit, checklist: &Checklist) -> rusqlite::Result<()> {
    let tx = conn.transaction()?;
    tx.execute(
        "INSERT INTO audit (id, organisation, site, scope, channels, audit_type, auditors,
             start_date, end_date, created_at, checklist_id, checklist_version, checklist_sha256,
             checklist_source)
         VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        params![
            d.organisation.trim(),
            blank_to_none(d.site.clone()),
            blank_to_none(d.scope.clone()),
            json_list(&d.channels),
            d.audit_type.as_str(),
            json_list(&d.auditors),
            d.start_date.map(|x| x.to_string()),
            d.end_date.map(|x| x.to_string()),
            now(),
            checklist.id,
            checklist.version,
            checklist.sha256,
            checklist.source,
        ],
    )?;
    {
        let mut insert = tx.prepare(
            "INSERT INTO clause (id, section_id, position, weight, mandatory)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        for (i, c) in checklist.clauses.iter().enumerate() {
            insert.execute(params![c.id, c.section, i as i64, c.weight, c.mandatory])?;
        }
    }
    tx.commit()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file that appears at the new audit's path after `Audit::create` looked is kept as it
    /// is: the finished audit is not put over it.
    #[test]
    fn a_new_audit_is_never_put_over_a_file_that_appeared_meanwhile() {
        let dir = tempfile::tempdir().unwrap();
        let tmp = dir.path().join(".new.ccaudit.tmp");
        let path = dir.path().join("site.ccaudit");
        std::fs::write(&tmp, b"the new audit").unwrap();
        std::fs::write(&path, b"someone else's file").unwrap();
        let refused = place_new(&tmp, &path);
        assert!(matches!(refused, Err(Error::AlreadyExists { .. })));
        assert_eq!(std::fs::read(&path).unwrap(), b"someone else's file");

        // With nothing there, the new file takes the name and the temporary one is gone.
        std::fs::remove_file(&path).unwrap();
        place_new(&tmp, &path).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"the new audit");
        assert!(!tmp.exists());
    }
}
