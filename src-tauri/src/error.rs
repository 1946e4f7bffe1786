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
        AppError {
            code: ErrorCode::Unknown,
            message: e.to_string(),
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
