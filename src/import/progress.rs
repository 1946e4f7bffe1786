//! What a running import tells the app: when it started, and how far it is, a few times a
//! second, with its speed in rows per second.

use std::time::{Duration, Instant};

use serde::Serialize;
use ts_rs::TS;

use super::Progress;

/// An event of a running import.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(tag = "event", rename_all = "snake_case")]
#[ts(export)]
pub enum ImportEvent {
    /// The import began reading `file` (`total_bytes` long).
    Started {
        file: String,
        #[ts(type = "number")]
        total_bytes: u64,
    },
    /// Rows read so far, bytes of the file read, and the average speed since the start.
    Progress {
        #[ts(type = "number")]
        rows: u64,
        #[ts(type = "number")]
        bytes: u64,
        #[ts(type = "number")]
        total_bytes: u64,
        rows_per_second: f64,
    },
}

/// Turns the import's progress calls into at most one event per `every`.
#[derive(Debug)]
pub struct Throttle {
    started: Instant,
    every: Duration,
    last: Option<Instant>,
}

impl Throttle {
    /// A throttle for an import that started at `started`.
    pub fn new(started: Instant, every: Duration) -> Throttle {
        Throttle {
            started,
            every,
            last: None,
        }
    }

    /// The event to send for `p` reported at `now`, or `None` when one was sent less than
    /// `every` ago.
    pub fn event(&mut self, p: &Progress, now: Instant) -> Option<ImportEvent> {
        if self
            .last
            .is_some_and(|last| now.saturating_duration_since(last) < self.every)
        {
            return None;
        }
        self.last = Some(now);
        let seconds = now.saturating_duration_since(self.started).as_secs_f64();
        Some(ImportEvent::Progress {
            rows: p.rows,
            bytes: p.bytes,
            total_bytes: p.total_bytes,
            rows_per_second: if seconds > 0.0 {
                p.rows as f64 / seconds
            } else {
                0.0
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(rows: u64) -> Progress {
        Progress {
            rows,
            bytes: rows * 10,
            total_bytes: 1_000_000,
        }
    }

    #[test]
    fn one_event_per_interval_with_the_average_speed() {
        let t0 = Instant::now();
        let mut t = Throttle::new(t0, Duration::from_millis(250));
        // 8192 rows in half a second: 16384 rows/s.
        assert_eq!(
            t.event(&at(8192), t0 + Duration::from_millis(500)),
            Some(ImportEvent::Progress {
                rows: 8192,
                bytes: 81_920,
                total_bytes: 1_000_000,
                rows_per_second: 16_384.0
            })
        );
        // 100 ms later: too soon.
        assert_eq!(t.event(&at(16_384), t0 + Duration::from_millis(600)), None);
        // 250 ms after the last event: 24576 rows in 0.75 s = 32768 rows/s.
        match t.event(&at(24_576), t0 + Duration::from_millis(750)) {
            Some(ImportEvent::Progress {
                rows,
                rows_per_second,
                ..
            }) => {
                assert_eq!(rows, 24_576);
                assert!((rows_per_second - 32_768.0).abs() < 1e-6);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_report_at_the_start_has_no_speed_yet() {
        let t0 = Instant::now();
        let mut t = Throttle::new(t0, Duration::from_millis(250));
        match t.event(&at(0), t0) {
            Some(ImportEvent::Progress {
                rows_per_second, ..
            }) => assert_eq!(rows_per_second, 0.0),
            other => panic!("{other:?}"),
        }
    }
}
