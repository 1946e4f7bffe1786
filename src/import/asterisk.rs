//! Asterisk `cdr_csv` Master.csv: no header, one row per call leg, several legs per call.
//!
//! # Layout
//!
//! `cdr_csv` writes `accountcode, src, dst, dcontext, clid, channel, dstchannel, lastapp,
//! lastdata, start, answer, end, duration, billsec, disposition, amaflags`, then `uniqueid` when
//! `loguniqueid` is on, `userfield` when `loguserfield` is on, and `peeraccount, linkedid,
//! sequence` when `newcdrcolumns` is on. Grouping legs into calls needs `linkedid`, so rows of
//! 21 fields (all options on, as in the sample `cdr.conf`) are read, and rows of 19 or 20 fields
//! too (`newcdrcolumns` with `loguniqueid` and/or `loguserfield` off): the first 16 columns
//! and the last three are at the same places in all three. Any other field count rejects the
//! row (16–18 fields: a Master.csv written without `newcdrcolumns`, which has no `linkedid`).
//! `start`, `answer` and `end` are `%Y-%m-%d %H:%M:%S` local times read at the offset given to
//! [`Asterisk::new`] (`usegmtime = yes`, the sample `cdr.conf` setting, means `+00:00`).
//!
//! # One contact per call
//!
//! Legs are grouped by `linkedid` (by `uniqueid` when `linkedid` is empty, which only a 21-field
//! row can have). A leg *rang someone* when it has a `dstchannel` or its `lastapp` is `Dial` or
//! `Queue`; it was *answered by someone* when it rang someone, has a `dstchannel` and its
//! disposition is `ANSWERED`. A leg without a `dstchannel` that is `ANSWERED` was answered by
//! the PBX itself (an announcement, `Hangup`): that is not an agent answering (records.md:
//! answered = connected to an agent, not just the IVR).
//!
//! | field | value |
//! |---|---|
//! | call_id | the group's `linkedid` |
//! | started_at | the earliest `start` of the group |
//! | outcome | `answered` when a leg was answered by someone; else `failed` when every leg that rang someone (or, if none did, every leg) is `FAILED` / `CONGESTION`; else `abandoned` (`NO ANSWER`, `BUSY`, or answered by the PBX only) |
//! | queue_seconds | answered: `duration − billsec` of the first answered leg (earliest `answer`, then earliest `start`); abandoned after ringing: the `duration` of the longest leg that rang someone; never rang anyone, or failed: empty (never queued) |
//! | ivr_seconds | only for calls that never rang anyone: the longest leg's `duration` (time with the PBX's announcements); else empty, there is no separate IVR stage |
//! | talk_seconds | the largest `billsec` among the answered legs |
//! | agent_id | the peer of the first answered leg whose `dstchannel` is not a `Local/` channel: `SIP/104-0000abcd` → `SIP/104`; when that peer is a trunk dialled as `SIP/200@trunk` (or `PJSIP/trunk/…`) in the leg's `lastdata`, that dial target |
//! | customer_ref | `src` of the originating leg (`uniqueid = linkedid`, else the group's first row) |
//! | queue | `dcontext` of that leg |
//! | channel, direction | `voice`, `inbound` |
//!
//! Why these choices:
//!
//! - `Dial(A&B)` and `Local/` fan-outs ring every leg of a call at once from the call's start, so
//!   the caller waited as long as the longest leg rang; summing legs would count parallel rings
//!   several times. `duration` is Asterisk's own measure (timestamps are truncated to seconds, so
//!   `end − start` can be one second off). A call that dials twice in sequence is undercounted.
//! - With `Local/` channels the answered leg that carries the talk (billsec) starts when the
//!   `Local/` channel is optimised away, with `duration − billsec = 0`; the first answered leg
//!   (same `answer`, earlier `start`) carries the real wait, hence "first answered leg".
//! - A caller who only heard the PBX (no leg rang anyone) is an IVR abandonment, as the
//!   Technion preset treats `HANG` with `q_start = 0`: empty `queue_seconds` keeps it out of the
//!   offered contacts.
//! - Direction: Master.csv has no direction field and context names are site-specific. The real
//!   file (context `stadion-pstn`, external callers) holds inbound calls only, so every call is
//!   `inbound`; a site whose Master.csv also logs agents calling out needs a mapping instead.
//!
//! # Memory
//!
//! Rows are written when a leg ends, so a file is in (near) `end` order. A call is delivered
//! once a leg has been read that ended [`FLUSH_AFTER`] after the call's latest leg; only calls
//! of the last hours are held. A leg lasting longer than that would split its call (the second
//! part then repeats the `call_id` and the import rejects it). When a leg ends more than
//! [`FLUSH_AFTER`] before a leg already read, the file is not in time order (e.g. rotated files
//! concatenated out of order): from then on nothing is delivered before [`Layout::finish`].

use std::collections::hash_map::Entry;
use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, FixedOffset, NaiveDateTime, TimeZone};

use super::layout::{Layout, Row, Sink};
use super::record::{parse_seconds, Contact};

/// The `start` / `answer` / `end` format of `cdr_csv`.
const FORMAT: &str = "%Y-%m-%d %H:%M:%S";
/// How long after a call's latest leg ended the call is taken as complete.
pub const FLUSH_AFTER: i64 = 6 * 3600;

const SRC: usize = 1;
const DCONTEXT: usize = 3;
const DSTCHANNEL: usize = 6;
const LASTAPP: usize = 7;
const LASTDATA: usize = 8;
const START: usize = 9;
const ANSWER: usize = 10;
const END: usize = 11;
const DURATION: usize = 12;
const BILLSEC: usize = 13;
const DISPOSITION: usize = 14;
/// `uniqueid` (only in 21-field rows; in 20-field rows this column may be `userfield`).
const UNIQUEID: usize = 16;
/// The field counts read (see the module doc).
const FIELD_COUNTS: [usize; 3] = [19, 20, 21];

const DISPOSITIONS: &[&str] = &["ANSWERED", "NO ANSWER", "BUSY", "FAILED", "CONGESTION"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Disposition {
    Answered,
    NoAnswer,
    Busy,
    Failed,
}

/// One parsed row.
struct Leg {
    key: String,
    origin: bool,
    src: Option<String>,
    dcontext: Option<String>,
    dstchannel: Option<String>,
    lastdata: Option<String>,
    rang: bool,
    start: DateTime<FixedOffset>,
    answer: Option<DateTime<FixedOffset>>,
    end: DateTime<FixedOffset>,
    duration: i64,
    billsec: i64,
    disposition: Disposition,
}

/// The answered leg chosen so far for a role: ordered by (answer, start, line).
type Pick = (DateTime<FixedOffset>, DateTime<FixedOffset>, u64);

/// The legs of one call read so far, summarised.
struct Call {
    /// The lines of the legs read so far, in file order.
    lines: Vec<u64>,
    started_at: DateTime<FixedOffset>,
    last_end: i64,
    /// `src` and `dcontext` of the originating leg, else of the first leg.
    origin: bool,
    src: Option<String>,
    dcontext: Option<String>,
    /// First answered leg: its order and `duration − billsec`.
    first_answer: Option<(Pick, i64)>,
    /// First answered leg with a non-`Local/` peer: its order and agent.
    agent: Option<(Pick, String)>,
    talk: i64,
    rang: bool,
    ring_max: i64,
    /// Whether some leg that rang someone did not fail (`FAILED` / `CONGESTION`).
    ring_not_failed: bool,
    /// Whether some leg did not fail.
    not_failed: bool,
    longest: i64,
}

/// The Asterisk `cdr_csv` Master.csv layout.
pub struct Asterisk {
    offset: FixedOffset,
    calls: HashMap<String, Call>,
    /// (latest `end` of the call, call id): the calls in the order they become complete.
    by_end: BTreeSet<(i64, String)>,
    /// The latest `end` read.
    watermark: i64,
    in_order: bool,
    /// Rows folded into delivered contacts.
    folded: u64,
}

impl Asterisk {
    pub fn new(offset: FixedOffset) -> Self {
        Asterisk {
            offset,
            calls: HashMap::new(),
            by_end: BTreeSet::new(),
            watermark: i64::MIN,
            in_order: true,
            folded: 0,
        }
    }

    fn time(
        &self,
        row: &Row<'_>,
        index: usize,
        name: &'static str,
    ) -> Result<Option<DateTime<FixedOffset>>, Fault> {
        let Some(text) = text(row, index, name)? else {
            return Ok(None);
        };
        let naive = NaiveDateTime::parse_from_str(&text, FORMAT).map_err(|_| {
            (
                name,
                format!("'{text}' is not a date and time like 2024-01-27 15:07:24"),
            )
        })?;
        match self.offset.from_local_datetime(&naive).single() {
            Some(t) => Ok(Some(t)),
            None => Err((
                name,
                format!("{naive} does not exist at offset {}", self.offset),
            )),
        }
    }

    fn leg(&self, row: &Row<'_>) -> Result<Leg, Fault> {
        let n = row.fields.len();
        if !FIELD_COUNTS.contains(&n) {
            let hint = if (16..=18).contains(&n) {
                " (this row has no linkedid: set newcdrcolumns=yes in the [csv] section of cdr.conf)"
            } else {
                ""
            };
            return Err((
                "row",
                format!(
                    "has {n} fields; an Asterisk cdr_csv Master.csv row has 21 \
                     (19 or 20 when loguniqueid or loguserfield is off){hint}"
                ),
            ));
        }
        let required = |v: Option<DateTime<FixedOffset>>, name: &'static str| {
            v.ok_or((name, format!("{name} is empty")))
        };
        let start = required(self.time(row, START, "start")?, "start")?;
        let answer = self.time(row, ANSWER, "answer")?;
        let end = required(self.time(row, END, "end")?, "end")?;
        let seconds = |index: usize, name: &'static str| -> Result<i64, Fault> {
            let t = text(row, index, name)?.ok_or((name, format!("{name} is empty")))?;
            parse_seconds(&t).map_err(|e| (name, e))
        };
        let duration = seconds(DURATION, "duration")?;
        let billsec = seconds(BILLSEC, "billsec")?;
        let disposition = match text(row, DISPOSITION, "disposition")?.as_deref() {
            Some("ANSWERED") => Disposition::Answered,
            Some("NO ANSWER") => Disposition::NoAnswer,
            Some("BUSY") => Disposition::Busy,
            Some("FAILED") | Some("CONGESTION") => Disposition::Failed,
            other => {
                return Err((
                    "disposition",
                    format!(
                        "'{}' is not one of {}",
                        other.unwrap_or(""),
                        DISPOSITIONS.join(", ")
                    ),
                ))
            }
        };
        let linkedid = text(row, n - 2, "linkedid")?;
        let uniqueid = if n == 21 {
            text(row, UNIQUEID, "uniqueid")?
        } else {
            None
        };
        let key = match (&linkedid, &uniqueid) {
            (Some(l), _) => l.clone(),
            (None, Some(u)) => u.clone(),
            (None, None) => {
                return Err((
                    "linkedid",
                    "linkedid (and uniqueid) is empty: the leg cannot be grouped into a call"
                        .into(),
                ))
            }
        };
        let dstchannel = text(row, DSTCHANNEL, "dstchannel")?;
        let lastapp = text(row, LASTAPP, "lastapp")?;
        let rang = dstchannel.is_some()
            || lastapp
                .as_deref()
                .is_some_and(|a| a.eq_ignore_ascii_case("dial") || a.eq_ignore_ascii_case("queue"));
        Ok(Leg {
            origin: linkedid.is_none() || uniqueid.is_some_and(|u| u == key),
            key,
            src: text(row, SRC, "src")?,
            dcontext: text(row, DCONTEXT, "dcontext")?,
            dstchannel,
            lastdata: text(row, LASTDATA, "lastdata")?,
            rang,
            start,
            answer,
            end,
            duration,
            billsec,
            disposition,
        })
    }

    fn add(&mut self, line: u64, leg: Leg, sink: &mut dyn Sink) {
        let end = leg.end.timestamp();
        if end < self.watermark.saturating_sub(FLUSH_AFTER) {
            self.in_order = false;
        }
        self.watermark = self.watermark.max(end);

        let call = match self.calls.entry(leg.key.clone()) {
            Entry::Occupied(entry) => {
                let call = entry.into_mut();
                self.by_end.remove(&(call.last_end, leg.key.clone()));
                call.lines.push(line);
                call.started_at = call.started_at.min(leg.start);
                call.last_end = call.last_end.max(end);
                if leg.origin && !call.origin {
                    call.origin = true;
                    call.src = leg.src.clone();
                    call.dcontext = leg.dcontext.clone();
                }
                call
            }
            Entry::Vacant(entry) => entry.insert(Call {
                lines: vec![line],
                started_at: leg.start,
                last_end: end,
                origin: leg.origin,
                src: leg.src.clone(),
                dcontext: leg.dcontext.clone(),
                first_answer: None,
                agent: None,
                talk: 0,
                rang: false,
                ring_max: 0,
                ring_not_failed: false,
                not_failed: false,
                longest: 0,
            }),
        };
        call.longest = call.longest.max(leg.duration);
        call.not_failed |= leg.disposition != Disposition::Failed;
        if leg.rang {
            call.rang = true;
            call.ring_max = call.ring_max.max(leg.duration);
            call.ring_not_failed |= leg.disposition != Disposition::Failed;
        }
        if let (true, Disposition::Answered, Some(peer)) =
            (leg.rang, leg.disposition, &leg.dstchannel)
        {
            let pick: Pick = (leg.answer.unwrap_or(leg.start), leg.start, line);
            if call.first_answer.as_ref().is_none_or(|(p, _)| pick < *p) {
                call.first_answer = Some((pick, (leg.duration - leg.billsec).max(0)));
            }
            call.talk = call.talk.max(leg.billsec);
            if !is_local(peer) && call.agent.as_ref().is_none_or(|(p, _)| pick < *p) {
                call.agent = Some((pick, agent(peer, leg.lastdata.as_deref())));
            }
        }
        let last_end = call.last_end;
        self.by_end.insert((last_end, leg.key));

        if self.in_order {
            let cutoff = self.watermark.saturating_sub(FLUSH_AFTER);
            while let Some((last, _)) = self.by_end.first() {
                if *last >= cutoff {
                    break;
                }
                let (_, key) = self.by_end.pop_first().expect("a first entry");
                if let Some(call) = self.calls.remove(&key) {
                    self.deliver(key, call, sink);
                }
            }
        }
    }

    fn deliver(&mut self, call_id: String, call: Call, sink: &mut dyn Sink) {
        let mut contact = Contact {
            call_id,
            started_at: Some(call.started_at),
            channel: Some("voice".into()),
            direction: Some("inbound".into()),
            queue: call.dcontext,
            customer_ref: call.src,
            ..Contact::default()
        };
        if let Some((_, wait)) = call.first_answer {
            contact.outcome = Some("answered".into());
            contact.queue_seconds = Some(wait);
            contact.talk_seconds = Some(call.talk);
            contact.agent_id = call.agent.map(|(_, a)| a);
        } else if call.rang {
            if call.ring_not_failed {
                contact.outcome = Some("abandoned".into());
                contact.queue_seconds = Some(call.ring_max);
            } else {
                contact.outcome = Some("failed".into());
            }
        } else if call.not_failed {
            contact.outcome = Some("abandoned".into());
            contact.ivr_seconds = Some(call.longest);
        } else {
            contact.outcome = Some("failed".into());
        }
        self.folded += call.lines.len() as u64;
        sink.folded_contact(&call.lines, contact);
    }
}

impl Layout for Asterisk {
    /// `src`, `dst` and `clid` hold phone numbers.
    fn private_columns(&self) -> Vec<usize> {
        vec![1, 2, 4]
    }

    fn has_header(&self) -> bool {
        false
    }

    fn row(&mut self, row: &Row<'_>, sink: &mut dyn Sink) {
        match self.leg(row) {
            Ok(leg) => self.add(row.line, leg, sink),
            Err((column, reason)) => sink.reject(row.line, column, reason),
        }
    }

    fn finish(&mut self, sink: &mut dyn Sink) {
        let mut calls: Vec<(String, Call)> = self.calls.drain().collect();
        calls.sort_by_key(|(_, c)| c.lines[0]);
        self.by_end.clear();
        for (key, call) in calls {
            self.deliver(key, call, sink);
        }
    }
}

/// Whether `first` (a file's first row) is a headerless Master.csv row: 19–21 fields, `start`
/// and `end` dates, whole `duration` and `billsec`, a known `disposition`.
pub fn looks_like(first: &Row<'_>) -> bool {
    if !FIELD_COUNTS.contains(&first.fields.len()) {
        return false;
    }
    let field = |i| first.get(i).ok().flatten();
    let date = |i| field(i).is_some_and(|t| NaiveDateTime::parse_from_str(&t, FORMAT).is_ok());
    let whole = |i| field(i).is_some_and(|t| t.parse::<u64>().is_ok());
    date(START)
        && date(END)
        && whole(DURATION)
        && whole(BILLSEC)
        && matches!(first.get(DISPOSITION), Ok(Some(d)) if DISPOSITIONS.contains(&d.as_ref()))
}

/// A rejected field: (column, reason).
type Fault = (&'static str, String);

fn text(row: &Row<'_>, index: usize, name: &'static str) -> Result<Option<String>, Fault> {
    row.get(index)
        .map(|v| v.map(|t| t.into_owned()))
        .map_err(|e| (name, e))
}

fn is_local(channel: &str) -> bool {
    channel
        .get(..6)
        .is_some_and(|p| p.eq_ignore_ascii_case("local/"))
}

/// The peer of a channel name: `SIP/104-0000abcd` → `SIP/104`, `DAHDI/1-1` → `DAHDI/1`.
fn peer(channel: &str) -> &str {
    let base = channel.split(';').next().unwrap_or(channel);
    match (base.find('/'), base.rfind('-')) {
        (Some(slash), Some(dash))
            if dash > slash + 1
                && dash + 1 < base.len()
                && base[dash + 1..].bytes().all(|b| b.is_ascii_hexdigit()) =>
        {
            &base[..dash]
        }
        _ => base,
    }
}

/// The agent of an answered leg: the peer of `dstchannel`, or, when that peer is a trunk that
/// the leg's `Dial` reached as `TECH/exten@peer` or `TECH/peer/…`, that one dial target.
fn agent(dstchannel: &str, lastdata: Option<&str>) -> String {
    let peer = peer(dstchannel);
    let Some((tech, name)) = peer.split_once('/') else {
        return peer.to_string();
    };
    let targets = lastdata.and_then(|d| d.split(',').next()).unwrap_or("");
    let mut via: Vec<&str> = Vec::new();
    for target in targets.split('&').map(str::trim) {
        if target.eq_ignore_ascii_case(peer) {
            return peer.to_string();
        }
        let Some((t_tech, rest)) = target.split_once('/') else {
            continue;
        };
        if !t_tech.eq_ignore_ascii_case(tech) {
            continue;
        }
        let through = match rest.split_once('/') {
            Some((p, _)) => Some(p),
            None => rest.split_once('@').map(|(_, p)| p),
        };
        if through == Some(name) {
            via.push(target);
        }
    }
    match via.as_slice() {
        [one] => one.to_string(),
        _ => peer.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use chrono::TimeZone;
    use csv::ByteRecord;

    use super::*;
    use crate::import::layout::testing::{feed, Collect};
    use crate::import::source::{FieldDecoder, Source};

    fn utc() -> FixedOffset {
        FixedOffset::east_opt(0).unwrap()
    }

    /// A 21-field Master.csv row.
    #[allow(clippy::too_many_arguments)]
    fn leg(
        src: &str,
        dstchannel: &str,
        lastdata: &str,
        start: &str,
        answer: &str,
        end: &str,
        duration: &str,
        billsec: &str,
        disposition: &str,
        uniqueid: &str,
        linkedid: &str,
    ) -> ByteRecord {
        let lastapp = if dstchannel.is_empty() {
            "Hangup"
        } else {
            "Dial"
        };
        ByteRecord::from(vec![
            "",
            src,
            "100",
            "from-pstn",
            src,
            "SIP/trunk-00000001",
            dstchannel,
            lastapp,
            lastdata,
            start,
            answer,
            end,
            duration,
            billsec,
            disposition,
            "DOCUMENTATION",
            uniqueid,
            "",
            "",
            linkedid,
            "0",
        ])
    }

    fn run(layout: &mut Asterisk, records: &[ByteRecord]) -> Collect {
        feed(layout, records, 1, None, true)
    }

    fn at(s: &str) -> DateTime<FixedOffset> {
        utc()
            .from_local_datetime(&NaiveDateTime::parse_from_str(s, FORMAT).unwrap())
            .unwrap()
    }

    #[test]
    fn folds_parallel_legs_into_one_answered_call() {
        let rows = [
            leg(
                "5551234",
                "SIP/301-00000004",
                "SIP/301&SIP/200@pbx2,60,t",
                "2024-01-28 06:05:30",
                "2024-01-28 06:05:40",
                "2024-01-28 06:06:14",
                "44",
                "33",
                "ANSWERED",
                "1.5",
                "1.5",
            ),
            leg(
                "5551234",
                "SIP/pbx2-00000005",
                "SIP/301&SIP/200@pbx2,60,t",
                "2024-01-28 06:05:30",
                "",
                "2024-01-28 06:05:40",
                "10",
                "0",
                "NO ANSWER",
                "1.5",
                "1.5",
            ),
        ];
        let mut layout = Asterisk::new(utc());
        let out = run(&mut layout, &rows);
        assert!(out.rejects.is_empty() && out.skips.is_empty());
        assert_eq!(out.contacts.len(), 1);
        let (line, c) = &out.contacts[0];
        assert_eq!(*line, 1);
        assert_eq!(c.call_id, "1.5");
        assert_eq!(c.started_at, Some(at("2024-01-28 06:05:30")));
        assert_eq!(c.outcome.as_deref(), Some("answered"));
        assert_eq!(c.queue_seconds, Some(11));
        assert_eq!(c.talk_seconds, Some(33));
        assert_eq!(c.agent_id.as_deref(), Some("SIP/301"));
        assert_eq!(c.customer_ref.as_deref(), Some("5551234"));
        assert_eq!(c.queue.as_deref(), Some("from-pstn"));
        assert_eq!(c.direction.as_deref(), Some("inbound"));
        assert_eq!(c.channel.as_deref(), Some("voice"));
        assert_eq!(c.ivr_seconds, None);
        assert_eq!(layout.folded, 2);
    }

    #[test]
    fn trunk_peer_resolves_to_the_dialled_extension() {
        assert_eq!(
            agent("SIP/pbx2-0000001e", Some("SIP/301&SIP/200@pbx2,60,t")),
            "SIP/200@pbx2"
        );
        assert_eq!(
            agent("PJSIP/trunk-0000001e", Some("PJSIP/trunk/sip:200@host,30")),
            "PJSIP/trunk/sip:200@host"
        );
        // Two targets through the same trunk: ambiguous, the peer is all we know.
        assert_eq!(
            agent("SIP/pbx2-0000000a", Some("SIP/158@pbx2&SIP/200@pbx2,20")),
            "SIP/pbx2"
        );
        assert_eq!(agent("SIP/104-0000abcd", None), "SIP/104");
        assert_eq!(agent("DAHDI/1-1", Some("DAHDI/g1/5551234")), "DAHDI/1");
        assert_eq!(peer("IAX2/office-7821"), "IAX2/office");
        assert_eq!(peer("SIP/104"), "SIP/104");
    }

    #[test]
    fn unanswered_ringing_is_abandoned_with_the_longest_ring() {
        let rows = [
            leg(
                "777",
                "SIP/301-1",
                "SIP/301&SIP/200@pbx2,60,t",
                "2024-01-27 15:33:20",
                "2024-01-27 15:33:20",
                "2024-01-27 15:34:20",
                "60",
                "60",
                "NO ANSWER",
                "9.6",
                "9.6",
            ),
            leg(
                "777",
                "SIP/pbx2-2",
                "SIP/301&SIP/200@pbx2,60,t",
                "2024-01-27 15:33:20",
                "2024-01-27 15:33:20",
                "2024-01-27 15:33:50",
                "30",
                "30",
                "NO ANSWER",
                "9.6",
                "9.6",
            ),
            // Answered by the PBX after the Dial: not an agent.
            leg(
                "777",
                "",
                "",
                "2024-01-27 15:34:20",
                "2024-01-27 15:34:20",
                "2024-01-27 15:34:20",
                "0",
                "0",
                "ANSWERED",
                "9.6",
                "9.6",
            ),
            leg(
                "888",
                "SIP/301-3",
                "SIP/301,20",
                "2024-01-27 16:00:00",
                "",
                "2024-01-27 16:00:00",
                "0",
                "0",
                "BUSY",
                "9.7",
                "9.7",
            ),
        ];
        let out = run(&mut Asterisk::new(utc()), &rows);
        let c = out.get("9.6");
        assert_eq!(c.outcome.as_deref(), Some("abandoned"));
        assert_eq!(c.queue_seconds, Some(60));
        assert_eq!(c.agent_id, None);
        assert_eq!(c.talk_seconds, None);
        let busy = out.get("9.7");
        assert_eq!(busy.outcome.as_deref(), Some("abandoned"));
        assert_eq!(busy.queue_seconds, Some(0));
    }

    #[test]
    fn pbx_only_call_is_an_ivr_abandonment_and_failed_legs_fail() {
        let rows = [
            leg(
                "555",
                "",
                "",
                "2024-01-27 15:07:24",
                "2024-01-27 15:07:24",
                "2024-01-27 15:07:51",
                "27",
                "27",
                "ANSWERED",
                "1.0",
                "1.0",
            ),
            leg(
                "556",
                "SIP/301-1",
                "SIP/301,20",
                "2024-01-27 15:10:00",
                "",
                "2024-01-27 15:10:01",
                "1",
                "0",
                "FAILED",
                "1.1",
                "1.1",
            ),
            leg(
                "556",
                "SIP/302-2",
                "SIP/302,20",
                "2024-01-27 15:10:00",
                "",
                "2024-01-27 15:10:01",
                "1",
                "0",
                "CONGESTION",
                "1.1",
                "1.1",
            ),
        ];
        let out = run(&mut Asterisk::new(utc()), &rows);
        let ivr = out.get("1.0");
        assert_eq!(ivr.outcome.as_deref(), Some("abandoned"));
        assert_eq!(ivr.queue_seconds, None);
        assert_eq!(ivr.ivr_seconds, Some(27));
        let failed = out.get("1.1");
        assert_eq!(failed.outcome.as_deref(), Some("failed"));
        assert_eq!(failed.queue_seconds, None);
    }

    #[test]
    fn local_channel_fan_out_takes_the_wait_from_the_first_answered_leg() {
        // Shape of linkedid 1706407446.50 in the real file.
        let lk = "1706407446.50";
        let mut local = leg(
            "894",
            "SIP/301-00000012",
            "SIP/301,15",
            "2024-01-28 02:04:06",
            "2024-01-28 02:04:12",
            "2024-01-28 02:04:12",
            "6",
            "0",
            "ANSWERED",
            "1706407446.52",
            lk,
        );
        // The Local/…;2 half originates in another context.
        let mut fields: Vec<Vec<u8>> = local.iter().map(<[u8]>::to_vec).collect();
        fields[3] = b"TimeDelay".to_vec();
        local = ByteRecord::from(fields);
        let rows = [
            local,
            leg(
                "894",
                "Local/ch1@TimeDelay-00000006;1",
                "Local/ch1@TimeDelay&Local/ch2@TimeDelay,40",
                "2024-01-28 02:04:06",
                "2024-01-28 02:04:12",
                "2024-01-28 02:04:12",
                "6",
                "0",
                "ANSWERED",
                lk,
                lk,
            ),
            leg(
                "894",
                "Local/ch2@TimeDelay-00000007;1",
                "Local/ch1@TimeDelay&Local/ch2@TimeDelay,40",
                "2024-01-28 02:04:06",
                "",
                "2024-01-28 02:04:12",
                "6",
                "0",
                "NO ANSWER",
                lk,
                lk,
            ),
            leg(
                "894",
                "SIP/301-00000012",
                "Local/ch1@TimeDelay&Local/ch2@TimeDelay,40",
                "2024-01-28 02:04:12",
                "2024-01-28 02:04:12",
                "2024-01-28 02:04:29",
                "17",
                "17",
                "ANSWERED",
                lk,
                lk,
            ),
        ];
        let out = run(&mut Asterisk::new(utc()), &rows);
        assert_eq!(out.contacts.len(), 1);
        let c = out.get(lk);
        assert_eq!(c.outcome.as_deref(), Some("answered"));
        assert_eq!(c.queue_seconds, Some(6));
        assert_eq!(c.talk_seconds, Some(17));
        assert_eq!(c.agent_id.as_deref(), Some("SIP/301"));
        // From the originating leg (uniqueid = linkedid), not the Local half read first.
        assert_eq!(c.queue.as_deref(), Some("from-pstn"));
        assert_eq!(c.started_at, Some(at("2024-01-28 02:04:06")));
    }

    #[test]
    fn bad_rows_are_rejected_with_their_column() {
        let good = leg(
            "1",
            "SIP/1-1",
            "SIP/1",
            "2024-01-27 15:00:00",
            "2024-01-27 15:00:02",
            "2024-01-27 15:00:09",
            "9",
            "7",
            "ANSWERED",
            "2.0",
            "2.0",
        );
        let with = |changes: &[(usize, &str)]| {
            let mut f: Vec<Vec<u8>> = good.iter().map(<[u8]>::to_vec).collect();
            for (i, v) in changes {
                f[*i] = v.as_bytes().to_vec();
            }
            ByteRecord::from(f)
        };
        let short = ByteRecord::from(good.iter().take(18).collect::<Vec<_>>());
        let rows = [
            with(&[(START, "27/01/2024 15:00")]),
            with(&[(DISPOSITION, "MAYBE")]),
            with(&[(BILLSEC, "x")]),
            with(&[(19, ""), (UNIQUEID, "")]),
            short,
            good.clone(),
        ];
        let mut layout = Asterisk::new(utc());
        let out = run(&mut layout, &rows);
        let columns: Vec<(u64, &str)> = out
            .rejects
            .iter()
            .map(|(l, c, _)| (*l, c.as_str()))
            .collect();
        assert_eq!(
            columns,
            [
                (1, "start"),
                (2, "disposition"),
                (3, "billsec"),
                (4, "linkedid"),
                (5, "row")
            ]
        );
        assert!(
            out.rejects[4].2.contains("has 18 fields") && out.rejects[4].2.contains("21"),
            "{:?}",
            out.rejects[4]
        );
        assert!(out.rejects[4].2.contains("newcdrcolumns"));
        assert_eq!(out.contacts.len(), 1);
        assert_eq!(layout.folded, 1);
    }

    #[test]
    fn linkedid_is_found_from_the_end_in_shorter_layouts() {
        // 19 fields: no uniqueid and no userfield.
        let full = leg(
            "1",
            "SIP/1-1",
            "SIP/1",
            "2024-01-27 15:00:00",
            "2024-01-27 15:00:02",
            "2024-01-27 15:00:09",
            "9",
            "7",
            "ANSWERED",
            "3.0",
            "3.0",
        );
        let f: Vec<&[u8]> = full
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != 16 && *i != 17)
            .map(|(_, f)| f)
            .collect();
        // 21 fields with an empty linkedid: grouped by uniqueid.
        let mut g: Vec<Vec<u8>> = full.iter().map(<[u8]>::to_vec).collect();
        g[16] = b"3.1".to_vec();
        g[19] = Vec::new();
        let out = run(
            &mut Asterisk::new(utc()),
            &[ByteRecord::from(f), ByteRecord::from(g)],
        );
        assert!(out.rejects.is_empty(), "{:?}", out.rejects);
        assert_eq!(out.contacts[0].1.call_id, "3.0");
        assert_eq!(out.contacts[1].1.call_id, "3.1");
    }

    #[test]
    fn calls_are_delivered_once_the_file_has_moved_on() {
        let a = leg(
            "1",
            "SIP/1-1",
            "SIP/1",
            "2024-01-27 08:00:00",
            "2024-01-27 08:00:02",
            "2024-01-27 08:00:09",
            "9",
            "7",
            "ANSWERED",
            "4.0",
            "4.0",
        );
        let b = leg(
            "2",
            "SIP/1-2",
            "SIP/1",
            "2024-01-27 20:00:00",
            "2024-01-27 20:00:02",
            "2024-01-27 20:00:09",
            "9",
            "7",
            "ANSWERED",
            "4.1",
            "4.1",
        );
        let mut layout = Asterisk::new(utc());
        let mut sink = Collect::default();
        for (i, fields) in [a, b].iter().enumerate() {
            let row = Row::new(i as u64 + 1, fields, FieldDecoder::Utf8, None);
            layout.row(&row, &mut sink);
        }
        // 4.0 ended 12 h before 4.1: delivered already; 4.1 is held until finish.
        assert_eq!(sink.contacts.len(), 1);
        assert_eq!(sink.contacts[0].1.call_id, "4.0");
        assert_eq!(layout.calls.len(), 1);
        layout.finish(&mut sink);
        assert_eq!(sink.contacts.len(), 2);

        // Out of time order: nothing is delivered before finish.
        let mut layout = Asterisk::new(utc());
        let mut sink = Collect::default();
        let rows = [
            leg(
                "2",
                "SIP/1-2",
                "SIP/1",
                "2024-01-27 20:00:00",
                "2024-01-27 20:00:02",
                "2024-01-27 20:00:09",
                "9",
                "7",
                "ANSWERED",
                "5.1",
                "5.1",
            ),
            leg(
                "1",
                "SIP/1-1",
                "SIP/1",
                "2024-01-27 08:00:00",
                "",
                "2024-01-27 08:00:09",
                "9",
                "0",
                "NO ANSWER",
                "5.0",
                "5.0",
            ),
            leg(
                "1",
                "SIP/2-1",
                "SIP/2",
                "2024-01-27 08:00:00",
                "2024-01-27 08:00:03",
                "2024-01-27 08:00:20",
                "20",
                "17",
                "ANSWERED",
                "5.0",
                "5.0",
            ),
        ];
        for (i, fields) in rows.iter().enumerate() {
            let row = Row::new(i as u64 + 1, fields, FieldDecoder::Utf8, None);
            layout.row(&row, &mut sink);
        }
        assert!(sink.contacts.is_empty());
        layout.finish(&mut sink);
        assert_eq!(sink.contacts.len(), 2);
        assert_eq!(sink.get("5.0").outcome.as_deref(), Some("answered"));
    }

    #[test]
    fn detects_a_master_csv_first_row() {
        let good = leg(
            "1",
            "SIP/1-1",
            "SIP/1",
            "2024-01-27 15:00:00",
            "",
            "2024-01-27 15:00:09",
            "9",
            "0",
            "NO ANSWER",
            "2.0",
            "2.0",
        );
        let row = |fields| Row::new(1, fields, FieldDecoder::Utf8, None);
        assert!(looks_like(&row(&good)));
        let header = ByteRecord::from(vec![
            "accountcode",
            "src",
            "dst",
            "dcontext",
            "clid",
            "channel",
            "dstchannel",
            "lastapp",
            "lastdata",
            "start",
            "answer",
            "end",
            "duration",
            "billsec",
            "disposition",
            "amaflags",
            "uniqueid",
            "userfield",
            "peeraccount",
            "linkedid",
            "sequence",
        ]);
        assert!(!looks_like(&row(&header)));
        let queue_log =
            ByteRecord::from(vec!["1366720340", "NONE", "NONE", "NONE", "QUEUESTART", ""]);
        assert!(!looks_like(&row(&queue_log)));
        let short = ByteRecord::from(good.iter().take(18).collect::<Vec<_>>());
        assert!(!looks_like(&row(&short)));
    }

    fn real_file() -> (Asterisk, Collect, u64) {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../shared/realdata/calls/asterisk_Master_csv_2024-01_pseudonymised.csv");
        let mut source =
            Source::open(&path, &Default::default()).expect("the real Master.csv opens");
        let decoder = source.decoder;
        let offset = FixedOffset::east_opt(3 * 3600).unwrap(); // Moscow time
        let mut layout = Asterisk::new(offset);
        assert!(!layout.has_header());
        let mut sink = Collect::default();
        let mut rows = 0;
        for record in source.reader.byte_records() {
            let record = record.expect("a readable row");
            let row = Row::new(record.position().unwrap().line(), &record, decoder, None);
            if rows == 0 {
                assert!(
                    looks_like(&row),
                    "the first row is recognised as a Master.csv row"
                );
            }
            rows += 1;
            layout.row(&row, &mut sink);
        }
        layout.finish(&mut sink);
        (layout, sink, rows)
    }

    #[test]
    fn real_master_csv() {
        let (layout, out, rows) = real_file();
        // Expected numbers computed independently with a short Python script (csv module,
        // cp1252): 84 rows, all of 21 fields; grouped by field 20 (linkedid) there are 36
        // groups. A group is answered when some leg has disposition ANSWERED and a non-empty
        // dstchannel (24); the other 12 are abandoned: 6 whose legs rang someone
        // (dstchannel or lastapp Dial/Queue) and 6 single `Hangup` legs answered by the PBX
        // only. For answered groups queue = duration − billsec of the answered leg with the
        // smallest (answer, start), talk = max billsec; abandoned after ringing: queue = max
        // duration of the ringing legs.
        assert_eq!(rows, 84);
        assert!(out.rejects.is_empty(), "{:?}", out.rejects);
        assert!(out.skips.is_empty(), "{:?}", out.skips);
        assert_eq!(out.contacts.len(), 36);
        assert_eq!(
            layout.folded + out.skips.len() as u64 + out.rejects.len() as u64,
            rows
        );
        let count = |o: &str| {
            out.contacts
                .iter()
                .filter(|(_, c)| c.outcome.as_deref() == Some(o))
                .count()
        };
        assert_eq!(count("answered"), 24);
        assert_eq!(count("abandoned"), 12);
        let ivr_only = out
            .contacts
            .iter()
            .filter(|(_, c)| c.ivr_seconds.is_some())
            .count();
        assert_eq!(ivr_only, 6);
        // Every call id once, every first line once.
        let mut ids: Vec<&str> = out
            .contacts
            .iter()
            .map(|(_, c)| c.call_id.as_str())
            .collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), 36);
        let mut asa: Vec<i64> = out
            .contacts
            .iter()
            .filter(|(_, c)| c.outcome.as_deref() == Some("answered"))
            .map(|(_, c)| c.queue_seconds.unwrap())
            .collect();
        asa.sort_unstable();
        assert_eq!(
            asa,
            [2, 2, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 4, 4, 4, 4, 4, 5, 5, 6, 6, 9, 9, 11]
        );

        let msk = FixedOffset::east_opt(3 * 3600).unwrap();
        // The Local/ fan-out call (rows 22–26).
        let c = out.get("1706407446.50");
        assert_eq!(c.outcome.as_deref(), Some("answered"));
        assert_eq!(c.queue_seconds, Some(6));
        assert_eq!(c.talk_seconds, Some(17));
        assert_eq!(c.agent_id.as_deref(), Some("SIP/301"));
        assert_eq!(c.customer_ref.as_deref(), Some("89420908443"));
        assert_eq!(c.queue.as_deref(), Some("stadion-pstn"));
        assert_eq!(
            c.started_at,
            Some(msk.with_ymd_and_hms(2024, 1, 28, 2, 4, 6).unwrap())
        );
        // Answered through the trunk to the other PBX's extension 200.
        let c = out.get("1706415046.98");
        assert_eq!((c.queue_seconds, c.talk_seconds), (Some(6), Some(30)));
        assert_eq!(c.agent_id.as_deref(), Some("SIP/200@stadionpbx"));
        // Seven NO ANSWER legs, the longest 40 s.
        let c = out.get("1706372196.12");
        assert_eq!(c.outcome.as_deref(), Some("abandoned"));
        assert_eq!(c.queue_seconds, Some(40));
        // The PBX answered and hung up after 27 s.
        let c = out.get("1706368044.0");
        assert_eq!(
            (c.outcome.as_deref(), c.queue_seconds, c.ivr_seconds),
            (Some("abandoned"), None, Some(27))
        );
        // The only BUSY leg.
        let c = out.get("mainserverdss-1706443058.100");
        assert_eq!(
            (c.outcome.as_deref(), c.queue_seconds),
            (Some("abandoned"), Some(0))
        );
    }
}
