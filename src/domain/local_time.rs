//! Wall-clock times in a meeting's IANA time zone, turned into UTC for storage. A local time
//! that does not exist (skipped by a DST change) or exists twice (repeated by one) is refused
//! with a message, never guessed.

use chrono::{LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone as _};
use chrono_tz::Tz;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LocalTimeError {
    #[error("{0:?} is not a time zone name; use an IANA name such as America/Denver or Europe/Copenhagen.")]
    UnknownZone(String),
    #[error("{0} does not exist in {1}: the clocks skip it for daylight saving time. Choose another time.")]
    Skipped(NaiveDateTime, Tz),
    #[error("{0} happens twice in {1} when daylight saving time ends. Choose another time.")]
    Ambiguous(NaiveDateTime, Tz),
    #[error("Choose a time zone from the list.")]
    NoneChosen,
    #[error("{0:?} is not in the list of time zones. Choose the zone from the list, like America/Denver.")]
    NotListed(String),
}

/// The areas of the IANA names of places ("Europe/Copenhagen"); the names outside them are
/// old aliases ("US/Mountain") or fixed offsets ("Etc/GMT+5").
const AREAS: [&str; 9] =
    ["Africa", "America", "Antarctica", "Asia", "Atlantic", "Australia", "Europe", "Indian", "Pacific"];

/// The time zones a person chooses from (a `<select>`, never typed): chrono-tz's IANA
/// names of places, sorted, and UTC.
pub fn zone_choices() -> &'static [&'static str] {
    static CHOICES: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    CHOICES.get_or_init(|| {
        let mut names: Vec<&'static str> = chrono_tz::TZ_VARIANTS
            .iter()
            .map(|z| z.name())
            .filter(|n| n.split_once('/').is_some_and(|(area, _)| AREAS.contains(&area)) || *n == "UTC")
            .collect();
        names.sort_unstable();
        names
    })
}

/// The zone chosen from [`zone_choices`]; any other name is refused.
pub fn chosen_zone(name: &str) -> Result<Tz, LocalTimeError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(LocalTimeError::NoneChosen);
    }
    if !zone_choices().contains(&name) {
        return Err(LocalTimeError::NotListed(name.to_owned()));
    }
    parse_zone(name)
}

pub fn parse_zone(name: &str) -> Result<Tz, LocalTimeError> {
    name.trim().parse::<Tz>().map_err(|_| LocalTimeError::UnknownZone(name.trim().to_owned()))
}

/// The UTC instant of `date` at `time` on the wall clocks of `zone`.
pub fn to_utc(date: NaiveDate, time: NaiveTime, zone: Tz) -> Result<NaiveDateTime, LocalTimeError> {
    let local = date.and_time(time);
    match zone.from_local_datetime(&local) {
        LocalResult::Single(t) => Ok(t.naive_utc()),
        LocalResult::None => Err(LocalTimeError::Skipped(local, zone)),
        LocalResult::Ambiguous(..) => Err(LocalTimeError::Ambiguous(local, zone)),
    }
}

/// The UTC instant a local day begins in `zone`: its midnight, or the first hour after it
/// when a DST change skips midnight (as in some zones).
pub fn day_start(date: NaiveDate, zone: Tz) -> NaiveDateTime {
    (0..3)
        .find_map(|h| match zone.from_local_datetime(&date.and_hms_opt(h, 0, 0)?) {
            LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => Some(t.naive_utc()),
            LocalResult::None => None,
        })
        .unwrap_or_else(|| date.and_time(NaiveTime::MIN))
}

/// A stored UTC instant on the wall clocks of `zone`.
pub fn to_local(utc: NaiveDateTime, zone: Tz) -> NaiveDateTime {
    zone.from_utc_datetime(&utc).naive_local()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
    }

    fn time(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).expect("valid time")
    }

    #[test]
    fn a_summer_time_in_denver_is_six_hours_behind_utc() {
        let utc = to_utc(date(2026, 6, 20), time(9, 0), chrono_tz::America::Denver).expect("exists");
        assert_eq!(utc, date(2026, 6, 20).and_time(time(15, 0)));
        assert_eq!(to_local(utc, chrono_tz::America::Denver), date(2026, 6, 20).and_time(time(9, 0)));
    }

    #[test]
    fn a_time_skipped_by_the_spring_change_is_refused() {
        let err = to_utc(date(2026, 3, 29), time(2, 30), chrono_tz::Europe::Copenhagen).expect_err("skipped");
        assert!(matches!(err, LocalTimeError::Skipped(..)));
        assert!(err.to_string().contains("does not exist"));
    }

    #[test]
    fn a_time_repeated_by_the_autumn_change_is_refused() {
        let err = to_utc(date(2026, 10, 25), time(2, 30), chrono_tz::Europe::Copenhagen).expect_err("twice");
        assert!(matches!(err, LocalTimeError::Ambiguous(..)));
    }

    #[test]
    fn a_day_starts_at_local_midnight() {
        let start = day_start(date(2026, 6, 20), chrono_tz::America::Denver);
        assert_eq!(start, date(2026, 6, 20).and_time(time(6, 0)));
        let start = day_start(date(2026, 10, 25), chrono_tz::Europe::Copenhagen);
        assert_eq!(start, date(2026, 10, 24).and_time(time(22, 0)));
    }

    #[test]
    fn a_day_whose_midnight_is_skipped_starts_at_one() {
        // Santiago de Chile moves its clocks from 00:00 to 01:00 on 2026-09-06.
        let start = day_start(date(2026, 9, 6), chrono_tz::America::Santiago);
        assert_eq!(to_local(start, chrono_tz::America::Santiago), date(2026, 9, 6).and_time(time(1, 0)));
    }

    #[test]
    fn the_zones_to_choose_from_are_places_and_utc_without_aliases() {
        let choices = zone_choices();
        for listed in ["America/Denver", "Europe/Copenhagen", "Asia/Tokyo", "UTC"] {
            assert!(choices.contains(&listed), "{listed}");
            assert!(chosen_zone(listed).is_ok(), "{listed}");
        }
        for alias in ["US/Mountain", "Etc/GMT+5", "EST5EDT", "Mountain Time"] {
            assert!(!choices.contains(&alias), "{alias}");
            assert_eq!(chosen_zone(alias), Err(LocalTimeError::NotListed(alias.into())));
        }
        assert!(choices.is_sorted());
    }

    #[test]
    fn unknown_zones_are_refused_and_known_ones_parse() {
        assert!(parse_zone("Mars/Olympus").is_err());
        assert_eq!(parse_zone(" America/Toronto ").expect("known"), chrono_tz::America::Toronto);
    }
}
