//! What the desktop app holds between commands: the open audit and the recent-files list. Kept
//! in the core so that every app command is one call here, testable without a window.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use serde::Serialize;
use ts_rs::TS;

use crate::attachments::Attachment;
use crate::audit::{Assessment, AssessmentUpdate, Audit, AuditView, NewAudit, SectionProgress};
use crate::checklist::Checklist;
use crate::distribution::Distributions;
use crate::error::{Error, Result};
use crate::evidence::Evidence;
use crate::findings::{Finding, FindingUpdate};
use crate::grade::Grade;
use crate::import::log::{ImportEntry, RejectedPage};
use crate::import::mapping::MappingFile;
use crate::import::preview::Preview;
use crate::import::progress::{ImportEvent, Throttle};
use crate::import::{ImportOptions, ImportReport};
use crate::privacy::PurgeReport;
use crate::recent::Recent;
use crate::report::i18n::Labels;
use crate::report::{Format, Lang, Report, ReportStage};
use crate::sampling::{Sample, SampleRequest, SizeRule};
use crate::scoring::{Scorecard, Suggestion};
use crate::settings::{SettingChange, Settings};

/// The largest attachment the app previews (larger ones are saved and opened elsewhere).
pub const MAX_PREVIEW_BYTES: u64 = 20 << 20;

/// Whether the app previews an attachment: images, PDF and text up to [`MAX_PREVIEW_BYTES`].
pub fn previewable(a: &Attachment) -> bool {
    let kind = a.media_type.starts_with("image/")
        || a.media_type == "application/pdf"
        || a.media_type.starts_with("text/plain");
    kind && a.size <= MAX_PREVIEW_BYTES
}

/// What a sampling rule gives for the open audit.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct SamplePlan {
    #[ts(type = "number")]
    pub size: u64,
    #[ts(type = "number")]
    pub population: u64,
    pub method: String,
}

/// The readiness report of the open audit as the app previews it: the model and the fixed text
/// of its language.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ReportPreview {
    pub report: Report,
    pub labels: &'static Labels,
}

/// A report written to disk, as its manifest describes it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ReportExport {
    pub path: String,
    /// The manifest beside a PDF or CSV report; `None` when it is inside the report.
    pub manifest_path: Option<String>,
    pub format: Format,
    /// The report file's size in bytes.
    #[ts(type = "number")]
    pub size: u64,
    /// The SHA-256 of the report's content, from its manifest.
    pub sha256: String,
    /// The SHA-256 of the audit data the report was built from.
    pub audit_sha256: String,
}

/// How often a running import reports its progress at most.
pub const PROGRESS_INTERVAL: Duration = Duration::from_millis(250);

/// The result of saving a clause's assessment: what is stored, and the progress it changes.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Saved {
    pub assessment: Assessment,
    pub progress: Vec<SectionProgress>,
}

/// What the app is asked to open when it starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Launch {
    /// The audit opened last, or the demo audit the first time.
    Default,
    /// The demo audit.
    Demo,
    /// This audit file (as a file manager passes it).
    File(PathBuf),
}

impl Launch {
    /// Reads the app's command-line arguments (without the program name): `--demo`, or the
    /// path of an audit file, or nothing.
    pub fn from_args(args: impl IntoIterator<Item = OsString>) -> Launch {
        match args.into_iter().next() {
            None => Launch::Default,
            Some(a) if a == "--demo" => Launch::Demo,
            Some(a) => Launch::File(PathBuf::from(a)),
        }
    }
}

/// The app's state: at most one open audit.
#[derive(Debug)]
pub struct Session {
    audit: Option<Audit>,
    /// Held while `audit` is open: another app on this machine cannot open the same file.
    lock: Option<std::fs::File>,
    data_dir: PathBuf,
}

impl Session {
    /// A session keeping its own files (recent list, demo audit) in `data_dir`.
    pub fn new(data_dir: &Path) -> Session {
        Session {
            audit: None,
            lock: None,
            data_dir: data_dir.to_path_buf(),
        }
    }

    fn recent_file(&self) -> PathBuf {
        self.data_dir.join("recent.json")
    }

    /// Opens what the app starts on (see [`Launch`]); by default the last audit opened, else
    /// the demo audit (built on first use).
    pub fn start(&mut self, launch: &Launch) -> Result<AuditView> {
        match launch {
            Launch::File(path) => self.open(path),
            Launch::Demo => self.open_demo(),
            Launch::Default => {
                let recent = Recent::load(&self.recent_file());
                match recent.last_existing() {
                    Some(path) => self.open(path),
                    None => self.open_demo(),
                }
            }
        }
    }

    /// Opens the demo audit, building it if it is not there yet.
    pub fn open_demo(&mut self) -> Result<AuditView> {
        let path = self.data_dir.join(crate::demo::FILE_NAME);
        if !path.is_file() {
            crate::demo::build(&self.data_dir)?;
        }
        self.open(&path)
    }

    /// Opens an existing audit file; the one open before stays open if this fails.
    pub fn open(&mut self, path: &Path) -> Result<AuditView> {
        let path = std::path::absolute(path).map_err(|e| Error::io(path, e))?;
        let lock = self.lock_file(&path)?;
        let audit = Audit::open(&path)?;
        self.replace(audit, lock)
    }

    /// Creates a new audit file with the default checklist and opens it.
    pub fn create(&mut self, path: &Path, details: &NewAudit) -> Result<AuditView> {
        let path = std::path::absolute(path).map_err(|e| Error::io(path, e))?;
        let audit = Audit::create(&path, details, &Checklist::resolve(None)?)?;
        let lock = self.lock_file(&path)?;
        self.replace(audit, lock)
    }

    /// Takes the lock that says "open in this app" for the audit at `path` (or finds it is
    /// already open here). The lock is an OS file lock on a file in the app's data folder named
    /// by the SHA-256 of the audit's canonical path, so nothing is added next to the audit and a
    /// crashed app leaves no stale lock. It covers apps of the same user on this machine; the
    /// database's own locking still guards every write against any other writer.
    fn lock_file(&self, path: &Path) -> Result<Option<std::fs::File>> {
        use sha2::{Digest, Sha256};
        let canonical = std::fs::canonicalize(path).map_err(|e| Error::io(path, e))?;
        if let Some(open) = &self.audit {
            if std::fs::canonicalize(open.path()).ok().as_deref() == Some(canonical.as_path()) {
                // Opened again in this app: the lock held already covers it.
                return Ok(self.lock.as_ref().and_then(|f| f.try_clone().ok()));
            }
        }
        let dir = self.data_dir.join("locks");
        if std::fs::create_dir_all(&dir).is_err() {
            return Ok(None); // No data folder to lock in: open without the check.
        }
        let digest = Sha256::digest(canonical.as_os_str().as_encoded_bytes());
        let name: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        let file = dir.join(format!("{name}.lock"));
        let Ok(handle) = std::fs::File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&file)
        else {
            return Ok(None);
        };
        match handle.try_lock() {
            Ok(()) => Ok(Some(handle)),
            Err(std::fs::TryLockError::WouldBlock) => Err(Error::InUse { path: canonical }),
            Err(std::fs::TryLockError::Error(_)) => Ok(None),
        }
    }

    fn replace(&mut self, audit: Audit, lock: Option<std::fs::File>) -> Result<AuditView> {
        let view = audit.view()?;
        let mut recent = Recent::load(&self.recent_file());
        recent.push(audit.path());
        // The recent list is a convenience: failing to write it must not fail the open.
        let _ = recent.save(&self.recent_file());
        self.audit = Some(audit);
        // Dropping the previous audit's lock file handle releases its lock.
        self.lock = lock;
        Ok(view)
    }

    /// The open audit, if any.
    pub fn current(&self) -> Result<Option<AuditView>> {
        self.audit.as_ref().map(Audit::view).transpose()
    }

    fn audit(&self) -> Result<&Audit> {
        self.audit
            .as_ref()
            .ok_or_else(|| Error::Invalid("no audit is open".into()))
    }

    fn audit_mut(&mut self) -> Result<&mut Audit> {
        self.audit
            .as_mut()
            .ok_or_else(|| Error::Invalid("no audit is open".into()))
    }

    /// Every metric of the open audit (computed once until its records or settings change).
    pub fn evidence(&self, lang: Lang) -> Result<Evidence> {
        Ok(self.audit()?.evidence()?.as_ref().clone().in_language(lang))
    }

    /// The grade the evidence suggests for a clause, with its reasons in `lang`.
    pub fn suggestion(&self, clause_id: &str, lang: Lang) -> Result<Option<Suggestion>> {
        self.audit()?.suggestion_in(clause_id, lang)
    }

    /// How long the open audit's offered contacts waited in the queue and its complaints took
    /// to resolve, in buckets cut at its T and D.
    pub fn distributions(&self) -> Result<Distributions> {
        crate::distribution::compute(self.audit()?)
    }

    /// Scores and the readiness decision of the open audit.
    pub fn scorecard(&self, lang: Lang) -> Result<Scorecard> {
        let audit = self.audit()?;
        Ok(audit.scorecard()?.in_language(lang, audit.checklist()))
    }

    pub fn findings(&self) -> Result<Vec<Finding>> {
        self.audit()?.findings()
    }

    pub fn add_finding(&mut self, clause_id: &str, grade: Grade) -> Result<Finding> {
        self.audit_mut()?.add_finding(clause_id, grade)
    }

    pub fn update_finding(&mut self, id: i64, update: FindingUpdate) -> Result<Finding> {
        self.audit_mut()?.update_finding(id, update)
    }

    pub fn delete_finding(&mut self, id: i64) -> Result<()> {
        self.audit_mut()?.delete_finding(id)
    }

    pub fn settings(&self) -> Result<Settings> {
        self.audit()?.settings()
    }

    pub fn set_setting(&mut self, change: &SettingChange) -> Result<Settings> {
        self.audit_mut()?.set_setting(change)
    }

    /// The evidence attached to a clause.
    pub fn attachments(&self, clause_id: &str) -> Result<Vec<Attachment>> {
        let audit = self.audit()?;
        audit.known_clause(clause_id)?;
        audit.attachments(Some(clause_id))
    }

    /// Attaches files to a clause, each in its own transaction; stops at the first that cannot
    /// be attached (those before it stay attached).
    pub fn attach_files(&mut self, clause_id: &str, files: &[PathBuf]) -> Result<Vec<Attachment>> {
        let audit = self.audit_mut()?;
        files
            .iter()
            .map(|f| audit.attach_file(clause_id, f))
            .collect()
    }

    pub fn add_interview(
        &mut self,
        clause_id: &str,
        title: &str,
        text: &str,
    ) -> Result<Attachment> {
        self.audit_mut()?.add_interview(clause_id, title, text)
    }

    /// An attachment's bytes for a preview: images, PDF and text of at most
    /// [`MAX_PREVIEW_BYTES`]; anything else is an error (it is saved and opened elsewhere).
    pub fn attachment_preview(&self, id: i64) -> Result<Vec<u8>> {
        let audit = self.audit()?;
        let a = audit.attachment(id)?;
        if !previewable(&a) {
            return Err(Error::Invalid(format!(
                "{}: attachment {id} ('{}', {}, {} bytes) has no preview; save a copy to open it",
                audit.path().display(),
                a.name,
                a.media_type,
                a.size
            )));
        }
        audit.attachment_bytes(id)
    }

    pub fn export_attachment(&self, id: i64, dir: &Path) -> Result<PathBuf> {
        self.audit()?.export_attachment(id, dir)
    }

    pub fn remove_attachment(&mut self, id: i64) -> Result<Attachment> {
        self.audit_mut()?.remove_attachment(id)
    }

    /// The sample size a rule gives for the open audit's contacts, and that population.
    pub fn plan_sample(&self, rule: &SizeRule) -> Result<SamplePlan> {
        rule.validate()
            .map_err(|e| Error::Invalid(format!("sample: {e}")))?;
        let population = self.audit()?.evidence()?.contacts;
        Ok(SamplePlan {
            size: rule.size(population),
            population,
            method: rule.describe(),
        })
    }

    /// Draws a sample of the open audit's contacts and writes its listening sheet to `out`.
    pub fn draw_sample(&mut self, request: &SampleRequest, out: &Path) -> Result<Sample> {
        crate::sampling::draw(self.audit_mut()?, request, out)
    }

    /// The samples drawn in the open audit.
    pub fn samples(&self) -> Result<Vec<Sample>> {
        crate::sampling::samples(self.audit()?)
    }

    /// Changes the open audit's details; returns the audit as it now is.
    pub fn update_details(&mut self, details: &NewAudit) -> Result<AuditView> {
        let audit = self.audit_mut()?;
        audit.update_details(details)?;
        audit.view()
    }

    /// Removes the open audit's personal data (customer pseudonyms, rejected-row copies, the
    /// pseudonymisation key); see [`Audit::purge_personal_data`].
    pub fn purge_personal_data(&mut self) -> Result<PurgeReport> {
        self.audit_mut()?.purge_personal_data()
    }

    /// The readiness report of the open audit in `lang`, as of now.
    pub fn report(&self, lang: Lang) -> Result<ReportPreview> {
        Ok(ReportPreview {
            report: crate::report::build(self.audit()?, lang)?,
            labels: lang.text(),
        })
    }

    /// Writes the open audit's readiness report to `out` in `format` and `lang` (complete or
    /// not at all), announcing each stage to `on_stage`.
    pub fn export_report(
        &self,
        format: Format,
        lang: Lang,
        out: &Path,
        on_stage: &mut dyn FnMut(ReportStage),
    ) -> Result<ReportExport> {
        let written =
            crate::report::write_reporting(self.audit()?, format, lang, out, None, on_stage)?;
        let size = std::fs::metadata(&written.path)
            .map_err(|e| Error::io(&written.path, e))?
            .len();
        Ok(ReportExport {
            path: written.path.display().to_string(),
            manifest_path: written.manifest_path.map(|p| p.display().to_string()),
            format,
            size,
            sha256: written.manifest.report.content_sha256,
            audit_sha256: written.manifest.audit.sha256,
        })
    }

    /// Saves a change to one clause of the open audit.
    pub fn update_assessment(
        &mut self,
        clause_id: &str,
        update: AssessmentUpdate,
    ) -> Result<Saved> {
        let audit = self.audit_mut()?;
        let assessment = audit.update_assessment(clause_id, update)?;
        Ok(Saved {
            assessment,
            progress: audit.progress()?,
        })
    }

    /// Undoes the latest change of one clause of the open audit (see
    /// [`Audit::undo_assessment`]).
    pub fn undo_assessment(&mut self, clause_id: &str) -> Result<Saved> {
        let audit = self.audit_mut()?;
        let assessment = audit.undo_assessment(clause_id)?;
        Ok(Saved {
            assessment,
            progress: audit.progress()?,
        })
    }

    fn open_audit(&self) -> Result<&Audit> {
        self.audit
            .as_ref()
            .ok_or_else(|| Error::Invalid("no audit is open".into()))
    }

    /// What importing `file` with `options` would do, without importing it.
    pub fn preview_import(&self, file: &Path, options: &ImportOptions) -> Result<Preview> {
        crate::import::preview::preview_file(file, options)
    }

    /// Imports `file` into the open audit. `on_event` hears when it starts and, a few times a
    /// second, how far it is; setting `cancel` stops it and leaves the audit file as it was.
    pub fn import(
        &mut self,
        file: &Path,
        options: &ImportOptions,
        cancel: &AtomicBool,
        on_event: &mut dyn FnMut(ImportEvent),
    ) -> Result<ImportReport> {
        let audit = self
            .audit
            .as_mut()
            .ok_or_else(|| Error::Invalid("no audit is open".into()))?;
        let total_bytes = std::fs::metadata(file)
            .map_err(|e| Error::io(file, e))?
            .len();
        on_event(ImportEvent::Started {
            file: file.display().to_string(),
            total_bytes,
        });
        let mut throttle = Throttle::new(Instant::now(), PROGRESS_INTERVAL);
        crate::import::import_file(audit, file, options, &mut |p| {
            if let Some(event) = throttle.event(p, Instant::now()) {
                on_event(event);
            }
            !cancel.load(Ordering::Relaxed)
        })
    }

    /// The open audit's imports, newest first.
    pub fn imports(&self) -> Result<Vec<ImportEntry>> {
        crate::import::log::imports(self.open_audit()?)
    }

    /// A page of the rows an import of the open audit rejected.
    pub fn rejected_rows(&self, import_id: i64, offset: u64, limit: u64) -> Result<RejectedPage> {
        crate::import::log::rejected_rows(self.open_audit()?, import_id, offset, limit)
    }

    /// Writes the rows an import rejected to a CSV file; returns how many.
    pub fn export_rejected(&self, import_id: i64, out: &Path) -> Result<u64> {
        crate::import::log::export_rejected(self.open_audit()?, import_id, out)
    }

    /// Saves a mapping (TOML text) to `out`, after checking that it is a valid mapping.
    pub fn save_mapping(&self, toml: &str, out: &Path) -> Result<()> {
        MappingFile::parse(toml, &out.display().to_string())?;
        std::fs::write(out, toml).map_err(|e| Error::io(out, e))
    }

    /// Opens a file of the recent list; any other path is refused, so the window can open only
    /// what the user opened before through a dialog or the command line.
    pub fn open_recent(&mut self, path: &Path) -> Result<AuditView> {
        if !self.recent().iter().any(|p| p == path) {
            return Err(Error::Invalid(format!(
                "{}: not in the list of recent audits",
                path.display()
            )));
        }
        self.open(path)
    }

    /// The recently opened audit files that still exist.
    pub fn recent(&self) -> Vec<PathBuf> {
        Recent::load(&self.recent_file())
            .paths
            .into_iter()
            .filter(|p| p.is_file())
            .collect()
    }
}
