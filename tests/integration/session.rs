//! `Session`, the state behind the desktop app's commands, driven without a window.

use std::path::Path;

use clausewise::session::{Launch, Session};
use clausewise::Grade;

use crate::support::{
    array_of_tables, create_audit, grade_only, raw_top_sections, read_toml, write, DEMO,
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
