//! Kill tests: the `clausewise` process is killed (SIGKILL) at seeded random moments while it
//! grades clauses, imports records, attaches evidence and writes reports; after every kill the
//! audit file passes SQLite's integrity check and each operation is all or nothing. Set `CLAUSEWISE_KILL_SEED` to try
//! other moments.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use clausewise::checklist::sha256_hex;
use clausewise::stats::SplitMix64;

use crate::support::{
    clausewise, create_audit, dir_names, file_sha, integrity_check, raw_open, row_count, status,
};

/// Kill moments that are random but repeatable.
struct Moments(SplitMix64);

impl Moments {
    fn from_env() -> Moments {
        let seed = std::env::var("CLAUSEWISE_KILL_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(18_295);
        Moments(SplitMix64(seed))
    }
    /// A delay in `lo..hi` microseconds.
    fn delay(&mut self, lo: u64, hi: u64) -> Duration {
        Duration::from_micros(lo + self.0.below(hi - lo))
    }
}

fn spawn(dir: &Path, args: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_clausewise"))
        .current_dir(dir)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// How long `clausewise args` takes to complete on this machine now, in microseconds: the span
/// the kills of a test are drawn from, whatever the machine's speed or load.
fn time_to_complete(dir: &Path, args: &[&str]) -> u64 {
    let started = Instant::now();
    let out = clausewise(dir, args);
    assert_eq!(status(&out), 0, "{args:?}");
    started.elapsed().as_micros() as u64
}

/// Kills `child` after `delay` unless it ends first. True when the kill landed while it ran.
fn kill_after(mut child: Child, delay: Duration) -> bool {
    let started = Instant::now();
    while started.elapsed() < delay {
        if let Some(exit) = child.try_wait().unwrap() {
            assert_eq!(exit.code(), Some(0), "the command failed by itself");
            return false;
        }
        std::thread::sleep(Duration::from_micros(200));
    }
    child.kill().unwrap();
    let exit = child.wait().unwrap();
    match exit.code() {
        Some(0) => false,
        Some(code) => panic!("the command failed by itself (exit {code})"),
        None => true,
    }
}

#[test]
fn grades_killed_at_random_moments_are_all_or_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let audit = create_audit(dir.path(), "g.ccaudit");
    let mut moments = Moments::from_env();
    let mut landed = 0;
    for i in 0..40 {
        let grade = if i % 2 == 0 { "minor" } else { "conforming" };
        let note = format!("note {i}");
        let child = spawn(
            dir.path(),
            &["grade", "g.ccaudit", "4.2.1", grade, "--note", &note],
        );
        // Opening, checking and committing take a few milliseconds: kill anywhere in them.
        landed += usize::from(kill_after(child, moments.delay(500, 30_000)));
        assert_eq!(integrity_check(&audit), "ok", "kill {i}");
        let conn = raw_open(&audit);
        let current: Option<(String, String)> = conn
            .query_row(
                "SELECT grade, note FROM assessment WHERE clause_id = '4.2.1'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .ok();
        let last: Option<(String, String)> = conn
            .query_row(
                "SELECT grade, note FROM assessment_history WHERE clause_id = '4.2.1'
                 ORDER BY id DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .ok();
        // The grade and its history row commit together.
        assert_eq!(current, last, "kill {i}");
        // A nonconformity has its finding from the same transaction.
        let findings: i64 = conn
            .query_row(
                "SELECT count(*) FROM finding WHERE clause_id = '4.2.1'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        if current.as_ref().is_some_and(|(g, _)| g == "minor") {
            assert_eq!(findings, 1, "kill {i}");
        }
    }
    eprintln!("grading: {landed} of 40 kills landed while the command ran");
    assert!(
        landed >= 10,
        "only {landed} of 40 kills landed while grading"
    );
    // The file still takes a grade.
    let out = clausewise(dir.path(), &["grade", "g.ccaudit", "4.2.1", "ofi"]);
    assert_eq!(status(&out), 0);
}

#[test]
fn imports_killed_at_random_moments_leave_the_file_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("calls.csv");
    let rows = 100_000u64;
    let out = clausewise(
        dir.path(),
        &[
            "demo-data",
            "calls",
            &rows.to_string(),
            "--out",
            data.to_str().unwrap(),
        ],
    );
    assert_eq!(status(&out), 0);
    // How long an import of the file takes on this machine now (the faster of two, the first
    // reading the file from disk): kills land up to a little after that time, so that some
    // fall around the commit.
    let took = (0..2)
        .map(|t| {
            let timed = format!("timed{t}.ccaudit");
            create_audit(dir.path(), &timed);
            time_to_complete(dir.path(), &["import", &timed, "calls", "calls.csv"])
        })
        .min()
        .unwrap();
    let mut moments = Moments::from_env();
    let mut audit = create_audit(dir.path(), "i0.ccaudit");
    let (mut landed, mut completed) = (0, 0);
    for i in 0..20 {
        let child = spawn(
            dir.path(),
            &[
                "import",
                audit.file_name().unwrap().to_str().unwrap(),
                "calls",
                "calls.csv",
            ],
        );
        let killed = kill_after(child, moments.delay(took / 50, took * 21 / 20));
        assert_eq!(integrity_check(&audit), "ok", "kill {i}");
        let contacts = row_count(&audit, "contact");
        let imports = row_count(&audit, "import");
        let tallies: i64 = raw_open(&audit)
            .query_row(
                "SELECT coalesce(sum(n), 0) FROM contact_tally WHERE family = 'day'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        if killed && imports == 0 {
            landed += 1;
            assert_eq!((contacts, tallies), (0, 0), "kill {i}");
        } else {
            // It committed (before the kill, or it finished): everything is there.
            completed += 1;
            assert_eq!(
                (contacts, imports, tallies),
                (rows as i64, 1, rows as i64),
                "kill {i}"
            );
            audit = create_audit(dir.path(), &format!("i{}.ccaudit", i + 1));
        }
    }
    eprintln!("import: {landed} of 20 kills landed mid-import, {completed} imports completed");
    assert!(
        landed >= 10,
        "only {landed} of 20 kills landed mid-import ({completed} completed)"
    );
}

#[test]
fn attachments_killed_at_random_moments_are_all_or_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let audit = create_audit(dir.path(), "a.ccaudit");
    // 24 MB that no page of the audit file could hold by chance.
    let mut rng = SplitMix64(7);
    let bytes: Vec<u8> = (0..24 << 20).map(|_| rng.next_u64() as u8).collect();
    let sha = sha256_hex(&bytes);
    std::fs::write(dir.path().join("scan.bin"), &bytes).unwrap();
    drop(bytes);
    // How long an attachment takes on this machine now (it is stored, as any completed one):
    // kills land up to a little after that time, whatever the machine's speed or load, so that
    // some fall around the commit.
    let took = time_to_complete(dir.path(), &["attach", "a.ccaudit", "4.2.1", "scan.bin"]);
    let mut moments = Moments::from_env();
    let (mut landed, mut stored) = (0, 1i64);
    for i in 0..15 {
        let child = spawn(dir.path(), &["attach", "a.ccaudit", "4.2.1", "scan.bin"]);
        landed += usize::from(kill_after(child, moments.delay(took / 50, took * 6 / 5)));
        assert_eq!(integrity_check(&audit), "ok", "kill {i}");
        let conn = raw_open(&audit);
        let rows: Vec<(i64, String, Vec<u8>)> = conn
            .prepare(
                "SELECT id, sha256, data FROM attachment JOIN attachment_data ON attachment_id = id
                 ORDER BY id",
            )
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        // Every attachment there is whole: its bytes are the file's, its hash the file's.
        for (id, stored_sha, data) in &rows {
            assert_eq!(stored_sha, &sha, "kill {i}, attachment {id}");
            assert_eq!(sha256_hex(data), sha, "kill {i}, attachment {id}");
        }
        let history: i64 = conn
            .query_row("SELECT count(*) FROM attachment_history", [], |r| r.get(0))
            .unwrap();
        assert_eq!(history, rows.len() as i64, "kill {i}");
        assert!(
            rows.len() as i64 >= stored,
            "kill {i}: an attachment vanished"
        );
        stored = rows.len() as i64;
    }
    eprintln!("attach: {landed} of 15 kills landed while attaching, {stored} attachments stored");
    assert!(
        landed >= 5,
        "only {landed} of 15 kills landed while attaching"
    );
}

#[test]
fn reports_killed_at_random_moments_are_whole_or_absent() {
    let dir = tempfile::tempdir().unwrap();
    let audit = clausewise::demo::build(dir.path()).unwrap();
    let audit_name = audit.file_name().unwrap().to_str().unwrap().to_string();
    let before = file_sha(&audit);
    let demo_files = dir_names(dir.path());
    // How long a PDF report takes on this machine now: kills land within that time.
    let took = time_to_complete(
        dir.path(),
        &[
            "report",
            &audit_name,
            "--format",
            "pdf",
            "--out",
            "timed.pdf",
        ],
    );
    std::fs::remove_file(dir.path().join("timed.pdf")).unwrap();
    std::fs::remove_file(dir.path().join("timed.pdf.manifest.json")).unwrap();
    let mut moments = Moments::from_env();
    let (mut landed, mut whole) = (0, 0);
    for i in 0..15 {
        let (format, name) = if i % 3 == 2 {
            ("html", format!("r{i}.html"))
        } else {
            ("pdf", format!("r{i}.pdf"))
        };
        let child = spawn(
            dir.path(),
            &["report", &audit_name, "--format", format, "--out", &name],
        );
        // HTML is written faster than PDF: its kills come earlier.
        let span = if format == "pdf" { took } else { took / 3 };
        landed += usize::from(kill_after(child, moments.delay(span / 50, span * 9 / 10)));
        let report = dir.path().join(&name);
        if report.exists() {
            // A report that appeared is complete and its manifest checks out.
            whole += 1;
            let out = clausewise(dir.path(), &["verify", &name, "--audit", &audit_name]);
            assert_eq!(
                status(&out),
                0,
                "kill {i}: {}",
                String::from_utf8_lossy(&out.stdout)
            );
        }
        // Only hidden partial files may be left behind; the audit is read, never written.
        for entry in std::fs::read_dir(dir.path()).unwrap() {
            let n = entry.unwrap().file_name().to_string_lossy().into_owned();
            assert!(
                demo_files.contains(&n)
                    || n.starts_with(&audit_name) // its -wal and -shm while it was open
                    || n.starts_with('r')
                    || n.ends_with(".partial"),
                "kill {i}: unexpected file {n}"
            );
        }
        assert_eq!(file_sha(&audit), before, "kill {i}");
    }
    eprintln!("report: {landed} of 15 kills landed while writing, {whole} reports complete");
    assert!(
        landed >= 5,
        "only {landed} of 15 kills landed while writing a report"
    );
}
