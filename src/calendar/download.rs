//! A single session as a `.ics` file to import (docs/CALENDAR.md D1, D2): one VEVENT, written
//! as the feed writes it, in a calendar without any feed property. Outlook desktop opens a
//! file that names a calendar (`X-WR-CALNAME`) as a new calendar rather than importing the
//! appointment; the refresh hints and `SOURCE` promise updates that an imported file never
//! gets. No METHOD either: the file is a copy to import, not an iTIP message.

use ics::ICalendar;
use ics::properties::CalScale;

use super::PRODID;
use super::event::{self, CalendarEvent};
use super::text;

/// The `.ics` file for `object`: VERSION, PRODID, CALSCALE and its VEVENT, with the same
/// UID, SEQUENCE and stamps as in the feed (D2).
pub fn download(object: &CalendarEvent) -> String {
    let mut calendar = ICalendar::new("2.0", PRODID);
    calendar.push(CalScale::new("GREGORIAN"));
    calendar.add_event(event::snapshot(object));
    text::refold(&calendar.to_string())
}

/// The `.ics` file of one day of the agenda (issue 18, point 5): a download like a single
/// session's (D1: no feed property, no METHOD), holding each of `objects` as the feed
/// writes it (D2), cancelled ones left out as in the feed (F5), ordered by start then UID.
pub fn day_download(objects: &[CalendarEvent]) -> String {
    let mut calendar = ICalendar::new("2.0", PRODID);
    calendar.push(CalScale::new("GREGORIAN"));
    let mut shown: Vec<&CalendarEvent> =
        objects.iter().filter(|e| e.status != event::EventStatus::Cancelled).collect();
    shown.sort_by(|a, b| a.when.sort_key().cmp(&b.when.sort_key()).then_with(|| a.uid.cmp(&b.uid)));
    for object in shown {
        calendar.add_event(event::snapshot(object));
    }
    text::refold(&calendar.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::conformance::{assert_conforms, content_lines, vevents};
    use crate::calendar::examples::session_event;
    use crate::calendar::feed;

    /// Properties of a feed (F2) or of an iTIP message that a single-event file must not carry.
    const FEED_ONLY: [&str; 7] =
        ["NAME", "X-WR-CALNAME", "X-WR-CALDESC", "REFRESH-INTERVAL", "X-PUBLISHED-TTL", "SOURCE", "METHOD"];

    #[test]
    fn a_download_holds_one_event_and_no_feed_property() {
        let body = download(&session_event());
        assert_conforms(&body);
        let lines = content_lines(&body);
        for name in FEED_ONLY {
            assert!(!lines.iter().any(|l| l.name == name), "{name} in a download:\n{body}");
        }
        assert!(!lines.iter().any(|l| l.name == "ATTENDEE" || l.name == "ORGANIZER"));
        assert_eq!(vevents(&lines).len(), 1);
        assert!(body.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:"));
        assert!(body.contains("\r\nCALSCALE:GREGORIAN\r\n"));
    }

    #[test]
    fn the_event_is_written_exactly_as_the_feed_writes_it() {
        let event = session_event();
        let body = download(&event);
        let in_feed = feed("ATM", std::slice::from_ref(&event));
        let vevent = |ics: &str| {
            let from = ics.find("BEGIN:VEVENT").expect("a VEVENT");
            let to = ics.find("END:VEVENT").expect("its end");
            ics[from..to].to_owned()
        };
        assert_eq!(vevent(&body), vevent(&in_feed));
        assert!(body.contains("\r\nSEQUENCE:2\r\n"), "the session's own SEQUENCE");
    }

    #[test]
    fn a_day_download_holds_its_events_and_no_feed_property() {
        let mut second = session_event();
        second.uid = "00000000-0000-4000-8000-000000000001".into();
        let mut gone = session_event();
        gone.uid = "00000000-0000-4000-8000-000000000002".into();
        gone.status = crate::calendar::EventStatus::Cancelled;
        let body = day_download(&[session_event(), second, gone]);
        assert_conforms(&body);
        let lines = content_lines(&body);
        for name in FEED_ONLY {
            assert!(!lines.iter().any(|l| l.name == name), "{name} in a day download:\n{body}");
        }
        assert_eq!(vevents(&lines).len(), 2, "the cancelled one is left out");
        assert_eq!(day_download(&[]).matches("BEGIN:VEVENT").count(), 0);
    }
}
