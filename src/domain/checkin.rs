//! Checking people in at the door: which day a check-in counts for (the meeting's own
//! day, on its wall clocks), which days may take one, and finding a person by name.
//!
//! A check-in outside the meeting's days is refused rather than stored: organizers can
//! try the page (search, the counts) before the meeting, but nothing written then could
//! count for a day, so nothing is written.

use chrono::NaiveDate;

/// Why no check-in can be marked today.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CheckinError {
    #[error(
        "Check-in opens on the meeting's first day, {first}. Today is {today} in the meeting's time \
         zone. Nothing was saved."
    )]
    TooEarly { first: String, today: String },
    #[error("The meeting ended on {last}. Today is {today} in the meeting's time zone. Nothing was saved.")]
    Over { last: String, today: String },
}

/// How the pages write a day: "Sat 20 June 2026".
pub fn day_label(day: NaiveDate) -> String {
    day.format("%a %-d %B %Y").to_string()
}

/// `today` (the meeting's local date) if it is one of the meeting's days.
pub fn day_for(today: NaiveDate, first: NaiveDate, last: NaiveDate) -> Result<NaiveDate, CheckinError> {
    if today < first {
        Err(CheckinError::TooEarly { first: day_label(first), today: day_label(today) })
    } else if today > last {
        Err(CheckinError::Over { last: day_label(last), today: day_label(today) })
    } else {
        Ok(today)
    }
}

/// Every day of the meeting, first to last.
pub fn days(first: NaiveDate, last: NaiveDate) -> Vec<NaiveDate> {
    first.iter_days().take_while(|d| *d <= last).collect()
}

/// The printouts' and the search results' order: team country, then name in any case
/// (the same on both backends, whose collations differ).
pub fn door_order(country: &str, name: &str) -> (String, String) {
    (country.to_owned(), name.to_lowercase())
}

/// Whether a person answers to `query`: every word of it appears, in any case, in one of
/// their `names` (account name, badge name). Lower-casing happens here rather than in SQL
/// so that both backends fold non-ASCII letters the same way (SQLite's `lower` folds only
/// ASCII).
pub fn matches(query: &str, names: &[&str]) -> bool {
    let haystack: Vec<String> = names.iter().map(|n| n.to_lowercase()).collect();
    let mut words = query.split_whitespace().map(str::to_lowercase).peekable();
    words.peek().is_some() && words.all(|w| haystack.iter().any(|h| h.contains(&w)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).expect("valid date")
    }

    #[test]
    fn a_meeting_day_is_its_own_check_in_day() {
        assert_eq!(day_for(d(6, 20), d(6, 20), d(6, 21)), Ok(d(6, 20)));
        assert_eq!(day_for(d(6, 21), d(6, 20), d(6, 21)), Ok(d(6, 21)));
    }

    #[test]
    fn before_and_after_the_meeting_check_in_is_refused_with_the_dates() {
        let early = day_for(d(6, 19), d(6, 20), d(6, 21)).expect_err("too early").to_string();
        assert!(early.contains("Sat 20 June 2026") && early.contains("Fri 19 June 2026"), "{early}");
        let over = day_for(d(6, 22), d(6, 20), d(6, 21)).expect_err("over").to_string();
        assert!(over.contains("ended on Sun 21 June 2026"), "{over}");
    }

    #[test]
    fn the_days_run_from_first_to_last() {
        assert_eq!(days(d(6, 20), d(6, 22)), [d(6, 20), d(6, 21), d(6, 22)]);
        assert_eq!(days(d(6, 20), d(6, 20)), [d(6, 20)]);
    }

    #[test]
    fn a_search_matches_every_word_in_any_case_in_either_name() {
        assert!(matches("ana", &["Ana Example", ""]));
        assert!(matches("EXAMPLE ana", &["Ana Example", ""]));
        assert!(matches("ñandú", &["Ñandú Pérez", ""]));
        assert!(matches("ÅSA", &["åsa Lind", ""]));
        assert!(matches("Nan", &["Ana Example", "Nana"]));
        assert!(!matches("ana bob", &["Ana Example", ""]));
    }

    #[test]
    fn the_door_order_is_country_then_name_in_any_case() {
        let mut people = [("DE", "bob"), ("AT", "Zoe"), ("DE", "Anna"), ("AT", "adam")];
        people.sort_by_key(|(c, n)| door_order(c, n));
        assert_eq!(people, [("AT", "adam"), ("AT", "Zoe"), ("DE", "Anna"), ("DE", "bob")]);
    }

    #[test]
    fn an_empty_search_matches_nobody() {
        assert!(!matches("  ", &["Ana Example"]));
    }
}
