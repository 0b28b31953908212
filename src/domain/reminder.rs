//! Reminders before a meeting: the days before its first day on which approved attendees
//! are reminded (organizers set them per meeting, "7, 1" by default), which reminder is due
//! at a given moment, and the outbox key that makes each go out once.

use chrono::{Days as DayCount, NaiveDate, NaiveDateTime, NaiveTime};
use chrono_tz::Tz;

use super::local_time::{day_start, to_utc};

/// The days when a meeting has no setting of its own.
pub const DEFAULT_DAYS: &str = "7, 1";
/// At most this many reminders per meeting.
pub const MAX_REMINDERS: usize = 5;
/// A reminder is at most this many days before the meeting.
pub const MAX_DAYS: u32 = 60;
/// A reminder of `d` days is due at this hour of the meeting's clocks, `d` days before its
/// first day: in the morning, not at midnight.
pub const SEND_HOUR: u32 = 8;
/// The outbox key of every reminder starts so (`key`); the worker knows them by it.
pub const KEY_PREFIX: &str = "reminder:";

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DaysError {
    #[error("Enter at least one number of days, such as 7, 1.")]
    Empty,
    #[error("“{0}” is not a whole number of days. Write numbers separated by commas, such as 7, 1.")]
    NotANumber(String),
    #[error("{0} is outside 1 to 60 days.")]
    OutOfRange(u32),
    #[error("{0} is written twice.")]
    Repeated(u32),
    #[error("At most 5 reminders.")]
    TooMany,
}

/// The days before the meeting, largest first, each once, within 1–[`MAX_DAYS`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReminderDays(Vec<u32>);

impl ReminderDays {
    /// "7, 1", "7,1", "1 7" and "7; 1" all read as 7 and 1.
    pub fn parse(raw: &str) -> Result<Self, DaysError> {
        let mut days = Vec::new();
        for word in raw.split([',', ';', ' ', '\t']).map(str::trim).filter(|w| !w.is_empty()) {
            let d: u32 = match word.parse() {
                Ok(d) if word.chars().all(|c| c.is_ascii_digit()) => d,
                _ => return Err(DaysError::NotANumber(word.chars().take(20).collect())),
            };
            if !(1..=MAX_DAYS).contains(&d) {
                return Err(DaysError::OutOfRange(d));
            }
            if days.contains(&d) {
                return Err(DaysError::Repeated(d));
            }
            days.push(d);
        }
        if days.is_empty() {
            return Err(DaysError::Empty);
        }
        if days.len() > MAX_REMINDERS {
            return Err(DaysError::TooMany);
        }
        days.sort_unstable_by(|a, b| b.cmp(a));
        Ok(Self(days))
    }

    /// A stored value; one that no longer parses (never written so) falls back to the default.
    pub fn stored(raw: &str) -> Self {
        Self::parse(raw).unwrap_or_else(|_| Self(vec![7, 1]))
    }

    pub fn days(&self) -> &[u32] {
        &self.0
    }

    /// "7, 1": how the form shows and the table stores them.
    pub fn text(&self) -> String {
        self.0.iter().map(u32::to_string).collect::<Vec<_>>().join(", ")
    }

    /// The reminder due at `now` for a meeting whose first day is `first_day` in `zone`:
    /// the one whose moment has come and whose next (smaller) one has not, or none once the
    /// meeting's first day has begun. A reminder whose time passed while a smaller one is
    /// already due is not sent late: the person gets the nearer one only.
    pub fn due(&self, first_day: NaiveDate, zone: Tz, now: NaiveDateTime) -> Option<u32> {
        let start = day_start(first_day, zone);
        self.0.iter().enumerate().find_map(|(i, &d)| {
            let from = due_at(first_day, d, zone);
            let until = self.0.get(i + 1).map_or(start, |&next| due_at(first_day, next, zone));
            (from <= now && now < until).then_some(d)
        })
    }
}

/// When the reminder of `d` days before `first_day` is due: [`SEND_HOUR`] on the meeting's
/// clocks that day (the day's start should that hour not exist there).
pub fn due_at(first_day: NaiveDate, d: u32, zone: Tz) -> NaiveDateTime {
    let day = first_day - DayCount::new(u64::from(d));
    let hour = NaiveTime::from_hms_opt(SEND_HOUR, 0, 0).unwrap_or(NaiveTime::MIN);
    to_utc(day, hour, zone).unwrap_or_else(|_| day_start(day, zone))
}

/// The outbox key of the reminder of `d` days to registration `id`.
pub fn key(registration_id: i64, d: u32) -> String {
    format!("{KEY_PREFIX}{registration_id}:{d}")
}

/// The registration a reminder's outbox key names; `None` for any other key.
pub fn registration_of(key: &str) -> Option<(i64, u32)> {
    let (id, d) = key.strip_prefix(KEY_PREFIX)?.split_once(':')?;
    Some((id.parse().ok()?, d.parse().ok()?))
}

/// Whole days from `today` to `first_day` (the mail's "in 7 days").
pub fn days_until(today: NaiveDate, first_day: NaiveDate) -> i64 {
    (first_day - today).num_days()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).expect("date")
    }

    fn at(m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        date(m, d).and_hms_opt(h, min, 0).expect("time")
    }

    #[test]
    fn days_parse_in_any_order_and_separator_largest_first() {
        for raw in ["7, 1", "7,1", "1 7", " 1;7 "] {
            assert_eq!(ReminderDays::parse(raw).map(|d| d.text()), Ok("7, 1".into()), "{raw}");
        }
        assert_eq!(ReminderDays::parse(DEFAULT_DAYS).expect("default").days(), &[7, 1]);
    }

    #[test]
    fn bad_days_are_refused_with_a_reason() {
        assert_eq!(ReminderDays::parse(" , "), Err(DaysError::Empty));
        assert_eq!(ReminderDays::parse("7, x"), Err(DaysError::NotANumber("x".into())));
        assert_eq!(ReminderDays::parse("-1"), Err(DaysError::NotANumber("-1".into())));
        assert_eq!(ReminderDays::parse("+3"), Err(DaysError::NotANumber("+3".into())));
        assert_eq!(ReminderDays::parse("0"), Err(DaysError::OutOfRange(0)));
        assert_eq!(ReminderDays::parse("61"), Err(DaysError::OutOfRange(61)));
        assert_eq!(ReminderDays::parse("7, 7"), Err(DaysError::Repeated(7)));
        assert_eq!(ReminderDays::parse("1 2 3 4 5 6"), Err(DaysError::TooMany));
        assert_eq!(ReminderDays::stored("nonsense").days(), &[7, 1]);
    }

    #[test]
    fn each_reminder_is_due_from_eight_on_the_meetings_clocks_until_the_next() {
        let zone: Tz = "America/Denver".parse().expect("zone");
        let days = ReminderDays::parse("7, 1").expect("days");
        let first = date(6, 20);
        // 08:00 MDT is 14:00 UTC.
        assert_eq!(days.due(first, zone, at(6, 13, 13, 59)), None);
        assert_eq!(days.due(first, zone, at(6, 13, 14, 0)), Some(7));
        assert_eq!(days.due(first, zone, at(6, 19, 13, 59)), Some(7));
        assert_eq!(days.due(first, zone, at(6, 19, 14, 0)), Some(1));
        // The first day begins at 06:00 UTC: nothing is due any more.
        assert_eq!(days.due(first, zone, at(6, 20, 5, 59)), Some(1));
        assert_eq!(days.due(first, zone, at(6, 20, 6, 0)), None);
        assert_eq!(days.due(first, zone, at(5, 1, 9, 0)), None);
    }

    #[test]
    fn due_times_follow_the_zone_across_a_dst_change() {
        // Copenhagen goes from CEST to CET on 25 October 2026.
        let zone: Tz = "Europe/Copenhagen".parse().expect("zone");
        assert_eq!(due_at(date(10, 31), 7, zone), at(10, 24, 6, 0), "08:00 CEST");
        assert_eq!(due_at(date(10, 31), 1, zone), at(10, 30, 7, 0), "08:00 CET");
    }

    #[test]
    fn keys_name_the_registration_and_the_days() {
        assert_eq!(key(42, 7), "reminder:42:7");
        assert_eq!(registration_of("reminder:42:7"), Some((42, 7)));
        assert_eq!(registration_of("offer:42:7"), None);
        assert_eq!(registration_of("reminder:x:7"), None);
        assert_eq!(days_until(date(6, 13), date(6, 20)), 7);
    }
}
