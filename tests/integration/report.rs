//! The readiness report: the JSON against its published schema and a reviewed snapshot, the HTML
//! snapshot and its escaping of imported text, the PDF read back with poppler (pdfinfo,
//! pdftotext), the CSV's formula neutralising, and `verify` on untouched, changed and signed
//! reports and on a changed audit file.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use clausewise::findings::FindingUpdate;
use clausewise::import::Kind;
use clausewise::report::{self, Lang};
use clausewise::sampling::{self, SampleRequest, SizeRule, Stratum};
use clausewise::{AssessmentUpdate, Audit, AuditType, Checklist, Grade, NewAudit};

use crate::support::{
    array_of_tables, clausewise, import_into, raw_clauses, read_toml, repo_file, status, stderr,
    stdout_json, str_at, write, DEMO,
};

// ---- fixtures -----------------------------------------------------------------------------------

/// The demo audit, built once for the whole test binary (tests that change it take a copy).
fn demo() -> &'static Path {
    static DEMO_AUDIT: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    &DEMO_AUDIT
        .get_or_init(|| {
            let dir = tempfile::tempdir().unwrap();
            let path = clausewise::demo::build(dir.path()).unwrap();
            (dir, path)
        })
        .1
}

/// A copy of the demo audit in `dir`.
fn demo_copy(dir: &Path) -> PathBuf {
    let to = dir.join("demo.ccaudit");
    std::fs::copy(demo(), &to).unwrap();
    to
}

/// Runs `clausewise report` and returns the report's path.
fn cli_report(dir: &Path, audit: &Path, format: &str, lang: &str, name: &str) -> PathBuf {
    let out = dir.join(name);
    let run = clausewise(
        dir,
        &[
            "report",
            audit.to_str().unwrap(),
            "--format",
            format,
            "--lang",
            lang,
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(status(&run), 0, "{}", stderr(&run));
    out
}

fn verify(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let mut all = vec!["verify"];
    all.extend_from_slice(args);
    let run = clausewise(dir, &all);
    (
        status(&run),
        String::from_utf8_lossy(&run.stdout).into_owned(),
        stderr(&run),
    )
}

/// The clauses the demo leaves without a grade although the checklist makes them mandatory,
/// read from the shipped checklist and demo files directly.
fn demo_ungraded_mandatory() -> Vec<String> {
    let graded: BTreeSet<String> = array_of_tables(&read_toml(DEMO), "assessment")
        .into_iter()
        .map(|a| str_at(a, "clause").unwrap().to_string())
        .collect();
    raw_clauses()
        .iter()
        .filter(|c| c.get("mandatory").and_then(toml::Value::as_bool) != Some(false))
        .map(|c| str_at(c, "id").unwrap().to_string())
        .filter(|id| !graded.contains(id))
        .collect()
}

const CALLS_HEADER: &str = "call_id,started_at,channel,direction,queue,queue_seconds,outcome,\
callback_offered,agent_id,escalated,survey_score,customer_ref,consent,opted_out_at";

/// A self-assessment of the default checklist: every mandatory clause graded, 4.2.5 a minor
/// with a planned corrective action whose statement starts with `=`, records whose queue names
/// and one rejected value carry markup, and a sample stratified by queue.
fn hostile_self_assessment(dir: &Path) -> PathBuf {
    let path = dir.join("self.ccaudit");
    let checklist = Checklist::resolve(None).unwrap();
    let mut details = NewAudit::named("Öz Çağrı Merkezi <b>Ltd</b>");
    details.audit_type = AuditType::SelfAssessment;
    details.site = Some("İzmir".into());
    details.auditors = vec!["Ayşe Yılmaz".into()];
    details.end_date = Some("2026-11-20".parse().unwrap());
    Audit::create(&path, &details, &checklist).unwrap();

    let mut rows = vec![CALLS_HEADER.to_string()];
    for i in 0..40 {
        let queue = if i % 2 == 0 {
            "<img src=x onerror=alert(1)>"
        } else {
            "<script>alert(2)</script>"
        };
        rows.push(format!(
            "c{i},2026-10-0{}T10:{:02}:00+03:00,voice,inbound,{queue},{},answered,,A{},,5,,,",
            1 + i % 5,
            i,
            10 + i,
            i % 3
        ));
    }
    // A value that is not yes/no: rejected, with the value quoted in the reason.
    rows.push(
        "bad1,2026-10-01T11:00:00+03:00,voice,inbound,q,5,answered,<script>alert(3)</script>,A1,,,,,"
            .to_string(),
    );
    let calls = write(dir, "calls.csv", &(rows.join("\n") + "\n"));
    let imported = import_into(&path, Kind::Calls, &calls, |_| {}).unwrap();
    assert_eq!((imported.accepted, imported.rejected), (40, 1));

    let mut a = Audit::open(&path).unwrap();
    sampling::draw(
        &mut a,
        &SampleRequest {
            rule: SizeRule::Fixed { size: 10 },
            seed: 42,
            strata: vec![Stratum::Queue],
        },
        &dir.join("sheet.csv"),
    )
    .unwrap();
    let mandatory: Vec<String> = checklist
        .clauses
        .iter()
        .filter(|c| c.mandatory)
        .map(|c| c.id.clone())
        .collect();
    for id in &mandatory {
        let grade = if id == "4.2.5" {
            Grade::Minor
        } else {
            Grade::Conforming
        };
        let suggested = a.suggestion(id).unwrap().map(|s| s.grade);
        let reason = match suggested {
            Some(s) if s != grade => "seen on site".to_string(),
            _ => String::new(),
        };
        a.update_assessment(
            id,
            AssessmentUpdate {
                grade: Some(grade),
                note: Some(format!("note <i>{id}</i>")),
                reason: Some(reason),
            },
        )
        .unwrap();
    }
    let finding = a
        .findings()
        .unwrap()
        .into_iter()
        .find(|f| f.clause_id == "4.2.5")
        .unwrap();
    a.update_finding(
        finding.id,
        FindingUpdate {
            statement: Some("=HYPERLINK(\"http://x.example\",\"click\")".into()),
            cause: Some("+1 agent short".into()),
            action: Some("-retrain the e-mail team".into()),
            owner: Some("@ops".into()),
            due_date: Some("2026-12-20".into()),
            ..Default::default()
        },
    )
    .unwrap();
    path
}

// ---- JSON ---------------------------------------------------------------------------------------

fn schema_validator() -> jsonschema::Validator {
    let schema: serde_json::Value =
        serde_json::from_slice(&std::fs::read(repo_file("docs/report.schema.json")).unwrap())
            .unwrap();
    jsonschema::validator_for(&schema).unwrap()
}

#[track_caller]
fn assert_valid(validator: &jsonschema::Validator, doc: &serde_json::Value, what: &str) {
    let errors: Vec<String> = validator
        .iter_errors(doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{what}: {}", errors.join("\n"));
}

fn read_json(path: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

#[test]
fn json_reports_validate_against_the_published_schema() {
    let dir = tempfile::tempdir().unwrap();
    let validator = schema_validator();
    let hostile = hostile_self_assessment(dir.path());
    for (audit, lang) in [(demo(), "en"), (demo(), "tr"), (hostile.as_path(), "en")] {
        let out = cli_report(dir.path(), audit, "json", lang, &format!("r-{lang}.json"));
        let doc = read_json(&out);
        assert_valid(&validator, &doc, &out.display().to_string());
        assert_eq!(doc["report"]["lang"], lang);
    }
    // The schema is strict: an unknown key or a wrong code is refused.
    let mut doc = read_json(&dir.path().join("r-en.json"));
    doc["report"]["decision"]["code"] = "maybe".into();
    assert!(!validator.is_valid(&doc));
    let mut doc = read_json(&dir.path().join("r-en.json"));
    doc["report"]["surprise"] = true.into();
    assert!(!validator.is_valid(&doc));
}

#[test]
fn the_demo_report_states_the_decision_rule_and_every_clause_that_drove_it() {
    let dir = tempfile::tempdir().unwrap();
    let doc = read_json(&cli_report(dir.path(), demo(), "json", "en", "r.json"));
    let r = &doc["report"];
    // Demo clauses are graded in part: mandatory clauses remain, so grading.md says incomplete.
    let expected = demo_ungraded_mandatory();
    assert!(!expected.is_empty());
    assert_eq!(r["decision"]["code"], "incomplete");
    assert_eq!(r["decision"]["rule"], "a mandatory clause is not assessed");
    let drivers: Vec<&str> = r["decision"]["drivers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["clause_id"].as_str().unwrap())
        .collect();
    assert_eq!(drivers, expected);
    // Every clause of the checklist, in file order, and every import with its SHA-256.
    let ids: Vec<&str> = r["clauses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    let raw: Vec<String> = crate::support::raw_clause_ids();
    assert_eq!(ids, raw);
    let imports = r["lineage"]["imports"].as_array().unwrap();
    assert_eq!(imports.len(), 2);
    assert_eq!(imports[0]["records"], 20_000);
    assert_eq!(imports[1]["records"], 1_500);
    assert_eq!(r["lineage"]["contacts"], 20_000);
    // The contacts file the demo imports is `demo-data calls 20000 --seed 18295`.
    let data = dir.path().join("calls.csv");
    let run = clausewise(
        dir.path(),
        &[
            "demo-data",
            "calls",
            "20000",
            "--seed",
            "18295",
            "--out",
            "calls.csv",
        ],
    );
    assert_eq!(status(&run), 0);
    assert_eq!(imports[0]["sha256"], crate::support::file_sha(&data));
    // A metric's sources name that import.
    let service_level = r["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == "service_level")
        .unwrap();
    assert_eq!(
        service_level["sources"],
        serde_json::json!([imports[0]["id"]])
    );
}

/// Replaces what changes from run to run (times and the program version) so that a report can
/// be compared with a snapshot.
fn normalise(v: &mut serde_json::Value, key: &str) {
    use serde_json::Value;
    match v {
        Value::Object(map) => {
            for (k, child) in map.iter_mut() {
                normalise(child, k);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|i| normalise(i, key)),
        Value::String(s) => {
            if key.ends_with("_at") && !s.is_empty() {
                *s = "<time>".into();
            } else if key == "generator" {
                *s = "<generator>".into();
            }
        }
        _ => {}
    }
}

fn snapshot(name: &str, actual: &str) {
    let path = repo_file(&format!("tests/integration/snapshots/{name}"));
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "no snapshot {}; run with UPDATE_SNAPSHOTS=1 and review it",
            path.display()
        )
    });
    if expected != actual {
        let first = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(expected.lines().count().min(actual.lines().count()));
        panic!(
            "{} differs from the report at line {}:\n  snapshot: {:?}\n  report:   {:?}\n(run with UPDATE_SNAPSHOTS=1 to accept, then review the diff)",
            path.display(),
            first + 1,
            expected.lines().nth(first),
            actual.lines().nth(first)
        );
    }
}

/// The demo report's model with volatile values normalised, cut to what a reviewer can read:
/// four clauses of different kinds (conforming with a note, the minor with its finding, one
/// with metrics, the one not applicable) with the metrics and targets they bind, the first
/// three clauses that drove the decision (with their number), and everything else whole.
fn demo_json_snapshot(lang: Lang) -> String {
    const CLAUSES: [&str; 4] = ["4.1.1", "4.2.5", "4.4.1", "4.5.6"];
    let audit = Audit::open(demo()).unwrap();
    let model = report::build(&audit, lang).unwrap();
    let mut v = serde_json::to_value(&model).unwrap();
    normalise(&mut v, "");
    let r = v.as_object_mut().unwrap();
    // Digests cover times (created, updated): compared by `verify` tests, not here.
    r.insert("audit_digest".into(), "<digest>".into());
    let kept: Vec<serde_json::Value> = r["clauses"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| CLAUSES.contains(&c["id"].as_str().unwrap()))
        .cloned()
        .collect();
    assert_eq!(kept.len(), CLAUSES.len());
    let bound: BTreeSet<String> = kept
        .iter()
        .flat_map(|c| c["metrics"].as_array().unwrap().clone())
        .map(|m| m.as_str().unwrap().to_string())
        .collect();
    let keep_list = |list: &serde_json::Value, keep: &dyn Fn(&serde_json::Value) -> bool| {
        serde_json::Value::Array(
            list.as_array()
                .unwrap()
                .iter()
                .filter(|x| keep(x))
                .cloned()
                .collect(),
        )
    };
    let metrics = keep_list(&r["metrics"], &|m| {
        bound.contains(m["id"].as_str().unwrap())
    });
    let settings = keep_list(&r["settings"], &|s| {
        let key = s["key"].as_str().unwrap();
        key.strip_prefix("target.")
            .is_none_or(|id| bound.contains(id))
    });
    let drivers = r["decision"]["drivers"].as_array().unwrap().clone();
    r["decision"]["drivers_total"] = drivers.len().into();
    r["decision"]["drivers"] = drivers[..3].to_vec().into();
    r.insert("clauses".into(), kept.into());
    r.insert("metrics".into(), metrics);
    r.insert("settings".into(), settings);
    serde_json::to_string_pretty(&v).unwrap() + "\n"
}

#[test]
fn json_snapshot_of_the_demo_report() {
    snapshot("demo-report.en.json", &demo_json_snapshot(Lang::En));
    snapshot("demo-report.tr.json", &demo_json_snapshot(Lang::Tr));
}

// ---- HTML ---------------------------------------------------------------------------------------

/// The `<section id="…">` of an HTML report.
fn html_section<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html
        .find(&format!("<section id=\"{id}\""))
        .unwrap_or_else(|| panic!("no section {id}"));
    let end = start + html[start..].find("</section>").unwrap() + "</section>".len();
    &html[start..end]
}

#[test]
fn html_snapshot_of_the_demo_report() {
    let dir = tempfile::tempdir().unwrap();
    let html =
        std::fs::read_to_string(cli_report(dir.path(), demo(), "html", "en", "r.html")).unwrap();
    // The summary without its charts (checked below), the findings and the sampling statement.
    let summary = html_section(&html, "summary");
    let mut kept = String::new();
    let mut rest = summary;
    while let Some(at) = rest.find("<svg") {
        kept.push_str(&rest[..at]);
        kept.push_str("<svg/>");
        rest = &rest[at + rest[at..].find("</svg>").unwrap() + "</svg>".len()..];
    }
    kept.push_str(rest);
    let text = [
        kept.as_str(),
        html_section(&html, "sections"),
        html_section(&html, "findings"),
        html_section(&html, "sampling"),
    ]
    .join("\n")
    .replace("><", ">\n<");
    snapshot("demo-report.summary.html", &(text + "\n"));

    // The section chart: one bar per section with an assessed clause, from plotters.
    let audit = Audit::open(demo()).unwrap();
    let scored = audit
        .scorecard()
        .unwrap()
        .sections
        .iter()
        .filter(|s| s.score.is_some())
        .count();
    let chart = summary
        .split("id=\"chart-sections\">")
        .nth(1)
        .unwrap()
        .split("</svg>")
        .next()
        .unwrap();
    assert_eq!(
        chart.matches("<rect").count(),
        1 + scored,
        "background + bars"
    );
    // Self-contained: no scripts and nothing fetched from elsewhere.
    let lower = html.to_lowercase();
    for needle in ["<script", "src=", "href=", "@import", "url("] {
        assert!(!lower.contains(needle), "the report contains {needle}");
    }
}

#[test]
fn html_report_shows_imported_markup_only_as_escaped_text() {
    let dir = tempfile::tempdir().unwrap();
    let audit = hostile_self_assessment(dir.path());
    let html =
        std::fs::read_to_string(cli_report(dir.path(), &audit, "html", "en", "r.html")).unwrap();
    let lower = html.to_lowercase();
    assert!(!lower.contains("<script"), "a script element in the report");
    assert!(!lower.contains("<img"), "an img element in the report");
    assert!(
        !lower.contains("<b>ltd"),
        "markup from the organisation's name"
    );
    assert!(!lower.contains("<i>4"), "markup from a note");
    // The same text, escaped: queue names in the sampling statement, the rejected value in the
    // lineage appendix, the organisation's name and the notes.
    let sampling = html_section(&html, "sampling");
    assert!(sampling.contains("&lt;img src=x onerror=alert(1)&gt;"));
    assert!(sampling.contains("&lt;script&gt;alert(2)&lt;/script&gt;"));
    assert!(html_section(&html, "lineage").contains("&lt;script&gt;alert(3)&lt;/script&gt;"));
    assert!(html.contains("Öz Çağrı Merkezi &lt;b&gt;Ltd&lt;/b&gt;"));
    assert!(html.contains("note &lt;i&gt;4.2.5&lt;/i&gt;"));
}

// ---- PDF ----------------------------------------------------------------------------------------

fn poppler(tool: &str, args: &[&str]) -> String {
    let out = Command::new(tool)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{tool} (poppler-utils, installed by scripts/setup.sh): {e}"));
    assert!(
        out.status.success(),
        "{tool}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The number of pages pdfinfo reports, and the text of every page from pdftotext.
fn pdf_pages(pdf: &Path) -> (usize, Vec<String>) {
    let info = poppler("pdfinfo", &[pdf.to_str().unwrap()]);
    let pages: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    let text = poppler("pdftotext", &["-layout", pdf.to_str().unwrap(), "-"]);
    let mut texts: Vec<String> = text.split('\u{c}').map(str::to_string).collect();
    if texts.last().is_some_and(|t| t.trim().is_empty()) {
        texts.pop();
    }
    (pages, texts)
}

/// Text with runs of whitespace made single spaces (pdftotext lays words out with spaces).
fn squeeze(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn pdf_report_has_a_header_and_numbered_pages_and_states_the_decision() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = cli_report(dir.path(), demo(), "pdf", "en", "r.pdf");
    let (pages, texts) = pdf_pages(&pdf);
    assert!(pages >= 5, "{pages} pages");
    assert_eq!(texts.len(), pages);
    for (i, page) in texts.iter().enumerate() {
        let page = squeeze(page);
        assert!(
            page.contains(&format!("Page {} of {pages}", i + 1)),
            "page {}: {page}",
            i + 1
        );
        assert!(
            page.contains("Certification readiness report — Marmara Enerji"),
            "page {} has no header",
            i + 1
        );
        assert!(!page.contains("Self-assessment"), "page {}", i + 1);
    }
    let all = squeeze(&texts.join(" "));
    assert!(all.contains("Readiness decision Incomplete"));
    assert!(all.contains("Rule applied: a mandatory clause is not assessed"));
    for id in demo_ungraded_mandatory() {
        assert!(all.contains(&format!("{id} ")), "driver {id} missing");
    }
    // Every section of the report, the lineage with the data file's SHA-256, the signatures.
    for heading in [
        "Executive summary",
        "Section scores",
        "Clause by clause",
        "Findings and corrective actions",
        "Sampling statement",
        "Appendix: data lineage",
        "Signatures",
    ] {
        assert!(all.contains(heading), "no {heading}");
    }
    let doc = read_json(&cli_report(dir.path(), demo(), "json", "en", "r.json"));
    let sha = doc["report"]["lineage"]["imports"][0]["sha256"]
        .as_str()
        .unwrap();
    assert!(all.contains(sha), "the contacts file's SHA-256");
    // Fonts are embedded.
    let fonts = poppler("pdffonts", &[pdf.to_str().unwrap()]);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|r| r.contains(" yes ")), "{fonts}");
}

#[test]
fn turkish_pdf_report_keeps_every_turkish_letter() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = cli_report(dir.path(), demo(), "pdf", "tr", "r.pdf");
    let (pages, texts) = pdf_pages(&pdf);
    for (i, page) in texts.iter().enumerate() {
        let page = squeeze(page);
        assert!(
            page.contains(&format!("Sayfa {} / {pages}", i + 1)),
            "page {}",
            i + 1
        );
    }
    let all = squeeze(&texts.join(" "));
    // From the demo's details, the checklist's Turkish text (read from the shipped file) and
    // the report's fixed text.
    let clause_4_4_1 = raw_clauses()
        .into_iter()
        .find(|c| str_at(c, "id") == Some("4.4.1"))
        .unwrap();
    let title = str_at(&clause_4_4_1, "title.tr").unwrap().to_string();
    assert!(title.contains('â'), "{title}");
    for text in [
        "Marmara Enerji Müşteri Hizmetleri A.Ş.",
        "İstanbul – Ümraniye",
        "Elif Şahin",
        "Murat Öztürk",
        "2. AŞAMA DENETİMİ",
        title.as_str(),
        "4.4 Şikâyetlerin ele alınması",
        "Hazırlık kararı",
        "Tamamlanmadı",
        "zorunlu bir madde değerlendirilmemiş",
        "Yönetici özeti",
        "Bölüm puanları",
        "Ek: veri kökeni",
    ] {
        assert!(all.contains(text), "no '{text}' in the Turkish PDF");
    }
    for letter in ['ç', 'ğ', 'ı', 'İ', 'ö', 'ş', 'ü', 'Ç', 'Ş', 'Ü', 'Ö'] {
        assert!(all.contains(letter), "no {letter}");
    }
}

#[test]
fn self_assessment_says_so_on_every_page_and_never_reads_as_a_recommendation() {
    let dir = tempfile::tempdir().unwrap();
    let audit = hostile_self_assessment(dir.path());
    let pdf = cli_report(dir.path(), &audit, "pdf", "en", "r.pdf");
    let (pages, texts) = pdf_pages(&pdf);
    assert_eq!(texts.len(), pages);
    let notice = "Self-assessment — not a certification recommendation";
    for (i, page) in texts.iter().enumerate() {
        assert!(
            squeeze(page).contains(notice),
            "page {} lacks the notice",
            i + 1
        );
    }
    let all = squeeze(&texts.join(" "));
    // "recommendation" only ever follows "not a certification".
    let mentions = all.matches("recommendation").count();
    let negated = all.matches("not a certification recommendation").count();
    assert_eq!(mentions, negated);
    assert!(all.contains("Self-assessed readiness"));
    assert!(all.contains("Ready subject to corrective actions"));
    assert!(!all.contains("Readiness decision"));

    let html =
        std::fs::read_to_string(cli_report(dir.path(), &audit, "html", "en", "r.html")).unwrap();
    assert_eq!(
        html.matches("recommendation").count(),
        html.matches("not a certification recommendation").count()
    );
    // The notice is in the header row that browsers repeat on every printed page.
    let head = &html[html.find("<thead>").unwrap()..html.find("</thead>").unwrap()];
    assert!(head.contains(&format!(
        "<div class=\"notice running-notice\">{notice}</div>"
    )));
    let tr =
        std::fs::read_to_string(cli_report(dir.path(), &audit, "html", "tr", "r-tr.html")).unwrap();
    assert!(tr.contains("Öz değerlendirme — belgelendirme tavsiyesi değildir"));
}

// ---- CSV ----------------------------------------------------------------------------------------

#[test]
fn csv_report_lists_findings_with_formulas_neutralised() {
    let dir = tempfile::tempdir().unwrap();
    let audit = hostile_self_assessment(dir.path());
    let path = cli_report(dir.path(), &audit, "csv", "en", "findings.csv");
    let bytes = std::fs::read(&path).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "UTF-8 byte-order mark");
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let opened = Audit::open(&audit).unwrap();
    assert_eq!(rows.len(), opened.findings().unwrap().len());
    let cell = |name: &str| {
        let i = header.iter().position(|h| h == name).unwrap();
        rows[0][i].to_string()
    };
    assert_eq!(
        cell("Statement"),
        "'=HYPERLINK(\"http://x.example\",\"click\")"
    );
    assert_eq!(cell("Cause"), "'+1 agent short");
    assert_eq!(cell("Corrective action"), "'-retrain the e-mail team");
    assert_eq!(cell("Owner"), "'@ops");
    assert_eq!(cell("Due"), "2026-12-20");
    assert_eq!(cell("Grade"), "minor nonconformity");
    assert!(cell("Clause").starts_with("4.2.5 "));
    // No cell a spreadsheet would evaluate.
    for row in &rows {
        for c in row.iter() {
            assert!(!c.starts_with(['=', '+', '-', '@', '\t', '\r']), "{c}");
        }
    }
}

// ---- manifest and verify ------------------------------------------------------------------------

/// Changes one byte of `path` at the first occurrence of `needle` (which must be there).
fn change_one_byte(path: &Path, needle: &[u8]) {
    let mut bytes = std::fs::read(path).unwrap();
    let at = bytes
        .windows(needle.len())
        .position(|w| w == needle)
        .unwrap_or_else(|| panic!("{} has no {:?}", path.display(), needle));
    bytes[at] ^= 0x01;
    std::fs::write(path, bytes).unwrap();
}

#[test]
fn verify_passes_untouched_reports_and_fails_on_one_changed_byte() {
    let dir = tempfile::tempdir().unwrap();
    let audit = demo_copy(dir.path());
    let a = audit.to_str().unwrap();
    for (format, name, needle) in [
        ("json", "r.json", b"Marmara".as_slice()),
        ("html", "r.html", b"Marmara".as_slice()),
        ("csv", "r.csv", b"4.2.5".as_slice()),
        ("pdf", "r.pdf", b"/Type".as_slice()),
    ] {
        let path = cli_report(dir.path(), &audit, format, "en", name);
        let p = path.to_str().unwrap();
        let (code, out, err) = verify(dir.path(), &[p, "--audit", a]);
        assert_eq!(code, 0, "{format}: {out}{err}");
        assert!(out.contains("verified"), "{out}");
        let sidecar = PathBuf::from(format!("{p}.manifest.json"));
        assert_eq!(
            sidecar.exists(),
            matches!(format, "pdf" | "csv"),
            "{format}"
        );
        if sidecar.exists() {
            // The sidecar can be named instead of the report.
            let (code, ..) = verify(dir.path(), &[sidecar.to_str().unwrap()]);
            assert_eq!(code, 0);
        }
        change_one_byte(&path, needle);
        let (code, _, err) = verify(dir.path(), &[p]);
        assert_eq!(code, 1, "{format}: a changed byte passed");
        assert!(err.contains("changed after it was made"), "{format}: {err}");
    }
    // An HTML report whose manifest comment was cut off.
    let html = std::fs::read_to_string(dir.path().join("r.html")).unwrap();
    let cut = &html[..html.find("<!--clausewise-manifest").unwrap()];
    write(dir.path(), "cut.html", cut);
    let (code, _, err) = verify(dir.path(), &["cut.html"]);
    assert_eq!(code, 1);
    assert!(err.contains("no manifest"), "{err}");
    // A PDF whose sidecar is gone cannot be verified.
    std::fs::remove_file(dir.path().join("r.pdf.manifest.json")).unwrap();
    let (code, _, err) = verify(dir.path(), &["r.pdf"]);
    assert_eq!(code, 1);
    assert!(err.contains("no manifest"), "{err}");
    // A file that is not there is bad input.
    let (code, ..) = verify(dir.path(), &["missing.pdf"]);
    assert_eq!(code, 2);
}

#[test]
fn verify_names_what_changed_in_the_audit() {
    let dir = tempfile::tempdir().unwrap();
    let audit = demo_copy(dir.path());
    let html = cli_report(dir.path(), &audit, "html", "en", "r.html");
    let pdf = cli_report(dir.path(), &audit, "pdf", "en", "r.pdf");
    let run = clausewise(
        dir.path(),
        &[
            "grade",
            audit.to_str().unwrap(),
            "6.1",
            "conforming",
            "--note",
            "changed after the report",
        ],
    );
    assert_eq!(status(&run), 0, "{}", stderr(&run));
    for report in [&html, &pdf] {
        let (code, _, err) = verify(
            dir.path(),
            &[report.to_str().unwrap(), "--audit", audit.to_str().unwrap()],
        );
        assert_eq!(code, 1);
        assert!(err.contains("the grades, notes and reasons"), "{err}");
        assert!(err.contains("(clause 6.1)"), "{err}");
        assert!(!err.contains("findings"), "{err}");
        // The report itself is untouched.
        assert!(!err.contains("changed after it was made"), "{err}");
    }
    // A setting changed: named as such.
    let run = clausewise(
        dir.path(),
        &[
            "settings",
            audit.to_str().unwrap(),
            "--set",
            "service_level_seconds=30",
        ],
    );
    assert_eq!(status(&run), 0, "{}", stderr(&run));
    let (_, _, err) = verify(
        dir.path(),
        &[pdf.to_str().unwrap(), "--audit", audit.to_str().unwrap()],
    );
    assert!(err.contains("the settings"), "{err}");
    // A corrective action planned: the findings of clause 4.2.5.
    let run = clausewise(
        dir.path(),
        &["finding", audit.to_str().unwrap(), "1", "--owner", "Ops"],
    );
    assert_eq!(status(&run), 0, "{}", stderr(&run));
    let (_, _, err) = verify(
        dir.path(),
        &[html.to_str().unwrap(), "--audit", audit.to_str().unwrap()],
    );
    assert!(
        err.contains("the findings and corrective actions") && err.contains("(clause 4.2.5)"),
        "{err}"
    );
    assert!(err.contains("the grades, notes and reasons") && err.contains("(clause 6.1)"));
}

#[test]
fn signed_reports_verify_with_the_auditors_key_only() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let run = clausewise(d, &["keygen", "--out", "elif.key"]);
    assert_eq!(status(&run), 0, "{}", stderr(&run));
    let run = clausewise(d, &["keygen", "--out", "other.key"]);
    assert_eq!(status(&run), 0);
    // keygen never overwrites a key.
    assert_eq!(status(&clausewise(d, &["keygen", "--out", "elif.key"])), 2);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(d.join("elif.key"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "the secret key is readable by others");
    }
    let audit = demo_copy(d);
    for (format, name) in [("pdf", "s.pdf"), ("json", "s.json")] {
        let run = clausewise(
            d,
            &[
                "report",
                audit.to_str().unwrap(),
                "--format",
                format,
                "--out",
                name,
                "--sign",
                "elif.key",
            ],
        );
        assert_eq!(status(&run), 0, "{}", stderr(&run));
        let (code, out, err) = verify(d, &[name, "--key", "elif.key.pub", "--json"]);
        assert_eq!(code, 0, "{out}{err}");
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["ok"], true);
        // Another auditor's key: the signature is valid, but not theirs.
        let (code, _, err) = verify(d, &[name, "--key", "other.key.pub"]);
        assert_eq!(code, 1);
        assert!(err.contains("not with the given key"), "{err}");
    }
    // A manifest changed after signing: it now claims a Turkish report.
    let sidecar = d.join("s.pdf.manifest.json");
    let text = std::fs::read_to_string(&sidecar).unwrap();
    assert!(text.contains("\"lang\": \"en\""));
    std::fs::write(
        &sidecar,
        text.replace("\"lang\": \"en\"", "\"lang\": \"tr\""),
    )
    .unwrap();
    let (code, _, err) = verify(d, &["s.pdf"]);
    assert_eq!(code, 1);
    assert!(err.contains("signature"), "{err}");
    // An unsigned report fails when a signer is required.
    cli_report(d, &audit, "html", "en", "u.html");
    let (code, _, err) = verify(d, &["u.html", "--key", "elif.key.pub"]);
    assert_eq!(code, 1);
    assert!(err.contains("not signed"), "{err}");
}

#[test]
fn verify_json_lists_every_check() {
    let dir = tempfile::tempdir().unwrap();
    let audit = demo_copy(dir.path());
    let report = cli_report(dir.path(), &audit, "csv", "tr", "b.csv");
    let run = clausewise(
        dir.path(),
        &[
            "verify",
            report.to_str().unwrap(),
            "--audit",
            audit.to_str().unwrap(),
            "--json",
        ],
    );
    assert_eq!(status(&run), 0);
    let v = stdout_json(&run);
    assert_eq!(v["ok"], true);
    let checks = v["checks"].as_array().unwrap();
    assert_eq!(checks.len(), 2, "{checks:?}");
    assert!(checks.iter().all(|c| c["ok"] == true));
}
