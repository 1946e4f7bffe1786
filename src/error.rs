//! The core's error type. Every variant names what the user must look at (a file, a clause, a
//! line) so that the CLI and the app can show it as it is.

use std::path::PathBuf;

/// Everything that can go wrong in the core.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("{path}: not a Clausewise audit file ({reason})")]
    NotAnAudit { path: PathBuf, reason: String },

    #[error(
        "{path}: written by a newer version of Clausewise (audit schema {found}; this version reads up to {supported}); open it with a newer Clausewise"
    )]
    NewerSchema {
        path: PathBuf,
        found: i64,
        supported: i64,
    },

    #[error("{path}: the audit file is damaged ({detail}); it was not changed")]
    Damaged { path: PathBuf, detail: String },

    #[error(
        "{path}: this audit is open in another Clausewise window; close it there, or work on a copy"
    )]
    InUse { path: PathBuf },

    #[error("{path}: already exists; choose another name")]
    AlreadyExists { path: PathBuf },

    #[error("{path}: {source}")]
    Database {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },

    #[error("{path}: could not bring the audit file up to date: {detail}")]
    Migration { path: PathBuf, detail: String },

    #[error(transparent)]
    Checklist(#[from] crate::checklist::ChecklistError),

    #[error("{path}: unknown clause '{id}' (checklist {checklist})")]
    UnknownClause {
        path: PathBuf,
        id: String,
        checklist: String,
    },

    #[error(transparent)]
    Source(#[from] crate::import::source::SourceError),

    #[error(transparent)]
    Mapping(#[from] crate::import::mapping::MappingError),

    #[error(
        "{path}: this file was imported before (import {id}, {when}); import it again with --replace"
    )]
    AlreadyImported {
        path: PathBuf,
        id: i64,
        when: String,
    },

    #[error("the import was cancelled; the audit file is as it was")]
    Cancelled,

    #[error("{0}")]
    Invalid(String),
}

impl Error {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    pub(crate) fn db(path: impl Into<PathBuf>, source: rusqlite::Error) -> Self {
        Error::Database {
            path: path.into(),
            source,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
