//! Every report's manifest: the SHA-256 of the report's content, the digest of the audit data it
//! was built from, and optionally an ed25519 signature over both. `verify` checks a report
//! against its manifest (and against an audit file), naming what differs.
//!
//! Where the manifest lives and what "content" is hashed (docs/report.md):
//! - JSON: the file is `{"report": …, "manifest": …}`; the content is the exact bytes of the
//!   `report` value as they stand in the file.
//! - HTML: the manifest is a comment after `</html>` (`<!--clausewise-manifest … -->`); the
//!   content is every byte before it.
//! - PDF and CSV: the manifest is the sidecar file `REPORT.manifest.json`; the content is every
//!   byte of the report file.
//!
//! The audit digest hashes the audit's parts (details, checklist, settings, grades, findings,
//! import log, record counts, samples and QA evaluations), each on its own, so that `verify`
//! can say which part changed; grades and findings are also hashed per clause. Records are
//! covered by the SHA-256 of the files they were imported from and by their counts.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use ed25519_dalek::{Signer, Verifier};
use rusqlite::types::Value;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{file_name, Format, Report, Written};
use crate::audit::Audit;
use crate::error::{Error, Result};
use crate::text::hex;

/// The `manifest` tag of every manifest.
pub const MANIFEST: &str = "clausewise-report-manifest";
/// The start of the comment that carries an HTML report's manifest.
pub const HTML_MARKER: &str = "<!--clausewise-manifest\n";
const HTML_END: &str = "\n-->\n";
/// What the signature signs starts with this line.
const SIGNED_HEADER: &str = "clausewise report manifest v1";

/// A report's manifest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub manifest: String,
    pub version: u32,
    pub report: ReportEntry,
    pub audit: AuditEntry,
    pub signature: Option<SignatureEntry>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportEntry {
    pub format: Format,
    /// The report file's name when it was written.
    pub file_name: String,
    pub lang: String,
    pub generated_at: String,
    pub generator: String,
    /// SHA-256 of the report's content (see the module documentation).
    pub content_sha256: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditEntry {
    /// The audit file's name when the report was made.
    pub file_name: String,
    pub sha256: String,
    pub parts: BTreeMap<String, String>,
    pub clause_assessments: BTreeMap<String, String>,
    pub clause_findings: BTreeMap<String, String>,
}

impl AuditEntry {
    pub fn digest(&self) -> AuditDigest {
        AuditDigest {
            sha256: self.sha256.clone(),
            parts: self.parts.clone(),
            clause_assessments: self.clause_assessments.clone(),
            clause_findings: self.clause_findings.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignatureEntry {
    pub algorithm: String,
    /// The signer's ed25519 public key (hex).
    pub public_key: String,
    /// The signature (hex) over the manifest's signed statement.
    pub value: String,
}

/// The digest of the audit data a report was built from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditDigest {
    /// SHA-256 over the parts' digests.
    pub sha256: String,
    /// SHA-256 of each part of the audit (see [`PARTS`]).
    pub parts: BTreeMap<String, String>,
    /// Per assessed clause: SHA-256 of its grade, note and reason.
    pub clause_assessments: BTreeMap<String, String>,
    /// Per clause with findings: SHA-256 of its findings.
    pub clause_findings: BTreeMap<String, String>,
}

/// The parts of an audit the digest covers, with what each is in words.
pub const PARTS: &[(&str, &str)] = &[
    (
        "details",
        "the audit's details (organisation, site, scope, type, auditors, dates)",
    ),
    ("checklist", "the checklist stored in the audit"),
    ("settings", "the settings (parameters and targets)"),
    ("assessments", "the grades, notes and reasons"),
    ("findings", "the findings and corrective actions"),
    ("imports", "the import log (files, SHA-256, counts)"),
    ("records", "the records (contacts and complaints)"),
    ("samples", "the QA samples"),
    ("qa", "the QA evaluations"),
];

fn sha(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// The rows of `sql` as one canonical byte string (each row a JSON array, one per line).
fn rows_bytes(audit: &Audit, sql: &str) -> Result<Vec<Vec<u8>>> {
    let db = |e: rusqlite::Error| Error::db(audit.path(), e);
    let mut stmt = audit.conn().prepare(sql).map_err(db)?;
    let columns = stmt.column_count();
    let mut rows = stmt.query([]).map_err(db)?;
    let mut out = Vec::new();
    while let Some(r) = rows.next().map_err(db)? {
        let mut cells = Vec::with_capacity(columns);
        for i in 0..columns {
            cells.push(match r.get::<_, Value>(i).map_err(db)? {
                Value::Null => serde_json::Value::Null,
                Value::Integer(i) => i.into(),
                Value::Real(f) => serde_json::Value::String(format!("{f:?}")),
                Value::Text(t) => t.into(),
                Value::Blob(b) => hex(&b).into(),
            });
        }
        let mut line = serde_json::to_vec(&cells).expect("cells serialise");
        line.push(b'\n');
        out.push(line);
    }
    Ok(out)
}

/// The digest of the audit data (see the module documentation).
pub fn audit_digest(audit: &Audit) -> Result<AuditDigest> {
    const SQL: &[(&str, &str)] = &[
        (
            "details",
            "SELECT organisation, site, scope, channels, audit_type, auditors, start_date,
                    end_date, created_at FROM audit",
        ),
        (
            "checklist",
            "SELECT checklist_id, checklist_version, checklist_sha256, checklist_source
             FROM audit",
        ),
        ("settings", "SELECT key, value FROM setting ORDER BY key"),
        (
            "assessments",
            "SELECT clause_id, grade, note, reason, suggested, updated_at FROM assessment
             ORDER BY clause_id",
        ),
        (
            "findings",
            "SELECT id, clause_id, grade, statement, evidence, requirement, cause, action,
                    owner, due_date, status, created_at, updated_at FROM finding ORDER BY id",
        ),
        (
            "imports",
            "SELECT id, kind, role, file_name, file_size, sha256, preset, mapping, encoding,
                    delimiter, line_ends, utc_offset, header, rows_read, accepted, rejected,
                    skipped, records, imported_at,
                    (SELECT count(*) FROM import_error e WHERE e.import_id = i.id)
             FROM import i ORDER BY id",
        ),
        (
            "records",
            "SELECT (SELECT count(*) FROM contact), (SELECT coalesce(max(id), 0) FROM contact),
                    (SELECT count(*) FROM complaint), (SELECT coalesce(max(id), 0) FROM complaint)",
        ),
        (
            "samples",
            "SELECT id, seed, size, population, method, strata, allocation, created_at,
                    (SELECT count(*) FROM sample_contact c WHERE c.sample_id = s.id)
             FROM sample s ORDER BY id",
        ),
        (
            "qa",
            "SELECT contact_id, name, passed FROM contact_qa ORDER BY contact_id, name",
        ),
    ];
    let mut parts = BTreeMap::new();
    let mut all = String::new();
    for (name, sql) in SQL {
        let digest = sha(&rows_bytes(audit, sql)?.concat());
        all.push_str(&format!("{name} {digest}\n"));
        parts.insert(name.to_string(), digest);
    }
    // Per clause: its assessment, and its findings.
    let per_clause = |sql: &str| -> Result<BTreeMap<String, String>> {
        let mut clauses: BTreeMap<String, Vec<u8>> = BTreeMap::new();
        for line in rows_bytes(audit, sql)? {
            let row: Vec<serde_json::Value> =
                serde_json::from_slice(&line).expect("rows_bytes writes JSON arrays");
            let key = row[0].as_str().unwrap_or_default().to_string();
            clauses.entry(key).or_default().extend_from_slice(&line);
        }
        Ok(clauses
            .into_iter()
            .map(|(k, bytes)| (k, sha(&bytes)))
            .collect())
    };
    Ok(AuditDigest {
        sha256: sha(all.as_bytes()),
        parts,
        clause_assessments: per_clause(
            "SELECT clause_id, grade, note, reason, suggested, updated_at FROM assessment
             ORDER BY clause_id",
        )?,
        clause_findings: per_clause(
            "SELECT clause_id, id, grade, statement, evidence, requirement, cause, action, owner,
                    due_date, status, created_at, updated_at FROM finding ORDER BY id",
        )?,
    })
}

impl Manifest {
    /// The statement a signature signs: every field but the file names, one per line.
    pub fn signed_statement(&self) -> String {
        let r = &self.report;
        let a = &self.audit;
        let mut s = format!(
            "{SIGNED_HEADER}\nformat {}\nlang {}\ngenerated_at {}\ngenerator {}\ncontent_sha256 {}\naudit_sha256 {}\n",
            r.format.as_str(),
            r.lang,
            r.generated_at,
            r.generator,
            r.content_sha256,
            a.sha256
        );
        for (k, v) in &a.parts {
            s.push_str(&format!("part {k} {v}\n"));
        }
        for (k, v) in &a.clause_assessments {
            s.push_str(&format!("assessment {k} {v}\n"));
        }
        for (k, v) in &a.clause_findings {
            s.push_str(&format!("findings {k} {v}\n"));
        }
        s
    }
}

/// An auditor's ed25519 signing key.
pub struct SigningKey(ed25519_dalek::SigningKey);

const SECRET_TAG: &str = "clausewise-ed25519-secret-key";
const PUBLIC_TAG: &str = "clausewise-ed25519-public-key";

fn unhex(s: &str) -> Option<Vec<u8>> {
    let s = s.trim();
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

fn key_line<'a>(text: &'a str, tag: &str) -> Option<&'a str> {
    text.lines()
        .find_map(|l| l.trim().strip_prefix(tag)?.trim().strip_prefix(':'))
        .map(str::trim)
}

impl SigningKey {
    /// A new random key.
    pub fn generate() -> Result<SigningKey> {
        let mut seed = [0u8; 32];
        getrandom::fill(&mut seed)
            .map_err(|e| Error::Invalid(format!("no random numbers for a new key: {e}")))?;
        Ok(SigningKey(ed25519_dalek::SigningKey::from_bytes(&seed)))
    }

    /// Reads a key file written by `clausewise keygen`.
    pub fn read(path: &Path) -> Result<SigningKey> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        let bytes = key_line(&text, SECRET_TAG)
            .and_then(unhex)
            .and_then(|b| <[u8; 32]>::try_from(b).ok())
            .ok_or_else(|| {
                Error::Invalid(format!(
                    "{}: not a Clausewise signing key (expected a line '{SECRET_TAG}: <64 hex digits>')",
                    path.display()
                ))
            })?;
        Ok(SigningKey(ed25519_dalek::SigningKey::from_bytes(&bytes)))
    }

    /// The public key, hex.
    pub fn public_hex(&self) -> String {
        hex(self.0.verifying_key().as_bytes())
    }

    /// Writes the key to `path` (readable by its owner only) and its public half to
    /// `path.pub`; refuses to overwrite either.
    pub fn write(&self, path: &Path) -> Result<PathBuf> {
        let public = PathBuf::from(format!("{}.pub", path.display()));
        for p in [path, public.as_path()] {
            if p.exists() {
                return Err(Error::AlreadyExists { path: p.into() });
            }
        }
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut f = options.open(path).map_err(|e| Error::io(path, e))?;
        writeln!(
            f,
            "# Clausewise report-signing key. Keep it secret; share {} instead.\n{SECRET_TAG}: {}",
            file_name(&public),
            hex(self.0.as_bytes())
        )
        .and_then(|_| f.sync_all())
        .map_err(|e| Error::io(path, e))?;
        std::fs::write(&public, format!("{PUBLIC_TAG}: {}\n", self.public_hex()))
            .map_err(|e| Error::io(&public, e))?;
        Ok(public)
    }

    fn sign(&self, manifest: &Manifest) -> SignatureEntry {
        SignatureEntry {
            algorithm: "ed25519".into(),
            public_key: self.public_hex(),
            value: hex(&self
                .0
                .sign(manifest.signed_statement().as_bytes())
                .to_bytes()),
        }
    }
}

/// Reads a public key file (`keygen`'s `.pub`, or the secret key file itself), hex.
pub fn read_public_key(path: &Path) -> Result<String> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    if let Some(h) = key_line(&text, PUBLIC_TAG) {
        if unhex(h).is_some_and(|b| b.len() == 32) {
            return Ok(h.to_lowercase());
        }
    }
    SigningKey::read(path).map(|k| k.public_hex()).map_err(|_| {
        Error::Invalid(format!(
            "{}: not a Clausewise public key (expected a line '{PUBLIC_TAG}: <64 hex digits>')",
            path.display()
        ))
    })
}

/// The sidecar manifest of a PDF or CSV report.
pub fn sidecar_path(report: &Path) -> PathBuf {
    PathBuf::from(format!("{}.manifest.json", report.display()))
}

/// Indents every line but the first by two spaces (JSON strings hold no raw line ends).
fn indent(json: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(json.len() + json.len() / 16);
    for &b in json {
        out.push(b);
        if b == b'\n' {
            out.extend_from_slice(b"  ");
        }
    }
    out
}

/// The manifest as the HTML comment that ends an HTML report (no `--` inside a comment).
fn html_trailer(m: &Manifest) -> String {
    let json = serde_json::to_string_pretty(m).expect("a manifest serialises");
    format!("{HTML_MARKER}{}{HTML_END}", json.replace("--", "-\\u002d"))
}

/// Adds the manifest to a rendered report and writes it (and its sidecar) to `out`.
pub(crate) fn seal_and_write(
    report: &Report,
    format: Format,
    rendered: Vec<u8>,
    out: &Path,
    key: Option<&SigningKey>,
) -> Result<Written> {
    let content = match format {
        Format::Json => indent(&rendered),
        _ => rendered,
    };
    let mut manifest = Manifest {
        manifest: MANIFEST.into(),
        version: 1,
        report: ReportEntry {
            format,
            file_name: file_name(out),
            lang: report.lang.as_str().into(),
            generated_at: report.generated_at.clone(),
            generator: report.generator.clone(),
            content_sha256: sha(&content),
        },
        audit: AuditEntry {
            file_name: report.audit.file_name.clone(),
            sha256: report.audit_digest.sha256.clone(),
            parts: report.audit_digest.parts.clone(),
            clause_assessments: report.audit_digest.clause_assessments.clone(),
            clause_findings: report.audit_digest.clause_findings.clone(),
        },
        signature: None,
    };
    manifest.signature = key.map(|k| k.sign(&manifest));
    let manifest_json = serde_json::to_vec_pretty(&manifest).expect("a manifest serialises");
    let (file, sidecar) = match format {
        Format::Json => {
            let mut f = b"{\n  \"report\": ".to_vec();
            f.extend_from_slice(&content);
            f.extend_from_slice(b",\n  \"manifest\": ");
            f.extend_from_slice(&indent(&manifest_json));
            f.extend_from_slice(b"\n}\n");
            (f, None)
        }
        Format::Html => {
            let mut f = content;
            f.extend_from_slice(html_trailer(&manifest).as_bytes());
            (f, None)
        }
        Format::Pdf | Format::Csv => {
            let mut m = manifest_json;
            m.push(b'\n');
            (content, Some(m))
        }
    };
    let manifest_path = sidecar.as_ref().map(|_| sidecar_path(out));
    write_files(out, &file, manifest_path.as_deref().zip(sidecar.as_deref()))?;
    Ok(Written {
        path: out.to_path_buf(),
        manifest_path,
        manifest,
    })
}

/// Writes the report and its sidecar under temporary names, then renames both into place, the
/// sidecar first. A crash leaves at most hidden `.NAME.PID.partial` files behind.
fn write_files(out: &Path, bytes: &[u8], sidecar: Option<(&Path, &[u8])>) -> Result<()> {
    let tmp = |p: &Path| {
        let dir = p.parent().filter(|d| !d.as_os_str().is_empty());
        let name = format!(".{}.{}.partial", file_name(p), std::process::id());
        dir.map_or_else(|| PathBuf::from(&name), |d| d.join(&name))
    };
    let mut written: Vec<PathBuf> = Vec::new();
    let result = (|| {
        let mut files: Vec<(&Path, &[u8])> = vec![(out, bytes)];
        files.extend(sidecar);
        let mut pending = Vec::new();
        for (path, data) in files {
            let t = tmp(path);
            written.push(t.clone());
            let mut f = std::fs::File::create(&t).map_err(|e| Error::io(path, e))?;
            f.write_all(data)
                .and_then(|_| f.sync_all())
                .map_err(|e| Error::io(path, e))?;
            pending.push((t, path.to_path_buf()));
        }
        // The sidecar goes into place first: a report file, once it appears, has its manifest.
        for (t, path) in pending.into_iter().rev() {
            std::fs::rename(&t, &path).map_err(|e| Error::io(&path, e))?;
        }
        Ok(())
    })();
    if result.is_err() {
        for t in written {
            let _ = std::fs::remove_file(t);
        }
    }
    result
}

/// One thing `verify` checked.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Check {
    pub ok: bool,
    /// What was checked and what was found, in words.
    pub message: String,
}

/// The outcome of checking a report.
#[derive(Debug, Clone, Serialize)]
pub struct Verification {
    pub report: PathBuf,
    /// Where the manifest was read from (the report itself, or its sidecar).
    pub manifest_path: Option<PathBuf>,
    pub manifest: Option<Manifest>,
    pub checks: Vec<Check>,
}

impl Verification {
    pub fn ok(&self) -> bool {
        !self.checks.is_empty() && self.checks.iter().all(|c| c.ok)
    }
}

/// Where a report's manifest is, and what content it covers.
struct Located {
    report: PathBuf,
    manifest_path: PathBuf,
    manifest: std::result::Result<Manifest, String>,
    format: Format,
    content_sha256: String,
}

fn locate(path: &Path) -> Result<Located> {
    // Given the sidecar itself: the report is beside it.
    let as_text = path.to_string_lossy();
    if let Some(report) = as_text.strip_suffix(".manifest.json") {
        if Path::new(report).exists() {
            return locate(Path::new(report));
        }
    }
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let sniffed = if bytes.starts_with(b"%PDF-") {
        Format::Pdf
    } else if bytes.starts_with(b"<!DOCTYPE html") || bytes.starts_with(b"<html") {
        let (manifest, content) = match memchr::memmem::rfind(&bytes, HTML_MARKER.as_bytes()) {
            Some(at) => (
                std::str::from_utf8(&bytes[at + HTML_MARKER.len()..])
                    .ok()
                    .and_then(|t| t.strip_suffix(HTML_END))
                    .ok_or_else(|| {
                        "the manifest comment at the end of the file is damaged".to_string()
                    })
                    .and_then(|t| {
                        serde_json::from_str::<Manifest>(t)
                            .map_err(|e| format!("the manifest comment is not a manifest ({e})"))
                    }),
                sha(&bytes[..at]),
            ),
            None => (
                Err("no manifest: an HTML report carries it in a comment after </html>, and this file has none".to_string()),
                sha(&bytes),
            ),
        };
        return Ok(Located {
            report: path.to_path_buf(),
            manifest_path: path.to_path_buf(),
            manifest,
            format: Format::Html,
            content_sha256: content,
        });
    } else if bytes.trim_ascii_start().starts_with(b"{") {
        #[derive(Deserialize)]
        struct Wrapped<'a> {
            #[serde(borrow)]
            report: &'a serde_json::value::RawValue,
            manifest: Manifest,
        }
        let parsed = serde_json::from_slice::<Wrapped<'_>>(&bytes);
        let (manifest, content) = match parsed {
            Ok(w) => (Ok(w.manifest), sha(w.report.get().as_bytes())),
            Err(e) => (
                Err(format!(
                    "the file is not a JSON report with a manifest ({e})"
                )),
                sha(&bytes),
            ),
        };
        return Ok(Located {
            report: path.to_path_buf(),
            manifest_path: path.to_path_buf(),
            manifest,
            format: Format::Json,
            content_sha256: content,
        });
    } else {
        Format::Csv
    };
    let sidecar = sidecar_path(path);
    let manifest = match std::fs::read(&sidecar) {
        Ok(m) => serde_json::from_slice::<Manifest>(&m)
            .map_err(|e| format!("{}: not a report manifest ({e})", sidecar.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(format!(
            "no manifest: a {} report's manifest is the file {} beside it",
            sniffed.as_str().to_uppercase(),
            sidecar.display()
        )),
        Err(e) => return Err(Error::io(&sidecar, e)),
    };
    Ok(Located {
        report: path.to_path_buf(),
        manifest_path: sidecar,
        manifest,
        format: sniffed,
        content_sha256: sha(&bytes),
    })
}

/// Checks the report at `path` against its manifest: its content hash, its signature (and that
/// it was signed with `public_key` when one is given), and, with `audit`, that the audit's data
/// is still what the report was built from. Every difference is named.
pub fn verify(path: &Path, audit: Option<&Path>, public_key: Option<&str>) -> Result<Verification> {
    let located = locate(path)?;
    let mut checks = Vec::new();
    let fail = |message: String| Check { ok: false, message };
    let manifest = match located.manifest {
        Ok(m) => m,
        Err(e) => {
            checks.push(fail(e));
            return Ok(Verification {
                report: located.report,
                manifest_path: Some(located.manifest_path),
                manifest: None,
                checks,
            });
        }
    };
    if manifest.manifest != MANIFEST || manifest.version != 1 {
        checks.push(fail(format!(
            "the manifest is '{}' version {}, not a {MANIFEST} version 1",
            manifest.manifest, manifest.version
        )));
    }
    if manifest.report.format != located.format {
        checks.push(fail(format!(
            "the manifest is for a {} report, but the file is {}",
            manifest.report.format.as_str().to_uppercase(),
            located.format.as_str().to_uppercase()
        )));
    }
    checks.push(
        if located.content_sha256 == manifest.report.content_sha256 {
            Check {
                ok: true,
                message: format!(
                    "content: SHA-256 {} matches the manifest",
                    located.content_sha256
                ),
            }
        } else {
            fail(format!(
            "content: the report was changed after it was made (SHA-256 {}, the manifest says {})",
            located.content_sha256, manifest.report.content_sha256
        ))
        },
    );

    match (&manifest.signature, public_key) {
        (None, None) => {}
        (None, Some(_)) => checks.push(fail(
            "signature: the report is not signed, but a public key was given".into(),
        )),
        (Some(sig), expected) => {
            checks.push(check_signature(&manifest, sig));
            if let Some(expected) = expected {
                checks.push(if expected.eq_ignore_ascii_case(&sig.public_key) {
                    Check {
                        ok: true,
                        message: "signer: the report was signed with the given public key".into(),
                    }
                } else {
                    fail(format!(
                        "signer: the report was signed with key {}, not with the given key {expected}",
                        sig.public_key
                    ))
                });
            }
        }
    }

    if let Some(audit_path) = audit {
        let opened = Audit::open(audit_path)?;
        let now = audit_digest(&opened)?;
        checks.extend(compare_digests(&manifest.audit.digest(), &now, audit_path));
    }
    Ok(Verification {
        report: located.report,
        manifest_path: Some(located.manifest_path),
        manifest: Some(manifest),
        checks,
    })
}

fn check_signature(manifest: &Manifest, sig: &SignatureEntry) -> Check {
    let bad = |why: &str| Check {
        ok: false,
        message: format!("signature: {why}"),
    };
    if sig.algorithm != "ed25519" {
        return bad(&format!("unknown algorithm '{}'", sig.algorithm));
    }
    let Some(key) = unhex(&sig.public_key)
        .and_then(|b| <[u8; 32]>::try_from(b).ok())
        .and_then(|b| ed25519_dalek::VerifyingKey::from_bytes(&b).ok())
    else {
        return bad("the public key is not an ed25519 key");
    };
    let Some(value) = unhex(&sig.value).and_then(|b| <[u8; 64]>::try_from(b).ok()) else {
        return bad("the signature is not 64 bytes of hex");
    };
    let signature = ed25519_dalek::Signature::from_bytes(&value);
    match key.verify(manifest.signed_statement().as_bytes(), &signature) {
        Ok(()) => Check {
            ok: true,
            message: format!(
                "signature: valid ed25519 signature by key {}",
                sig.public_key
            ),
        },
        Err(_) => bad("does not match the manifest (the manifest was changed after signing)"),
    }
}

fn compare_digests(was: &AuditDigest, now: &AuditDigest, audit: &Path) -> Vec<Check> {
    if was.sha256 == now.sha256 && was.parts == now.parts {
        return vec![Check {
            ok: true,
            message: format!(
                "audit: {} holds the data the report was built from (SHA-256 {})",
                audit.display(),
                now.sha256
            ),
        }];
    }
    let mut checks = Vec::new();
    for (part, words) in PARTS {
        if was.parts.get(*part) != now.parts.get(*part) {
            let mut message = format!(
                "audit: {words} in {} changed since the report was made",
                audit.display()
            );
            let per_clause = match *part {
                "assessments" => Some((&was.clause_assessments, &now.clause_assessments)),
                "findings" => Some((&was.clause_findings, &now.clause_findings)),
                _ => None,
            };
            if let Some((was, now)) = per_clause {
                let changed: std::collections::BTreeSet<&str> = was
                    .keys()
                    .chain(now.keys())
                    .filter(|k| was.get(*k) != now.get(*k))
                    .map(String::as_str)
                    .collect();
                if !changed.is_empty() {
                    let list: Vec<&str> = changed.into_iter().collect();
                    message.push_str(&format!(
                        " ({} {})",
                        if list.len() == 1 { "clause" } else { "clauses" },
                        list.join(", ")
                    ));
                }
            }
            checks.push(Check { ok: false, message });
        }
    }
    if checks.is_empty() {
        checks.push(Check {
            ok: false,
            message: format!(
                "audit: the audit data digest differs (SHA-256 {}, the report says {})",
                now.sha256, was.sha256
            ),
        });
    }
    checks
}
