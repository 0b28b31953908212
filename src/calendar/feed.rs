//! The body of an attendee's subscription feed (docs/CALENDAR.md F1–F5): a snapshot of the
//! objects they hold, identical byte for byte as long as nothing changed. Nothing in it
//! names the attendee or their token (no `SOURCE`), so the all-sessions body is one and
//! the same for every attendee of a meeting.

use ics::ICalendar;
use ics::components::Property;
use ics::properties::{CalScale, Name, RefreshInterval};

use super::event::{self, CalendarEvent, EventStatus};
use super::{PRODID, text};

/// The feed for `events`: no METHOD and no ATTENDEE (F1), the calendar's name twice and
/// the refresh hints (F2; no `SOURCE`, which would carry the token), each object with its own SEQUENCE and its last change as
/// DTSTAMP and LAST-MODIFIED (F3). Cancelled objects are left out (F5). Objects are
/// ordered by start, then UID, so the caller's query order cannot change the bytes (F4).
pub fn feed(calendar_name: &str, events: &[CalendarEvent]) -> String {
    let mut calendar = ICalendar::new("2.0", PRODID);
    calendar.push(CalScale::new("GREGORIAN"));
    calendar.push(Name::new(text::text(calendar_name)));
    calendar.push(Property::new("X-WR-CALNAME", text::text(calendar_name)));
    calendar.push(RefreshInterval::new("PT1H"));
    calendar.push(Property::new("X-PUBLISHED-TTL", "PT1H"));

    let mut shown: Vec<&CalendarEvent> =
        events.iter().filter(|e| e.status != EventStatus::Cancelled).collect();
    shown.sort_by(|a, b| a.when.sort_key().cmp(&b.when.sort_key()).then_with(|| a.uid.cmp(&b.uid)));
    for object in shown {
        calendar.add_event(event::snapshot(object));
    }
    text::refold(&calendar.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::conformance::assert_conforms;
    use crate::calendar::examples::{meeting, session_event};
    use crate::calendar::session::tests::{CANARY_ABSTRACT, CANARY_TITLE, session};
    use crate::domain::tlp::Tlp;

    fn sample() -> String {
        feed("ATM 2026, Copenhagen", &[session_event(), meeting()])
    }

    #[test]
    fn a_feed_is_a_conforming_calendar_without_method_or_attendees() {
        let body = sample();
        assert_conforms(&body);
        assert!(!body.contains("METHOD"));
        assert!(!body.contains("ATTENDEE"));
        assert!(!body.contains("ORGANIZER"));
        assert_eq!(body.matches("BEGIN:VEVENT").count(), 2);
    }

    #[test]
    fn a_feed_names_itself_and_tells_clients_to_refresh_hourly() {
        let body = sample();
        assert!(body.contains("\r\nNAME:ATM 2026\\, Copenhagen\r\n"));
        assert!(body.contains("\r\nX-WR-CALNAME:ATM 2026\\, Copenhagen\r\n"));
        assert!(body.contains("\r\nREFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n"));
        assert!(body.contains("\r\nX-PUBLISHED-TTL:PT1H\r\n"));
        assert!(!body.contains("SOURCE"), "nothing of the attendee's address");
    }

    #[test]
    fn stamps_are_the_last_change_and_sequence_the_objects_own() {
        let body = sample();
        assert!(body.contains("\r\nDTSTAMP:20260901T120000Z\r\n"));
        assert!(body.contains("\r\nLAST-MODIFIED:20260901T120000Z\r\n"));
        assert!(body.contains("\r\nSEQUENCE:2\r\n"));
        assert!(body.contains("\r\nDTSTART;VALUE=DATE:20261026\r\n"));
        assert!(body.contains("\r\nDTEND;VALUE=DATE:20261031\r\n"));
    }

    #[test]
    fn the_same_objects_in_any_order_give_the_same_bytes() {
        let reordered = feed("ATM 2026, Copenhagen", &[meeting(), session_event()]);
        assert_eq!(sample(), reordered);
        assert_eq!(sample(), sample());
    }

    #[test]
    fn cancelled_objects_are_left_out() {
        let mut cancelled = session_event();
        cancelled.status = EventStatus::Cancelled;
        let body = feed("ATM", &[cancelled, meeting()]);
        assert_eq!(body.matches("BEGIN:VEVENT").count(), 1);
        assert!(!body.contains("CANCELLED"));
    }

    #[test]
    fn no_confidential_text_of_any_label_reaches_a_feed() {
        let events: Vec<_> =
            Tlp::ALL.iter().map(|&l| session(l).to_event().expect("valid session")).collect();
        let body = feed("ATM", &events);
        assert_conforms(&body);
        // Only the CLEAR and GREEN abstracts, and titles of all but RED, may appear.
        assert_eq!(body.replace("\r\n ", "").matches(CANARY_ABSTRACT).count(), 2);
        assert_eq!(body.replace("\r\n ", "").matches(CANARY_TITLE).count(), 4);
        let red = feed("ATM", &[session(Tlp::Red).to_event().expect("valid")]);
        let amber = feed("ATM", &[session(Tlp::Amber).to_event().expect("valid")]);
        let strict = feed("ATM", &[session(Tlp::AmberStrict).to_event().expect("valid")]);
        for (body, secrets) in [
            (red, &[CANARY_TITLE, CANARY_ABSTRACT][..]),
            (amber, &[CANARY_ABSTRACT]),
            (strict, &[CANARY_ABSTRACT]),
        ] {
            let unfolded = body.replace("\r\n ", "");
            for secret in secrets {
                assert!(!unfolded.contains(secret), "{secret} leaked:\n{body}");
            }
        }
    }
}
