//! The app's commands: each takes the state, calls one core function and maps its error.
//! Everything that touches the audit file runs off the main thread (`async`).

use std::sync::{Mutex, MutexGuard};

use clausewise::evidence::Evidence;
use clausewise::findings::{Finding, FindingUpdate};
use clausewise::sampling::{Sample, SampleRequest, SizeRule};
use clausewise::scoring::{Scorecard, Suggestion};
use clausewise::session::{Launch, SamplePlan, Saved, Session};
use clausewise::settings::{SettingChange, Settings};
use clausewise::{AssessmentUpdate, AuditView, Grade, NewAudit};
use tauri::State;
use tauri_plugin_dialog::{DialogExt, FileDialogBuilder};

use crate::error::{AppError, AppResult};

/// The app's state: the session, and what the command line asked to open.
pub struct AppState {
    pub session: Mutex<Session>,
    pub launch: Launch,
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

/// A native file dialog for audit files.
fn audit_dialog(app: &tauri::AppHandle, title: &str) -> FileDialogBuilder<tauri::Wry> {
    app.dialog()
        .file()
        .set_title(title)
        .add_filter("Clausewise audit", &["ccaudit"])
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

/// Opens an audit file chosen in the native dialog; `None` when the user cancels.
#[tauri::command(async)]
pub fn choose_and_open(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
) -> AppResult<Option<AuditView>> {
    let Some(file) = audit_dialog(&app, "Open audit").blocking_pick_file() else {
        return Ok(None);
    };
    let path = file
        .into_path()
        .map_err(|e| AppError::internal(e.to_string()))?;
    Ok(Some(state.session()?.open(&path)?))
}

/// Creates a new audit at a path chosen in the native save dialog and opens it; `None` when
/// the user cancels.
#[tauri::command(async)]
pub fn choose_and_create(
    details: NewAudit,
    app: tauri::AppHandle,
    state: State<'_, AppState>,
) -> AppResult<Option<AuditView>> {
    let Some(file) = audit_dialog(&app, "Save new audit as")
        .set_file_name(format!("{}.ccaudit", details.organisation.trim()))
        .blocking_save_file()
    else {
        return Ok(None);
    };
    let mut path = file
        .into_path()
        .map_err(|e| AppError::internal(e.to_string()))?;
    if path.extension().is_none() {
        path.set_extension("ccaudit");
    }
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

// ---- evidence, scores, findings, settings and sampling ----------------------------------------

/// Every metric of the open audit with the settings and imports behind it.
#[tauri::command(async)]
pub fn evidence(state: State<'_, AppState>) -> AppResult<Evidence> {
    Ok(state.session()?.evidence()?)
}

/// The grade the evidence suggests for a clause, with its reasons.
#[tauri::command(async)]
pub fn suggestion(clause_id: String, state: State<'_, AppState>) -> AppResult<Option<Suggestion>> {
    Ok(state.session()?.suggestion(&clause_id)?)
}

/// Section and overall scores and the readiness decision.
#[tauri::command(async)]
pub fn scorecard(state: State<'_, AppState>) -> AppResult<Scorecard> {
    Ok(state.session()?.scorecard()?)
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
    app: tauri::AppHandle,
    state: State<'_, AppState>,
) -> AppResult<Option<Sample>> {
    let Some(file) = app
        .dialog()
        .file()
        .set_title("Save listening sheet as")
        .add_filter("CSV", &["csv"])
        .set_file_name(format!("listening-sheet-seed-{}.csv", request.seed))
        .blocking_save_file()
    else {
        return Ok(None);
    };
    let mut path = file
        .into_path()
        .map_err(|e| AppError::internal(e.to_string()))?;
    if path.extension().is_none() {
        path.set_extension("csv");
    }
    Ok(Some(state.session()?.draw_sample(&request, &path)?))
}

/// The samples drawn in the open audit.
#[tauri::command(async)]
pub fn samples(state: State<'_, AppState>) -> AppResult<Vec<Sample>> {
    Ok(state.session()?.samples()?)
}
