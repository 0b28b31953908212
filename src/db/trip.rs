//! How long one trip to the database took, leg by leg: waiting for a turn, for a blocking
//! thread, for a pooled connection, and the work itself. A trip slower than [`SLOW`] is
//! logged at warn with its legs, so a pause under load names where it was spent (issue 16:
//! a PostgreSQL feed run paused once for about a second). Counting costs one clock read
//! per leg; nothing is logged for a trip that was not slow.

use std::time::{Duration, Instant};

/// A trip at least this long is reported.
pub const SLOW: Duration = Duration::from_millis(100);

#[derive(Clone, Copy)]
pub enum Leg {
    /// From the turn to a blocking thread running the closure.
    Thread,
    /// From that thread's start to a connection from the pool.
    Connection,
    /// The closure with its connection.
    Query,
}

pub struct Trip {
    /// The closure's type name: the function that asked, by its path.
    site: &'static str,
    asked: Instant,
    last: Instant,
    turn: Duration,
    legs: [Duration; 3],
}

impl Trip {
    /// A trip asked for by `site` at `asked` whose turn came after `turn`.
    pub fn begun(site: &'static str, asked: Instant, turn: Duration) -> Self {
        Self { site, asked, last: asked + turn, turn, legs: [Duration::ZERO; 3] }
    }

    /// `leg` ends now.
    pub fn mark(&mut self, leg: Leg) {
        let now = Instant::now();
        self.legs[leg as usize] = now.saturating_duration_since(self.last);
        self.last = now;
    }

    /// The whole trip so far.
    pub fn total(&self) -> Duration {
        self.last.saturating_duration_since(self.asked)
    }

    pub fn is_slow(&self) -> bool {
        self.total() >= SLOW
    }

    /// Logs the trip if it was slow.
    pub fn report(&self) {
        if !self.is_slow() {
            return;
        }
        // Whole microseconds, as milliseconds: enough to tell the legs apart.
        let ms = |d: Duration| d.as_micros() as f64 / 1e3;
        let [thread, connection, query] = self.legs;
        tracing::warn!(
            site = self.site.trim_end_matches("::{{closure}}"),
            total_ms = ms(self.total()),
            turn_ms = ms(self.turn),
            thread_ms = ms(thread),
            connection_ms = ms(connection),
            query_ms = ms(query),
            "a slow trip to the database"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legs_add_up_and_only_a_slow_trip_is_slow() {
        let asked = Instant::now() - Duration::from_millis(150);
        let mut trip = Trip::begun("test", asked, Duration::from_millis(120));
        trip.mark(Leg::Thread);
        trip.mark(Leg::Connection);
        trip.mark(Leg::Query);
        assert!(trip.is_slow(), "150 ms, 120 of them waiting for a turn");
        let [thread, ..] = trip.legs;
        assert!(thread >= Duration::from_millis(29), "the rest of the wait is the thread's leg: {thread:?}");
        assert!(trip.total() >= Duration::from_millis(150));

        let mut quick = Trip::begun("test", Instant::now(), Duration::ZERO);
        quick.mark(Leg::Query);
        assert!(!quick.is_slow());
    }
}
