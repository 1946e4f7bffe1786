//! Integration tests of the core crate: one test binary, one module per area.

mod attachments;
mod audit_file;
mod checklist;
mod cli;
mod crash;
mod demo;
mod distribution;
mod evidence;
mod fuzz;
mod hostile;
mod import;
mod import_review;
mod language;
mod report;
mod session;
mod support;
