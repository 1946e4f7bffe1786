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
    /// The message in `lang`. The errors about an audit file as a whole (not an audit file,
    /// written by a newer version, damaged, open elsewhere, existing, imported before, an
    /// update that failed, an unknown clause) and a cancelled import are written in Turkish
    /// too; the others quote a file's own content or a library's words and stay in English,
    /// as do the details quoted inside the Turkish ones.
    pub fn message_in(&self, lang: crate::report::i18n::Lang) -> String {
        use crate::report::i18n::Lang;
        if lang == Lang::En {
            return self.to_string();
        }
        match self {
            Error::NotAnAudit { path, reason } => format!(
                "{}: bir Clausewise denetim dosyası değil ({reason})",
                path.display()
            ),
            Error::NewerSchema {
                path,
                found,
                supported,
            } => format!(
                "{}: Clausewise'ın daha yeni bir sürümüyle yazılmış (denetim şeması {found}; bu sürüm en çok {supported} okur); daha yeni bir Clausewise ile açın",
                path.display()
            ),
            Error::Damaged { path, detail } => format!(
                "{}: denetim dosyası hasarlı ({detail}); dosya değiştirilmedi",
                path.display()
            ),
            Error::InUse { path } => format!(
                "{}: bu denetim başka bir Clausewise penceresinde açık; orada kapatın ya da bir kopyasıyla çalışın",
                path.display()
            ),
            Error::AlreadyExists { path } => {
                format!("{}: bu dosya zaten var; başka bir ad seçin", path.display())
            }
            Error::Migration { path, detail } => format!(
                "{}: denetim dosyası bu sürüme güncellenemedi: {detail}",
                path.display()
            ),
            Error::UnknownClause {
                path,
                id,
                checklist,
            } => format!(
                "{}: bilinmeyen madde '{id}' (kontrol listesi {checklist})",
                path.display()
            ),
            Error::AlreadyImported { path, id, when } => format!(
                "{}: bu dosya daha önce içe aktarıldı ({id} numaralı içe aktarma, {when}); yeniden içe aktarmak için --replace verin",
                path.display()
            ),
            Error::Cancelled => {
                "içe aktarma iptal edildi; denetim dosyası olduğu gibi duruyor".to_string()
            }
            other => other.to_string(),
        }
    }

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::i18n::Lang;

    /// The file-level errors: English as displayed, Turkish with the same path and figures.
    #[test]
    fn file_errors_are_written_in_turkish_with_their_path_and_figures() {
        let path = PathBuf::from("/audits/site.ccaudit");
        let cases = [
            (
                Error::NewerSchema {
                    path: path.clone(),
                    found: 9,
                    supported: 4,
                },
                "/audits/site.ccaudit: Clausewise'ın daha yeni bir sürümüyle yazılmış (denetim şeması 9; bu sürüm en çok 4 okur); daha yeni bir Clausewise ile açın",
            ),
            (
                Error::Damaged {
                    path: path.clone(),
                    detail: "database disk image is malformed".into(),
                },
                "/audits/site.ccaudit: denetim dosyası hasarlı (database disk image is malformed); dosya değiştirilmedi",
            ),
            (
                Error::InUse { path: path.clone() },
                "/audits/site.ccaudit: bu denetim başka bir Clausewise penceresinde açık; orada kapatın ya da bir kopyasıyla çalışın",
            ),
            (
                Error::AlreadyExists { path: path.clone() },
                "/audits/site.ccaudit: bu dosya zaten var; başka bir ad seçin",
            ),
            (
                Error::NotAnAudit {
                    path: path.clone(),
                    reason: "no audit table".into(),
                },
                "/audits/site.ccaudit: bir Clausewise denetim dosyası değil (no audit table)",
            ),
        ];
        for (e, turkish) in cases {
            assert_eq!(e.message_in(Lang::Tr), turkish);
            assert_eq!(e.message_in(Lang::En), e.to_string());
            assert!(e.to_string().starts_with("/audits/site.ccaudit: "));
        }
        // What quotes a file's content stays as it is.
        let invalid = Error::Invalid("line 3, column outcome: unknown value 'X'".into());
        assert_eq!(invalid.message_in(Lang::Tr), invalid.to_string());
    }
}
