//! Window tests of the evidence screens on the demo audit: the dashboard's decision, a clause's
//! metrics and suggested grade, grading against the suggestion, findings and the sampling
//! dialog. Expected values come from the core run on a copy of the same file, and where a
//! second method is short, from plain SQL on the file.

use std::path::{Path, PathBuf};
use std::time::Duration;

use clausewise::evidence::MetricResult;
use clausewise::sampling::{SampleRequest, SizeRule, Stratum};
use clausewise::settings::SettingChange;
use clausewise::{Audit, AuditType, Checklist, NewAudit};
use fantoccini::key::Key;
use fantoccini::{Client, Locator};
use rusqlite::{Connection, OpenFlags};

use super::{eventually, find, screenshot, Driver};

/// The demo audit built in `dir` and a copy of it for the core to compute the expected values.
pub(super) fn demo_pair(dir: &Path) -> (PathBuf, PathBuf) {
    let audit = clausewise::demo::build(&dir.join("demo")).expect("the demo audit");
    let copy = dir.join("expected.ccaudit");
    std::fs::copy(&audit, &copy).expect("a copy of the demo audit");
    (audit, copy)
}

pub(super) fn read_only(path: &Path) -> Connection {
    Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY).expect("the audit file")
}

/// `12345` → "12,345", as the app prints counts.
pub(super) fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

pub(super) async fn text(c: &Client, css: &str) -> String {
    find(c, css).await.text().await.expect("the element's text")
}

/// Brings an element to the middle of its scrolling area, as a user scrolls to it, and clicks it.
pub(super) async fn click(c: &Client, css: &str) {
    let e = find(c, css).await;
    let arg = serde_json::to_value(&e).expect("an element reference");
    c.execute(
        "arguments[0].scrollIntoView({ block: 'center' })",
        vec![arg],
    )
    .await
    .expect("scrolling to the element");
    e.click()
        .await
        .unwrap_or_else(|err| panic!("could not click '{css}': {err}"));
}

pub(super) async fn texts(c: &Client, css: &str) -> Vec<String> {
    let mut out = Vec::new();
    for e in c.find_all(Locator::Css(css)).await.expect("a query") {
        out.push(e.text().await.expect("the element's text"));
    }
    out
}

pub(super) async fn open_clause(c: &Client, id: &str) {
    click(c, &format!("[data-clause='{id}']")).await;
    find(
        c,
        &format!("[data-testid=clause-detail][data-clause-id='{id}']"),
    )
    .await;
}

/// Replaces what a text field holds and leaves it with Tab, so that its change is committed.
pub(super) async fn retype(c: &Client, css: &str, value: &str) {
    let field = find(c, css).await;
    field.clear().await.expect("the field is cleared");
    field
        .send_keys(&format!("{value}{}", char::from(Key::Tab)))
        .await
        .expect("typing");
}

fn setting(path: &Path, key: &str) -> Option<String> {
    read_only(path)
        .query_row("SELECT value FROM setting WHERE key = ?1", [key], |r| {
            r.get(0)
        })
        .ok()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_dashboard_shows_the_decision_the_core_computes_and_edits_settings() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let (audit, copy) = demo_pair(dir.path());
    let expected = Audit::open(&copy).unwrap().scorecard().unwrap();
    // A second method for what drives it: the mandatory clauses without a grade, by plain SQL.
    let unassessed_mandatory: Vec<String> = read_only(&audit)
        .prepare(
            "SELECT c.id FROM clause c LEFT JOIN assessment a ON a.clause_id = c.id
             WHERE c.mandatory = 1 AND coalesce(a.grade, 'not-assessed') = 'not-assessed'
             ORDER BY c.position",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(
        !unassessed_mandatory.is_empty(),
        "the demo is part way through"
    );

    let driver = Driver::start(&dir.path().join("data"));
    let c = driver.window(&[&audit]).await;
    click(&c, "[data-screen=dashboard]").await;

    assert_eq!(
        text(&c, "[data-testid=decision-text]").await,
        capitalised(expected.decision.label())
    );
    assert_eq!(
        text(&c, "[data-testid=decision-rule]").await,
        expected.decision.rule()
    );
    assert_eq!(
        texts(&c, "[data-testid=decision-reasons] li").await,
        expected.reasons
    );
    let driving: Vec<String> = {
        let mut ids = Vec::new();
        for e in c
            .find_all(Locator::Css(
                "[data-testid=decision-reasons] [data-open-clause]",
            ))
            .await
            .unwrap()
        {
            ids.push(e.attr("data-open-clause").await.unwrap().unwrap());
        }
        ids
    };
    assert_eq!(driving, unassessed_mandatory);
    assert_eq!(
        text(&c, "[data-testid=overall-score]").await,
        format!("{:.1}", expected.overall.expect("graded clauses"))
    );
    assert!(
        c.find(Locator::Css("[data-testid=self-assessment]"))
            .await
            .is_err(),
        "a stage 2 audit is not labelled a self-assessment"
    );
    let table_rows = texts(&c, "[data-testid=metrics-table] tbody tr")
        .await
        .len();
    let core_evidence = Audit::open(&copy).unwrap().evidence().unwrap();
    assert_eq!(table_rows, core_evidence.metrics.len());
    screenshot(&c, "dashboard").await;

    // A setting typed on the dashboard is stored in the file and recomputes the figures.
    retype(&c, "#param-service_level_seconds", "30").await;
    let stored = eventually("T stored in the audit file", async || {
        setting(&audit, "service_level_seconds")
    })
    .await;
    assert_eq!(stored, "30");
    let mut check = Audit::open(&copy).unwrap();
    check
        .set_setting(&SettingChange {
            key: "service_level_seconds".into(),
            value: "30".into(),
        })
        .unwrap();
    let sl = check
        .evidence()
        .unwrap()
        .metric("service_level")
        .unwrap()
        .clone();
    let row = "[data-testid=metrics-table] tr[data-metric=service_level] td:nth-child(4)";
    let shown = eventually("the recomputed service level", async || {
        Some(text(&c, row).await).filter(|t| *t == kn(&sl))
    })
    .await;
    assert_eq!(shown, kn(&sl));
    // A bad value is refused through the error banner, naming the setting; nothing is stored.
    retype(&c, "#target-service_level", "120").await;
    let error = text(&c, "[data-testid=error]").await;
    assert!(error.contains("target.service_level"), "{error}");
    assert_eq!(setting(&audit, "target.service_level"), None);
    c.execute(
        "document.getElementById('settings-heading').scrollIntoView()",
        vec![],
    )
    .await
    .unwrap();
    screenshot(&c, "dashboard-settings").await;

    // A clause that drives the decision opens in the checklist.
    let first = &unassessed_mandatory[0];
    click(
        &c,
        &format!("[data-testid=decision-reasons] [data-open-clause='{first}']"),
    )
    .await;
    find(
        &c,
        &format!("[data-testid=clause-detail][data-clause-id='{first}']"),
    )
    .await;
    c.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_self_assessment_is_labelled_as_such_on_the_dashboard() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = dir.path().join("self.ccaudit");
    let mut details = NewAudit::named("Own Assessment Centre");
    details.audit_type = AuditType::SelfAssessment;
    Audit::create(&path, &details, &Checklist::resolve(None).unwrap()).unwrap();
    let driver = Driver::start(&dir.path().join("data"));
    let c = driver.window(&[&path]).await;
    click(&c, "[data-screen=dashboard]").await;
    assert_eq!(
        text(&c, "[data-testid=self-assessment]").await,
        "Self-assessment — not a certification recommendation"
    );
    assert_eq!(text(&c, "[data-testid=decision-text]").await, "Incomplete");
    c.close().await.unwrap();
}

/// k / n as the app prints them.
fn kn(m: &MetricResult) -> String {
    match m.k {
        Some(k) => format!("{} / {}", thousands(k), thousands(m.n)),
        None => format!("n = {}", thousands(m.n)),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_clause_shows_its_metrics_and_suggestion_as_the_core_computes_them() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let (audit, copy) = demo_pair(dir.path());
    let core = Audit::open(&copy).unwrap();
    let evidence = core.evidence().unwrap();
    let suggestion = core
        .suggestion("4.4.3")
        .unwrap()
        .expect("4.4.3 has metrics");

    // complaint_ack_24h a second way: acknowledged within 24 h of receipt / complaints.
    let (k, n): (i64, i64) = read_only(&audit)
        .query_row(
            "SELECT sum(acknowledged_at IS NOT NULL AND acknowledged_at - received_at <= 86400),
                    count(*) FROM complaint",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let ack = evidence.metric("complaint_ack_24h").unwrap();
    assert_eq!((ack.k, ack.n), (Some(k as u64), n as u64));
    let (file, sha): (String, String) = read_only(&audit)
        .query_row(
            "SELECT file_name, sha256 FROM import WHERE kind = 'complaints'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();

    let driver = Driver::start(&dir.path().join("data"));
    let c = driver.window(&[&audit]).await;
    open_clause(&c, "4.4.3").await;
    for id in ["complaint_ack_24h", "complaint_reference_given"] {
        let m = evidence.metric(id).unwrap();
        let card = format!("[data-testid=metric][data-metric={id}]");
        assert_eq!(
            text(&c, &format!("{card} [data-testid=metric-kn]")).await,
            kn(m)
        );
        assert_eq!(
            text(&c, &format!("{card} [data-testid=metric-value]")).await,
            format!("{:.1} %", m.value.unwrap() * 100.0)
        );
        assert_eq!(
            find(&c, &card).await.attr("data-status").await.unwrap(),
            Some(m.status.as_str().to_string())
        );
        let sources = text(&c, &format!("{card} [data-testid=metric-sources]")).await;
        assert!(
            sources.contains(&file) && sources.contains(&sha[..12]),
            "{sources}"
        );
        find(&c, &format!("{card} [data-testid=interval-bar]")).await;
    }
    assert_eq!(
        find(&c, "[data-testid=suggestion]")
            .await
            .attr("data-grade")
            .await
            .unwrap(),
        Some(suggestion.grade.as_str().to_string())
    );

    // A clause whose figures depend on settings prints the values used.
    open_clause(&c, "7.2").await;
    let params = text(
        &c,
        "[data-metric=service_level] [data-testid=metric-parameters]",
    )
    .await;
    assert_eq!(params, "T = 20 s · short abandon < 5 s");
    let asa = evidence.metric("asa_seconds").unwrap();
    assert_eq!(
        text(&c, "[data-metric=asa_seconds] [data-testid=metric-kn]").await,
        kn(asa)
    );
    assert_eq!(
        text(&c, "[data-metric=asa_seconds] [data-testid=metric-value]").await,
        format!("{:.1} s", asa.value.unwrap())
    );
    c.execute(
        "document.getElementById('metrics-heading').scrollIntoView()",
        vec![],
    )
    .await
    .unwrap();
    screenshot(&c, "clause-metrics").await;
    c.close().await.unwrap();
}

/// The stored grade, suggested grade and reason of a clause, read with plain SQL.
fn stored_grade(path: &Path, clause: &str) -> Option<(String, Option<String>, String)> {
    read_only(path)
        .query_row(
            "SELECT grade, suggested, reason FROM assessment WHERE clause_id = ?1",
            [clause],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .ok()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_grade_other_than_the_suggestion_is_stored_only_with_its_reason() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let (audit, copy) = demo_pair(dir.path());
    let suggested = Audit::open(&copy)
        .unwrap()
        .suggestion("4.4.3")
        .unwrap()
        .expect("a suggestion")
        .grade;
    assert_ne!(suggested, clausewise::Grade::Conforming);
    assert_eq!(stored_grade(&audit, "4.4.3"), None);

    let driver = Driver::start(&dir.path().join("data"));
    let c = driver.window(&[&audit]).await;
    open_clause(&c, "4.4.3").await;
    find(&c, "[data-testid=suggestion]").await;
    click(&c, "label[data-grade=conforming]").await;
    let hint = text(&c, "[data-testid=deviation]").await;
    assert!(
        hint.contains(&capitalised(suggested.label())) && hint.contains("Conforming"),
        "{hint}"
    );
    tokio::time::sleep(Duration::from_millis(900)).await;
    assert_eq!(
        stored_grade(&audit, "4.4.3"),
        None,
        "no reason, nothing stored"
    );
    assert!(
        c.find(Locator::Css("[data-testid=error]")).await.is_err(),
        "the window waits for the reason instead of sending a grade the core refuses"
    );

    let reason =
        "Re-sampled 40 complaints of November: each had a reference and an acknowledgement.";
    find(&c, "textarea#reason")
        .await
        .send_keys(reason)
        .await
        .unwrap();
    click(&c, "textarea#note").await;
    let row = eventually("the grade with its reason in the file", async || {
        stored_grade(&audit, "4.4.3")
    })
    .await;
    assert_eq!(
        row,
        (
            "conforming".to_string(),
            Some(suggested.as_str().to_string()),
            reason.to_string()
        )
    );
    c.close().await.unwrap();
}

/// A finding's corrective action, read with plain SQL.
fn action_of(path: &Path, id: i64) -> Option<(String, String, Option<String>, String)> {
    read_only(path)
        .query_row(
            "SELECT action, owner, due_date, status FROM finding WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .ok()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_findings_corrective_action_is_edited_added_and_deleted() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let (audit, _) = demo_pair(dir.path());
    let id: i64 = read_only(&audit)
        .query_row(
            "SELECT id FROM finding WHERE clause_id = '4.2.5'",
            [],
            |r| r.get(0),
        )
        .expect("the demo's finding on 4.2.5");

    let driver = Driver::start(&dir.path().join("data"));
    let c = driver.window(&[&audit]).await;
    click(&c, "[data-screen=findings]").await;
    let card = format!("[data-testid=finding][data-finding-id='{id}']");
    find(&c, &format!("{card} [data-testid=no-plan]")).await;

    let action = "Make the reference number a required field of the e-mail reply template.";
    let owner = "Ayşe Demir, complaints team lead";
    retype(&c, &format!("{card} [data-testid=finding-action]"), action).await;
    retype(&c, &format!("{card} [data-testid=finding-owner]"), owner).await;
    find(&c, &format!("{card} [data-testid=finding-status]"))
        .await
        .select_by_value("in_progress")
        .await
        .unwrap();
    let row = eventually("the corrective action in the file", async || {
        action_of(&audit, id).filter(|r| r.0 == action && r.1 == owner && r.3 == "in_progress")
    })
    .await;
    // The demo's finding has the default due date, so the plan is now complete.
    assert!(row.2.is_some());
    eventually("the plan badge to go", async || {
        c.find(Locator::Css(&format!("{card} [data-testid=no-plan]")))
            .await
            .is_err()
            .then_some(())
    })
    .await;

    // Adding a finding to a clause, then deleting it after confirming.
    let count = |p: &Path| -> i64 {
        read_only(p)
            .query_row("SELECT count(*) FROM finding", [], |r| r.get(0))
            .unwrap()
    };
    let before = count(&audit);
    find(&c, "[data-testid=new-finding-clause]")
        .await
        .select_by_value("7.4")
        .await
        .unwrap();
    click(&c, ".add-finding button[type=submit]").await;
    find(&c, "[data-testid=finding][data-clause='7.4']").await;
    assert_eq!(count(&audit), before + 1);
    find(
        &c,
        "[data-testid=finding][data-clause='7.4'] [data-testid=no-plan]",
    )
    .await;
    screenshot(&c, "findings").await;
    click(&c, "[data-testid=finding][data-clause='7.4'] button.delete").await;
    find(&c, "[data-testid=confirm-dialog]").await;
    click(&c, "[data-testid=confirm]").await;
    eventually("the finding to be deleted", async || {
        (count(&audit) == before).then_some(())
    })
    .await;
    c.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn the_sampling_dialog_plans_sizes_and_lists_the_samples_drawn() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let (audit, _) = demo_pair(dir.path());
    let contacts: u64 = read_only(&audit)
        .query_row("SELECT count(*) FROM contact", [], |r| r.get::<_, i64>(0))
        .unwrap() as u64;
    // A sample drawn earlier (the native save dialog cannot be driven by WebDriver).
    let drawn = {
        let mut a = Audit::open(&audit).unwrap();
        clausewise::sampling::draw(
            &mut a,
            &SampleRequest {
                rule: SizeRule::Fixed { size: 40 },
                seed: 18295,
                strata: vec![Stratum::Channel],
            },
            &dir.path().join("sheet.csv"),
        )
        .unwrap()
    };

    let driver = Driver::start(&dir.path().join("data"));
    let c = driver.window(&[&audit]).await;
    click(&c, "[data-testid=open-sampling]").await;
    // metrics.md: zero-defect at 95 % / 5 % needs 59 records.
    let planned = eventually("the planned size", async || {
        Some(text(&c, "[data-testid=sample-plan]").await).filter(|t| t.contains(" of "))
    })
    .await;
    assert!(
        planned.starts_with(&format!("59 of {} contacts", thousands(contacts))),
        "{planned}"
    );
    // Estimating a rate to ±5 % at 95 %: n₀ = 1.96²·0.25/0.05² = 384.15, and with the
    // finite-population correction n = n₀ / (1 + (n₀ − 1)/N).
    let n0 = 1.959_964_f64.powi(2) * 0.25 / 0.0025;
    let expected = (n0 / (1.0 + (n0 - 1.0) / contacts as f64)).ceil() as u64;
    click(&c, "input[name=method][value=estimate]").await;
    let planned = eventually("the estimate's size", async || {
        Some(text(&c, "[data-testid=planned-size]").await).filter(|t| *t != "59")
    })
    .await;
    assert_eq!(planned, thousands(expected));
    // A rate the rule cannot use is named and nothing is planned.
    retype(&c, "#sample-confidence", "100").await;
    let hint = text(&c, "[data-testid=sample-plan]").await;
    assert!(hint.contains("confidence"), "{hint}");
    retype(&c, "#sample-confidence", "95").await;

    let listed = text(&c, "[data-testid=samples] tbody tr").await;
    assert!(
        listed.contains(&drawn.seed.to_string()) && listed.contains("40 of"),
        "{listed}"
    );
    for a in &drawn.allocation {
        assert!(
            listed.contains(&format!(
                "{}: {} / {}",
                a.stratum,
                a.drawn,
                thousands(a.population)
            )),
            "{listed}"
        );
    }
    screenshot(&c, "sampling").await;
    c.close().await.unwrap();
}

/// True while no script planted in imported text has run (each sets `window.__xss`).
async fn no_script_ran(c: &Client) -> bool {
    c.execute("return window.__xss === undefined", vec![])
        .await
        .expect("a script result")
        == serde_json::Value::Bool(true)
}

#[tokio::test(flavor = "multi_thread")]
async fn markup_in_imported_files_is_shown_as_text_and_never_runs() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let audit = dir.path().join("xss.ccaudit");
    let checklist = Checklist::resolve(None).unwrap();
    Audit::create(&audit, &NewAudit::named("Escaping Test Centre"), &checklist).unwrap();
    // Markup in a queue name, an agent id, a rejected row and the file's own name.
    let file = dir
        .path()
        .join("calls <img src=x onerror=window.__xss=3>.csv");
    std::fs::write(
        &file,
        "call_id,started_at,channel,queue,queue_seconds,outcome,agent_id\n\
         x1,2026-10-01T10:00:00+03:00,voice,<script>window.__xss=1</script>,10,answered,\"<img src=x onerror=\"\"window.__xss=2\"\">\"\n\
         x2,not a time,voice,<svg onload=window.__xss=4>,10,answered,A1\n",
    )
    .unwrap();
    let driver = Driver::start(&dir.path().join("data"));
    let c = driver.window(&[&audit]).await;

    // The import screen: the preview shows the values as written.
    click(&c, "[data-testid=nav-import]").await;
    find(&c, "#import-path")
        .await
        .send_keys(&file.display().to_string())
        .await
        .unwrap();
    click(&c, "[data-testid=preview-button]").await;
    find(&c, "[data-testid=preview-sample]").await;
    let page = c.source().await.unwrap();
    assert!(
        page.contains("&lt;script&gt;window.__xss=1&lt;/script&gt;"),
        "the queue name is shown as text"
    );
    assert!(no_script_ran(&c).await, "a script ran from the preview");

    // Imported: the result lists the rejected row as written.
    click(&c, "[data-testid=start-import]").await;
    find(&c, "[data-testid=import-result]").await;
    eventually("the rejected row shown as text", async || {
        c.source()
            .await
            .ok()
            .filter(|p| p.contains("&lt;svg onload=window.__xss=4&gt;"))
    })
    .await;
    assert!(no_script_ran(&c).await, "a script ran from the result");

    // The clause view names the source file, markup and all, as text.
    click(&c, "[data-testid=nav-checklist]").await;
    open_clause(&c, "4.2.6").await;
    let sources = text(
        &c,
        "[data-metric=agent_id_recorded] [data-testid=metric-sources]",
    )
    .await;
    assert!(
        sources.contains("calls <img src=x onerror=window.__xss=3>.csv"),
        "sources were {sources:?}"
    );
    click(&c, "[data-testid=nav-dashboard]").await;
    find(&c, "[data-testid=decision]").await;
    assert!(
        no_script_ran(&c).await,
        "a script ran from the clause view or dashboard"
    );
    screenshot(&c, "escaping").await;
    c.close().await.unwrap();
}
