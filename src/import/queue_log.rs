//! Asterisk `queue_log` event logs, folded into one contact per call (`callid`).
//!
//! # Layouts
//!
//! - [`Format::Pbxware`] ([`QueueLog::new`], detected by [`looks_like`]): a Bicom PBXware dump
//!   of its `queue_log` table, with a header `uid,date_time,callid,queue_name,type,event,param1,
//!   param2,param3,entpos,expos,htime,ttime,time`. Columns are found by name. `date_time` is a
//!   Unix time (UTC); `type` is the agent; `htime` is the wait in the queue and `ttime` the talk
//!   time, in seconds; `param1` holds the caller's number on `ENTERQUEUE` (and the dialled number
//!   on the `OUT…` events).
//! - [`Format::Text`] ([`QueueLog::text`], detected by [`looks_like_text`]): Asterisk's own
//!   `/var/log/asterisk/queue_log` file, `time|callid|queue|agent|event|data1|data2|…` without a
//!   header (the source detects the `|` delimiter). The numbers are in the data fields as
//!   `app_queue` writes them: `ENTERQUEUE(url|callerid|…)`, `CONNECT(holdtime|…)`,
//!   `ABANDON` / `EXITWITHTIMEOUT` / `EXITEMPTY(position|origposition|waittime)`,
//!   `EXITWITHKEY(key|position|origposition|waittime)`, `COMPLETEAGENT` /
//!   `COMPLETECALLER(holdtime|calltime|origposition)`, `TRANSFER` /
//!   `BLINDTRANSFER(extension|context|holdtime|calltime|origposition)` and
//!   `ATTENDEDTRANSFER(method|…|holdtime|calltime|origposition)`. A field that starts with a
//!   double quote is read with CSV quoting (app_queue does not quote).
//!
//! # Events
//!
//! | event | effect |
//! |---|---|
//! | `ENTERQUEUE` | opens the call: `started_at` = its time, `queue`, `customer_ref` = the caller's number; on an open call, a new visit to a queue (overflow, transfer to a queue) |
//! | `CONNECT` | answered: `queue_seconds` = wait in earlier visits + `htime` (PBXware) / `holdtime` (else the time since `ENTERQUEUE`); `agent_id` = the agent column |
//! | `COMPLETECALLER`, `COMPLETEAGENT` | `talk_seconds` += `ttime` / `calltime`, `transferred` = no; answered too if the `CONNECT` is missing |
//! | `TRANSFER`, `BLINDTRANSFER`, `ATTENDEDTRANSFER` | as `COMPLETE…`, with `transferred` = yes |
//! | `ABANDON` | abandoned (unless already answered): `queue_seconds` = wait in earlier visits + its wait |
//! | `EXITWITHTIMEOUT`, `EXITEMPTY`, `EXITWITHKEY` | left the queue unanswered: abandoned, the wait added to `queue_seconds` |
//! | `OUTDIAL` … | PBXware agent outbound calls, see below |
//! | agent and member events (`ADDMEMBER`, `REMOVEMEMBER`, `PAUSE…`, `UNPAUSE…`, `PENALTY`, `AGENTLOGIN`, `AGENTLOGOFF`, `AGENTCALLBACKLOGIN`, `AGENTCALLBACKLOGOFF`, `RINGNOANSWER`, `RINGCANCELED`, `AGENTDUMP`, `SYSCOMPAT`), `QUEUESTART`, `CONFIGRELOAD`, any other event | skipped, with the event named in the reason |
//!
//! `channel` is voice, `direction` inbound (outbound for agents' calls, below). `started_at` is
//! the Unix time converted to the offset given to the constructor (the instant does not depend
//! on it).
//!
//! PBXware also logs the calls agents dial themselves: `OUTDIAL` (param1 = dialled number) then
//! `OUTANSWER` (param2 = how it ended, `ttime` = talk), `OUTCANCEL`, `OUTCHANUNAVAIL`,
//! `OUTCONGESTION`, `OUTTRANSFER`. A call to a number of 7 or more digits is a customer contact
//! and becomes an outbound contact (`direction` outbound, `customer_ref` = the dialled number,
//! `agent_id` = `type`, no queue, `queue_seconds` empty): `answered` with `OUTANSWER`, else
//! `failed` (cancelled by the agent, channel unavailable, congestion: not connected). Calls to
//! shorter numbers are extensions and service codes (agents calling each other) and are skipped.
//! Outbound contacts make the calling-hours metrics assessable; consent is not in the log.
//!
//! # When a call is delivered
//!
//! Open calls are held in a map keyed by `callid`, so memory is bounded by the calls open at
//! once. A call is delivered as soon as its channel is known to be gone: `ABANDON`,
//! `COMPLETECALLER`, `OUTCANCEL`, `OUTANSWER` (unless it ended in a transfer), `OUTTRANSFER`. After
//! `COMPLETEAGENT`, a transfer or an `EXIT…` the caller's channel lives on in the dialplan and can
//! enter a queue again under the same `callid` (overflow to a second queue, transfer to a queue),
//! and after `OUTCHANUNAVAIL` / `OUTCONGESTION` PBXware redials at once; such a call is delivered
//! [`GRACE`] seconds (log time) after that event unless a new event for it arrives first, in which
//! case it goes on as the same contact (a `callid` that comes back later starts a second contact
//! with the same `call_id`, which the import rejects as a repeat). A call with no event for
//! [`STALE`] seconds is closed the same way (the log lost its end). At [`Layout::finish`] what
//! is held is delivered: calls with an outcome as they are, calls connected to an agent but not
//! completed as answered with `talk_seconds` empty; calls still waiting in the queue (or still
//! ringing out) have no outcome and their rows are skipped ("still in queue at the end of the
//! log").
//!
//! An event for a `callid` that is not open (`CONNECT` without `ENTERQUEUE`) belongs to a call
//! that entered the queue before the log starts: it is skipped, not made into a contact, so that
//! importing the previous log as well does not count that call twice. A call cut by the end of a
//! log is counted in that log when its outcome is known there.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, FixedOffset};

use super::layout::{Layout, Row, Sink};
use super::record::{parse_seconds, Contact};

/// Seconds (log time) a call that may continue is held after its last event.
pub const GRACE: i64 = 600;
/// Seconds (log time) after which a call with no event is closed.
pub const STALE: i64 = 24 * 3600;
/// Dialled numbers with fewer digits are internal extensions (PBXware outbound calls).
const EXTERNAL_MIN_DIGITS: usize = 7;

/// The PBXware dump's columns.
const PBXWARE_COLUMNS: [&str; 14] = [
    "uid",
    "date_time",
    "callid",
    "queue_name",
    "type",
    "event",
    "param1",
    "param2",
    "param3",
    "entpos",
    "expos",
    "htime",
    "ttime",
    "time",
];
/// The text file's fixed fields (then `data1`, `data2`, …).
const TEXT_COLUMNS: [&str; 5] = ["time", "callid", "queue", "agent", "event"];

/// The two `queue_log` layouts read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// PBXware `queue_log` table dump (CSV with a header).
    Pbxware,
    /// Asterisk's `queue_log` text file (`|`-separated, no header).
    Text,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ev {
    Enter,
    Connect,
    Complete { by_caller: bool },
    Transfer { attended: bool },
    Abandon,
    Exit { with_key: bool },
    OutDial,
    OutAnswer,
    OutCancel,
    OutFailed,
    OutTransfer,
}

enum Class {
    Call(Ev),
    Member,
    System,
    Unknown,
}

fn classify(event: &str) -> Class {
    match event {
        "ENTERQUEUE" => Class::Call(Ev::Enter),
        "CONNECT" => Class::Call(Ev::Connect),
        "COMPLETEAGENT" => Class::Call(Ev::Complete { by_caller: false }),
        "COMPLETECALLER" => Class::Call(Ev::Complete { by_caller: true }),
        "TRANSFER" | "BLINDTRANSFER" => Class::Call(Ev::Transfer { attended: false }),
        "ATTENDEDTRANSFER" => Class::Call(Ev::Transfer { attended: true }),
        "ABANDON" => Class::Call(Ev::Abandon),
        "EXITWITHTIMEOUT" | "EXITEMPTY" => Class::Call(Ev::Exit { with_key: false }),
        "EXITWITHKEY" => Class::Call(Ev::Exit { with_key: true }),
        "OUTDIAL" => Class::Call(Ev::OutDial),
        "OUTANSWER" => Class::Call(Ev::OutAnswer),
        "OUTCANCEL" => Class::Call(Ev::OutCancel),
        "OUTCHANUNAVAIL" | "OUTCONGESTION" => Class::Call(Ev::OutFailed),
        "OUTTRANSFER" => Class::Call(Ev::OutTransfer),
        "ADDMEMBER"
        | "REMOVEMEMBER"
        | "PAUSE"
        | "UNPAUSE"
        | "PAUSEALL"
        | "UNPAUSEALL"
        | "PENALTY"
        | "AGENTLOGIN"
        | "AGENTLOGOFF"
        | "AGENTCALLBACKLOGIN"
        | "AGENTCALLBACKLOGOFF"
        | "RINGNOANSWER"
        | "RINGCANCELED"
        | "AGENTDUMP"
        | "SYSCOMPAT" => Class::Member,
        "QUEUESTART" | "CONFIGRELOAD" => Class::System,
        _ => Class::Unknown,
    }
}

/// Where the fields are.
#[derive(Debug, Clone)]
struct Columns {
    time: usize,
    callid: usize,
    queue: Option<usize>,
    agent: Option<usize>,
    event: usize,
    /// `param1`..`param3` (PBXware).
    params: [Option<usize>; 3],
    htime: Option<usize>,
    ttime: Option<usize>,
}

/// A rejected field: (column, reason).
type Fault = (String, String);

/// The PBXware columns, by name (`names` lower-case).
fn pbxware_columns(names: &[String]) -> Result<Columns, Fault> {
    let find = |n: &str| names.iter().position(|h| h == n);
    let need = |n: &str| {
        find(n).ok_or_else(|| {
            (
                "header".to_string(),
                format!("the header has no '{n}' column"),
            )
        })
    };
    Ok(Columns {
        time: need("date_time")?,
        callid: need("callid")?,
        queue: find("queue_name"),
        agent: find("type"),
        event: need("event")?,
        params: [find("param1"), find("param2"), find("param3")],
        htime: find("htime"),
        ttime: find("ttime"),
    })
}

/// One call event, parsed.
struct Event {
    ev: Ev,
    time: i64,
    callid: String,
    queue: Option<String>,
    agent: Option<String>,
    /// The caller's number (`ENTERQUEUE`) or the dialled number (`OUT…`).
    number: Option<String>,
    /// Wait in the queue (`CONNECT`, `ABANDON`, `EXIT…`) or hold time (`COMPLETE…`, transfers).
    wait: Option<i64>,
    talk: Option<i64>,
    /// How an `OUTANSWER` call ended (`COMPLETEAGENT`, `COMPLETECALLER`, `TRANSFER`).
    how: Option<String>,
}

/// What an event does to its call.
enum Close {
    /// The call goes on.
    Open,
    /// The call may go on: hold it for [`GRACE`] seconds.
    Hold,
    /// The call is over: deliver it.
    Now,
}

/// One call being folded.
struct Call {
    lines: Vec<u64>,
    started: i64,
    outbound: bool,
    /// The dialled extension, when an outbound call is internal.
    internal: Option<String>,
    queue: Option<String>,
    customer: Option<String>,
    /// When the current queue visit began.
    entered: Option<i64>,
    /// Seconds waited in earlier, unanswered queue visits.
    waited: i64,
    queue_seconds: Option<i64>,
    answered: bool,
    outcome: Option<&'static str>,
    agent: Option<String>,
    talk: Option<i64>,
    transferred: Option<bool>,
    /// The call's entry in the expiry index.
    deadline: Option<i64>,
}

impl Call {
    fn new(e: &Event) -> Call {
        let outbound = e.ev == Ev::OutDial;
        let internal = match &e.number {
            Some(n)
                if outbound
                    && n.bytes().filter(u8::is_ascii_digit).count() < EXTERNAL_MIN_DIGITS =>
            {
                Some(n.clone())
            }
            _ => None,
        };
        Call {
            lines: Vec::new(),
            started: e.time,
            outbound,
            internal,
            queue: None,
            customer: None,
            entered: None,
            waited: 0,
            queue_seconds: None,
            answered: false,
            outcome: None,
            agent: None,
            talk: None,
            transferred: None,
            deadline: None,
        }
    }

    fn answer(&mut self, wait: Option<i64>, agent: &Option<String>) {
        if !self.answered {
            self.answered = true;
            self.outcome = Some("answered");
            if !self.outbound {
                self.queue_seconds = wait.map(|w| self.waited + w).or(self.queue_seconds);
            }
            self.agent = agent.clone().or(self.agent.take());
        }
    }

    fn add_talk(&mut self, talk: Option<i64>) {
        if let Some(t) = talk {
            self.talk = Some(self.talk.unwrap_or(0) + t);
        }
    }

    /// The wait of the visit that `e` ends: its own figure, else the time since `ENTERQUEUE`.
    fn visit_wait(&self, e: &Event) -> i64 {
        e.wait
            .or_else(|| self.entered.map(|t| e.time - t))
            .unwrap_or(0)
            .max(0)
    }

    fn apply(&mut self, e: &Event) -> Close {
        match e.ev {
            Ev::Enter => {
                self.queue = self.queue.take().or_else(|| e.queue.clone());
                self.customer = self.customer.take().or_else(|| e.number.clone());
                self.entered = Some(e.time);
                if !self.answered {
                    self.outcome = None;
                }
                Close::Open
            }
            Ev::Connect => {
                let wait = self.visit_wait(e);
                self.answer(Some(wait), &e.agent);
                self.entered = None;
                Close::Open
            }
            Ev::Complete { by_caller } => {
                self.answer(e.wait, &e.agent);
                self.add_talk(e.talk);
                self.transferred.get_or_insert(false);
                self.entered = None;
                if by_caller {
                    Close::Now
                } else {
                    Close::Hold
                }
            }
            Ev::Transfer { .. } => {
                self.answer(e.wait, &e.agent);
                self.add_talk(e.talk);
                self.transferred = Some(true);
                self.entered = None;
                Close::Hold
            }
            Ev::Abandon | Ev::Exit { .. } => {
                if !self.answered {
                    self.waited += self.visit_wait(e);
                    self.queue_seconds = Some(self.waited);
                    self.outcome = Some("abandoned");
                }
                self.entered = None;
                if e.ev == Ev::Abandon {
                    Close::Now
                } else {
                    Close::Hold
                }
            }
            Ev::OutDial => {
                self.customer = self.customer.take().or_else(|| e.number.clone());
                self.agent = self.agent.take().or_else(|| e.agent.clone());
                if !self.answered {
                    self.outcome = None;
                }
                Close::Open
            }
            Ev::OutAnswer => {
                self.answer(None, &e.agent);
                self.add_talk(e.talk);
                if e.how
                    .as_deref()
                    .is_some_and(|h| h.eq_ignore_ascii_case("TRANSFER"))
                {
                    self.transferred = Some(true);
                    Close::Hold
                } else {
                    self.transferred.get_or_insert(false);
                    Close::Now
                }
            }
            Ev::OutTransfer => {
                self.answer(None, &e.agent);
                self.transferred = Some(true);
                Close::Now
            }
            Ev::OutCancel | Ev::OutFailed => {
                if !self.answered {
                    self.outcome = Some("failed");
                }
                if e.ev == Ev::OutCancel {
                    Close::Now
                } else {
                    Close::Hold
                }
            }
        }
    }
}

/// Why a call is delivered other than by its own closing event.
#[derive(Clone, Copy)]
enum Leftover {
    /// Its time ran out ([`GRACE`] or [`STALE`]).
    Expired,
    /// The log ended.
    End,
    /// Its closing event.
    Closed,
}

/// The `queue_log` layout.
pub struct QueueLog {
    offset: FixedOffset,
    format: Format,
    columns: Option<Result<Columns, Fault>>,
    calls: HashMap<String, Call>,
    /// (deadline, callid) for every held call.
    expiry: BTreeSet<(i64, String)>,
    /// Rows folded into delivered contacts.
    folded: u64,
}

impl QueueLog {
    /// The PBXware `queue_log` dump (with a header).
    pub fn new(offset: FixedOffset) -> Self {
        Self::with_format(offset, Format::Pbxware)
    }

    /// Asterisk's `queue_log` text file (`|`-separated, no header).
    pub fn text(offset: FixedOffset) -> Self {
        Self::with_format(offset, Format::Text)
    }

    pub fn with_format(offset: FixedOffset, format: Format) -> Self {
        QueueLog {
            offset,
            format,
            columns: None,
            calls: HashMap::new(),
            expiry: BTreeSet::new(),
            folded: 0,
        }
    }

    fn columns(&mut self, row: &Row<'_>) -> Result<Columns, Fault> {
        if let Some(c) = &self.columns {
            return c.clone();
        }
        let resolved = match self.format {
            Format::Text => Ok(Columns {
                time: 0,
                callid: 1,
                queue: Some(2),
                agent: Some(3),
                event: 4,
                params: [None; 3],
                htime: None,
                ttime: None,
            }),
            Format::Pbxware => {
                let names: Vec<String> = match row.header {
                    Some(h) => h.iter().map(|n| n.trim().to_ascii_lowercase()).collect(),
                    None => PBXWARE_COLUMNS.iter().map(|n| n.to_string()).collect(),
                };
                pbxware_columns(&names)
            }
        };
        self.columns = Some(resolved.clone());
        resolved
    }

    fn name(&self, row: &Row<'_>, index: usize) -> String {
        match self.format {
            Format::Pbxware => row.column_name(index),
            Format::Text => match TEXT_COLUMNS.get(index) {
                Some(n) => n.to_string(),
                None => format!("data{}", index - 4),
            },
        }
    }

    fn text_at(&self, row: &Row<'_>, index: Option<usize>) -> Result<Option<String>, Fault> {
        let Some(index) = index else {
            return Ok(None);
        };
        row.get(index)
            .map(|v| {
                v.map(|t| t.into_owned())
                    .filter(|t| !t.eq_ignore_ascii_case("NONE"))
            })
            .map_err(|e| (self.name(row, index), e))
    }

    fn seconds_at(&self, row: &Row<'_>, index: Option<usize>) -> Result<Option<i64>, Fault> {
        let Some(index) = index else {
            return Ok(None);
        };
        match self.text_at(row, Some(index))? {
            None => Ok(None),
            Some(t) => parse_seconds(&t)
                .map(Some)
                .map_err(|e| (self.name(row, index), e)),
        }
    }

    /// The field holding data item `n` (1-based): `paramN` or the text file's `dataN`.
    fn data(&self, cols: &Columns, row: &Row<'_>, n: usize) -> Option<usize> {
        match self.format {
            Format::Pbxware => cols.params.get(n - 1).copied().flatten(),
            Format::Text => Some(4 + n).filter(|i| *i < row.fields.len()),
        }
    }

    fn event(&self, cols: &Columns, row: &Row<'_>, ev: Ev) -> Result<Event, Fault> {
        let time_text = self
            .text_at(row, Some(cols.time))?
            .ok_or_else(|| (self.name(row, cols.time), "the time is empty".to_string()))?;
        let time = time_text
            .parse::<i64>()
            .ok()
            .filter(|t| DateTime::from_timestamp(*t, 0).is_some())
            .ok_or_else(|| {
                (
                    self.name(row, cols.time),
                    format!("'{time_text}' is not a Unix time in seconds"),
                )
            })?;
        let callid = self.text_at(row, Some(cols.callid))?.ok_or_else(|| {
            (
                self.name(row, cols.callid),
                "a call event needs a callid".to_string(),
            )
        })?;
        let pbx = self.format == Format::Pbxware;
        let data = |n| self.data(cols, row, n);
        let (number, wait, talk, how) = match ev {
            Ev::Enter => (
                self.text_at(row, if pbx { data(1) } else { data(2) })?,
                None,
                None,
                None,
            ),
            Ev::Connect => (
                None,
                self.seconds_at(row, if pbx { cols.htime } else { data(1) })?,
                None,
                None,
            ),
            Ev::Abandon | Ev::Exit { .. } => {
                let at = match (pbx, ev) {
                    (true, _) => cols.htime,
                    (false, Ev::Exit { with_key: true }) => data(4),
                    (false, _) => data(3),
                };
                (None, self.seconds_at(row, at)?, None, None)
            }
            Ev::Complete { .. } | Ev::Transfer { .. } => {
                let (hold, call) = match (pbx, ev) {
                    (true, _) => (cols.htime, cols.ttime),
                    (false, Ev::Complete { .. }) => (data(1), data(2)),
                    (false, Ev::Transfer { attended: false }) => (data(3), data(4)),
                    // `method|…|holdtime|calltime|origposition`: counted from the end.
                    (false, _) => {
                        let n = row.fields.len();
                        if n >= 8 {
                            (Some(n - 3), Some(n - 2))
                        } else {
                            (None, None)
                        }
                    }
                };
                (
                    None,
                    self.seconds_at(row, hold)?,
                    self.seconds_at(row, call)?,
                    None,
                )
            }
            Ev::OutDial | Ev::OutCancel | Ev::OutFailed | Ev::OutTransfer => {
                (self.text_at(row, data(1))?, None, None, None)
            }
            Ev::OutAnswer => (
                self.text_at(row, data(1))?,
                None,
                self.seconds_at(row, if pbx { cols.ttime } else { None })?,
                self.text_at(row, data(2))?,
            ),
        };
        Ok(Event {
            ev,
            time,
            callid,
            queue: self.text_at(row, cols.queue)?,
            agent: self.text_at(row, cols.agent)?,
            number,
            wait,
            talk,
            how,
        })
    }

    fn apply(&mut self, line: u64, e: Event, sink: &mut dyn Sink) {
        self.expire(e.time, sink);
        if !self.calls.contains_key(&e.callid) {
            match e.ev {
                Ev::Enter | Ev::OutDial => {
                    self.calls.insert(e.callid.clone(), Call::new(&e));
                }
                Ev::OutAnswer | Ev::OutCancel | Ev::OutFailed | Ev::OutTransfer => {
                    return sink.skip(
                        line,
                        &format!(
                            "no OUTDIAL for call {} in the log: it was dialled before the log starts \
                             (or the call was already closed)",
                            e.callid
                        ),
                    );
                }
                _ => {
                    return sink.skip(
                        line,
                        &format!(
                            "no ENTERQUEUE for call {} in the log: it entered the queue before the log \
                             starts (or the call was already closed)",
                            e.callid
                        ),
                    );
                }
            }
        }
        let call = self.calls.get_mut(&e.callid).expect("an open call");
        call.lines.push(line);
        let close = call.apply(&e);
        let old = call.deadline.take();
        if let Some(d) = old {
            self.expiry.remove(&(d, e.callid.clone()));
        }
        let deadline = match close {
            Close::Now => {
                let call = self.calls.remove(&e.callid).expect("an open call");
                return self.deliver(e.callid, call, Leftover::Closed, sink);
            }
            Close::Hold => e.time + GRACE,
            Close::Open => e.time + STALE,
        };
        call.deadline = Some(deadline);
        self.expiry.insert((deadline, e.callid));
    }

    /// Delivers the held calls whose time ran out before `now`.
    fn expire(&mut self, now: i64, sink: &mut dyn Sink) {
        while let Some((deadline, _)) = self.expiry.first() {
            if *deadline >= now {
                break;
            }
            let (_, callid) = self.expiry.pop_first().expect("a first entry");
            if let Some(call) = self.calls.remove(&callid) {
                self.deliver(callid, call, Leftover::Expired, sink);
            }
        }
    }

    fn deliver(&mut self, callid: String, call: Call, why: Leftover, sink: &mut dyn Sink) {
        if let Some(number) = &call.internal {
            let reason = format!("internal call to extension {number}, not a customer contact");
            return skip_lines(sink, &call.lines, &reason);
        }
        let Some(outcome) = call.outcome else {
            let reason = match (why, call.outbound) {
                (Leftover::End, false) => "call still in queue at the end of the log (no outcome)",
                (Leftover::End, true) => "outbound call still ringing at the end of the log (no result)",
                _ => "no outcome within 24 hours of the call's last event (the log is missing its end)",
            };
            return skip_lines(sink, &call.lines, reason);
        };
        let contact = Contact {
            call_id: callid,
            started_at: DateTime::from_timestamp(call.started, 0)
                .map(|t| t.with_timezone(&self.offset)),
            channel: Some("voice".into()),
            direction: Some(if call.outbound { "outbound" } else { "inbound" }.into()),
            queue: call.queue,
            queue_seconds: call.queue_seconds,
            outcome: Some(outcome.into()),
            talk_seconds: call.talk,
            agent_id: call.agent,
            transferred: call.transferred,
            customer_ref: call.customer,
            ..Contact::default()
        };
        self.folded += call.lines.len() as u64;
        sink.folded_contact(&call.lines, contact);
    }
}

fn skip_lines(sink: &mut dyn Sink, lines: &[u64], reason: &str) {
    for line in lines {
        sink.skip(*line, reason);
    }
}

impl Layout for QueueLog {
    /// The event parameters hold caller and dialled numbers.
    fn private_columns(&self) -> Vec<usize> {
        match self.format {
            // uid,date_time,callid,queue_name,type,event,param1,param2,param3
            Format::Pbxware => vec![6, 7, 8],
            // time|callid|queue|agent|event|data1|data2|data3
            _ => vec![5, 6, 7],
        }
    }

    fn has_header(&self) -> bool {
        self.format == Format::Pbxware
    }

    fn row(&mut self, row: &Row<'_>, sink: &mut dyn Sink) {
        let cols = match self.columns(row) {
            Ok(c) => c,
            Err((column, reason)) => return sink.reject(row.line, &column, reason),
        };
        if self.format == Format::Text && row.fields.len() < TEXT_COLUMNS.len() {
            return sink.reject(
                row.line,
                "row",
                format!(
                    "has {} fields; a queue_log line has at least 5: time|callid|queue|agent|event",
                    row.fields.len()
                ),
            );
        }
        let name = match row.get(cols.event) {
            Ok(Some(n)) => n.to_ascii_uppercase(),
            Ok(None) => {
                return sink.reject(
                    row.line,
                    &self.name(row, cols.event),
                    "the event is empty".into(),
                )
            }
            Err(e) => return sink.reject(row.line, &self.name(row, cols.event), e),
        };
        let ev = match classify(&name) {
            Class::Call(ev) => ev,
            Class::Member => {
                return sink.skip(
                    row.line,
                    &format!("{name}: an agent or queue-member event, not a contact"),
                )
            }
            Class::System => {
                return sink.skip(
                    row.line,
                    &format!("{name}: a queue system event, not a contact"),
                )
            }
            Class::Unknown => {
                return sink.skip(
                    row.line,
                    &format!("{name}: an event this import does not use"),
                )
            }
        };
        match self.event(&cols, row, ev) {
            Ok(e) => self.apply(row.line, e, sink),
            Err((column, reason)) => sink.reject(row.line, &column, reason),
        }
    }

    fn finish(&mut self, sink: &mut dyn Sink) {
        let mut calls: Vec<(String, Call)> = self.calls.drain().collect();
        calls.sort_by_key(|(_, c)| c.lines[0]);
        self.expiry.clear();
        for (callid, call) in calls {
            self.deliver(callid, call, Leftover::End, sink);
        }
    }
}

/// Whether `header` is the PBXware `queue_log` dump's header.
pub fn looks_like(header: &Row<'_>) -> bool {
    let names: Vec<String> = (0..header.fields.len())
        .filter_map(|i| header.get(i).ok().flatten().map(|n| n.to_ascii_lowercase()))
        .collect();
    [
        "date_time",
        "callid",
        "queue_name",
        "event",
        "htime",
        "ttime",
    ]
    .iter()
    .all(|n| names.iter().any(|h| h == n))
}

/// Whether `first` is a line of Asterisk's `queue_log` text file: a Unix time, a callid and a
/// known event in the fifth field.
pub fn looks_like_text(first: &Row<'_>) -> bool {
    if first.fields.len() < TEXT_COLUMNS.len() {
        return false;
    }
    let field = |i| first.get(i).ok().flatten();
    let epoch = field(0)
        .is_some_and(|t| (9..=11).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_digit()));
    let callid = field(1).is_some();
    let event =
        field(4).is_some_and(|e| !matches!(classify(&e.to_ascii_uppercase()), Class::Unknown));
    epoch && callid && event
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;
    use std::path::Path;

    use chrono::TimeZone;
    use csv::ByteRecord;

    use super::*;
    use crate::import::layout::testing::{feed, Collect};
    use crate::import::source::{FieldDecoder, Source};

    fn utc() -> FixedOffset {
        FixedOffset::east_opt(0).unwrap()
    }

    fn header() -> Vec<String> {
        PBXWARE_COLUMNS.iter().map(|c| c.to_string()).collect()
    }

    /// A PBXware row: (date_time, callid, queue_name, type, event, param1, param2, htime, ttime).
    type Pbx<'a> = (
        i64,
        &'a str,
        &'a str,
        &'a str,
        &'a str,
        &'a str,
        &'a str,
        i64,
        i64,
    );

    fn pbx_record(uid: usize, r: &Pbx<'_>) -> ByteRecord {
        let (t, callid, queue, agent, event, p1, p2, htime, ttime) = *r;
        let (uid, t, htime, ttime) = (
            uid.to_string(),
            t.to_string(),
            htime.to_string(),
            ttime.to_string(),
        );
        ByteRecord::from(vec![
            uid.as_str(),
            t.as_str(),
            callid,
            queue,
            agent,
            event,
            p1,
            p2,
            "",
            "1",
            "0",
            htime.as_str(),
            ttime.as_str(),
            "2018-11-30 13:31:17",
        ])
    }

    /// Runs PBXware rows (lines 2…, after the header on line 1); `finish` when `end`.
    fn run_pbx(layout: &mut QueueLog, rows: &[Pbx<'_>], end: bool) -> Collect {
        let records: Vec<ByteRecord> = rows
            .iter()
            .enumerate()
            .map(|(i, r)| pbx_record(i + 1, r))
            .collect();
        feed(layout, &records, 2, Some(header().as_slice()), end)
    }

    fn run_text(layout: &mut QueueLog, lines: &[&str]) -> Collect {
        let records: Vec<ByteRecord> = lines
            .iter()
            .map(|l| ByteRecord::from(l.split('|').collect::<Vec<_>>()))
            .collect();
        feed(layout, &records, 1, None, true)
    }

    const T: i64 = 1_543_602_677; // 2018-11-30 18:31:17 UTC

    #[test]
    fn answered_call_is_delivered_at_its_final_event() {
        let rows: [Pbx<'_>; 5] = [
            (
                T,
                "100.1",
                "IT",
                "NONE",
                "ENTERQUEUE",
                "17572845105",
                "",
                0,
                0,
            ),
            (
                T + 10,
                "100.1",
                "IT",
                "Agent/1141",
                "RINGNOANSWER",
                "17572845105",
                "",
                10000,
                0,
            ),
            (
                T + 76,
                "100.1",
                "IT",
                "Agent/1127",
                "CONNECT",
                "",
                "100.2",
                76,
                0,
            ),
            (
                T + 923,
                "100.1",
                "IT",
                "Agent/1127",
                "COMPLETECALLER",
                "17572845105",
                "",
                76,
                847,
            ),
            (
                T + 924,
                "NONE",
                "NONE",
                "NONE",
                "CONFIGRELOAD",
                "",
                "",
                0,
                0,
            ),
        ];
        let est = FixedOffset::west_opt(5 * 3600).unwrap();
        let mut layout = QueueLog::new(est);
        assert!(layout.has_header());
        let out = run_pbx(&mut layout, &rows, false);
        // Delivered at COMPLETECALLER, before finish; nothing held.
        assert_eq!(out.contacts.len(), 1);
        assert!(layout.calls.is_empty() && layout.expiry.is_empty());
        let (line, c) = &out.contacts[0];
        assert_eq!(*line, 2);
        assert_eq!(c.call_id, "100.1");
        assert_eq!(
            c.started_at,
            Some(est.with_ymd_and_hms(2018, 11, 30, 13, 31, 17).unwrap())
        );
        assert_eq!(c.outcome.as_deref(), Some("answered"));
        assert_eq!(c.queue_seconds, Some(76));
        assert_eq!(c.talk_seconds, Some(847));
        assert_eq!(c.agent_id.as_deref(), Some("Agent/1127"));
        assert_eq!(c.customer_ref.as_deref(), Some("17572845105"));
        assert_eq!(c.queue.as_deref(), Some("IT"));
        assert_eq!(c.transferred, Some(false));
        assert_eq!(
            (c.channel.as_deref(), c.direction.as_deref()),
            (Some("voice"), Some("inbound"))
        );
        assert_eq!(out.skips.len(), 2);
        assert!(out.skip_reason(3).contains("RINGNOANSWER"));
        assert!(out.skip_reason(6).contains("CONFIGRELOAD"));
        assert_eq!(layout.folded, 3);
    }

    #[test]
    fn abandoned_and_timed_out_calls() {
        let rows: [Pbx<'_>; 4] = [
            (
                T,
                "1.1",
                "IT",
                "NONE",
                "ENTERQUEUE",
                "16062632011",
                "",
                0,
                0,
            ),
            (
                T + 191,
                "1.1",
                "IT",
                "NONE",
                "ABANDON",
                "16062632011",
                "",
                191,
                0,
            ),
            (
                T + 200,
                "1.2",
                "IT",
                "NONE",
                "ENTERQUEUE",
                "19051161505",
                "",
                0,
                0,
            ),
            (
                T + 500,
                "1.2",
                "IT",
                "NONE",
                "EXITWITHTIMEOUT",
                "19051161505",
                "",
                300,
                0,
            ),
        ];
        let mut layout = QueueLog::new(utc());
        let mut out = run_pbx(&mut layout, &rows, false);
        // ABANDON is final; EXITWITHTIMEOUT holds the call in case it enters another queue.
        assert_eq!(out.contacts.len(), 1);
        assert_eq!(layout.calls.len(), 1);
        layout.finish(&mut out);
        let a = out.get("1.1");
        assert_eq!(
            (a.outcome.as_deref(), a.queue_seconds),
            (Some("abandoned"), Some(191))
        );
        assert_eq!(
            (a.agent_id.as_deref(), a.talk_seconds, a.transferred),
            (None, None, None)
        );
        let t = out.get("1.2");
        assert_eq!(
            (t.outcome.as_deref(), t.queue_seconds),
            (Some("abandoned"), Some(300))
        );
    }

    #[test]
    fn overflow_to_a_second_queue_is_one_contact() {
        let rows: [Pbx<'_>; 5] = [
            (T, "2.1", "sales", "NONE", "ENTERQUEUE", "5550001", "", 0, 0),
            (
                T + 300,
                "2.1",
                "sales",
                "NONE",
                "EXITWITHTIMEOUT",
                "5550001",
                "",
                300,
                0,
            ),
            (
                T + 302,
                "2.1",
                "overflow",
                "NONE",
                "ENTERQUEUE",
                "5550001",
                "",
                0,
                0,
            ),
            (
                T + 322,
                "2.1",
                "overflow",
                "Agent/7",
                "CONNECT",
                "",
                "2.9",
                20,
                0,
            ),
            (
                T + 400,
                "2.1",
                "overflow",
                "Agent/7",
                "COMPLETEAGENT",
                "5550001",
                "",
                20,
                78,
            ),
        ];
        let mut layout = QueueLog::new(utc());
        let out = run_pbx(&mut layout, &rows, true);
        assert_eq!(out.contacts.len(), 1);
        let c = out.get("2.1");
        assert_eq!(c.outcome.as_deref(), Some("answered"));
        assert_eq!(c.queue_seconds, Some(320));
        assert_eq!(c.queue.as_deref(), Some("sales"));
        assert_eq!(c.talk_seconds, Some(78));
        assert_eq!(c.agent_id.as_deref(), Some("Agent/7"));
        assert_eq!(layout.folded, 5);
    }

    #[test]
    fn held_calls_are_delivered_after_the_grace_period() {
        let rows: [Pbx<'_>; 4] = [
            (T, "3.1", "IT", "NONE", "ENTERQUEUE", "5550001", "", 0, 0),
            (T + 6, "3.1", "IT", "Agent/1128", "CONNECT", "", "3.9", 6, 0),
            (
                T + 44,
                "3.1",
                "IT",
                "Agent/1128",
                "BLINDTRANSFER",
                "5550001",
                "1142",
                6,
                38,
            ),
            (
                T + 44 + GRACE + 1,
                "3.2",
                "IT",
                "NONE",
                "ENTERQUEUE",
                "5550002",
                "",
                0,
                0,
            ),
        ];
        let mut layout = QueueLog::new(utc());
        let out = run_pbx(&mut layout, &rows, false);
        assert_eq!(
            out.contacts.len(),
            1,
            "the transferred call is delivered once its grace ran out"
        );
        let c = out.get("3.1");
        assert_eq!(c.transferred, Some(true));
        assert_eq!((c.queue_seconds, c.talk_seconds), (Some(6), Some(38)));
        assert_eq!(layout.calls.len(), 1);
    }

    #[test]
    fn calls_cut_by_the_log_boundaries() {
        let rows: [Pbx<'_>; 6] = [
            // Entered the queue before the log starts.
            (T, "4.0", "IT", "Agent/1", "CONNECT", "", "4.9", 30, 0),
            (
                T + 60,
                "4.0",
                "IT",
                "Agent/1",
                "COMPLETEAGENT",
                "5550000",
                "",
                30,
                60,
            ),
            // Connected, not completed when the log ends.
            (
                T + 100,
                "4.1",
                "IT",
                "NONE",
                "ENTERQUEUE",
                "5550001",
                "",
                0,
                0,
            ),
            (T + 105, "4.1", "IT", "Agent/2", "CONNECT", "", "4.8", 5, 0),
            // Still waiting when the log ends.
            (
                T + 200,
                "4.2",
                "IT",
                "NONE",
                "ENTERQUEUE",
                "5550002",
                "",
                0,
                0,
            ),
            (
                T + 210,
                "4.2",
                "IT",
                "Agent/2",
                "RINGNOANSWER",
                "5550002",
                "",
                10000,
                0,
            ),
        ];
        let mut layout = QueueLog::new(utc());
        let out = run_pbx(&mut layout, &rows, true);
        assert!(out.skip_reason(2).contains("no ENTERQUEUE for call 4.0"));
        assert!(out.skip_reason(3).contains("no ENTERQUEUE"));
        assert_eq!(out.contacts.len(), 1);
        let c = out.get("4.1");
        assert_eq!(
            (c.outcome.as_deref(), c.queue_seconds, c.talk_seconds),
            (Some("answered"), Some(5), None)
        );
        assert_eq!(
            out.skip_reason(6),
            "call still in queue at the end of the log (no outcome)"
        );
        assert!(out.skip_reason(7).contains("RINGNOANSWER"));
        assert_eq!(out.skips.len(), 4);
        assert_eq!(layout.folded, 2);
    }

    #[test]
    fn a_call_with_no_event_for_a_day_is_closed() {
        let rows: [Pbx<'_>; 2] = [
            (T, "5.1", "IT", "NONE", "ENTERQUEUE", "5550001", "", 0, 0),
            (
                T + STALE + 1,
                "5.2",
                "IT",
                "NONE",
                "ENTERQUEUE",
                "5550002",
                "",
                0,
                0,
            ),
        ];
        let mut layout = QueueLog::new(utc());
        let out = run_pbx(&mut layout, &rows, false);
        assert!(out.skip_reason(2).starts_with("no outcome within 24 hours"));
        assert_eq!(layout.calls.len(), 1);
    }

    #[test]
    fn agent_outbound_calls() {
        let rows: [Pbx<'_>; 10] = [
            // Customer call, redialled after a channel failure, answered.
            (
                T,
                "6.1",
                "NONE",
                "Agent/1127",
                "OUTDIAL",
                "7011211740",
                "",
                0,
                0,
            ),
            (
                T,
                "6.1",
                "NONE",
                "Agent/1127",
                "OUTCHANUNAVAIL",
                "7011211740",
                "",
                0,
                0,
            ),
            (
                T,
                "6.1",
                "NONE",
                "Agent/1127",
                "OUTDIAL",
                "7011211740",
                "",
                0,
                0,
            ),
            (
                T + 299,
                "6.1",
                "NONE",
                "Agent/1127",
                "OUTANSWER",
                "7011211740",
                "COMPLETECALLER",
                13,
                286,
            ),
            // Agent calling an extension.
            (
                T + 300,
                "6.2",
                "NONE",
                "Agent/1127",
                "OUTDIAL",
                "3318",
                "",
                0,
                0,
            ),
            (
                T + 700,
                "6.2",
                "NONE",
                "Agent/1127",
                "OUTANSWER",
                "3318",
                "COMPLETEAGENT",
                2,
                398,
            ),
            // Cancelled before the customer answered.
            (
                T + 800,
                "6.3",
                "NONE",
                "Agent/1141",
                "OUTDIAL",
                "24236544102",
                "",
                0,
                0,
            ),
            (
                T + 802,
                "6.3",
                "NONE",
                "Agent/1141",
                "OUTCANCEL",
                "24236544102",
                "",
                1,
                0,
            ),
            // Answered, then transferred.
            (
                T + 900,
                "6.4",
                "NONE",
                "Agent/1141",
                "OUTDIAL",
                "2400175398",
                "",
                0,
                0,
            ),
            (
                T + 941,
                "6.4",
                "NONE",
                "Agent/1141",
                "OUTANSWER",
                "2400175398",
                "TRANSFER",
                1,
                40,
            ),
        ];
        let mut layout = QueueLog::new(utc());
        let mut out = run_pbx(&mut layout, &rows, false);
        let transfer = pbx_record(
            11,
            &(
                T + 951,
                "6.4",
                "NONE",
                "Agent/1141",
                "OUTTRANSFER",
                "2400175398",
                "1125",
                5,
                5,
            ),
        );
        let header = header();
        layout.row(
            &Row::new(12, &transfer, FieldDecoder::Utf8, Some(header.as_slice())),
            &mut out,
        );
        layout.finish(&mut out);
        assert!(out.rejects.is_empty(), "{:?}", out.rejects);
        assert_eq!(out.contacts.len(), 3);
        let a = out.get("6.1");
        assert_eq!(a.direction.as_deref(), Some("outbound"));
        assert_eq!(a.outcome.as_deref(), Some("answered"));
        assert_eq!(
            (a.talk_seconds, a.queue_seconds, a.queue.as_deref()),
            (Some(286), None, None)
        );
        assert_eq!(a.customer_ref.as_deref(), Some("7011211740"));
        assert_eq!(a.agent_id.as_deref(), Some("Agent/1127"));
        assert_eq!(
            out.skip_reason(6),
            "internal call to extension 3318, not a customer contact"
        );
        assert_eq!(
            out.skip_reason(7),
            "internal call to extension 3318, not a customer contact"
        );
        let c = out.get("6.3");
        assert_eq!(
            (c.outcome.as_deref(), c.talk_seconds),
            (Some("failed"), None)
        );
        let t = out.get("6.4");
        assert_eq!(
            (t.outcome.as_deref(), t.transferred, t.talk_seconds),
            (Some("answered"), Some(true), Some(40))
        );
        assert_eq!(layout.folded, 4 + 2 + 3);
    }

    #[test]
    fn bad_rows_are_rejected_with_their_column() {
        let rows: [Pbx<'_>; 3] = [
            (T, "", "IT", "NONE", "ENTERQUEUE", "5550001", "", 0, 0),
            (T, "7.1", "IT", "NONE", "ENTERQUEUE", "5550001", "", 0, 0),
            (T + 5, "7.1", "IT", "NONE", "", "", "", 0, 0),
        ];
        let mut layout = QueueLog::new(utc());
        let mut out = run_pbx(&mut layout, &rows, false);
        let header = header();
        let mut bad_time = pbx_record(4, &(T, "7.1", "IT", "Agent/1", "CONNECT", "", "", 5, 0));
        let mut fields: Vec<Vec<u8>> = bad_time.iter().map(<[u8]>::to_vec).collect();
        fields[1] = b"yesterday".to_vec();
        bad_time = ByteRecord::from(fields.clone());
        fields[1] = T.to_string().into_bytes();
        fields[11] = b"soon".to_vec();
        let bad_htime = ByteRecord::from(fields);
        for (line, rec) in [(5, &bad_time), (6, &bad_htime)] {
            layout.row(
                &Row::new(line, rec, FieldDecoder::Utf8, Some(header.as_slice())),
                &mut out,
            );
        }
        layout.finish(&mut out);
        let columns: Vec<(u64, &str)> = out
            .rejects
            .iter()
            .map(|(l, c, _)| (*l, c.as_str()))
            .collect();
        assert_eq!(
            columns,
            [(2, "callid"), (4, "event"), (5, "date_time"), (6, "htime")]
        );
        assert!(out.rejects[2].2.contains("'yesterday' is not a Unix time"));
        // The call itself is still waiting at the end.
        assert_eq!(
            out.skip_reason(3),
            "call still in queue at the end of the log (no outcome)"
        );
    }

    #[test]
    fn reads_the_asterisk_text_file() {
        let lines = [
            "1366720000|NONE|NONE|NONE|QUEUESTART|",
            "1366720340|1366720340.1|support|NONE|ENTERQUEUE||8001001|1",
            "1366720341|1366720340.1|support|SIP/8007|RINGNOANSWER|1000",
            "1366720346|1366720340.1|support|SIP/8008|CONNECT|6|1366720346.3|5",
            "1366720400|1366720340.1|support|SIP/8008|COMPLETECALLER|6|54|1",
            "1366720500|1366720500.2|support|NONE|ENTERQUEUE||8001002|1",
            "1366720545|1366720500.2|support|NONE|ABANDON|1|1|45",
            "1366720600|1366720600.3|support|NONE|ENTERQUEUE||8001003|1",
            "1366720615|1366720600.3|support|NONE|EXITWITHKEY|1|1|1|15",
            "1366720700|1366720700.4|support|NONE|ENTERQUEUE||8001004|1",
            "1366720708|1366720700.4|support|SIP/8007|CONNECT|8|1366720708.5|3",
            "1366720768|1366720700.4|support|SIP/8007|ATTENDEDTRANSFER|BRIDGE|abc-123|8|60|1",
            "1366720800|1366720800.6|support|NONE|ENTERQUEUE",
            "1366720801|1366720800.6",
        ];
        let first = ByteRecord::from(lines[0].split('|').collect::<Vec<_>>());
        assert!(looks_like_text(&Row::new(
            1,
            &first,
            FieldDecoder::Utf8,
            None
        )));
        let mut layout = QueueLog::text(utc());
        assert!(!layout.has_header());
        let out = run_text(&mut layout, &lines);
        let a = out.get("1366720340.1");
        assert_eq!(a.customer_ref.as_deref(), Some("8001001"));
        assert_eq!(
            (a.outcome.as_deref(), a.queue_seconds, a.talk_seconds),
            (Some("answered"), Some(6), Some(54))
        );
        assert_eq!(a.agent_id.as_deref(), Some("SIP/8008"));
        let b = out.get("1366720500.2");
        assert_eq!(
            (b.outcome.as_deref(), b.queue_seconds),
            (Some("abandoned"), Some(45))
        );
        let k = out.get("1366720600.3");
        assert_eq!(
            (k.outcome.as_deref(), k.queue_seconds),
            (Some("abandoned"), Some(15))
        );
        let x = out.get("1366720700.4");
        assert_eq!(
            (x.transferred, x.talk_seconds, x.queue_seconds),
            (Some(true), Some(60), Some(8))
        );
        assert_eq!(out.rejects.len(), 1);
        assert_eq!(out.rejects[0].0, 14);
        assert_eq!(out.rejects[0].1, "row");
        // ENTERQUEUE without a caller id field still opens the call; it has no outcome.
        assert_eq!(
            out.skip_reason(13),
            "call still in queue at the end of the log (no outcome)"
        );
        assert_eq!(
            layout.folded + out.skips.len() as u64 + out.rejects.len() as u64,
            lines.len() as u64
        );
    }

    #[test]
    fn detection() {
        let row = |fields| Row::new(1, fields, FieldDecoder::Utf8, None);
        let pbx_header = ByteRecord::from(PBXWARE_COLUMNS.to_vec());
        assert!(looks_like(&row(&pbx_header)));
        assert!(!looks_like_text(&row(&pbx_header)));
        let text = ByteRecord::from(vec!["1543527289", "NONE", "NONE", "NONE", "QUEUESTART", ""]);
        assert!(looks_like_text(&row(&text)));
        assert!(!looks_like(&row(&text)));
        let master = ByteRecord::from(vec![
            "",
            "89512457922",
            "211474",
            "stadion-pstn",
            "x",
            "SIP/211474-00000000",
            "",
            "Hangup",
            "",
            "2024-01-27 15:07:24",
            "2024-01-27 15:07:24",
            "2024-01-27 15:07:51",
            "27",
            "27",
            "ANSWERED",
            "DOCUMENTATION",
            "1706368044.0",
            "",
            "",
            "1706368044.0",
            "0",
        ]);
        assert!(!looks_like(&row(&master)) && !looks_like_text(&row(&master)));
        let unknown = ByteRecord::from(vec!["1543527289", "NONE", "NONE", "NONE", "HELLO"]);
        assert!(!looks_like_text(&row(&unknown)));
    }

    #[test]
    fn real_pbxware_queue_log() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../shared/realdata/calls/pbxware_queue_log_2018-11_pseudonymised.csv");
        let mut source =
            Source::open(&path, &Default::default()).expect("the real queue_log opens");
        let decoder = source.decoder;
        let mut layout = QueueLog::new(FixedOffset::west_opt(5 * 3600).unwrap());
        let mut out = Collect::default();
        let mut header: Option<Vec<String>> = None;
        let (mut rows, mut most_open) = (0u64, 0usize);
        let mut lines = HashSet::new();
        for record in source.reader.byte_records() {
            let record = record.expect("a readable row");
            let line = record.position().unwrap().line();
            let Some(h) = &header else {
                let names: Vec<String> = record
                    .iter()
                    .map(|f| decoder.decode(f).unwrap().trim().to_string())
                    .collect();
                assert!(looks_like(&Row::new(line, &record, decoder, None)));
                header = Some(names);
                continue;
            };
            rows += 1;
            lines.insert(line);
            layout.row(
                &Row::new(line, &record, decoder, Some(h.as_slice())),
                &mut out,
            );
            most_open = most_open.max(layout.calls.len());
        }
        layout.finish(&mut out);

        // Expected numbers computed independently with a short Python script (csv module):
        // 1000 rows. Rows whose event is RINGNOANSWER (360), ADDMEMBER (26),
        // AGENTCALLBACKLOGIN (14), CONFIGRELOAD (11), REMOVEMEMBER (10), AGENTCALLBACKLOGOFF
        // (10) or QUEUESTART (7) are skipped: 438. The remaining rows are grouped by callid.
        // Groups with an ENTERQUEUE (108): answered if they have CONNECT, COMPLETE* or a
        // *TRANSFER event (93), else abandoned if ABANDON or EXIT* (13), else no outcome (2
        // groups of one ENTERQUEUE row each, skipped). Groups without ENTERQUEUE start with
        // OUTDIAL (110): fewer than 7 digits in OUTDIAL's param1 → internal, rows skipped (66
        // groups); else answered with OUTANSWER (34), else failed (10). Contacts: 93 + 13 + 34
        // + 10 = 150; rows folded into them 418; rows skipped 438 + 2 + 142 = 582.
        assert_eq!(rows, 1000);
        assert!(out.rejects.is_empty(), "{:?}", out.rejects);
        assert_eq!(out.contacts.len(), 150);
        assert_eq!(layout.folded, 418);
        assert_eq!(out.skips.len(), 582);
        assert_eq!(
            layout.folded + out.skips.len() as u64 + out.rejects.len() as u64,
            rows
        );
        // No line skipped twice, and no contact starts on a skipped line.
        let skipped: HashSet<u64> = out.skips.iter().map(|(l, _)| *l).collect();
        assert_eq!(skipped.len(), out.skips.len());
        assert!(skipped.is_subset(&lines));
        assert!(out
            .contacts
            .iter()
            .all(|(l, _)| lines.contains(l) && !skipped.contains(l)));
        let count = |d: &str, o: &str| {
            out.contacts
                .iter()
                .filter(|(_, c)| {
                    c.direction.as_deref() == Some(d) && c.outcome.as_deref() == Some(o)
                })
                .count()
        };
        assert_eq!(count("inbound", "answered"), 93);
        assert_eq!(count("inbound", "abandoned"), 13);
        assert_eq!(count("outbound", "answered"), 34);
        assert_eq!(count("outbound", "failed"), 10);
        let internal = out
            .skips
            .iter()
            .filter(|(_, r)| r.starts_with("internal call"))
            .count();
        assert_eq!(internal, 142);
        let waiting = out
            .skips
            .iter()
            .filter(|(_, r)| r.starts_with("call still in queue"))
            .count();
        assert_eq!(waiting, 2);
        assert!(most_open <= 10, "{most_open} calls open at once");

        let est = FixedOffset::west_opt(5 * 3600).unwrap();
        // Rows 13–20 of the file (lines 14–21).
        let c = out.get("1543602660.197");
        assert_eq!(
            c.started_at,
            Some(est.with_ymd_and_hms(2018, 11, 30, 13, 31, 17).unwrap())
        );
        assert_eq!((c.queue_seconds, c.talk_seconds), (Some(76), Some(847)));
        assert_eq!(c.agent_id.as_deref(), Some("Agent/1127"));
        assert_eq!(c.customer_ref.as_deref(), Some("17572845105"));
        // ABANDON at uid 294, htime 191.
        let c = out.get("1543852000.1574");
        assert_eq!(
            (c.outcome.as_deref(), c.queue_seconds),
            (Some("abandoned"), Some(191))
        );
        // The only EXITWITHTIMEOUT (uid 526), htime 300.
        let c = out.get("1543860451.3324");
        assert_eq!(
            (c.outcome.as_deref(), c.queue_seconds),
            (Some("abandoned"), Some(300))
        );
        // BLINDTRANSFER at uid 928: htime 6, ttime 38.
        let c = out.get("1543938872.1743");
        assert_eq!(
            (c.transferred, c.queue_seconds, c.talk_seconds),
            (Some(true), Some(6), Some(38))
        );
        // CONNECT at uid 968 and then the log ends.
        let c = out.get("1543942189.2194");
        assert_eq!(
            (c.outcome.as_deref(), c.queue_seconds, c.talk_seconds),
            (Some("answered"), Some(6), None)
        );
        // An agent's outbound call (uids 21–22).
        let c = out.get("1543603907.257");
        assert_eq!(
            (c.direction.as_deref(), c.talk_seconds),
            (Some("outbound"), Some(54))
        );
        assert_eq!(c.customer_ref.as_deref(), Some("3053353223"));
        // The ENTERQUEUE at uid 1000 (line 1001).
        assert_eq!(
            out.skip_reason(1001),
            "call still in queue at the end of the log (no outcome)"
        );
    }
}
