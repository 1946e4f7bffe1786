//! Integration tests of the core crate: one test binary, one module per area.

mod audit_file;
mod checklist;
mod cli;
mod demo;
mod evidence;
mod import;
mod report;
mod session;
mod support;
