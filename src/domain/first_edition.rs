//! The rule between FIRST conference editions as organizers keep them: the conference is
//! held once a year, so no two editions share a day.

use super::colocation::DateRange;

/// Why an edition's days were refused, worded for the organizer filling in its form.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "These days overlap {name} ({days}). Editions never share a day: correct the days, or edit that edition."
)]
pub struct Overlap {
    pub name: String,
    pub days: DateRange,
}

/// The first of `others` (name and days) that shares a day with `days`.
pub fn check_overlap<'a>(
    days: &DateRange,
    others: impl IntoIterator<Item = (&'a str, DateRange)>,
) -> Result<(), Overlap> {
    match others.into_iter().find(|(_, other)| days.overlaps(other)) {
        Some((name, other)) => Err(Overlap { name: name.to_owned(), days: other }),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;

    fn range(first: (u32, u32), last: (u32, u32)) -> DateRange {
        let day = |(m, d)| NaiveDate::from_ymd_opt(2027, m, d).expect("valid date");
        DateRange::new(day(first), day(last)).expect("valid range")
    }

    #[test]
    fn sharing_one_day_with_another_edition_is_refused_with_its_name_and_days() {
        let others = [("FIRST Conference 2027", range((6, 13), (6, 18)))];
        let err = check_overlap(&range((6, 18), (6, 20)), others).expect_err("overlap");
        assert_eq!(
            err.to_string(),
            "These days overlap FIRST Conference 2027 (Sun 13 June – Fri 18 June 2027). Editions never \
             share a day: correct the days, or edit that edition."
        );
    }

    #[test]
    fn editions_on_consecutive_days_do_not_overlap() {
        let others = [("A", range((6, 13), (6, 18))), ("B", range((6, 25), (6, 30)))];
        assert_eq!(check_overlap(&range((6, 19), (6, 24)), others), Ok(()));
        assert_eq!(check_overlap(&range((6, 19), (6, 24)), []), Ok(()));
    }
}
