//! The PDF report, typeset by typst used as a library: the template `report.typ` lays out the
//! report's view (read as JSON data, so no text from the audit is ever read as markup) and the
//! charts' SVG. Fonts (Libertinus Serif, DejaVu Sans Mono; SIL OFL / Bitstream Vera licences)
//! come from the typst-assets crate and are embedded, subset, in the PDF.

use std::sync::OnceLock;

use typst::diag::{FileError, FileResult, Severity, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World, WorldExt};

use super::view::View;
use super::{chart, Report};
use crate::error::{Error, Result};

const TEMPLATE: &str = include_str!("report.typ");
/// The font families the report uses.
const FAMILIES: &[&str] = &["Libertinus Serif", "DejaVu Sans Mono"];

struct Fonts {
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

/// The report's fonts, parsed once.
fn fonts() -> &'static Fonts {
    static FONTS: OnceLock<Fonts> = OnceLock::new();
    FONTS.get_or_init(|| {
        let fonts: Vec<Font> = typst_assets::fonts()
            .flat_map(|data| Font::iter(Bytes::new(data)))
            .filter(|f| FAMILIES.contains(&f.info().family.as_str()))
            .collect();
        Fonts {
            book: LazyHash::new(FontBook::from_fonts(&fonts)),
            fonts,
        }
    })
}

fn file_id(path: &str) -> FileId {
    FileId::new(RootedPath::new(
        VirtualRoot::Project,
        VirtualPath::new(path).expect("a valid virtual path"),
    ))
}

/// The world a report is compiled in: the template, the view and the charts, nothing else.
struct ReportWorld {
    library: LazyHash<Library>,
    main: Source,
    files: Vec<(FileId, Bytes)>,
    today: Option<Datetime>,
}

impl World for ReportWorld {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &fonts().book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(FileError::NotSource)
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.main.id() {
            return Ok(Bytes::from_string(self.main.text().to_string()));
        }
        self.files
            .iter()
            .find(|(f, _)| *f == id)
            .map(|(_, b)| b.clone())
            .ok_or_else(|| FileError::NotFound(format!("{id:?}").into()))
    }

    fn font(&self, index: usize) -> Option<Font> {
        fonts().fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        self.today
    }
}

fn diagnostics(world: &ReportWorld, list: &[SourceDiagnostic]) -> String {
    list.iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| {
            let main = &world.main;
            let at = world
                .range(d.span)
                .map(|r| {
                    let (line, column) = crate::text::line_column(main.text(), r.start);
                    format!("report.typ:{line}:{column}: ")
                })
                .unwrap_or_default();
            format!("{at}{}", d.message)
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The PDF bytes of `report`.
pub fn render(report: &Report) -> Result<Vec<u8>> {
    let view = View::of(report);
    let json = serde_json::to_vec(&view).expect("the view serialises");
    let generated = chrono::DateTime::parse_from_rfc3339(&report.generated_at).ok();
    let today = generated.and_then(|g| {
        use chrono::Datelike;
        Datetime::from_ymd(g.year(), g.month() as u8, g.day() as u8)
    });
    let world = ReportWorld {
        library: LazyHash::new(Library::builder().build()),
        main: Source::new(file_id("/report.typ"), TEMPLATE.to_string()),
        files: vec![
            (file_id("/view.json"), Bytes::new(json)),
            (
                file_id("/chart-sections.svg"),
                Bytes::from_string(chart::section_scores(report)),
            ),
            (
                file_id("/chart-grades.svg"),
                Bytes::from_string(chart::grade_counts(report)),
            ),
        ],
        today,
    };
    let failed = |what: &str, detail: String| {
        Error::Invalid(format!("the PDF report could not be {what}: {detail}"))
    };
    let document = typst::compile(&world)
        .output
        .map_err(|errors| failed("typeset", diagnostics(&world, &errors)))?;
    let timestamp = generated.map(|g| {
        use chrono::{Datelike, Timelike};
        typst_pdf::Timestamp::new_utc(
            Datetime::from_ymd_hms(
                g.year(),
                g.month() as u8,
                g.day() as u8,
                g.hour() as u8,
                g.minute() as u8,
                g.second() as u8,
            )
            .expect("a valid date and time"),
        )
    });
    let options = typst_pdf::PdfOptions {
        ident: typst::foundations::Smart::Custom(format!(
            "clausewise-report-{}-{}",
            report.audit_digest.sha256, report.generated_at
        )),
        creator: typst::foundations::Smart::Custom(Some(report.generator.clone())),
        timestamp,
        ..Default::default()
    };
    typst_pdf::pdf(&document, &options)
        .map_err(|errors| failed("written", diagnostics(&world, &errors)))
}
