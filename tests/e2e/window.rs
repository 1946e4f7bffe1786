//! End-to-end tests: the real Clausewise window, started by tauri-driver + WebKitWebDriver under
//! X (Xvfb in CI), driven by clicking and typing as an auditor would. What the window saved is
//! then read from the audit file with plain SQL, independently of the app.
//!
//! Needs: a built `clausewise-app` (env `CLAUSEWISE_APP`, default: next to this test's target
//! folder), `tauri-driver` (env `TAURI_DRIVER`, default: on PATH), `WebKitWebDriver` and a
//! `DISPLAY`. `scripts/test.sh` provides all of them.

use std::collections::BTreeSet;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use clausewise::{Audit, Checklist, NewAudit};
use fantoccini::{elements::Element, Client, ClientBuilder, Locator};
use rusqlite::{Connection, OpenFlags};
use serde_json::json;

mod a11y;
mod attachments;
mod distribution;
mod evidence;
mod flow;
mod report;

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

/// One window at a time: `cargo test --workspace` may run this binary's tests on several
/// threads, but the app windows and their drivers take turns (a failed test only passes the
/// turn on).
static ONE_WINDOW: Mutex<()> = Mutex::new(());

/// A tauri-driver process for one test, stopped when dropped.
struct Driver {
    child: Child,
    port: u16,
    _turn: MutexGuard<'static, ()>,
}

impl Driver {
    fn start(data_home: &Path) -> Driver {
        Driver::start_with(data_home, &[])
    }

    /// A driver whose app also sees the environment variables `env`.
    fn start_with(data_home: &Path, env: &[(&str, &Path)]) -> Driver {
        assert!(
            std::env::var_os("DISPLAY").is_some(),
            "no DISPLAY: run the window tests under xvfb-run (scripts/test.sh does)"
        );
        let app = app_binary();
        assert!(app.is_file(), "{} is not built", app.display());
        let turn = ONE_WINDOW
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
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
            .envs(env.iter().map(|(k, v)| (*k, *v)))
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
        Driver {
            child,
            port,
            _turn: turn,
        }
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
        let dir = PathBuf::from(dir);
        std::fs::create_dir_all(&dir).expect("the artifacts folder");
        let file = dir.join(format!("{name}.png"));
        // The X display's own pixels (ImageMagick's `import`), as the user sees the window.
        // WebKitWebDriver's screenshot command can wait for ever for a rendering update on a
        // page with nothing left to draw; it is used only where `import` is missing.
        let grabbed = std::process::Command::new("import")
            .args(["-window", "root"])
            .arg(&file)
            .status()
            .is_ok_and(|s| s.success());
        if !grabbed {
            let png = c.screenshot().await.expect("a screenshot of the window");
            std::fs::write(&file, png).expect("the screenshot is written");
        }
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

// ---- the import screen --------------------------------------------------------------------------

/// A file of the shared folder of real exports, found next to the repository as the
/// integration tests find it.
fn realdata(rel: &str) -> PathBuf {
    Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/realdata"
    ))
    .join(rel)
}

/// `M/D/YYYY` as (year, month, day), by hand.
fn us_date(text: &str) -> (u32, u32, u32) {
    let n: Vec<u32> = text.split('/').map(|p| p.parse().unwrap()).collect();
    (n[2], n[0], n[1])
}

async fn attr(c: &Client, css: &str, name: &str) -> String {
    find(c, css)
        .await
        .attr(name)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("'{css}' has no attribute {name}"))
}

#[tokio::test(flavor = "multi_thread")]
async fn importing_a_real_cfpb_export_from_the_import_screen() {
    let file = std::fs::canonicalize(realdata("complaints/cfpb_2013-2016_sample_nobieyi00.csv"))
        .expect("the real CFPB export (shared/realdata next to the repository)");
    // What the import must find, from the CSV itself: every data row, and the rows whose
    // complaint was sent to the company before it was received (rejected by the preset).
    let bytes = std::fs::read(&file).unwrap();
    // The line a record starts on: line ends before its first byte, plus one. (The csv crate's
    // own line count is off by one after a CRLF line end.)
    let line_of = |at: usize| {
        let start = at
            + bytes[at..]
                .iter()
                .take_while(|b| **b == b'\r' || **b == b'\n')
                .count();
        1 + bytes[..start].iter().filter(|b| **b == b'\n').count() as u64
    };
    let mut reader = csv::Reader::from_reader(bytes.as_slice());
    let header = reader.headers().unwrap().clone();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (received, sent) = (col("Date received"), col("Date sent to company"));
    let mut rows = 0u64;
    let mut first_line = 0u64;
    let mut early_lines = BTreeSet::new();
    // The preview runs the first 1000 rows through the preset.
    let mut early_in_sample = 0u64;
    for record in reader.records() {
        let record = record.unwrap();
        let line = line_of(record.position().unwrap().byte() as usize);
        if rows == 0 {
            first_line = line;
        }
        rows += 1;
        if us_date(&record[sent]) < us_date(&record[received]) {
            early_lines.insert(line);
            if rows <= 1000 {
                early_in_sample += 1;
            }
        }
    }
    let rejected = early_lines.len() as u64;
    assert!(rejected > 0);

    let dir = tempfile::tempdir().expect("a temp dir");
    let audit = new_audit(dir.path(), "Import Test Centre");
    let driver = Driver::start(&dir.path().join("data"));
    let c = driver.window(&[&audit]).await;

    find(&c, "[data-testid=nav-import]")
        .await
        .click()
        .await
        .unwrap();
    find(&c, "input[name=kind][value=complaints]")
        .await
        .click()
        .await
        .unwrap();
    find(&c, "#import-path")
        .await
        .send_keys(&file.display().to_string())
        .await
        .unwrap();
    find(&c, "[data-testid=preview-button]")
        .await
        .click()
        .await
        .unwrap();

    // The preview: the CFPB preset detected, the first rows shown as records.
    let layout = attr(
        &c,
        "[data-testid=detected-layout][data-layout]",
        "data-layout",
    )
    .await;
    assert_eq!(layout, "cfpb");
    let first = attr(&c, "[data-testid=preview-table] tbody tr", "data-line").await;
    assert_eq!(first, first_line.to_string());
    let shown = c
        .find_all(Locator::Css("[data-testid=preview-table] tbody tr"))
        .await
        .unwrap()
        .len();
    assert_eq!(shown, 20);
    let sample = find(&c, "[data-testid=preview-sample]")
        .await
        .text()
        .await
        .unwrap();
    assert!(sample.starts_with("First 1,000 rows:"), "{sample}");
    let sample_count = async |name: &str| -> u64 {
        attr(&c, "[data-testid=preview-sample]", name)
            .await
            .parse()
            .unwrap()
    };
    assert_eq!(sample_count("data-rejected").await, early_in_sample);
    assert_eq!(sample_count("data-records").await, 1000 - early_in_sample);
    screenshot(&c, "import-preview").await;

    find(&c, "[data-testid=start-import]")
        .await
        .click()
        .await
        .unwrap();
    let result = "[data-testid=import-result]";
    find(&c, result).await;
    let count = async |name: &str| -> u64 { attr(&c, result, name).await.parse().unwrap() };
    assert_eq!(count("data-read").await, rows);
    assert_eq!(count("data-rejected").await, rejected);
    assert_eq!(count("data-accepted").await, rows - rejected);
    assert_eq!(count("data-skipped").await, 0);

    // The rejected rows, by line.
    let shown_lines = eventually("the rejected rows table", async || {
        let cells = c
            .find_all(Locator::Css(
                "[data-testid=rejected-table] tbody tr[data-line]",
            ))
            .await
            .ok()?;
        let mut lines = BTreeSet::new();
        for cell in cells {
            lines.insert(cell.attr("data-line").await.ok()??.parse::<u64>().ok()?);
        }
        (lines.len() as u64 == rejected).then_some(lines)
    })
    .await;
    assert_eq!(shown_lines, early_lines);
    let history = c
        .find_all(Locator::Css("[data-testid=import-history] tbody tr"))
        .await
        .unwrap()
        .len();
    assert_eq!(history, 1);
    screenshot(&c, "import-result").await;
    let first_id = attr(&c, result, "data-import-id").await;

    // The same file again: refused, until "Replace the earlier import" is ticked.
    find(&c, "[data-testid=back-to-preview]")
        .await
        .click()
        .await
        .unwrap();
    find(&c, "[data-testid=start-import]")
        .await
        .click()
        .await
        .unwrap();
    let message = find(&c, "[data-testid=error]").await.text().await.unwrap();
    assert!(
        message.contains("this file was imported before")
            && message.contains("Replace the earlier import"),
        "{message}"
    );
    find(&c, "#imp-replace").await.click().await.unwrap();
    find(&c, "[data-testid=start-import]")
        .await
        .click()
        .await
        .unwrap();
    let second_id = eventually("the result of the second import", async || {
        let id = find(&c, result).await.attr("data-import-id").await.ok()??;
        (id != first_id).then_some(id)
    })
    .await;
    assert_eq!(count("data-accepted").await, rows - rejected);
    let history = eventually("the import log to show one import", async || {
        let rows = c
            .find_all(Locator::Css("[data-testid=import-history] tbody tr"))
            .await
            .ok()?;
        let ids = {
            let mut ids = Vec::new();
            for r in rows {
                ids.push(r.attr("data-import-id").await.ok()??);
            }
            ids
        };
        (ids == [second_id.clone()]).then_some(ids)
    })
    .await;
    assert_eq!(history.len(), 1, "the earlier import was replaced");
    c.close().await.unwrap();

    // The audit file, read with plain SQL.
    let conn = Connection::open_with_flags(&audit, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    let (preset, read, accepted): (String, i64, i64) = conn
        .query_row("SELECT preset, rows_read, accepted FROM import", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .unwrap();
    assert_eq!(preset, "cfpb");
    assert_eq!((read as u64, accepted as u64), (rows, rows - rejected));
    let imports: i64 = conn
        .query_row("SELECT count(*) FROM import", [], |r| r.get(0))
        .unwrap();
    assert_eq!(imports, 1);
    let complaints: i64 = conn
        .query_row("SELECT count(*) FROM complaint", [], |r| r.get(0))
        .unwrap();
    assert_eq!(complaints as u64, rows - rejected);
    let stored: BTreeSet<u64> = conn
        .prepare("SELECT DISTINCT line FROM import_error")
        .unwrap()
        .query_map([], |r| r.get::<_, i64>(0))
        .unwrap()
        .map(|l| l.unwrap() as u64)
        .collect();
    assert_eq!(stored, early_lines);
}

/// Types `path` into the import screen's file field and previews it.
async fn preview_path(c: &Client, path: &Path) {
    find(c, "[data-testid=nav-import]")
        .await
        .click()
        .await
        .unwrap();
    find(c, "#import-path")
        .await
        .send_keys(&path.display().to_string())
        .await
        .unwrap();
    find(c, "[data-testid=preview-button]")
        .await
        .click()
        .await
        .unwrap();
}

fn table_count(audit: &Path, table: &str) -> i64 {
    let conn = Connection::open_with_flags(audit, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_long_import_shows_its_speed_and_cancel_leaves_the_audit_file_as_it_was() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let audit = new_audit(dir.path(), "Cancel Test Centre");
    // Long enough that the import is still running when Cancel is pressed.
    let file = dir.path().join("calls.csv");
    let mut text = String::from("call_id,started_at,outcome\n");
    for i in 0..300_000u32 {
        text.push_str(&format!(
            "C{i},2024-03-01T{:02}:{:02}:{:02}+03:00,answered\n",
            i / 3600 % 24,
            i / 60 % 60,
            i % 60
        ));
    }
    std::fs::write(&file, text).unwrap();

    let driver = Driver::start(&dir.path().join("data"));
    let c = driver.window(&[&audit]).await;
    preview_path(&c, &file).await;
    let layout = attr(
        &c,
        "[data-testid=detected-layout][data-layout]",
        "data-layout",
    )
    .await;
    assert_eq!(layout, "canonical-calls");
    find(&c, "[data-testid=start-import]")
        .await
        .click()
        .await
        .unwrap();

    // The bar moves and says how fast.
    let speed = eventually("a progress report with rows/s", async || {
        let text = find(&c, "[data-testid=import-rate]")
            .await
            .text()
            .await
            .ok()?;
        let n: u64 = text
            .strip_suffix(" rows/s")?
            .replace(',', "")
            .parse()
            .ok()?;
        (n > 0).then_some(n)
    })
    .await;
    assert!(speed > 0);
    screenshot(&c, "import-progress").await;
    find(&c, "[data-testid=cancel-import]")
        .await
        .click()
        .await
        .unwrap();

    let message = find(&c, "[data-testid=error]").await.text().await.unwrap();
    assert!(message.contains("the import was cancelled"), "{message}");
    find(&c, "[data-testid=start-import]").await;
    c.close().await.unwrap();

    for table in ["import", "import_error", "contact"] {
        assert_eq!(table_count(&audit, table), 0, "{table}");
    }
    let conn = Connection::open(&audit).unwrap();
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
}

/// An export no preset knows, mapped in the app's mapping editor and imported.
#[tokio::test(flavor = "multi_thread")]
async fn a_mapping_built_in_the_editor_imports_an_unknown_layout() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let audit = new_audit(dir.path(), "Mapping Test Centre");
    let file = dir.path().join("acme.csv");
    std::fs::write(
        &file,
        "Ref;Date;Time;Result;Agent\n\
         A-1;01.03.2024;09:00:05;AGENT;ayse\n\
         A-2;01.03.2024;09:01:00;HANG;\n\
         A-3;01.03.2024;09:02:00;TEST;\n\
         A-4;31.02.2024;09:03:00;AGENT;ali\n",
    )
    .unwrap();
    let driver = Driver::start(&dir.path().join("data"));
    let c = driver.window(&[&audit]).await;
    preview_path(&c, &file).await;

    let problem = find(&c, "[data-testid=preview-problem]")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        problem.contains("no calls preset recognises this layout"),
        "{problem}"
    );
    find(&c, "[data-testid=build-mapping]")
        .await
        .click()
        .await
        .unwrap();
    find(&c, "[data-testid=mapping-editor]").await;

    let choose = async |css: &str, value: &str| {
        find(&c, css)
            .await
            .select_by_value(value)
            .await
            .unwrap_or_else(|e| panic!("{css} = {value}: {e}"));
    };
    choose("select[aria-label='Source of call_id']", "column:Ref").await;
    choose("select[aria-label='Source of started_at']", "datetime").await;
    choose("select[aria-label='Date column of started_at']", "Date").await;
    choose("select[aria-label='Time column of started_at']", "Time").await;
    find(&c, "input[aria-label='Date/time format of started_at']")
        .await
        .send_keys("%d.%m.%Y %H:%M:%S")
        .await
        .unwrap();
    choose("select[aria-label='Source of outcome']", "column:Result").await;
    choose(
        "select[aria-label='Meaning of AGENT in outcome']",
        "answered",
    )
    .await;
    choose(
        "select[aria-label='Meaning of HANG in outcome']",
        "abandoned",
    )
    .await;
    choose("select[aria-label='Meaning of TEST in outcome']", "(skip)").await;
    // Optional fields that the file does not fill are folded away until asked for.
    assert!(c
        .find(Locator::Css("select[aria-label='Source of agent_id']"))
        .await
        .is_err());
    find(&c, "[data-testid=all-fields]")
        .await
        .click()
        .await
        .unwrap();
    choose("select[aria-label='Source of agent_id']", "column:Agent").await;
    find(&c, "#imp-offset")
        .await
        .send_keys("+03:00")
        .await
        .unwrap();

    // The preview follows the mapping: records, A-3 skipped, A-4 (31 February)
    // rejected.
    let counts = eventually("the preview of the mapping", async || {
        let p = find(&c, "[data-testid=preview-sample]").await;
        let get = async |n: &str| p.attr(n).await.ok().flatten();
        let counts = (
            get("data-records").await?,
            get("data-rejected").await?,
            get("data-skipped").await?,
        );
        (counts == ("2".into(), "1".into(), "1".into())).then_some(counts)
    })
    .await;
    assert_eq!(counts.0, "2");
    let layout = attr(
        &c,
        "[data-testid=detected-layout][data-layout]",
        "data-layout",
    )
    .await;
    assert_eq!(layout, "mapping:acme");
    find(&c, "[data-testid=all-fields]")
        .await
        .click()
        .await
        .unwrap();
    // Best effort: the top of the screen for the picture.
    let _ = c
        .execute(
            "document.querySelector('.import-main').scrollTop = 0",
            vec![],
        )
        .await;
    screenshot(&c, "import-mapping").await;

    find(&c, "[data-testid=start-import]")
        .await
        .click()
        .await
        .unwrap();
    let result = "[data-testid=import-result]";
    find(&c, result).await;
    assert_eq!(attr(&c, result, "data-accepted").await, "2");
    assert_eq!(attr(&c, result, "data-rejected").await, "1");
    assert_eq!(attr(&c, result, "data-skipped").await, "1");
    c.close().await.unwrap();

    let conn = Connection::open_with_flags(&audit, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    let rows: Vec<(String, i64, i64, String, Option<String>)> = conn
        .prepare(
            "SELECT call_id, started_at, utc_offset, outcome, agent_id FROM contact ORDER BY call_id",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    // 2024-03-01 is day 19783 of the Unix epoch; 09:00:05 at +03:00 is 06:00:05 UTC.
    let day = 19_783 * 86_400;
    assert_eq!(
        rows,
        [
            (
                "A-1".into(),
                day + 6 * 3600 + 5,
                180,
                "answered".into(),
                Some("ayse".into())
            ),
            (
                "A-2".into(),
                day + 6 * 3600 + 60,
                180,
                "abandoned".into(),
                None
            ),
        ]
    );
    let (preset, mapping): (String, String) = conn
        .query_row("SELECT preset, mapping FROM import", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!(preset, "mapping:acme");
    assert!(mapping.contains("[field.outcome]"), "{mapping}");
}

/// Kills (SIGKILL) the app process started for `audit`: no chance to flush or close anything.
fn kill_app_for(audit: &Path) {
    let pattern = format!("{} {}", app_binary().display(), audit.display());
    let out = Command::new("pkill")
        .args(["-KILL", "-f", &pattern])
        .status()
        .expect("pkill runs");
    assert!(out.success(), "no app process matched {pattern}");
    let started = Instant::now();
    while Command::new("pgrep")
        .args(["-f", &pattern])
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
    {
        assert!(started.elapsed() < TIMEOUT, "the app did not die");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn what_the_window_shows_as_saved_survives_killing_the_app_at_once() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let audit = new_audit(dir.path(), "Durability Test Centre");
    let driver = Driver::start(&dir.path().join("data"));
    for (round, (clause, grade)) in [("4.2.5", "minor"), ("4.1.1", "conforming"), ("6.1", "ofi")]
        .into_iter()
        .enumerate()
    {
        let c = driver.window(&[&audit]).await;
        find(&c, &format!("[data-clause='{clause}']"))
            .await
            .click()
            .await
            .unwrap();
        find(
            &c,
            &format!("[data-testid=clause-detail][data-clause-id='{clause}']"),
        )
        .await;
        find(&c, &format!("label[data-grade={grade}]"))
            .await
            .click()
            .await
            .unwrap();
        let note = format!("Round {round}: seen on the floor — çğıöşü.");
        find(&c, "textarea#note")
            .await
            .send_keys(&note)
            .await
            .unwrap();
        find(&c, "textarea#reason").await.click().await.unwrap();
        // The moment the window says "saved", the app is killed.
        eventually("the status line to say saved", async || {
            Some(save_status(&c).await).filter(|s| s == "saved")
        })
        .await;
        kill_app_for(&audit);
        drop(c);

        let conn = Connection::open(&audit).unwrap();
        let check: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(check, "ok", "round {round}");
        drop(conn);
        let (stored_grade, stored_note, _) =
            stored(&audit, clause).unwrap_or_else(|| panic!("round {round}: nothing stored"));
        assert_eq!(
            (stored_grade.as_str(), stored_note.as_str()),
            (grade, note.as_str())
        );
    }
}
