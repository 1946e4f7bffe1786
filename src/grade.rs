//! The grades of grading.md.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The auditor's finding for a clause.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum Grade {
    #[serde(rename = "conforming")]
    Conforming,
    #[serde(rename = "observation")]
    Observation,
    /// Opportunity for improvement.
    #[serde(rename = "ofi")]
    Ofi,
    #[serde(rename = "minor")]
    Minor,
    #[serde(rename = "major")]
    Major,
    /// Not applicable: outside the scope; needs a justification.
    #[serde(rename = "na")]
    Na,
    #[serde(rename = "not-assessed")]
    NotAssessed,
}

impl Grade {
    pub const ALL: [Grade; 7] = [
        Grade::Conforming,
        Grade::Observation,
        Grade::Ofi,
        Grade::Minor,
        Grade::Major,
        Grade::Na,
        Grade::NotAssessed,
    ];

    /// The token used on the command line, in JSON and in the audit file.
    pub fn as_str(self) -> &'static str {
        match self {
            Grade::Conforming => "conforming",
            Grade::Observation => "observation",
            Grade::Ofi => "ofi",
            Grade::Minor => "minor",
            Grade::Major => "major",
            Grade::Na => "na",
            Grade::NotAssessed => "not-assessed",
        }
    }

    /// The grade named by `token` (as [`Grade::as_str`] gives it).
    pub fn parse(token: &str) -> Option<Grade> {
        Grade::ALL.into_iter().find(|g| g.as_str() == token)
    }

    /// The English name as grading.md gives it.
    pub fn label(self) -> &'static str {
        match self {
            Grade::Conforming => "conforming",
            Grade::Observation => "observation",
            Grade::Ofi => "opportunity for improvement",
            Grade::Minor => "minor nonconformity",
            Grade::Major => "major nonconformity",
            Grade::Na => "not applicable",
            Grade::NotAssessed => "not assessed",
        }
    }

    /// Points towards the clause score; `None` for grades excluded from scores.
    pub fn points(self) -> Option<f64> {
        match self {
            Grade::Conforming | Grade::Ofi => Some(100.0),
            Grade::Observation => Some(90.0),
            Grade::Minor => Some(50.0),
            Grade::Major => Some(0.0),
            Grade::Na | Grade::NotAssessed => None,
        }
    }
}

impl std::fmt::Display for Grade {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
