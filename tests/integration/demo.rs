//! The demo audit, compared with `audits/demo/demo.toml` read independently.

use std::collections::BTreeSet;

use clausewise::{Audit, Grade};

use crate::support::{
    array_of_tables, dir_names, grade_only, integrity_check, names, raw_assessments,
    raw_clause_ids, read_toml, row_count, str_at, DEMO,
};

/// The demo's `[[assessment]]` entries as (clause, grade, note, reason), ordered by clause id.
fn demo_entries() -> Vec<(String, String, String, String)> {
    let doc = read_toml(DEMO);
    let mut entries: Vec<_> = array_of_tables(&doc, "assessment")
        .into_iter()
        .map(|a| {
            let s = |k| str_at(a, k).unwrap_or("").to_string();
            (s("clause"), s("grade"), s("note"), s("reason"))
        })
        .collect();
    entries.sort();
    entries
}

#[test]
fn the_demo_holds_exactly_the_assessments_of_demo_toml() {
    let dir = tempfile::tempdir().unwrap();
    let path = clausewise::demo::build(dir.path()).unwrap();
    assert_eq!(path, dir.path().join("demo.ccaudit"));
    let expected = demo_entries();
    assert!(!expected.is_empty());
    assert_eq!(raw_assessments(&path), expected);
    assert_eq!(
        row_count(&path, "assessment_history"),
        expected.len() as i64
    );
    assert_eq!(dir_names(dir.path()), names(&["demo.ccaudit"]));
    // The import log names the synthetic files as the evidence shows them.
    let conn = crate::support::raw_open(&path);
    let imported: Vec<String> = conn
        .prepare("SELECT file_name FROM import ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(imported, ["demo-contacts.csv", "demo-complaints.csv"]);
}

#[test]
fn every_demo_clause_exists_in_the_checklist() {
    let ids: BTreeSet<String> = raw_clause_ids().into_iter().collect();
    for (clause, ..) in demo_entries() {
        assert!(ids.contains(&clause), "demo grades unknown clause {clause}");
    }
}

#[test]
fn building_the_demo_again_replaces_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = clausewise::demo::build(dir.path()).unwrap();
    // Change the first build so that a replacement can be told from a kept file.
    let extra = "9.3";
    assert!(demo_entries().iter().all(|(c, ..)| c != extra));
    let mut audit = Audit::open(&path).unwrap();
    audit
        .update_assessment(extra, grade_only(Grade::Major))
        .unwrap();
    drop(audit);
    assert_eq!(raw_assessments(&path).len(), demo_entries().len() + 1);

    assert_eq!(clausewise::demo::build(dir.path()).unwrap(), path);
    assert_eq!(integrity_check(&path), "ok");
    assert_eq!(raw_assessments(&path), demo_entries());
    assert_eq!(dir_names(dir.path()), names(&["demo.ccaudit"]));
}
