//! Importing call and complaint exports into an audit (spec/records.md).

pub mod layout;
pub mod record;
pub mod source;

pub use record::Kind;
