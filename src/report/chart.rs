//! The report's charts, drawn by plotters as SVG: the same SVG goes inline into the HTML report
//! and into the PDF (typst draws SVG with the report's own fonts).

use plotters::coord::ranged1d::SegmentValue;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::Report;
use crate::grade::Grade;

/// The font family the charts ask for: the PDF's font, then any serif.
const FONT: &str = "Libertinus Serif, Georgia, serif";
const BAR: RGBColor = RGBColor(0x2f, 0x5d, 0x8a);
const AXIS: RGBColor = RGBColor(0x44, 0x44, 0x44);

fn grade_colour(g: Grade) -> RGBColor {
    match g {
        Grade::Conforming => RGBColor(0x2e, 0x7d, 0x32),
        Grade::Observation => RGBColor(0x7c, 0xb3, 0x42),
        Grade::Ofi => RGBColor(0x00, 0x89, 0x7b),
        Grade::Minor => RGBColor(0xef, 0x8f, 0x00),
        Grade::Major => RGBColor(0xc6, 0x28, 0x28),
        Grade::Na => RGBColor(0x90, 0x90, 0x90),
        Grade::NotAssessed => RGBColor(0xc8, 0xc8, 0xc8),
    }
}

/// Shortens `s` to at most `max` characters, ending in "…" when cut.
fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let cut: String = s.chars().take(max - 1).collect();
        format!("{}…", cut.trim_end())
    }
}

/// A horizontal bar per top-level section, first section at the top: its score from 0 to 100
/// (no bar when nothing in the section is assessed).
pub fn section_scores(report: &Report) -> String {
    let sections = &report.scores.sections;
    let n = sections.len().max(1);
    // Plotters counts rows from the bottom: row `n - 1 - i` holds section `i`.
    let row = |i: usize| n - 1 - i;
    let labels: Vec<String> = sections
        .iter()
        .rev()
        .map(|s| format!("{} {}", s.id, shorten(&s.title, 30)))
        .collect();
    let none = report.lang.text().none;
    let height = 44 + 36 * n as u32;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (640, height)).into_drawing_area();
        root.fill(&WHITE).expect("drawing into a string");
        let mut chart = ChartBuilder::on(&root)
            .margin(8)
            .margin_right(20)
            .x_label_area_size(30)
            .y_label_area_size(250)
            .build_cartesian_2d(0f64..100f64, (0usize..n).into_segmented())
            .expect("drawing into a string");
        chart
            .configure_mesh()
            .disable_y_mesh()
            .x_labels(6)
            .max_light_lines(1)
            .light_line_style(RGBColor(0xf1, 0xf1, 0xf1))
            .x_label_formatter(&|v| format!("{v:.0}"))
            .y_label_formatter(&|v| match v {
                SegmentValue::CenterOf(i) => labels.get(*i).cloned().unwrap_or_default(),
                _ => String::new(),
            })
            .label_style((FONT, 15).into_font().color(&AXIS))
            .axis_style(AXIS)
            .bold_line_style(RGBColor(0xdd, 0xdd, 0xdd))
            .draw()
            .expect("drawing into a string");
        chart
            .draw_series(sections.iter().enumerate().filter_map(|(i, s)| {
                let score = s.score?;
                let mut bar = Rectangle::new(
                    [
                        (0.0, SegmentValue::Exact(row(i))),
                        (score, SegmentValue::Exact(row(i) + 1)),
                    ],
                    BAR.filled(),
                );
                bar.set_margin(7, 7, 0, 0);
                Some(bar)
            }))
            .expect("drawing into a string");
        chart
            .draw_series(sections.iter().enumerate().map(|(i, s)| {
                let at = |x: f64| (x, SegmentValue::CenterOf(row(i)));
                let style = (FONT, 15).into_font();
                match s.score {
                    // Inside the end of a long bar, in white.
                    Some(v) if v >= 15.0 => Text::new(
                        report.lang.num(v, 1),
                        at(v - 1.5),
                        style.color(&WHITE).pos(Pos::new(HPos::Right, VPos::Center)),
                    ),
                    Some(v) => Text::new(
                        report.lang.num(v, 1),
                        at(v + 1.5),
                        style.color(&AXIS).pos(Pos::new(HPos::Left, VPos::Center)),
                    ),
                    None => Text::new(
                        none.to_string(),
                        at(1.5),
                        style.color(&AXIS).pos(Pos::new(HPos::Left, VPos::Center)),
                    ),
                }
            }))
            .expect("drawing into a string");
        root.present().expect("drawing into a string");
    }
    svg
}

/// A vertical bar per grade: how many clauses have it.
pub fn grade_counts(report: &Report) -> String {
    let counts = &report.scores.counts;
    let labels: Vec<&str> = counts
        .iter()
        .map(|c| report.lang.grade_short(c.grade))
        .collect();
    let max = counts.iter().map(|c| c.count).max().unwrap_or(0).max(1);
    let top = (max as f64 * 1.15).ceil() as u32 + 1;
    let n = counts.len().max(1);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (520, 260)).into_drawing_area();
        root.fill(&WHITE).expect("drawing into a string");
        let mut chart = ChartBuilder::on(&root)
            .margin(8)
            .x_label_area_size(30)
            .y_label_area_size(36)
            .build_cartesian_2d((0usize..n).into_segmented(), 0u32..top)
            .expect("drawing into a string");
        chart
            .configure_mesh()
            .disable_x_mesh()
            .max_light_lines(1)
            .light_line_style(RGBColor(0xf1, 0xf1, 0xf1))
            .x_label_formatter(&|v| match v {
                SegmentValue::CenterOf(i) => {
                    labels.get(*i).map(|l| l.to_string()).unwrap_or_default()
                }
                _ => String::new(),
            })
            .y_labels(5)
            .label_style((FONT, 14).into_font().color(&AXIS))
            .axis_style(AXIS)
            .bold_line_style(RGBColor(0xdd, 0xdd, 0xdd))
            .draw()
            .expect("drawing into a string");
        chart
            .draw_series(counts.iter().enumerate().map(|(i, c)| {
                let mut bar = Rectangle::new(
                    [
                        (SegmentValue::Exact(i), 0),
                        (SegmentValue::Exact(i + 1), c.count),
                    ],
                    grade_colour(c.grade).filled(),
                );
                bar.set_margin(0, 0, 8, 8);
                bar
            }))
            .expect("drawing into a string");
        chart
            .draw_series(counts.iter().enumerate().map(|(i, c)| {
                Text::new(
                    report.lang.int(u64::from(c.count)),
                    (SegmentValue::CenterOf(i), c.count),
                    (FONT, 15)
                        .into_font()
                        .color(&AXIS)
                        .pos(Pos::new(HPos::Center, VPos::Bottom)),
                )
            }))
            .expect("drawing into a string");
        root.present().expect("drawing into a string");
    }
    svg
}
