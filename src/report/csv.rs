//! The CSV report: one row per finding with its corrective action, for a spreadsheet. UTF-8 with
//! a byte-order mark (so that spreadsheets read Turkish letters), comma separated, every cell
//! that a spreadsheet could take for a formula neutralised with a leading `'`.

use super::Report;
use crate::text::csv_cell;

/// The CSV bytes of `report`'s findings.
pub fn render(report: &Report) -> Vec<u8> {
    let t = report.lang.text();
    let mut out = b"\xEF\xBB\xBF".to_vec();
    {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut out);
        let header = [
            t.finding,
            t.clause,
            t.requirement,
            t.grade,
            t.statement,
            t.evidence,
            t.cause,
            t.action,
            t.owner,
            t.due,
            t.status,
            t.planned,
            t.active,
        ];
        w.write_record(header).expect("writing to memory");
        for f in &report.findings {
            let yes_no = |b: bool| if b { t.yes } else { t.no };
            let cells = [
                f.id.to_string(),
                format!("{} {}", f.clause_id, f.clause_title),
                f.requirement.clone(),
                f.grade_label.clone(),
                f.statement.clone(),
                f.evidence.clone(),
                f.cause.clone(),
                f.action.clone(),
                f.owner.clone(),
                f.due_date.clone().unwrap_or_default(),
                f.status_label.clone(),
                yes_no(f.planned).to_string(),
                yes_no(f.active).to_string(),
            ];
            w.write_record(cells.iter().map(|c| csv_cell(c).into_owned()))
                .expect("writing to memory");
        }
        w.flush().expect("writing to memory");
    }
    out
}
