//! The Clausewise desktop shell: a window over the core crate.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod commands;
mod error;

use std::sync::atomic::AtomicBool;
use std::sync::Mutex;

use clausewise::session::{Launch, Session};
use tauri::Manager;

fn main() {
    // `clausewise-app [--demo | AUDIT.ccaudit]`
    let launch = Launch::from_args(std::env::args_os().skip(1));
    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .setup(move |app| {
            let data_dir = app.path().app_data_dir()?;
            app.manage(commands::AppState {
                session: Mutex::new(Session::new(&data_dir)),
                launch,
                cancel_import: AtomicBool::new(false),
                drops: Mutex::new(None),
                close: Mutex::new(None),
                closing: AtomicBool::new(false),
            });
            Ok(())
        })
        .on_window_event(|window, event| match event {
            tauri::WindowEvent::DragDrop(drag) => {
                commands::on_drag_drop(&window.state::<commands::AppState>(), drag)
            }
            tauri::WindowEvent::CloseRequested { api, .. } => {
                commands::on_close_requested(window, api)
            }
            _ => {}
        })
        .invoke_handler(tauri::generate_handler![
            commands::start,
            commands::current_audit,
            commands::open_demo,
            commands::choose_and_open,
            commands::recent_audits,
            commands::open_recent,
            commands::choose_and_create,
            commands::update_assessment,
            commands::undo_assessment,
            commands::choose_import_file,
            commands::preview_import,
            commands::start_import,
            commands::cancel_import,
            commands::list_imports,
            commands::rejected_rows,
            commands::choose_and_export_rejected,
            commands::choose_and_save_mapping,
            commands::watch_drops,
            commands::watch_close,
            commands::close_window,
            // Evidence, scores, findings, settings and sampling.
            commands::evidence,
            commands::suggestion,
            commands::scorecard,
            commands::distributions,
            commands::set_language,
            commands::findings,
            commands::add_finding,
            commands::update_finding,
            commands::delete_finding,
            commands::settings,
            commands::set_setting,
            commands::plan_sample,
            commands::choose_and_draw_sample,
            commands::samples,
            commands::attachments,
            commands::choose_and_attach,
            commands::attach_files,
            commands::add_interview,
            commands::attachment_preview,
            commands::choose_and_export_attachment,
            commands::remove_attachment,
            // The readiness report, the audit's details and personal data.
            commands::report,
            commands::choose_and_export_report,
            commands::update_details,
            commands::purge_personal_data,
        ])
        .run(tauri::generate_context!())
        .expect("the Clausewise window could not start");
}
