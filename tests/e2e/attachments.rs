//! Window tests of evidence attached to a clause: files attached by typing their paths (the
//! native dialog and drops cannot be driven by WebDriver), stored with the SHA-256 the test
//! computes itself, previewed (an image and a PDF drawn by the app), and removed after
//! confirmation — each checked in the audit file with plain SQL.

use std::path::Path;

use clausewise::checklist::sha256_hex;
use clausewise::report::{Format, Lang};
use clausewise::Audit;
use fantoccini::key::Key;
use fantoccini::Client;
use rusqlite::{Connection, OpenFlags};

use super::evidence::{click, open_clause};
use super::{eventually, find, new_audit, screenshot, Driver};

/// (name, SHA-256) of the attachments of a clause, read with plain SQL.
fn stored(audit: &Path, clause: &str) -> Vec<(String, String)> {
    let conn = Connection::open_with_flags(audit, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    let mut stmt = conn
        .prepare("SELECT name, sha256 FROM attachment WHERE clause_id = ?1 ORDER BY id")
        .unwrap();
    let rows = stmt
        .query_map([clause], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    rows
}

async fn count(c: &Client, css: &str) -> usize {
    c.find_all(fantoccini::Locator::Css(css))
        .await
        .unwrap()
        .len()
}

#[tokio::test(flavor = "multi_thread")]
async fn evidence_attached_in_the_window_is_stored_with_its_hash_previewed_and_removed() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let audit = new_audit(dir.path(), "Attachment Test Centre");
    // A real PNG (the README's screenshot) and a real PDF (a report of another audit).
    let png = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/screenshot.png");
    std::fs::create_dir_all(dir.path().join("other")).unwrap();
    let other = new_audit(&dir.path().join("other"), "Other Centre");
    let pdf = dir.path().join("readiness.pdf");
    clausewise::report::write(
        &Audit::open(&other).unwrap(),
        Format::Pdf,
        Lang::En,
        &pdf,
        None,
    )
    .expect("a PDF report");
    let expected = vec![
        (
            "screenshot.png".to_string(),
            sha256_hex(&std::fs::read(&png).unwrap()),
        ),
        (
            "readiness.pdf".to_string(),
            sha256_hex(&std::fs::read(&pdf).unwrap()),
        ),
    ];

    let driver = Driver::start(&dir.path().join("data"));
    let c = driver.window(&[&audit]).await;
    open_clause(&c, "4.2.1").await;
    // One path per line: Enter in the field starts the next line.
    let paths = format!(
        "{}{}{}",
        png.canonicalize().unwrap().display(),
        char::from(Key::Enter),
        pdf.display()
    );
    find(&c, "[data-testid=attach-paths]")
        .await
        .send_keys(&paths)
        .await
        .expect("typing the paths");
    click(&c, "[data-testid=attach-typed]").await;
    eventually("two attachments listed", async || {
        (count(&c, "[data-testid=attachment]").await == 2).then_some(())
    })
    .await;
    assert_eq!(stored(&audit, "4.2.1"), expected);
    // The window shows the hash it stored.
    let shown = find(&c, "[data-testid=attachment]")
        .await
        .attr("data-sha256")
        .await
        .unwrap();
    assert_eq!(shown.as_deref(), Some(expected[0].1.as_str()));

    // The image preview is the picture itself (decoded, with the file's width).
    click(
        &c,
        "[data-testid=attachment]:nth-child(1) [data-testid=attachment-preview]",
    )
    .await;
    let width: u64 = eventually("the image decoded", async || {
        let v = c
            .execute(
                "const i = document.querySelector('[data-testid=attachment-shown] img');
                 return i && i.complete ? i.naturalWidth : 0;",
                vec![],
            )
            .await
            .ok()?;
        v.as_u64().filter(|w| *w > 0)
    })
    .await;
    let bytes = std::fs::read(&png).unwrap();
    let png_width = u32::from_be_bytes(bytes[16..20].try_into().unwrap());
    assert_eq!(width, u64::from(png_width));

    // The PDF preview draws its pages on canvases with ink on them.
    click(
        &c,
        "[data-testid=attachment]:nth-child(2) [data-testid=attachment-preview]",
    )
    .await;
    let inked = eventually("a PDF page drawn", async || {
        let v = c
            .execute(
                "const cv = document.querySelector('[data-testid=pdf-page]');
                 if (!cv || cv.width === 0) return 0;
                 const d = cv.getContext('2d').getImageData(0, 0, cv.width, cv.height).data;
                 let dark = 0;
                 for (let i = 0; i < d.length; i += 4) if (d[i] < 128 && d[i + 3] > 0) dark++;
                 return dark;",
                vec![],
            )
            .await
            .ok()?;
        v.as_u64().filter(|n| *n > 100)
    })
    .await;
    assert!(inked > 100);
    let pages = find(&c, "[data-testid=pdf-preview]")
        .await
        .attr("data-pages")
        .await
        .unwrap()
        .unwrap();
    assert!(
        pages.parse::<u32>().unwrap() >= 2,
        "the report has several pages: {pages}"
    );
    screenshot(&c, "attachments").await;

    // Removing asks first; cancelling keeps it, confirming removes it from the file.
    click(
        &c,
        "[data-testid=attachment]:nth-child(1) [data-testid=attachment-remove]",
    )
    .await;
    click(
        &c,
        "[data-testid=confirm-dialog] button:not([data-testid=confirm])",
    )
    .await;
    assert_eq!(stored(&audit, "4.2.1").len(), 2);
    click(
        &c,
        "[data-testid=attachment]:nth-child(1) [data-testid=attachment-remove]",
    )
    .await;
    click(&c, "[data-testid=confirm]").await;
    eventually("one attachment left", async || {
        (count(&c, "[data-testid=attachment]").await == 1).then_some(())
    })
    .await;
    assert_eq!(stored(&audit, "4.2.1"), expected[1..]);
    c.close().await.unwrap();
}
