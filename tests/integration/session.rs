//! `Session`, the state behind the desktop app's commands, driven without a window.

use std::path::Path;

use clausewise::report::Lang;
use clausewise::session::{Launch, Session};
use clausewise::Grade;

use crate::support::{
    array_of_tables, create_audit, grade_only, integrity_check, raw_open, raw_top_sections,
    read_toml, update, write, DEMO,
};

/// The path of the audit a session has open.
fn current_path(session: &Session) -> String {
    session.current().unwrap().expect("an audit is open").path
}

fn shown(path: &Path) -> String {
    path.display().to_string()
}

#[test]
fn first_start_builds_and_opens_the_demo() {
    let data = tempfile::tempdir().unwrap();
    let mut session = Session::new(data.path());
    let view = session.start(&Launch::Default).unwrap();
    let demo = data.path().join("demo.ccaudit");
    assert!(demo.is_file());
    assert_eq!(view.path, shown(&demo));
    assert_eq!(current_path(&session), shown(&demo));
    let demo_entries = array_of_tables(&read_toml(DEMO), "assessment").len();
    assert_eq!(view.assessments.len(), demo_entries);
}

#[test]
fn a_new_session_starts_on_the_audit_opened_last() {
    let data = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let other = create_audit(files.path(), "other.ccaudit");
    {
        let mut first = Session::new(data.path());
        first.start(&Launch::Default).unwrap();
        first.open(&other).unwrap();
    }
    let mut second = Session::new(data.path());
    let view = second.start(&Launch::Default).unwrap();
    assert_eq!(view.path, shown(&other));
    assert_eq!(second.recent()[0], other);
}

#[test]
fn start_with_a_path_opens_that_audit() {
    let data = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let wanted = create_audit(files.path(), "wanted.ccaudit");
    let mut session = Session::new(data.path());
    let view = session.start(&Launch::File(wanted.clone())).unwrap();
    assert_eq!(view.path, shown(&wanted));
    assert!(
        !data.path().join("demo.ccaudit").exists(),
        "no demo is built when a file is named"
    );
}

#[test]
fn a_failed_open_keeps_the_previous_audit_open() {
    let data = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let good = create_audit(files.path(), "good.ccaudit");
    let bad = write(files.path(), "bad.ccaudit", "not an audit");
    let mut session = Session::new(data.path());
    session.open(&good).unwrap();
    assert!(session.open(&bad).is_err());
    assert_eq!(current_path(&session), shown(&good));
    // And it still works.
    let saved = session
        .update_assessment("4.1.1", grade_only(Grade::Conforming))
        .unwrap();
    assert_eq!(saved.assessment.grade, Grade::Conforming);
}

#[test]
fn updating_without_an_open_audit_is_an_error() {
    let data = tempfile::tempdir().unwrap();
    let mut session = Session::new(data.path());
    assert!(session.current().unwrap().is_none());
    assert!(session
        .update_assessment("4.1.1", grade_only(Grade::Conforming))
        .is_err());
}

#[test]
fn an_update_returns_the_progress_it_changed() {
    let data = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let path = create_audit(files.path(), "a.ccaudit");
    let mut session = Session::new(data.path());
    session.open(&path).unwrap();
    let in_7 = raw_top_sections().values().filter(|s| *s == "7").count() as u32;

    let saved = session
        .update_assessment("7.2", grade_only(Grade::Conforming))
        .unwrap();
    assert_eq!(saved.assessment.clause_id, "7.2");
    for p in &saved.progress {
        let expected_assessed = u32::from(p.section == "7");
        assert_eq!(p.assessed, expected_assessed, "section {}", p.section);
    }
    let seven = saved.progress.iter().find(|p| p.section == "7").unwrap();
    assert_eq!((seven.assessed, seven.total), (1, in_7));

    let saved = session
        .update_assessment("7.4", grade_only(Grade::Conforming))
        .unwrap();
    let seven = saved.progress.iter().find(|p| p.section == "7").unwrap();
    assert_eq!(seven.assessed, 2);
}

#[test]
fn start_with_demo_opens_the_demo_even_after_another_audit() {
    let data = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let other = create_audit(files.path(), "other.ccaudit");
    Session::new(data.path()).open(&other).unwrap();
    let mut session = Session::new(data.path());
    let view = session.start(&Launch::Demo).unwrap();
    assert_eq!(view.path, shown(&data.path().join("demo.ccaudit")));
}

#[test]
fn launch_reads_the_apps_arguments() {
    let args = |list: &[&str]| Launch::from_args(list.iter().map(std::ffi::OsString::from));
    assert_eq!(args(&[]), Launch::Default);
    assert_eq!(args(&["--demo"]), Launch::Demo);
    assert_eq!(
        args(&["audits/site.ccaudit"]),
        Launch::File("audits/site.ccaudit".into())
    );
}

#[test]
fn the_sample_planner_checks_its_rule_and_sizes_the_demo_population() {
    use clausewise::sampling::SizeRule;
    let data = tempfile::tempdir().unwrap();
    let mut session = Session::new(data.path());
    session.start(&Launch::Demo).unwrap();
    let contacts: u64 = toml_u64(&read_toml(DEMO), "data", "contacts");
    // metrics.md: zero-defect at 95 % confidence and a 5 % tolerable rate gives 59.
    let plan = session
        .plan_sample(&SizeRule::ZeroDefect {
            confidence: 0.95,
            tolerable: 0.05,
        })
        .unwrap();
    assert_eq!((plan.size, plan.population), (59, contacts));
    for bad in [
        SizeRule::ZeroDefect {
            confidence: 1.5,
            tolerable: 0.05,
        },
        SizeRule::Estimate {
            confidence: 0.95,
            margin: 0.0,
        },
    ] {
        let err = session.plan_sample(&bad).unwrap_err().to_string();
        assert!(err.contains("between 0 and 1"), "{err}");
    }
}

fn toml_u64(doc: &toml::Table, table: &str, key: &str) -> u64 {
    doc[table][key].as_integer().expect("an integer") as u64
}

#[test]
fn changed_details_are_stored_and_the_grades_kept() {
    use clausewise::{AuditType, NewAudit};
    let files = tempfile::tempdir().unwrap();
    let path = create_audit(files.path(), "details.ccaudit");
    let mut session = Session::new(files.path());
    session.open(&path).unwrap();
    session
        .update_assessment("4.2.5", grade_only(Grade::Minor))
        .unwrap();
    let details = NewAudit {
        organisation: "  Ege Telekom A.Ş. ".into(),
        site: Some("İzmir".into()),
        scope: Some("  ".into()),
        channels: vec!["voice".into(), " chat ".into(), "".into()],
        audit_type: AuditType::SelfAssessment,
        auditors: vec!["Elif Şahin".into(), "Can Öz".into()],
        start_date: Some("2026-11-02".parse().unwrap()),
        end_date: Some("2026-11-04".parse().unwrap()),
    };
    let view = session.update_details(&details).unwrap();
    assert_eq!(view.meta.details.organisation, "Ege Telekom A.Ş.");
    // Read back with plain SQL: trimmed, blanks dropped, lists as JSON.
    let conn = rusqlite::Connection::open(&path).unwrap();
    let row: (
        String,
        Option<String>,
        Option<String>,
        String,
        String,
        String,
        String,
        String,
    ) = conn
        .query_row(
            "SELECT organisation, site, scope, channels, audit_type, auditors, start_date, end_date
             FROM audit",
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
            "Ege Telekom A.Ş.".to_string(),
            Some("İzmir".to_string()),
            None,
            r#"["voice","chat"]"#.to_string(),
            "self-assessment".to_string(),
            r#"["Elif Şahin","Can Öz"]"#.to_string(),
            "2026-11-02".to_string(),
            "2026-11-04".to_string(),
        )
    );
    let grade: String = conn
        .query_row(
            "SELECT grade FROM assessment WHERE clause_id = '4.2.5'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(grade, "minor");

    // Details that cannot be stored change nothing.
    for bad in [
        NewAudit {
            organisation: " ".into(),
            ..details.clone()
        },
        NewAudit {
            start_date: Some("2026-11-05".parse().unwrap()),
            ..details.clone()
        },
    ] {
        assert!(session.update_details(&bad).is_err());
    }
    let (org, start): (String, String) = conn
        .query_row("SELECT organisation, start_date FROM audit", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!(
        (org.as_str(), start.as_str()),
        ("Ege Telekom A.Ş.", "2026-11-02")
    );
}

#[test]
fn the_report_is_previewed_and_written_with_its_stages_and_digest() {
    use clausewise::report::{Format, ReportStage};
    use sha2::{Digest, Sha256};
    let data = tempfile::tempdir().unwrap();
    let mut session = Session::new(data.path());
    session.start(&Launch::Demo).unwrap();
    let preview = session.report(Lang::Tr).unwrap();
    assert_eq!(
        preview.report.decision.code,
        session.scorecard(Lang::En).unwrap().decision
    );
    assert_eq!(preview.labels.title, Lang::Tr.text().title);

    let out = data.path().join("findings.csv");
    let mut stages = Vec::new();
    let written = session
        .export_report(Format::Csv, Lang::En, &out, &mut |s| stages.push(s))
        .unwrap();
    assert_eq!(
        stages,
        [
            ReportStage::Building,
            ReportStage::Rendering,
            ReportStage::Writing
        ]
    );
    let bytes = std::fs::read(&out).unwrap();
    assert_eq!(written.size, bytes.len() as u64);
    let digest: String = Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(written.sha256, digest);
    let sidecar = data.path().join("findings.csv.manifest.json");
    assert_eq!(written.manifest_path, Some(shown(&sidecar)));
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&sidecar).unwrap()).unwrap();
    assert_eq!(manifest["report"]["content_sha256"], digest.as_str());
    // Nothing is left under a temporary name.
    let left: Vec<_> = std::fs::read_dir(data.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".partial"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn purging_through_the_session_empties_the_pseudonyms() {
    let data = tempfile::tempdir().unwrap();
    let mut session = Session::new(data.path());
    let view = session.start(&Launch::Demo).unwrap();
    let count = || -> i64 {
        rusqlite::Connection::open(&view.path)
            .unwrap()
            .query_row(
                "SELECT count(*) FROM contact WHERE customer_ref IS NOT NULL",
                [],
                |r| r.get(0),
            )
            .unwrap()
    };
    let before = count();
    assert!(before > 0, "the demo has pseudonymised customers");
    let purged = session.purge_personal_data().unwrap();
    assert_eq!(purged.pseudonyms, before as u64);
    assert_eq!(count(), 0);
}

/// A clause's current `(grade, note, reason)`.
type Current = Option<(String, String, String)>;
/// A clause's audit trail as `(grade, note)` in the order written.
type History = Vec<(String, String)>;

/// The current row and the whole audit trail of one clause, read with plain SQL.
fn trail(path: &Path, clause: &str) -> (Current, History) {
    let conn = raw_open(path);
    let current = conn
        .query_row(
            "SELECT grade, note, reason FROM assessment WHERE clause_id = ?1",
            [clause],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .ok();
    let mut stmt = conn
        .prepare("SELECT grade, note FROM assessment_history WHERE clause_id = ?1 ORDER BY id")
        .unwrap();
    let history = stmt
        .query_map([clause], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    (current, history)
}

fn row(grade: &str, note: &str, reason: &str) -> Current {
    Some((grade.into(), note.into(), reason.into()))
}

#[test]
fn undo_writes_back_the_state_before_the_last_change_as_a_new_change() {
    let data = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let path = create_audit(files.path(), "undo.ccaudit");
    let mut session = Session::new(data.path());
    session.open(&path).unwrap();
    assert!(
        session.undo_assessment("4.2.5").is_err(),
        "a clause never changed has nothing to undo"
    );

    session
        .update_assessment(
            "4.2.5",
            update(Grade::Minor, "3 of 20 without a reference", ""),
        )
        .unwrap();
    session
        .update_assessment("4.2.5", grade_only(Grade::Major))
        .unwrap();
    let saved = session.undo_assessment("4.2.5").unwrap();
    assert_eq!(saved.assessment.grade, Grade::Minor);
    let (current, history) = trail(&path, "4.2.5");
    assert_eq!(current, row("minor", "3 of 20 without a reference", ""));
    let grades: Vec<&str> = history.iter().map(|(g, _)| g.as_str()).collect();
    assert_eq!(
        grades,
        ["minor", "major", "minor"],
        "the undo is appended; nothing is removed from the trail"
    );

    // Undoing a clause's first change leaves it not assessed, without a note.
    session
        .update_assessment("7.2", update(Grade::Conforming, "Seen the plan", ""))
        .unwrap();
    let saved = session.undo_assessment("7.2").unwrap();
    assert_eq!(saved.assessment.grade, Grade::NotAssessed);
    let seven = saved.progress.iter().find(|p| p.section == "7").unwrap();
    assert_eq!(seven.assessed, 0, "the clause counts as open again");
    let (current, history) = trail(&path, "7.2");
    assert_eq!(current, row("not-assessed", "", ""));
    assert_eq!(history.len(), 2);
    assert_eq!(integrity_check(&path), "ok");
}

#[test]
fn undo_restores_a_grade_against_the_suggestion_with_its_stored_reason() {
    let data = tempfile::tempdir().unwrap();
    let mut session = Session::new(data.path());
    let view = session.start(&Launch::Demo).unwrap();
    let path = std::path::PathBuf::from(&view.path);
    // A clause the demo's evidence suggests a definite grade for.
    let (clause, suggested) = view
        .checklist
        .clauses
        .iter()
        .find_map(|c| {
            let s = session.suggestion(&c.id, Lang::En).unwrap()?;
            (!matches!(s.grade, Grade::Na | Grade::NotAssessed)).then(|| (c.id.clone(), s.grade))
        })
        .expect("the demo suggests a grade for some clause");
    let other = if suggested == Grade::Major {
        Grade::Minor
    } else {
        Grade::Major
    };
    let reason = "Seen on site: the evening queue has no cover";
    session
        .update_assessment(&clause, update(other, "note", reason))
        .unwrap();
    session
        .update_assessment(&clause, update(suggested, "note", ""))
        .unwrap();
    assert_eq!(trail(&path, &clause).0, row(suggested.as_str(), "note", ""));

    session.undo_assessment(&clause).unwrap();
    assert_eq!(trail(&path, &clause).0, row(other.as_str(), "note", reason));
}

#[test]
fn an_audit_open_in_one_app_is_refused_by_another_until_it_is_closed_there() {
    let data = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let path = create_audit(files.path(), "shared.ccaudit");
    let mut first = Session::new(data.path());
    let mut second = Session::new(data.path());
    first.open(&path).unwrap();
    // Opening it again in the same app is fine.
    first.open(&path).unwrap();

    let refused = second.open(&path).unwrap_err().to_string();
    assert!(
        refused.contains("shared.ccaudit") && refused.contains("open in another Clausewise window"),
        "{refused}"
    );
    assert!(second.current().unwrap().is_none(), "nothing was opened");

    // The first app moves to another audit: the file is free.
    first.open_demo().unwrap();
    assert_eq!(second.open(&path).unwrap().path, shown(&path));
    // And now the first cannot have it back.
    assert!(first.open(&path).is_err());
    drop(second);
    first.open(&path).unwrap();
}

#[test]
fn the_window_opens_only_files_of_the_recent_list() {
    let data = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let known = create_audit(files.path(), "known.ccaudit");
    let unknown = create_audit(files.path(), "unknown.ccaudit");
    let mut session = Session::new(data.path());
    session.open(&known).unwrap();
    session.open_demo().unwrap();
    assert_eq!(
        session.recent(),
        vec![data.path().join("demo.ccaudit"), known.clone()]
    );

    let refused = session.open_recent(&unknown).unwrap_err().to_string();
    assert!(
        refused.contains("not in the list of recent audits"),
        "{refused}"
    );
    assert_eq!(
        current_path(&session),
        shown(&data.path().join("demo.ccaudit"))
    );
    assert_eq!(session.open_recent(&known).unwrap().path, shown(&known));
}
