//! Evidence attached to clauses: files stored inside the audit file with their SHA-256,
//! interview notes, removal, and writing an attachment back to disk under a safe name.

use std::path::Path;

use clausewise::attachments::{AttachmentKind, MAX_ATTACHMENT_BYTES};
use clausewise::audit::Audit;
use clausewise::checklist::sha256_hex as sha_hex;

use crate::support::{
    clausewise, create_audit, file_bytes_contain, file_sha, raw_open, status, stderr, stdout_json,
    write_bytes,
};

/// The stored bytes of attachment `id`, read with a connection of the test's own.
fn stored_bytes(audit: &Path, id: i64) -> Vec<u8> {
    raw_open(audit)
        .query_row(
            "SELECT data FROM attachment_data WHERE attachment_id = ?1",
            [id],
            |r| r.get(0),
        )
        .unwrap()
}

/// Bytes that are not valid UTF-8 and repeat with no short period.
fn noise(len: usize, seed: u64) -> Vec<u8> {
    let mut rng = clausewise::stats::SplitMix64(seed);
    (0..len).map(|_| rng.next_u64() as u8).collect()
}

#[test]
fn attached_files_are_stored_whole_with_their_hash_and_a_type_from_their_content() {
    let dir = tempfile::tempdir().unwrap();
    let audit_path = create_audit(dir.path(), "a.ccaudit");
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend(noise(700_000, 1)); // larger than one 256 KiB copy buffer
    let files = [
        ("photo.png", png, "image/png"),
        (
            "minutes.txt",
            "Görüşme: İş akışı\n".as_bytes().to_vec(),
            "text/plain; charset=utf-8",
        ),
        (
            "logo.svg",
            b"<svg onload=\"alert(1)\"/>".to_vec(),
            "application/octet-stream",
        ),
        (
            "plan.pdf",
            b"%PDF-1.4\n%\xE2\xE3\n".to_vec(),
            "application/pdf",
        ),
        ("empty.bin", Vec::new(), "text/plain; charset=utf-8"),
    ];
    let mut audit = Audit::open(&audit_path).unwrap();
    for (name, bytes, media) in &files {
        let path = write_bytes(dir.path(), name, bytes);
        let a = audit.attach_file("4.2.1", &path).unwrap();
        assert_eq!(a.name, *name);
        assert_eq!(a.kind, AttachmentKind::File);
        assert_eq!(a.media_type, *media, "{name}");
        assert_eq!(a.size, bytes.len() as u64);
        assert_eq!(a.sha256, sha_hex(bytes), "{name}");
        assert_eq!(stored_bytes(&audit_path, a.id), *bytes, "{name}");
        assert_eq!(audit.attachment_bytes(a.id).unwrap(), *bytes);
    }
    let note = audit
        .add_interview(
            "4.3.1",
            "Team leader, morning shift",
            "Escalations go to the duty manager.",
        )
        .unwrap();
    assert_eq!(note.kind, AttachmentKind::Interview);
    assert_eq!(note.sha256, sha_hex(b"Escalations go to the duty manager."));
    assert_eq!(audit.attachments(Some("4.2.1")).unwrap().len(), files.len());
    assert_eq!(
        audit.attachments(Some("4.3.1")).unwrap(),
        vec![note.clone()]
    );
    assert_eq!(audit.attachments(None).unwrap().len(), files.len() + 1);
    drop(audit);
    let conn = raw_open(&audit_path);
    let added: i64 = conn
        .query_row(
            "SELECT count(*) FROM attachment_history WHERE action = 'added'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(added, files.len() as i64 + 1);
    // The file reopens (its schema check knows the new tables) and keeps everything.
    let reopened = Audit::open(&audit_path).unwrap();
    assert_eq!(reopened.attachments(None).unwrap().len(), files.len() + 1);
}

#[test]
fn attachments_that_cannot_be_taken_leave_the_file_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let audit_path = create_audit(dir.path(), "a.ccaudit");
    let before = file_sha(&audit_path);
    let big = dir.path().join("big.bin");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(MAX_ATTACHMENT_BYTES + 1)
        .unwrap();
    let small = write_bytes(dir.path(), "ok.txt", b"ok");
    let mut audit = Audit::open(&audit_path).unwrap();
    let too_big = audit.attach_file("4.2.1", &big).unwrap_err().to_string();
    assert!(
        too_big.contains("big.bin") && too_big.contains("at most 100 MiB"),
        "{too_big}"
    );
    let unknown = audit.attach_file("9.9.9", &small).unwrap_err().to_string();
    assert!(unknown.contains("unknown clause '9.9.9'"), "{unknown}");
    let missing = audit
        .attach_file("4.2.1", &dir.path().join("nope.png"))
        .unwrap_err()
        .to_string();
    assert!(missing.contains("nope.png"), "{missing}");
    let folder = audit
        .attach_file("4.2.1", dir.path())
        .unwrap_err()
        .to_string();
    assert!(folder.contains("not a file"), "{folder}");
    let untitled = audit
        .add_interview("4.2.1", "  ", "text")
        .unwrap_err()
        .to_string();
    assert!(untitled.contains("needs a title"), "{untitled}");
    drop(audit);
    assert_eq!(file_sha(&audit_path), before);
}

#[test]
fn extracted_attachments_land_in_the_chosen_folder_under_a_safe_name() {
    let dir = tempfile::tempdir().unwrap();
    let audit_path = create_audit(dir.path(), "a.ccaudit");
    let src = write_bytes(dir.path(), "evidence.txt", b"queue report");
    let mut audit = Audit::open(&audit_path).unwrap();
    let ids: Vec<i64> = (0..4)
        .map(|_| audit.attach_file("4.2.1", &src).unwrap().id)
        .collect();
    drop(audit);
    // Names as a crafted audit file could hold them.
    let conn = raw_open(&audit_path);
    for (id, name) in ids
        .iter()
        .zip(["../../escaped.txt", "/etc/cron.d/x", ".hidden", "CON"])
    {
        conn.execute("UPDATE attachment SET name = ?2 WHERE id = ?1", (id, name))
            .unwrap();
    }
    drop(conn);
    let out = tempfile::tempdir().unwrap();
    let audit = Audit::open(&audit_path).unwrap();
    let written: Vec<String> = ids
        .iter()
        .map(|&id| {
            let p = audit.export_attachment(id, out.path()).unwrap();
            assert_eq!(p.parent().unwrap(), out.path());
            assert_eq!(std::fs::read(&p).unwrap(), b"queue report");
            p.file_name().unwrap().to_string_lossy().into_owned()
        })
        .collect();
    assert_eq!(
        written,
        ["_.._escaped.txt", "_etc_cron.d_x", "hidden", "_CON"]
    );
    // Writing the same one again never overwrites.
    let again = audit.export_attachment(ids[2], out.path()).unwrap();
    assert_eq!(again.file_name().unwrap(), "hidden (2)");
    let mut listed: Vec<String> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    listed.sort();
    assert_eq!(
        listed,
        [
            "_.._escaped.txt",
            "_CON",
            "_etc_cron.d_x",
            "hidden",
            "hidden (2)"
        ]
    );
    assert!(!dir.path().parent().unwrap().join("escaped.txt").exists());
}

#[test]
fn an_altered_attachment_is_refused_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let audit_path = create_audit(dir.path(), "a.ccaudit");
    let src = write_bytes(dir.path(), "scan.pdf", b"%PDF-1.4 original");
    let id = Audit::open(&audit_path)
        .unwrap()
        .attach_file("4.2.1", &src)
        .unwrap()
        .id;
    raw_open(&audit_path)
        .execute(
            "UPDATE attachment_data SET data = CAST('%PDF-1.4 altered!' AS BLOB)
             WHERE attachment_id = ?1",
            [id],
        )
        .unwrap();
    let out = tempfile::tempdir().unwrap();
    let audit = Audit::open(&audit_path).unwrap();
    let err = audit
        .export_attachment(id, out.path())
        .unwrap_err()
        .to_string();
    assert!(err.contains("does not match its recorded SHA-256"), "{err}");
    assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 0);
}

#[test]
fn removed_attachments_leave_no_bytes_behind_and_stay_in_the_history() {
    let dir = tempfile::tempdir().unwrap();
    let audit_path = create_audit(dir.path(), "a.ccaudit");
    let marker = "CUSTOMER-PHOTO-7f3a9c";
    let src = write_bytes(dir.path(), "photo.txt", marker.repeat(200).as_bytes());
    let mut audit = Audit::open(&audit_path).unwrap();
    let a = audit.attach_file("4.2.1", &src).unwrap();
    assert!(file_bytes_contain(&audit_path, marker));
    let removed = audit.remove_attachment(a.id).unwrap();
    assert_eq!(removed, a);
    assert!(audit.attachments(None).unwrap().is_empty());
    drop(audit);
    assert!(
        !file_bytes_contain(&audit_path, marker),
        "the removed bytes are overwritten"
    );
    let history: Vec<(String, String, String)> = raw_open(&audit_path)
        .prepare("SELECT action, name, sha256 FROM attachment_history ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let sha = sha_hex(marker.repeat(200).as_bytes());
    assert_eq!(
        history,
        [
            ("added".into(), "photo.txt".into(), sha.clone()),
            ("removed".into(), "photo.txt".into(), sha)
        ]
    );
}

#[test]
fn cli_attaches_lists_extracts_and_detaches() {
    let dir = tempfile::tempdir().unwrap();
    create_audit(dir.path(), "a.ccaudit");
    write_bytes(dir.path(), "rota.csv", b"agent,shift\n1,early\n");
    write_bytes(
        dir.path(),
        "interview.txt",
        "Şikâyet süreci anlatıldı.".as_bytes(),
    );
    let run = clausewise(
        dir.path(),
        &["attach", "a.ccaudit", "4.2.1", "rota.csv", "--json"],
    );
    assert_eq!(status(&run), 0, "{}", stderr(&run));
    let doc = stdout_json(&run);
    let a = &doc["attachments"][0];
    assert_eq!(a["name"], "rota.csv");
    assert_eq!(a["sha256"], sha_hex(b"agent,shift\n1,early\n"));
    let run = clausewise(
        dir.path(),
        &[
            "attach",
            "a.ccaudit",
            "4.3.1",
            "interview.txt",
            "--interview",
            "QA lead",
        ],
    );
    assert_eq!(status(&run), 0, "{}", stderr(&run));
    let list = stdout_json(&clausewise(
        dir.path(),
        &["attachments", "a.ccaudit", "--json"],
    ));
    let list = list["attachments"].as_array().unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[1]["kind"], "interview");
    assert_eq!(list[1]["name"], "QA lead");
    let id = list[1]["id"].as_i64().unwrap().to_string();
    std::fs::create_dir(dir.path().join("out")).unwrap();
    let run = clausewise(dir.path(), &["extract", "a.ccaudit", &id, "--to", "out"]);
    assert_eq!(status(&run), 0, "{}", stderr(&run));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("out/QA lead.txt")).unwrap(),
        "Şikâyet süreci anlatıldı."
    );
    let refused = clausewise(dir.path(), &["detach", "a.ccaudit", &id]);
    assert_ne!(status(&refused), 0);
    assert!(stderr(&refused).contains("--yes"));
    let run = clausewise(dir.path(), &["detach", "a.ccaudit", &id, "--yes"]);
    assert_eq!(status(&run), 0, "{}", stderr(&run));
    let list = stdout_json(&clausewise(
        dir.path(),
        &["attachments", "a.ccaudit", "--json"],
    ));
    assert_eq!(list["attachments"].as_array().unwrap().len(), 1);
}
