//! The words the core gives the window in the window's language: the decision's rule and
//! reasons, the metrics' advice, formulas and settings, and the suggested grades' reasons. The
//! figures are the same in every language; the Turkish words are checked against the checklist
//! file read by the `toml` crate and against numbers written here by hand.

use clausewise::report::Lang;
use clausewise::scoring::{Decision, DriverKind};
use clausewise::session::{Launch, Session};
use clausewise::Audit;

use crate::support::{raw_clauses, str_at};

fn demo() -> (tempfile::TempDir, Session) {
    let data = tempfile::tempdir().unwrap();
    let mut session = Session::new(data.path());
    session.start(&Launch::Demo).unwrap();
    (data, session)
}

/// A clause's title in `lang`, from the checklist file.
fn title(id: &str, lang: &str) -> String {
    raw_clauses()
        .into_iter()
        .find(|c| str_at(c, "id") == Some(id))
        .and_then(|c| str_at(&c, &format!("title.{lang}")).map(str::to_string))
        .unwrap_or_else(|| panic!("clause {id} has a title in {lang}"))
}

/// `x` (0–100) with one decimal, Turkish style: `%65,7`.
fn turkish_percent(x: f64) -> String {
    format!("%{:.1}", x).replace('.', ",")
}

/// `n` with Turkish thousands dots: `14.336`.
fn turkish_count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(ch);
    }
    out
}

#[test]
fn the_scorecard_in_english_is_the_one_the_core_scores() {
    let (_data, session) = demo();
    let path = session.current().unwrap().unwrap().path;
    let english = session.scorecard(Lang::En).unwrap();
    let scored = Audit::open(std::path::Path::new(&path))
        .unwrap()
        .scorecard()
        .unwrap();
    assert_eq!(english, scored);
    assert_eq!(english.reasons.len(), english.drivers.len());
}

#[test]
fn the_decision_in_turkish_states_the_rule_and_each_clause_in_turkish() {
    let (_data, session) = demo();
    let english = session.scorecard(Lang::En).unwrap();
    let turkish = session.scorecard(Lang::Tr).unwrap();
    // The demo leaves mandatory clauses unassessed: the audit is incomplete.
    assert_eq!(english.decision, Decision::Incomplete);
    assert_eq!(turkish.decision, english.decision);
    assert_eq!(turkish.drivers, english.drivers);
    assert_eq!(english.rule, "a mandatory clause is not assessed");
    assert_eq!(turkish.rule, "zorunlu bir madde değerlendirilmemiş");
    assert!(!turkish.drivers.is_empty());
    for (driver, (tr, en)) in turkish
        .drivers
        .iter()
        .zip(turkish.reasons.iter().zip(&english.reasons))
    {
        assert_eq!(driver.kind, DriverKind::MandatoryNotAssessed);
        let id = &driver.clause_id;
        assert_eq!(
            *tr,
            format!("{id} {}: zorunlu ve değerlendirilmedi", title(id, "tr"))
        );
        assert_eq!(
            *en,
            format!("{id} {}: mandatory and not assessed", title(id, "en"))
        );
    }
    // The figures do not change with the language.
    assert_eq!(turkish.overall, english.overall);
    assert_eq!(turkish.sections, english.sections);
    assert_eq!(turkish.counts, english.counts);
}

#[test]
fn the_metrics_in_turkish_keep_their_figures_and_speak_turkish() {
    let (_data, session) = demo();
    let english = session.evidence(Lang::En).unwrap();
    let turkish = session.evidence(Lang::Tr).unwrap();
    assert_eq!(english.metrics.len(), turkish.metrics.len());
    for (en, tr) in english.metrics.iter().zip(&turkish.metrics) {
        assert_eq!(
            (&tr.id, tr.k, tr.n, tr.value, tr.status, tr.target),
            (&en.id, en.k, en.n, en.value, en.status, en.target)
        );
        assert_ne!(tr.advice, en.advice, "{}", en.id);
        assert_ne!(tr.formula, en.formula, "{}", en.id);
        for english_word in ["Fails", "Passes", "Inconclusive", "records", "target"] {
            assert!(
                !tr.advice.contains(english_word),
                "{}: {}",
                tr.id,
                tr.advice
            );
        }
    }

    // The service level, worked out from its k and n here: below its 80 % target.
    let sl = turkish.metric("service_level").unwrap();
    let (k, n) = (sl.k.unwrap(), sl.n);
    assert!((k as f64) / (n as f64) < 0.8);
    let expected = format!(
        "Karşılamıyor: {} ({}/{}), hedef ≥ %80.",
        turkish_percent(k as f64 * 100.0 / n as f64),
        turkish_count(k),
        turkish_count(n)
    );
    assert_eq!(sl.advice, expected);
    assert_eq!(sl.parameters, ["T = 20 sn", "kısa terk < 5 sn"]);
    assert_eq!(
        english.metric("service_level").unwrap().parameters,
        ["T = 20 s", "short abandon < 5 s"]
    );
    assert_eq!(
        turkish
            .metric("complaint_resolved_in_time")
            .unwrap()
            .parameters,
        ["D = 15 gün"]
    );
}

#[test]
fn a_suggested_grade_gives_its_reasons_in_turkish() {
    let (_data, session) = demo();
    let view = session.current().unwrap().unwrap();
    // Every clause: the same grade in both languages; a missed target reads the same metric.
    let mut missed = 0;
    for clause in &view.checklist.clauses {
        let en = session.suggestion(&clause.id, Lang::En).unwrap();
        let tr = session.suggestion(&clause.id, Lang::Tr).unwrap();
        assert_eq!(
            en.as_ref().map(|s| (s.grade, s.reasons.len())),
            tr.as_ref().map(|s| (s.grade, s.reasons.len())),
            "{}",
            clause.id
        );
        let (Some(en), Some(tr)) = (en, tr) else {
            continue;
        };
        for (e, t) in en.reasons.iter().zip(&tr.reasons) {
            if let Some((id, _)) = e.split_once(": target missed — ") {
                missed += 1;
                assert!(
                    t.starts_with(&format!("{id}: hedef tutturulamadı — Karşılamıyor")),
                    "{t}"
                );
            }
            if let Some(ids) = e.strip_prefix("all assessable metrics pass: ") {
                assert_eq!(
                    *t,
                    format!("değerlendirilebilen tüm ölçütler karşılanıyor: {ids}")
                );
            }
        }
    }
    assert!(missed > 0, "the demo misses some targets");
}
