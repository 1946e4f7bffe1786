//! The `clausewise` command line (spec/cli.md): every job the app does, headless.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand};
use serde_json::json;

use crate::audit::{AssessmentUpdate, Audit, AuditType, NewAudit};
use crate::checklist::Checklist;
use crate::error::{Error, Result};
use crate::grade::Grade;
use crate::import::{self, ImportOptions, Kind};

#[derive(Parser)]
#[command(name = "clausewise", version, about = "Contact-centre certification audits", long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create a new audit file.
    New(NewArgs),
    /// Show an audit's details and progress.
    Info {
        audit: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Print and validate a checklist (built-in id or TOML file; default: the built-in one).
    Checklist {
        checklist: Option<String>,
        #[arg(long)]
        json: bool,
        /// Language of the printed text.
        #[arg(long, default_value = "en")]
        lang: String,
    },
    /// Record the grade of a clause.
    Grade {
        audit: PathBuf,
        clause: String,
        /// conforming, observation, ofi, minor, major, na or not-assessed.
        #[arg(value_parser = parse_grade)]
        grade: Grade,
        #[arg(long)]
        note: Option<String>,
        /// Justification (required for na).
        #[arg(long)]
        reason: Option<String>,
    },
    /// Import a file of call or complaint records.
    Import {
        audit: PathBuf,
        /// calls or complaints.
        #[arg(value_parser = parse_kind)]
        kind: Kind,
        file: PathBuf,
        /// A built-in preset (default: detected from the file).
        #[arg(long, conflicts_with = "mapping")]
        preset: Option<String>,
        /// A mapping TOML file for any other layout (docs/mapping.md).
        #[arg(long)]
        mapping: Option<PathBuf>,
        /// Import a file again that was imported before.
        #[arg(long)]
        replace: bool,
        /// Force the encoding (utf-8, utf-16le, windows-1254, iso-8859-9, windows-1252, …).
        #[arg(long)]
        encoding: Option<String>,
        /// Force the delimiter: , ; | or tab.
        #[arg(long)]
        delimiter: Option<String>,
        /// UTC offset of times written without one, e.g. +03:00.
        #[arg(long, allow_hyphen_values = true)]
        utc_offset: Option<String>,
        /// The file has no header row: a mapping names its columns `column 1`, `column 2`, …
        #[arg(long)]
        no_header: bool,
        #[arg(long)]
        json: bool,
    },
    /// List the imports of an audit (file, size, SHA-256, preset, counts, time).
    Imports {
        audit: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Write the rows an import rejected as CSV (line, column, reason, then the row's fields).
    Rejected {
        audit: PathBuf,
        /// The import's id (see `clausewise imports`).
        import_id: i64,
        /// The CSV file to write (default: standard output).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Write synthetic canonical records for trials and benchmarks.
    DemoData {
        #[arg(value_parser = parse_kind)]
        kind: Kind,
        count: u64,
        #[arg(long)]
        out: PathBuf,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Build the demo audit.
    Demo {
        /// Folder to write demo.ccaudit into.
        #[arg(long, default_value = ".")]
        out: PathBuf,
    },
}

#[derive(Args)]
struct NewArgs {
    audit: PathBuf,
    /// Built-in checklist id or a checklist TOML file.
    #[arg(long)]
    checklist: Option<String>,
    /// The audited organisation.
    #[arg(long)]
    org: String,
    #[arg(long)]
    site: Option<String>,
    #[arg(long)]
    scope: Option<String>,
    /// Channels in scope, comma separated (voice, chat, email, social, …).
    #[arg(long, value_delimiter = ',')]
    channels: Vec<String>,
    /// An auditor's name; repeat for a team.
    #[arg(long = "auditor")]
    auditors: Vec<String>,
    #[arg(long = "type", value_parser = parse_type, default_value = "stage2")]
    audit_type: AuditType,
    /// First day of the audit (YYYY-MM-DD).
    #[arg(long)]
    start: Option<NaiveDate>,
    /// Last day of the audit (YYYY-MM-DD).
    #[arg(long)]
    end: Option<NaiveDate>,
}

fn parse_grade(s: &str) -> std::result::Result<Grade, String> {
    Grade::parse(s).ok_or_else(|| {
        let all: Vec<_> = Grade::ALL.iter().map(|g| g.as_str()).collect();
        format!("unknown grade '{s}'; use one of {}", all.join(", "))
    })
}

fn parse_kind(s: &str) -> std::result::Result<Kind, String> {
    Kind::parse(s).ok_or_else(|| format!("'{s}' is not calls or complaints"))
}

fn parse_type(s: &str) -> std::result::Result<AuditType, String> {
    AuditType::parse(s).ok_or_else(|| {
        let all: Vec<_> = AuditType::ALL.iter().map(|t| t.as_str()).collect();
        format!("unknown audit type '{s}'; use one of {}", all.join(", "))
    })
}

/// Runs the command line and returns the process exit status.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli.command) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            for line in e.to_string().lines() {
                eprintln!("clausewise: {line}");
            }
            ExitCode::from(2)
        }
    }
}

fn print_json(value: &serde_json::Value) -> Result<u8> {
    let mut out = std::io::stdout().lock();
    match serde_json::to_writer_pretty(&mut out, value)
        .map_err(std::io::Error::from)
        .and_then(|_| writeln!(out))
    {
        // A reader that stopped early (`| head`) is not an error.
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Error::io("<stdout>", e)),
        _ => Ok(0),
    }
}

fn run(command: Command) -> Result<u8> {
    match command {
        Command::New(a) => {
            let checklist = Checklist::resolve(a.checklist.as_deref())?;
            let details = NewAudit {
                organisation: a.org,
                site: a.site,
                scope: a.scope,
                channels: a.channels,
                audit_type: a.audit_type,
                auditors: a.auditors,
                start_date: a.start,
                end_date: a.end,
            };
            let audit = Audit::create(&a.audit, &details, &checklist)?;
            println!(
                "Created {} ({} clauses, checklist {} {})",
                audit.path().display(),
                checklist.clauses.len(),
                checklist.id,
                checklist.version
            );
            Ok(0)
        }
        Command::Info { audit, json } => info(&audit, json),
        Command::Checklist {
            checklist,
            json,
            lang,
        } => print_checklist(&Checklist::resolve(checklist.as_deref())?, json, &lang),
        Command::Grade {
            audit,
            clause,
            grade,
            note,
            reason,
        } => {
            let mut audit = Audit::open(&audit)?;
            let stored = audit.update_assessment(
                &clause,
                AssessmentUpdate {
                    grade: Some(grade),
                    note,
                    reason,
                },
            )?;
            println!("{}: {}", stored.clause_id, stored.grade.label());
            Ok(0)
        }
        Command::Import {
            audit,
            kind,
            file,
            preset,
            mapping,
            replace,
            encoding,
            delimiter,
            utc_offset,
            no_header,
            json,
        } => {
            let mut audit = Audit::open(&audit)?;
            let mut options = ImportOptions::new(kind);
            options.preset = preset;
            options.mapping = mapping;
            options.replace = replace;
            options.source.encoding = encoding;
            options.source.delimiter = delimiter;
            options.utc_offset = utc_offset;
            if no_header {
                options.header = Some(false);
            }
            let report = import::import_file(&mut audit, &file, &options, &mut |_| true)?;
            print_import(&report, json)
        }
        Command::Imports { audit, json } => imports(&audit, json),
        Command::Rejected {
            audit,
            import_id,
            out,
        } => {
            let audit = Audit::open(&audit)?;
            match out {
                Some(out) => {
                    let n = import::log::export_rejected(&audit, import_id, &out)?;
                    println!(
                        "Wrote {n} rejected rows of import {import_id} to {}",
                        out.display()
                    );
                }
                None => {
                    let mut stdout = std::io::stdout().lock();
                    import::log::write_rejected_csv(&audit, import_id, &mut stdout)?;
                }
            }
            Ok(0)
        }
        Command::DemoData {
            kind,
            count,
            out,
            seed,
        } => {
            let mut f = std::fs::File::create(&out).map_err(|e| Error::io(&out, e))?;
            match kind {
                Kind::Calls => crate::demo_data::write_contacts(&mut f, count, seed),
                Kind::Complaints => crate::demo_data::write_complaints(&mut f, count, seed),
            }
            .map_err(|e| Error::io(&out, e))?;
            println!("Wrote {count} {} to {}", kind.as_str(), out.display());
            Ok(0)
        }
        Command::Demo { out } => {
            let path = crate::demo::build(&out)?;
            println!("Built the demo audit: {}", path.display());
            Ok(0)
        }
    }
}

fn info(path: &Path, as_json: bool) -> Result<u8> {
    let audit = Audit::open(path)?;
    let meta = audit.meta()?;
    let progress = audit.progress()?;
    if as_json {
        return print_json(&json!({
            "path": path.display().to_string(),
            "meta": meta,
            "progress": progress,
            "assessed": progress.iter().map(|p| p.assessed).sum::<u32>(),
            "total": progress.iter().map(|p| p.total).sum::<u32>(),
        }));
    }
    let d = &meta.details;
    let or_dash = |s: &Option<String>| s.clone().unwrap_or_else(|| "-".into());
    let dates = match (d.start_date, d.end_date) {
        (Some(s), Some(e)) => format!("{s} to {e}"),
        (Some(s), None) => s.to_string(),
        _ => "-".into(),
    };
    println!("Audit file:    {}", path.display());
    println!("Organisation:  {}", d.organisation);
    println!("Site:          {}", or_dash(&d.site));
    println!("Scope:         {}", or_dash(&d.scope));
    println!("Channels:      {}", d.channels.join(", "));
    println!("Type:          {}", d.audit_type.label());
    println!("Auditors:      {}", d.auditors.join(", "));
    println!("Dates:         {dates}");
    println!(
        "Checklist:     {} {} (sha256 {})",
        meta.checklist_id, meta.checklist_version, meta.checklist_sha256
    );
    println!("Created:       {}", meta.created_at);
    println!("Progress:");
    let checklist = audit.checklist();
    for p in &progress {
        let title = checklist
            .sections
            .iter()
            .find(|s| s.id == p.section)
            .map(|s| checklist.text(&s.title, "en"))
            .unwrap_or("");
        println!(
            "  {:<4} {:<40} {:>3} / {}",
            p.section, title, p.assessed, p.total
        );
    }
    Ok(0)
}

fn imports(path: &Path, as_json: bool) -> Result<u8> {
    let audit = Audit::open(path)?;
    let list = import::log::imports(&audit)?;
    if as_json {
        return print_json(&json!({ "imports": list }));
    }
    if list.is_empty() {
        println!("{}: no imports yet", path.display());
    }
    for i in &list {
        println!(
            "{:>4}  {}  {:<10} {} ({} bytes, sha256 {})",
            i.id,
            i.imported_at,
            i.kind.as_str(),
            i.file_name,
            i.file_size,
            i.sha256
        );
        println!(
            "      preset {}; {} rows read: {} accepted, {} rejected, {} skipped; {} records",
            i.preset, i.rows_read, i.accepted, i.rejected, i.skipped, i.records
        );
    }
    Ok(0)
}

fn print_checklist(c: &Checklist, as_json: bool, lang: &str) -> Result<u8> {
    if !c.languages.iter().any(|l| l == lang) {
        return Err(Error::Invalid(format!(
            "checklist {} has no '{lang}' text; it has {}",
            c.id,
            c.languages.join(", ")
        )));
    }
    let t = |text| c.text(text, lang).to_string();
    if as_json {
        let sections: Vec<_> = c
            .sections
            .iter()
            .map(|s| json!({"id": s.id, "parent": s.parent, "title": t(&s.title)}))
            .collect();
        let clauses: Vec<_> = c
            .clauses
            .iter()
            .map(|cl| {
                json!({
                    "id": cl.id,
                    "section": cl.section,
                    "title": t(&cl.title),
                    "requirement": t(&cl.requirement),
                    "guidance": t(&cl.guidance),
                    "methods": cl.methods,
                    "evidence": cl.evidence.get(lang).cloned().unwrap_or_default(),
                    "weight": cl.weight,
                    "mandatory": cl.mandatory,
                    "refs": cl.refs,
                    "metrics": cl.metrics,
                })
            })
            .collect();
        return print_json(&json!({
            "id": c.id,
            "version": c.version,
            "sha256": c.sha256,
            "language": lang,
            "languages": c.languages,
            "title": t(&c.title),
            "parameters": c.parameters,
            "sections": sections,
            "clauses": clauses,
        }));
    }
    println!("{} {} — {}", c.id, c.version, t(&c.title));
    for s in &c.sections {
        let indent = if s.parent.is_some() { "  " } else { "" };
        println!("{indent}{} {}", s.id, t(&s.title));
        for cl in c.clauses.iter().filter(|cl| cl.section == s.id) {
            let metrics: Vec<_> = cl.metrics.iter().map(|m| m.id.as_str()).collect();
            let metrics = if metrics.is_empty() {
                String::new()
            } else {
                format!("  [{}]", metrics.join(", "))
            };
            println!("{indent}  {} {}{metrics}", cl.id, t(&cl.title));
        }
    }
    println!(
        "{} sections, {} clauses; sha256 {}; valid",
        c.sections.len(),
        c.clauses.len(),
        c.sha256
    );
    Ok(0)
}

fn print_import(r: &import::ImportReport, as_json: bool) -> Result<u8> {
    let code = if r.rejected > 0 { 1 } else { 0 };
    if as_json {
        print_json(&json!({
            "kind": r.kind,
            "file": r.file,
            "sha256": r.sha256,
            "preset": r.preset,
            "rows_read": r.rows_read,
            "accepted": r.accepted,
            "rejected": r.rejected,
            "skipped": r.skipped,
            "errors": r.errors,
            "records": r.records,
            "errors_total": r.errors_total,
            "import_id": r.import_id,
            "detected": r.detected,
            "duration_ms": r.duration_ms,
        }))?;
        return Ok(code);
    }
    println!(
        "Imported {} as {} (preset {}; {}, delimiter {}, {} line ends)",
        r.file,
        r.kind.as_str(),
        r.preset,
        r.detected.encoding,
        r.detected.delimiter,
        r.detected.line_ends
    );
    println!(
        "{} rows read: {} accepted, {} rejected, {} skipped; {} records stored in {} ms",
        r.rows_read, r.accepted, r.rejected, r.skipped, r.records, r.duration_ms
    );
    for e in &r.errors {
        eprintln!(
            "clausewise: {}: line {}, column {}: {}",
            r.file, e.line, e.column, e.reason
        );
    }
    if r.errors_total > r.errors.len() as u64 {
        eprintln!(
            "clausewise: {}: {} more row errors are kept in the audit file",
            r.file,
            r.errors_total - r.errors.len() as u64
        );
    }
    Ok(code)
}
