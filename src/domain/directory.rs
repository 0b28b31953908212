//! How long a meeting's attendee directory stays readable (issue 19, point 2): its
//! approved attendees keep it for a configured number of whole months after the meeting's
//! last day (`directory.readable_months_after`), then it closes for everyone.

use chrono::{Days, Months, NaiveDate};

/// The first day, on the meeting's clocks, on which the directory is closed: the day after
/// the last day, `months` later (a day missing in the target month counts as the month's
/// last, so 31 January plus one month is the end of February).
pub fn closes_on(last_day: NaiveDate, months: u32) -> NaiveDate {
    let after = last_day.checked_add_days(Days::new(1)).unwrap_or(last_day);
    after.checked_add_months(Months::new(months)).unwrap_or(NaiveDate::MAX)
}

/// Whether the directory is readable on `today` (the meeting's local date).
pub fn is_open(last_day: NaiveDate, months: u32, today: NaiveDate) -> bool {
    today < closes_on(last_day, months)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("date")
    }

    #[test]
    fn the_directory_stays_open_twelve_months_after_the_last_day() {
        let last = day(2026, 6, 21);
        assert_eq!(closes_on(last, 12), day(2027, 6, 22));
        assert!(is_open(last, 12, day(2026, 1, 1)));
        assert!(is_open(last, 12, day(2027, 6, 21)));
        assert!(!is_open(last, 12, day(2027, 6, 22)));
    }

    #[test]
    fn zero_months_closes_it_the_day_after_the_meeting() {
        assert!(is_open(day(2026, 6, 21), 0, day(2026, 6, 21)));
        assert!(!is_open(day(2026, 6, 21), 0, day(2026, 6, 22)));
    }

    #[test]
    fn a_day_missing_in_the_target_month_is_its_last() {
        assert_eq!(closes_on(day(2026, 1, 30), 1), day(2026, 2, 28));
    }
}
