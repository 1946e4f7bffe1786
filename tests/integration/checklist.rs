//! The default checklist's content and the validation of checklist files.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use clausewise::checklist::{sha256_hex, ChecklistError, Problem};
use clausewise::metric::{named_ids, Comparator};
use clausewise::Checklist;

use crate::support::{
    array_of_tables, clause, mini_checklist, raw_clause_ids, raw_clauses, read_toml, repo_file,
    str_at, strings, write, COVERAGE, DEFAULT_CHECKLIST,
};

/// The QA metrics that checklist.md's seeds ask for.
const SEED_QA_METRICS: [&str; 6] = [
    "qa_info_accurate",
    "qa_respectful",
    "qa_fees_disclosed",
    "qa_no_pressure_sales",
    "qa_eta_given",
    "qa_privacy_ok",
];

fn default_checklist() -> Checklist {
    Checklist::resolve(None).expect("the default checklist loads")
}

#[test]
fn default_checklist_loads_every_clause_of_its_file_in_order() {
    let ids: Vec<String> = default_checklist()
        .clauses
        .iter()
        .map(|c| c.id.clone())
        .collect();
    let raw = raw_clause_ids();
    assert_eq!(ids, raw);
    assert!(
        (40..=60).contains(&raw.len()),
        "{} clauses; checklist.md asks for roughly 40-60",
        raw.len()
    );
}

#[test]
fn default_checklist_has_sections_4_to_9_with_4_1_to_4_5_under_4() {
    let c = default_checklist();
    let sections: BTreeMap<&str, Option<&str>> = c
        .sections
        .iter()
        .map(|s| (s.id.as_str(), s.parent.as_deref()))
        .collect();
    for top in ["4", "5", "6", "7", "8", "9"] {
        assert_eq!(sections.get(top), Some(&None), "top-level section {top}");
    }
    for sub in ["4.1", "4.2", "4.3", "4.4", "4.5"] {
        assert_eq!(sections.get(sub), Some(&Some("4")), "section {sub} under 4");
    }
    // Every section holds at least one clause (directly or through a subsection).
    for s in sections.keys() {
        assert!(
            c.clauses
                .iter()
                .any(|cl| cl.section == *s || cl.section.starts_with(&format!("{s}."))),
            "section {s} has no clause"
        );
    }
}

#[test]
fn every_named_metric_and_every_seed_qa_metric_is_bound_by_a_clause() {
    let c = default_checklist();
    // The loader keeps exactly the bindings the file lists, clause by clause.
    for raw in raw_clauses() {
        let id = str_at(&raw, "id").unwrap();
        let in_file: Vec<&str> = raw
            .get("metric")
            .and_then(toml::Value::as_array)
            .map(|a| a.iter().map(|m| m["id"].as_str().unwrap()).collect())
            .unwrap_or_default();
        let loaded: Vec<&str> = c
            .clause(id)
            .unwrap()
            .metrics
            .iter()
            .map(|m| m.id.as_str())
            .collect();
        assert_eq!(loaded, in_file, "metrics of clause {id}");
    }
    let bound: BTreeSet<&str> = c
        .clauses
        .iter()
        .flat_map(|cl| cl.metrics.iter().map(|m| m.id.as_str()))
        .collect();
    let named: Vec<&str> = named_ids().collect();
    assert_eq!(named.len(), 20, "metrics.md names 20 metrics");
    for id in named.into_iter().chain(SEED_QA_METRICS) {
        assert!(bound.contains(id), "no clause binds metric {id}");
    }
}

#[test]
fn every_clause_has_english_and_turkish_title_requirement_and_guidance() {
    let c = default_checklist();
    for cl in &c.clauses {
        for (field, text) in [
            ("title", &cl.title),
            ("requirement", &cl.requirement),
            ("guidance", &cl.guidance),
        ] {
            for lang in ["en", "tr"] {
                assert!(
                    text.get(lang).is_some_and(|t| !t.trim().is_empty()),
                    "clause {}: {field}.{lang} is missing or empty",
                    cl.id
                );
            }
        }
    }
}

/// The default targets of metrics.md, transcribed by hand: (comparator, target, zero tolerance).
fn metrics_md_default(id: &str) -> (Comparator, Option<f64>, bool) {
    use Comparator::{AtLeast, AtMost, Includes, Monitor};
    match id {
        "service_level" => (AtLeast, Some(0.80), false),
        "abandon_rate" => (AtMost, Some(0.05), false),
        "asa_seconds" => (AtMost, Some(30.0), false),
        "agent_or_callback_60s" => (AtLeast, Some(0.95), false),
        "callback_offer_after_60s" => (AtLeast, Some(0.90), false),
        "agent_id_recorded" => (AtLeast, Some(0.99), false),
        "survey_coverage" | "escalation_available" | "complaints_per_1000" => {
            (Monitor, None, false)
        }
        "csat_top2" => (AtLeast, Some(0.80), false),
        "channels_present" => (Includes, None, false),
        "outbound_outside_hours" | "outbound_without_consent" | "contact_after_opt_out" => {
            (AtMost, Some(0.0), true)
        }
        "complaint_ack_24h" => (AtLeast, Some(0.95), false),
        "complaint_reference_given" => (AtLeast, Some(1.0), true),
        "complaint_eta_given" => (AtLeast, Some(0.95), false),
        "complaint_resolved_in_time" => (AtLeast, Some(0.90), false),
        "complaint_overdue_open" => (AtMost, Some(0.0), true),
        "complaint_satisfied" => (AtLeast, Some(0.80), false),
        // Zero tolerance: every sampled contact must pass.
        "qa_no_pressure_sales" | "qa_privacy_ok" => (AtLeast, Some(1.0), true),
        qa if qa.starts_with("qa_") => (AtLeast, Some(0.95), false),
        other => panic!("metrics.md has no metric {other}"),
    }
}

#[test]
fn bindings_without_a_target_take_the_defaults_of_metrics_md() {
    let c = default_checklist();
    let mut checked = BTreeSet::new();
    for raw in raw_clauses() {
        let id = str_at(&raw, "id").unwrap();
        for m in array_of_tables(&raw, "metric") {
            if m.contains_key("target") || m.contains_key("zero_tolerance") {
                continue;
            }
            let metric = m["id"].as_str().unwrap();
            let b = c
                .clause(id)
                .unwrap()
                .metrics
                .iter()
                .find(|b| b.id == metric)
                .unwrap();
            assert_eq!(
                (b.comparator, b.target, b.zero_tolerance),
                metrics_md_default(metric),
                "clause {id}, metric {metric}"
            );
            checked.insert(metric.to_string());
        }
    }
    for metric in ["service_level", "abandon_rate", "qa_privacy_ok"] {
        assert!(checked.contains(metric), "{metric} was not checked");
    }
}

#[test]
fn a_channels_present_binding_without_a_list_requires_voice_email_and_chat() {
    let c = default_checklist();
    let b = c
        .clause("4.4.1")
        .unwrap()
        .metrics
        .iter()
        .find(|b| b.id == "channels_present")
        .unwrap();
    let got: BTreeSet<&str> = b.channels.iter().map(String::as_str).collect();
    assert_eq!(got, BTreeSet::from(["voice", "email", "chat"]));
}

#[test]
fn a_target_written_in_the_file_overrides_the_default() {
    let dir = tempfile::tempdir().unwrap();
    let extra = "[[clause.metric]]\nid = \"service_level\"\ntarget = 0.9\n\n\
                 [[clause.metric]]\nid = \"qa_respectful\"\nzero_tolerance = true\n";
    let path = write(
        dir.path(),
        "c.toml",
        &mini_checklist(&clause("4.1.1", "4.1", extra)),
    );
    let c = Checklist::load(&path).unwrap();
    let m = &c.clause("4.1.1").unwrap().metrics;
    assert_eq!(
        (m[0].id.as_str(), m[0].target),
        ("service_level", Some(0.9))
    );
    assert_eq!(
        (m[1].id.as_str(), m[1].zero_tolerance),
        ("qa_respectful", true)
    );
}

#[test]
fn coverage_file_clauses_exist_and_their_keywords_occur_in_the_english_text() {
    let c = default_checklist();
    let coverage = read_toml(COVERAGE);
    let entries = array_of_tables(&coverage, "requirement");
    assert!(!entries.is_empty());
    for r in entries {
        let spec = str_at(r, "spec").unwrap();
        let clauses = strings(r, "clauses");
        let keywords = strings(r, "keywords");
        assert!(!clauses.is_empty(), "{spec}: an entry lists no clause");
        assert!(!keywords.is_empty(), "{spec}: an entry lists no keyword");
        for id in &clauses {
            let cl = c
                .clause(id)
                .unwrap_or_else(|| panic!("coverage {spec}: no clause {id}"));
            let text = format!("{} {}", cl.requirement["en"], cl.guidance["en"]).to_lowercase();
            for k in &keywords {
                assert!(
                    text.contains(&k.to_lowercase()),
                    "coverage {spec}: '{k}' not in clause {id}'s requirement or guidance"
                );
            }
        }
    }
}

#[test]
fn coverage_file_has_an_entry_for_every_heading_of_checklist_md() {
    let coverage = read_toml(COVERAGE);
    let specs: BTreeSet<&str> = array_of_tables(&coverage, "requirement")
        .into_iter()
        .map(|r| str_at(r, "spec").unwrap())
        .collect();
    for heading in ["4.1", "4.2", "4.3", "4.4", "4.5", "5", "6", "7", "8", "9"] {
        assert!(specs.contains(heading), "no coverage entry for {heading}");
    }
}

#[test]
fn builtin_id_and_path_resolve_to_the_same_checklist() {
    let shipped = repo_file(DEFAULT_CHECKLIST);
    let by_id = Checklist::resolve(Some("tse-ts-iso-18295-1")).unwrap();
    let by_path = Checklist::resolve(Some(shipped.to_str().unwrap())).unwrap();
    let file_sha = sha256_hex(&std::fs::read(&shipped).unwrap());
    assert_eq!(by_id.sha256, file_sha);
    assert_eq!(by_path.sha256, file_sha);
    assert_eq!(by_id.clauses, by_path.clauses);
}

#[test]
fn a_checklist_file_elsewhere_resolves_by_its_path() {
    let dir = tempfile::tempdir().unwrap();
    let text = mini_checklist(&(clause("4.1.1", "4.1", "") + &clause("4.1.2", "4.1", "")));
    let path = write(dir.path(), "mine.toml", &text);
    let c = Checklist::resolve(Some(path.to_str().unwrap())).unwrap();
    assert_eq!(c.id, "mini");
    let ids: Vec<&str> = c.clauses.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["4.1.1", "4.1.2"]);
    assert_eq!(c.sha256, sha256_hex(text.as_bytes()));
}

#[test]
fn an_unknown_id_that_is_no_file_is_reported_as_not_found() {
    let err = Checklist::resolve(Some("no-such-checklist")).unwrap_err();
    assert_eq!(err.problems, [Problem::NotFound]);
    assert!(err.to_string().starts_with("no-such-checklist: "));
}

// ---- validation ---------------------------------------------------------------------------------

/// Writes a bad checklist into a fresh tempdir and loads it, expecting it to be refused.
fn refused(text: &str) -> (PathBuf, ChecklistError, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "bad.toml", text);
    let err = Checklist::load(&path).expect_err("the checklist should be refused");
    (path, err, dir)
}

/// Asserts that every line of the error's Display starts with the file and that `needles`
/// all appear in it.
fn assert_display(err: &ChecklistError, path: &Path, needles: &[&str]) {
    let shown = err.to_string();
    let lines: Vec<&str> = shown.lines().collect();
    assert_eq!(
        lines.len(),
        err.problems.len(),
        "one line per problem:\n{shown}"
    );
    for line in &lines {
        assert!(
            line.starts_with(&format!("{}: ", path.display())),
            "'{line}' does not start with the file"
        );
    }
    for n in needles {
        assert!(shown.contains(n), "'{n}' missing from:\n{shown}");
    }
}

#[test]
fn the_mini_fixture_is_itself_valid() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "ok.toml",
        &mini_checklist(&clause("4.1.1", "4.1", "weight = 2.5")),
    );
    let c = Checklist::load(&path).unwrap();
    assert_eq!(c.clauses.len(), 1);
    assert_eq!(c.clauses[0].weight, 2.5);
}

#[test]
fn a_duplicate_clause_id_is_refused_naming_file_and_clause() {
    let (path, err, _dir) = refused(&mini_checklist(
        &(clause("4.1.7", "4.1", "") + &clause("4.1.7", "4.1", "")),
    ));
    assert_eq!(err.problems, [Problem::DuplicateClause("4.1.7".into())]);
    assert_display(&err, &path, &["'4.1.7'"]);
}

#[test]
fn an_unknown_metric_id_is_refused_naming_file_clause_and_metric() {
    let (path, err, _dir) = refused(&mini_checklist(&clause(
        "4.1.1",
        "4.1",
        "[[clause.metric]]\nid = \"service_levels\"",
    )));
    assert_eq!(
        err.problems,
        [Problem::UnknownMetric {
            clause: "4.1.1".into(),
            metric: "service_levels".into()
        }]
    );
    assert_display(&err, &path, &["'4.1.1'", "'service_levels'"]);
}

#[test]
fn a_zero_weight_is_refused() {
    let (path, err, _dir) = refused(&mini_checklist(&clause("4.1.3", "4.1", "weight = 0")));
    assert_eq!(
        err.problems,
        [Problem::NonPositiveWeight {
            clause: "4.1.3".into(),
            weight: 0.0
        }]
    );
    assert_display(&err, &path, &["'4.1.3'", "weight"]);
}

#[test]
fn a_negative_weight_is_refused() {
    let (path, err, _dir) = refused(&mini_checklist(&clause("4.1.4", "4.1", "weight = -1.5")));
    assert_eq!(
        err.problems,
        [Problem::NonPositiveWeight {
            clause: "4.1.4".into(),
            weight: -1.5
        }]
    );
    assert_display(&err, &path, &["'4.1.4'", "-1.5"]);
}

#[test]
fn a_missing_turkish_translation_is_refused() {
    let block = clause("4.1.5", "4.1", "").replace("requirement.tr = \"4.1.5 gerekliliği\"\n", "");
    assert!(!block.contains("requirement.tr"), "fixture edit failed");
    let (path, err, _dir) = refused(&mini_checklist(&block));
    assert_eq!(
        err.problems,
        [Problem::MissingTranslation {
            item: "clause '4.1.5'".into(),
            field: "requirement".into(),
            lang: "tr".into()
        }]
    );
    assert_display(&err, &path, &["'4.1.5'", "requirement", "'tr'"]);
}

#[test]
fn a_clause_in_an_undeclared_section_is_refused() {
    let (path, err, _dir) = refused(&mini_checklist(&clause("7.9", "7", "")));
    assert_eq!(
        err.problems,
        [Problem::UnknownSection {
            clause: "7.9".into(),
            section: "7".into()
        }]
    );
    assert_display(&err, &path, &["'7.9'", "section '7'"]);
}

#[test]
fn a_syntax_error_is_reported_at_its_line_and_column() {
    // The stray `=` sits after Turkish letters: the column counts characters, not bytes.
    let text = mini_checklist(&clause("4.1.1", "4.1", "")).replace(
        "title.tr = \"4.1.1 başlığı\"",
        "title.tr = \"4.1.1 başlığı\" =",
    );
    let (path, err, _dir) = refused(&text);
    let at = text.find("başlığı\" =").unwrap() + "başlığı\" ".len();
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line = text[..at].lines().count();
    let column = text[line_start..at].chars().count() + 1;
    // Hand check of the fixture: the clause's title.tr line is line 32.
    assert_eq!(line, 32);
    match &err.problems[..] {
        [Problem::Syntax {
            line: l, column: c, ..
        }] => assert_eq!((*l, *c), (line, column), "{err}"),
        other => panic!("expected one syntax problem, got {other:?}"),
    }
    assert_display(&err, &path, &[&format!("line {line}, column {column}")]);
}

#[test]
fn several_problems_in_one_file_are_all_reported() {
    let clauses = clause("4.1.1", "4.1", "weight = 0")
        + &clause("4.1.1", "4.1", "")
        + &clause("4.2.1", "4.2", "[[clause.metric]]\nid = \"nope\"");
    let (path, err, _dir) = refused(&mini_checklist(&clauses));
    assert_eq!(
        err.problems,
        [
            Problem::NonPositiveWeight {
                clause: "4.1.1".into(),
                weight: 0.0
            },
            Problem::DuplicateClause("4.1.1".into()),
            Problem::UnknownSection {
                clause: "4.2.1".into(),
                section: "4.2".into()
            },
            Problem::UnknownMetric {
                clause: "4.2.1".into(),
                metric: "nope".into()
            },
        ]
    );
    assert_display(&err, &path, &["'4.1.1'", "'4.2.1'", "'nope'"]);
}
