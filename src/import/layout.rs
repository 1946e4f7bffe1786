//! How a file's rows become canonical records. A [`Layout`] reads rows one at a time and tells
//! a [`Sink`] what became of each: part of a record, skipped (deliberately not a record), or
//! rejected (with the column and the reason). Most layouts map one row to one record (see
//! `mapping.rs`); event logs fold several rows into one contact.

use std::borrow::Cow;

use csv::ByteRecord;

use super::record::{Complaint, Contact};
use super::source::{FieldDecoder, MAX_FIELD};

/// One data row of the file.
pub struct Row<'a> {
    /// The line the row starts on (1-based, counting the header).
    pub line: u64,
    pub fields: &'a ByteRecord,
    pub decoder: FieldDecoder,
    /// Column names, when the file has a header.
    pub header: Option<&'a [String]>,
    /// The fields one after another as text, when they are UTF-8 without NUL bytes: checked
    /// once for the row rather than field by field. `None`: each field is read through the
    /// decoder, which says what is wrong with it.
    text: Option<&'a str>,
}

impl<'a> Row<'a> {
    pub fn new(
        line: u64,
        fields: &'a ByteRecord,
        decoder: FieldDecoder,
        header: Option<&'a [String]>,
    ) -> Row<'a> {
        let text = match decoder {
            FieldDecoder::Utf8 => std::str::from_utf8(fields.as_slice())
                .ok()
                .filter(|t| memchr::memchr(0, t.as_bytes()).is_none()),
            FieldDecoder::SingleByte(_) => None,
        };
        Row {
            line,
            fields,
            decoder,
            header,
            text,
        }
    }

    /// Field `index` as trimmed text; `Ok(None)` when it is absent or empty.
    pub fn get(&self, index: usize) -> Result<Option<Cow<'_, str>>, String> {
        // A field that starts or ends inside a character of the row's text is not valid on its
        // own: the decoder says so.
        let field = self.text.and_then(|text| {
            let range = self.fields.range(index)?;
            (range.len() <= MAX_FIELD)
                .then(|| text.get(range))
                .flatten()
        });
        if let Some(field) = field {
            return Ok(Some(trim(field))
                .filter(|t| !t.is_empty())
                .map(Cow::Borrowed));
        }
        let Some(bytes) = self.fields.get(index) else {
            return Ok(None);
        };
        if bytes.is_empty() {
            return Ok(None);
        }
        let text = self.decoder.decode(bytes)?;
        Ok(match text {
            Cow::Borrowed(b) => Some(trim(b)).filter(|t| !t.is_empty()).map(Cow::Borrowed),
            Cow::Owned(o) => Some(trim(&o))
                .filter(|t| !t.is_empty())
                .map(|t| Cow::Owned(t.to_string())),
        })
    }

    /// The name of column `index`: the header's, else `column N` (1-based).
    pub fn column_name(&self, index: usize) -> String {
        self.header
            .and_then(|h| h.get(index))
            .cloned()
            .unwrap_or_else(|| format!("column {}", index + 1))
    }
}

/// `text` without leading and trailing white space; most fields have none, and are checked
/// by their first and last bytes alone.
pub(crate) fn trim(text: &str) -> &str {
    match (text.as_bytes().first(), text.as_bytes().last()) {
        (Some(a), Some(b)) if a.is_ascii_graphic() && b.is_ascii_graphic() => text,
        (None, _) => text,
        _ => text.trim(),
    }
}

/// Where a layout delivers what it made of the rows.
pub trait Sink {
    /// A contact made from the row at `line` (for folded records: the first row of the group).
    fn contact(&mut self, line: u64, contact: Contact);
    /// A contact folded from the rows at `lines` (first row first; never empty). When the
    /// contact cannot be stored, every one of those rows is rejected, not just the first.
    fn folded_contact(&mut self, lines: &[u64], contact: Contact) {
        self.contact(lines[0], contact);
    }
    /// A complaint made from the row at `line`.
    fn complaint(&mut self, line: u64, complaint: Complaint);
    /// [`Sink::contact`] for a layout that reuses its record: the sink copies what it keeps.
    fn contact_ref(&mut self, line: u64, contact: &Contact) {
        self.contact(line, contact.clone());
    }
    /// [`Sink::complaint`] for a layout that reuses its record.
    fn complaint_ref(&mut self, line: u64, complaint: &Complaint) {
        self.complaint(line, complaint.clone());
    }
    /// The row at `line` is deliberately not a record (e.g. a PHANTOM call, an agent log-in).
    fn skip(&mut self, line: u64, reason: &str);
    /// The row at `line` cannot be used: `column` names the field at fault.
    fn reject(&mut self, line: u64, column: &str, reason: String);
}

/// Turns the rows of one file into records. Every row handed to [`Layout::row`] must end up,
/// by the time [`Layout::finish`] returns, in exactly one of: a delivered record (as its line
/// or one of the lines folded into it), `skip` or `reject` (all of a row's rejections one after
/// another). The import counts accepted rows as rows read − rejected − skipped.
pub trait Layout {
    /// Whether the file's first row is a header (then it is not handed to `row`).
    fn has_header(&self) -> bool {
        true
    }

    /// Handles one data row.
    fn row(&mut self, row: &Row<'_>, sink: &mut dyn Sink);

    /// The columns that hold customer identifiers: a rejected row is stored with these fields
    /// pseudonymised like the records' `customer_ref`, so that they never reach the disk.
    fn private_columns(&self) -> Vec<usize> {
        Vec::new()
    }

    /// Called after the last row: deliver what is still held (folded records, open groups).
    fn finish(&mut self, _sink: &mut dyn Sink) {}
}

/// What layout tests share: a sink that keeps everything, and a way to feed rows.
#[cfg(test)]
pub(crate) mod testing {
    use super::*;
    use crate::import::source::FieldDecoder;

    /// A sink that keeps what a call layout delivers.
    #[derive(Default)]
    pub struct Collect {
        pub contacts: Vec<(u64, Contact)>,
        pub skips: Vec<(u64, String)>,
        pub rejects: Vec<(u64, String, String)>,
    }

    impl Sink for Collect {
        fn contact(&mut self, line: u64, contact: Contact) {
            self.contacts.push((line, contact));
        }
        fn complaint(&mut self, _line: u64, _complaint: Complaint) {
            panic!("a call layout delivers no complaints");
        }
        fn skip(&mut self, line: u64, reason: &str) {
            self.skips.push((line, reason.to_string()));
        }
        fn reject(&mut self, line: u64, column: &str, reason: String) {
            self.rejects.push((line, column.to_string(), reason));
        }
    }

    impl Collect {
        /// The contact with this id.
        pub fn get(&self, call_id: &str) -> &Contact {
            &self
                .contacts
                .iter()
                .find(|(_, c)| c.call_id == call_id)
                .unwrap_or_else(|| panic!("no contact {call_id}"))
                .1
        }

        /// Why the row at `line` was skipped.
        pub fn skip_reason(&self, line: u64) -> &str {
            &self
                .skips
                .iter()
                .find(|(l, _)| *l == line)
                .unwrap_or_else(|| panic!("line {line} not skipped"))
                .1
        }
    }

    /// Feeds `records` to `layout` as UTF-8 rows numbered from `first_line`, and calls
    /// `finish` when `end`.
    pub fn feed(
        layout: &mut dyn Layout,
        records: &[ByteRecord],
        first_line: u64,
        header: Option<&[String]>,
        end: bool,
    ) -> Collect {
        let mut sink = Collect::default();
        for (i, fields) in records.iter().enumerate() {
            let row = Row::new(first_line + i as u64, fields, FieldDecoder::Utf8, header);
            layout.row(&row, &mut sink);
        }
        if end {
            layout.finish(&mut sink);
        }
        sink
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The row is checked as a whole; a field that is not valid on its own (it starts or ends
    /// inside a character) or holds a NUL byte still gets the decoder's reason.
    #[test]
    fn fields_read_from_the_rows_text_keep_the_decoders_errors() {
        let fields = ByteRecord::from(vec![&b" a\xC3"[..], b"\xA9b", b"", b" c "]);
        // The bytes one after another are "\u{20}aéb c ": valid UTF-8.
        let row = Row::new(3, &fields, FieldDecoder::Utf8, None);
        assert_eq!(
            row.get(0),
            Err("invalid UTF-8 byte 0xC3 at offset 2 of the field".to_string())
        );
        assert_eq!(
            row.get(1),
            Err("invalid UTF-8 byte 0xA9 at offset 0 of the field".to_string())
        );
        assert_eq!(row.get(2), Ok(None));
        assert_eq!(row.get(3), Ok(Some(Cow::Borrowed("c"))));
        assert_eq!(row.get(4), Ok(None));

        let fields = ByteRecord::from(vec![&b"x"[..], b"y\0z"]);
        let row = Row::new(4, &fields, FieldDecoder::Utf8, None);
        assert_eq!(row.get(0), Ok(Some(Cow::Borrowed("x"))));
        assert_eq!(
            row.get(1),
            Err("NUL byte at offset 1 of the field".to_string())
        );
    }
}
