//! Window tests of the report screen and the guided flow: the decision the report screen shows
//! against the core's on a copy of the audit, PDF and HTML reports exported through the app and
//! checked with `pdftotext` and `sha256sum`, the audit details edited in the window and read
//! back with plain SQL, the clause filters and section progress, and purging personal data.
//!
//! Native save dialogs cannot be driven through WebDriver: debug builds of the app answer the
//! report screen's save dialog with `CLAUSEWISE_SAVE_DIR/<suggested name>` when that variable is
//! set, and these tests set it.

use std::path::Path;
use std::process::Command;

use clausewise::report::Lang;
use clausewise::{Audit, Grade};
use fantoccini::{Client, Locator};

use super::evidence::{click, demo_pair, read_only, retype, text, thousands};
use super::{eventually, find, new_audit, screenshot, Driver};

/// What `sha256sum` says of a file (a second implementation, not the app's).
pub(super) fn sha256sum(path: &Path) -> String {
    let out = Command::new("sha256sum")
        .arg(path)
        .output()
        .expect("sha256sum runs");
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()[..64].to_string()
}

/// The text of a PDF as `pdftotext` extracts it, with runs of white space made one space.
pub(super) fn pdf_text(path: &Path) -> String {
    let out = Command::new("pdftotext")
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext runs (poppler-utils)");
    assert!(
        out.status.success(),
        "pdftotext failed on {}",
        path.display()
    );
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Every URL in an HTML file that a browser could fetch: http(s) and protocol-relative
/// addresses anywhere outside XML namespace declarations (which name, and are never fetched).
fn external_urls(html: &str) -> Vec<String> {
    let mut rest = html.to_string();
    // Remove namespace declarations: xmlns="…" and xmlns:prefix="…".
    while let Some(at) = rest.find("xmlns") {
        let tail = &rest[at..];
        let Some(open) = tail.find('"') else { break };
        let Some(close) = tail[open + 1..].find('"') else {
            break;
        };
        rest.replace_range(at..at + open + close + 2, "");
    }
    let lower = rest.to_lowercase();
    let mut found = Vec::new();
    for needle in ["http://", "https://", "\"//", "'//", "(//", "ftp://"] {
        let mut from = 0;
        while let Some(i) = lower[from..].find(needle) {
            let start = from + i;
            found.push(rest[start..(start + 60).min(rest.len())].to_string());
            from = start + needle.len();
        }
    }
    found
}

async fn export(c: &Client, format: &str) -> (String, u64, String) {
    click(c, &format!("[data-testid=export-{format}]")).await;
    let row = format!("[data-testid=export-result][data-format={format}]");
    find(c, &row).await;
    let path = text(c, &format!("{row} [data-testid=export-path]")).await;
    let bytes = find(c, &format!("{row} [data-testid=export-size]"))
        .await
        .attr("data-bytes")
        .await
        .unwrap()
        .expect("the size in bytes")
        .parse()
        .unwrap();
    let sha = text(c, &format!("{row} [data-testid=export-sha]")).await;
    (path, bytes, sha)
}

#[tokio::test(flavor = "multi_thread")]
async fn the_report_screen_shows_the_cores_decision_and_exports_pdf_and_html() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let (audit, copy) = demo_pair(dir.path());
    // The decision computed by the core on a copy, without the app.
    let expected = Audit::open(&copy).unwrap().scorecard().unwrap().decision;
    let code = serde_json::to_value(expected).unwrap();
    let code = code.as_str().unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let driver = Driver::start_with(&dir.path().join("data"), &[("CLAUSEWISE_SAVE_DIR", &out)]);
    let c = driver.window(&[&audit]).await;

    click(&c, "[data-testid=nav-report]").await;
    let decision = find(&c, "[data-testid=report-decision]").await;
    assert_eq!(
        decision.attr("data-decision").await.unwrap().as_deref(),
        Some(code)
    );
    assert_eq!(
        text(&c, "[data-testid=report-decision-label]").await,
        Lang::En.decision(expected)
    );
    // Every clause of the audit is listed with the grade stored in the file.
    let rows = c
        .find_all(Locator::Css("[data-report-clause]"))
        .await
        .unwrap()
        .len();
    let clauses: i64 = read_only(&audit)
        .query_row("SELECT count(*) FROM clause", [], |r| r.get(0))
        .unwrap();
    assert_eq!(rows as i64, clauses);
    let graded: String = read_only(&audit)
        .query_row(
            "SELECT clause_id FROM assessment WHERE grade = 'minor' ORDER BY clause_id LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let shown = find(
        &c,
        &format!("[data-report-clause='{graded}'] [data-testid=report-clause-grade]"),
    )
    .await
    .attr("data-grade")
    .await
    .unwrap();
    assert_eq!(shown.as_deref(), Some(Grade::Minor.as_str()));
    screenshot(&c, "report-screen").await;
    c.execute(
        "document.querySelector('[data-testid=report-clauses]').scrollIntoView()",
        vec![],
    )
    .await
    .unwrap();
    screenshot(&c, "report-clauses").await;

    // In Turkish, the same decision in Turkish words.
    find(&c, "[data-testid=report-lang]")
        .await
        .select_by_value("tr")
        .await
        .unwrap();
    find(&c, "[data-testid=report-preview][data-lang=tr]").await;
    assert_eq!(
        text(&c, "[data-testid=report-decision-label]").await,
        Lang::Tr.decision(expected)
    );
    find(&c, "[data-testid=report-lang]")
        .await
        .select_by_value("en")
        .await
        .unwrap();
    find(&c, "[data-testid=report-preview][data-lang=en]").await;

    // PDF: written where the dialog answered, its text carries the decision, and the SHA-256
    // shown is the file's as sha256sum computes it, and the manifest's.
    let (path, bytes, sha) = export(&c, "pdf").await;
    let pdf = out.join("demo-readiness-report-en.pdf");
    assert_eq!(path, pdf.display().to_string());
    assert_eq!(bytes, std::fs::metadata(&pdf).unwrap().len());
    assert_eq!(sha, sha256sum(&pdf));
    let manifest: serde_json::Value = serde_json::from_slice(
        &std::fs::read(out.join("demo-readiness-report-en.pdf.manifest.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(manifest["report"]["content_sha256"], sha.as_str());
    let words = pdf_text(&pdf);
    assert!(
        words.contains(Lang::En.decision(expected)),
        "the PDF's text does not name the decision: {}",
        &words[..words.len().min(600)]
    );
    screenshot(&c, "report-exported").await;

    // HTML: self-contained (nothing to fetch) and it verifies against the audit.
    let (path, bytes, _) = export(&c, "html").await;
    let html_path = out.join("demo-readiness-report-en.html");
    assert_eq!(path, html_path.display().to_string());
    let html = std::fs::read_to_string(&html_path).unwrap();
    assert_eq!(bytes, html.len() as u64);
    assert!(html.contains(Lang::En.decision(expected)));
    let urls = external_urls(&html);
    assert!(
        urls.is_empty(),
        "external URLs in the HTML report: {urls:?}"
    );
    let verified = clausewise::report::verify(&html_path, Some(&copy), None).unwrap();
    assert!(verified.ok(), "{verified:?}");
    // Nothing is left under a temporary name.
    let names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| !n.ends_with(".partial")), "{names:?}");
    c.close().await.unwrap();
}

#[test]
fn the_url_check_finds_what_a_browser_would_fetch() {
    // The check itself must be able to fail.
    assert!(external_urls(r#"<svg xmlns="http://www.w3.org/2000/svg"></svg>"#).is_empty());
    assert_eq!(
        external_urls(r#"<img src="https://cdn.example/x.png"><a href="//e.example">"#).len(),
        2
    );
    assert_eq!(
        external_urls("<style>@import url(//fonts.example/a.css)</style>").len(),
        1
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn audit_details_set_in_the_form_are_stored_in_the_file() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let audit = new_audit(dir.path(), "Details Test Centre");
    let driver = Driver::start(&dir.path().join("data"));
    let c = driver.window(&[&audit]).await;

    click(&c, "[data-testid=open-details]").await;
    find(&c, "[data-testid=details-dialog]").await;
    retype(&c, "#details-org", "Ege Telekom A.Ş.").await;
    retype(&c, "#details-site", "İzmir").await;
    retype(&c, "#details-scope", "Inbound calls and e-mail complaints").await;
    retype(&c, "#details-auditors", "Elif Şahin, Can Öz").await;
    // A new audit has no channels: tick three, then untick one.
    for ch in ["voice", "email", "chat", "email"] {
        click(&c, &format!("input[name=details-channel][value={ch}]")).await;
    }
    find(&c, "#details-type")
        .await
        .select_by_value("self-assessment")
        .await
        .unwrap();
    // Date fields take the date as typed through WebDriver only in the page's format; set them
    // the way the date picker does, with an input event.
    for (id, value) in [
        ("details-start", "2026-11-02"),
        ("details-end", "2026-11-04"),
    ] {
        c.execute(
            "const e = document.getElementById(arguments[0]); e.value = arguments[1];
             e.dispatchEvent(new Event('input', { bubbles: true }));",
            vec![id.into(), value.into()],
        )
        .await
        .unwrap();
    }
    click(&c, "[data-testid=details-save]").await;
    eventually("the dialog to close", async || {
        c.find(Locator::Css("[data-testid=details-dialog]"))
            .await
            .is_err()
            .then_some(())
    })
    .await;

    let row: (
        String,
        String,
        String,
        String,
        String,
        String,
        String,
        String,
    ) = read_only(&audit)
        .query_row(
            "SELECT organisation, site, scope, channels, audit_type, auditors, start_date,
                        end_date FROM audit",
            [],
            |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                    r.get(7)?,
                ))
            },
        )
        .unwrap();
    assert_eq!(
        row,
        (
            "Ege Telekom A.Ş.".into(),
            "İzmir".into(),
            "Inbound calls and e-mail complaints".into(),
            r#"["voice","chat"]"#.into(),
            "self-assessment".into(),
            r#"["Elif Şahin","Can Öz"]"#.into(),
            "2026-11-02".into(),
            "2026-11-04".into(),
        )
    );
    let title = text(&c, "[data-testid=audit-title]").await;
    assert!(
        title.contains("Ege Telekom A.Ş.") && title.contains("Self-assessment"),
        "{title}"
    );

    // The report of a self-assessment says so.
    click(&c, "[data-testid=nav-report]").await;
    find(&c, "[data-testid=report-self-assessment]").await;
    c.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn clause_filters_and_section_progress_follow_the_grades() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let (audit, _) = demo_pair(dir.path());
    let driver = Driver::start(&dir.path().join("data"));
    let c = driver.window(&[&audit]).await;
    find(&c, "[data-clause]").await;

    // Progress per section, always shown, against plain SQL.
    let conn = read_only(&audit);
    let mut stmt = conn
        .prepare(
            "SELECT substr(c.id, 1, instr(c.id || '.', '.') - 1) AS top,
                    sum(coalesce(a.grade, 'not-assessed') <> 'not-assessed'), count(*)
             FROM clause c LEFT JOIN assessment a ON a.clause_id = c.id
             GROUP BY top",
        )
        .unwrap();
    let rows: Vec<(String, i64, i64)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    for (section, assessed, total) in &rows {
        let shown = text(
            &c,
            &format!("[data-progress-section='{section}'] [data-testid=section-progress-count]"),
        )
        .await;
        assert_eq!(shown, format!("{assessed}/{total}"), "section {section}");
    }
    click(&c, "[data-testid=nav-dashboard]").await;
    find(&c, "[data-testid=progress-strip]").await;
    click(&c, "[data-testid=nav-checklist]").await;

    // Section 5, not assessed: exactly the clauses plain SQL names.
    let wanted: Vec<String> = conn
        .prepare(
            "SELECT c.id FROM clause c LEFT JOIN assessment a ON a.clause_id = c.id
             WHERE c.id LIKE '5.%' AND coalesce(a.grade, 'not-assessed') = 'not-assessed'
             ORDER BY c.position",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(
        !wanted.is_empty(),
        "the demo leaves clauses of section 5 open"
    );
    find(&c, "[data-testid=filter-section]")
        .await
        .select_by_value("5")
        .await
        .unwrap();
    find(&c, "[data-testid=filter-status]")
        .await
        .select_by_value("unassessed")
        .await
        .unwrap();
    let listed = eventually("the filtered list", async || {
        let mut ids = Vec::new();
        for e in c.find_all(Locator::Css("[data-clause]")).await.ok()? {
            ids.push(e.attr("data-clause").await.ok()??);
        }
        (ids == wanted).then_some(ids)
    })
    .await;
    assert_eq!(listed, wanted);
    // "Next open" walks only the kept clauses.
    click(&c, &format!("[data-clause='{}']", wanted[0])).await;
    click(&c, "[data-testid=next-open]").await;
    let next = wanted.get(1).unwrap_or(&wanted[0]);
    find(
        &c,
        &format!("[data-testid=clause-detail][data-clause-id='{next}']"),
    )
    .await;
    c.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn purging_through_the_app_removes_every_customer_pseudonym() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let (audit, _) = demo_pair(dir.path());
    let pseudonyms = |p: &Path| -> i64 {
        read_only(p)
            .query_row(
                "SELECT count(*) FROM contact WHERE customer_ref IS NOT NULL",
                [],
                |r| r.get(0),
            )
            .unwrap()
    };
    let before = pseudonyms(&audit);
    assert!(before > 0, "the demo audit holds pseudonymised customers");
    let key_before: Vec<u8> = read_only(&audit)
        .query_row("SELECT pseudonym_key FROM secret", [], |r| r.get(0))
        .unwrap();
    let driver = Driver::start(&dir.path().join("data"));
    let c = driver.window(&[&audit]).await;

    click(&c, "[data-testid=open-purge]").await;
    let message = text(&c, "#confirm-message").await;
    assert!(
        message.contains("pseudonym") && message.contains("rejected rows"),
        "{message}"
    );
    // Cancelling removes nothing.
    click(&c, "[data-testid=confirm-dialog] button:not(.danger)").await;
    assert_eq!(pseudonyms(&audit), before);

    click(&c, "[data-testid=open-purge]").await;
    click(&c, "[data-testid=confirm]").await;
    let said = eventually("the purge result", async || {
        c.find(Locator::Css("[data-testid=purge-result]"))
            .await
            .ok()?
            .text()
            .await
            .ok()
    })
    .await;
    assert!(
        said.contains(&format!("{} customer pseudonyms", thousands(before as u64))),
        "{said}"
    );
    assert_eq!(pseudonyms(&audit), 0);
    let key_after: Vec<u8> = read_only(&audit)
        .query_row("SELECT pseudonym_key FROM secret", [], |r| r.get(0))
        .unwrap();
    assert_ne!(key_before, key_after, "a new key replaces the old one");
    c.close().await.unwrap();
}
