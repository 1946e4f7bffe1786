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
use crate::evidence::{Evidence, MetricResult};
use crate::findings::{ActionStatus, FindingUpdate};
use crate::grade::Grade;
use crate::import::{self, ImportOptions, Kind};
use crate::metric::Unit;
use crate::sampling::{SampleRequest, SizeRule, Stratum};
use crate::settings::SettingChange;

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
        /// Force the quote character: \" (default), ' or none.
        #[arg(long)]
        quote: Option<String>,
        /// What ends a row: auto (default: CR LF, LF or a lone CR), lf, crlf or cr; the other
        /// line-end bytes are then part of their field.
        #[arg(long, value_name = "auto|lf|crlf|cr")]
        line_ends: Option<String>,
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
    /// Compute every metric from the imported records.
    Metrics {
        audit: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Clause, section and overall scores and the readiness decision.
    Score {
        audit: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// How long offered contacts waited in the queue and complaints took to resolve, in
    /// buckets cut at T and D.
    Distributions {
        audit: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Draw a reproducible sample of contacts for QA listening and write the sheet.
    Sample(SampleArgs),
    /// Show the audit's settings, or change them (`--set service_level_seconds=30`,
    /// `--set target.service_level=85%`; an empty value restores the default).
    Settings {
        audit: PathBuf,
        #[arg(long = "set", value_name = "KEY=VALUE")]
        set: Vec<String>,
        #[arg(long)]
        json: bool,
    },
    /// List the findings and corrective actions.
    Findings {
        audit: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Add a finding to a clause (`--clause`) or change finding ID's corrective action.
    Finding(FindingArgs),
    /// Attach files to a clause as evidence (stored inside the audit file with their SHA-256),
    /// or with `--interview TITLE` add an interview note whose text is read from FILE or `-`.
    Attach {
        audit: PathBuf,
        clause: String,
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Add an interview note with this title instead of attaching files.
        #[arg(long, value_name = "TITLE")]
        interview: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// List the evidence attached to the clauses (one clause with `--clause`).
    Attachments {
        audit: PathBuf,
        #[arg(long)]
        clause: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Write attachment ID into a folder under a safe file name (checked against its SHA-256).
    Extract {
        audit: PathBuf,
        id: i64,
        /// The folder to write into.
        #[arg(long, default_value = ".")]
        to: PathBuf,
    },
    /// Remove attachment ID from the audit file (its removal is kept in the history).
    Detach {
        audit: PathBuf,
        id: i64,
        /// Confirms the removal.
        #[arg(long)]
        yes: bool,
    },
    /// Remove the personal data an audit holds: customer pseudonyms, stored copies of rejected
    /// rows and the pseudonymisation key. Cannot be undone.
    Purge {
        audit: PathBuf,
        /// Confirms the purge.
        #[arg(long)]
        yes: bool,
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
    /// Write the readiness report (PDF, HTML, JSON, or the findings as CSV) with its manifest.
    Report(ReportArgs),
    /// Check a report against its manifest (and, with --audit, against the audit file).
    Verify {
        report: PathBuf,
        #[arg(long)]
        audit: Option<PathBuf>,
        /// Require a signature by this public key (a `keygen` .pub file).
        #[arg(long)]
        key: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// Create an ed25519 key for signing reports (KEY, and its public half KEY.pub).
    Keygen {
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Args)]
struct ReportArgs {
    audit: PathBuf,
    /// pdf, html, json or csv.
    #[arg(long, value_parser = parse_format)]
    format: crate::report::Format,
    /// en or tr.
    #[arg(long, value_parser = parse_lang, default_value = "en")]
    lang: crate::report::Lang,
    #[arg(long)]
    out: PathBuf,
    /// Sign the manifest with this key (from `keygen`).
    #[arg(long)]
    sign: Option<PathBuf>,
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

#[derive(Args)]
struct SampleArgs {
    audit: PathBuf,
    /// The listening sheet to write (CSV).
    #[arg(long)]
    out: PathBuf,
    /// A sample size chosen by the auditor.
    #[arg(long, conflicts_with_all = ["confidence", "tolerable", "margin"])]
    size: Option<u64>,
    /// Confidence (0.95 or 95%) for zero-defect sampling (with --tolerable) or estimation
    /// (with --margin).
    #[arg(long, value_parser = parse_fraction)]
    confidence: Option<f64>,
    /// Tolerable deviation rate (e.g. 5%): zero-defect attribute sampling.
    #[arg(long, value_parser = parse_fraction, conflicts_with = "margin")]
    tolerable: Option<f64>,
    /// Margin of error (e.g. 5%) for estimating a rate, with finite-population correction.
    #[arg(long, value_parser = parse_fraction)]
    margin: Option<f64>,
    #[arg(long)]
    seed: u64,
    /// Stratify by channel, queue, month and/or weekday (comma separated).
    #[arg(long, value_delimiter = ',', value_parser = parse_stratum)]
    strata: Vec<Stratum>,
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
struct FindingArgs {
    audit: PathBuf,
    /// The finding to change (see `findings`).
    #[arg(required_unless_present = "clause")]
    id: Option<i64>,
    /// Add a new finding to this clause instead.
    #[arg(long, conflicts_with = "id")]
    clause: Option<String>,
    /// minor or major.
    #[arg(long, value_parser = parse_grade)]
    grade: Option<Grade>,
    #[arg(long)]
    statement: Option<String>,
    #[arg(long)]
    evidence: Option<String>,
    #[arg(long)]
    cause: Option<String>,
    #[arg(long)]
    action: Option<String>,
    #[arg(long)]
    owner: Option<String>,
    /// Due date YYYY-MM-DD.
    #[arg(long)]
    due: Option<String>,
    /// open, in_progress, done or verified.
    #[arg(long, value_parser = parse_status)]
    status: Option<ActionStatus>,
}

fn parse_fraction(s: &str) -> std::result::Result<f64, String> {
    let (number, percent) = match s.trim().strip_suffix('%') {
        Some(n) => (n.trim(), true),
        None => (s.trim(), false),
    };
    let v: f64 = number
        .parse()
        .map_err(|_| format!("'{s}' is not a number"))?;
    let v = if percent || v > 1.0 { v / 100.0 } else { v };
    if v > 0.0 && v < 1.0 {
        Ok(v)
    } else {
        Err(format!("'{s}' is not between 0 and 100 %"))
    }
}

fn parse_stratum(s: &str) -> std::result::Result<Stratum, String> {
    Stratum::parse(s)
        .ok_or_else(|| format!("unknown stratum '{s}'; use channel, queue, month or weekday"))
}

fn parse_status(s: &str) -> std::result::Result<ActionStatus, String> {
    ActionStatus::parse(s)
        .ok_or_else(|| format!("unknown status '{s}'; use open, in_progress, done or verified"))
}

fn parse_grade(s: &str) -> std::result::Result<Grade, String> {
    Grade::parse(s).ok_or_else(|| {
        let all: Vec<_> = Grade::ALL.iter().map(|g| g.as_str()).collect();
        format!("unknown grade '{s}'; use one of {}", all.join(", "))
    })
}

fn parse_format(s: &str) -> std::result::Result<crate::report::Format, String> {
    crate::report::Format::parse(s)
        .ok_or_else(|| format!("unknown format '{s}'; use pdf, html, json or csv"))
}

fn parse_lang(s: &str) -> std::result::Result<crate::report::Lang, String> {
    crate::report::Lang::parse(s).ok_or_else(|| format!("unknown language '{s}'; use en or tr"))
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

/// The UTF-8 text of `path`, or of standard input for `-`.
fn read_text(path: &Path) -> Result<String> {
    let mut bytes = Vec::new();
    if path == Path::new("-") {
        std::io::Read::read_to_end(&mut std::io::stdin().lock(), &mut bytes)
            .map_err(|e| Error::io("standard input", e))?;
    } else {
        bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    }
    String::from_utf8(bytes).map_err(|e| {
        Error::Invalid(format!(
            "{}: not UTF-8 text (invalid byte at offset {})",
            path.display(),
            e.utf8_error().valid_up_to()
        ))
    })
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
            match stored.suggested {
                Some(s) if s != stored.grade => println!(
                    "{}: {} (the evidence suggests {})",
                    stored.clause_id,
                    stored.grade.label(),
                    s.label()
                ),
                _ => println!("{}: {}", stored.clause_id, stored.grade.label()),
            }
            Ok(0)
        }
        Command::Metrics { audit, json } => {
            let audit = Audit::open(&audit)?;
            print_metrics(audit.evidence()?.as_ref(), json)
        }
        Command::Score { audit, json } => {
            let audit = Audit::open(&audit)?;
            print_score(&audit.scorecard()?, json)
        }
        Command::Distributions { audit, json } => {
            let audit = Audit::open(&audit)?;
            print_distributions(&crate::distribution::compute(&audit)?, json)
        }
        Command::Sample(a) => {
            let rule = match (a.size, a.confidence, a.tolerable, a.margin) {
                (Some(size), None, None, None) => SizeRule::Fixed { size },
                (None, Some(confidence), Some(tolerable), None) => SizeRule::ZeroDefect {
                    confidence,
                    tolerable,
                },
                (None, Some(confidence), None, Some(margin)) => {
                    SizeRule::Estimate { confidence, margin }
                }
                _ => {
                    return Err(Error::Invalid(
                        "sample: give --size N, or --confidence C with --tolerable P, or --confidence C with --margin E".into(),
                    ))
                }
            };
            let mut audit = Audit::open(&a.audit)?;
            let request = SampleRequest {
                rule,
                seed: a.seed,
                strata: a.strata,
            };
            let sample = crate::sampling::draw(&mut audit, &request, &a.out)?;
            if a.json {
                return print_json(&serde_json::to_value(&sample).expect("a sample serialises"));
            }
            println!(
                "Drew {} of {} contacts (seed {}; {}) into {}",
                sample.size,
                sample.population,
                sample.seed,
                sample.method,
                a.out.display()
            );
            for s in &sample.allocation {
                println!("  {}: {} of {}", s.stratum, s.drawn, s.population);
            }
            Ok(0)
        }
        Command::Settings { audit, set, json } => {
            let mut audit = Audit::open(&audit)?;
            let mut settings = audit.settings()?;
            for pair in set {
                let (key, value) = pair.split_once('=').ok_or_else(|| {
                    Error::Invalid(format!("settings: '{pair}' is not KEY=VALUE"))
                })?;
                settings = audit.set_setting(&SettingChange {
                    key: key.into(),
                    value: value.into(),
                })?;
            }
            if json {
                return print_json(&serde_json::to_value(&settings).expect("settings serialise"));
            }
            let params = serde_json::to_value(&settings.parameters).expect("parameters serialise");
            for (k, v) in params.as_object().into_iter().flatten() {
                let mark = if settings.changed.contains(k) {
                    " (changed)"
                } else {
                    ""
                };
                println!("{k} = {v}{mark}");
            }
            for (id, t) in &settings.targets {
                if let Some(v) = t.value {
                    let mark = if t.changed { " (changed)" } else { "" };
                    println!(
                        "target.{id} {} {}{mark}",
                        comparator_text(t.comparator),
                        target_text(id, v)
                    );
                }
            }
            Ok(0)
        }
        Command::Findings { audit, json } => {
            let audit = Audit::open(&audit)?;
            let findings = audit.findings()?;
            if json {
                return print_json(&json!({ "findings": findings }));
            }
            for f in &findings {
                println!(
                    "#{} {} {}{}: {}",
                    f.id,
                    f.clause_id,
                    f.grade.label(),
                    if f.active { "" } else { " (clause regraded)" },
                    if f.statement.is_empty() {
                        "(no statement)"
                    } else {
                        &f.statement
                    }
                );
                println!(
                    "    action: {} | owner: {} | due: {} | {}{}",
                    if f.action.is_empty() { "-" } else { &f.action },
                    if f.owner.is_empty() { "-" } else { &f.owner },
                    f.due_date
                        .map(|d| d.to_string())
                        .unwrap_or_else(|| "-".into()),
                    f.status.as_str(),
                    if f.planned { "" } else { " (no plan yet)" }
                );
            }
            Ok(0)
        }
        Command::Finding(a) => {
            let mut audit = Audit::open(&a.audit)?;
            let id = match (&a.clause, a.id) {
                (Some(clause), _) => {
                    audit
                        .add_finding(clause, a.grade.unwrap_or(Grade::Minor))?
                        .id
                }
                (None, Some(id)) => id,
                (None, None) => unreachable!("clap requires an id or --clause"),
            };
            let f = audit.update_finding(
                id,
                FindingUpdate {
                    grade: a.grade,
                    statement: a.statement,
                    evidence: a.evidence,
                    requirement: None,
                    cause: a.cause,
                    action: a.action,
                    owner: a.owner,
                    due_date: a.due,
                    status: a.status,
                },
            )?;
            println!(
                "Finding #{} on {}: {}{}",
                f.id,
                f.clause_id,
                f.grade.label(),
                if f.planned {
                    ", corrective action planned"
                } else {
                    ", no corrective-action plan yet"
                }
            );
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
            quote,
            line_ends,
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
            options.source.quote = quote;
            options.source.line_ends = line_ends;
            options.utc_offset = utc_offset;
            if no_header {
                options.header = Some(false);
            }
            let report = import::import_file(&mut audit, &file, &options, &mut |_| true)?;
            print_import(&report, json)
        }
        Command::Attach {
            audit,
            clause,
            files,
            interview,
            json,
        } => {
            let mut audit = Audit::open(&audit)?;
            let added = match interview {
                Some(title) => {
                    if files.len() != 1 {
                        return Err(Error::Invalid(
                            "an interview note takes its text from one file (or - for standard input)".into(),
                        ));
                    }
                    let text = read_text(&files[0])?;
                    vec![audit.add_interview(&clause, &title, &text)?]
                }
                None => files
                    .iter()
                    .map(|f| audit.attach_file(&clause, f))
                    .collect::<Result<Vec<_>>>()?,
            };
            if json {
                return print_json(&json!({ "attachments": added }));
            }
            for a in &added {
                println!(
                    "Attached #{} to {}: {} ({}, {} bytes, SHA-256 {})",
                    a.id, a.clause_id, a.name, a.media_type, a.size, a.sha256
                );
            }
            Ok(0)
        }
        Command::Attachments {
            audit,
            clause,
            json,
        } => {
            let audit = Audit::open(&audit)?;
            if let Some(c) = &clause {
                audit.known_clause(c)?;
            }
            let list = audit.attachments(clause.as_deref())?;
            if json {
                return print_json(&json!({ "attachments": list }));
            }
            for a in &list {
                println!(
                    "#{} {} {} {:?} {} {} bytes SHA-256 {} added {}",
                    a.id,
                    a.clause_id,
                    a.kind.as_str(),
                    a.name,
                    a.media_type,
                    a.size,
                    a.sha256,
                    a.added_at
                );
            }
            Ok(0)
        }
        Command::Extract { audit, id, to } => {
            let audit = Audit::open(&audit)?;
            let written = audit.export_attachment(id, &to)?;
            println!("Wrote attachment #{id} to {}", written.display());
            Ok(0)
        }
        Command::Detach { audit, id, yes } => {
            if !yes {
                return Err(Error::Invalid(format!(
                    "{}: removing attachment #{id} cannot be undone; add --yes to go ahead",
                    audit.display()
                )));
            }
            let mut audit = Audit::open(&audit)?;
            let removed = audit.remove_attachment(id)?;
            println!(
                "Removed attachment #{id} ({}) from {}",
                removed.name, removed.clause_id
            );
            Ok(0)
        }
        Command::Purge { audit, yes } => {
            if !yes {
                return Err(Error::Invalid(format!(
                    "{}: purging personal data cannot be undone; add --yes to go ahead",
                    audit.display()
                )));
            }
            let mut audit = Audit::open(&audit)?;
            let r = audit.purge_personal_data()?;
            println!(
                "Purged {}: {} customer pseudonyms and {} stored rejected rows removed; new pseudonymisation key",
                audit.path().display(),
                r.pseudonyms,
                r.rejected_rows
            );
            Ok(0)
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
        Command::Report(a) => report(a),
        Command::Verify {
            report,
            audit,
            key,
            json,
        } => verify(&report, audit.as_deref(), key.as_deref(), json),
        Command::Keygen { out } => {
            let key = crate::report::manifest::SigningKey::generate()?;
            let public = key.write(&out)?;
            println!(
                "Wrote the signing key {} (keep it secret) and its public key {}: {}",
                out.display(),
                public.display(),
                key.public_hex()
            );
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

fn comparator_text(c: crate::metric::Comparator) -> &'static str {
    use crate::metric::Comparator;
    match c {
        Comparator::AtLeast => ">=",
        Comparator::AtMost => "<=",
        Comparator::Monitor => "monitor",
        Comparator::Includes => "includes",
    }
}

fn target_text(id: &str, v: f64) -> String {
    match crate::metric::unit(id) {
        Unit::Proportion => format!("{} %", (v * 1000.0).round() / 10.0),
        Unit::Seconds => format!("{v} s"),
        _ => format!("{v}"),
    }
}

fn figure_text(m: &MetricResult) -> String {
    match (m.unit, m.value) {
        (_, None) => "-".into(),
        (Unit::Seconds, Some(v)) => format!(
            "{v:.1} s (p50 {} s, p90 {} s)",
            m.p50.unwrap_or(0.0),
            m.p90.unwrap_or(0.0)
        ),
        (Unit::PerThousand, Some(v)) => format!("{v:.2} per 1,000"),
        (Unit::Channels, Some(_)) => m.channels.join(", "),
        (_, Some(v)) => format!("{:.1} %", v * 100.0),
    }
}

fn print_metrics(e: &Evidence, as_json: bool) -> Result<u8> {
    if as_json {
        return print_json(&json!({
            "metrics": e.metrics,
            "settings": e.settings,
            "contacts": e.contacts,
            "complaints": e.complaints,
            "contacts_end": e.contacts_end,
            "complaints_end": e.complaints_end,
            "sources": e.sources,
        }));
    }
    let p = &e.settings.parameters;
    println!(
        "{} contacts, {} complaints. T = {} s, D = {} days, short abandon < {} s, calling hours {}–{}, opt-out grace {} days.",
        e.contacts,
        e.complaints,
        p.service_level_seconds,
        p.complaint_resolution_days,
        p.short_abandon_seconds,
        p.calling_hours_start,
        p.calling_hours_end,
        p.opt_out_grace_days
    );
    for m in &e.metrics {
        let kn = match m.k {
            Some(k) => format!("{k}/{}", m.n),
            None => format!("n={}", m.n),
        };
        let ci = match (m.ci_low, m.ci_high, m.unit) {
            (Some(l), Some(h), Unit::Seconds) => format!(" [{l:.1}, {h:.1}]"),
            (Some(l), Some(h), _) => format!(" [{:.1} %, {:.1} %]", l * 100.0, h * 100.0),
            _ => String::new(),
        };
        let target = m
            .target
            .map(|t| {
                format!(
                    " target {} {}",
                    comparator_text(m.comparator),
                    target_text(&m.id, t)
                )
            })
            .unwrap_or_default();
        println!(
            "{:<28} {:<14} {}{ci}{target}  {}",
            m.id,
            m.status.as_str(),
            figure_text(m),
            kn
        );
        if !m.advice.is_empty() && m.status != crate::evidence::Status::Pass {
            println!("{:<28} {}", "", m.advice);
        }
    }
    Ok(0)
}

/// A bucket's range as printed: `0–5`, `> 300`.
fn range_text(low: u32, high: Option<u32>) -> String {
    match high {
        Some(h) => format!("{low}–{h}"),
        None => format!("> {low}"),
    }
}

fn print_distributions(d: &crate::distribution::Distributions, as_json: bool) -> Result<u8> {
    if as_json {
        return print_json(&serde_json::to_value(d).expect("distributions serialise"));
    }
    let q = &d.queue_wait;
    println!(
        "Queue wait of offered contacts, seconds (T = {} s; each range includes its upper end; {} short abandons < {} s left out):",
        q.threshold_seconds, q.short_abandons, q.short_abandon_seconds
    );
    println!("{:<12} {:>12} {:>12}", "seconds", "answered", "abandoned");
    for b in &q.buckets {
        println!(
            "{:<12} {:>12} {:>12}",
            range_text(b.low, b.high),
            b.answered,
            b.abandoned
        );
    }
    println!("{:<12} {:>12} {:>12}", "total", q.answered, q.abandoned);
    println!(
        "Answered within T: {} of {} answered.",
        q.answered_within_threshold, q.answered
    );
    let r = &d.resolution_time;
    println!();
    println!(
        "Complaint resolution time, days (D = {} days; each range includes its upper end):",
        r.deadline_days
    );
    println!("{:<12} {:>12}", "days", "complaints");
    for b in &r.buckets {
        println!("{:<12} {:>12}", range_text(b.low, b.high), b.complaints);
    }
    println!("{:<12} {:>12}", "not resolved", r.open);
    println!("{:<12} {:>12}", "total", r.complaints);
    println!(
        "Resolved within D: {} of {} resolved; {} not resolved, {} of them received more than D days before the end of the data.",
        r.resolved_within_deadline, r.resolved, r.open, r.open_overdue
    );
    Ok(0)
}

fn print_score(s: &crate::scoring::Scorecard, as_json: bool) -> Result<u8> {
    if as_json {
        return print_json(&json!({
            "decision": s.decision,
            "rule": s.rule,
            "audit_type": s.audit_type,
            "self_assessment": s.self_assessment,
            "overall": s.overall,
            "sections": s.sections,
            "clauses": s.clauses,
            "reasons": s.reasons,
            "counts": s.counts,
        }));
    }
    let label = if s.self_assessment {
        "Self-assessment readiness"
    } else {
        "Readiness decision"
    };
    println!("{label}: {} ({})", s.decision.label(), s.rule);
    for r in &s.reasons {
        println!("  - {r}");
    }
    let pts = |x: Option<f64>| x.map_or("-".to_string(), |v| format!("{v:.1}"));
    println!("Overall score: {}", pts(s.overall));
    for sec in &s.sections {
        println!(
            "  section {:<4} {:>6}   {} assessed, {} n/a, {} not assessed of {}",
            sec.id,
            pts(sec.score),
            sec.assessed,
            sec.not_applicable,
            sec.not_assessed,
            sec.total
        );
    }
    Ok(0)
}

fn report(a: ReportArgs) -> Result<u8> {
    let key = a
        .sign
        .as_deref()
        .map(crate::report::manifest::SigningKey::read)
        .transpose()?;
    let audit = Audit::open(&a.audit)?;
    let written = crate::report::write(&audit, a.format, a.lang, &a.out, key.as_ref())?;
    println!(
        "Wrote the {} report {} (content SHA-256 {}{})",
        a.format.as_str().to_uppercase(),
        written.path.display(),
        written.manifest.report.content_sha256,
        if written.manifest.signature.is_some() {
            ", signed"
        } else {
            ""
        }
    );
    if let Some(m) = &written.manifest_path {
        println!("Wrote its manifest {}", m.display());
    }
    Ok(0)
}

fn verify(report: &Path, audit: Option<&Path>, key: Option<&Path>, as_json: bool) -> Result<u8> {
    let expected = key
        .map(crate::report::manifest::read_public_key)
        .transpose()?;
    let v = crate::report::verify(report, audit, expected.as_deref())?;
    let code = if v.ok() { 0 } else { 1 };
    if as_json {
        print_json(&json!({
            "report": v.report.display().to_string(),
            "manifest": v.manifest_path.as_ref().map(|p| p.display().to_string()),
            "ok": v.ok(),
            "checks": v.checks,
        }))?;
        return Ok(code);
    }
    let name = v.report.display();
    for c in &v.checks {
        if c.ok {
            println!("ok    {}", c.message);
        } else {
            eprintln!("clausewise: {name}: {}", c.message);
        }
    }
    if v.ok() {
        println!("{name}: verified");
    } else {
        eprintln!("clausewise: {name}: verification failed");
    }
    Ok(code)
}
