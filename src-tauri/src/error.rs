//! The one error type that crosses the IPC boundary: `{ code, message }`.

use std::sync::atomic::{AtomicBool, Ordering};

use clausewise::report::Lang;
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

/// The language the window speaks, for the messages of errors (Turkish when set, else English).
/// One window per process: the window sets it when it starts and when its language changes.
static TURKISH: AtomicBool = AtomicBool::new(false);

pub fn set_language(lang: Lang) {
    TURKISH.store(lang == Lang::Tr, Ordering::Relaxed);
}

fn language() -> Lang {
    if TURKISH.load(Ordering::Relaxed) {
        Lang::Tr
    } else {
        Lang::En
    }
}

impl From<clausewise::Error> for AppError {
    fn from(e: clausewise::Error) -> Self {
        AppError::in_language(e, language())
    }
}

impl AppError {
    /// `e` as the UI receives it, its message in `lang`.
    fn in_language(e: clausewise::Error, lang: Lang) -> Self {
        match e {
            // The core's message names the CLI's flag; the app has a check box for it.
            clausewise::Error::AlreadyImported { path, id, when } => AppError {
                code: ErrorCode::AlreadyImported,
                message: match lang {
                    Lang::En => format!(
                        "{}: this file was imported before (import {id}, {when}); tick \u{201c}Replace the earlier import\u{201d} to import it again",
                        path.display()
                    ),
                    Lang::Tr => format!(
                        "{}: bu dosya daha önce içe aktarıldı ({id} numaralı içe aktarma, {when}); yeniden içe aktarmak için \u{201c}Önceki içe aktarmanın yerine koy\u{201d} kutusunu işaretleyin",
                        path.display()
                    ),
                },
            },
            e => AppError {
                code: ErrorCode::Unknown,
                message: e.message_in(lang),
            },
        }
    }

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

    /// Once the window speaks Turkish, the file-level messages do too; the check box is named
    /// as the Turkish window labels it (ui/src/lib/locales/tr.ts, `import.replace`).
    #[test]
    fn messages_follow_the_windows_language() {
        let imported = AppError::in_language(
            clausewise::Error::AlreadyImported {
                path: "/data/calls.csv".into(),
                id: 3,
                when: "2026-03-01T09:00:00Z".into(),
            },
            Lang::Tr,
        );
        let in_use = AppError::in_language(
            clausewise::Error::InUse {
                path: "/a/site.ccaudit".into(),
            },
            Lang::Tr,
        );
        assert_eq!(imported.code, ErrorCode::AlreadyImported);
        let tr = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../ui/src/lib/locales/tr.ts"
        ))
        .unwrap();
        let label = tr
            .lines()
            .find_map(|l| l.trim().strip_prefix("\"import.replace\": \""))
            .and_then(|rest| rest.strip_suffix("\","))
            .expect("the Turkish label of the check box");
        assert!(
            imported
                .message
                .contains(&format!("\u{201c}{label}\u{201d}")),
            "{}",
            imported.message
        );
        assert!(imported
            .message
            .starts_with("/data/calls.csv: bu dosya daha önce"));
        assert_eq!(
            in_use.message,
            "/a/site.ccaudit: bu denetim başka bir Clausewise penceresinde açık; orada kapatın ya da bir kopyasıyla çalışın"
        );
    }
}
