//! Calendar output read back by independent parsers (ical.js, Python icalendar): every
//! instant a feed or an invite carries is the one the agenda stored, across a DST change.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use csirt_meet::calendar::{CalendarEvent, EventStatus, InviteKind, Person, SessionView, When, feed, invite};
use csirt_meet::domain::email::Email;
use csirt_meet::domain::local_time::{parse_zone, to_utc};
use csirt_meet::domain::tlp::Tlp;

use crate::helpers::ical_parsers::{ParsedEvent, check_with_parsers};

const DENVER: &str = "5d0c7a8e-2b1f-4e3a-9c6d-7f8e9a0b1c2d";
const NIGHT: &str = "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d";
const COPENHAGEN: &str = "8f7e6d5c-4b3a-4291-8f7e-6d5c4b3a2910";
const MEETING: &str = "0f1e2d3c-4b5a-4697-a8b9-cadbecfd0e1f";
/// Long enough to be folded several times, with escapes and multi-byte characters that
/// land on fold boundaries: the parsers must read it back whole.
const CPH_TITLE: &str = "Copenhagen: CVD; a review, with øæå, 漢字 \\ backslashes; and commas, \
    semicolons; and more, many more, until the line folds twice; or thrice, ending here";

/// Wall-clock time in `zone` on `day`, as the agenda stores it (UTC).
fn local(zone: &str, day: (i32, u32, u32), hm: (u32, u32)) -> DateTime<Utc> {
    let date = NaiveDate::from_ymd_opt(day.0, day.1, day.2).expect("valid date");
    let time = NaiveTime::from_hms_opt(hm.0, hm.1, 0).expect("valid time");
    to_utc(date, time, parse_zone(zone).expect("known zone")).expect("an unambiguous local time").and_utc()
}

fn changed() -> DateTime<Utc> {
    local("UTC", (2026, 9, 1), (12, 0))
}

fn session(uid: &str, label: Tlp, title: &str, start: DateTime<Utc>, end: DateTime<Utc>) -> CalendarEvent {
    SessionView {
        uid: uid.to_owned(),
        sequence: 1,
        start,
        end,
        title: title.to_owned(),
        abstract_text: "What we learned, and what we would do again; in short.".to_owned(),
        tlp: label,
        room: "Salon 3".to_owned(),
        track: Some("Operations".to_owned()),
        kind: "Talk".to_owned(),
        status: EventStatus::Confirmed,
        last_modified: changed(),
    }
    .to_event()
    .expect("a session that ends after it starts")
}

/// A Denver session on an ordinary day; in Copenhagen on 2026-10-25, when clocks go back
/// at 03:00, one session across the change and one after it; the meeting as whole days.
fn agenda() -> Vec<CalendarEvent> {
    let cph = "Europe/Copenhagen";
    let day = (2026, 10, 25);
    let first = NaiveDate::from_ymd_opt(2026, 10, 26).expect("valid date");
    let last = NaiveDate::from_ymd_opt(2026, 10, 30).expect("valid date");
    vec![
        session(
            DENVER,
            Tlp::Amber,
            "Denver: Sharing, fast",
            local("America/Denver", (2026, 6, 10), (9, 0)),
            local("America/Denver", (2026, 6, 10), (10, 30)),
        ),
        session(NIGHT, Tlp::Red, "Night shift", local(cph, day, (0, 30)), local(cph, day, (4, 0))),
        session(COPENHAGEN, Tlp::Green, CPH_TITLE, local(cph, day, (9, 30)), local(cph, day, (10, 15))),
        CalendarEvent {
            uid: MEETING.to_owned(),
            sequence: 0,
            when: When::all_day(first, last).expect("valid days"),
            summary: "Annual Technical Meeting 2026".to_owned(),
            description: None,
            location: Some("Copenhagen".to_owned()),
            status: EventStatus::Confirmed,
            last_modified: changed(),
        },
    ]
}

fn parsed(uid: &str, start: &str, end: &str, summary: &str, method: Option<&str>) -> ParsedEvent {
    ParsedEvent {
        uid: uid.to_owned(),
        sequence: if uid == MEETING { 0 } else { 1 },
        start: start.to_owned(),
        end: end.to_owned(),
        all_day: uid == MEETING,
        summary: summary.to_owned(),
        status: Some("CONFIRMED".to_owned()),
        method: method.map(str::to_owned),
    }
}

#[test]
fn independent_parsers_read_a_feed_at_exactly_the_stored_instants() {
    let body = feed("ATM 2026", &agenda());
    // Our own reading first, so the test asserts even where the parsers are not installed.
    assert!(body.contains("\r\nDTSTART:20260610T150000Z\r\nDTEND:20260610T163000Z\r\n"));
    assert!(body.contains("\r\nDTSTART:20261024T223000Z\r\nDTEND:20261025T030000Z\r\n"));
    assert!(body.contains("\r\nDTSTART:20261025T083000Z\r\nDTEND:20261025T091500Z\r\n"));
    assert!(body.contains("\r\nDTSTART;VALUE=DATE:20261026\r\nDTEND;VALUE=DATE:20261031\r\n"));

    let events = check_with_parsers(&body);
    if events.is_empty() {
        return;
    }
    assert_eq!(
        events,
        vec![
            parsed(DENVER, "2026-06-10T15:00:00Z", "2026-06-10T16:30:00Z", "Denver: Sharing, fast", None),
            parsed(
                NIGHT,
                "2026-10-24T22:30:00Z",
                "2026-10-25T03:00:00Z",
                "TLP:RED session — details in the agenda",
                None
            ),
            parsed(COPENHAGEN, "2026-10-25T08:30:00Z", "2026-10-25T09:15:00Z", CPH_TITLE, None),
            parsed(MEETING, "2026-10-26", "2026-10-31", "Annual Technical Meeting 2026", None),
        ]
    );
}

#[test]
fn independent_parsers_read_invites_and_cancels_at_exactly_the_stored_instants() {
    let organizer = Person {
        email: Email::parse("atm@meet.example").expect("valid"),
        name: "ATM, organizers".to_owned(),
    };
    let attendee =
        Person { email: Email::parse("jane@cert.example").expect("valid"), name: "Doe; Jane".to_owned() };
    let built = local("UTC", (2026, 10, 1), (8, 0));
    let agenda = agenda();
    let copenhagen = agenda.iter().find(|e| e.uid == COPENHAGEN).expect("in the agenda");
    let request = invite(InviteKind::Update, copenhagen, &organizer, &attendee, 4, built).expect("valid");
    let mut meeting = agenda.iter().find(|e| e.uid == MEETING).cloned().expect("in the agenda");
    meeting.status = EventStatus::Cancelled;
    let cancel = invite(InviteKind::Cancel, &meeting, &organizer, &attendee, 2, built).expect("valid");
    assert!(request.contains("\r\nMETHOD:REQUEST\r\n") && cancel.contains("\r\nMETHOD:CANCEL\r\n"));

    let read_request = check_with_parsers(&request);
    let read_cancel = check_with_parsers(&cancel);
    if read_request.is_empty() {
        return;
    }
    let mut expected =
        parsed(COPENHAGEN, "2026-10-25T08:30:00Z", "2026-10-25T09:15:00Z", CPH_TITLE, Some("REQUEST"));
    expected.sequence = 4;
    assert_eq!(read_request, vec![expected]);
    let mut expected =
        parsed(MEETING, "2026-10-26", "2026-10-31", "Annual Technical Meeting 2026", Some("CANCEL"));
    expected.sequence = 2;
    expected.status = Some("CANCELLED".to_owned());
    assert_eq!(read_cancel, vec![expected]);
}
