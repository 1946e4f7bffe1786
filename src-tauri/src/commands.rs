//! The app's commands: each takes the state, calls one core function and maps its error.
//! Everything that touches the audit file runs off the main thread (`async`).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard};

use clausewise::attachments::Attachment;
use clausewise::distribution::Distributions;
use clausewise::evidence::Evidence;
use clausewise::findings::{Finding, FindingUpdate};
use clausewise::import::log::{ImportEntry, RejectedPage};
use clausewise::import::preview::Preview;
use clausewise::import::progress::ImportEvent;
use clausewise::import::{ImportOptions, ImportReport};
use clausewise::privacy::PurgeReport;
use clausewise::report::{Format, Lang, ReportStage};
use clausewise::sampling::{Sample, SampleRequest, SizeRule};
use clausewise::scoring::{Scorecard, Suggestion};
use clausewise::session::{Launch, ReportExport, ReportPreview, SamplePlan, Saved, Session};
use clausewise::settings::{SettingChange, Settings};
use clausewise::{AssessmentUpdate, AuditView, Grade, NewAudit};
use serde::{Deserialize, Serialize};
use tauri::ipc::{Channel, Response};
use tauri::{Manager, State};
use tauri_plugin_dialog::{DialogExt, FileDialogBuilder, FilePath};
use ts_rs::TS;

use crate::error::{AppError, AppResult};

/// The app's state: the session, what the command line asked to open, the running import's
/// cancel flag, and where files dropped on the window are announced.
pub struct AppState {
    pub session: Mutex<Session>,
    pub launch: Launch,
    pub cancel_import: AtomicBool,
    pub drops: Mutex<Option<Channel<DropEvent>>>,
    /// Where the window's close request is announced, so the page can save what is being typed
    /// before the window goes; `None` until the page asks.
    pub close: Mutex<Option<Channel<bool>>>,
    /// Set once the page has been told: a second close request closes at once.
    pub closing: AtomicBool,
}

/// Files dragged over or dropped on the window.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(tag = "event", rename_all = "snake_case")]
#[ts(export)]
pub enum DropEvent {
    /// Files are being dragged over the window.
    Hover,
    /// The drag left the window or was cancelled.
    Left,
    /// Files were dropped.
    Dropped { paths: Vec<String> },
}

/// A file written through a save dialog, and how many rows it holds.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Exported {
    pub path: String,
    #[ts(type = "number")]
    pub rows: u64,
}

impl AppState {
    fn session(&self) -> AppResult<MutexGuard<'_, Session>> {
        self.session.lock().map_err(|_| {
            AppError::internal(
                "the app's state is unusable after an earlier failure; restart Clausewise",
            )
        })
    }
}

/// The words of a native file dialog, in the window's language: its title and the name of the
/// kind of file it offers (the extensions are the app's).
#[derive(Debug, Clone, Deserialize, TS)]
#[ts(export)]
pub struct DialogText {
    pub title: String,
    /// The kind of file offered ("Clausewise audit", "CSV"…); unused by folder dialogs.
    pub filter: String,
    /// "All files", where the dialog also offers every file.
    pub all_files: String,
}

/// A native file dialog for audit files.
fn audit_dialog(app: &tauri::AppHandle, text: &DialogText) -> FileDialogBuilder<tauri::Wry> {
    app.dialog()
        .file()
        .set_title(&text.title)
        .add_filter(&text.filter, &["ccaudit"])
}

fn into_path(file: FilePath) -> AppResult<PathBuf> {
    file.into_path()
        .map_err(|e| AppError::internal(e.to_string()))
}

/// The language the window speaks: error messages are written in it from now on.
#[tauri::command]
pub fn set_language(lang: Lang) {
    crate::error::set_language(lang);
}

/// Opens what the app starts on (the file it was started with, the last one, or the demo).
#[tauri::command(async)]
pub fn start(state: State<'_, AppState>) -> AppResult<AuditView> {
    Ok(state.session()?.start(&state.launch)?)
}

/// The open audit, re-read from its file.
#[tauri::command(async)]
pub fn current_audit(state: State<'_, AppState>) -> AppResult<Option<AuditView>> {
    Ok(state.session()?.current()?)
}

/// Opens the demo audit.
#[tauri::command(async)]
pub fn open_demo(state: State<'_, AppState>) -> AppResult<AuditView> {
    Ok(state.session()?.open_demo()?)
}

/// The recently opened audit files that still exist, most recent first.
#[tauri::command(async)]
pub fn recent_audits(state: State<'_, AppState>) -> AppResult<Vec<String>> {
    Ok(state
        .session()?
        .recent()
        .iter()
        .map(|p| p.display().to_string())
        .collect())
}

/// Opens a file of the recent list (and no other).
#[tauri::command(async)]
pub fn open_recent(path: String, state: State<'_, AppState>) -> AppResult<AuditView> {
    Ok(state.session()?.open_recent(Path::new(&path))?)
}

/// Opens an audit file chosen in the native dialog; `None` when the user cancels.
#[tauri::command(async)]
pub fn choose_and_open(
    text: DialogText,
    app: tauri::AppHandle,
    state: State<'_, AppState>,
) -> AppResult<Option<AuditView>> {
    let Some(file) = audit_dialog(&app, &text).blocking_pick_file() else {
        return Ok(None);
    };
    Ok(Some(state.session()?.open(&into_path(file)?)?))
}

/// Creates a new audit at a path chosen in the native save dialog and opens it; `None` when
/// the user cancels.
#[tauri::command(async)]
pub fn choose_and_create(
    details: NewAudit,
    text: DialogText,
    app: tauri::AppHandle,
    state: State<'_, AppState>,
) -> AppResult<Option<AuditView>> {
    // "Acme A.Ş." is suggested as "Acme A.Ş.ccaudit", not "Acme A.Ş..ccaudit".
    let name = format!(
        "{}.ccaudit",
        details.organisation.trim().trim_end_matches('.')
    );
    let Some(path) = choose_save_path(&app, &text, &["ccaudit"], &name)? else {
        return Ok(None);
    };
    Ok(Some(state.session()?.create(&path, &details)?))
}

/// Saves a clause's grade, note or reason to the audit file at once.
#[tauri::command(async)]
pub fn update_assessment(
    clause_id: String,
    update: AssessmentUpdate,
    state: State<'_, AppState>,
) -> AppResult<Saved> {
    Ok(state.session()?.update_assessment(&clause_id, update)?)
}

/// Undoes the latest change of a clause: its previous grade, note and reason are saved again.
#[tauri::command(async)]
pub fn undo_assessment(clause_id: String, state: State<'_, AppState>) -> AppResult<Saved> {
    Ok(state.session()?.undo_assessment(&clause_id)?)
}

/// A record file chosen in the native open dialog; `None` when the user cancels.
#[tauri::command(async)]
pub fn choose_import_file(text: DialogText, app: tauri::AppHandle) -> AppResult<Option<String>> {
    let Some(file) = app
        .dialog()
        .file()
        .set_title(&text.title)
        .add_filter(&text.filter, &["csv", "txt", "tsv", "log"])
        .add_filter(&text.all_files, &["*"])
        .blocking_pick_file()
    else {
        return Ok(None);
    };
    Ok(Some(into_path(file)?.display().to_string()))
}

/// What importing a file would do, without importing it.
#[tauri::command(async)]
pub fn preview_import(
    path: String,
    options: ImportOptions,
    state: State<'_, AppState>,
) -> AppResult<Preview> {
    Ok(state
        .session()?
        .preview_import(&PathBuf::from(path), &options)?)
}

/// Imports a file into the open audit, reporting progress on `on_event`; `cancel_import`
/// stops it and leaves the audit file as it was.
#[tauri::command(async)]
pub fn start_import(
    path: String,
    options: ImportOptions,
    on_event: Channel<ImportEvent>,
    state: State<'_, AppState>,
) -> AppResult<ImportReport> {
    state.cancel_import.store(false, Ordering::Relaxed);
    let mut send = |event| {
        // A window that went away no longer needs the progress.
        let _ = on_event.send(event);
    };
    Ok(state.session()?.import(
        &PathBuf::from(path),
        &options,
        &state.cancel_import,
        &mut send,
    )?)
}

/// Asks the running import to stop.
#[tauri::command(async)]
pub fn cancel_import(state: State<'_, AppState>) {
    state.cancel_import.store(true, Ordering::Relaxed);
}

/// The open audit's imports, newest first.
#[tauri::command(async)]
pub fn list_imports(state: State<'_, AppState>) -> AppResult<Vec<ImportEntry>> {
    Ok(state.session()?.imports()?)
}

/// A page of the rows an import rejected.
#[tauri::command(async)]
pub fn rejected_rows(
    import_id: i64,
    offset: u64,
    limit: u64,
    state: State<'_, AppState>,
) -> AppResult<RejectedPage> {
    Ok(state.session()?.rejected_rows(import_id, offset, limit)?)
}

/// Writes an import's rejected rows to a CSV file chosen in the native save dialog; `None`
/// when the user cancels.
#[tauri::command(async)]
pub fn choose_and_export_rejected(
    import_id: i64,
    suggested_name: String,
    text: DialogText,
    app: tauri::AppHandle,
    state: State<'_, AppState>,
) -> AppResult<Option<Exported>> {
    let Some(path) = choose_save_path(&app, &text, &["csv"], &suggested_name)? else {
        return Ok(None);
    };
    let rows = state.session()?.export_rejected(import_id, &path)?;
    Ok(Some(Exported {
        path: path.display().to_string(),
        rows,
    }))
}

/// Saves a mapping built in the app to a TOML file chosen in the native save dialog; `None`
/// when the user cancels.
#[tauri::command(async)]
pub fn choose_and_save_mapping(
    toml: String,
    suggested_name: String,
    text: DialogText,
    app: tauri::AppHandle,
    state: State<'_, AppState>,
) -> AppResult<Option<String>> {
    let Some(path) = choose_save_path(&app, &text, &["toml"], &suggested_name)? else {
        return Ok(None);
    };
    state.session()?.save_mapping(&toml, &path)?;
    Ok(Some(path.display().to_string()))
}

/// Announces on `channel` the files dragged over or dropped on the window from now on.
#[tauri::command(async)]
pub fn watch_drops(channel: Channel<DropEvent>, state: State<'_, AppState>) -> AppResult<()> {
    *state
        .drops
        .lock()
        .map_err(|_| AppError::internal("the drop channel is unusable; restart Clausewise"))? =
        Some(channel);
    Ok(())
}

/// Announces on `channel` a request to close the window; the page saves pending edits, then
/// calls [`close_window`].
#[tauri::command(async)]
pub fn watch_close(channel: Channel<bool>, state: State<'_, AppState>) -> AppResult<()> {
    *state
        .close
        .lock()
        .map_err(|_| AppError::internal("the close channel is unusable; restart Clausewise"))? =
        Some(channel);
    Ok(())
}

/// Closes the window once the page has saved what was pending.
#[tauri::command(async)]
pub fn close_window(window: tauri::Window) -> AppResult<()> {
    window
        .destroy()
        .map_err(|e| AppError::internal(format!("could not close the window: {e}")))
}

/// How long the page has to save its pending edits before the window closes anyway.
const CLOSE_GRACE: std::time::Duration = std::time::Duration::from_secs(5);

/// A request to close the window: held back while the page saves what is being typed (a note
/// still in its field), then the page closes it; if the page does not answer in time, or is
/// not listening, the window closes anyway.
pub fn on_close_requested(window: &tauri::Window, api: &tauri::CloseRequestApi) {
    let state = window.state::<AppState>();
    if state.closing.swap(true, Ordering::SeqCst) {
        return; // Asked twice: close now.
    }
    let told = state
        .close
        .lock()
        .ok()
        .and_then(|c| c.as_ref().map(|c| c.send(true).is_ok()))
        .unwrap_or(false);
    if !told {
        return;
    }
    api.prevent_close();
    let window = window.clone();
    std::thread::spawn(move || {
        std::thread::sleep(CLOSE_GRACE);
        let _ = window.destroy();
    });
}

/// Passes a drag-and-drop event of the window on to the page that watches for drops.
pub fn on_drag_drop(state: &AppState, event: &tauri::DragDropEvent) {
    let event = match event {
        tauri::DragDropEvent::Enter { .. } => DropEvent::Hover,
        tauri::DragDropEvent::Drop { paths, .. } => DropEvent::Dropped {
            paths: paths.iter().map(|p| p.display().to_string()).collect(),
        },
        tauri::DragDropEvent::Leave => DropEvent::Left,
        _ => return,
    };
    if let Ok(drops) = state.drops.lock() {
        if let Some(channel) = drops.as_ref() {
            let _ = channel.send(event);
        }
    }
}

// ---- evidence, scores, findings, settings and sampling ----------------------------------------

/// Every metric of the open audit with the settings and imports behind it; advice, formulas
/// and settings in words in `lang`.
#[tauri::command(async)]
pub fn evidence(lang: Lang, state: State<'_, AppState>) -> AppResult<Evidence> {
    Ok(state.session()?.evidence(lang)?)
}

/// The grade the evidence suggests for a clause, with its reasons in `lang`.
#[tauri::command(async)]
pub fn suggestion(
    clause_id: String,
    lang: Lang,
    state: State<'_, AppState>,
) -> AppResult<Option<Suggestion>> {
    Ok(state.session()?.suggestion(&clause_id, lang)?)
}

/// The queue-wait and complaint resolution-time distributions, cut at T and D.
#[tauri::command(async)]
pub fn distributions(state: State<'_, AppState>) -> AppResult<Distributions> {
    Ok(state.session()?.distributions()?)
}

/// Section and overall scores and the readiness decision, its rule and reasons in `lang`.
#[tauri::command(async)]
pub fn scorecard(lang: Lang, state: State<'_, AppState>) -> AppResult<Scorecard> {
    Ok(state.session()?.scorecard(lang)?)
}

#[tauri::command(async)]
pub fn findings(state: State<'_, AppState>) -> AppResult<Vec<Finding>> {
    Ok(state.session()?.findings()?)
}

#[tauri::command(async)]
pub fn add_finding(
    clause_id: String,
    grade: Grade,
    state: State<'_, AppState>,
) -> AppResult<Finding> {
    Ok(state.session()?.add_finding(&clause_id, grade)?)
}

#[tauri::command(async)]
pub fn update_finding(
    id: i64,
    update: FindingUpdate,
    state: State<'_, AppState>,
) -> AppResult<Finding> {
    Ok(state.session()?.update_finding(id, update)?)
}

#[tauri::command(async)]
pub fn delete_finding(id: i64, state: State<'_, AppState>) -> AppResult<()> {
    Ok(state.session()?.delete_finding(id)?)
}

#[tauri::command(async)]
pub fn settings(state: State<'_, AppState>) -> AppResult<Settings> {
    Ok(state.session()?.settings()?)
}

/// Changes one parameter or target; an empty value restores the checklist's default.
#[tauri::command(async)]
pub fn set_setting(change: SettingChange, state: State<'_, AppState>) -> AppResult<Settings> {
    Ok(state.session()?.set_setting(&change)?)
}

/// The sample size a rule gives for the open audit's contacts.
#[tauri::command(async)]
pub fn plan_sample(rule: SizeRule, state: State<'_, AppState>) -> AppResult<SamplePlan> {
    Ok(state.session()?.plan_sample(&rule)?)
}

/// Draws a sample and writes its listening sheet where the native save dialog says; `None`
/// when the user cancels.
#[tauri::command(async)]
pub fn choose_and_draw_sample(
    request: SampleRequest,
    text: DialogText,
    app: tauri::AppHandle,
    state: State<'_, AppState>,
) -> AppResult<Option<Sample>> {
    let name = format!("listening-sheet-seed-{}.csv", request.seed);
    let Some(path) = choose_save_path(&app, &text, &["csv"], &name)? else {
        return Ok(None);
    };
    Ok(Some(state.session()?.draw_sample(&request, &path)?))
}

/// The samples drawn in the open audit.
#[tauri::command(async)]
pub fn samples(state: State<'_, AppState>) -> AppResult<Vec<Sample>> {
    Ok(state.session()?.samples()?)
}

/// The evidence attached to a clause.
#[tauri::command(async)]
pub fn attachments(clause_id: String, state: State<'_, AppState>) -> AppResult<Vec<Attachment>> {
    Ok(state.session()?.attachments(&clause_id)?)
}

/// Attaches files chosen in the native open dialog to a clause; empty when the user cancels.
#[tauri::command(async)]
pub fn choose_and_attach(
    clause_id: String,
    text: DialogText,
    app: tauri::AppHandle,
    state: State<'_, AppState>,
) -> AppResult<Vec<Attachment>> {
    let Some(files) = app
        .dialog()
        .file()
        .set_title(&text.title)
        .blocking_pick_files()
    else {
        return Ok(Vec::new());
    };
    let paths = files
        .into_iter()
        .map(into_path)
        .collect::<AppResult<Vec<_>>>()?;
    Ok(state.session()?.attach_files(&clause_id, &paths)?)
}

/// Attaches files given by path (dropped on the window or typed) to a clause.
#[tauri::command(async)]
pub fn attach_files(
    clause_id: String,
    paths: Vec<PathBuf>,
    state: State<'_, AppState>,
) -> AppResult<Vec<Attachment>> {
    Ok(state.session()?.attach_files(&clause_id, &paths)?)
}

/// Adds an interview note to a clause.
#[tauri::command(async)]
pub fn add_interview(
    clause_id: String,
    title: String,
    text: String,
    state: State<'_, AppState>,
) -> AppResult<Attachment> {
    Ok(state.session()?.add_interview(&clause_id, &title, &text)?)
}

/// An attachment's bytes for its preview, sent as raw bytes (not JSON).
#[tauri::command(async)]
pub fn attachment_preview(id: i64, state: State<'_, AppState>) -> AppResult<Response> {
    Ok(Response::new(state.session()?.attachment_preview(id)?))
}

/// Saves a copy of an attachment into a folder chosen in the native dialog, under a safe name;
/// the path written, or `None` when the user cancels.
#[tauri::command(async)]
pub fn choose_and_export_attachment(
    id: i64,
    text: DialogText,
    app: tauri::AppHandle,
    state: State<'_, AppState>,
) -> AppResult<Option<String>> {
    let Some(dir) = app
        .dialog()
        .file()
        .set_title(&text.title)
        .blocking_pick_folder()
    else {
        return Ok(None);
    };
    let written = state.session()?.export_attachment(id, &into_path(dir)?)?;
    Ok(Some(written.display().to_string()))
}

/// Removes an attachment (the UI asks for confirmation first).
#[tauri::command(async)]
pub fn remove_attachment(id: i64, state: State<'_, AppState>) -> AppResult<Attachment> {
    Ok(state.session()?.remove_attachment(id)?)
}

// ---- the readiness report, the audit's details and personal data ------------------------------

/// In debug builds only, `CLAUSEWISE_SAVE_DIR` answers the app's save dialogs with
/// `<that folder>/<suggested name>`: the window tests cannot click a native dialog.
#[cfg(debug_assertions)]
fn preset_save_path(suggested_name: &str) -> Option<PathBuf> {
    std::env::var_os("CLAUSEWISE_SAVE_DIR").map(|dir| PathBuf::from(dir).join(suggested_name))
}

/// Release builds always ask.
#[cfg(not(debug_assertions))]
fn preset_save_path(_suggested_name: &str) -> Option<PathBuf> {
    None
}

/// Where to save a file: the path chosen in the native save dialog (given the extension when
/// it has none), or `None` when the user cancels.
fn choose_save_path(
    app: &tauri::AppHandle,
    text: &DialogText,
    extensions: &[&str],
    suggested_name: &str,
) -> AppResult<Option<PathBuf>> {
    if let Some(path) = preset_save_path(suggested_name) {
        return Ok(Some(path));
    }
    let Some(file) = app
        .dialog()
        .file()
        .set_title(&text.title)
        .add_filter(&text.filter, extensions)
        .set_file_name(suggested_name)
        .blocking_save_file()
    else {
        return Ok(None);
    };
    let mut path = into_path(file)?;
    if path.extension().is_none() {
        if let Some(ext) = extensions.first() {
            path.set_extension(ext);
        }
    }
    Ok(Some(path))
}

/// The readiness report of the open audit in `lang`, for the report screen.
#[tauri::command(async)]
pub fn report(lang: Lang, state: State<'_, AppState>) -> AppResult<ReportPreview> {
    Ok(state.session()?.report(lang)?)
}

/// Writes the readiness report where the native save dialog says, announcing each stage on
/// `on_event`; `None` when the user cancels.
#[tauri::command(async)]
pub fn choose_and_export_report(
    format: Format,
    lang: Lang,
    suggested_name: String,
    text: DialogText,
    on_event: Channel<ReportStage>,
    app: tauri::AppHandle,
    state: State<'_, AppState>,
) -> AppResult<Option<ReportExport>> {
    let extensions: &[&str] = match format {
        Format::Pdf => &["pdf"],
        Format::Html => &["html", "htm"],
        Format::Json => &["json"],
        Format::Csv => &["csv"],
    };
    let Some(path) = choose_save_path(&app, &text, extensions, &suggested_name)? else {
        return Ok(None);
    };
    let mut send = |stage| {
        // A window that went away no longer needs the progress.
        let _ = on_event.send(stage);
    };
    Ok(Some(
        state
            .session()?
            .export_report(format, lang, &path, &mut send)?,
    ))
}

/// Changes the open audit's details (organisation, site, scope, channels, type, auditors, dates).
#[tauri::command(async)]
pub fn update_details(details: NewAudit, state: State<'_, AppState>) -> AppResult<AuditView> {
    Ok(state.session()?.update_details(&details)?)
}

/// Removes the open audit's customer pseudonyms, rejected-row copies and pseudonymisation key.
#[tauri::command(async)]
pub fn purge_personal_data(state: State<'_, AppState>) -> AppResult<PurgeReport> {
    Ok(state.session()?.purge_personal_data()?)
}
