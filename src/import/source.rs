//! Reading a record file: detecting its encoding, delimiter and line ends, and streaming its
//! rows as raw bytes with their line numbers. Fields are decoded only when a layout reads them.

use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;
use std::rc::Rc;

use sha2::{Digest, Sha256};

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252, WINDOWS_1254};
use encoding_rs_io::DecodeReaderBytesBuilder;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// How much of the file detection looks at.
const SAMPLE: usize = 256 * 1024;
/// The longest field accepted; longer ones reject their row.
pub const MAX_FIELD: usize = 1 << 20;

/// What the user may force instead of detecting.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, TS)]
#[ts(export)]
pub struct SourceOptions {
    /// An encoding label (`utf-8`, `utf-16le`, `windows-1254`, `iso-8859-9`, …).
    pub encoding: Option<String>,
    /// `,` `;` `\t` or `|`.
    pub delimiter: Option<String>,
    /// The quote character: `"` (the default), `'`, or `none` for files whose quotes are
    /// plain text.
    pub quote: Option<String>,
    /// What ends a row: `auto` (the default: CR LF, LF or a lone CR), or only `lf`, `crlf` or
    /// `cr`; the other line-end bytes are then part of their field (with `crlf`, a lone LF is;
    /// a lone CR is refused with its line).
    pub line_ends: Option<String>,
}

/// What ends a row.
#[derive(Debug, Clone, Copy, PartialEq)]
enum LineEnds {
    /// CR LF, LF or a lone CR.
    Auto,
    Lf,
    CrLf,
    Cr,
}

/// What was detected (or forced) about a file.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Detected {
    pub encoding: String,
    pub bom: bool,
    pub delimiter: String,
    /// `crlf`, `lf`, `cr` or `none`.
    pub line_ends: String,
    /// `"`, `'` or `none`.
    pub quote: String,
}

/// A file that cannot be read as records at all.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{file}: {reason}")]
pub struct SourceError {
    pub file: String,
    pub reason: String,
}

/// Decodes field bytes to text.
#[derive(Debug, Clone, Copy)]
pub enum FieldDecoder {
    Utf8,
    SingleByte(&'static Encoding),
}

impl FieldDecoder {
    /// The field as text; an error names the reason (invalid bytes, NUL, too long).
    pub fn decode<'a>(&self, bytes: &'a [u8]) -> Result<Cow<'a, str>, String> {
        if bytes.len() > MAX_FIELD {
            return Err(format!(
                "field is {} bytes long (at most {MAX_FIELD})",
                bytes.len()
            ));
        }
        if let Some(at) = memchr::memchr(0, bytes) {
            return Err(format!("NUL byte at offset {at} of the field"));
        }
        match self {
            FieldDecoder::Utf8 => std::str::from_utf8(bytes).map(Cow::Borrowed).map_err(|e| {
                format!(
                    "invalid UTF-8 byte 0x{:02X} at offset {} of the field",
                    bytes[e.valid_up_to()],
                    e.valid_up_to()
                )
            }),
            FieldDecoder::SingleByte(enc) => Ok(enc.decode_without_bom_handling(bytes).0),
        }
    }
}

/// Counts and hashes the bytes of the file as they are read.
#[derive(Default)]
pub struct Meter {
    hasher: RefCell<Sha256>,
    bytes: Cell<u64>,
}

impl Meter {
    /// Bytes read so far.
    pub fn bytes(&self) -> u64 {
        self.bytes.get()
    }

    /// SHA-256 (hex) of everything read; call once the reader is exhausted.
    pub fn sha256(&self) -> String {
        crate::text::hex(&self.hasher.borrow().clone().finalize())
    }
}

struct Metered<R> {
    inner: R,
    meter: Rc<Meter>,
}

impl<R: Read> Read for Metered<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.meter.hasher.borrow_mut().update(&buf[..n]);
        self.meter.bytes.set(self.meter.bytes.get() + n as u64);
        Ok(n)
    }
}

/// An open record file.
pub struct Source {
    pub detected: Detected,
    pub decoder: FieldDecoder,
    pub reader: csv::Reader<Box<dyn Read>>,
    /// Size and SHA-256 of the bytes read so far.
    pub meter: Rc<Meter>,
    /// The file's size in bytes.
    pub size: u64,
    /// Finds the line each record starts on.
    pub lines: LineIndex,
}

fn fail(path: &Path, reason: impl Into<String>) -> SourceError {
    SourceError {
        file: path.display().to_string(),
        reason: reason.into(),
    }
}

const MAGIC: &[(&[u8], &str)] = &[
    (b"\x89PNG", "a PNG image"),
    (b"%PDF", "a PDF document"),
    (
        b"PK\x03\x04",
        "a ZIP archive (an .xlsx workbook? export it as CSV)",
    ),
    (
        b"\xD0\xCF\x11\xE0",
        "an Office document (an .xls workbook? export it as CSV)",
    ),
    (b"GIF8", "a GIF image"),
    (b"\xFF\xD8\xFF", "a JPEG image"),
    (b"SQLite format 3\0", "an SQLite database"),
];

impl Source {
    /// Opens `path`, detecting what `options` leaves open.
    pub fn open(path: &Path, options: &SourceOptions) -> Result<Source, SourceError> {
        let file = File::open(path).map_err(|e| fail(path, e.to_string()))?;
        let mut sample = Vec::with_capacity(SAMPLE);
        (&file)
            .take(SAMPLE as u64)
            .read_to_end(&mut sample)
            .map_err(|e| fail(path, e.to_string()))?;
        if sample.is_empty() {
            return Err(fail(path, "the file is empty"));
        }
        for (magic, what) in MAGIC {
            if sample.starts_with(magic) {
                return Err(fail(path, format!("not a text file: it is {what}")));
            }
        }

        let (encoding, bom_len) = match &options.encoding {
            Some(label) => {
                let enc = Encoding::for_label(label.trim().as_bytes())
                    .ok_or_else(|| fail(path, format!("unknown encoding '{label}'")))?;
                let bom = Encoding::for_bom(&sample)
                    .filter(|(b, _)| *b == enc)
                    .map_or(0, |(_, n)| n);
                (enc, bom)
            }
            None => detect_encoding(&sample).ok_or_else(|| {
                fail(
                    path,
                    "not a text file: it holds binary data (control bytes)",
                )
            })?,
        };

        // Text as UTF-8 (decoded for UTF-16; single-byte code pages are decoded per field).
        let utf16 = encoding == UTF_16LE || encoding == UTF_16BE;
        let text_sample: Cow<'_, [u8]> = if utf16 {
            let (text, _) = encoding.decode_without_bom_handling(&sample[bom_len..]);
            Cow::Owned(text.into_owned().into_bytes())
        } else {
            Cow::Borrowed(&sample[bom_len..])
        };
        let delimiter = match &options.delimiter {
            Some(d) => parse_delimiter(d).ok_or_else(|| {
                fail(
                    path,
                    format!("delimiter '{d}' is not one of , ; | or a tab"),
                )
            })?,
            None => detect_delimiter(&text_sample),
        };
        let quote: Option<u8> = match options.quote.as_deref().map(str::trim) {
            None | Some("") | Some("\"") | Some("double") => Some(b'"'),
            Some("'") | Some("single") => Some(b'\''),
            Some("none") => None,
            Some(q) => return Err(fail(path, format!("quote '{q}' is not \" or ' or none"))),
        };
        let ends = match options.line_ends.as_deref().map(str::trim) {
            None | Some("") | Some("auto") => LineEnds::Auto,
            Some("lf") => LineEnds::Lf,
            Some("crlf") => LineEnds::CrLf,
            Some("cr") => LineEnds::Cr,
            Some(e) => {
                return Err(fail(
                    path,
                    format!("line ends '{e}' are not auto, lf, crlf or cr"),
                ))
            }
        };
        let detected = Detected {
            encoding: encoding.name().to_lowercase(),
            bom: bom_len > 0,
            delimiter: delimiter_name(delimiter).to_string(),
            line_ends: match ends {
                LineEnds::Auto => line_ends(&text_sample),
                LineEnds::Lf => "lf",
                LineEnds::CrLf => "crlf",
                LineEnds::Cr => "cr",
            }
            .to_string(),
            quote: match quote {
                Some(b'\'') => "'",
                Some(_) => "\"",
                None => "none",
            }
            .to_string(),
        };

        drop(file);
        // Read again from the start, hashing every byte (the BOM too) on the way.
        let file = File::open(path).map_err(|e| fail(path, e.to_string()))?;
        let size = file.metadata().map(|m| m.len()).unwrap_or(0);
        let meter = Rc::new(Meter::default());
        let mut metered = Metered {
            inner: file,
            meter: Rc::clone(&meter),
        };
        let mut bom = vec![0u8; bom_len];
        metered
            .read_exact(&mut bom)
            .map_err(|e| fail(path, e.to_string()))?;
        let (input, decoder): (Box<dyn Read>, FieldDecoder) = if utf16 {
            let stream = DecodeReaderBytesBuilder::new()
                .encoding(Some(encoding))
                .bom_override(false)
                .build(BufReader::with_capacity(1 << 16, metered));
            (Box::new(stream), FieldDecoder::Utf8)
        } else if encoding == UTF_8 {
            (Box::new(metered), FieldDecoder::Utf8)
        } else {
            (Box::new(metered), FieldDecoder::SingleByte(encoding))
        };
        let lines = LineIndex::default();
        let input: Box<dyn Read> = Box::new(OneLineEnd {
            inner: input,
            ends,
            after_cr: false,
            passed: 0,
            line_ends: 0,
            newlines: Rc::clone(&lines.newlines),
        });
        let terminator = match ends {
            // Every line end reaches the reader as `\n`.
            LineEnds::Auto => csv::Terminator::CRLF,
            LineEnds::Lf => csv::Terminator::Any(b'\n'),
            // CR LF reaches the reader as `\r`.
            LineEnds::CrLf | LineEnds::Cr => csv::Terminator::Any(b'\r'),
        };
        let reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .terminator(terminator)
            .flexible(true)
            .delimiter(delimiter)
            .quoting(quote.is_some())
            .quote(quote.unwrap_or(b'"'))
            .buffer_capacity(1 << 16)
            .from_reader(input);
        Ok(Source {
            detected,
            decoder,
            reader,
            meter,
            size,
            lines,
        })
    }
}

/// Passes text on with the line ends that end rows made one byte, noting where each is. With
/// [`LineEnds::Auto`] every line end (CRLF, LF or a lone CR) becomes `\n`; with `lf` and `cr`
/// the bytes pass as they are; with `crlf` each CR LF becomes `\r` (a lone LF stays in its
/// field, a lone CR is an error). The CSV reader counts lines by `\n` alone, ends a CRLF record
/// before its `\n` and skips blank lines after taking a record's position, so its own line
/// numbers are off for CRLF and CR files and after blank lines; [`LineIndex`] corrects them.
struct OneLineEnd<R> {
    inner: R,
    ends: LineEnds,
    after_cr: bool,
    /// Bytes passed on so far.
    passed: u64,
    /// Line ends passed on so far (counted for `crlf` only, to name the line of an error).
    line_ends: u64,
    newlines: Rc<RefCell<VecDeque<u64>>>,
}

impl<R: Read> OneLineEnd<R> {
    /// `buf[..n]` with every CR LF made `\r`; a CR followed by anything else is an error.
    fn crlf(&mut self, buf: &mut [u8], n: usize) -> std::io::Result<usize> {
        let mut newlines = self.newlines.borrow_mut();
        let mut kept = 0;
        for i in 0..n {
            let b = buf[i];
            if std::mem::replace(&mut self.after_cr, b == b'\r') {
                if b != b'\n' {
                    return Err(std::io::Error::new(
                        std::io::ErrorKind::InvalidData,
                        format!(
                            "line {}: a CR without LF after it, and rows are to end in CR LF",
                            self.line_ends + 1
                        ),
                    ));
                }
                newlines.push_back(self.passed + kept as u64);
                self.line_ends += 1;
                buf[kept] = b'\r';
                kept += 1;
                continue;
            }
            if b != b'\r' {
                buf[kept] = b;
                kept += 1;
            }
        }
        self.passed += kept as u64;
        Ok(kept)
    }
}

impl<R: Read> Read for OneLineEnd<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        loop {
            let n = self.inner.read(buf)?;
            if n == 0 {
                // A CR at the very end of the file ends its last row.
                if std::mem::take(&mut self.after_cr) && self.ends == LineEnds::CrLf {
                    self.newlines.borrow_mut().push_back(self.passed);
                    self.passed += 1;
                    if let Some(b) = buf.first_mut() {
                        *b = b'\r';
                        return Ok(1);
                    }
                }
                return Ok(0);
            }
            let only = match self.ends {
                LineEnds::Lf => Some(b'\n'),
                LineEnds::Cr => Some(b'\r'),
                LineEnds::Auto | LineEnds::CrLf => None,
            };
            if let Some(end) = only {
                let mut newlines = self.newlines.borrow_mut();
                newlines
                    .extend(memchr::memchr_iter(end, &buf[..n]).map(|i| self.passed + i as u64));
                self.passed += n as u64;
                return Ok(n);
            }
            if self.ends == LineEnds::CrLf {
                let kept = self.crlf(buf, n)?;
                if kept > 0 {
                    return Ok(kept);
                }
                continue;
            }
            let mut newlines = self.newlines.borrow_mut();
            // Most files have no CR at all: note the line ends and pass the bytes on as they are.
            if !self.after_cr && memchr::memchr(b'\r', &buf[..n]).is_none() {
                newlines
                    .extend(memchr::memchr_iter(b'\n', &buf[..n]).map(|i| self.passed + i as u64));
                self.passed += n as u64;
                return Ok(n);
            }
            let mut kept = 0;
            for i in 0..n {
                let b = buf[i];
                let after_cr = std::mem::replace(&mut self.after_cr, b == b'\r');
                if b == b'\n' && after_cr {
                    continue;
                }
                buf[kept] = if b == b'\r' { b'\n' } else { b };
                if buf[kept] == b'\n' {
                    newlines.push_back(self.passed + kept as u64);
                }
                kept += 1;
            }
            self.passed += kept as u64;
            if kept > 0 {
                return Ok(kept);
            }
        }
    }
}

/// The line a record starts on.
#[derive(Default)]
pub struct LineIndex {
    /// Offsets of the line ends passed to the CSV reader and not yet behind a record.
    newlines: Rc<RefCell<VecDeque<u64>>>,
    /// Line ends already behind a record.
    behind: Cell<u64>,
}

impl LineIndex {
    /// The 1-based line a record starts on, from the position the CSV reader gave it (the
    /// position before any blank lines it skipped). The reader's own line count is not used:
    /// it counts `\n` alone, and rows may end in `\r`.
    pub fn first_line(&self, position: &csv::Position) -> u64 {
        let mut newlines = self.newlines.borrow_mut();
        let mut behind = self.behind.get();
        while newlines.front().is_some_and(|at| *at < position.byte()) {
            newlines.pop_front();
            behind += 1;
        }
        // Blank lines the reader skipped: line ends one after another from its position.
        let mut at = position.byte();
        while newlines.front() == Some(&at) {
            newlines.pop_front();
            behind += 1;
            at += 1;
        }
        self.behind.set(behind);
        behind + 1
    }
}

fn parse_delimiter(d: &str) -> Option<u8> {
    match d {
        "," | "comma" => Some(b','),
        ";" | "semicolon" => Some(b';'),
        "\t" | "\\t" | "tab" => Some(b'\t'),
        "|" | "pipe" => Some(b'|'),
        _ => None,
    }
}

fn delimiter_name(d: u8) -> &'static str {
    match d {
        b'\t' => "tab",
        b';' => ";",
        b'|' => "|",
        _ => ",",
    }
}

/// Encoding and BOM length, or `None` for binary data.
fn detect_encoding(sample: &[u8]) -> Option<(&'static Encoding, usize)> {
    if let Some((enc, n)) = Encoding::for_bom(sample) {
        return Some((enc, n));
    }
    // UTF-16 without a BOM: ASCII text has a NUL in every other byte.
    let head = &sample[..sample.len().min(4096)];
    let even_nul = head.iter().step_by(2).filter(|b| **b == 0).count();
    let odd_nul = head.iter().skip(1).step_by(2).filter(|b| **b == 0).count();
    let half = head.len() / 2;
    if half > 8 && odd_nul * 10 > half * 7 && even_nul * 10 < half {
        return Some((UTF_16LE, 0));
    }
    if half > 8 && even_nul * 10 > half * 7 && odd_nul * 10 < half {
        return Some((UTF_16BE, 0));
    }
    let control = head
        .iter()
        .filter(|b| **b < 0x09 || (**b > 0x0D && **b < 0x20 && **b != 0x1A))
        .count();
    if control * 20 > head.len().max(1) {
        return None;
    }
    // UTF-8: valid (allowing a character cut at the end of the sample), or with more valid
    // multi-byte characters than invalid bytes (a UTF-8 export with a few corrupt bytes, whose
    // rows are then rejected one by one instead of the whole file being misread).
    let (mut valid, mut invalid, mut rest) = (0usize, 0usize, sample);
    loop {
        let (good, bad) = match std::str::from_utf8(rest) {
            Ok(text) => (text, None),
            Err(e) => (
                std::str::from_utf8(&rest[..e.valid_up_to()]).expect("valid up to here"),
                e.error_len().map(|n| e.valid_up_to() + n),
            ),
        };
        valid += good.chars().filter(|c| !c.is_ascii()).count();
        match bad {
            Some(skip) => {
                invalid += 1;
                rest = &rest[skip..];
            }
            None => break,
        }
    }
    if invalid == 0 || valid > invalid {
        return Some((UTF_8, 0));
    }
    // A single-byte code page: Turkish letters (Ğ İ Ş ğ ı ş) decide between 1254 and 1252.
    let turkish = sample
        .iter()
        .any(|b| matches!(b, 0xD0 | 0xDD | 0xDE | 0xF0 | 0xFD | 0xFE));
    Some((if turkish { WINDOWS_1254 } else { WINDOWS_1252 }, 0))
}

/// The candidate that splits the first lines into the same number (> 1) of fields most often.
fn detect_delimiter(text: &[u8]) -> u8 {
    let mut best = (b',', 0usize, 0usize);
    for d in [b',', b';', b'\t', b'|'] {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(d)
            .from_reader(text);
        let counts: Vec<usize> = reader
            .byte_records()
            .take(30)
            .filter_map(Result::ok)
            .map(|r| r.len())
            .collect();
        let Some(&first) = counts.first() else {
            continue;
        };
        let agree = counts.iter().filter(|c| **c == first).count();
        if first > 1 && (agree, first) > (best.1, best.2) {
            best = (d, agree, first);
        }
    }
    best.0
}

fn line_ends(text: &[u8]) -> &'static str {
    match text.iter().position(|b| *b == b'\n' || *b == b'\r') {
        None => "none",
        Some(i) if text[i] == b'\n' => "lf",
        Some(i) if text.get(i + 1) == Some(&b'\n') => "crlf",
        Some(_) => "cr",
    }
}
