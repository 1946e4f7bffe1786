//! The built-in presets: mappings embedded from `audits/presets/`, and the folding layouts for
//! PBX event exports. Detection picks the one preset whose signature a file's first row has.

use chrono::FixedOffset;

use super::layout::{Layout, Row};
use super::mapping::MappingFile;
use super::record::Kind;

const MAPPINGS: &[(&str, &str)] = &[
    (
        "technion.toml",
        include_str!("../../audits/presets/technion.toml"),
    ),
    ("cfpb.toml", include_str!("../../audits/presets/cfpb.toml")),
    (
        "nyc311.toml",
        include_str!("../../audits/presets/nyc311.toml"),
    ),
    (
        "canonical-calls.toml",
        include_str!("../../audits/presets/canonical-calls.toml"),
    ),
    (
        "canonical-complaints.toml",
        include_str!("../../audits/presets/canonical-complaints.toml"),
    ),
];

/// A preset's description for listings.
#[derive(Debug, Clone, PartialEq, serde::Serialize, ts_rs::TS)]
#[ts(export)]
pub struct PresetInfo {
    pub name: String,
    pub kind: Kind,
    pub description: String,
}

/// The built-in mapping presets, parsed.
pub fn mappings() -> Vec<MappingFile> {
    MAPPINGS
        .iter()
        .map(|(file, text)| {
            MappingFile::parse(text, &format!("audits/presets/{file}"))
                .expect("built-in presets are validated by the tests")
        })
        .collect()
}

/// Every built-in preset.
pub fn list() -> Vec<PresetInfo> {
    let mut out: Vec<PresetInfo> = mappings()
        .into_iter()
        .map(|m| PresetInfo {
            name: m.mapping.name,
            kind: m.mapping.kind,
            description: m.mapping.description,
        })
        .collect();
    out.extend(folding().iter().map(|f| PresetInfo {
        name: f.name.to_string(),
        kind: Kind::Calls,
        description: f.description.to_string(),
    }));
    out
}

/// A preset implemented in code.
pub struct Folding {
    pub name: &'static str,
    pub description: &'static str,
    pub looks_like: fn(&Row<'_>) -> bool,
    pub make: fn(FixedOffset) -> Box<dyn Layout>,
}

/// The presets implemented in code (event logs folded into one contact per call).
pub fn folding() -> Vec<Folding> {
    vec![
        Folding {
            name: "asterisk-cdr",
            description: "Asterisk cdr_csv Master.csv (no header; legs grouped by linkedid)",
            looks_like: super::asterisk::looks_like,
            make: |offset| Box::new(super::asterisk::Asterisk::new(offset)),
        },
        Folding {
            name: "pbxware-queue-log",
            description: "PBXware queue_log export (events folded into one contact per call)",
            looks_like: super::queue_log::looks_like,
            make: |offset| Box::new(super::queue_log::QueueLog::new(offset)),
        },
        Folding {
            name: "asterisk-queue-log",
            description: "Asterisk queue_log text file (time|callid|queue|agent|event|data…)",
            looks_like: super::queue_log::looks_like_text,
            make: |offset| Box::new(super::queue_log::QueueLog::text(offset)),
        },
    ]
}
