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
    data: Option<DemoData>,
    #[serde(default)]
    assessment: Vec<DemoAssessment>,
    #[serde(default)]
    finding: Vec<DemoFinding>,
}

/// Synthetic records imported before grading, so that every metric has evidence.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoData {
    contacts: u64,
    complaints: u64,
    seed: u64,
}

/// The corrective action of the finding that grading a clause created.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoFinding {
    clause: String,
    #[serde(default)]
    cause: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    owner: String,
    #[serde(default)]
    status: Option<crate::findings::ActionStatus>,
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
        if let Some(data) = &demo.data {
            import_demo_data(&mut audit, dir, data)?;
        }
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
        for f in demo.finding {
            let id = audit
                .findings()?
                .into_iter()
                .find(|x| x.clause_id == f.clause)
                .ok_or_else(|| {
                    Error::Invalid(format!(
                        "audits/demo/demo.toml: clause {} has no finding (grade it minor or major)",
                        f.clause
                    ))
                })?
                .id;
            audit.update_finding(
                id,
                crate::findings::FindingUpdate {
                    cause: Some(f.cause),
                    action: Some(f.action),
                    owner: Some(f.owner),
                    status: f.status,
                    ..Default::default()
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

/// Writes the demo's synthetic contacts and complaints to a private folder next to the audit
/// (so that the import log names them `demo-contacts.csv` and `demo-complaints.csv`), imports
/// them and removes them.
fn import_demo_data(audit: &mut Audit, dir: &Path, data: &DemoData) -> Result<()> {
    let scratch = dir.join(format!(".demo-data.{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir(&scratch).map_err(|e| Error::io(&scratch, e))?;
    let result = import_demo_files(audit, &scratch, data);
    let _ = std::fs::remove_dir_all(&scratch);
    result
}

fn import_demo_files(audit: &mut Audit, scratch: &Path, data: &DemoData) -> Result<()> {
    use crate::import::{import_file, ImportOptions, Kind};
    for (kind, count, name) in [
        (Kind::Calls, data.contacts, "demo-contacts.csv"),
        (Kind::Complaints, data.complaints, "demo-complaints.csv"),
    ] {
        let path = scratch.join(name);
        let written = (|| {
            let mut f = std::fs::File::create(&path)?;
            match kind {
                Kind::Calls => crate::demo_data::write_contacts(&mut f, count, data.seed),
                Kind::Complaints => crate::demo_data::write_complaints(&mut f, count, data.seed),
            }?;
            f.sync_all()
        })();
        let result = written
            .map_err(|e| Error::io(&path, e))
            .and_then(|_| import_file(audit, &path, &ImportOptions::new(kind), &mut |_| true));
        let _ = std::fs::remove_file(&path);
        result?;
    }
    Ok(())
}
