//! One calendar object as feeds and invites show it (a session, the meeting, the co-located
//! conference), and the VEVENT properties every output shares.

use chrono::{DateTime, Days, NaiveDate, Utc};
use ics::Event;
use ics::components::{Parameter, Property};
use ics::properties::{Description, DtEnd, DtStart, LastModified, Location, Sequence, Status, Summary};

use super::text;

/// When an object happens: sessions at UTC instants (S5: UTC is the safe choice, no
/// VTIMEZONE to get wrong), the meeting and the conference as whole days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    Timed {
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    },
    /// First and last day, both included; written with an exclusive DTEND.
    AllDay {
        first: NaiveDate,
        last: NaiveDate,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum WhenError {
    #[error("an event must end after it starts")]
    EndsBeforeStart,
    #[error("the last day comes before the first")]
    LastDayBeforeFirst,
}

impl When {
    pub fn timed(start: DateTime<Utc>, end: DateTime<Utc>) -> Result<When, WhenError> {
        if end <= start {
            return Err(WhenError::EndsBeforeStart);
        }
        Ok(When::Timed { start, end })
    }

    pub fn all_day(first: NaiveDate, last: NaiveDate) -> Result<When, WhenError> {
        if last < first {
            return Err(WhenError::LastDayBeforeFirst);
        }
        Ok(When::AllDay { first, last })
    }

    /// The instant the object starts, all-day objects at midnight UTC: only to order a feed.
    pub(crate) fn sort_key(&self) -> DateTime<Utc> {
        match *self {
            When::Timed { start, .. } => start,
            When::AllDay { first, .. } => first.and_time(chrono::NaiveTime::MIN).and_utc(),
        }
    }
}

/// The object's STATUS as stored. How it is written depends on the message (I4, I6, I7).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventStatus {
    Confirmed,
    Tentative,
    Cancelled,
}

/// A calendar object, already reduced to what may leave the app (T1 is applied before this:
/// see [`super::session`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarEvent {
    /// The random UUID made once for the object and stored (S6).
    pub uid: String,
    /// The object's own stored SEQUENCE (S7); invites carry their own counter.
    pub sequence: i64,
    pub when: When,
    pub summary: String,
    pub description: Option<String>,
    pub location: Option<String>,
    pub status: EventStatus,
    /// The time of the object's last change: DTSTAMP and LAST-MODIFIED in feeds (F3).
    pub last_modified: DateTime<Utc>,
}

/// DTSTART and DTEND (never DURATION, so never both: S4).
pub(crate) fn times(when: &When) -> [Property<'static>; 2] {
    match *when {
        When::Timed { start, end } => {
            [DtStart::new(text::utc(start)).into(), DtEnd::new(text::utc(end)).into()]
        }
        When::AllDay { first, last } => {
            // Exclusive end (RFC 5545 §3.6.1): the day after the last day.
            let after = last.checked_add_days(Days::new(1)).unwrap_or(last);
            let mut start: Property<'static> = DtStart::new(text::date(first)).into();
            start.add(Parameter::new("VALUE", "DATE"));
            let mut end: Property<'static> = DtEnd::new(text::date(after)).into();
            end.add(Parameter::new("VALUE", "DATE"));
            [start, end]
        }
    }
}

/// The properties after UID and DTSTAMP that feeds and invites write alike, in a fixed order.
pub(crate) fn common(event: &CalendarEvent, sequence: i64) -> Vec<Property<'static>> {
    let mut props: Vec<Property<'static>> = times(&event.when).into();
    props.push(Sequence::new(sequence.to_string()).into());
    props.push(Summary::new(text::text(&event.summary)).into());
    if let Some(description) = &event.description {
        props.push(Description::new(text::text(description)).into());
    }
    if let Some(location) = &event.location {
        props.push(Location::new(text::text(location)).into());
    }
    props.push(LastModified::new(text::utc(event.last_modified)).into());
    props
}

/// The VEVENT of an object as a snapshot shows it, a feed (F3) or a download (D2): its own
/// SEQUENCE, its last change as DTSTAMP and LAST-MODIFIED, its stored STATUS.
pub(crate) fn snapshot(object: &CalendarEvent) -> Event<'static> {
    let mut vevent = Event::new(object.uid.clone(), text::utc(object.last_modified));
    for property in common(object, object.sequence) {
        vevent.push(property);
    }
    vevent.push(status(object.status));
    vevent
}

pub(crate) fn status(status: EventStatus) -> Property<'static> {
    match status {
        EventStatus::Confirmed => Status::confirmed().into(),
        EventStatus::Tentative => Status::tentative().into(),
        EventStatus::Cancelled => Status::cancelled().into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 10, d).expect("valid date")
    }

    #[test]
    fn an_event_cannot_end_before_it_starts() {
        let t = day(25).and_hms_opt(9, 0, 0).expect("valid time").and_utc();
        assert_eq!(When::timed(t, t), Err(WhenError::EndsBeforeStart));
        assert_eq!(When::all_day(day(25), day(24)), Err(WhenError::LastDayBeforeFirst));
        assert!(When::all_day(day(25), day(25)).is_ok());
    }

    #[test]
    fn all_day_events_end_on_the_day_after_the_last_day() {
        let [start, end] = times(&When::AllDay { first: day(26), last: day(31) });
        assert_eq!(start.to_string(), "DTSTART;VALUE=DATE:20261026\r\n");
        assert_eq!(end.to_string(), "DTEND;VALUE=DATE:20261101\r\n");
    }
}
