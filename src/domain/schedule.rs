//! How the attendee's agenda writes a published day: times in the meeting's zone with the
//! weekday and the zone's abbreviation, and the local day each session falls on. The grid
//! of rooms × time is `agenda::grid`.

use chrono::{NaiveDate, NaiveDateTime, Offset as _};
use chrono_tz::Tz;

use super::local_time::to_local;

/// "Sat 20 June 2026, 09:00 MDT": a UTC instant on the meeting's wall clocks.
pub fn long_time(utc: NaiveDateTime, zone: Tz) -> String {
    zoned(utc, zone).format("%a %-d %B %Y, %H:%M %Z").to_string()
}

/// "09:00 MDT": the same instant, when the day is already said.
pub fn short_time(utc: NaiveDateTime, zone: Tz) -> String {
    zoned(utc, zone).format("%H:%M %Z").to_string()
}

/// A session's start and end on the meeting's clocks. Each carries its own zone when the
/// two differ, which happens when a DST change falls between them ("01:30 MST" and
/// "03:30 MDT": labelling both with the end's zone would put the start an hour off); when
/// they agree the zone is said once, after the end. The end carries its date when it falls
/// on another local day than the start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    /// The start: with its date when `dated`, with its zone only when the end's differs.
    pub start: String,
    /// The end: its clock and zone, with its date when it is on another local day.
    pub end: String,
}

impl Span {
    pub fn new(start: NaiveDateTime, end: NaiveDateTime, zone: Tz, dated: bool) -> Span {
        let (s, e) = (zoned(start, zone), zoned(end, zone));
        let zones_differ =
            s.offset().fix() != e.offset().fix() || s.format("%Z").to_string() != e.format("%Z").to_string();
        let start_format = match (dated, zones_differ) {
            (true, true) => "%a %-d %B %Y, %H:%M %Z",
            (true, false) => "%a %-d %B %Y, %H:%M",
            (false, true) => "%H:%M %Z",
            (false, false) => "%H:%M",
        };
        let end_format = if s.date_naive() == e.date_naive() { "%H:%M %Z" } else { "%a %-d %B %Y, %H:%M %Z" };
        Span { start: s.format(start_format).to_string(), end: e.format(end_format).to_string() }
    }
}

/// One line: "09:00–10:30 MDT" when only clocks stand on either side of the dash, spaced
/// ("01:30 MST – 03:30 MDT", "Sat 20 June 2026, 09:00 – 10:30 MDT") when either holds more.
impl std::fmt::Display for Span {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.start.contains(' ') || self.end.contains(',') {
            write!(f, "{} – {}", self.start, self.end)
        } else {
            write!(f, "{}–{}", self.start, self.end)
        }
    }
}

/// "Sat 20 June 2026": a day heading.
pub fn day_heading(day: NaiveDate) -> String {
    day.format("%a %-d %B %Y").to_string()
}

/// "2026-06-20T15:00:00Z": the machine-readable instant of a `<time>` element.
pub fn iso_utc(utc: NaiveDateTime) -> String {
    utc.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

fn zoned(utc: NaiveDateTime, zone: Tz) -> chrono::DateTime<Tz> {
    use chrono::TimeZone as _;
    zone.from_utc_datetime(&utc)
}

/// The meeting's day a session belongs to: the local date of its start.
pub fn local_day(utc: NaiveDateTime, zone: Tz) -> NaiveDate {
    to_local(utc, zone).date()
}

/// The days the agenda offers: every day of the meeting, and any other day a published
/// session starts on (none should, but a session must never be unreachable).
pub fn days(first: NaiveDate, last: NaiveDate, starts: &[NaiveDate]) -> Vec<NaiveDate> {
    let mut days: Vec<NaiveDate> = first.iter_days().take_while(|d| *d <= last).collect();
    days.extend(starts.iter().copied());
    days.sort();
    days.dedup();
    days
}

#[cfg(test)]
mod tests {
    use chrono::NaiveTime;

    use super::*;

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .expect("date")
            .and_time(NaiveTime::from_hms_opt(h, min, 0).expect("time"))
    }

    #[test]
    fn times_carry_the_weekday_and_the_zone() {
        let denver = chrono_tz::America::Denver;
        assert_eq!(long_time(at(2026, 6, 20, 15, 0), denver), "Sat 20 June 2026, 09:00 MDT");
        assert_eq!(short_time(at(2026, 6, 20, 16, 30), denver), "10:30 MDT");
        assert_eq!(iso_utc(at(2026, 6, 20, 15, 0)), "2026-06-20T15:00:00Z");
    }

    #[test]
    fn a_session_across_the_autumn_change_shows_both_offsets() {
        let cph = chrono_tz::Europe::Copenhagen;
        // 01:30 CEST and 03:30 CET on 25 October 2026: three hours apart.
        assert_eq!(long_time(at(2026, 10, 24, 23, 30), cph), "Sun 25 October 2026, 01:30 CEST");
        assert_eq!(short_time(at(2026, 10, 25, 2, 30), cph), "03:30 CET");
        assert_eq!(
            local_day(at(2026, 10, 24, 23, 30), cph),
            NaiveDate::from_ymd_opt(2026, 10, 25).expect("d")
        );
    }

    #[test]
    fn a_span_in_one_zone_says_the_zone_once() {
        let denver = chrono_tz::America::Denver;
        let span = Span::new(at(2026, 6, 20, 15, 0), at(2026, 6, 20, 16, 30), denver, false);
        assert_eq!(span, Span { start: "09:00".into(), end: "10:30 MDT".into() });
        assert_eq!(span.to_string(), "09:00–10:30 MDT");
        let dated = Span::new(at(2026, 6, 20, 15, 0), at(2026, 6, 20, 16, 30), denver, true);
        assert_eq!(dated.to_string(), "Sat 20 June 2026, 09:00 – 10:30 MDT");
    }

    #[test]
    fn a_span_across_the_spring_change_in_denver_shows_each_times_own_zone() {
        let denver = chrono_tz::America::Denver;
        // 8 March 2026: 02:00 MST becomes 03:00 MDT. 01:30 MST is 08:30 UTC, 03:30 MDT 09:30.
        let span = Span::new(at(2026, 3, 8, 8, 30), at(2026, 3, 8, 9, 30), denver, false);
        assert_eq!(span, Span { start: "01:30 MST".into(), end: "03:30 MDT".into() });
        assert_eq!(span.to_string(), "01:30 MST – 03:30 MDT");
        let dated = Span::new(at(2026, 3, 8, 8, 30), at(2026, 3, 8, 9, 30), denver, true);
        assert_eq!(dated.to_string(), "Sun 8 March 2026, 01:30 MST – 03:30 MDT");
    }

    #[test]
    fn a_span_across_the_autumn_change_in_copenhagen_shows_each_times_own_zone() {
        let cph = chrono_tz::Europe::Copenhagen;
        // 25 October 2026: 03:00 CEST becomes 02:00 CET. 01:30 CEST to 03:30 CET is 3 hours.
        let span = Span::new(at(2026, 10, 24, 23, 30), at(2026, 10, 25, 2, 30), cph, true);
        assert_eq!(span.to_string(), "Sun 25 October 2026, 01:30 CEST – 03:30 CET");
        let after = Span::new(at(2026, 10, 25, 8, 0), at(2026, 10, 25, 9, 0), cph, false);
        assert_eq!(after.to_string(), "09:00–10:00 CET", "after the change, one zone again");
    }

    #[test]
    fn a_span_past_midnight_dates_its_end() {
        let denver = chrono_tz::America::Denver;
        let span = Span::new(at(2026, 6, 21, 4, 0), at(2026, 6, 21, 7, 0), denver, true);
        assert_eq!(span.to_string(), "Sat 20 June 2026, 22:00 – Sun 21 June 2026, 01:00 MDT");
    }

    #[test]
    fn days_cover_the_meeting_and_any_stray_session() {
        let d = |n| NaiveDate::from_ymd_opt(2026, 6, n).expect("date");
        assert_eq!(days(d(20), d(21), &[d(20)]), [d(20), d(21)]);
        assert_eq!(days(d(20), d(21), &[d(23)]), [d(20), d(21), d(23)]);
    }
}
