//! The application's notion of "now": the system clock in production, a settable one in
//! tests so expiry and backoff can be checked without sleeping.

use std::sync::{Arc, Mutex, PoisonError};

use chrono::{DateTime, Duration, NaiveDateTime, SubsecRound, Utc};

#[derive(Clone, Debug, Default)]
pub struct Clock {
    fixed: Option<Arc<Mutex<DateTime<Utc>>>>,
}

impl Clock {
    pub fn system() -> Self {
        Self { fixed: None }
    }

    /// A clock that stands still at `at` until moved with [`Clock::advance`].
    pub fn fixed(at: DateTime<Utc>) -> Self {
        Self { fixed: Some(Arc::new(Mutex::new(at))) }
    }

    /// Now, truncated to microseconds: PostgreSQL keeps microseconds and SQLite
    /// nanoseconds, and both backends must compare stored times equal.
    pub fn now(&self) -> DateTime<Utc> {
        let now = match &self.fixed {
            Some(t) => *t.lock().unwrap_or_else(PoisonError::into_inner),
            None => Utc::now(),
        };
        now.trunc_subsecs(6)
    }

    /// Now as the naive UTC value stored in the database.
    pub fn now_naive(&self) -> NaiveDateTime {
        self.now().naive_utc()
    }

    /// Moves a fixed clock forward; a system clock cannot be moved.
    pub fn advance(&self, by: Duration) {
        if let Some(t) = &self.fixed {
            let mut t = t.lock().unwrap_or_else(PoisonError::into_inner);
            *t += by;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fixed_clock_moves_only_when_advanced() {
        let start =
            DateTime::parse_from_rfc3339("2026-06-20T09:00:00Z").expect("valid time").with_timezone(&Utc);
        let clock = Clock::fixed(start);
        assert_eq!(clock.now(), start);
        clock.advance(Duration::minutes(90));
        assert_eq!(clock.now(), start + Duration::minutes(90));
    }

    #[test]
    fn now_keeps_only_microseconds() {
        let clock = Clock::system();
        assert_eq!(clock.now().timestamp_subsec_nanos() % 1_000, 0);
    }
}
