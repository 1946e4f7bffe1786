//! The `clausewise` binary, run as a user would: exit codes, stderr, and files checked with raw
//! SQL; JSON output parsed and compared with the checklist file read independently.

use std::path::Path;

use crate::support::{
    clause, clausewise, integrity_check, mini_checklist, raw_assessments, raw_clause_ids,
    raw_clauses, status, stderr, stdout_json, str_at, write, CLI_GRADES,
};

/// Creates `a.ccaudit` in `dir` with the CLI and checks that it succeeded.
fn cli_new(dir: &Path) {
    let out = clausewise(
        dir,
        &["new", "a.ccaudit", "--org", "Acme", "--auditor", "Ayşe"],
    );
    assert_eq!(status(&out), 0, "{}", stderr(&out));
}

#[test]
fn new_creates_a_sound_audit_file() {
    let dir = tempfile::tempdir().unwrap();
    cli_new(dir.path());
    assert_eq!(integrity_check(&dir.path().join("a.ccaudit")), "ok");
}

#[test]
fn new_refuses_an_existing_file() {
    let dir = tempfile::tempdir().unwrap();
    cli_new(dir.path());
    let out = clausewise(dir.path(), &["new", "a.ccaudit", "--org", "Other"]);
    assert_eq!(status(&out), 2);
    assert!(stderr(&out).contains("a.ccaudit"), "{}", stderr(&out));
}

#[test]
fn grade_stores_the_grade_and_note() {
    let dir = tempfile::tempdir().unwrap();
    cli_new(dir.path());
    let out = clausewise(
        dir.path(),
        &["grade", "a.ccaudit", "4.2.5", "minor", "--note", "3 of 20"],
    );
    assert_eq!(status(&out), 0, "{}", stderr(&out));
    assert_eq!(
        raw_assessments(&dir.path().join("a.ccaudit")),
        [(
            "4.2.5".to_string(),
            "minor".to_string(),
            "3 of 20".to_string(),
            String::new()
        )]
    );
}

#[test]
fn grade_with_an_unknown_grade_exits_2_and_lists_the_valid_ones() {
    let dir = tempfile::tempdir().unwrap();
    cli_new(dir.path());
    let out = clausewise(dir.path(), &["grade", "a.ccaudit", "4.2.5", "excellent"]);
    assert_eq!(status(&out), 2);
    let err = stderr(&out);
    assert!(err.contains("excellent"), "{err}");
    for g in CLI_GRADES {
        assert!(err.contains(g), "'{g}' not named in:\n{err}");
    }
    assert_eq!(raw_assessments(&dir.path().join("a.ccaudit")), []);
}

#[test]
fn grade_of_an_unknown_clause_exits_2_naming_the_clause() {
    let dir = tempfile::tempdir().unwrap();
    cli_new(dir.path());
    let out = clausewise(dir.path(), &["grade", "a.ccaudit", "4.9.77", "conforming"]);
    assert_eq!(status(&out), 2);
    assert!(stderr(&out).contains("4.9.77"), "{}", stderr(&out));
}

#[test]
fn na_without_a_reason_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    cli_new(dir.path());
    let out = clausewise(dir.path(), &["grade", "a.ccaudit", "4.5.6", "na"]);
    assert_eq!(status(&out), 2);
    assert_eq!(raw_assessments(&dir.path().join("a.ccaudit")), []);
}

#[test]
fn info_on_a_text_file_exits_2_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "notes.ccaudit", "not an audit\n");
    let out = clausewise(dir.path(), &["info", "notes.ccaudit"]);
    assert_eq!(status(&out), 2);
    assert!(stderr(&out).contains("notes.ccaudit"), "{}", stderr(&out));
    assert!(out.stdout.is_empty());
}

#[test]
fn info_json_is_one_document_whose_total_is_the_clause_count() {
    let dir = tempfile::tempdir().unwrap();
    cli_new(dir.path());
    let graded = clausewise(dir.path(), &["grade", "a.ccaudit", "7.2", "major"]);
    assert_eq!(status(&graded), 0, "{}", stderr(&graded));
    let out = clausewise(dir.path(), &["info", "a.ccaudit", "--json"]);
    assert_eq!(status(&out), 0, "{}", stderr(&out));
    let json = stdout_json(&out);
    assert_eq!(json["total"].as_u64(), Some(raw_clause_ids().len() as u64));
    assert_eq!(json["assessed"].as_u64(), Some(1));
    assert_eq!(json["meta"]["organisation"], "Acme");
}

/// The checklist as `checklist --json [extra args]` prints it.
fn checklist_json(extra: &[&str]) -> serde_json::Value {
    let dir = tempfile::tempdir().unwrap();
    let args = [&["checklist", "--json"], extra].concat();
    let out = clausewise(dir.path(), &args);
    assert_eq!(status(&out), 0, "{}", stderr(&out));
    stdout_json(&out)
}

/// The (id, requirement) of every clause of a `checklist --json` document.
fn printed_requirements(json: &serde_json::Value) -> Vec<(String, String)> {
    json["clauses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["id"].as_str().unwrap().to_string(),
                c["requirement"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// The (id, requirement) of every clause of the shipped checklist in `lang`, read directly.
fn file_requirements(lang: &str) -> Vec<(String, String)> {
    raw_clauses()
        .iter()
        .map(|c| {
            (
                str_at(c, "id").unwrap().to_string(),
                str_at(c, &format!("requirement.{lang}"))
                    .unwrap()
                    .to_string(),
            )
        })
        .collect()
}

#[test]
fn checklist_json_lists_every_clause_in_order_with_its_requirement() {
    let printed = printed_requirements(&checklist_json(&[]));
    assert_eq!(printed, file_requirements("en"));
    assert!(printed.iter().all(|(_, r)| !r.trim().is_empty()));
}

#[test]
fn checklist_json_in_turkish_gives_the_turkish_requirements() {
    let printed = printed_requirements(&checklist_json(&["--lang", "tr"]));
    assert_eq!(printed, file_requirements("tr"));
    assert_ne!(printed, file_requirements("en"));
}

#[test]
fn checklist_of_a_bad_file_exits_2_with_one_line_per_problem() {
    let dir = tempfile::tempdir().unwrap();
    let clauses = clause("4.1.1", "4.1", "weight = 0")
        + &clause("4.1.1", "4.1", "")
        + &clause("4.1.2", "7", "");
    write(dir.path(), "BAD.toml", &mini_checklist(&clauses));
    let out = clausewise(dir.path(), &["checklist", "BAD.toml"]);
    assert_eq!(status(&out), 2);
    let err = stderr(&out);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 3, "{err}");
    for (line, clause) in lines.iter().zip(["'4.1.1'", "'4.1.1'", "'4.1.2'"]) {
        assert!(line.contains("BAD.toml"), "{line}");
        assert!(line.contains(clause), "{line}");
    }
    assert!(lines[0].contains("weight"));
    assert!(lines[1].contains("twice"));
    assert!(lines[2].contains("section '7'"));
}

#[test]
fn demo_builds_a_sound_audit_in_the_given_folder() {
    let dir = tempfile::tempdir().unwrap();
    let out = clausewise(dir.path(), &["demo", "--out", "demo-dir"]);
    assert_eq!(status(&out), 0, "{}", stderr(&out));
    assert_eq!(
        integrity_check(&dir.path().join("demo-dir").join("demo.ccaudit")),
        "ok"
    );
}
