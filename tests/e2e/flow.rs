//! The auditor's whole day on a new audit, in the real window: set-up in the new-audit dialog →
//! import of a real CFPB complaints export → several clauses graded by keyboard alone → a file
//! attached to a clause → the readiness report exported as PDF, which holds the decision →
//! another audit, and back through the recent list. Each step is checked in the audit file with
//! plain SQL, not through the app.

use std::path::{Path, PathBuf};

use clausewise::report::Lang;
use clausewise::{Audit, Checklist};
use fantoccini::key::Key;

use super::a11y::{choose, chord, press, script};
use super::evidence::{click, read_only, retype, text};
use super::report::{pdf_text, sha256sum};
use super::{eventually, find, preview_path, screenshot, Driver};

/// The real 2013–2016 CFPB export, with its data rows counted by the csv crate (a parser that
/// is not the app's importer).
fn cfpb() -> (PathBuf, u64) {
    let path = std::fs::canonicalize(Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/realdata/complaints/cfpb_2016-09_sample_bkreis84.csv"
    )))
    .expect("the real CFPB export (shared/realdata next to the repository)");
    let rows = csv::Reader::from_path(&path)
        .expect("the export opens")
        .records()
        .count() as u64;
    (path, rows)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_new_audit_from_set_up_to_an_exported_pdf_report() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let saves = dir.path().join("saved");
    std::fs::create_dir(&saves).unwrap();
    let driver = Driver::start_with(&dir.path().join("data"), &[("CLAUSEWISE_SAVE_DIR", &saves)]);
    let c = driver.window(&[]).await;
    find(&c, "[data-testid=audit-title]").await;

    // 1. Set-up: the new-audit dialog, saved where the save dialog says.
    let organisation = "Akdeniz Çağrı Merkezi A.Ş.";
    click(&c, "[data-testid=new-audit]").await;
    retype(&c, "#org", organisation).await;
    retype(&c, "#site", "Antalya").await;
    retype(&c, "#scope", "Inbound complaints by e-mail and phone").await;
    // Voice and e-mail are ticked to begin with: tick chat, untick e-mail.
    click(&c, "dialog.new-audit input[type=checkbox][value=chat]").await;
    click(&c, "dialog.new-audit input[type=checkbox][value=email]").await;
    find(&c, "#type")
        .await
        .select_by_value("stage1")
        .await
        .unwrap();
    retype(&c, "#auditors", "Deniz Kaya, Ali Çelik").await;
    click(&c, "dialog.new-audit button[type=submit]").await;
    let audit = saves.join("Akdeniz Çağrı Merkezi A.Ş.ccaudit");
    eventually("the new audit file", async || audit.is_file().then_some(())).await;
    eventually("the new audit in the window", async || {
        text(&c, "[data-testid=audit-title]")
            .await
            .contains(organisation)
            .then_some(())
    })
    .await;
    let meta: (String, String, String, String, String) = read_only(&audit)
        .query_row(
            "SELECT organisation, site, channels, audit_type, auditors FROM audit",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .unwrap();
    assert_eq!(
        meta,
        (
            organisation.to_string(),
            "Antalya".to_string(),
            r#"["voice","chat"]"#.to_string(),
            "stage1".to_string(),
            r#"["Deniz Kaya","Ali Çelik"]"#.to_string(),
        )
    );
    screenshot(&c, "flow-1-new-audit").await;

    // 2. Import the real complaints export; Alt+4 is the import screen.
    let (file, rows) = cfpb();
    script(
        &c,
        "document.activeElement && document.activeElement.blur()",
    )
    .await;
    chord(&c, &[Key::Alt], "4").await;
    click(&c, "input[name=kind][value=complaints]").await;
    preview_path(&c, &file).await;
    find(&c, "[data-testid=detected-layout][data-layout=cfpb]").await;
    click(&c, "[data-testid=start-import]").await;
    let result = find(&c, "[data-testid=import-result]").await;
    let shown = |name: &'static str| {
        let result = result.clone();
        async move {
            result
                .attr(name)
                .await
                .unwrap()
                .expect("a count")
                .parse::<u64>()
                .unwrap()
        }
    };
    assert_eq!(shown("data-read").await, rows);
    let accepted = shown("data-accepted").await;
    let stored: (i64, i64, i64) = read_only(&audit)
        .query_row(
            "SELECT (SELECT count(*) FROM complaint), rows_read, accepted FROM import",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(stored, (accepted as i64, rows as i64, accepted as i64));
    assert!(accepted > 0);
    screenshot(&c, "flow-2-imported").await;

    // 3. Grade by keyboard: Alt+1 shows the checklist, "j" moves to the next clause, digits
    //    grade it. The clauses are those without metrics (no suggested grade, so no reason is
    //    needed): conforming (1), opportunity for improvement (3) and minor (4).
    let checklist = Checklist::resolve(None).unwrap();
    let ids: Vec<&str> = checklist.clauses.iter().map(|c| c.id.as_str()).collect();
    let plain: Vec<usize> = checklist
        .clauses
        .iter()
        .enumerate()
        .filter(|(_, c)| c.metrics.is_empty())
        .map(|(i, _)| i)
        .take(3)
        .collect();
    let grades = [("1", "conforming"), ("3", "ofi"), ("4", "minor")];
    chord(&c, &[Key::Alt], "1").await;
    find(&c, "[data-testid=clause-detail]").await;
    script(&c, "document.querySelector('.clause.selected').focus()").await;
    let mut at = 0;
    for (&target, (key, _)) in plain.iter().zip(grades) {
        press(&c, &"j".repeat(target - at)).await;
        at = target;
        eventually(&format!("clause {} shown", ids[target]), async || {
            let shown = find(&c, "[data-testid=clause-detail]")
                .await
                .attr("data-clause-id")
                .await
                .ok()??;
            (shown == ids[target]).then_some(())
        })
        .await;
        press(&c, key).await;
    }
    for (&target, (_, grade)) in plain.iter().zip(grades) {
        let stored = eventually(&format!("grade {grade} of {}", ids[target]), async || {
            let g: String = read_only(&audit)
                .query_row(
                    "SELECT grade FROM assessment WHERE clause_id = ?1",
                    [ids[target]],
                    |r| r.get(0),
                )
                .ok()?;
            (g == grade).then_some(g)
        })
        .await;
        assert_eq!(stored, grade);
    }
    let minor = ids[plain[2]];
    let findings: i64 = read_only(&audit)
        .query_row(
            "SELECT count(*) FROM finding WHERE clause_id = ?1 AND grade = 'minor'",
            [minor],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(findings, 1, "grading minor opened its finding");

    // 4. Attach a file to the clause graded minor (the clause shown now).
    let evidence = dir.path().join("call-recording-notes.txt");
    std::fs::write(
        &evidence,
        "Listened to 12 calls on 2026-11-18; 2 gave no reference.\n",
    )
    .unwrap();
    find(&c, "[data-testid=attach-paths]")
        .await
        .send_keys(&evidence.display().to_string())
        .await
        .unwrap();
    click(&c, "[data-testid=attach-typed]").await;
    find(&c, "[data-testid=attachment]").await;
    let attached: (String, String) = eventually("the attachment in the file", async || {
        read_only(&audit)
            .query_row("SELECT clause_id, sha256 FROM attachment", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .ok()
    })
    .await;
    assert_eq!(attached, (minor.to_string(), sha256sum(&evidence)));
    screenshot(&c, "flow-4-graded-and-attached").await;

    // 5. Alt+5 shows the report; export it as PDF. The decision it holds is the one the core
    //    computes from the audit file as it now is.
    script(
        &c,
        "document.activeElement && document.activeElement.blur()",
    )
    .await;
    chord(&c, &[Key::Alt], "5").await;
    find(&c, "[data-testid=report-decision]").await;
    let decision = Audit::open(&audit).unwrap().scorecard().unwrap().decision;
    let label = Lang::En.decision(decision);
    assert_eq!(text(&c, "[data-testid=report-decision-label]").await, label);
    click(&c, "[data-testid=export-pdf]").await;
    let pdf = PathBuf::from(
        text(
            &c,
            "[data-testid=export-result][data-format=pdf] [data-testid=export-path]",
        )
        .await,
    );
    assert_eq!(pdf.parent(), Some(saves.as_path()));
    assert!(pdf.is_file(), "{} exists", pdf.display());
    let words = pdf_text(&pdf);
    assert!(
        words.contains(label),
        "the PDF holds the decision {label:?}"
    );
    assert!(
        words.contains(organisation),
        "the PDF names the organisation"
    );
    assert!(
        words.contains("call-recording-notes.txt"),
        "the PDF lists the evidence"
    );
    screenshot(&c, "flow-5-report").await;

    // 6. The demo audit, then back to this one through the recent list.
    click(&c, "[data-testid=open-demo]").await;
    eventually("the demo audit", async || {
        (!text(&c, "[data-testid=audit-title]")
            .await
            .contains(organisation))
        .then_some(())
    })
    .await;
    find(&c, "[data-testid=recent]")
        .await
        .select_by_value(&audit.display().to_string())
        .await
        .unwrap();
    eventually("this audit again, from the recent list", async || {
        text(&c, "[data-testid=audit-title]")
            .await
            .contains(organisation)
            .then_some(())
    })
    .await;
    c.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_note_still_being_typed_is_saved_when_the_window_is_closed() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let audit = super::new_audit(dir.path(), "Closing Test Centre");
    let driver = Driver::start(&dir.path().join("data"));
    let c = driver.window(&[&audit]).await;
    let first = Checklist::resolve(None).unwrap().clauses[0].id.clone();
    let note = "Queue message checked on three lines at 10:05";
    // Typed, and the window closed at once: before the pause that saves a note as it is typed.
    find(&c, "#note").await.send_keys(note).await.unwrap();
    // Closed as the window manager's close button does: a WM_DELETE_WINDOW message.
    let asked = std::process::Command::new("python3")
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/tools/wm_delete.py"))
        .arg("Clausewise")
        .status()
        .expect("python3 runs");
    assert!(
        asked.success(),
        "the app's window was found and asked to close"
    );
    let stored = eventually("the note in the file", async || {
        super::stored(&audit, &first).map(|(_, n, _)| n)
    })
    .await;
    assert_eq!(stored, note);
}

/// A file-level error reaches the user in the window's language, naming the file, and the file
/// is left as it was: a new audit saved over an existing file, in Turkish and then in English.
#[tokio::test(flavor = "multi_thread")]
async fn a_refused_new_audit_is_explained_in_the_windows_language() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let saves = dir.path().join("saved");
    std::fs::create_dir(&saves).unwrap();
    let taken = saves.join("Mevcut Merkez.ccaudit");
    std::fs::write(&taken, b"not to be overwritten").unwrap();
    let driver = Driver::start_with(&dir.path().join("data"), &[("CLAUSEWISE_SAVE_DIR", &saves)]);
    let c = driver.window(&[]).await;
    find(&c, "[data-testid=audit-title]").await;

    let refused = |lang: &'static str| {
        let c = c.clone();
        async move {
            choose(&c, "[data-testid=language]", lang).await;
            click(&c, "[data-testid=new-audit]").await;
            retype(&c, "#org", "Mevcut Merkez").await;
            click(&c, "dialog.new-audit button[type=submit]").await;
            let message = eventually("the error banner", async || {
                let shown = text(&c, "[data-testid=error] span").await;
                (!shown.is_empty()).then_some(shown)
            })
            .await;
            screenshot(&c, &format!("{lang}-refused-new-audit")).await;
            click(&c, "[data-testid=error] button").await;
            message
        }
    };
    let shown = taken.display();
    assert_eq!(
        refused("tr").await,
        format!("{shown}: bu dosya zaten var; başka bir ad seçin")
    );
    assert_eq!(
        refused("en").await,
        format!("{shown}: already exists; choose another name")
    );
    assert_eq!(std::fs::read(&taken).unwrap(), b"not to be overwritten");
    c.close().await.unwrap();
}
