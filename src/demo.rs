//! The demo audit: built from the inputs in `audits/demo/`, which are embedded in the binaries
//! so that the app and `clausewise demo` work anywhere.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::audit::{AssessmentUpdate, Audit, NewAudit};
use crate::checklist::Checklist;
use crate::db;
use crate::error::{Error, Result};
use crate::grade::Grade;

const DEMO_TOML: &str = include_str!("../audits/demo/demo.toml");

/// The file name of the demo audit inside its folder.
pub const FILE_NAME: &str = "demo.ccaudit";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoRepr {
    audit: NewAudit,
    #[serde(default)]
    assessment: Vec<DemoAssessment>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoAssessment {
    clause: String,
    grade: Grade,
    #[serde(default)]
    note: String,
    #[serde(default)]
    reason: String,
}

/// Builds the demo audit as `dir/demo.ccaudit`, replacing an earlier one, and returns its path.
/// The new file is complete before it replaces the old one.
pub fn build(dir: &Path) -> Result<PathBuf> {
    let demo: DemoRepr = toml::from_str(DEMO_TOML)
        .map_err(|e| Error::Invalid(format!("audits/demo/demo.toml: {}", e.message())))?;
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let target = dir.join(FILE_NAME);
    let building = dir.join(format!(".{FILE_NAME}.{}.building", std::process::id()));
    db::remove_with_sidecars(&building);
    let checklist = Checklist::resolve(None)?;
    let result = (|| {
        let mut audit = Audit::create(&building, &demo.audit, &checklist)?;
        for a in demo.assessment {
            audit.update_assessment(
                &a.clause,
                AssessmentUpdate {
                    grade: Some(a.grade),
                    note: Some(a.note),
                    reason: Some(a.reason),
                },
            )?;
        }
        drop(audit);
        std::fs::rename(&building, &target).map_err(|e| Error::io(&target, e))
    })();
    if result.is_err() {
        db::remove_with_sidecars(&building);
    }
    result.map(|_| target)
}
