//! Suggested grades, scores and the readiness decision (spec/grading.md).

use std::collections::HashMap;

use serde::Serialize;
use ts_rs::TS;

use crate::audit::{Audit, AuditType};
use crate::checklist::{Checklist, Clause};
use crate::error::Result;
use crate::evidence::{Evidence, MetricResult, Status};
use crate::findings::Finding;
use crate::grade::Grade;
use crate::metric::Unit;
use crate::report::i18n::Lang;

/// A zero-tolerance breach in more than this share of the population is a major.
pub const MAJOR_BREACH_SHARE: f64 = 0.05;
/// This many minor nonconformities on one clause suggest a major (systemic) one.
pub const SYSTEMIC_MINORS: usize = 3;

/// The grade the evidence suggests for a clause, and why.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Suggestion {
    pub grade: Grade,
    pub reasons: Vec<String>,
}

/// The share of a failing zero-tolerance metric's population that breached it.
fn breach_share(m: &MetricResult) -> Option<f64> {
    let (k, n) = (m.k? as f64, m.n as f64);
    if !m.zero_tolerance || n == 0.0 {
        return None;
    }
    Some(match m.unit {
        // Breach counts: k is the breaches.
        Unit::Count => k / n,
        // Zero-tolerance pass rates: the breaches are the records that did not pass.
        _ => (n - k) / n,
    })
}

/// The grade suggested for `clause` from its bound metrics and the minor findings recorded on
/// it: all pass → conforming; a target miss → minor; a zero-tolerance breach in more than 5 % of
/// the population → major; three or more minors → major; inconclusive → observation. `None`
/// when nothing can be suggested (no assessable metric and fewer than three minor findings).
pub fn suggest(clause: &Clause, evidence: &Evidence, minor_findings: usize) -> Option<Suggestion> {
    suggest_in(clause, evidence, minor_findings, Lang::En)
}

/// [`suggest`], with the reasons in `lang`.
pub fn suggest_in(
    clause: &Clause,
    evidence: &Evidence,
    minor_findings: usize,
    lang: Lang,
) -> Option<Suggestion> {
    let mut majors = Vec::new();
    let mut minors = Vec::new();
    let mut inconclusive = Vec::new();
    let mut passes = Vec::new();
    for binding in &clause.metrics {
        let Some(m) = evidence.metric(&binding.id) else {
            continue;
        };
        match m.status {
            Status::Fail => match breach_share(m) {
                Some(share) if share > MAJOR_BREACH_SHARE => {
                    majors.push(lang.breach_reason(&m.id, share, MAJOR_BREACH_SHARE))
                }
                _ => minors.push(lang.missed_reason(&m.id, &lang.advice(m))),
            },
            Status::Inconclusive => inconclusive.push(format!("{}: {}", m.id, lang.advice(m))),
            Status::Pass => passes.push(m.id.clone()),
            Status::NotAssessable | Status::Monitor => {}
        }
    }
    // Minor findings count towards the systemic rule only; alone they suggest nothing (a clause
    // graded minor gets a finding, which must not hold the suggestion at minor). A finding may
    // record a missed target, so the two counts are not added: the larger one counts.
    let minor_count = minors.len().max(minor_findings);
    if minor_count >= SYSTEMIC_MINORS {
        let mut reasons = vec![lang.systemic_reason(minor_count)];
        reasons.extend(minors);
        if minor_findings > 0 {
            reasons.push(lang.minor_findings_reason(minor_findings));
        }
        return Some(Suggestion {
            grade: Grade::Major,
            reasons,
        });
    }
    if !majors.is_empty() {
        majors.extend(minors);
        return Some(Suggestion {
            grade: Grade::Major,
            reasons: majors,
        });
    }
    if !minors.is_empty() {
        return Some(Suggestion {
            grade: Grade::Minor,
            reasons: minors,
        });
    }
    if !inconclusive.is_empty() {
        return Some(Suggestion {
            grade: Grade::Observation,
            reasons: inconclusive,
        });
    }
    if !passes.is_empty() {
        return Some(Suggestion {
            grade: Grade::Conforming,
            reasons: vec![lang.all_pass_reason(&passes)],
        });
    }
    None
}

/// The readiness decision of grading.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Decision {
    Ready,
    ReadySubjectToCorrectiveActions,
    ConditionallyReady,
    NotReady,
    Incomplete,
}

impl Decision {
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Ready => "ready",
            Decision::ReadySubjectToCorrectiveActions => "ready_subject_to_corrective_actions",
            Decision::ConditionallyReady => "conditionally_ready",
            Decision::NotReady => "not_ready",
            Decision::Incomplete => "incomplete",
        }
    }

    /// The decision in words.
    pub fn label(self) -> &'static str {
        match self {
            Decision::Ready => "ready",
            Decision::ReadySubjectToCorrectiveActions => "ready subject to corrective actions",
            Decision::ConditionallyReady => "conditionally ready",
            Decision::NotReady => "not ready",
            Decision::Incomplete => "incomplete",
        }
    }

    /// The rule of grading.md that produces this decision.
    pub fn rule(self) -> &'static str {
        match self {
            Decision::Incomplete => "a mandatory clause is not assessed",
            Decision::NotReady => "one or more major nonconformities",
            Decision::ReadySubjectToCorrectiveActions => {
                "no major; at least one minor, each with a corrective-action plan"
            }
            Decision::ConditionallyReady => "no major; a minor without a corrective-action plan",
            Decision::Ready => "no nonconformity",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ClauseScore {
    pub id: String,
    /// The top-level section.
    pub section: String,
    pub grade: Grade,
    pub suggested: Option<Grade>,
    /// The grade's points; `None` for not applicable / not assessed.
    pub score: Option<f64>,
    pub weight: f64,
    pub mandatory: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct SectionScore {
    pub id: String,
    /// Weighted mean of the section's assessed clauses; `None` when none is assessed.
    pub score: Option<f64>,
    /// Sum of the weights of its assessed clauses (its weight in the overall score).
    pub weight: f64,
    pub assessed: u32,
    pub not_applicable: u32,
    pub not_assessed: u32,
    pub total: u32,
}

/// Scores and the readiness decision of an audit.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Scorecard {
    pub decision: Decision,
    /// The rule that produced the decision, in words.
    pub rule: String,
    pub audit_type: AuditType,
    /// A manager's own audit: never a certification recommendation.
    pub self_assessment: bool,
    pub overall: Option<f64>,
    pub sections: Vec<SectionScore>,
    pub clauses: Vec<ClauseScore>,
    /// Every clause that drove the decision, in words (in English unless the scorecard was
    /// put in another language by [`Scorecard::in_language`]).
    pub reasons: Vec<String>,
    /// The same clauses, and why each drove the decision (none for "ready").
    pub drivers: Vec<DecisionDriver>,
    pub counts: GradeCounts,
}

/// Why a clause drove the readiness decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum DriverKind {
    MandatoryNotAssessed,
    Major,
    MinorPlanned,
    MinorUnplanned,
}

/// A clause that drove the readiness decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct DecisionDriver {
    pub clause_id: String,
    pub kind: DriverKind,
}

/// The decision's reasons in `lang`: each driving clause with its title in that language (from
/// the checklist) and why it drove the decision, or what a decision without drivers rests on.
pub fn reasons_in(drivers: &[DecisionDriver], checklist: &Checklist, lang: Lang) -> Vec<String> {
    if drivers.is_empty() {
        return vec![lang.no_nonconformity().to_string()];
    }
    drivers
        .iter()
        .map(|d| {
            let title = checklist
                .clause(&d.clause_id)
                .map(|c| checklist.text(&c.title, lang.as_str()))
                .unwrap_or_default();
            format!("{} {title}: {}", d.clause_id, lang.driver(d.kind))
        })
        .collect()
}

impl Scorecard {
    /// The scorecard with its rule and reasons in `lang` (clause titles from `checklist`).
    pub fn in_language(mut self, lang: Lang, checklist: &Checklist) -> Scorecard {
        self.rule = lang.rule(self.decision).to_string();
        self.reasons = reasons_in(&self.drivers, checklist, lang);
        self
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct GradeCounts {
    pub conforming: u32,
    pub observation: u32,
    pub ofi: u32,
    pub minor: u32,
    pub major: u32,
    pub not_applicable: u32,
    pub not_assessed: u32,
}

/// Scores `audit` from its grades, findings and evidence.
pub fn score(audit: &Audit, evidence: &Evidence, findings: &[Finding]) -> Result<Scorecard> {
    let checklist = audit.checklist();
    let grades: HashMap<String, Grade> = audit
        .assessments()?
        .into_iter()
        .map(|a| (a.clause_id, a.grade))
        .collect();
    let meta = audit.meta()?;
    let mut clauses = Vec::new();
    let mut counts = GradeCounts::default();
    let mut not_assessed_mandatory = Vec::new();
    let mut majors = Vec::new();
    let mut planned_minors = Vec::new();
    let mut unplanned_minors = Vec::new();
    for c in &checklist.clauses {
        let grade = grades.get(&c.id).copied().unwrap_or(Grade::NotAssessed);
        let clause_findings: Vec<&Finding> =
            findings.iter().filter(|f| f.clause_id == c.id).collect();
        let minor_findings = clause_findings
            .iter()
            .filter(|f| f.grade == Grade::Minor)
            .count();
        let suggested = suggest(c, evidence, minor_findings).map(|s| s.grade);
        match grade {
            Grade::Conforming => counts.conforming += 1,
            Grade::Observation => counts.observation += 1,
            Grade::Ofi => counts.ofi += 1,
            Grade::Minor => counts.minor += 1,
            Grade::Major => counts.major += 1,
            Grade::Na => counts.not_applicable += 1,
            Grade::NotAssessed => counts.not_assessed += 1,
        }
        let driver = |kind| DecisionDriver {
            clause_id: c.id.clone(),
            kind,
        };
        match grade {
            Grade::NotAssessed if c.mandatory => {
                not_assessed_mandatory.push(driver(DriverKind::MandatoryNotAssessed))
            }
            Grade::Major => majors.push(driver(DriverKind::Major)),
            Grade::Minor => {
                let planned =
                    !clause_findings.is_empty() && clause_findings.iter().all(|f| f.planned);
                if planned {
                    planned_minors.push(driver(DriverKind::MinorPlanned));
                } else {
                    unplanned_minors.push(driver(DriverKind::MinorUnplanned));
                }
            }
            _ => {}
        }
        clauses.push(ClauseScore {
            id: c.id.clone(),
            section: audit.top_section(&c.section),
            grade,
            suggested,
            score: grade.points(),
            weight: c.weight,
            mandatory: c.mandatory,
        });
    }

    let mut sections: Vec<SectionScore> = checklist
        .sections
        .iter()
        .filter(|s| s.parent.is_none())
        .map(|s| SectionScore {
            id: s.id.clone(),
            score: None,
            weight: 0.0,
            assessed: 0,
            not_applicable: 0,
            not_assessed: 0,
            total: 0,
        })
        .collect();
    let mut sums: HashMap<String, f64> = HashMap::new();
    for cs in &clauses {
        let Some(s) = sections.iter_mut().find(|s| s.id == cs.section) else {
            continue;
        };
        s.total += 1;
        match (cs.grade, cs.score) {
            (Grade::Na, _) => s.not_applicable += 1,
            (_, None) => s.not_assessed += 1,
            (_, Some(points)) => {
                s.assessed += 1;
                s.weight += cs.weight;
                *sums.entry(s.id.clone()).or_default() += points * cs.weight;
            }
        }
    }
    for s in &mut sections {
        if s.weight > 0.0 {
            s.score = Some(sums[&s.id] / s.weight);
        }
    }
    let total_weight: f64 = sections.iter().map(|s| s.weight).sum();
    let overall = (total_weight > 0.0).then(|| {
        sections
            .iter()
            .filter_map(|s| s.score.map(|x| x * s.weight))
            .sum::<f64>()
            / total_weight
    });

    let (decision, drivers) = if !not_assessed_mandatory.is_empty() {
        (Decision::Incomplete, not_assessed_mandatory)
    } else if !majors.is_empty() {
        (Decision::NotReady, majors)
    } else if !unplanned_minors.is_empty() {
        (Decision::ConditionallyReady, unplanned_minors)
    } else if !planned_minors.is_empty() {
        (Decision::ReadySubjectToCorrectiveActions, planned_minors)
    } else {
        (Decision::Ready, Vec::new())
    };
    let reasons = reasons_in(&drivers, checklist, Lang::En);
    Ok(Scorecard {
        decision,
        rule: decision.rule().to_string(),
        audit_type: meta.details.audit_type,
        self_assessment: meta.details.audit_type == AuditType::SelfAssessment,
        overall,
        sections,
        clauses,
        reasons,
        drivers,
        counts,
    })
}
