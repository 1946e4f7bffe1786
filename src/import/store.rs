//! Storing what layouts deliver, in two threads joined by a bounded queue: on the reading
//! thread a [`Batcher`] checks each record, pseudonymises its customer identifier and queues
//! it with the row errors; on the writing thread a [`Writer`] stores the queued records with
//! multi-row INSERTs in the import's transaction. The queue holds at most [`QUEUE_BATCHES`]
//! batches of at most [`BATCH_ITEMS`] items and [`QUEUE_BYTES`] bytes of text in all, so memory
//! stays bounded whatever the size of the file.

use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::{Arc, Condvar, Mutex};

use chrono::{DateTime, FixedOffset};
use csv::ByteRecord;
use hmac::{Hmac, Mac};
use rusqlite::{Connection, Statement};
use sha2::Sha256;

use super::layout::Sink;
use super::record::{Complaint, Contact};
use super::source::FieldDecoder;
use super::RowError;
use crate::tally::{ContactTally, TallyInput};

/// Items per batch handed to the writing thread.
pub const BATCH_ITEMS: usize = 1024;
/// Batches the queue holds before the reading thread waits for the writing thread: enough for
/// either thread to run on a while the other waits for a processor.
pub const QUEUE_BATCHES: usize = 8;
/// Bytes of text (values and row copies) the queue holds before the reading thread waits; a
/// single batch larger than this (rows of megabyte fields) passes on its own.
pub const QUEUE_BYTES: usize = 16 << 20;
/// Records per INSERT statement, largest first: a batch's records go in groups of the first
/// size, and what is left of them in groups of the sizes below. Each execution of a statement
/// has a cost of its own; a larger statement binds more values (copies of its text) before
/// any is stored.
const INSERT_SIZES: [usize; 4] = [128, 16, 4, 1];
/// The longest stored copy of a rejected row, in bytes (truncation marker included).
pub const RAW_MAX: usize = 4096;

/// Keyed pseudonyms of customer identifiers: HMAC-SHA-256 with the audit's own key.
#[derive(Clone)]
pub struct Pseudonyms {
    mac: Hmac<Sha256>,
}

impl Pseudonyms {
    pub fn new(key: &[u8]) -> Pseudonyms {
        Pseudonyms {
            mac: Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key length"),
        }
    }

    /// `p:` and the first 12 bytes of the tag in hex: the identifier itself never reaches disk.
    pub fn of(&self, value: &str) -> String {
        let mut out = String::with_capacity(2 + 24);
        self.push(value, &mut out);
        out
    }

    /// Appends the pseudonym of `value` to `out`.
    fn push(&self, value: &str, out: &mut String) {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        let mut mac = self.mac.clone();
        mac.update(value.as_bytes());
        let tag = mac.finalize().into_bytes();
        out.push_str("p:");
        for b in &tag[..12] {
            out.push(DIGITS[usize::from(b >> 4)] as char);
            out.push(DIGITS[usize::from(b & 0x0f)] as char);
        }
    }
}

/// Makes the stored copy of a rejected row: its fields decoded, customer identifiers
/// pseudonymised, written as one CSV line and cut to [`RAW_MAX`] bytes.
#[derive(Clone)]
pub struct RawText {
    pub decoder: FieldDecoder,
    /// Columns of customer identifiers.
    pub private: Vec<usize>,
    pub pseudonyms: Pseudonyms,
}

impl RawText {
    pub fn of<'a>(&self, fields: impl Iterator<Item = &'a [u8]>) -> Option<String> {
        let fields: Vec<String> = fields
            .enumerate()
            .map(|(i, f)| {
                let text = match self.decoder.decode(f) {
                    Ok(t) => t.into_owned(),
                    Err(_) => String::from_utf8_lossy(f).into_owned(),
                };
                if self.private.contains(&i) && !text.trim().is_empty() {
                    self.pseudonyms.of(text.trim())
                } else {
                    text
                }
            })
            .collect();
        let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
        w.write_record(&fields).ok()?;
        let line = String::from_utf8(w.into_inner().ok()?).ok()?;
        Some(cap(line.trim_end()))
    }
}

/// `text` if it fits in [`RAW_MAX`] bytes; else its start, cut at a character boundary, and a
/// marker saying how long the whole row was.
pub fn cap(text: &str) -> String {
    if text.len() <= RAW_MAX {
        return text.to_string();
    }
    let marker = format!(" …[cut: the row is {} bytes long]", text.len());
    let mut end = RAW_MAX - marker.len();
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let mut out = String::with_capacity(end + marker.len());
    out.push_str(&text[..end]);
    out.push_str(&marker);
    out
}

/// Copies of the rows behind a batch's records, kept in case the write rejects a record
/// (a repeated id) and its row's text is stored: one buffer per batch, not one per row.
#[derive(Default)]
pub struct RowCopies {
    bytes: Vec<u8>,
    /// End of each field in `bytes`.
    ends: Vec<usize>,
    /// Each row's fields: a range of `ends`.
    rows: Vec<(usize, usize)>,
}

impl RowCopies {
    fn clear(&mut self) {
        self.bytes.clear();
        self.ends.clear();
        self.rows.clear();
    }

    fn push(&mut self, record: &ByteRecord) -> usize {
        let first = self.ends.len();
        for field in record {
            self.bytes.extend_from_slice(field);
            self.ends.push(self.bytes.len());
        }
        self.rows.push((first, self.ends.len()));
        self.rows.len() - 1
    }

    fn fields(&self, row: usize) -> impl Iterator<Item = &[u8]> {
        let (first, end) = self.rows[row];
        (first..end).map(move |i| {
            let start = if i == 0 { 0 } else { self.ends[i - 1] };
            &self.bytes[start..self.ends[i]]
        })
    }
}

/// The lines a record was made from: one, or several folded into it.
pub struct Lines {
    pub first: u64,
    /// The lines folded into the record after the first (empty for one-row records).
    pub more: Vec<u64>,
}

impl Lines {
    fn all(&self) -> impl Iterator<Item = u64> + '_ {
        std::iter::once(self.first).chain(self.more.iter().copied())
    }
}

/// A value for an INSERT parameter; text is a range of the batch's text buffer.
#[derive(Debug, Clone, Copy)]
enum Param {
    Null,
    Int(i64),
    Text(u32, u32),
}

/// Which table a record goes to.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Table {
    Contact,
    Complaint,
}

enum Item {
    Record {
        table: Table,
        lines: Lines,
        /// Where its parameters start in the batch's.
        at: usize,
        /// `qa_*` evaluations of a contact.
        qa: Vec<(String, bool)>,
        /// The row's copy in the batch's [`RowCopies`], when the record is its row's.
        row: Option<usize>,
    },
    Error {
        error: RowError,
        raw: Option<String>,
    },
}

/// Records and row errors on their way to the writing thread. The records' values are kept
/// in two buffers (parameters and text) rather than as strings of their own, so that a batch
/// is a few allocations, made and freed once.
#[derive(Default)]
pub struct Batch {
    items: Vec<Item>,
    params: Vec<Param>,
    text: String,
    rows: RowCopies,
    /// The tallies of the batch's contacts, counted on the reading thread: the writing thread
    /// adds them to the import's when it stored every one of them (else it counts the ones it
    /// stored itself).
    tally: Box<ContactTally>,
}

/// A batch is handed on at [`BATCH_ITEMS`] items or this many bytes of text, whichever comes
/// first (a file of megabyte fields makes few rows per batch).
const BATCH_BYTES: usize = 1 << 20;

impl Batch {
    fn text(&mut self, v: Option<&str>) {
        self.params.push(match v {
            Some(t) => {
                let start = self.text.len() as u32;
                self.text.push_str(t);
                Param::Text(start, self.text.len() as u32)
            }
            None => Param::Null,
        });
    }

    fn int(&mut self, v: Option<i64>) {
        self.params.push(v.map_or(Param::Null, Param::Int));
    }

    fn bool(&mut self, v: Option<bool>) {
        self.int(v.map(i64::from));
    }

    fn time(&mut self, v: Option<&DateTime<FixedOffset>>) {
        self.int(v.map(DateTime::timestamp));
    }

    /// Empties the batch, keeping the room its buffers have.
    fn clear(&mut self) {
        self.items.clear();
        self.params.clear();
        self.text.clear();
        self.rows.clear();
        self.tally.clear();
    }

    pub fn bytes(&self) -> usize {
        self.text.len() + self.rows.bytes.len()
    }

    fn text_of(&self, p: Param) -> &str {
        match p {
            Param::Text(a, b) => &self.text[a as usize..b as usize],
            _ => "",
        }
    }

    /// The text parameter `i` of the record whose parameters start at `at`.
    fn text_at(&self, at: usize, i: usize) -> Option<&str> {
        match self.params[at + i] {
            p @ Param::Text(..) => Some(self.text_of(p)),
            _ => None,
        }
    }

    /// The number parameter `i` of the record whose parameters start at `at`.
    fn int_at(&self, at: usize, i: usize) -> Option<i64> {
        match self.params[at + i] {
            Param::Int(v) => Some(v),
            _ => None,
        }
    }

    /// The stored contact whose parameters start at `at`, as the tallies see it.
    fn tally_input(&self, at: usize) -> TallyInput<'_> {
        let flag = |i| self.int_at(at, i).map(|v| v != 0);
        TallyInput {
            channel: self.text_at(at, 4).unwrap_or_default(),
            direction: self.text_at(at, 5).unwrap_or_default(),
            outcome: self.text_at(at, 9).unwrap_or_default(),
            queue_seconds: self.int_at(at, 8),
            callback_offered: flag(10),
            agent_id: self.text_at(at, 14),
            survey_score: self.int_at(at, 17),
            escalated: flag(16),
            consent: flag(20),
            has_customer: self.text_at(at, 18).is_some(),
            started_at: self.int_at(at, 2).unwrap_or_default(),
            utc_offset_minutes: self.int_at(at, 3).unwrap_or_default(),
        }
    }
}

/// The bytes of text queued and not yet written, shared by the two ends of the queue.
#[derive(Default)]
struct Queued {
    bytes: Mutex<(usize, bool)>,
    /// Signalled when bytes are written, or when the writing end is gone.
    written: Condvar,
}

impl Queued {
    /// Waits until `n` more bytes fit (or nothing is queued), and counts them.
    fn reserve(&self, n: usize) {
        let mut state = self.bytes.lock().unwrap_or_else(|e| e.into_inner());
        while state.0 > 0 && state.0 + n > QUEUE_BYTES && !state.1 {
            state = self.written.wait(state).unwrap_or_else(|e| e.into_inner());
        }
        state.0 += n;
    }

    fn release(&self, n: usize, gone: bool) {
        let mut state = self.bytes.lock().unwrap_or_else(|e| e.into_inner());
        state.0 = state.0.saturating_sub(n);
        state.1 |= gone;
        self.written.notify_one();
    }
}

/// The reading thread's end of the queue.
pub struct QueueIn {
    messages: SyncSender<Message>,
    /// Batches the writing thread is done with, for reuse.
    spares: Receiver<Batch>,
    queued: Arc<Queued>,
}

/// The writing thread's end of the queue.
pub struct QueueOut {
    messages: Receiver<Message>,
    spares: SyncSender<Batch>,
    queued: Arc<Queued>,
}

/// A bounded queue of batches from the reading to the writing thread.
pub fn queue() -> (QueueIn, QueueOut) {
    let (messages, received) = sync_channel(QUEUE_BATCHES);
    let (spare, spares) = sync_channel(QUEUE_BATCHES + 1);
    let queued = Arc::new(Queued::default());
    (
        QueueIn {
            messages,
            spares,
            queued: Arc::clone(&queued),
        },
        QueueOut {
            messages: received,
            spares: spare,
            queued,
        },
    )
}

impl QueueIn {
    /// Hands on a batch; `false` when the writing thread is gone.
    fn send(&self, batch: Batch) -> bool {
        self.queued.reserve(batch.bytes());
        self.messages.send(Message::Batch(batch)).is_ok()
    }

    /// An empty batch, with room from an earlier one when there is one.
    fn spare(&self) -> Batch {
        self.spares.try_recv().unwrap_or_default()
    }
}

impl QueueOut {
    /// The next message; `None` when the reading thread stopped before the end.
    pub fn recv(&self) -> Option<Message> {
        self.messages.recv().ok()
    }

    /// A batch written and emptied: its bytes no longer count, and it can be reused.
    pub fn written(&self, batch: Batch, bytes: usize) {
        self.queued.release(bytes, false);
        // Dropped when enough are waiting for reuse.
        let _ = self.spares.try_send(batch);
    }
}

impl Drop for QueueOut {
    fn drop(&mut self) {
        // A reading thread waiting for room must not wait for a writer that is gone.
        self.queued.release(0, true);
    }
}

/// What the reading thread sends to the writing thread.
pub enum Message {
    Batch(Batch),
    /// Every row has been read.
    End(Summary),
}

/// What the reading thread knows once it has read the whole file.
pub struct Summary {
    pub sha256: String,
    pub rows_read: u64,
    pub skipped: u64,
}

/// The reading thread's side: checks records and queues them with the row errors.
pub struct Batcher {
    queue: QueueIn,
    batch: Batch,
    raw: RawText,
    /// Errors of the row being handled (and of rows delivered with it), not yet queued.
    pending: Vec<RowError>,
    /// Items of the current batch delivered while the current row was handled.
    pending_rows: Vec<usize>,
    pub skipped: u64,
    /// The writing thread has stopped (it failed): reading can stop too.
    pub closed: bool,
    ids: SeenIds,
}

/// Which records' ids may repeat an earlier one: any id not above every earlier id of its
/// table (in byte order) may. Exports are mostly in id order, so most ids are known new at the
/// cost of one comparison; in other orders every row is copied, which only costs the copy.
#[derive(Default)]
struct SeenIds {
    /// The largest id so far, by table.
    largest: [String; 2],
}

impl SeenIds {
    /// Notes `id` of `table`; whether it may have been noted before.
    fn maybe_seen(&mut self, table: Table, id: &str) -> bool {
        let largest = &mut self.largest[table as usize];
        if id > largest.as_str() {
            largest.clear();
            largest.push_str(id);
            false
        } else {
            true
        }
    }
}

impl Batcher {
    pub fn new(queue: QueueIn, raw: RawText) -> Batcher {
        Batcher {
            queue,
            batch: Batch::default(),
            raw,
            pending: Vec::new(),
            pending_rows: Vec::new(),
            skipped: 0,
            closed: false,
            ids: SeenIds::default(),
        }
    }

    /// Queues the errors of the row just handled (with the row's text where they are that
    /// row's), notes the row's copy for its record, and hands on a full batch.
    pub fn flush_row(&mut self, line: u64, record: &ByteRecord) {
        let Batch { items, rows, .. } = &mut self.batch;
        let mut copy = None;
        for i in self.pending_rows.drain(..) {
            if let Item::Record { lines, row, .. } = &mut items[i] {
                if lines.first == line && lines.more.is_empty() {
                    *row = Some(*copy.get_or_insert_with(|| rows.push(record)));
                }
            }
        }
        if !self.pending.is_empty() {
            let raw = if self.pending.iter().any(|e| e.line == line) {
                self.raw.of(record.iter())
            } else {
                None
            };
            for error in self.pending.drain(..) {
                let raw = if error.line == line {
                    raw.clone()
                } else {
                    None
                };
                self.batch.items.push(Item::Error { error, raw });
            }
        }
        if self.batch.items.len() >= BATCH_ITEMS || self.batch.bytes() >= BATCH_BYTES {
            self.send_batch();
        }
    }

    fn send_batch(&mut self) {
        let next = self.queue.spare();
        let batch = std::mem::replace(&mut self.batch, next);
        if !self.queue.send(batch) {
            self.closed = true;
        }
    }

    /// Hands on what is left and the end of the file.
    pub fn end(mut self, summary: Summary) {
        if !self.batch.items.is_empty() {
            self.send_batch();
        }
        // A closed queue means the writing thread failed; it reports why.
        let _ = self.queue.messages.send(Message::End(summary));
    }

    fn record(&mut self, table: Table, lines: &[u64], at: usize, qa: Vec<(String, bool)>) {
        // Only a record whose id may repeat an earlier one can be rejected by the write: the
        // others need no copy of their row.
        let id = self.batch.text_of(self.batch.params[at + 1]);
        if self.ids.maybe_seen(table, id) {
            self.pending_rows.push(self.batch.items.len());
        }
        self.batch.items.push(Item::Record {
            table,
            lines: Lines {
                first: lines[0],
                more: lines[1..].to_vec(),
            },
            at,
            qa,
            row: None,
        });
    }

    /// Rejects every line of a record.
    fn reject_lines(&mut self, lines: &[u64], column: &str, reason: String) {
        for (i, line) in lines.iter().enumerate() {
            let reason = if i == 0 {
                reason.clone()
            } else {
                folded_reason(&reason, lines[0])
            };
            self.reject(*line, column, reason);
        }
    }

    fn check_contact(&mut self, lines: &[u64], c: &Contact) {
        let (started, outcome) = match c.required() {
            Ok(ok) => ok,
            Err((column, reason)) => return self.reject_lines(lines, column, reason),
        };
        let b = &mut self.batch;
        let at = b.params.len();
        b.int(Some(lines[0] as i64));
        b.text(Some(&c.call_id));
        b.int(Some(started.timestamp()));
        b.int(Some(offset_minutes(&started)));
        b.text(Some(c.channel.as_deref().unwrap_or("voice")));
        b.text(Some(c.direction.as_deref().unwrap_or("inbound")));
        b.text(c.queue.as_deref());
        b.int(c.ivr_seconds);
        b.int(c.queue_seconds);
        b.text(Some(outcome));
        b.bool(c.callback_offered);
        b.bool(c.callback_requested);
        b.int(c.talk_seconds);
        b.int(c.hold_seconds);
        b.text(c.agent_id.as_deref());
        b.bool(c.transferred);
        b.bool(c.escalated);
        b.int(c.survey_score);
        match c.customer_ref.as_deref() {
            Some(customer) => {
                let start = b.text.len() as u32;
                self.raw.pseudonyms.push(customer, &mut b.text);
                b.params.push(Param::Text(start, b.text.len() as u32));
            }
            None => b.params.push(Param::Null),
        }
        b.text(c.complaint_ref.as_deref());
        b.bool(c.consent);
        b.time(c.opted_out_at.as_ref());
        debug_assert_eq!(b.params.len() - at, CONTACT_PARAMS - 1);
        b.tally.add(&TallyInput {
            channel: c.channel.as_deref().unwrap_or("voice"),
            direction: c.direction.as_deref().unwrap_or("inbound"),
            outcome,
            queue_seconds: c.queue_seconds,
            callback_offered: c.callback_offered,
            agent_id: c.agent_id.as_deref(),
            survey_score: c.survey_score,
            escalated: c.escalated,
            consent: c.consent,
            has_customer: c.customer_ref.is_some(),
            started_at: started.timestamp(),
            utc_offset_minutes: offset_minutes(&started),
        });
        self.record(Table::Contact, lines, at, c.qa.clone());
    }
}

fn offset_minutes(t: &DateTime<FixedOffset>) -> i64 {
    i64::from(t.offset().local_minus_utc() / 60)
}

/// Why a row folded into a record (not its first row) is rejected with it.
pub(crate) fn folded_reason(reason: &str, first: u64) -> String {
    format!("{reason} (this row is part of the call that starts on line {first})")
}

impl Sink for Batcher {
    fn contact(&mut self, line: u64, c: Contact) {
        self.check_contact(&[line], &c);
    }

    fn contact_ref(&mut self, line: u64, c: &Contact) {
        self.check_contact(&[line], c);
    }

    fn folded_contact(&mut self, lines: &[u64], c: Contact) {
        self.check_contact(lines, &c);
    }

    fn complaint(&mut self, line: u64, c: Complaint) {
        self.complaint_ref(line, &c);
    }

    fn complaint_ref(&mut self, line: u64, c: &Complaint) {
        let received = match c.required() {
            Ok(received) => received,
            Err((column, reason)) => return self.reject(line, column, reason),
        };
        let b = &mut self.batch;
        let at = b.params.len();
        b.int(Some(line as i64));
        b.text(Some(&c.complaint_id));
        b.int(Some(received.timestamp()));
        b.int(Some(offset_minutes(&received)));
        b.text(c.channel.as_deref());
        b.text(c.category.as_deref());
        b.time(c.acknowledged_at.as_ref());
        b.bool(c.reference_given);
        b.bool(c.eta_given);
        b.time(c.resolved_at.as_ref());
        b.text(c.outcome.as_deref());
        b.bool(c.escalated);
        b.bool(c.satisfied);
        debug_assert_eq!(b.params.len() - at, COMPLAINT_PARAMS - 1);
        self.record(Table::Complaint, &[line], at, Vec::new());
    }

    fn skip(&mut self, _line: u64, _reason: &str) {
        self.skipped += 1;
    }

    fn reject(&mut self, line: u64, column: &str, reason: String) {
        self.pending.push(RowError {
            line,
            column: column.to_string(),
            reason,
        });
    }
}

/// The columns of a contact and of a complaint, in the order of their parameters.
const CONTACT_COLUMNS: &str = "import_id, line, call_id, started_at, utc_offset, channel, \
     direction, queue, ivr_seconds, queue_seconds, outcome, callback_offered, \
     callback_requested, talk_seconds, hold_seconds, agent_id, transferred, escalated, \
     survey_score, customer_ref, complaint_ref, consent, opted_out_at";
const CONTACT_PARAMS: usize = 23;
const COMPLAINT_COLUMNS: &str = "import_id, line, complaint_id, received_at, utc_offset, \
     channel, category, acknowledged_at, reference_given, eta_given, resolved_at, outcome, \
     escalated, satisfied";
const COMPLAINT_PARAMS: usize = 14;

/// `INSERT OR FAIL INTO table (columns) VALUES (…), (…) … ON CONFLICT (import_id, key) DO
/// NOTHING` for `rows` records: a record whose id repeats an earlier one is not inserted. Any
/// other constraint that fails stops the statement where it is, without a journal to undo
/// what it did before, and fails the import (see `write_import`).
fn insert_sql(table: &str, columns: &str, params: usize, key: &str, rows: usize) -> String {
    let one = format!("({})", vec!["?"; params].join(", "));
    format!(
        "INSERT OR FAIL INTO {table} ({columns}) VALUES {} \
         ON CONFLICT (import_id, {key}) DO NOTHING",
        vec![one; rows].join(", ")
    )
}

/// What a parameter of a statement holds. SQLite keeps bound values from one execution of
/// a statement to the next, so a value equal to the one bound already is not bound again: a
/// bound text is copied by SQLite (an allocation, freed when the parameter is bound again),
/// and the columns of few values (channels, outcomes, queues, agents, the import's id, the
/// many empty ones) mostly repeat from one group of records to the next.
#[derive(Default, PartialEq)]
enum Bound {
    #[default]
    Unset,
    Null,
    Int(i64),
    Text(String),
}

/// A prepared INSERT and what its parameters hold.
struct Insert<'t> {
    stmt: Statement<'t>,
    bound: Vec<Bound>,
}

/// Binds `value` to parameter `i` (1-based) of `stmt` unless `slot`, what the parameter holds,
/// says it holds that value already.
#[inline(always)]
fn bind(
    stmt: &mut Statement<'_>,
    slot: &mut Bound,
    i: usize,
    value: Param,
    batch: &Batch,
) -> rusqlite::Result<()> {
    match (value, &mut *slot) {
        (Param::Null, Bound::Null) => {}
        (Param::Int(v), Bound::Int(held)) if *held == v => {}
        (Param::Text(..), Bound::Text(held)) => {
            let text = batch.text_of(value);
            if held != text {
                stmt.raw_bind_parameter(i, text)?;
                held.clear();
                held.push_str(text);
            }
        }
        (Param::Null, _) => {
            stmt.raw_bind_parameter(i, rusqlite::types::Null)?;
            *slot = Bound::Null;
        }
        (Param::Int(v), _) => {
            stmt.raw_bind_parameter(i, v)?;
            *slot = Bound::Int(v);
        }
        (Param::Text(..), _) => {
            let text = batch.text_of(value);
            stmt.raw_bind_parameter(i, text)?;
            *slot = Bound::Text(text.to_string());
        }
    }
    Ok(())
}

/// One table's INSERT statements, one for each of [`INSERT_SIZES`], prepared when first used.
struct Inserts<'t> {
    conn: &'t Connection,
    table: &'static str,
    columns: &'static str,
    by_size: [Option<Insert<'t>>; INSERT_SIZES.len()],
    /// `SELECT id, line FROM table WHERE id > ?1 ORDER BY id`: the records just inserted.
    since: Statement<'t>,
    /// Parameters per record.
    params: usize,
    /// The id column, and its name in row errors.
    key: &'static str,
    /// The largest id in the table: new records get larger ones, in insertion order.
    last: i64,
}

impl<'t> Inserts<'t> {
    fn new(
        conn: &'t Connection,
        table: &'static str,
        columns: &'static str,
        params: usize,
        key: &'static str,
    ) -> rusqlite::Result<Inserts<'t>> {
        Ok(Inserts {
            conn,
            table,
            columns,
            by_size: Default::default(),
            since: conn.prepare(&format!(
                "SELECT id, line FROM {table} WHERE id > ?1 ORDER BY id"
            ))?,
            params,
            key,
            last: conn.query_row(
                &format!("SELECT coalesce(max(id), 0) FROM {table}"),
                [],
                |r| r.get(0),
            )?,
        })
    }

    /// The INSERT statement for `rows` records, one of [`INSERT_SIZES`].
    fn statement(&mut self, rows: usize) -> rusqlite::Result<&mut Insert<'t>> {
        let i = INSERT_SIZES
            .iter()
            .position(|s| *s == rows)
            .expect("one of the insert sizes");
        let (conn, table, columns, params, key) =
            (self.conn, self.table, self.columns, self.params, self.key);
        match &mut self.by_size[i] {
            Some(stmt) => Ok(stmt),
            empty => {
                let sql = insert_sql(table, columns, params, key, rows);
                let stmt = conn.prepare(&sql)?;
                let bound = std::iter::repeat_with(Bound::default)
                    .take(rows * params)
                    .collect();
                Ok(empty.insert(Insert { stmt, bound }))
            }
        }
    }
}

/// A record waiting in a group for its INSERT.
struct Pending {
    lines: Lines,
    at: usize,
    qa: Vec<(String, bool)>,
    row: Option<usize>,
}

/// The writing thread's side: stores the queued records and errors.
pub struct Writer<'t> {
    conn: &'t Connection,
    import_id: i64,
    contacts: Inserts<'t>,
    complaints: Inserts<'t>,
    qa: Statement<'t>,
    error: Statement<'t>,
    raw: RawText,
    /// Records stored.
    pub records: u64,
    /// Whether any contact was stored with QA evaluations (`qa_*` columns).
    pub qa_rows: bool,
    /// Tallies of the contacts stored (see `crate::tally`).
    pub(crate) tally: ContactTally,
    /// Where the parameters of the batch's stored contacts start, and whether the batch has
    /// contacts that were not stored (their ids repeat earlier ones).
    stored: Vec<usize>,
    unstored: bool,
}

impl<'t> Writer<'t> {
    pub fn new(conn: &'t Connection, import_id: i64, raw: RawText) -> rusqlite::Result<Writer<'t>> {
        Ok(Writer {
            conn,
            import_id,
            contacts: Inserts::new(conn, "contact", CONTACT_COLUMNS, CONTACT_PARAMS, "call_id")?,
            complaints: Inserts::new(
                conn,
                "complaint",
                COMPLAINT_COLUMNS,
                COMPLAINT_PARAMS,
                "complaint_id",
            )?,
            qa: conn.prepare(
                "INSERT OR REPLACE INTO contact_qa (contact_id, name, passed) VALUES (?1, ?2, ?3)",
            )?,
            error: conn.prepare(
                "INSERT INTO import_error (import_id, line, \"column\", reason, raw)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?,
            raw,
            records: 0,
            qa_rows: false,
            tally: ContactTally::default(),
            stored: Vec::new(),
            unstored: false,
        })
    }

    /// Stores one batch: its errors, and its records in file order, in groups of
    /// [`INSERT_SIZES`] to a statement.
    /// Returns the batch emptied.
    pub fn write(&mut self, mut batch: Batch) -> rusqlite::Result<Batch> {
        let mut group: Vec<Pending> = Vec::with_capacity(INSERT_SIZES[0]);
        let mut group_table = Table::Contact;
        let mut items = std::mem::take(&mut batch.items);
        for item in items.drain(..) {
            match item {
                Item::Error { error, raw } => self.store_error(&error, raw.as_deref())?,
                Item::Record {
                    table,
                    lines,
                    at,
                    qa,
                    row,
                } => {
                    if table != group_table {
                        self.insert_all(group_table, &mut group, &batch)?;
                        group_table = table;
                    }
                    group.push(Pending { lines, at, qa, row });
                    if group.len() == INSERT_SIZES[0] {
                        self.insert(group_table, &mut group, &batch)?;
                    }
                }
            }
        }
        self.insert_all(group_table, &mut group, &batch)?;
        // The batch's tallies count every contact it holds: they are the import's when every
        // one was stored; else the stored ones are counted here.
        if self.unstored {
            for at in self.stored.drain(..) {
                self.tally.add(&batch.tally_input(at));
            }
        } else {
            self.tally.merge(&batch.tally);
        }
        self.stored.clear();
        self.unstored = false;
        batch.clear();
        batch.items = items;
        Ok(batch)
    }

    fn store_error(&mut self, e: &RowError, raw: Option<&str>) -> rusqlite::Result<()> {
        self.error.raw_bind_parameter(1, self.import_id)?;
        self.error.raw_bind_parameter(2, e.line as i64)?;
        self.error.raw_bind_parameter(3, e.column.as_str())?;
        self.error.raw_bind_parameter(4, e.reason.as_str())?;
        self.error.raw_bind_parameter(5, raw)?;
        self.error.raw_execute()?;
        Ok(())
    }

    /// Inserts and empties `group` (any number of records), in file order: in parts of the
    /// largest [`INSERT_SIZES`] that fit.
    fn insert_all(
        &mut self,
        table: Table,
        group: &mut Vec<Pending>,
        batch: &Batch,
    ) -> rusqlite::Result<()> {
        let mut part = Vec::new();
        while !group.is_empty() {
            let size = *INSERT_SIZES
                .iter()
                .find(|s| **s <= group.len())
                .expect("a size of one");
            if size == group.len() {
                return self.insert(table, group, batch);
            }
            part.extend(group.drain(..size));
            self.insert(table, &mut part, batch)?;
        }
        Ok(())
    }

    /// Inserts and empties `group`, whose length is one of [`INSERT_SIZES`]. A record whose id
    /// repeats an earlier one is rejected, with every line folded into it.
    fn insert(
        &mut self,
        table: Table,
        group: &mut Vec<Pending>,
        batch: &Batch,
    ) -> rusqlite::Result<()> {
        let inserts = match table {
            Table::Contact => &mut self.contacts,
            Table::Complaint => &mut self.complaints,
        };
        let per_record = inserts.params;
        let Insert { stmt, bound } = inserts.statement(group.len())?;
        for (r, (p, slots)) in group
            .iter()
            .zip(bound.chunks_exact_mut(per_record))
            .enumerate()
        {
            let first = r * per_record + 1;
            let (id, slots) = slots.split_first_mut().expect("records have parameters");
            bind(stmt, id, first, Param::Int(self.import_id), batch)?;
            let values = &batch.params[p.at..p.at + per_record - 1];
            for (j, (slot, value)) in slots.iter_mut().zip(values).enumerate() {
                bind(stmt, slot, first + 1 + j, *value, batch)?;
            }
        }
        let inserted = stmt.raw_execute()?;
        if inserted == group.len() && group.iter().all(|p| p.qa.is_empty()) {
            inserts.last = self.conn.last_insert_rowid();
            self.records += inserted as u64;
            if table == Table::Contact {
                self.stored.extend(group.iter().map(|p| p.at));
            }
            group.clear();
            return Ok(());
        }
        // Some records were not inserted, or have QA rows to go with them: their ids.
        let ids: Vec<Option<i64>> = if group.len() == 1 {
            vec![(inserted == 1).then(|| self.conn.last_insert_rowid())]
        } else {
            let mut new: Vec<(i64, i64)> = inserts
                .since
                .query_map([inserts.last], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?;
            new.reverse();
            let ids: Vec<Option<i64>> = group
                .iter()
                .map(|p| match new.last() {
                    Some(&(id, line)) if line == p.lines.first as i64 => {
                        new.pop();
                        Some(id)
                    }
                    _ => None,
                })
                .collect();
            if !new.is_empty() || ids.iter().flatten().count() != inserted {
                return Err(rusqlite::Error::SqliteFailure(
                    rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_INTERNAL),
                    Some("the inserted records do not match the rows written".into()),
                ));
            }
            ids
        };
        if let Some(max) = ids.iter().flatten().max() {
            inserts.last = inserts.last.max(*max);
        }
        let key = inserts.key;
        for (p, id) in std::mem::take(group).into_iter().zip(ids) {
            if let Some(id) = id {
                self.records += 1;
                if table == Table::Contact {
                    self.stored.push(p.at);
                }
                for (name, passed) in &p.qa {
                    self.qa_rows = true;
                    self.qa.raw_bind_parameter(1, id)?;
                    self.qa.raw_bind_parameter(2, name.as_str())?;
                    self.qa.raw_bind_parameter(3, i64::from(*passed))?;
                    self.qa.raw_execute()?;
                }
                continue;
            }
            if table == Table::Contact {
                self.unstored = true;
            }
            let value = batch.text_of(batch.params[p.at + 1]);
            let reason = format!("{key} '{value}' repeats an earlier row");
            let raw = p.row.and_then(|r| self.raw.of(batch.rows.fields(r)));
            for line in p.lines.all() {
                let (reason, raw) = if line == p.lines.first {
                    (reason.clone(), raw.as_deref())
                } else {
                    (folded_reason(&reason, p.lines.first), None)
                };
                let error = RowError {
                    line,
                    column: key.to_string(),
                    reason,
                };
                self.store_error(&error, raw)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn batcher() -> (Batcher, QueueOut) {
        let (queue, queued) = queue();
        let raw = RawText {
            decoder: FieldDecoder::Utf8,
            private: vec![1],
            pseudonyms: Pseudonyms::new(&[7; 32]),
        };
        (Batcher::new(queue, raw), queued)
    }

    fn summary() -> Summary {
        Summary {
            sha256: String::new(),
            rows_read: 0,
            skipped: 0,
        }
    }

    /// A folded contact that cannot be stored rejects every line folded into it.
    #[test]
    fn a_folded_contact_without_outcome_rejects_all_its_lines() {
        let (mut sink, queued) = batcher();
        let contact = Contact {
            call_id: "c1".into(),
            started_at: FixedOffset::east_opt(0)
                .unwrap()
                .with_ymd_and_hms(2024, 1, 27, 10, 0, 0)
                .single(),
            ..Contact::default()
        };
        sink.folded_contact(&[5, 7, 9], contact);
        sink.flush_row(9, &ByteRecord::from(vec!["a", "b"]));
        sink.end(summary());
        let Some(Message::Batch(batch)) = queued.recv() else {
            panic!("a batch first");
        };
        let errors: Vec<(u64, String, String, Option<String>)> = batch
            .items
            .into_iter()
            .map(|item| match item {
                Item::Error { error, raw } => (error.line, error.column, error.reason, raw),
                Item::Record { .. } => panic!("no record"),
            })
            .collect();
        let folded = "outcome is missing (this row is part of the call that starts on line 5)";
        assert_eq!(
            errors,
            [
                (5, "outcome".into(), "outcome is missing".into(), None),
                (7, "outcome".into(), folded.into(), None),
                // Line 9 is the row being read: its text is kept, its customer column
                // pseudonymised.
                (
                    9,
                    "outcome".into(),
                    folded.into(),
                    Some(format!("a,{}", Pseudonyms::new(&[7; 32]).of("b")))
                ),
            ]
        );
        assert!(matches!(queued.recv(), Some(Message::End(_))));
    }

    /// An id seen before is always reported as possibly seen; ids in increasing order are
    /// known new; the two tables' ids are apart.
    #[test]
    fn seen_ids_never_miss_an_id_seen_before() {
        let mut ids = SeenIds::default();
        for id in ["C1", "C2", "C3", "D0"] {
            assert!(!ids.maybe_seen(Table::Contact, id), "{id}");
        }
        assert!(!ids.maybe_seen(Table::Complaint, "C2"));
        for id in ["C2", "D0", "A9"] {
            assert!(ids.maybe_seen(Table::Contact, id), "{id}");
        }
        assert!(ids.maybe_seen(Table::Complaint, "C2"));
        assert!(!ids.maybe_seen(Table::Contact, "D1"));
    }

    #[test]
    fn a_long_row_is_cut_at_a_character_boundary_with_its_length() {
        assert_eq!(cap("short"), "short");
        let exact = "a".repeat(RAW_MAX);
        assert_eq!(cap(&exact), exact);
        // 'é' is two bytes: the cut cannot fall inside one.
        let long = "é".repeat(RAW_MAX);
        let cut = cap(&long);
        let marker = format!(" …[cut: the row is {} bytes long]", 2 * RAW_MAX);
        assert!(cut.ends_with(&marker), "{cut}");
        assert!(cut.len() <= RAW_MAX);
        let kept = &cut[..cut.len() - marker.len()];
        assert!(kept.chars().all(|c| c == 'é'));
        assert_eq!(kept.len(), (RAW_MAX - marker.len()) / 2 * 2);
    }
}
