//! Clausewise core: checklists, the audit file, import, metrics, grading, scores and readiness
//! reports. Everything the desktop app and the `clausewise` CLI do is implemented here; this
//! crate never depends on Tauri.

pub mod attachments;
pub mod audit;
pub mod checklist;
pub mod cli;
pub mod db;
pub mod demo;
pub mod demo_data;
pub mod distribution;
pub mod error;
pub mod evidence;
pub mod findings;
pub mod grade;
pub mod import;
pub mod metric;
pub mod privacy;
pub mod recent;
pub mod report;
pub mod sampling;
pub mod scoring;
pub mod session;
pub mod settings;
pub mod stats;
mod tally;
pub mod text;

pub use audit::{Assessment, AssessmentUpdate, Audit, AuditMeta, AuditType, AuditView, NewAudit};
pub use checklist::Checklist;
pub use error::{Error, Result};
pub use grade::Grade;
