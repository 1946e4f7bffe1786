//! The HTML report: one self-contained, printable file. No scripts, no external requests (its
//! Content-Security-Policy forbids both); charts are inline SVG; every piece of text from the
//! audit or its imported files is escaped.

use std::fmt::Write;

use super::chart;
use super::view::View;
use super::Report;

/// `s` with the five HTML-special characters escaped (safe in text and in quoted attributes).
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = r#"
:root { --ink: #1d232a; --muted: #5b6570; --line: #d5dae0; --band: #f3f5f7; --accent: #2f5d8a; }
* { box-sizing: border-box; }
body { font-family: "Libertinus Serif", Georgia, "Times New Roman", serif; color: var(--ink);
       margin: 0 auto; max-width: 60rem; padding: 1.5rem 2rem 4rem; line-height: 1.4; font-size: 11pt; }
h1 { font-size: 1.9rem; margin: 0.2rem 0 1rem; color: var(--accent); }
h2 { font-size: 1.35rem; margin: 2rem 0 0.6rem; padding-bottom: 0.2rem; border-bottom: 2px solid var(--accent); }
h3 { font-size: 1.05rem; margin: 1.2rem 0 0.4rem; }
table { border-collapse: collapse; width: 100%; margin: 0.4rem 0 0.8rem; }
th, td { border: 1px solid var(--line); padding: 0.25rem 0.45rem; text-align: left; vertical-align: top; }
th { background: var(--band); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.mono { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 0.8em; word-break: break-all; }
.muted { color: var(--muted); }
.small { font-size: 0.88em; }
.running { display: flex; justify-content: space-between; gap: 1rem; color: var(--muted);
           font-size: 0.85rem; border-bottom: 1px solid var(--line); padding-bottom: 0.3rem; }
.notice { background: #fff4e5; border: 2px solid #c77700; color: #7a4100; font-weight: 700;
          padding: 0.35rem 0.6rem; margin: 0.5rem 0; }
.decision { border: 2px solid var(--accent); padding: 0.7rem 1rem; margin: 0.8rem 0; background: var(--band); }
.decision .label { font-size: 1.5rem; font-weight: 700; }
ul.drivers { columns: 2; column-gap: 2rem; font-size: 0.92em; }
.decision.not_ready .label, .decision.incomplete .label { color: #b3261e; }
.decision.ready .label { color: #2e7d32; }
.kv th { width: 14rem; }
.chart svg { width: 100%; height: auto; max-width: 40rem; display: block; }
tr.clause > td { border-top: 2px solid #aeb6bf; }
tr.detail > td { background: #fbfcfd; }
tr.group > td { background: var(--band); color: var(--accent); font-weight: 700; }
.grade-minor { color: #a65f00; font-weight: 600; }
.grade-major { color: #b3261e; font-weight: 700; }
.status-fail { color: #b3261e; font-weight: 600; }
.status-pass { color: #2e7d32; }
.status-inconclusive { color: #a65f00; }
.differs { font-weight: 700; }
.finding { border: 1px solid var(--line); margin: 0.6rem 0; break-inside: avoid; }
.finding h3 { margin: 0; padding: 0.3rem 0.5rem; background: var(--band); }
.finding table { margin: 0; }
.signature { display: grid; grid-template-columns: 1fr 1fr 1fr; gap: 1rem; margin: 1.2rem 0; break-inside: avoid; }
.signature div { border-top: 1px solid var(--ink); padding-top: 0.2rem; min-height: 3rem; }
footer { margin-top: 2rem; color: var(--muted); font-size: 0.85rem; }
table.frame, table.frame > thead > tr > td, table.frame > tbody > tr > td { border: none; padding: 0; margin: 0; }
.running-notice { margin: 0.3rem 0 0.6rem; text-align: center; }
@page { size: A4; margin: 16mm 14mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 9.5pt; }
  h2 { break-after: avoid; }
  section.page { break-before: page; }
  tr, .kv tr { break-inside: avoid; }
  thead { display: table-header-group; }
  table.frame > thead { display: table-header-group; }
  .running { font-size: 7.5pt; margin-bottom: 0.3rem; }
  .running-notice { font-size: 8pt; padding: 0.15rem; }
}
"#;

struct Html {
    out: String,
}

impl Html {
    fn raw(&mut self, s: &str) -> &mut Self {
        self.out.push_str(s);
        self
    }
    fn text(&mut self, s: &str) -> &mut Self {
        self.out.push_str(&escape(s));
        self
    }
    /// `<tag class="…">text</tag>`.
    fn el(&mut self, tag: &str, class: &str, text: &str) -> &mut Self {
        if class.is_empty() {
            let _ = write!(self.out, "<{tag}>{}</{tag}>", escape(text));
        } else {
            let _ = write!(
                self.out,
                "<{tag} class=\"{}\">{}</{tag}>",
                escape(class),
                escape(text)
            );
        }
        self
    }
    /// A two-column table of (label, value) rows.
    fn kv(&mut self, rows: &[(String, String)], mono_from: Option<usize>) -> &mut Self {
        self.raw("<table class=\"kv\"><tbody>");
        for (i, (k, v)) in rows.iter().enumerate() {
            self.raw("<tr>").el("th", "", k);
            let class = if mono_from.is_some_and(|m| i >= m) || is_hash(v) {
                "mono"
            } else {
                ""
            };
            self.el("td", class, v).raw("</tr>");
        }
        self.raw("</tbody></table>")
    }
    fn head_row(&mut self, cells: &[&str], numeric_from: usize) -> &mut Self {
        self.raw("<thead><tr>");
        for (i, c) in cells.iter().enumerate() {
            self.el("th", if i >= numeric_from { "num" } else { "" }, c);
        }
        self.raw("</tr></thead>")
    }
}

fn is_hash(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The HTML of `report` (without its manifest).
pub fn render(report: &Report) -> String {
    let v = View::of(report);
    let t = v.labels;
    let mut h = Html {
        out: String::with_capacity(256 * 1024),
    };
    h.raw("<!DOCTYPE html>\n<html lang=\"")
        .text(v.lang)
        .raw("\">\n<head>\n<meta charset=\"utf-8\">\n")
        .raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .raw("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n")
        .raw("<meta name=\"generator\" content=\"")
        .text(&report.generator)
        .raw("\">\n<title>")
        .text(&format!("{} — {}", v.title, v.organisation))
        .raw("</title>\n<style>")
        .raw(STYLE)
        .raw("</style>\n</head>\n<body>\n");
    // The whole report sits in one table whose header row, the running header (and a
    // self-assessment's notice), browsers repeat at the top of every printed page.
    h.raw("<table class=\"frame\">\n<thead><tr><td>\n<div class=\"running\">")
        .el("span", "", &format!("{} — {}", v.title, v.running))
        .el("span", "", &v.generated)
        .raw("</div>\n");
    if let Some(n) = &v.notice {
        h.el("div", "notice running-notice", n).raw("\n");
    }
    h.raw("</td></tr></thead>\n<tbody><tr><td>\n");

    // Cover.
    h.raw("<section id=\"cover\">\n").el("h1", "", &v.title);
    if let Some(e) = &v.self_explained {
        h.el("p", "", e);
    }
    h.kv(&v.cover, None).raw("</section>\n");

    // Executive summary.
    h.raw("<section id=\"summary\">\n").el("h2", "", t.summary);
    if let Some(n) = &v.notice {
        h.el("div", "notice", n).raw("\n");
    }
    h.raw("<div class=\"decision ")
        .text(&v.decision_code)
        .raw("\">")
        .el("div", "muted", &v.decision_heading)
        .el("div", "label", &v.decision)
        .raw("<div>")
        .el("strong", "", t.rule)
        .text(": ")
        .text(&v.rule)
        .raw("</div><div>")
        .el("strong", "", t.overall_score)
        .text(": ")
        .text(&v.overall)
        .raw("</div></div>\n")
        .el("p", "", &v.statement)
        .el("h3", "", &v.drivers_heading)
        .raw("<ul class=\"drivers\">");
    for d in &v.drivers {
        h.el("li", "", d);
    }
    h.raw("</ul>\n")
        .el("h3", "", t.sections_chart)
        .raw("<div class=\"chart\" id=\"chart-sections\">")
        .raw(&chart::section_scores(report))
        .raw("</div>\n")
        .el("h3", "", t.grades_chart)
        .raw("<div class=\"chart\" id=\"chart-grades\">")
        .raw(&chart::grade_counts(report))
        .raw("</div>\n<table>");
    h.head_row(&[t.grade, t.total], 1).raw("<tbody>");
    for (g, n) in &v.counts {
        h.raw("<tr>")
            .el("td", "", g)
            .el("td", "num", n)
            .raw("</tr>");
    }
    h.raw("</tbody></table>\n</section>\n");

    // Section scores.
    h.raw("<section id=\"sections\">\n")
        .el("h2", "", t.section_scores)
        .raw("<table>");
    h.head_row(
        &[
            t.section,
            "",
            t.score,
            t.assessed,
            t.not_applicable_short,
            t.not_assessed_short,
            t.total,
        ],
        2,
    )
    .raw("<tbody>");
    for s in &v.sections {
        h.raw("<tr>").el("td", "", &s[0]).el("td", "", &s[1]);
        for cell in &s[2..] {
            h.el("td", "num", cell);
        }
        h.raw("</tr>");
    }
    h.raw("</tbody></table>\n</section>\n");

    // Clause by clause.
    h.raw("<section id=\"clauses\" class=\"page\">\n")
        .el("h2", "", t.clauses)
        .raw("<table>");
    h.head_row(&[t.clause, t.requirement, t.grade, t.suggested, t.score], 4)
        .raw("<tbody>\n");
    for c in &v.clauses {
        if let Some(g) = &c.group {
            h.raw("<tr class=\"group\"><td colspan=\"5\">")
                .text(g)
                .raw("</td></tr>\n");
        }
        h.raw("<tr class=\"clause\" id=\"clause-")
            .text(&c.id)
            .raw("\">")
            .el("td", "", &c.id)
            .raw("<td><strong>")
            .text(&c.title)
            .raw("</strong>");
        if c.mandatory {
            h.raw(" <span class=\"muted small\">(")
                .text(t.mandatory)
                .raw(")</span>");
        }
        h.raw("<div class=\"small\">")
            .text(&c.requirement)
            .raw("</div></td>")
            .el("td", &format!("grade-{}", c.grade_code), &c.grade)
            .el("td", if c.differs { "differs" } else { "" }, &c.suggested)
            .el("td", "num", &c.score)
            .raw("</tr>\n");
        if c.note.is_empty() && c.reason.is_empty() && c.metrics.is_empty() {
            continue;
        }
        h.raw("<tr class=\"detail\"><td></td><td colspan=\"4\">");
        if !c.note.is_empty() {
            h.raw("<p><strong>")
                .text(t.note)
                .raw(":</strong> ")
                .text(&c.note)
                .raw("</p>");
        }
        if !c.reason.is_empty() {
            h.raw("<p><strong>")
                .text(t.reason)
                .raw(":</strong> ")
                .text(&c.reason)
                .raw("</p>");
        }
        if !c.metrics.is_empty() {
            h.raw("<table class=\"small\">");
            h.head_row(
                &[t.metric, t.figure, t.kn, t.interval, t.target, t.status],
                9,
            )
            .raw("<tbody>");
            for m in &c.metrics {
                h.raw("<tr>")
                    .raw("<td>")
                    .text(&m.name)
                    .raw("<div class=\"muted mono\">")
                    .text(&m.id)
                    .raw("</div></td>")
                    .el("td", "", &m.figure)
                    .el("td", "", &m.kn)
                    .el("td", "", &m.interval)
                    .el("td", "", &m.target)
                    .el("td", &format!("status-{}", m.status_code), &m.status)
                    .raw("</tr>\n<tr><td colspan=\"6\" class=\"muted\">")
                    .raw("<div>")
                    .el("strong", "", t.formula)
                    .text(": ")
                    .text(&m.formula)
                    .raw("</div><div>")
                    .el("strong", "", t.advice)
                    .text(": ")
                    .text(&m.advice)
                    .raw("</div>");
                for (file, sha) in &m.sources {
                    h.raw("<div>")
                        .el("strong", "", t.source)
                        .text(": ")
                        .text(file)
                        .raw(" <span class=\"mono\">SHA-256 ")
                        .text(sha)
                        .raw("</span></div>");
                }
                h.raw("</td></tr>\n");
            }
            h.raw("</tbody></table>");
        }
        h.raw("</td></tr>\n");
    }
    h.raw("</tbody></table>\n</section>\n");

    // Findings.
    h.raw("<section id=\"findings\" class=\"page\">\n")
        .el("h2", "", t.findings);
    if v.findings.is_empty() {
        h.el("p", "", t.no_findings);
    }
    for f in &v.findings {
        h.raw("<div class=\"finding\">")
            .el("h3", &format!("grade-{}", f.grade_code), &f.heading)
            .kv(&f.rows, None)
            .raw("</div>\n");
    }
    h.raw("</section>\n");

    // Sampling.
    h.raw("<section id=\"sampling\">\n")
        .el("h2", "", t.sampling);
    if v.samples.is_empty() {
        h.el("p", "", t.no_sample);
    } else {
        h.el("p", "", t.redraw);
    }
    for s in &v.samples {
        h.el("h3", "", &s.heading).kv(&s.rows, None);
        if !s.allocation.is_empty() {
            h.raw("<table>");
            h.head_row(&[t.stratum, t.population, t.drawn], 1)
                .raw("<tbody>");
            for a in &s.allocation {
                h.raw("<tr>")
                    .el("td", "", &a[0])
                    .el("td", "num", &a[1])
                    .el("td", "num", &a[2])
                    .raw("</tr>");
            }
            h.raw("</tbody></table>\n");
        }
    }
    h.raw("</section>\n");

    // Settings.
    h.raw("<section id=\"settings\">\n")
        .el("h2", "", t.settings)
        .raw("<table>");
    h.head_row(&[t.setting, t.value, ""], 9).raw("<tbody>");
    for s in &v.settings {
        h.raw("<tr>")
            .el("td", "", &s[0])
            .el("td", "", &s[1])
            .el("td", "muted", &s[2])
            .raw("</tr>");
    }
    h.raw("</tbody></table>\n</section>\n");

    // Data lineage.
    h.raw("<section id=\"lineage\" class=\"page\">\n")
        .el("h2", "", t.lineage)
        .el("p", "", t.lineage_intro)
        .kv(&v.lineage, None);
    if v.imports.is_empty() {
        h.el("p", "", t.no_imports);
    }
    for i in &v.imports {
        h.el("h3", "", &i.heading);
        let mut rows = vec![(t.sha256.to_string(), i.sha256.clone())];
        rows.extend(i.rows.iter().cloned());
        h.kv(&rows, None);
        if !i.rejected.is_empty() {
            h.el("h3", "", t.rejected_rows)
                .raw("<table class=\"small\">");
            h.head_row(&[t.line, t.column, t.reason], 9).raw("<tbody>");
            for r in &i.rejected {
                h.raw("<tr>")
                    .el("td", "", &r[0])
                    .el("td", "", &r[1])
                    .el("td", "", &r[2])
                    .raw("</tr>");
            }
            h.raw("</tbody></table>\n");
        }
        if let Some(m) = &i.more {
            h.el("p", "muted", m);
        }
    }
    h.raw("</section>\n");

    // Integrity and signatures.
    h.raw("<section id=\"integrity\">\n")
        .el("h2", "", t.integrity)
        .raw("<p>")
        .text(t.integrity_intro)
        .raw(" ")
        .el("code", "", t.verify_command)
        .raw("</p>")
        .kv(&v.integrity, Some(1))
        .raw("</section>\n<section id=\"signatures\">\n")
        .el("h2", "", &v.signature_heading);
    if let Some(n) = &v.notice {
        h.el("div", "notice", n).raw("\n");
    }
    let mut people = v.signatories.clone();
    if people.is_empty() {
        people.push(String::new());
    }
    for p in &people {
        h.raw("<div class=\"signature\">")
            .raw("<div>")
            .text(t.name)
            .raw(": ")
            .text(p)
            .raw("</div><div>")
            .text(t.signature)
            .raw("</div><div>")
            .text(t.date)
            .raw("</div></div>\n");
    }
    h.raw("</section>\n<footer>")
        .text(&format!("{} · {} · {}", v.title, v.running, v.generated))
        .raw("</footer>\n</td></tr></tbody>\n</table>\n</body>\n</html>\n");
    h.out
}
