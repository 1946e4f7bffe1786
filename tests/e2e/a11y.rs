//! Window tests of the auditor's day: the app's language (English, Turkish, Persian right to
//! left) chosen at run time and kept after a restart, grading, moving and undoing by keyboard
//! alone (checked in the audit file with plain SQL), the shortcut list, and an axe-core check
//! of every screen in the light and the dark theme.

use std::path::{Path, PathBuf};
use std::time::Duration;

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;
use fantoccini::{Client, Locator};
use serde_json::Value;

use super::evidence::{click, text};
use super::{eventually, find, new_audit, preview_path, screenshot, stored, Driver};

pub(super) async fn script(c: &Client, js: &str) -> Value {
    c.execute(js, vec![])
        .await
        .unwrap_or_else(|e| panic!("script {js:?} failed: {e}"))
}

async fn root_attr(c: &Client, name: &str) -> String {
    script(
        c,
        &format!("return document.documentElement.getAttribute('{name}') || ''"),
    )
    .await
    .as_str()
    .unwrap_or_default()
    .to_string()
}

/// Chooses `value` in the select `css`, as a user picks an option.
pub(super) async fn choose(c: &Client, css: &str, value: &str) {
    find(c, css)
        .await
        .select_by_value(value)
        .await
        .unwrap_or_else(|e| panic!("could not choose {value} in '{css}': {e}"));
}

/// Keys typed wherever the keyboard is now, as a user types them, one after another.
pub(super) async fn press(c: &Client, keys: &str) {
    chord(c, &[], keys).await;
}

/// Each key of `keys` typed while `held` (modifiers such as Control) are held down.
pub(super) async fn chord(c: &Client, held: &[Key], keys: &str) {
    let mut actions = KeyActions::new("keyboard".into());
    for k in held {
        actions = actions.then(KeyAction::Down {
            value: char::from(*k),
        });
    }
    for k in keys.chars() {
        actions = actions
            .then(KeyAction::Down { value: k })
            .then(KeyAction::Up { value: k });
    }
    for k in held.iter().rev() {
        actions = actions.then(KeyAction::Up {
            value: char::from(*k),
        });
    }
    c.perform_actions(actions)
        .await
        .unwrap_or_else(|e| panic!("could not type {keys:?}: {e}"));
    // Let the page handle them before anything is checked.
    tokio::time::sleep(Duration::from_millis(150)).await;
}

async fn active_id(c: &Client) -> String {
    script(
        c,
        "return document.activeElement ? document.activeElement.id : ''",
    )
    .await
    .as_str()
    .unwrap_or_default()
    .to_string()
}

async fn shown_clause(c: &Client) -> String {
    find(c, "[data-testid=clause-detail]")
        .await
        .attr("data-clause-id")
        .await
        .unwrap()
        .unwrap_or_default()
}

/// The grade stored for a clause, read with plain SQL once the window has saved it.
async fn stored_grade(audit: &Path, clause: &str, want: &str) -> String {
    eventually(
        &format!("grade {want} of {clause} in the file"),
        async || {
            stored(audit, clause)
                .map(|(g, _, _)| g)
                .filter(|g| g == want)
        },
    )
    .await
}

#[tokio::test(flavor = "multi_thread")]
async fn the_language_is_chosen_at_run_time_kept_after_a_restart_and_persian_is_right_to_left() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let audit = new_audit(dir.path(), "Dil Testi Çağrı Merkezi");
    let driver = Driver::start(&dir.path().join("data"));
    let c = driver.window(&[&audit]).await;

    assert_eq!(text(&c, "[data-testid=nav-checklist]").await, "Checklist");
    assert_eq!(root_attr(&c, "dir").await, "ltr");
    choose(&c, "[data-testid=language]", "tr").await;
    assert_eq!(
        text(&c, "[data-testid=nav-checklist]").await,
        "Kontrol listesi"
    );
    assert_eq!(root_attr(&c, "lang").await, "tr");
    // The checklist's own text follows: it has Turkish.
    click(&c, "[data-clause='4.2.5']").await;
    let heading = text(&c, "[data-testid=clause-detail] h1").await;
    let turkish = clausewise::Checklist::resolve(None).unwrap();
    let clause = turkish.clause("4.2.5").unwrap();
    assert_eq!(heading, turkish.text(&clause.title, "tr"));
    // Headings in capitals by the Turkish rules (i → İ).
    assert_eq!(
        text(&c, "#grade-heading").await,
        "DEĞERLENDİRME",
        "upper case with a dotted İ"
    );
    // WebKit writes local storage to disk shortly after a change, not at once.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    c.close().await.unwrap();

    // A new start of the app is still in Turkish.
    let c = driver.window(&[&audit]).await;
    let label = eventually("the Turkish tab label after a restart", async || {
        let t = text(&c, "[data-testid=nav-checklist]").await;
        (t == "Kontrol listesi").then_some(t)
    })
    .await;
    assert_eq!(label, "Kontrol listesi");
    assert_eq!(root_attr(&c, "lang").await, "tr");

    // Persian: right to left, with English where the translation has no text yet.
    choose(&c, "[data-testid=language]", "fa").await;
    assert_eq!(root_attr(&c, "dir").await, "rtl");
    assert_eq!(text(&c, "[data-testid=nav-checklist]").await, "چک‌لیست");
    click(&c, "[data-testid=nav-import]").await;
    let browse = c
        .find(Locator::XPath("//button[normalize-space()='Browse…']"))
        .await;
    assert!(browse.is_ok(), "a key without Persian text is in English");
    // The sidebar sits on the right: its left edge is right of the middle of the window.
    click(&c, "[data-testid=nav-checklist]").await;
    let left = script(
        &c,
        "const r = document.querySelector('.sidebar').getBoundingClientRect(); return r.left > window.innerWidth / 2",
    )
    .await;
    assert_eq!(
        left,
        Value::Bool(true),
        "the checklist tree is on the right"
    );
    choose(&c, "[data-testid=language]", "en").await;
    assert_eq!(root_attr(&c, "dir").await, "ltr");
    c.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn grading_moving_and_undoing_by_keyboard_alone() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let audit = new_audit(dir.path(), "Keyboard Test Centre");
    let driver = Driver::start(&dir.path().join("data"));
    let c = driver.window(&[&audit]).await;
    let checklist = clausewise::Checklist::resolve(None).unwrap();
    let ids: Vec<&str> = checklist.clauses.iter().map(|c| c.id.as_str()).collect();

    // The first clause is open; "j" and "k" move through the checklist in order.
    find(&c, "[data-testid=clause-detail]").await;
    assert_eq!(shown_clause(&c).await, ids[0]);
    script(&c, "document.querySelector('.clause.selected').focus()").await;
    press(&c, "jj").await;
    assert_eq!(shown_clause(&c).await, ids[2]);
    press(&c, "k").await;
    assert_eq!(shown_clause(&c).await, ids[1]);
    let clause = ids[1];

    // "1" grades conforming, "4" minor: both stored, each with its row in the audit trail.
    press(&c, "1").await;
    assert_eq!(
        stored_grade(&audit, clause, "conforming").await,
        "conforming"
    );
    press(&c, "4").await;
    assert_eq!(stored_grade(&audit, clause, "minor").await, "minor");
    // Ctrl+Z writes the previous grade back.
    chord(&c, &[Key::Control], "z").await;
    assert_eq!(
        stored_grade(&audit, clause, "conforming").await,
        "conforming"
    );
    let checked = eventually("the restored grade in the view", async || {
        let e = find(&c, "label.grade-option.checked").await;
        e.attr("data-grade").await.ok().flatten()
    })
    .await;
    assert_eq!(checked, "conforming");
    let conn =
        rusqlite::Connection::open_with_flags(&audit, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    let trail: Vec<String> = conn
        .prepare("SELECT grade FROM assessment_history WHERE clause_id = ?1 ORDER BY id")
        .unwrap()
        .query_map([clause], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        trail,
        ["conforming", "minor", "conforming"],
        "the undo is a change of its own"
    );

    // "n" goes to the next clause not assessed: the graded one is skipped.
    script(&c, "document.querySelector('.clause.selected').focus()").await;
    press(&c, "k").await;
    assert_eq!(shown_clause(&c).await, ids[0]);
    press(&c, "n").await;
    assert_eq!(shown_clause(&c).await, ids[2]);

    // Keys typed in the note are text, not shortcuts.
    press(&c, "e").await;
    assert_eq!(active_id(&c).await, "note");
    press(&c, "j4 n").await;
    // Leaving the field saves the note.
    press(&c, &char::from(Key::Tab).to_string()).await;
    let note = eventually("the note in the file", async || {
        stored(&audit, ids[2]).map(|(_, n, _)| n)
    })
    .await;
    assert_eq!(note, "j4 n");
    assert_eq!(shown_clause(&c).await, ids[2]);
    assert_eq!(
        stored(&audit, ids[2]).map(|(g, _, _)| g).as_deref(),
        Some("not-assessed")
    );

    // "/" puts the keyboard in the search; Alt+2 shows the dashboard.
    script(&c, "document.activeElement.blur()").await;
    press(&c, "/").await;
    assert_eq!(active_id(&c).await, "search");
    script(&c, "document.activeElement.blur()").await;
    chord(&c, &[Key::Alt], "2").await;
    find(&c, "[data-testid=dashboard]").await;

    // "?" lists the shortcuts; Escape closes the list.
    chord(&c, &[Key::Shift], "?").await;
    find(&c, "[data-testid=help-panel][open]").await;
    let rows = c
        .find_all(Locator::Css("[data-testid=help-panel] tbody tr"))
        .await
        .unwrap()
        .len();
    assert_eq!(rows, 13, "every shortcut is listed");
    screenshot(&c, "help-panel").await;
    press(&c, &char::from(Key::Escape).to_string()).await;
    eventually("the shortcut list to close", async || {
        c.find(Locator::Css("[data-testid=help-panel]"))
            .await
            .is_err()
            .then_some(())
    })
    .await;
    c.close().await.unwrap();
}

// ---- axe-core ---------------------------------------------------------------------------------

fn axe_source() -> String {
    let path = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../ui/node_modules/axe-core/axe.min.js"
    ));
    std::fs::read_to_string(path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (scripts/setup.sh installs it with npm ci in ui/)",
            path.display()
        )
    })
}

/// Runs axe-core on the page as it is now; the serious and critical violations, one line each.
async fn axe(c: &Client, source: &str, screen: &str) -> Vec<String> {
    let loaded = script(
        c,
        &format!(
            "if (!window.axe) {{ {source}\n; window.axe = axe; }} return typeof window.axe.run;"
        ),
    )
    .await;
    assert_eq!(
        loaded,
        Value::String("function".into()),
        "axe-core is loaded"
    );
    // Started by one script and collected by polling, so no WebDriver call stays open while
    // axe works.
    script(
        c,
        "window.__axe = null;
         window.axe.run(document, { resultTypes: ['violations'], iframes: false }).then(
           (r) => { window.__axeRules = r.passes.length + r.violations.length + r.incomplete.length + r.inapplicable.length;
             window.__axe = r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
             .map((v) => v.impact + ' ' + v.id + ': ' + v.help + ' — ' +
               v.nodes.slice(0, 6).map((n) => n.target.join(' ') + ' (' + (n.failureSummary || '').replace(/\\s+/g, ' ') + ')').join('; ')); },
           (e) => { window.__axe = ['axe failed: ' + e]; });
         return true;",
    )
    .await;
    let started = std::time::Instant::now();
    let found = eventually(&format!("axe's answer on {screen}"), async || {
        let v = script(c, "return window.__axe").await;
        (!v.is_null()).then_some(v)
    })
    .await;
    let rules = script(c, "return window.__axeRules").await;
    eprintln!(
        "axe on {screen}: {rules} rules in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    found
        .as_array()
        .expect("a list")
        .iter()
        .map(|v| format!("[{screen}] {}", v.as_str().unwrap_or_default()))
        .collect()
}

async fn settle() {
    tokio::time::sleep(Duration::from_millis(400)).await;
}

/// A PDF to attach: the readiness report of another (new) audit.
fn sample_pdf(dir: &Path) -> PathBuf {
    let other = new_audit(dir, "Other Centre");
    let pdf = dir.join("readiness.pdf");
    clausewise::report::write(
        &clausewise::Audit::open(&other).expect("the other audit"),
        clausewise::report::Format::Pdf,
        clausewise::report::Lang::En,
        &pdf,
        None,
    )
    .expect("a PDF report");
    pdf
}

/// A real export for the import screen's preview.
fn cfpb() -> PathBuf {
    std::fs::canonicalize(Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/realdata/complaints/cfpb_2016-09_sample_bkreis84.csv"
    )))
    .expect("the real CFPB export (shared/realdata next to the repository)")
}

/// Shows each screen of the open demo audit in turn, checks it with axe when `check` and
/// takes its screenshot named `{prefix}-{screen}`.
async fn every_screen(c: &Client, source: &str, prefix: &str, check: bool) -> Vec<String> {
    let mut found = Vec::new();
    let mut look = async |screen: &str| {
        settle().await;
        screenshot(c, &format!("{prefix}-{screen}")).await;
        if check {
            found.extend(axe(c, source, &format!("{prefix} {screen}")).await);
        }
    };
    click(c, "[data-testid=nav-checklist]").await;
    click(c, "[data-clause='4.4.3']").await;
    find(
        c,
        "[data-testid=clause-detail][data-clause-id='4.4.3'] [data-testid=metric]",
    )
    .await;
    look("clause").await;
    // The evidence panel with a PDF shown in it (attached once, before the first walk).
    click(c, "[data-testid=attachment-preview]").await;
    find(c, "[data-testid=pdf-page]").await;
    look("evidence").await;
    click(c, "[data-testid=attachment-preview]").await;
    click(c, "[data-testid=nav-dashboard]").await;
    find(c, "[data-testid=metrics-table]").await;
    look("dashboard").await;
    click(c, "[data-testid=nav-findings]").await;
    find(c, "[data-testid=finding]").await;
    look("findings").await;
    click(c, "[data-testid=nav-import]").await;
    find(c, "[data-testid=preview-table]").await;
    look("import").await;
    click(c, "[data-testid=open-sampling]").await;
    find(c, "[data-testid=planned-size]").await;
    look("sampling").await;
    click(
        c,
        "[data-testid=sampling-dialog] .buttons button[type=button]",
    )
    .await;
    click(c, "[data-testid=nav-report]").await;
    find(c, "[data-testid=report-decision]").await;
    look("report").await;
    click(c, "[data-testid=open-details]").await;
    find(c, "[data-testid=details-dialog][open]").await;
    look("details").await;
    click(
        c,
        "[data-testid=details-dialog] .buttons button[type=button]",
    )
    .await;
    click(c, "[data-testid=open-purge]").await;
    find(c, "[data-testid=confirm-dialog][open]").await;
    look("purge").await;
    click(
        c,
        "[data-testid=confirm-dialog] .buttons button:not(.danger)",
    )
    .await;
    click(c, "[data-testid=open-help]").await;
    find(c, "[data-testid=help-panel][open]").await;
    look("help").await;
    click(c, "[data-testid=help-close]").await;
    found
}

#[tokio::test(flavor = "multi_thread")]
async fn every_screen_passes_axe_in_light_and_dark_and_in_three_languages() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let driver = Driver::start(&dir.path().join("data"));
    let c = driver.window(&[]).await;
    let source = axe_source();
    let other = dir.path().join("other");
    std::fs::create_dir_all(&other).unwrap();
    find(&c, "[data-testid=audit-title]").await;

    // The import screen keeps a preview of a real export (complaints, as it is) while the
    // others show.
    click(&c, "[data-testid=nav-import]").await;
    click(&c, "input[name=kind][value=complaints]").await;
    preview_path(&c, &cfpb()).await;
    find(&c, "[data-testid=preview-table]").await;
    // A PDF attached to the clause every walk shows, so the evidence panel has a preview.
    click(&c, "[data-testid=nav-checklist]").await;
    click(&c, "[data-clause='4.4.3']").await;
    find(&c, "[data-testid=attach-paths]")
        .await
        .send_keys(&sample_pdf(&other).display().to_string())
        .await
        .unwrap();
    click(&c, "[data-testid=attach-typed]").await;
    find(&c, "[data-testid=attachment]").await;

    let mut found = Vec::new();
    for theme in ["light", "dark"] {
        choose(&c, "[data-testid=theme]", theme).await;
        found.extend(every_screen(&c, &source, &format!("en-{theme}"), true).await);
    }
    choose(&c, "[data-testid=theme]", "light").await;
    for lang in ["tr", "fa"] {
        choose(&c, "[data-testid=language]", lang).await;
        found.extend(every_screen(&c, &source, lang, true).await);
    }
    choose(&c, "[data-testid=theme]", "dark").await;
    every_screen(&c, &source, "fa-dark", false).await;
    choose(&c, "[data-testid=theme]", "system").await;
    choose(&c, "[data-testid=language]", "en").await;
    c.close().await.unwrap();

    for v in &found {
        eprintln!("{v}");
    }
    assert!(
        found.is_empty(),
        "{} serious or critical accessibility violations (listed above)",
        found.len()
    );
}
