//! The co-location rule: each meeting sits right before or right after that year's FIRST
//! conference, in the same city, without overlapping it.

use std::fmt;

use chrono::{Datelike, Days, NaiveDate, Weekday};

/// A run of whole days, first and last included; never empty.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DateRange {
    first: NaiveDate,
    last: NaiveDate,
}

/// On which side of the FIRST conference the meeting falls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Side {
    Before,
    After,
}

/// Why a pair of dates was refused, worded for the organizer filling in the meeting form.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ColocationError {
    #[error("The last day ({}) is before the first day ({}).", long_date(*.last), long_date(*.first))]
    LastBeforeFirst { first: NaiveDate, last: NaiveDate },
    #[error("The meeting overlaps the FIRST conference ({conference}).")]
    Overlap { conference: DateRange },
    #[error("{}", too_far_message(*.side, *.gap_days, *.max_gap_days, .meeting, .conference))]
    TooFarApart { side: Side, gap_days: i64, max_gap_days: i64, meeting: DateRange, conference: DateRange },
}

impl DateRange {
    pub fn new(first: NaiveDate, last: NaiveDate) -> Result<DateRange, ColocationError> {
        if last < first {
            return Err(ColocationError::LastBeforeFirst { first, last });
        }
        Ok(DateRange { first, last })
    }

    pub fn first(&self) -> NaiveDate {
        self.first
    }

    pub fn last(&self) -> NaiveDate {
        self.last
    }

    /// How many days the range covers, both ends included: a one-day range has 1.
    pub fn days(&self) -> i64 {
        (self.last - self.first).num_days() + 1
    }

    pub fn contains(&self, day: NaiveDate) -> bool {
        self.first <= day && day <= self.last
    }

    /// Whether the two ranges share at least one day.
    pub fn overlaps(&self, other: &DateRange) -> bool {
        self.first <= other.last && other.first <= self.last
    }
}

/// "Sun 14 June – Fri 19 June 2026"; the year is written once when both ends share it.
impl fmt::Display for DateRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.first == self.last {
            f.write_str(&long_date(self.first))
        } else if self.first.year() == self.last.year() {
            write!(f, "{} – {}", self.first.format("%a %-d %B"), long_date(self.last))
        } else {
            write!(f, "{} – {}", long_date(self.first), long_date(self.last))
        }
    }
}

/// Checks that `meeting` sits next to `conference`: no shared day, and at most
/// `max_gap_days` whole days strictly between them (a Saturday start after a Friday end is
/// a gap of 0). A negative `max_gap_days` counts as 0.
pub fn check(
    meeting: &DateRange,
    conference: &DateRange,
    max_gap_days: i64,
) -> Result<Side, ColocationError> {
    if meeting.overlaps(conference) {
        return Err(ColocationError::Overlap { conference: *conference });
    }
    let (side, gap_days) = if meeting.first > conference.last {
        (Side::After, (meeting.first - conference.last).num_days() - 1)
    } else {
        (Side::Before, (conference.first - meeting.last).num_days() - 1)
    };
    let max_gap_days = max_gap_days.max(0);
    if gap_days > max_gap_days {
        return Err(ColocationError::TooFarApart {
            side,
            gap_days,
            max_gap_days,
            meeting: *meeting,
            conference: *conference,
        });
    }
    Ok(side)
}

/// The usual slot: the first Saturday after the conference's last day and the Sunday after
/// it. FIRST runs Sunday to Friday, so this is normally the weekend right after it.
pub fn suggested_slot(conference: &DateRange) -> DateRange {
    let last = conference.last;
    // 1..=7 days ahead: a conference ending on a Saturday gets the next Saturday, never
    // its own last day.
    let ahead = 7 - u64::from(last.weekday().days_since(Weekday::Sat));
    let saturday = add_days(last, ahead);
    DateRange { first: saturday, last: add_days(saturday, 1) }
}

/// Whether two city names name different places once case, spacing, punctuation and
/// common accents are set aside ("Montréal" and " montreal " are the same city).
pub fn cities_differ(a: &str, b: &str) -> bool {
    fold_city(a) != fold_city(b)
}

fn fold_city(city: &str) -> String {
    let mut folded = String::with_capacity(city.len());
    let mut pending_space = false;
    for c in city.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            if pending_space && !folded.is_empty() {
                folded.push(' ');
            }
            pending_space = false;
            folded.push_str(&fold_char(c));
        } else {
            // Spaces, hyphens and apostrophes all separate words: "Saint-Denis" is
            // "Saint Denis", and "L'Aquila" is "L Aquila".
            pending_space = true;
        }
    }
    folded
}

fn fold_char(c: char) -> String {
    let base = match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
        'æ' => "ae",
        'ç' | 'ć' | 'č' | 'ĉ' | 'ċ' => "c",
        'ď' | 'đ' | 'ð' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => "e",
        'ğ' | 'ġ' | 'ģ' => "g",
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'į' | 'ı' => "i",
        'ķ' => "k",
        'ł' | 'ľ' | 'ļ' | 'ĺ' => "l",
        'ñ' | 'ń' | 'ň' | 'ņ' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => "o",
        'œ' => "oe",
        'ř' | 'ŕ' => "r",
        'ś' | 'š' | 'ş' | 'ș' => "s",
        'ß' => "ss",
        'ť' | 'ţ' | 'ț' => "t",
        'þ' => "th",
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' | 'ų' => "u",
        'ý' | 'ÿ' => "y",
        'ź' | 'ż' | 'ž' => "z",
        other => return other.to_string(),
    };
    base.to_owned()
}

fn add_days(day: NaiveDate, days: u64) -> NaiveDate {
    // Only fails near the end of chrono's calendar; saturating keeps this a total function.
    day.checked_add_days(Days::new(days)).unwrap_or(NaiveDate::MAX)
}

fn long_date(day: NaiveDate) -> String {
    day.format("%a %-d %B %Y").to_string()
}

fn too_far_message(
    side: Side,
    gap_days: i64,
    max_gap_days: i64,
    meeting: &DateRange,
    conference: &DateRange,
) -> String {
    let between = match side {
        Side::After => format!(
            "the FIRST conference (ends {}) and the meeting (starts {})",
            long_date(conference.last),
            long_date(meeting.first)
        ),
        Side::Before => format!(
            "the meeting (ends {}) and the FIRST conference (starts {})",
            long_date(meeting.last),
            long_date(conference.first)
        ),
    };
    let there_are =
        if gap_days == 1 { "There is 1 day".to_owned() } else { format!("There are {gap_days} days") };
    let allowed = match max_gap_days {
        0 => "they must be on consecutive days".to_owned(),
        1 => "at most 1 is allowed".to_owned(),
        n => format!("at most {n} are allowed"),
    };
    format!("{there_are} between {between}; {allowed}.")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
    }

    fn range(first: (i32, u32, u32), last: (i32, u32, u32)) -> DateRange {
        DateRange::new(day(first.0, first.1, first.2), day(last.0, last.1, last.2)).expect("valid range")
    }

    /// FIRST 2026 in Denver: Sunday 14 to Friday 19 June.
    fn denver() -> DateRange {
        range((2026, 6, 14), (2026, 6, 19))
    }

    #[test]
    fn a_range_counts_both_ends() {
        assert_eq!(denver().days(), 6);
        assert_eq!(range((2026, 6, 20), (2026, 6, 20)).days(), 1);
        assert_eq!(denver().first(), day(2026, 6, 14));
        assert_eq!(denver().last(), day(2026, 6, 19));
    }

    #[test]
    fn a_range_ending_before_it_starts_is_refused() {
        let err = DateRange::new(day(2026, 6, 14), day(2026, 6, 12)).expect_err("backwards");
        assert_eq!(
            err.to_string(),
            "The last day (Fri 12 June 2026) is before the first day (Sun 14 June 2026)."
        );
    }

    #[test]
    fn a_range_shows_the_year_once_when_both_ends_share_it() {
        assert_eq!(denver().to_string(), "Sun 14 June – Fri 19 June 2026");
        assert_eq!(
            range((2026, 12, 30), (2027, 1, 1)).to_string(),
            "Wed 30 December 2026 – Fri 1 January 2027"
        );
        assert_eq!(range((2026, 6, 20), (2026, 6, 20)).to_string(), "Sat 20 June 2026");
    }

    #[test]
    fn a_saturday_start_after_a_friday_end_is_a_gap_of_zero() {
        assert_eq!(check(&range((2026, 6, 20), (2026, 6, 21)), &denver(), 0), Ok(Side::After));
    }

    #[test]
    fn a_gap_of_exactly_the_maximum_is_allowed() {
        // Saturday 20 and Sunday 21 lie between.
        assert_eq!(check(&range((2026, 6, 22), (2026, 6, 23)), &denver(), 2), Ok(Side::After));
    }

    #[test]
    fn a_gap_of_one_more_than_the_maximum_is_refused_with_the_dates() {
        let err = check(&range((2026, 6, 23), (2026, 6, 24)), &denver(), 2).expect_err("too far");
        assert!(matches!(
            err,
            ColocationError::TooFarApart { gap_days: 3, max_gap_days: 2, side: Side::After, .. }
        ));
        assert_eq!(
            err.to_string(),
            "There are 3 days between the FIRST conference (ends Fri 19 June 2026) and the meeting \
             (starts Tue 23 June 2026); at most 2 are allowed."
        );
    }

    #[test]
    fn the_gap_message_reads_well_in_the_singular_and_with_no_gap_allowed() {
        let one_day = check(&range((2026, 6, 21), (2026, 6, 22)), &denver(), 0).expect_err("too far");
        assert_eq!(
            one_day.to_string(),
            "There is 1 day between the FIRST conference (ends Fri 19 June 2026) and the meeting \
             (starts Sun 21 June 2026); they must be on consecutive days."
        );
        let two_days = check(&range((2026, 6, 22), (2026, 6, 22)), &denver(), 1).expect_err("too far");
        assert!(two_days.to_string().ends_with("; at most 1 is allowed."), "{two_days}");
    }

    #[test]
    fn a_negative_maximum_gap_counts_as_zero() {
        assert_eq!(check(&range((2026, 6, 20), (2026, 6, 21)), &denver(), -1), Ok(Side::After));
        let err = check(&range((2026, 6, 21), (2026, 6, 21)), &denver(), -1).expect_err("too far");
        assert!(matches!(err, ColocationError::TooFarApart { gap_days: 1, max_gap_days: 0, .. }));
    }

    #[test]
    fn a_meeting_before_the_conference_is_allowed() {
        assert_eq!(check(&range((2026, 6, 12), (2026, 6, 13)), &denver(), 0), Ok(Side::Before));
        assert_eq!(check(&range((2026, 6, 10), (2026, 6, 11)), &denver(), 2), Ok(Side::Before));
    }

    #[test]
    fn a_meeting_too_long_before_the_conference_is_refused_with_the_dates() {
        let err = check(&range((2026, 6, 6), (2026, 6, 7)), &denver(), 2).expect_err("too far");
        assert_eq!(
            err.to_string(),
            "There are 6 days between the meeting (ends Sun 7 June 2026) and the FIRST conference \
             (starts Sun 14 June 2026); at most 2 are allowed."
        );
    }

    #[test]
    fn overlapping_the_conference_by_one_day_is_refused() {
        let after = check(&range((2026, 6, 19), (2026, 6, 20)), &denver(), 2).expect_err("overlap");
        assert_eq!(after, ColocationError::Overlap { conference: denver() });
        assert_eq!(
            after.to_string(),
            "The meeting overlaps the FIRST conference (Sun 14 June – Fri 19 June 2026)."
        );
        let before = check(&range((2026, 6, 13), (2026, 6, 14)), &denver(), 2).expect_err("overlap");
        assert_eq!(before, ColocationError::Overlap { conference: denver() });
    }

    #[test]
    fn a_meeting_inside_or_around_the_conference_is_refused() {
        for meeting in [range((2026, 6, 15), (2026, 6, 16)), range((2026, 6, 13), (2026, 6, 20))] {
            assert!(
                matches!(check(&meeting, &denver(), 2), Err(ColocationError::Overlap { .. })),
                "{meeting}"
            );
        }
    }

    #[test]
    fn the_2026_edition_suggests_the_weekend_after_denver() {
        let slot = suggested_slot(&denver());
        assert_eq!(slot, range((2026, 6, 20), (2026, 6, 21)));
        assert_eq!(slot.first().weekday(), Weekday::Sat);
        assert_eq!(check(&slot, &denver(), 0), Ok(Side::After));
    }

    #[test]
    fn the_2025_edition_suggests_the_weekend_after_copenhagen() {
        let copenhagen = range((2025, 6, 22), (2025, 6, 27));
        assert_eq!(suggested_slot(&copenhagen), range((2025, 6, 28), (2025, 6, 29)));
    }

    #[test]
    fn a_conference_ending_midweek_gets_the_following_weekend() {
        // Ends Wednesday 17 June 2026.
        assert_eq!(suggested_slot(&range((2026, 6, 14), (2026, 6, 17))), range((2026, 6, 20), (2026, 6, 21)));
    }

    #[test]
    fn a_conference_ending_on_a_saturday_gets_the_next_saturday() {
        assert_eq!(suggested_slot(&range((2026, 6, 15), (2026, 6, 20))), range((2026, 6, 27), (2026, 6, 28)));
    }

    #[test]
    fn the_suggested_slot_crosses_a_year_end() {
        // Ends Thursday 31 December 2026.
        assert_eq!(suggested_slot(&range((2026, 12, 27), (2026, 12, 31))), range((2027, 1, 2), (2027, 1, 3)));
    }

    #[test]
    fn cities_that_differ_only_by_accents_case_or_spacing_are_the_same() {
        assert!(!cities_differ("Montréal", "Montreal"));
        assert!(!cities_differ("  São   Paulo ", "sao paulo"));
        assert!(!cities_differ("KRAKÓW", "Krakow"));
        assert!(!cities_differ("Saint-Denis", "Saint Denis"));
        assert!(!cities_differ("Düsseldorf", "Dusseldorf"));
    }

    #[test]
    fn different_cities_differ() {
        assert!(cities_differ("Denver", "Copenhagen"));
        assert!(cities_differ("Montreal", "Montreuil"));
        assert!(cities_differ("Denver", ""));
    }
}
