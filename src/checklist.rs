//! Checklists: the TOML files in `audits/checklists/`, their validation, and the embedded
//! default. A checklist is loaded once from its text; an audit keeps that text so that it keeps
//! working when the file on disk later changes.

use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

use crate::metric::{self, Comparator};

/// Text in every language of the checklist, keyed by language code (`en`, `tr`).
pub type Localized = BTreeMap<String, String>;

/// The checklists built into Clausewise: (id, file name, text).
const BUILTIN: &[(&str, &str, &str)] = &[(
    "tse-ts-iso-18295-1",
    "tse-ts-iso-18295-1.toml",
    include_str!("../audits/checklists/tse-ts-iso-18295-1.toml"),
)];

/// The id of the checklist new audits use unless told otherwise.
pub const DEFAULT_ID: &str = BUILTIN[0].0;

/// How an auditor gathers evidence for a clause.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Method {
    DocumentReview,
    Interview,
    Observation,
    RecordSampling,
}

/// Defaults of the audit settings that the metrics use (metrics.md).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct Parameters {
    /// T: an answer within this many seconds counts towards the service level.
    pub service_level_seconds: u32,
    /// Abandons quicker than this are not offered contacts.
    pub short_abandon_seconds: u32,
    /// D: complaints should be resolved within this many days.
    pub complaint_resolution_days: u32,
    /// Start of the outbound calling-hours window, local time `HH:MM`.
    pub calling_hours_start: String,
    /// End of the outbound calling-hours window, local time `HH:MM`.
    pub calling_hours_end: String,
    /// Days after an opt-out before a further outbound contact counts as a breach.
    pub opt_out_grace_days: u32,
    /// Default due date of a corrective action, in days after the audit.
    pub corrective_action_due_days: u32,
}

/// A heading of the checklist (4, 4.1, …, 9).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Section {
    pub id: String,
    pub parent: Option<String>,
    pub title: Localized,
}

/// A metric bound to a clause, with the target that applies to it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct MetricBinding {
    pub id: String,
    pub comparator: Comparator,
    pub target: Option<f64>,
    pub zero_tolerance: bool,
    /// For `channels_present`: the channels that must all be present.
    pub channels: Vec<String>,
    /// The formula in words.
    pub formula: String,
}

/// One requirement the auditor grades.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Clause {
    pub id: String,
    pub section: String,
    pub title: Localized,
    pub requirement: Localized,
    pub guidance: Localized,
    pub methods: Vec<Method>,
    pub evidence: BTreeMap<String, Vec<String>>,
    pub weight: f64,
    pub mandatory: bool,
    pub refs: Vec<String>,
    pub metrics: Vec<MetricBinding>,
}

/// A loaded, validated checklist.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Checklist {
    pub id: String,
    pub version: String,
    /// SHA-256 (hex) of the checklist file's bytes.
    pub sha256: String,
    pub languages: Vec<String>,
    pub title: Localized,
    pub description: Localized,
    pub parameters: Parameters,
    pub sections: Vec<Section>,
    pub clauses: Vec<Clause>,
    /// The file's text exactly as loaded.
    #[serde(skip)]
    #[ts(skip)]
    pub source: String,
}

/// A checklist file that cannot be used, with every problem found in it.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub struct ChecklistError {
    /// The file (or built-in name) the checklist came from.
    pub file: String,
    pub problems: Vec<Problem>,
}

impl fmt::Display for ChecklistError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.problems.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{}: {p}", self.file)?;
        }
        Ok(())
    }
}

/// One thing wrong with a checklist file.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Problem {
    #[error("line {line}, column {column}: {message}")]
    Syntax {
        line: usize,
        column: usize,
        message: String,
    },
    #[error("no such built-in checklist and no such file")]
    NotFound,
    #[error("could not read the file: {0}")]
    Unreadable(String),
    #[error("section '{0}' is declared twice")]
    DuplicateSection(String),
    #[error("section '{section}': parent '{parent}' is not a section declared before it")]
    UnknownParent { section: String, parent: String },
    #[error("clause '{0}' is declared twice")]
    DuplicateClause(String),
    #[error("clause '{clause}': section '{section}' is not declared")]
    UnknownSection { clause: String, section: String },
    #[error("clause '{clause}': unknown metric id '{metric}' (see metrics.md)")]
    UnknownMetric { clause: String, metric: String },
    #[error("clause '{clause}': metric '{metric}' is bound twice")]
    DuplicateMetric { clause: String, metric: String },
    #[error("clause '{clause}': metric '{metric}': {reason}")]
    BadTarget {
        clause: String,
        metric: String,
        reason: String,
    },
    #[error("clause '{clause}': weight must be greater than 0 (found {weight})")]
    NonPositiveWeight { clause: String, weight: f64 },
    #[error("clause '{clause}': no audit method given")]
    NoMethods { clause: String },
    #[error("{item}: {field} has no '{lang}' translation")]
    MissingTranslation {
        item: String,
        field: String,
        lang: String,
    },
    #[error("{item}: {field} has a translation in '{lang}', which the checklist does not declare")]
    UndeclaredLanguage {
        item: String,
        field: String,
        lang: String,
    },
    #[error("{0}")]
    Header(String),
    #[error("parameter {name}: {reason}")]
    BadParameter { name: String, reason: String },
}

// ---- the file format -------------------------------------------------------------------------

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileRepr {
    checklist: HeaderRepr,
    parameters: Parameters,
    #[serde(default)]
    section: Vec<SectionRepr>,
    #[serde(default)]
    clause: Vec<ClauseRepr>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HeaderRepr {
    id: String,
    version: String,
    languages: Vec<String>,
    title: Localized,
    #[serde(default)]
    description: Localized,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SectionRepr {
    id: String,
    parent: Option<String>,
    title: Localized,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ClauseRepr {
    id: String,
    section: String,
    title: Localized,
    requirement: Localized,
    #[serde(default)]
    guidance: Localized,
    methods: Vec<Method>,
    #[serde(default)]
    evidence: BTreeMap<String, Vec<String>>,
    weight: Option<f64>,
    mandatory: Option<bool>,
    #[serde(default)]
    refs: Vec<String>,
    #[serde(default)]
    metric: Vec<BindingRepr>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BindingRepr {
    id: String,
    target: Option<f64>,
    zero_tolerance: Option<bool>,
    channels: Option<Vec<String>>,
}

const CHANNELS: &[&str] = &["voice", "chat", "email", "social", "letter", "web", "other"];

impl Checklist {
    /// Parses and validates a checklist from its text. `file` names it in errors.
    pub fn parse(source: &str, file: &str) -> Result<Checklist, ChecklistError> {
        let fail = |problems| ChecklistError {
            file: file.to_string(),
            problems,
        };
        let repr: FileRepr = toml::from_str(source).map_err(|e| {
            let (line, column) = e
                .span()
                .map(|s| crate::text::line_column(source, s.start))
                .unwrap_or((1, 1));
            fail(vec![Problem::Syntax {
                line,
                column,
                message: e.message().trim().to_string(),
            }])
        })?;
        let mut problems = Vec::new();
        let checklist = build(repr, source, &mut problems);
        if problems.is_empty() {
            Ok(checklist)
        } else {
            Err(fail(problems))
        }
    }

    /// A built-in checklist by id.
    pub fn builtin(id: &str) -> Option<Checklist> {
        BUILTIN
            .iter()
            .find(|(bid, _, _)| *bid == id)
            .map(|(_, name, text)| {
                Checklist::parse(text, name)
                    .expect("built-in checklists are validated by the tests")
            })
    }

    /// The ids of the built-in checklists.
    pub fn builtin_ids() -> impl Iterator<Item = &'static str> {
        BUILTIN.iter().map(|(id, _, _)| *id)
    }

    /// Loads a checklist given as a built-in id or a path to a TOML file; `None` gives the
    /// default checklist.
    pub fn resolve(spec: Option<&str>) -> Result<Checklist, ChecklistError> {
        let spec = spec.unwrap_or(DEFAULT_ID);
        if let Some(c) = Checklist::builtin(spec) {
            return Ok(c);
        }
        Checklist::load(Path::new(spec))
    }

    /// Loads a checklist file from disk.
    pub fn load(path: &Path) -> Result<Checklist, ChecklistError> {
        let file = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|e| ChecklistError {
            file: file.clone(),
            problems: vec![if e.kind() == std::io::ErrorKind::NotFound {
                Problem::NotFound
            } else {
                Problem::Unreadable(e.to_string())
            }],
        })?;
        let text = String::from_utf8(bytes).map_err(|e| ChecklistError {
            file: file.clone(),
            problems: vec![Problem::Unreadable(format!(
                "not UTF-8 text (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            ))],
        })?;
        Checklist::parse(&text, &file)
    }

    /// The clause with this id.
    pub fn clause(&self, id: &str) -> Option<&Clause> {
        self.clauses.iter().find(|c| c.id == id)
    }

    /// Text in `lang`, falling back to the checklist's first language.
    pub fn text<'a>(&self, text: &'a Localized, lang: &str) -> &'a str {
        text.get(lang)
            .or_else(|| self.languages.first().and_then(|l| text.get(l)))
            .map(String::as_str)
            .unwrap_or("")
    }
}

/// SHA-256 of `bytes` as lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    crate::text::hex(&Sha256::digest(bytes))
}

fn check_localized(
    text: &Localized,
    languages: &[String],
    item: &str,
    field: &str,
    problems: &mut Vec<Problem>,
) {
    for lang in languages {
        if text.get(lang).is_none_or(|t| t.trim().is_empty()) {
            problems.push(Problem::MissingTranslation {
                item: item.to_string(),
                field: field.to_string(),
                lang: lang.clone(),
            });
        }
    }
    for lang in text.keys() {
        if !languages.contains(lang) {
            problems.push(Problem::UndeclaredLanguage {
                item: item.to_string(),
                field: field.to_string(),
                lang: lang.clone(),
            });
        }
    }
}

fn check_time(name: &str, value: &str, problems: &mut Vec<Problem>) {
    if chrono::NaiveTime::parse_from_str(value, "%H:%M").is_err() {
        problems.push(Problem::BadParameter {
            name: name.to_string(),
            reason: format!("'{value}' is not a time of day as HH:MM"),
        });
    }
}

fn build(repr: FileRepr, source: &str, problems: &mut Vec<Problem>) -> Checklist {
    let header = repr.checklist;
    let langs = header.languages.clone();
    if header.id.trim().is_empty() {
        problems.push(Problem::Header("checklist.id is empty".into()));
    }
    if header.version.trim().is_empty() {
        problems.push(Problem::Header("checklist.version is empty".into()));
    }
    if langs.is_empty() {
        problems.push(Problem::Header("checklist.languages is empty".into()));
    }
    check_localized(&header.title, &langs, "checklist", "title", problems);
    if !header.description.is_empty() {
        check_localized(
            &header.description,
            &langs,
            "checklist",
            "description",
            problems,
        );
    }
    let p = &repr.parameters;
    check_time("calling_hours_start", &p.calling_hours_start, problems);
    check_time("calling_hours_end", &p.calling_hours_end, problems);

    let mut section_ids = HashSet::new();
    let mut sections = Vec::new();
    for s in repr.section {
        let item = format!("section '{}'", s.id);
        if !section_ids.insert(s.id.clone()) {
            problems.push(Problem::DuplicateSection(s.id.clone()));
        }
        if let Some(parent) = &s.parent {
            if parent == &s.id || !section_ids.contains(parent) {
                problems.push(Problem::UnknownParent {
                    section: s.id.clone(),
                    parent: parent.clone(),
                });
            }
        }
        check_localized(&s.title, &langs, &item, "title", problems);
        sections.push(Section {
            id: s.id,
            parent: s.parent,
            title: s.title,
        });
    }

    let mut clause_ids = HashSet::new();
    let mut clauses = Vec::new();
    for c in repr.clause {
        let item = format!("clause '{}'", c.id);
        if !clause_ids.insert(c.id.clone()) {
            problems.push(Problem::DuplicateClause(c.id.clone()));
        }
        if !section_ids.contains(&c.section) {
            problems.push(Problem::UnknownSection {
                clause: c.id.clone(),
                section: c.section.clone(),
            });
        }
        for (field, text) in [
            ("title", &c.title),
            ("requirement", &c.requirement),
            ("guidance", &c.guidance),
        ] {
            check_localized(text, &langs, &item, field, problems);
        }
        if !c.evidence.is_empty() {
            for lang in &langs {
                if c.evidence.get(lang).is_none_or(|v| v.is_empty()) {
                    problems.push(Problem::MissingTranslation {
                        item: item.clone(),
                        field: "evidence".into(),
                        lang: lang.clone(),
                    });
                }
            }
        }
        if c.methods.is_empty() {
            problems.push(Problem::NoMethods {
                clause: c.id.clone(),
            });
        }
        let weight = c.weight.unwrap_or(1.0);
        if weight.is_nan() || weight <= 0.0 {
            problems.push(Problem::NonPositiveWeight {
                clause: c.id.clone(),
                weight,
            });
        }
        let metrics = bindings(&c.id, c.metric, problems);
        clauses.push(Clause {
            id: c.id,
            section: c.section,
            title: c.title,
            requirement: c.requirement,
            guidance: c.guidance,
            methods: c.methods,
            evidence: c.evidence,
            weight,
            mandatory: c.mandatory.unwrap_or(true),
            refs: c.refs,
            metrics,
        });
    }
    if clauses.is_empty() {
        problems.push(Problem::Header("the checklist has no clauses".into()));
    }

    Checklist {
        id: header.id,
        version: header.version,
        sha256: sha256_hex(source.as_bytes()),
        languages: langs,
        title: header.title,
        description: header.description,
        parameters: repr.parameters,
        sections,
        clauses,
        source: source.to_string(),
    }
}

fn bindings(
    clause: &str,
    reprs: Vec<BindingRepr>,
    problems: &mut Vec<Problem>,
) -> Vec<MetricBinding> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for b in reprs {
        let bad = |reason: String| Problem::BadTarget {
            clause: clause.to_string(),
            metric: b.id.clone(),
            reason,
        };
        let Some(def) = metric::definition(&b.id) else {
            problems.push(Problem::UnknownMetric {
                clause: clause.to_string(),
                metric: b.id.clone(),
            });
            continue;
        };
        if !seen.insert(b.id.clone()) {
            problems.push(Problem::DuplicateMetric {
                clause: clause.to_string(),
                metric: b.id.clone(),
            });
        }
        if let Some(t) = b.target {
            match def.comparator {
                Comparator::Monitor | Comparator::Includes => {
                    problems.push(bad("this metric takes no numeric target".into()))
                }
                _ if !t.is_finite() || t < 0.0 => {
                    problems.push(bad(format!("target {t} is not a number ≥ 0")))
                }
                _ if def.id != "asa_seconds" && def.target.is_some_and(|d| d <= 1.0) && t > 1.0 => {
                    problems.push(bad(format!(
                        "target {t} is above 1; write proportions as fractions (0.8 for 80 %)"
                    )))
                }
                _ => {}
            }
        }
        let channels = match (&b.channels, def.comparator) {
            (Some(list), Comparator::Includes) => {
                for ch in list {
                    if !CHANNELS.contains(&ch.as_str()) {
                        problems.push(bad(format!("unknown channel '{ch}'")));
                    }
                }
                list.clone()
            }
            (Some(_), _) => {
                problems.push(bad("only channels_present takes a channel list".into()));
                Vec::new()
            }
            (None, Comparator::Includes) => vec!["voice".into(), "email".into(), "chat".into()],
            (None, _) => Vec::new(),
        };
        out.push(MetricBinding {
            id: def.id,
            comparator: def.comparator,
            target: b.target.or(def.target),
            zero_tolerance: b.zero_tolerance.unwrap_or(def.zero_tolerance),
            channels,
            formula: def.formula.to_string(),
        });
    }
    out
}
