//! Per-import tallies of contacts (table `contact_tally`, see migrations/04-tallies): counted by
//! the importer as it stores each contact and written in the import's transaction, so that the
//! contact metrics read a few thousand rows however many contacts the audit holds.

use std::collections::HashMap;

use rusqlite::{params, Transaction};

const DAY: i64 = 86_400;

/// One contact as the tallies see it.
pub(crate) struct TallyInput<'a> {
    pub channel: &'a str,
    pub direction: &'a str,
    pub outcome: &'a str,
    pub queue_seconds: Option<i64>,
    pub callback_offered: Option<bool>,
    pub agent_id: Option<&'a str>,
    pub survey_score: Option<i64>,
    pub escalated: Option<bool>,
    pub consent: Option<bool>,
    pub has_customer: bool,
    pub started_at: i64,
    pub utc_offset_minutes: i64,
}

/// The tallies' maps: keys are a few small numbers, hashed with foldhash (fast, and seeded per
/// process so that no file can be made to collide) rather than the standard SipHash, which
/// cost more than storing the contact.
type Map<K, V> = HashMap<K, V, foldhash::fast::RandomState>;

/// The text values met so far in one column of few values (channels, outcomes): tallies are
/// kept per value by its index here, so that a contact is counted without hashing text.
#[derive(Default)]
struct Names(Vec<String>);

impl Names {
    fn index(&mut self, name: &str) -> usize {
        match self.0.iter().position(|n| n == name) {
            Some(i) => i,
            None => {
                self.0.push(name.to_string());
                self.0.len() - 1
            }
        }
    }
}

/// The maps of `maps` for value `i` (made when the value is first met).
fn by_index<V: Default>(maps: &mut Vec<V>, i: usize) -> &mut V {
    if maps.len() <= i {
        maps.resize_with(i + 1, V::default);
    }
    &mut maps[i]
}

/// The tallies of one import under way.
#[derive(Default)]
pub(crate) struct ContactTally {
    outcomes: Names,
    channels: Names,
    /// [outcome] → (queue seconds, callback offered) → count.
    queue: Vec<Map<(i64, Option<bool>), i64>>,
    answer: Map<(bool, bool, Option<i64>, Option<bool>), i64>,
    outbound: Map<(i64, bool, Option<bool>, bool), i64>,
    /// [channel] → day → (count, latest start, its offset).
    day: Vec<Map<i64, (i64, i64, i64)>>,
}

impl ContactTally {
    pub fn add(&mut self, c: &TallyInput<'_>) {
        let inbound_voice = c.channel == "voice" && c.direction == "inbound";
        if let (true, Some(q)) = (inbound_voice, c.queue_seconds) {
            let outcome = self.outcomes.index(c.outcome);
            *by_index(&mut self.queue, outcome)
                .entry((q, c.callback_offered))
                .or_default() += 1;
        }
        let agent = c.agent_id.is_some_and(|a| !a.is_empty());
        *self
            .answer
            .entry((c.outcome == "answered", agent, c.survey_score, c.escalated))
            .or_default() += 1;
        if c.direction == "outbound" {
            let local = (c.started_at + c.utc_offset_minutes * 60).rem_euclid(DAY);
            *self
                .outbound
                .entry((local / 60, local % 60 == 0, c.consent, c.has_customer))
                .or_default() += 1;
        }
        let day = c.started_at.div_euclid(DAY);
        let channel = self.channels.index(c.channel);
        let e = by_index(&mut self.day, channel).entry(day).or_insert((
            0,
            c.started_at,
            c.utc_offset_minutes,
        ));
        e.0 += 1;
        if c.started_at > e.1 {
            (e.1, e.2) = (c.started_at, c.utc_offset_minutes);
        }
    }

    /// Empties the tallies, keeping their room and the names met.
    pub fn clear(&mut self) {
        self.queue.iter_mut().for_each(Map::clear);
        self.answer.clear();
        self.outbound.clear();
        self.day.iter_mut().for_each(Map::clear);
    }

    /// Adds the tallies of `later`, contacts counted after this one's: the same as adding its
    /// contacts one by one, in their order.
    pub fn merge(&mut self, later: &ContactTally) {
        for (m, outcome) in later.queue.iter().zip(&later.outcomes.0) {
            if !m.is_empty() {
                let to = by_index(&mut self.queue, self.outcomes.index(outcome));
                for (key, n) in m {
                    *to.entry(*key).or_default() += n;
                }
            }
        }
        for (key, n) in &later.answer {
            *self.answer.entry(*key).or_default() += n;
        }
        for (key, n) in &later.outbound {
            *self.outbound.entry(*key).or_default() += n;
        }
        for (m, channel) in later.day.iter().zip(&later.channels.0) {
            if !m.is_empty() {
                let to = by_index(&mut self.day, self.channels.index(channel));
                for (day, &(n, latest, offset)) in m {
                    let e = to.entry(*day).or_insert((0, latest, offset));
                    e.0 += n;
                    // The earlier contact stays the latest when both started at once.
                    if latest > e.1 {
                        (e.1, e.2) = (latest, offset);
                    }
                }
            }
        }
    }

    /// Writes the tallies of import `import_id`.
    pub fn write(&self, tx: &Transaction<'_>, import_id: i64) -> rusqlite::Result<()> {
        let mut insert = tx.prepare(
            "INSERT INTO contact_tally (import_id, family, t, a, b, c, d, n)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?;
        let none: Option<i64> = None;
        let b = |v: Option<bool>| v.map(i64::from);
        let queue = self
            .queue
            .iter()
            .zip(&self.outcomes.0)
            .flat_map(|(m, outcome)| m.iter().map(move |((q, cb), n)| (outcome, q, cb, n)));
        for (outcome, q, cb, n) in queue {
            insert.execute(params![
                import_id,
                "queue",
                outcome,
                q,
                b(*cb),
                none,
                none,
                n
            ])?;
        }
        for ((answered, agent, score, escalated), n) in &self.answer {
            insert.execute(params![
                import_id,
                "answer",
                none,
                i64::from(*answered),
                i64::from(*agent),
                score,
                b(*escalated),
                n
            ])?;
        }
        for ((minute, zero, consent, customer), n) in &self.outbound {
            insert.execute(params![
                import_id,
                "outbound",
                none,
                minute,
                i64::from(*zero),
                b(*consent),
                i64::from(*customer),
                n
            ])?;
        }
        let days = self
            .day
            .iter()
            .zip(&self.channels.0)
            .flat_map(|(m, channel)| m.iter().map(move |(day, e)| (channel, day, e)));
        for (channel, day, (n, latest, offset)) in days {
            insert.execute(params![
                import_id, "day", channel, day, latest, offset, none, n
            ])?;
        }
        Ok(())
    }
}
