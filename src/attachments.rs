//! Evidence attached to a clause: files (documents, photos, screenshots) stored inside the audit
//! file with their SHA-256, and interview notes. Adding and removing are each one transaction
//! and are recorded in `attachment_history`; a file is streamed into the audit file (never held
//! whole in memory) and its hash is computed from the bytes as they are stored.
//!
//! Names come from the auditor's machine or from an audit file someone sent, so they are only
//! shown as text; writing an attachment back to disk goes through [`safe_file_name`], which
//! never lets a stored name choose the folder.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use chrono::{SecondsFormat, Utc};
use rusqlite::{params, OptionalExtension, MAIN_DB};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

use crate::audit::Audit;
use crate::error::{Error, Result};

/// The largest file that can be attached (the audit file is sent by e-mail to a lead auditor).
pub const MAX_ATTACHMENT_BYTES: u64 = 100 << 20;

/// The longest interview note, in bytes.
pub const MAX_INTERVIEW_BYTES: usize = 1 << 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum AttachmentKind {
    /// A file the auditor attached.
    File,
    /// An interview note written in the app.
    Interview,
}

impl AttachmentKind {
    /// The word stored in the file.
    pub fn as_str(self) -> &'static str {
        match self {
            AttachmentKind::File => "file",
            AttachmentKind::Interview => "interview",
        }
    }
}

/// An attachment as listed (without its bytes).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Attachment {
    #[ts(type = "number")]
    pub id: i64,
    pub clause_id: String,
    pub kind: AttachmentKind,
    /// The file's name without its folder, or the interview's title. Shown as text only.
    pub name: String,
    /// Recognised from the content, not the name: `image/png`, `image/jpeg`, `image/gif`,
    /// `image/webp`, `application/pdf`, `text/plain; charset=utf-8` or
    /// `application/octet-stream` (anything else, SVG included).
    pub media_type: String,
    #[ts(type = "number")]
    pub size: u64,
    pub sha256: String,
    pub added_at: String,
}

fn now() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// The media type of content starting with `head`. Only types the app can preview safely are
/// recognised; SVG and HTML (which can carry scripts) are `application/octet-stream`.
pub fn media_type(head: &[u8], whole_is_utf8: bool) -> &'static str {
    if head.starts_with(b"\x89PNG\r\n\x1a\n") {
        "image/png"
    } else if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        "image/jpeg"
    } else if head.starts_with(b"GIF87a") || head.starts_with(b"GIF89a") {
        "image/gif"
    } else if head.len() >= 12 && head.starts_with(b"RIFF") && &head[8..12] == b"WEBP" {
        "image/webp"
    } else if head.starts_with(b"%PDF-") {
        "application/pdf"
    } else if whole_is_utf8 && !head.contains(&0) && !looks_like_markup(head) {
        "text/plain; charset=utf-8"
    } else {
        "application/octet-stream"
    }
}

fn looks_like_markup(head: &[u8]) -> bool {
    let text = String::from_utf8_lossy(head).to_ascii_lowercase();
    let text = text.trim_start_matches('\u{feff}').trim_start();
    text.starts_with("<?xml")
        || text.starts_with("<svg")
        || text.starts_with("<!doctype")
        || text.starts_with("<html")
}

/// The name shown for an attached file: its last path component, without control characters,
/// at most 255 bytes; `attachment` when nothing is left.
pub fn display_name(path: &Path) -> String {
    let raw = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let cleaned: String = raw.chars().filter(|c| !c.is_control()).collect();
    let trimmed = truncate(cleaned.trim(), 255);
    if trimmed.is_empty() {
        "attachment".into()
    } else {
        trimmed.to_string()
    }
}

fn truncate(s: &str, max_bytes: usize) -> &str {
    if s.len() <= max_bytes {
        return s;
    }
    let mut end = max_bytes;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// A file name made from a stored name that is safe to create inside a chosen folder on Linux,
/// macOS and Windows: no folder separators or `..`, no characters Windows forbids, no control
/// characters, no leading dots (hidden files) or trailing dots and spaces, no device names such
/// as `CON` or `LPT1`, at most 200 bytes; `attachment-ID` when nothing usable is left.
pub fn safe_file_name(name: &str, id: i64) -> String {
    let replaced: String = name
        .chars()
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .collect();
    let trimmed = replaced
        .trim_start_matches(['.', ' '])
        .trim_end_matches(['.', ' ']);
    let mut out = truncate(trimmed, 200)
        .trim_end_matches(['.', ' '])
        .to_string();
    let stem = out.split('.').next().unwrap_or("").to_ascii_uppercase();
    let device = matches!(stem.as_str(), "CON" | "PRN" | "AUX" | "NUL")
        || ((stem.starts_with("COM") || stem.starts_with("LPT"))
            && stem.len() == 4
            && stem.as_bytes()[3].is_ascii_digit());
    if device {
        out.insert(0, '_');
    }
    if out.chars().all(|c| c == '_') {
        return format!("attachment-{id}");
    }
    out
}

/// `dir/name`, or `dir/stem (2).ext`, `dir/stem (3).ext`, … when that exists.
fn free_path(dir: &Path, name: &str) -> PathBuf {
    let first = dir.join(name);
    if !first.exists() {
        return first;
    }
    let (stem, ext) = match name.rfind('.') {
        Some(i) if i > 0 => (&name[..i], &name[i..]),
        _ => (name, ""),
    };
    (2..)
        .map(|n| dir.join(format!("{stem} ({n}){ext}")))
        .find(|p| !p.exists())
        .expect("some numbered name is free")
}

fn row_to_attachment(r: &rusqlite::Row<'_>) -> rusqlite::Result<Attachment> {
    let kind: String = r.get(2)?;
    Ok(Attachment {
        id: r.get(0)?,
        clause_id: r.get(1)?,
        kind: if kind == "interview" {
            AttachmentKind::Interview
        } else {
            AttachmentKind::File
        },
        name: r.get(3)?,
        media_type: r.get(4)?,
        size: r.get::<_, i64>(5)?.max(0) as u64,
        sha256: r.get(6)?,
        added_at: r.get(7)?,
    })
}

const COLUMNS: &str = "id, clause_id, kind, name, media_type, size, sha256, added_at";

impl Audit {
    /// Attaches the file at `file` to a clause: its bytes are streamed into the audit file and
    /// hashed as they are stored, all in one transaction (a crash leaves no trace of it).
    pub fn attach_file(&mut self, clause_id: &str, file: &Path) -> Result<Attachment> {
        self.known_clause(clause_id)?;
        let mut source = std::fs::File::open(file).map_err(|e| Error::io(file, e))?;
        let meta = source.metadata().map_err(|e| Error::io(file, e))?;
        if !meta.is_file() {
            return Err(Error::Invalid(format!(
                "{}: not a file; only files can be attached",
                file.display()
            )));
        }
        let size = meta.len();
        if size > MAX_ATTACHMENT_BYTES {
            return Err(Error::Invalid(format!(
                "{}: {} bytes; attachments can be at most {} MiB",
                file.display(),
                size,
                MAX_ATTACHMENT_BYTES >> 20
            )));
        }
        let name = display_name(file);
        let path = self.path().to_path_buf();
        let db = |e: rusqlite::Error| Error::db(&path, e);
        let at = now();
        let tx = self.conn_mut().transaction().map_err(db)?;
        tx.execute(
            "INSERT INTO attachment (clause_id, kind, name, media_type, size, sha256, added_at)
             VALUES (?1, 'file', ?2, 'application/octet-stream', ?3, ?4, ?5)",
            params![clause_id, name, size as i64, "0".repeat(64), at],
        )
        .map_err(db)?;
        let id = tx.last_insert_rowid();
        tx.execute(
            "INSERT INTO attachment_data (attachment_id, data) VALUES (?1, zeroblob(?2))",
            params![id, size as i64],
        )
        .map_err(db)?;
        let mut hasher = Sha256::new();
        let mut head = Vec::with_capacity(64);
        let mut utf8 = Utf8Check::default();
        {
            let mut blob = tx
                .blob_open(MAIN_DB, c"attachment_data", c"data", id, false)
                .map_err(db)?;
            let mut buf = vec![0u8; 256 << 10];
            let mut written = 0u64;
            loop {
                let n = source.read(&mut buf).map_err(|e| Error::io(file, e))?;
                if n == 0 {
                    break;
                }
                if written + n as u64 > size {
                    return Err(Error::Invalid(format!(
                        "{}: the file grew while it was being attached; attach it again",
                        file.display()
                    )));
                }
                let chunk = &buf[..n];
                hasher.update(chunk);
                utf8.feed(chunk);
                if head.len() < 64 {
                    let take = (64 - head.len()).min(n);
                    head.extend_from_slice(&chunk[..take]);
                }
                blob.write_all(chunk).map_err(|e| Error::io(&path, e))?;
                written += n as u64;
            }
            if written != size {
                return Err(Error::Invalid(format!(
                    "{}: the file shrank while it was being attached; attach it again",
                    file.display()
                )));
            }
        }
        let sha = crate::text::hex(&hasher.finalize());
        let media = media_type(&head, utf8.finish());
        tx.execute(
            "UPDATE attachment SET sha256 = ?2, media_type = ?3 WHERE id = ?1",
            params![id, sha, media],
        )
        .and_then(|_| record(&tx, id, "added"))
        .map_err(db)?;
        tx.commit().map_err(db)?;
        self.attachment(id)
    }

    /// Adds an interview note (a title and the text) to a clause.
    pub fn add_interview(
        &mut self,
        clause_id: &str,
        title: &str,
        text: &str,
    ) -> Result<Attachment> {
        self.known_clause(clause_id)?;
        let title = title.trim();
        if title.is_empty() || title.chars().any(char::is_control) {
            return Err(Error::Invalid(format!(
                "{}: an interview note needs a title of one line",
                self.path().display()
            )));
        }
        if title.len() > 255 || text.len() > MAX_INTERVIEW_BYTES {
            return Err(Error::Invalid(format!(
                "{}: an interview note's title can be at most 255 bytes and its text at most {} KiB",
                self.path().display(),
                MAX_INTERVIEW_BYTES >> 10
            )));
        }
        let sha = crate::text::hex(&Sha256::digest(text.as_bytes()));
        let path = self.path().to_path_buf();
        let db = |e: rusqlite::Error| Error::db(&path, e);
        let tx = self.conn_mut().transaction().map_err(db)?;
        tx.execute(
            "INSERT INTO attachment (clause_id, kind, name, media_type, size, sha256, added_at)
             VALUES (?1, 'interview', ?2, 'text/plain; charset=utf-8', ?3, ?4, ?5)",
            params![clause_id, title, text.len() as i64, sha, now()],
        )
        .map_err(db)?;
        let id = tx.last_insert_rowid();
        tx.execute(
            "INSERT INTO attachment_data (attachment_id, data) VALUES (?1, ?2)",
            params![id, text.as_bytes()],
        )
        .map_err(db)?;
        record(&tx, id, "added").map_err(db)?;
        tx.commit().map_err(db)?;
        self.attachment(id)
    }

    /// The attachments of one clause, or of every clause, in the order they were added.
    pub fn attachments(&self, clause_id: Option<&str>) -> Result<Vec<Attachment>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM attachment WHERE ?1 IS NULL OR clause_id = ?1 ORDER BY id"
        );
        let db = |e| Error::db(self.path(), e);
        let mut stmt = self.conn().prepare(&sql).map_err(db)?;
        let rows = stmt
            .query_map([clause_id], row_to_attachment)
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
            .map_err(db)?;
        Ok(rows)
    }

    /// One attachment (without its bytes).
    pub fn attachment(&self, id: i64) -> Result<Attachment> {
        self.conn()
            .query_row(
                &format!("SELECT {COLUMNS} FROM attachment WHERE id = ?1"),
                [id],
                row_to_attachment,
            )
            .optional()
            .map_err(|e| Error::db(self.path(), e))?
            .ok_or_else(|| {
                Error::Invalid(format!(
                    "{}: there is no attachment {id}",
                    self.path().display()
                ))
            })
    }

    /// Streams an attachment's bytes to `out`, checking them against the stored SHA-256 (an
    /// audit file from elsewhere may have been altered). Returns the number of bytes.
    pub fn copy_attachment(&self, id: i64, out: &mut dyn Write) -> Result<u64> {
        let attachment = self.attachment(id)?;
        let db = |e| Error::db(self.path(), e);
        let mut blob = self
            .conn()
            .blob_open(MAIN_DB, c"attachment_data", c"data", id, true)
            .map_err(db)?;
        let mut hasher = Sha256::new();
        let mut buf = vec![0u8; 256 << 10];
        let mut total = 0u64;
        loop {
            let n = blob.read(&mut buf).map_err(|e| Error::io(self.path(), e))?;
            if n == 0 {
                break;
            }
            hasher.update(&buf[..n]);
            out.write_all(&buf[..n])
                .map_err(|e| Error::io(self.path(), e))?;
            total += n as u64;
        }
        let sha = crate::text::hex(&hasher.finalize());
        if sha != attachment.sha256 || total != attachment.size {
            return Err(Error::Damaged {
                path: self.path().into(),
                detail: format!(
                    "attachment {id} ('{}') does not match its recorded SHA-256",
                    attachment.name
                ),
            });
        }
        Ok(total)
    }

    /// An attachment's bytes, checked against its SHA-256 (for previews).
    pub fn attachment_bytes(&self, id: i64) -> Result<Vec<u8>> {
        let mut bytes = Vec::new();
        self.copy_attachment(id, &mut bytes)?;
        Ok(bytes)
    }

    /// Writes an attachment into the folder `dir` under its sanitised name ([`safe_file_name`];
    /// ` (2)`, ` (3)`, … when that name is taken). The file appears whole or not at all.
    pub fn export_attachment(&self, id: i64, dir: &Path) -> Result<PathBuf> {
        let attachment = self.attachment(id)?;
        if !dir.is_dir() {
            return Err(Error::Invalid(format!("{}: not a folder", dir.display())));
        }
        let mut name = safe_file_name(&attachment.name, id);
        if attachment.kind == AttachmentKind::Interview && !name.ends_with(".txt") {
            name.push_str(".txt");
        }
        let target = free_path(dir, &name);
        let tmp = dir.join(format!(".{name}.{}.partial", std::process::id()));
        let result = (|| {
            let mut file = std::fs::File::create(&tmp).map_err(|e| Error::io(&tmp, e))?;
            self.copy_attachment(id, &mut file)?;
            file.sync_all().map_err(|e| Error::io(&tmp, e))?;
            std::fs::rename(&tmp, &target).map_err(|e| Error::io(&target, e))
        })();
        if result.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        result.map(|_| target)
    }

    /// Removes an attachment; its bytes are overwritten in the file (they may show people) and
    /// the removal is recorded in the history.
    pub fn remove_attachment(&mut self, id: i64) -> Result<Attachment> {
        let attachment = self.attachment(id)?;
        let path = self.path().to_path_buf();
        let db = |e: rusqlite::Error| Error::db(&path, e);
        self.conn()
            .pragma_update(None, "secure_delete", true)
            .map_err(db)?;
        let result = (|| {
            let tx = self.conn_mut().transaction()?;
            record(&tx, id, "removed")?;
            tx.execute("DELETE FROM attachment_data WHERE attachment_id = ?1", [id])?;
            tx.execute("DELETE FROM attachment WHERE id = ?1", [id])?;
            tx.commit()
        })();
        let reset = self.conn().pragma_update(None, "secure_delete", false);
        result.and(reset).map_err(db)?;
        Ok(attachment)
    }
}

/// Writes the history row for attachment `id` as it stands.
fn record(tx: &rusqlite::Transaction<'_>, id: i64, action: &str) -> rusqlite::Result<usize> {
    tx.execute(
        "INSERT INTO attachment_history (attachment_id, clause_id, action, kind, name, size,
             sha256, at)
         SELECT id, clause_id, ?2, kind, name, size, sha256, ?3 FROM attachment WHERE id = ?1",
        params![id, action, now()],
    )
}

/// Whether a byte stream fed in chunks is UTF-8 (a character may straddle two chunks).
#[derive(Default)]
struct Utf8Check {
    carry: Vec<u8>,
    bad: bool,
}

impl Utf8Check {
    fn feed(&mut self, chunk: &[u8]) {
        if self.bad {
            return;
        }
        // Only a character cut at the end of the previous chunk is copied.
        let joined;
        let bytes = if self.carry.is_empty() {
            chunk
        } else {
            joined = [self.carry.as_slice(), chunk].concat();
            &joined
        };
        match std::str::from_utf8(bytes) {
            Ok(_) => self.carry.clear(),
            Err(e) if e.error_len().is_none() => self.carry = bytes[e.valid_up_to()..].to_vec(),
            Err(_) => self.bad = true,
        }
    }

    fn finish(self) -> bool {
        !self.bad && self.carry.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_names_never_choose_the_folder() {
        let cases = [
            ("../../etc/passwd", "_.._etc_passwd"),
            ("..\\..\\boot.ini", "_.._boot.ini"),
            ("/abs/path.png", "_abs_path.png"),
            ("C:\\x.pdf", "C__x.pdf"),
            (".bashrc", "bashrc"),
            ("...", "attachment-7"),
            ("a\u{0}b\nc.txt", "a_b_c.txt"),
            ("CON", "_CON"),
            ("lpt1.txt", "_lpt1.txt"),
            ("com10.txt", "com10.txt"),
            ("report. ", "report"),
            ("İş planı.pdf", "İş planı.pdf"),
            ("", "attachment-7"),
        ];
        for (stored, safe) in cases {
            assert_eq!(safe_file_name(stored, 7), safe, "{stored:?}");
        }
        let long = "é".repeat(300);
        let cut = safe_file_name(&long, 1);
        assert!(cut.len() <= 200 && cut.chars().all(|c| c == 'é'));
    }

    #[test]
    fn media_types_come_from_the_content() {
        assert_eq!(media_type(b"\x89PNG\r\n\x1a\n....", false), "image/png");
        assert_eq!(media_type(&[0xFF, 0xD8, 0xFF, 0xE0], false), "image/jpeg");
        assert_eq!(media_type(b"%PDF-1.7\n", true), "application/pdf");
        assert_eq!(media_type(b"RIFF\0\0\0\0WEBPVP8 ", false), "image/webp");
        assert_eq!(media_type(b"notes", true), "text/plain; charset=utf-8");
        assert_eq!(media_type(b"notes", false), "application/octet-stream");
        for markup in [
            "<svg onload=x>",
            " <?xml version",
            "<!DOCTYPE html>",
            "<HTML>",
        ] {
            assert_eq!(
                media_type(markup.as_bytes(), true),
                "application/octet-stream"
            );
        }
    }

    #[test]
    fn utf8_is_checked_across_chunks() {
        let text = "İş ğüç".as_bytes();
        for split in 0..text.len() {
            let mut check = Utf8Check::default();
            check.feed(&text[..split]);
            check.feed(&text[split..]);
            assert!(check.finish(), "split at {split}");
        }
        let mut check = Utf8Check::default();
        check.feed(&[0xC4]);
        assert!(!check.finish(), "a cut character is not UTF-8");
        let mut check = Utf8Check::default();
        check.feed(&[0xFF, b'a']);
        assert!(!check.finish());
    }
}
