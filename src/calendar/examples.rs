//! Objects and people the calendar unit tests share.

use chrono::{NaiveDate, TimeZone as _, Utc};

use super::event::{CalendarEvent, EventStatus, When};
use super::invite::Person;
use crate::domain::email::Email;

pub(crate) fn meeting() -> CalendarEvent {
    let day = |d| NaiveDate::from_ymd_opt(2026, 10, d).expect("valid date");
    CalendarEvent {
        uid: "9b2e4f7a-1c3d-4e5f-8a9b-0c1d2e3f4a5b".to_owned(),
        sequence: 0,
        when: When::all_day(day(26), day(30)).expect("valid days"),
        summary: "Annual Technical Meeting 2026".to_owned(),
        description: None,
        location: Some("Bella Center, Copenhagen".to_owned()),
        status: EventStatus::Confirmed,
        last_modified: Utc.with_ymd_and_hms(2026, 9, 1, 12, 0, 0).single().expect("valid"),
    }
}

pub(crate) fn session_event() -> CalendarEvent {
    let at = |h, m| Utc.with_ymd_and_hms(2026, 10, 25, h, m, 0).single().expect("valid");
    CalendarEvent {
        uid: "2f1c8a53-8d0e-4c1b-9a57-3e0c1d4b6f10".to_owned(),
        sequence: 2,
        when: When::timed(at(9, 0), at(9, 45)).expect("valid times"),
        summary: "Ransomware, hospitals; and \\ backslashes: a \"review\"".to_owned(),
        description: Some(format!(
            "TLP:CLEAR\n\n{}",
            "Long abstract, with commas; and ünïcödé 漢字. ".repeat(6)
        )),
        location: Some("Hall B".to_owned()),
        status: EventStatus::Confirmed,
        last_modified: Utc.with_ymd_and_hms(2026, 9, 1, 12, 0, 0).single().expect("valid"),
    }
}

pub(crate) fn organizer() -> Person {
    Person {
        email: Email::parse("atm@meet.example").expect("valid"),
        name: "ATM organizers, FIRST".to_owned(),
    }
}

pub(crate) fn attendee() -> Person {
    Person {
        email: Email::parse("jane.doe@cert.example").expect("valid"),
        name: "Doe, Jane \"JD\"".to_owned(),
    }
}
