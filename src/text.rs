//! Small text helpers shared by the file formats.

/// Lowercase hexadecimal of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(DIGITS[usize::from(b >> 4)] as char);
        out.push(DIGITS[usize::from(b & 0x0f)] as char);
    }
    out
}

/// The 1-based line and column (in characters) of byte `offset` in `text`.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// A cell of a CSV file that may be opened in a spreadsheet: text starting with `=`, `+`, `-`,
/// `@`, a tab or a carriage return gets a leading `'`, so that it is shown and never run as a
/// formula.
pub fn csv_cell(text: &str) -> std::borrow::Cow<'_, str> {
    match text.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') => format!("'{text}").into(),
        _ => text.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::csv_cell;

    #[test]
    fn cells_a_spreadsheet_would_run_get_a_quote() {
        for cell in ["=1+1", "+31 20", "-5", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(csv_cell(cell), format!("'{cell}"));
        }
        for cell in ["", "5", "a=b", " =1", "'=1", "İş"] {
            assert_eq!(csv_cell(cell), cell);
        }
    }
}
