//! Synthetic canonical records for trials and benchmarks (`clausewise demo-data`): seeded, so
//! the same seed gives the same file.

use std::io::Write;

use chrono::{Duration, FixedOffset, TimeZone};

use crate::import::Kind;
use crate::stats::SplitMix64;

/// The demo generator: SplitMix64 with a plain modulo for ranges (a little bias is fine for
/// synthetic data, and keeps every seed's file as it always was).
struct Rng(SplitMix64);

impl Rng {
    /// Uniform in 0..n.
    fn below(&mut self, n: u64) -> u64 {
        self.0.next_u64() % n
    }
    /// True with probability p (per mille).
    fn chance(&mut self, per_mille: u64) -> bool {
        self.below(1000) < per_mille
    }
}

fn yes_no(b: bool) -> &'static str {
    if b {
        "yes"
    } else {
        "no"
    }
}

/// Writes `n` canonical contact records as CSV (columns in `Kind::Calls.fields()` order).
pub fn write_contacts(out: &mut dyn Write, n: u64, seed: u64) -> std::io::Result<()> {
    let tz = FixedOffset::east_opt(3 * 3600).expect("+03:00");
    let start = tz
        .with_ymd_and_hms(2026, 10, 1, 8, 0, 0)
        .single()
        .expect("a valid start");
    let mut rng = Rng(SplitMix64(seed));
    let mut w = std::io::BufWriter::with_capacity(1 << 16, out);
    writeln!(w, "{}", Kind::Calls.header())?;
    let queues = ["billing", "faults", "sales", "general"];
    let span = 30 * 24 * 3600;
    for i in 0..n {
        let mut at = start + Duration::seconds((i * span / n.max(1)) as i64 + rng.below(60) as i64);
        let channel = match rng.below(10) {
            0 => "chat",
            1 => "email",
            _ => "voice",
        };
        let outbound = rng.chance(50);
        if outbound && !rng.chance(5) {
            // Outbound calls keep to the calling hours (09:00–20:00), all but a few.
            let day = at.date_naive().and_hms_opt(9, 0, 0).expect("09:00");
            let local = day + Duration::seconds(rng.below(11 * 3600) as i64);
            at = tz
                .from_local_datetime(&local)
                .single()
                .expect("a fixed offset");
        }
        let queue = queues[rng.below(4) as usize];
        let wait = {
            let r = rng.below(1000);
            if r < 700 {
                r / 35
            } else {
                r / 6
            }
        };
        let outcome = match rng.below(100) {
            0..=87 => "answered",
            88..=95 => "abandoned",
            96..=98 => "callback",
            _ => "voicemail",
        };
        let answered = outcome == "answered";
        let offered = wait > 60 && rng.chance(900);
        write!(
            w,
            "C{i:08},{},{channel},{},{queue},{},{wait},{outcome},{},{},",
            at.format("%Y-%m-%dT%H:%M:%S%:z"),
            if outbound { "outbound" } else { "inbound" },
            rng.below(40),
            yes_no(offered),
            yes_no(outcome == "callback"),
        )?;
        if answered {
            write!(
                w,
                "{},{},A{:03},{},{},",
                30 + rng.below(600),
                rng.below(60),
                rng.below(120),
                yes_no(rng.chance(80)),
                yes_no(rng.chance(20))
            )?;
            if rng.chance(300) {
                write!(w, "{}", 1 + rng.below(5))?;
            }
        } else {
            write!(w, ",,,,,")?;
        }
        write!(w, ",9055{:08},", rng.below(100_000_000))?;
        if rng.chance(20) {
            write!(w, "R{:07}", rng.below(10_000_000))?;
        }
        if outbound {
            writeln!(w, ",{},", yes_no(rng.chance(990)))?;
        } else {
            writeln!(w, ",,")?;
        }
    }
    w.flush()
}

/// Writes `n` canonical complaint records as CSV (columns in `Kind::Complaints.fields()` order).
pub fn write_complaints(out: &mut dyn Write, n: u64, seed: u64) -> std::io::Result<()> {
    let tz = FixedOffset::east_opt(3 * 3600).expect("+03:00");
    let start = tz
        .with_ymd_and_hms(2026, 7, 1, 9, 0, 0)
        .single()
        .expect("a valid start");
    let mut rng = Rng(SplitMix64(seed ^ 0xC0FF_EE00));
    let mut w = std::io::BufWriter::with_capacity(1 << 16, out);
    writeln!(w, "{}", Kind::Complaints.header())?;
    let channels = ["voice", "email", "chat", "social", "letter", "web"];
    let categories = ["billing", "outage", "service", "staff conduct", "privacy"];
    let span = 120 * 24 * 3600;
    for i in 0..n {
        let received = start + Duration::seconds((i * span / n.max(1)) as i64);
        let ack = received + Duration::minutes(rng.below(36 * 60) as i64);
        let open = rng.chance(100);
        let resolved = received + Duration::hours(1 + rng.below(20 * 24) as i64);
        let fmt = "%Y-%m-%dT%H:%M:%S%:z";
        writeln!(
            w,
            "K{i:07},{},{},{},{},{},{},{},{},{},{}",
            received.format(fmt),
            channels[rng.below(6) as usize],
            categories[rng.below(5) as usize],
            ack.format(fmt),
            yes_no(rng.chance(990)),
            yes_no(rng.chance(940)),
            if open {
                String::new()
            } else {
                resolved.format(fmt).to_string()
            },
            if open {
                "open"
            } else {
                ["upheld", "partially_upheld", "rejected"][rng.below(3) as usize]
            },
            yes_no(rng.chance(100)),
            if open { "" } else { yes_no(rng.chance(820)) },
        )?;
    }
    w.flush()
}
