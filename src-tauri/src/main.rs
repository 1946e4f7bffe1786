//! The Clausewise desktop shell: a window over the core crate.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod commands;
mod error;

use std::path::PathBuf;
use std::sync::Mutex;

use clausewise::session::Session;
use tauri::Manager;

fn main() {
    // An audit file named on the command line (as a file manager passes it) is opened first.
    let requested = std::env::args_os().nth(1).map(PathBuf::from);
    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .setup(move |app| {
            let data_dir = app.path().app_data_dir()?;
            app.manage(commands::AppState {
                session: Mutex::new(Session::new(&data_dir)),
                requested,
            });
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::start,
            commands::current_audit,
            commands::open_demo,
            commands::choose_and_open,
            commands::choose_and_create,
            commands::update_assessment,
        ])
        .run(tauri::generate_context!())
        .expect("the Clausewise window could not start");
}
