//! The one error type that crosses the IPC boundary: `{ code, message }`.

use serde::Serialize;
use ts_rs::TS;

/// What the UI may branch on. Add a code only when the UI needs to act differently on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ErrorCode {
    /// Anything: the message says what happened.
    Unknown,
    /// The file was imported before; the user may import it again replacing the earlier import.
    AlreadyImported,
}

/// An error as the UI receives it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct AppError {
    pub code: ErrorCode,
    pub message: String,
}

impl From<clausewise::Error> for AppError {
    fn from(e: clausewise::Error) -> Self {
        match e {
            // The core's message names the CLI's flag; the app has a check box for it.
            clausewise::Error::AlreadyImported { path, id, when } => AppError {
                code: ErrorCode::AlreadyImported,
                message: format!(
                    "{}: this file was imported before (import {id}, {when}); tick \u{201c}Replace the earlier import\u{201d} to import it again",
                    path.display()
                ),
            },
            e => AppError {
                code: ErrorCode::Unknown,
                message: e.to_string(),
            },
        }
    }
}

impl AppError {
    pub fn internal(message: impl Into<String>) -> Self {
        AppError {
            code: ErrorCode::Unknown,
            message: message.into(),
        }
    }
}

pub type AppResult<T> = Result<T, AppError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_imported_before_gets_its_own_code_and_names_the_check_box() {
        let e = AppError::from(clausewise::Error::AlreadyImported {
            path: "/data/calls.csv".into(),
            id: 3,
            when: "2026-03-01T09:00:00Z".into(),
        });
        assert_eq!(e.code, ErrorCode::AlreadyImported);
        assert_eq!(
            e.message,
            "/data/calls.csv: this file was imported before (import 3, 2026-03-01T09:00:00Z); \
             tick \u{201c}Replace the earlier import\u{201d} to import it again"
        );
        let other = AppError::from(clausewise::Error::Cancelled);
        assert_eq!(other.code, ErrorCode::Unknown);
        assert_eq!(
            other.message,
            "the import was cancelled; the audit file is as it was"
        );
    }
}
