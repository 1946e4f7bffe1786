//! The report as printed: every figure, date and label already written out in the report's
//! language. The HTML and the PDF both lay out this one view, so they say the same thing.

use serde::Serialize;

use super::i18n::{Labels, Lang};
use super::{MetricPart, Report};

#[derive(Debug, Serialize)]
pub struct View {
    pub lang: &'static str,
    pub labels: &'static Labels,
    pub title: String,
    pub self_assessment: bool,
    pub notice: Option<String>,
    pub self_explained: Option<String>,
    /// The organisation (and site) every page header names.
    pub running: String,
    pub generated: String,
    pub organisation: String,
    /// The audit type in capitals, above the cover's title.
    pub kicker: String,
    /// (label, value) rows of the cover page.
    pub cover: Vec<(String, String)>,
    pub decision_heading: String,
    pub decision_code: String,
    pub decision: String,
    pub rule: String,
    pub statement: String,
    /// "Clauses that drove the decision" with why (all drivers of a decision share the why).
    pub drivers_heading: String,
    /// "id title" of every clause that drove the decision.
    pub drivers: Vec<String>,
    pub overall: String,
    /// (grade, count) rows.
    pub counts: Vec<(String, String)>,
    /// id, title, score, assessed, n/a, not assessed, total.
    pub sections: Vec<[String; 7]>,
    pub clauses: Vec<ClauseView>,
    pub findings: Vec<FindingView>,
    pub samples: Vec<SampleView>,
    /// setting, value, changed mark.
    pub settings: Vec<[String; 3]>,
    pub lineage: Vec<(String, String)>,
    pub imports: Vec<ImportView>,
    pub integrity: Vec<(String, String)>,
    pub signature_heading: String,
    pub signatories: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct ClauseView {
    /// The section heading printed before the clause when its section starts.
    pub group: Option<String>,
    pub id: String,
    pub title: String,
    pub requirement: String,
    pub mandatory: bool,
    pub grade_code: String,
    pub grade: String,
    pub suggested: String,
    /// The grade differs from the suggested one.
    pub differs: bool,
    pub score: String,
    pub note: String,
    pub reason: String,
    pub metrics: Vec<MetricView>,
}

#[derive(Debug, Serialize)]
pub struct MetricView {
    pub id: String,
    pub name: String,
    pub status_code: String,
    pub status: String,
    pub figure: String,
    pub kn: String,
    pub interval: String,
    pub target: String,
    pub formula: String,
    pub advice: String,
    /// "file name — SHA-256 …" per source import.
    pub sources: Vec<(String, String)>,
}

#[derive(Debug, Serialize)]
pub struct FindingView {
    pub heading: String,
    pub grade_code: String,
    /// (label, value) rows; empty values are shown as a dash.
    pub rows: Vec<(String, String)>,
}

#[derive(Debug, Serialize)]
pub struct SampleView {
    pub heading: String,
    pub rows: Vec<(String, String)>,
    /// stratum, population, drawn.
    pub allocation: Vec<[String; 3]>,
}

#[derive(Debug, Serialize)]
pub struct ImportView {
    pub heading: String,
    pub sha256: String,
    pub rows: Vec<(String, String)>,
    /// line, column, reason.
    pub rejected: Vec<[String; 3]>,
    pub more: Option<String>,
}

fn or_dash(s: &str, t: &Labels) -> String {
    if s.trim().is_empty() {
        t.none.to_string()
    } else {
        s.to_string()
    }
}

/// An RFC 3339 time as `YYYY-MM-DD HH:MM` with its offset (`UTC` for `Z`).
pub fn when(rfc3339: &str) -> String {
    match chrono::DateTime::parse_from_rfc3339(rfc3339) {
        Ok(t) if t.offset().local_minus_utc() == 0 => t.format("%Y-%m-%d %H:%M UTC").to_string(),
        Ok(t) => t.format("%Y-%m-%d %H:%M %:z").to_string(),
        Err(_) => rfc3339.to_string(),
    }
}

fn score(lang: Lang, s: Option<f64>, t: &Labels) -> String {
    s.map(|v| lang.num(v, 1))
        .unwrap_or_else(|| t.none.to_string())
}

impl View {
    pub fn of(r: &Report) -> View {
        let lang = r.lang;
        let t = lang.text();
        let a = &r.audit;
        let dates = match (&a.start_date, &a.end_date) {
            (Some(s), Some(e)) if s != e => format!("{s} – {e}"),
            (Some(s), _) => s.clone(),
            (None, Some(e)) => e.clone(),
            _ => t.none.to_string(),
        };
        let people = if r.self_assessment {
            t.prepared_by
        } else {
            t.auditors
        };
        let cover = vec![
            (t.organisation.to_string(), a.organisation.clone()),
            (
                t.site.to_string(),
                or_dash(a.site.as_deref().unwrap_or(""), t),
            ),
            (
                t.scope.to_string(),
                or_dash(a.scope.as_deref().unwrap_or(""), t),
            ),
            (t.channels.to_string(), or_dash(&a.channels.join(", "), t)),
            (t.audit_type.to_string(), a.audit_type_label.clone()),
            (t.dates.to_string(), dates),
            (people.to_string(), or_dash(&a.auditors.join("; "), t)),
            (
                t.checklist.to_string(),
                format!("{} — {}", a.checklist.id, a.checklist.title),
            ),
            (t.checklist_version.to_string(), a.checklist.version.clone()),
            (t.checklist_sha.to_string(), a.checklist.sha256.clone()),
            (t.audit_file.to_string(), a.file_name.clone()),
            (t.generated.to_string(), when(&r.generated_at)),
        ];
        let imports_by_id = |id: i64| r.lineage.imports.iter().find(|i| i.id == id);
        let metric_view = |m: &MetricPart| MetricView {
            id: m.id.clone(),
            name: m.name.clone(),
            status_code: serde_json::to_value(m.status)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default(),
            status: m.status_label.clone(),
            figure: m.display.figure.clone(),
            kn: m.display.kn.clone(),
            interval: m.display.interval.clone(),
            target: m.display.target.clone(),
            formula: m.formula.clone(),
            advice: m.advice.clone(),
            sources: m
                .sources
                .iter()
                .filter_map(|id| imports_by_id(*id))
                .map(|i| (format!("#{} {}", i.id, i.file_name), i.sha256.clone()))
                .collect(),
        };
        let clauses = r
            .clauses
            .iter()
            .enumerate()
            .map(|(i, c)| ClauseView {
                group: (i == 0 || r.clauses[i - 1].group != c.group).then(|| c.group.clone()),
                id: c.id.clone(),
                title: c.title.clone(),
                requirement: c.requirement.clone(),
                mandatory: c.mandatory,
                grade_code: c.grade.as_str().to_string(),
                grade: c.grade_label.clone(),
                suggested: c
                    .suggested_label
                    .clone()
                    .unwrap_or_else(|| t.none.to_string()),
                differs: c.suggested.is_some_and(|s| {
                    s != c.grade
                        && !matches!(
                            c.grade,
                            crate::grade::Grade::NotAssessed | crate::grade::Grade::Na
                        )
                }),
                score: score(lang, c.score, t),
                note: c.note.clone(),
                reason: c.reason.clone(),
                metrics: c
                    .metrics
                    .iter()
                    .filter_map(|id| r.metrics.iter().find(|m| &m.id == id))
                    .map(metric_view)
                    .collect(),
            })
            .collect();
        let findings = r
            .findings
            .iter()
            .map(|f| {
                let mut status = f.status_label.clone();
                status.push_str("; ");
                status.push_str(if f.planned { t.planned } else { t.not_planned });
                if !f.active {
                    status.push_str("; ");
                    status.push_str(t.inactive);
                }
                FindingView {
                    heading: format!(
                        "{} {} — {} {} {}",
                        t.finding, f.id, f.grade_label, f.clause_id, f.clause_title
                    ),
                    grade_code: f.grade.as_str().to_string(),
                    rows: vec![
                        (t.statement.to_string(), or_dash(&f.statement, t)),
                        (t.evidence.to_string(), or_dash(&f.evidence, t)),
                        (t.requirement.to_string(), or_dash(&f.requirement, t)),
                        (t.cause.to_string(), or_dash(&f.cause, t)),
                        (t.action.to_string(), or_dash(&f.action, t)),
                        (t.owner.to_string(), or_dash(&f.owner, t)),
                        (
                            t.due.to_string(),
                            or_dash(f.due_date.as_deref().unwrap_or(""), t),
                        ),
                        (t.status.to_string(), status),
                    ],
                }
            })
            .collect();
        let samples = r
            .samples
            .iter()
            .map(|s| SampleView {
                heading: format!("{} {}", t.sample, s.id),
                rows: vec![
                    (t.method.to_string(), s.method.clone()),
                    (t.seed.to_string(), s.seed.to_string()),
                    (t.population.to_string(), lang.int(s.population)),
                    (t.size.to_string(), lang.int(s.size)),
                    (
                        t.strata.to_string(),
                        if s.strata_labels.is_empty() {
                            t.unstratified.to_string()
                        } else {
                            s.strata_labels.join(", ")
                        },
                    ),
                    (t.qa_checks.to_string(), or_dash(&s.checks.join(", "), t)),
                    (t.drawn_at.to_string(), when(&s.created_at)),
                ],
                allocation: s
                    .allocation
                    .iter()
                    .map(|a| [a.stratum.clone(), lang.int(a.population), lang.int(a.drawn)])
                    .collect(),
            })
            .collect();
        let lineage = vec![
            (t.contacts.to_string(), lang.int(r.lineage.contacts)),
            (t.complaints.to_string(), lang.int(r.lineage.complaints)),
            (
                format!("{} ({})", t.end_of_data, t.contacts.to_lowercase()),
                r.lineage
                    .contacts_end
                    .as_deref()
                    .map(when)
                    .unwrap_or_else(|| t.none.to_string()),
            ),
            (
                format!("{} ({})", t.end_of_data, t.complaints.to_lowercase()),
                r.lineage
                    .complaints_end
                    .as_deref()
                    .map(when)
                    .unwrap_or_else(|| t.none.to_string()),
            ),
        ];
        let imports = r
            .lineage
            .imports
            .iter()
            .map(|i| ImportView {
                heading: format!("{} {} — {} ({})", t.import, i.id, i.file_name, i.kind_label),
                sha256: i.sha256.clone(),
                rows: vec![
                    (t.file_size.to_string(), lang.int(i.file_size)),
                    (
                        t.preset.to_string(),
                        format!(
                            "{}; {} {}, {}, UTC {}",
                            i.preset,
                            t.encoding.to_lowercase(),
                            i.encoding,
                            match i.delimiter.as_str() {
                                "\t" => "tab".to_string(),
                                d => format!("'{d}'"),
                            },
                            i.utc_offset
                        ),
                    ),
                    (
                        t.rows_read.to_string(),
                        format!(
                            "{} — {} {}, {} {}, {} {}",
                            lang.int(i.rows_read),
                            t.accepted.to_lowercase(),
                            lang.int(i.accepted),
                            t.rejected.to_lowercase(),
                            lang.int(i.rejected),
                            t.skipped.to_lowercase(),
                            lang.int(i.skipped)
                        ),
                    ),
                    (t.records.to_string(), lang.int(i.records)),
                    (t.imported_at.to_string(), when(&i.imported_at)),
                ],
                rejected: i
                    .rejected_rows
                    .iter()
                    .map(|e| [e.line.to_string(), e.column.clone(), e.reason.clone()])
                    .collect(),
                more: (i.rejected_total > i.rejected_rows.len() as u64).then(|| {
                    format!(
                        "{} {}",
                        lang.int(i.rejected_total - i.rejected_rows.len() as u64),
                        t.more_rejected
                    )
                }),
            })
            .collect();
        let mut integrity = vec![
            (t.audit_file.to_string(), a.file_name.clone()),
            (t.audit_data_sha.to_string(), r.audit_digest.sha256.clone()),
        ];
        integrity.extend(
            r.audit_digest
                .parts
                .iter()
                .map(|(k, v)| (format!("  {k}"), v.clone())),
        );
        View {
            lang: lang.as_str(),
            labels: t,
            title: r.title.clone(),
            self_assessment: r.self_assessment,
            notice: r.notice.clone(),
            self_explained: r.self_assessment.then(|| t.self_explained.to_string()),
            running: match &a.site {
                Some(site) => format!("{} — {}", a.organisation, site),
                None => a.organisation.clone(),
            },
            generated: format!("{} {}", t.generated, when(&r.generated_at)),
            organisation: a.organisation.clone(),
            kicker: lang.upper(&a.audit_type_label),
            cover,
            decision_heading: if r.self_assessment {
                t.decision_self
            } else {
                t.decision
            }
            .to_string(),
            decision_code: r.decision.code.as_str().to_string(),
            decision: r.decision.label.clone(),
            rule: r.decision.rule.clone(),
            statement: r.decision.statement.clone(),
            drivers_heading: match r.decision.drivers.first() {
                Some(d) => format!("{}: {}", t.drivers, lang.driver(d.kind)),
                None => t.drivers.to_string(),
            },
            drivers: if r.decision.drivers.is_empty() {
                vec![lang.no_nonconformity().to_string()]
            } else {
                r.decision
                    .drivers
                    .iter()
                    .map(|d| format!("{} {}", d.clause_id, d.title))
                    .collect()
            },
            overall: score(lang, r.scores.overall, t),
            counts: r
                .scores
                .counts
                .iter()
                .map(|c| (c.label.clone(), lang.int(u64::from(c.count))))
                .collect(),
            sections: r
                .scores
                .sections
                .iter()
                .map(|s| {
                    [
                        s.id.clone(),
                        s.title.clone(),
                        score(lang, s.score, t),
                        s.assessed.to_string(),
                        s.not_applicable.to_string(),
                        s.not_assessed.to_string(),
                        s.total.to_string(),
                    ]
                })
                .collect(),
            clauses,
            findings,
            samples,
            settings: r
                .settings
                .iter()
                .map(|s| {
                    [
                        s.label.clone(),
                        s.value.clone(),
                        if s.changed {
                            t.changed.to_string()
                        } else {
                            String::new()
                        },
                    ]
                })
                .collect(),
            lineage,
            imports,
            integrity,
            signature_heading: t.signatures.to_string(),
            signatories: r.signatories.clone(),
        }
    }
}
