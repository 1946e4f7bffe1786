//! The list of recently opened audit files that the app starts from.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// How many files the list keeps.
pub const LIMIT: usize = 10;

/// Recently opened audit files, most recent first.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Recent {
    pub paths: Vec<PathBuf>,
}

impl Recent {
    /// Reads the list from `file`; a missing or unreadable list is an empty one.
    pub fn load(file: &Path) -> Recent {
        std::fs::read(file)
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default()
    }

    /// Writes the list to `file` (through a temporary file, so a crash leaves the old list).
    pub fn save(&self, file: &Path) -> std::io::Result<()> {
        if let Some(dir) = file.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let tmp = file.with_extension("json.tmp");
        std::fs::write(&tmp, serde_json::to_vec_pretty(self)?)?;
        std::fs::rename(tmp, file)
    }

    /// Puts `path` first, once.
    pub fn push(&mut self, path: &Path) {
        self.paths.retain(|p| p != path);
        self.paths.insert(0, path.to_path_buf());
        self.paths.truncate(LIMIT);
    }

    /// The most recent file that still exists.
    pub fn last_existing(&self) -> Option<&Path> {
        self.paths
            .iter()
            .map(PathBuf::as_path)
            .find(|p| p.is_file())
    }
}
