//! When the sensitive answers of a registration (dietary and accessibility needs) are
//! deleted: a set number of days after the meeting's last day, as the privacy notice says.

use chrono::{Days, NaiveDate};

/// The latest last day of a meeting whose answers are due for deletion `today`: a meeting
/// that ended on day D is purged from day D + `days` on. `None` before the calendar starts.
pub fn purge_cutoff(today: NaiveDate, days: u32) -> Option<NaiveDate> {
    today.checked_sub_days(Days::new(u64::from(days)))
}

/// Whether a meeting that ended on `last_day` is due for the purge `today`.
pub fn purge_due(last_day: NaiveDate, today: NaiveDate, days: u32) -> bool {
    purge_cutoff(today, days).is_some_and(|cutoff| last_day <= cutoff)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().expect("a date")
    }

    #[test]
    fn answers_are_kept_until_the_last_day_plus_the_limit() {
        let last = day("2026-06-21");
        assert!(!purge_due(last, day("2026-07-20"), 30), "29 days after");
        assert!(purge_due(last, day("2026-07-21"), 30), "30 days after");
        assert!(purge_due(last, day("2026-12-01"), 30));
        assert!(!purge_due(last, day("2026-06-21"), 30), "the meeting's own last day");
    }

    #[test]
    fn a_limit_of_zero_purges_from_the_last_day_on() {
        assert!(purge_due(day("2026-06-21"), day("2026-06-21"), 0));
        assert!(!purge_due(day("2026-06-21"), day("2026-06-20"), 0));
    }

    #[test]
    fn the_cutoff_is_the_limit_before_today() {
        assert_eq!(purge_cutoff(day("2026-07-21"), 30), Some(day("2026-06-21")));
    }
}
