//! The certification readiness report. One model ([`Report`]) is built from an open audit by
//! [`build`]; every format is rendered from it: JSON (the model itself, versioned, with
//! `docs/report.schema.json`), HTML (one self-contained file), PDF (typeset by typst) and CSV
//! (the findings and corrective actions). Every report carries a manifest with the SHA-256 of
//! its content and of the audit data it was built from, optionally signed (see [`manifest`]).

pub mod chart;
pub mod csv;
pub mod html;
pub mod i18n;
pub mod manifest;
pub mod pdf;
pub mod view;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;
use ts_rs::TS;

use crate::audit::{Audit, AuditType};
use crate::error::{Error, Result};
use crate::evidence::{MetricResult, Status};
use crate::findings::ActionStatus;
use crate::grade::Grade;
use crate::metric::{Comparator, Population, Unit};
use crate::scoring::Decision;

pub use i18n::Lang;
pub use manifest::{verify, AuditDigest, Manifest, Verification};

/// The `format` of every report model.
pub const FORMAT: &str = "clausewise-report";
/// The version of the report model; `docs/report.schema.json` describes this version.
pub const VERSION: u32 = 1;
/// Rejected rows listed per import (the rest are counted; all are kept in the audit file).
pub const REJECTED_ROWS_LISTED: usize = 50;

/// One readiness report: everything every format shows.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Report {
    pub format: &'static str,
    pub version: u32,
    pub lang: Lang,
    /// When the report was made (RFC 3339, UTC).
    pub generated_at: String,
    /// The program that made it (`clausewise 0.1.0`).
    pub generator: String,
    pub title: String,
    /// A manager's own audit: labelled so on every page, never a certification recommendation.
    pub self_assessment: bool,
    /// The notice every page of a self-assessment carries.
    pub notice: Option<String>,
    pub audit: AuditPart,
    pub decision: DecisionPart,
    pub scores: ScoresPart,
    pub clauses: Vec<ClausePart>,
    pub metrics: Vec<MetricPart>,
    pub findings: Vec<FindingPart>,
    pub samples: Vec<SamplePart>,
    pub settings: Vec<SettingPart>,
    pub lineage: LineagePart,
    /// The audit data the report was built from, as `verify --audit` recomputes it.
    pub audit_digest: AuditDigest,
    /// Who signs the report (the auditors, or the preparers of a self-assessment).
    pub signatories: Vec<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct AuditPart {
    pub organisation: String,
    pub site: Option<String>,
    pub scope: Option<String>,
    pub channels: Vec<String>,
    pub audit_type: AuditType,
    pub audit_type_label: String,
    pub auditors: Vec<String>,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub created_at: String,
    /// The audit file's name (without its folder).
    pub file_name: String,
    pub checklist: ChecklistPart,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ChecklistPart {
    pub id: String,
    pub version: String,
    pub sha256: String,
    pub title: String,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct DecisionPart {
    pub code: Decision,
    /// The decision in words.
    pub label: String,
    /// The rule of grading.md that produced it.
    pub rule: String,
    /// Every clause that drove it (none for "ready").
    pub drivers: Vec<Driver>,
    /// The sentence the summary opens with.
    pub statement: String,
}

/// A clause that drove the decision, and why.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Driver {
    pub clause_id: String,
    pub title: String,
    pub kind: i18n::DriverKind,
    pub text: String,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ScoresPart {
    /// Weighted mean of the section scores (0–100); `None` when nothing is assessed.
    pub overall: Option<f64>,
    pub sections: Vec<SectionPart>,
    /// How many clauses have each grade.
    pub counts: Vec<GradeCount>,
    pub clauses_total: u32,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct SectionPart {
    pub id: String,
    pub title: String,
    pub score: Option<f64>,
    pub weight: f64,
    pub assessed: u32,
    pub not_applicable: u32,
    pub not_assessed: u32,
    pub total: u32,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct GradeCount {
    pub grade: Grade,
    pub label: String,
    pub count: u32,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ClausePart {
    pub id: String,
    /// The top-level section.
    pub section: String,
    /// The clause's own section, id and title ("4.4 Complaints handling").
    pub group: String,
    pub title: String,
    pub requirement: String,
    pub mandatory: bool,
    pub weight: f64,
    pub grade: Grade,
    pub grade_label: String,
    /// The grade the evidence suggests now.
    pub suggested: Option<Grade>,
    pub suggested_label: Option<String>,
    pub note: String,
    /// The justification (for "not applicable" or a grade other than the suggested one).
    pub reason: String,
    /// The grade's points; `None` when excluded from the scores.
    pub score: Option<f64>,
    /// The metrics bound to the clause (ids into `metrics`).
    pub metrics: Vec<String>,
    /// The findings raised on the clause (ids into `findings`).
    #[ts(type = "Array<number>")]
    pub findings: Vec<i64>,
    /// The evidence attached to the clause (files and interview notes), in the order added.
    pub attachments: Vec<AttachmentPart>,
}

/// A file or interview note attached to a clause: what it is and the SHA-256 of its bytes as
/// stored in the audit file (the bytes themselves are not in the report).
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct AttachmentPart {
    pub name: String,
    pub kind: crate::attachments::AttachmentKind,
    pub media_type: String,
    #[ts(type = "number")]
    pub size: u64,
    pub sha256: String,
    pub added_at: String,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct MetricPart {
    pub id: String,
    pub name: String,
    pub unit: Unit,
    pub population: Population,
    pub status: Status,
    pub status_label: String,
    #[ts(type = "number | null")]
    pub k: Option<u64>,
    #[ts(type = "number")]
    pub n: u64,
    pub value: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    pub p50: Option<f64>,
    pub p90: Option<f64>,
    pub target: Option<f64>,
    pub comparator: Comparator,
    pub zero_tolerance: bool,
    pub channels: Vec<String>,
    pub required_channels: Vec<String>,
    /// How many more records would decide an inconclusive metric.
    #[ts(type = "number | null")]
    pub more_records: Option<u64>,
    pub formula: String,
    pub advice: String,
    /// The figures as printed.
    pub display: MetricDisplay,
    /// The imports (ids into `lineage.imports`) whose records make up the population.
    #[ts(type = "Array<number>")]
    pub sources: Vec<i64>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct MetricDisplay {
    pub figure: String,
    pub kn: String,
    pub interval: String,
    pub target: String,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct FindingPart {
    #[ts(type = "number")]
    pub id: i64,
    pub clause_id: String,
    pub clause_title: String,
    pub grade: Grade,
    pub grade_label: String,
    pub statement: String,
    pub evidence: String,
    pub requirement: String,
    pub cause: String,
    pub action: String,
    pub owner: String,
    pub due_date: Option<String>,
    pub status: ActionStatus,
    pub status_label: String,
    /// Action, owner and due date are all given.
    pub planned: bool,
    /// The clause is still graded a nonconformity.
    pub active: bool,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct SamplePart {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "number")]
    pub seed: u64,
    #[ts(type = "number")]
    pub size: u64,
    #[ts(type = "number")]
    pub population: u64,
    pub method: String,
    pub strata: Vec<String>,
    pub strata_labels: Vec<String>,
    pub allocation: Vec<AllocationPart>,
    pub created_at: String,
    pub checks: Vec<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct AllocationPart {
    pub stratum: String,
    #[ts(type = "number")]
    pub population: u64,
    #[ts(type = "number")]
    pub drawn: u64,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct SettingPart {
    pub key: String,
    pub label: String,
    pub value: String,
    pub changed: bool,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct LineagePart {
    #[ts(type = "number")]
    pub contacts: u64,
    #[ts(type = "number")]
    pub complaints: u64,
    pub contacts_end: Option<String>,
    pub complaints_end: Option<String>,
    pub imports: Vec<ImportPart>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ImportPart {
    #[ts(type = "number")]
    pub id: i64,
    pub kind: String,
    pub kind_label: String,
    /// `records`, or `qa` for a filled-in listening sheet.
    pub role: String,
    pub file_name: String,
    #[ts(type = "number")]
    pub file_size: u64,
    pub sha256: String,
    pub preset: String,
    pub encoding: String,
    pub delimiter: String,
    pub utc_offset: String,
    #[ts(type = "number")]
    pub rows_read: u64,
    #[ts(type = "number")]
    pub accepted: u64,
    #[ts(type = "number")]
    pub rejected: u64,
    #[ts(type = "number")]
    pub skipped: u64,
    #[ts(type = "number")]
    pub records: u64,
    pub imported_at: String,
    /// The first rejected rows (line, column, reason); `rejected_total` counts them all.
    pub rejected_rows: Vec<RejectedRow>,
    #[ts(type = "number")]
    pub rejected_total: u64,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export, rename = "ReportRejectedRow")]
pub struct RejectedRow {
    #[ts(type = "number")]
    pub line: u64,
    pub column: String,
    pub reason: String,
}

/// The name and version of this program, as reports carry it.
pub fn generator() -> String {
    format!("clausewise {}", env!("CARGO_PKG_VERSION"))
}

/// Builds the report of `audit` in `lang`, as of now.
pub fn build(audit: &Audit, lang: Lang) -> Result<Report> {
    build_at(audit, lang, Utc::now())
}

/// Builds the report of `audit` in `lang`, dated `at`.
pub fn build_at(audit: &Audit, lang: Lang, at: DateTime<Utc>) -> Result<Report> {
    let t = lang.text();
    let l = lang.as_str();
    let checklist = audit.checklist();
    let meta = audit.meta()?;
    let evidence = audit.evidence()?;
    let findings = audit.findings()?;
    let card = crate::scoring::score(audit, &evidence, &findings)?;
    let assessments: HashMap<String, crate::audit::Assessment> = audit
        .assessments()?
        .into_iter()
        .map(|a| (a.clause_id.clone(), a))
        .collect();
    let self_assessment = card.self_assessment;
    let d = &meta.details;
    let title_of = |id: &str| {
        checklist
            .clause(id)
            .map(|c| checklist.text(&c.title, l).to_string())
            .unwrap_or_default()
    };

    // The clauses that drove the decision (`scoring::score`), with their titles in `lang`.
    let drivers: Vec<Driver> = card
        .drivers
        .iter()
        .zip(crate::scoring::reasons_in(&card.drivers, checklist, lang))
        .map(|(d, text)| Driver {
            clause_id: d.clause_id.clone(),
            title: title_of(&d.clause_id),
            kind: d.kind,
            text,
        })
        .collect();
    let decision_label = lang.decision(card.decision).to_string();
    let statement = lang.statement(card.decision, drivers.len(), self_assessment);
    let sections = card
        .sections
        .iter()
        .map(|s| SectionPart {
            id: s.id.clone(),
            title: checklist
                .sections
                .iter()
                .find(|x| x.id == s.id)
                .map(|x| checklist.text(&x.title, l).to_string())
                .unwrap_or_default(),
            score: s.score,
            weight: s.weight,
            assessed: s.assessed,
            not_applicable: s.not_applicable,
            not_assessed: s.not_assessed,
            total: s.total,
        })
        .collect();
    let c = &card.counts;
    let counts = [
        (Grade::Conforming, c.conforming),
        (Grade::Observation, c.observation),
        (Grade::Ofi, c.ofi),
        (Grade::Minor, c.minor),
        (Grade::Major, c.major),
        (Grade::Na, c.not_applicable),
        (Grade::NotAssessed, c.not_assessed),
    ]
    .into_iter()
    .map(|(grade, count)| GradeCount {
        grade,
        label: lang.grade(grade).to_string(),
        count,
    })
    .collect();

    let mut attached: BTreeMap<String, Vec<AttachmentPart>> = BTreeMap::new();
    for a in audit.attachments(None)? {
        attached
            .entry(a.clause_id)
            .or_default()
            .push(AttachmentPart {
                name: a.name,
                kind: a.kind,
                media_type: a.media_type,
                size: a.size,
                sha256: a.sha256,
                added_at: a.added_at,
            });
    }
    let clauses = checklist
        .clauses
        .iter()
        .zip(&card.clauses)
        .map(|(cl, cs)| {
            let a = assessments.get(&cl.id);
            ClausePart {
                id: cl.id.clone(),
                section: cs.section.clone(),
                group: checklist
                    .sections
                    .iter()
                    .find(|x| x.id == cl.section)
                    .map(|x| format!("{} {}", x.id, checklist.text(&x.title, l)))
                    .unwrap_or_else(|| cl.section.clone()),
                title: checklist.text(&cl.title, l).to_string(),
                requirement: checklist.text(&cl.requirement, l).to_string(),
                mandatory: cl.mandatory,
                weight: cl.weight,
                grade: cs.grade,
                grade_label: lang.grade(cs.grade).to_string(),
                suggested: cs.suggested,
                suggested_label: cs.suggested.map(|g| lang.grade(g).to_string()),
                note: a.map(|a| a.note.clone()).unwrap_or_default(),
                reason: a.map(|a| a.reason.clone()).unwrap_or_default(),
                score: cs.score,
                metrics: cl.metrics.iter().map(|m| m.id.clone()).collect(),
                findings: findings
                    .iter()
                    .filter(|f| f.clause_id == cl.id)
                    .map(|f| f.id)
                    .collect(),
                attachments: attached.remove(&cl.id).unwrap_or_default(),
            }
        })
        .collect();

    let metrics: Vec<MetricPart> = evidence
        .metrics
        .iter()
        .map(|m| metric_part(m, lang))
        .collect();

    let findings = findings
        .iter()
        .map(|f| FindingPart {
            id: f.id,
            clause_id: f.clause_id.clone(),
            clause_title: title_of(&f.clause_id),
            grade: f.grade,
            grade_label: lang.grade(f.grade).to_string(),
            statement: f.statement.clone(),
            evidence: f.evidence.clone(),
            // Prefilled from the checklist's English text: the checklist's text in `lang`.
            requirement: match checklist.clause(&f.clause_id) {
                Some(c) if f.requirement == checklist.text(&c.requirement, "en") => {
                    checklist.text(&c.requirement, l).to_string()
                }
                _ => f.requirement.clone(),
            },
            cause: f.cause.clone(),
            action: f.action.clone(),
            owner: f.owner.clone(),
            due_date: f.due_date.map(|d| d.to_string()),
            status: f.status,
            status_label: lang.action_status(f.status).to_string(),
            planned: f.planned,
            active: f.active,
        })
        .collect();

    let samples = crate::sampling::samples(audit)?
        .into_iter()
        .map(|s| SamplePart {
            id: s.id,
            seed: s.seed,
            size: s.size,
            population: s.population,
            method: lang.sampling_method(&s.method),
            strata: s.strata.iter().map(|x| x.as_str().to_string()).collect(),
            strata_labels: s
                .strata
                .iter()
                .map(|x| lang.stratum(*x).to_string())
                .collect(),
            allocation: s
                .allocation
                .iter()
                .map(|a| AllocationPart {
                    stratum: a.stratum.clone(),
                    population: a.population,
                    drawn: a.drawn,
                })
                .collect(),
            created_at: s.created_at,
            checks: s.checks,
        })
        .collect();

    let settings = {
        let s = &evidence.settings;
        let p = &s.parameters;
        let parameters = [
            (
                "service_level_seconds",
                lang.int(p.service_level_seconds.into()),
            ),
            (
                "short_abandon_seconds",
                lang.int(p.short_abandon_seconds.into()),
            ),
            (
                "complaint_resolution_days",
                lang.int(p.complaint_resolution_days.into()),
            ),
            ("calling_hours_start", p.calling_hours_start.clone()),
            ("calling_hours_end", p.calling_hours_end.clone()),
            ("opt_out_grace_days", lang.int(p.opt_out_grace_days.into())),
            (
                "corrective_action_due_days",
                lang.int(p.corrective_action_due_days.into()),
            ),
        ];
        let targets = metrics.iter().filter_map(|m: &MetricPart| {
            let target = s.targets.get(&m.id)?;
            Some(SettingPart {
                key: format!("target.{}", m.id),
                label: format!("{}: {}", t.target, m.name),
                value: m.display.target.clone(),
                changed: target.changed,
            })
        });
        let mut list: Vec<SettingPart> = parameters
            .into_iter()
            .map(|(key, value)| SettingPart {
                key: key.to_string(),
                label: lang.parameter(key),
                value,
                changed: s.changed.iter().any(|c| c == key),
            })
            .collect();
        list.extend(targets);
        list
    };

    let lineage = LineagePart {
        contacts: evidence.contacts,
        complaints: evidence.complaints,
        contacts_end: evidence.contacts_end.clone(),
        complaints_end: evidence.complaints_end.clone(),
        imports: imports(audit, lang)?,
    };

    Ok(Report {
        format: FORMAT,
        version: VERSION,
        lang,
        generated_at: at.to_rfc3339_opts(SecondsFormat::Secs, true),
        generator: generator(),
        title: if self_assessment {
            t.title_self
        } else {
            t.title
        }
        .to_string(),
        self_assessment,
        notice: self_assessment.then(|| t.self_notice.to_string()),
        audit: AuditPart {
            organisation: d.organisation.clone(),
            site: d.site.clone(),
            scope: d.scope.clone(),
            channels: d.channels.clone(),
            audit_type: d.audit_type,
            audit_type_label: lang.audit_type(d.audit_type).to_string(),
            auditors: d.auditors.clone(),
            start_date: d.start_date.map(|x| x.to_string()),
            end_date: d.end_date.map(|x| x.to_string()),
            created_at: meta.created_at.clone(),
            file_name: file_name(audit.path()),
            checklist: ChecklistPart {
                id: meta.checklist_id.clone(),
                version: meta.checklist_version.clone(),
                sha256: meta.checklist_sha256.clone(),
                title: checklist.text(&checklist.title, l).to_string(),
            },
        },
        decision: DecisionPart {
            code: card.decision,
            label: decision_label,
            rule: lang.rule(card.decision).to_string(),
            drivers,
            statement,
        },
        scores: ScoresPart {
            overall: card.overall,
            sections,
            counts,
            clauses_total: card.clauses.len() as u32,
        },
        clauses,
        metrics,
        findings,
        samples,
        settings,
        lineage,
        audit_digest: manifest::audit_digest(audit)?,
        signatories: d.auditors.clone(),
    })
}

pub(crate) fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

fn metric_part(m: &MetricResult, lang: Lang) -> MetricPart {
    let t = lang.text();
    let figure = match (m.unit, m.value) {
        (_, None) if m.unit == Unit::Channels && !m.channels.is_empty() => m.channels.join(", "),
        (_, None) => t.none.to_string(),
        (Unit::Seconds, Some(v)) => format!(
            "{} (p50 {}, p90 {})",
            lang.secs(v),
            lang.secs(m.p50.unwrap_or(0.0)),
            lang.secs(m.p90.unwrap_or(0.0))
        ),
        (Unit::PerThousand, Some(v)) => lang.num(v, 2),
        (Unit::Channels, Some(_)) => m.channels.join(", "),
        (_, Some(v)) => lang.pct(v),
    };
    let kn = match (m.k, m.n) {
        (_, 0) if m.unit != Unit::Channels => t.no_records.to_string(),
        (Some(k), n) => format!("{} / {}", lang.int(k), lang.int(n)),
        (None, n) => format!("n = {}", lang.int(n)),
    };
    let interval = match (m.ci_low, m.ci_high, m.unit) {
        (Some(lo), Some(hi), Unit::Seconds) => format!("{} – {}", lang.secs(lo), lang.secs(hi)),
        (Some(lo), Some(hi), _) => {
            let (a, b) = (lang.pct_fixed(lo, 1), lang.pct_fixed(hi, 1));
            if a == b && lo != hi {
                // Too close to tell apart at one decimal: two decimals.
                format!("{} – {}", lang.pct_fixed(lo, 2), lang.pct_fixed(hi, 2))
            } else {
                format!("{a} – {b}")
            }
        }
        _ => t.none.to_string(),
    };
    let target = match (m.comparator, m.target, m.unit) {
        (Comparator::Includes, _, _) => format!("⊇ {}", m.required_channels.join(", ")),
        (Comparator::Monitor, _, _) | (_, None, _) => t.none.to_string(),
        (c, Some(v), Unit::Seconds) => format!("{} {}", lang.comparator(c), lang.secs(v)),
        (c, Some(v), Unit::Count) => format!("{} {}", lang.comparator(c), lang.num(v, 0)),
        (c, Some(v), _) => format!("{} {}", lang.comparator(c), lang.pct(v)),
    };
    let zero = if m.zero_tolerance {
        match lang {
            Lang::En => " (zero tolerance)",
            Lang::Tr => " (sıfır tolerans)",
        }
    } else {
        ""
    };
    MetricPart {
        id: m.id.clone(),
        name: lang.metric_name(&m.id),
        unit: m.unit,
        population: m.population,
        status: m.status,
        status_label: lang.status(m.status).to_string(),
        k: m.k,
        n: m.n,
        value: m.value,
        ci_low: m.ci_low,
        ci_high: m.ci_high,
        p50: m.p50,
        p90: m.p90,
        target: m.target,
        comparator: m.comparator,
        zero_tolerance: m.zero_tolerance,
        channels: m.channels.clone(),
        required_channels: m.required_channels.clone(),
        more_records: m.more_records,
        formula: lang.formula(&m.id, &m.formula),
        advice: lang.advice(m),
        display: MetricDisplay {
            figure,
            kn,
            interval,
            target: format!("{target}{zero}"),
        },
        sources: m.sources.clone(),
    }
}

fn imports(audit: &Audit, lang: Lang) -> Result<Vec<ImportPart>> {
    let db = |e: rusqlite::Error| Error::db(audit.path(), e);
    let conn = audit.conn();
    let mut stmt = conn
        .prepare(
            "SELECT id, kind, role, file_name, file_size, sha256, preset, encoding, delimiter,
                    utc_offset, rows_read, accepted, rejected, skipped, records, imported_at
             FROM import ORDER BY id",
        )
        .map_err(db)?;
    let mut out = stmt
        .query_map([], |r| {
            let kind: String = r.get(1)?;
            Ok(ImportPart {
                id: r.get(0)?,
                kind_label: lang.kind(&kind),
                kind,
                role: r.get(2)?,
                file_name: r.get(3)?,
                file_size: r.get::<_, i64>(4)? as u64,
                sha256: r.get(5)?,
                preset: r.get(6)?,
                encoding: r.get(7)?,
                delimiter: r.get(8)?,
                utc_offset: r.get(9)?,
                rows_read: r.get::<_, i64>(10)? as u64,
                accepted: r.get::<_, i64>(11)? as u64,
                rejected: r.get::<_, i64>(12)? as u64,
                skipped: r.get::<_, i64>(13)? as u64,
                records: r.get::<_, i64>(14)? as u64,
                imported_at: r.get(15)?,
                rejected_rows: Vec::new(),
                rejected_total: 0,
            })
        })
        .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
        .map_err(db)?;
    let mut rows = conn
        .prepare(
            "SELECT line, \"column\", reason FROM import_error WHERE import_id = ?1
             ORDER BY line, rowid LIMIT ?2",
        )
        .map_err(db)?;
    for import in &mut out {
        import.rejected_total = conn
            .query_row(
                "SELECT count(*) FROM import_error WHERE import_id = ?1",
                [import.id],
                |r| r.get::<_, i64>(0),
            )
            .map_err(db)? as u64;
        import.rejected_rows = rows
            .query_map(
                rusqlite::params![import.id, REJECTED_ROWS_LISTED as i64],
                |r| {
                    Ok(RejectedRow {
                        line: r.get::<_, i64>(0)? as u64,
                        column: r.get(1)?,
                        reason: r.get(2)?,
                    })
                },
            )
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
            .map_err(db)?;
    }
    Ok(out)
}

/// The formats a report is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export, rename = "ReportFormat")]
pub enum Format {
    Pdf,
    Html,
    Json,
    Csv,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Pdf => "pdf",
            Format::Html => "html",
            Format::Json => "json",
            Format::Csv => "csv",
        }
    }

    pub fn parse(s: &str) -> Option<Format> {
        [Format::Pdf, Format::Html, Format::Json, Format::Csv]
            .into_iter()
            .find(|f| f.as_str() == s.trim())
    }

    /// Whether the manifest travels inside the report (JSON, HTML) or beside it in
    /// `REPORT.manifest.json` (PDF, CSV).
    pub fn embeds_manifest(self) -> bool {
        matches!(self, Format::Json | Format::Html)
    }
}

/// A report written to disk.
#[derive(Debug, Clone)]
pub struct Written {
    pub path: PathBuf,
    /// The sidecar manifest of a PDF or CSV report.
    pub manifest_path: Option<PathBuf>,
    pub manifest: Manifest,
}

/// Builds the report of `audit` and writes it to `out` in `format`, with its manifest (signed
/// with `key` when given). The report and its sidecar manifest appear complete or not at all.
pub fn write(
    audit: &Audit,
    format: Format,
    lang: Lang,
    out: &Path,
    key: Option<&manifest::SigningKey>,
) -> Result<Written> {
    write_reporting(audit, format, lang, out, key, &mut |_| {})
}

/// What writing a report is doing, as [`write_reporting`] announces it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ReportStage {
    /// Reading the audit and computing the model.
    Building,
    /// Rendering the format (typesetting a PDF takes the longest).
    Rendering,
    /// Writing the report and its manifest under temporary names and renaming them into place.
    Writing,
}

/// [`write`], announcing each stage to `on_stage` as it starts.
pub fn write_reporting(
    audit: &Audit,
    format: Format,
    lang: Lang,
    out: &Path,
    key: Option<&manifest::SigningKey>,
    on_stage: &mut dyn FnMut(ReportStage),
) -> Result<Written> {
    on_stage(ReportStage::Building);
    let report = build(audit, lang)?;
    on_stage(ReportStage::Rendering);
    let rendered = render(&report, format)?;
    on_stage(ReportStage::Writing);
    manifest::seal_and_write(&report, format, rendered, out, key)
}

/// The bytes of `report` in `format`, before the manifest is added.
pub fn render(report: &Report, format: Format) -> Result<Vec<u8>> {
    Ok(match format {
        Format::Json => serde_json::to_vec_pretty(report).expect("the report model serialises"),
        Format::Html => html::render(report).into_bytes(),
        Format::Csv => csv::render(report),
        Format::Pdf => pdf::render(report)?,
    })
}
