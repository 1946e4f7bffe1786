//! End-to-end tests: the real Clausewise window, started by tauri-driver + WebKitWebDriver under
//! X (Xvfb in CI), driven by clicking and typing as an auditor would. What the window saved is
//! then read from the audit file with plain SQL, independently of the app.
//!
//! Needs: a built `clausewise-app` (env `CLAUSEWISE_APP`, default: next to this test's target
//! folder), `tauri-driver` (env `TAURI_DRIVER`, default: on PATH), `WebKitWebDriver` and a
//! `DISPLAY`. `scripts/test.sh` provides all of them.

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use clausewise::{Audit, Checklist, NewAudit};
use fantoccini::{elements::Element, Client, ClientBuilder, Locator};
use rusqlite::{Connection, OpenFlags};
use serde_json::json;

mod evidence;

const TIMEOUT: Duration = Duration::from_secs(20);

fn app_binary() -> PathBuf {
    if let Some(p) = std::env::var_os("CLAUSEWISE_APP") {
        return PathBuf::from(p);
    }
    // target/<profile>/deps/window-<hash> → target/<profile>/clausewise-app
    let exe = std::env::current_exe().expect("the test knows its own path");
    exe.parent()
        .and_then(Path::parent)
        .map(|d| d.join("clausewise-app"))
        .expect("the test binary sits in target/<profile>/deps")
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

/// A tauri-driver process for one test, stopped when dropped.
struct Driver {
    child: Child,
    port: u16,
}

impl Driver {
    fn start(data_home: &Path) -> Driver {
        assert!(
            std::env::var_os("DISPLAY").is_some(),
            "no DISPLAY: run the window tests under xvfb-run (scripts/test.sh does)"
        );
        let app = app_binary();
        assert!(app.is_file(), "{} is not built", app.display());
        let port = free_port();
        let native = free_port();
        let driver = std::env::var_os("TAURI_DRIVER").unwrap_or_else(|| "tauri-driver".into());
        let child = Command::new(&driver)
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &native.to_string(),
            ])
            // The app keeps its recent list and demo audit here, not in the user's home.
            .env("XDG_DATA_HOME", data_home)
            .env("XDG_CONFIG_HOME", data_home)
            // Without a GPU, WebKit's compositor can hand WebDriver a stale frame for
            // screenshots; plain rendering keeps them true to the page.
            .env("WEBKIT_DISABLE_COMPOSITING_MODE", "1")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| panic!("could not start {}: {e}", driver.to_string_lossy()));
        // Both tauri-driver and the WebKitWebDriver it starts must be listening.
        let started = Instant::now();
        for p in [port, native] {
            while TcpStream::connect(("127.0.0.1", p)).is_err() {
                assert!(
                    started.elapsed() < TIMEOUT,
                    "the WebDriver did not listen on {p}"
                );
                std::thread::sleep(Duration::from_millis(100));
            }
        }
        Driver { child, port }
    }

    async fn window(&self, args: &[&Path]) -> Client {
        let args: Vec<String> = args.iter().map(|p| p.display().to_string()).collect();
        let caps = json!({
            "tauri:options": { "application": app_binary(), "args": args }
        });
        let caps = caps.as_object().expect("an object").clone();
        ClientBuilder::rustls()
            .expect("TLS roots")
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{}", self.port))
            .await
            .expect("a WebDriver session on the app window")
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        // SIGTERM lets tauri-driver stop the WebKitWebDriver it started; SIGKILL would not.
        let _ = Command::new("kill")
            .arg(self.child.id().to_string())
            .status();
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(5) {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn find(c: &Client, css: &str) -> Element {
    c.wait()
        .at_most(TIMEOUT)
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("no element '{css}' within {TIMEOUT:?}: {e}"))
}

/// Polls `check` until it returns `Some`, or fails the test after the timeout.
async fn eventually<T>(what: &str, mut check: impl AsyncFnMut() -> Option<T>) -> T {
    let started = Instant::now();
    loop {
        if let Some(v) = check().await {
            return v;
        }
        assert!(started.elapsed() < TIMEOUT, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The stored grade, note and reason of a clause, read with plain SQL, not through the app.
fn stored(path: &Path, clause: &str) -> Option<(String, String, String)> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY).ok()?;
    conn.query_row(
        "SELECT grade, note, reason FROM assessment WHERE clause_id = ?1",
        [clause],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )
    .ok()
}

async fn save_status(c: &Client) -> String {
    find(c, "[data-testid=save-status]")
        .await
        .attr("data-status")
        .await
        .ok()
        .flatten()
        .unwrap_or_default()
}

async fn screenshot(c: &Client, name: &str) {
    if let Some(dir) = std::env::var_os("CLAUSEWISE_ARTIFACTS") {
        let png = c.screenshot().await.expect("a screenshot of the window");
        let dir = PathBuf::from(dir);
        std::fs::create_dir_all(&dir).expect("the artifacts folder");
        std::fs::write(dir.join(format!("{name}.png")), png).expect("the screenshot is written");
    }
}

fn new_audit(dir: &Path, organisation: &str) -> PathBuf {
    let path = dir.join("e2e.ccaudit");
    let checklist = Checklist::resolve(None).expect("the default checklist");
    Audit::create(&path, &NewAudit::named(organisation), &checklist).expect("a new audit file");
    path
}

#[tokio::test(flavor = "multi_thread")]
async fn grading_a_clause_by_clicking_is_saved_in_the_audit_file() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let audit = new_audit(dir.path(), "Window Test Contact Centre");
    let driver = Driver::start(&dir.path().join("data"));
    let c = driver.window(&[&audit]).await;

    let title = find(&c, "[data-testid=audit-title]")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        title.contains("Window Test Contact Centre"),
        "title was {title:?}"
    );
    let shown_path = find(&c, "[data-testid=audit-path]")
        .await
        .attr("title")
        .await
        .unwrap();
    assert_eq!(shown_path, Some(audit.display().to_string()));
    assert_eq!(
        stored(&audit, "4.2.5"),
        None,
        "a fresh audit has no grade yet"
    );

    find(&c, "[data-clause='4.2.5']")
        .await
        .click()
        .await
        .unwrap();
    find(&c, "[data-testid=clause-detail][data-clause-id='4.2.5']").await;
    find(&c, "label[data-grade=minor]")
        .await
        .click()
        .await
        .unwrap();

    let note = "Reference number missing in 3 of 20 sampled e-mails (İ, ş, ğ kept).";
    find(&c, "textarea#note")
        .await
        .send_keys(note)
        .await
        .unwrap();
    // Leaving the field saves it at once.
    find(&c, "textarea#reason").await.click().await.unwrap();

    let row = eventually("the grade and note in the audit file", async || {
        stored(&audit, "4.2.5").filter(|(_, n, _)| n == note)
    })
    .await;
    assert_eq!(row.0, "minor");
    let status = eventually("the status line to say saved", async || {
        Some(save_status(&c).await).filter(|s| s == "saved")
    })
    .await;
    assert_eq!(status, "saved");
    let dot = find(&c, "[data-clause='4.2.5'] .grade-dot").await;
    assert!(dot
        .attr("class")
        .await
        .unwrap()
        .unwrap()
        .contains("grade-minor"));
    let count = find(&c, "[data-section-progress='4']")
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(count, "1/29", "one of section 4's 29 clauses is graded");
    let shown = find(&c, "[data-testid=save-status]")
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(shown, "All changes saved");
    screenshot(&c, "graded-clause").await;
    c.close().await.unwrap();

    // The app is gone; the grade is in the file for anyone who opens it.
    let conn = Connection::open(&audit).unwrap();
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    let history: i64 = conn
        .query_row(
            "SELECT count(*) FROM assessment_history WHERE clause_id = '4.2.5'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(
        history >= 2,
        "the grade and the note are both in the audit trail"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn not_applicable_is_saved_only_with_a_justification() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let audit = new_audit(dir.path(), "Scope Test Centre");
    let driver = Driver::start(&dir.path().join("data"));
    let c = driver.window(&[&audit]).await;

    find(&c, "[data-clause='4.5.6']")
        .await
        .click()
        .await
        .unwrap();
    find(&c, "[data-testid=clause-detail][data-clause-id='4.5.6']").await;
    find(&c, "label[data-grade=na]")
        .await
        .click()
        .await
        .unwrap();
    find(&c, "p.hint[role=alert]").await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert_eq!(
        stored(&audit, "4.5.6"),
        None,
        "no justification, nothing stored"
    );

    let reason = "Outbound calls are outside the agreed scope.";
    find(&c, "textarea#reason")
        .await
        .send_keys(reason)
        .await
        .unwrap();
    find(&c, "textarea#note").await.click().await.unwrap();
    let row = eventually("the justified grade in the file", async || {
        stored(&audit, "4.5.6").filter(|(g, _, _)| g == "na")
    })
    .await;
    assert_eq!(row.2, reason);
    c.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn first_start_opens_the_demo_audit() {
    let demo: toml::Value = toml::from_str(include_str!("../../audits/demo/demo.toml")).unwrap();
    let organisation = demo["audit"]["organisation"].as_str().unwrap();
    let graded = demo["assessment"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["grade"].as_str() != Some("not-assessed"))
        .count();

    let dir = tempfile::tempdir().expect("a temp dir");
    let data = dir.path().join("data");
    let driver = Driver::start(&data);
    let c = driver.window(&[]).await;

    let title = find(&c, "[data-testid=audit-title]")
        .await
        .text()
        .await
        .unwrap();
    assert!(title.contains(organisation), "title was {title:?}");
    let status = find(&c, ".statusbar .progress").await.text().await.unwrap();
    assert!(
        status.starts_with(&format!("{graded} of ")),
        "status line was {status:?}"
    );
    screenshot(&c, "demo-audit").await;
    c.close().await.unwrap();
    let demo_file = data.join("app.clausewise.desktop").join("demo.ccaudit");
    assert!(
        demo_file.is_file(),
        "the demo audit is kept in the app's data folder"
    );
}
