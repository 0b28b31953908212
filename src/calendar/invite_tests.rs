//! Invites against I4–I7 and I9, and S1–S5 through the conformance checks.

use chrono::{TimeZone as _, Utc};

use super::conformance::{Line, assert_conforms, content_lines, count, param_of, value, vevents};
use super::event::EventStatus;
use super::examples::{attendee, meeting, organizer, session_event};
use super::invite::{InviteError, InviteKind, Method, invite};
use super::session::tests::{CANARY_ABSTRACT, CANARY_TITLE, session};
use crate::domain::tlp::Tlp;

fn built_at() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 10, 1, 8, 30, 0).single().expect("valid")
}

fn send(kind: InviteKind, sequence: i64) -> String {
    invite(kind, &session_event(), &organizer(), &attendee(), sequence, built_at()).expect("a valid invite")
}

fn line<'a>(lines: &'a [Line], name: &str) -> &'a Line {
    lines.iter().find(|l| l.name == name).unwrap_or_else(|| panic!("no {name}"))
}

#[test]
fn a_request_has_one_event_with_everything_clients_need() {
    let ics = send(InviteKind::Invitation, 3);
    assert_conforms(&ics);
    let lines = content_lines(&ics);
    assert_eq!(value(&lines, "METHOD"), "REQUEST");
    let events = vevents(&lines);
    assert_eq!(events.len(), 1);
    let event = events[0];
    assert_eq!(value(event, "UID"), "2f1c8a53-8d0e-4c1b-9a57-3e0c1d4b6f10");
    assert_eq!(value(event, "DTSTAMP"), "20261001T083000Z", "the time the message was built");
    assert_eq!(value(event, "DTSTART"), "20261025T090000Z");
    assert_eq!(value(event, "DTEND"), "20261025T094500Z");
    assert_eq!(value(event, "SEQUENCE"), "3");
    assert_eq!(value(event, "STATUS"), "CONFIRMED");
    assert_eq!(value(event, "SUMMARY"), "Ransomware\\, hospitals\\; and \\\\ backslashes: a \"review\"");
    assert_eq!(count(event, "ORGANIZER"), 1);
    assert_eq!(count(event, "ATTENDEE"), 1);
}

#[test]
fn organizer_and_attendee_are_mailto_with_quoted_names() {
    let ics = send(InviteKind::Invitation, 2);
    assert!(ics.contains("ORGANIZER;CN=\"ATM organizers, FIRST\":mailto:atm@meet.example\r\n"), "{ics}");
    let lines = content_lines(&ics);
    let organizer = line(&lines, "ORGANIZER");
    assert!(param_of(organizer, "SENT-BY").is_none());
    let attendee = line(&lines, "ATTENDEE");
    assert_eq!(attendee.value, "mailto:jane.doe@cert.example");
    assert_eq!(param_of(attendee, "CN").as_deref(), Some("\"Doe, Jane JD\""));
    assert_eq!(param_of(attendee, "CUTYPE").as_deref(), Some("INDIVIDUAL"));
    assert_eq!(param_of(attendee, "ROLE").as_deref(), Some("REQ-PARTICIPANT"));
    assert_eq!(param_of(attendee, "PARTSTAT").as_deref(), Some("NEEDS-ACTION"));
    assert_eq!(param_of(attendee, "RSVP").as_deref(), Some("TRUE"));
}

#[test]
fn an_update_is_a_request_with_the_same_uid_and_a_higher_sequence() {
    let first = content_lines(&send(InviteKind::Invitation, 2));
    let update = send(InviteKind::Update, 3);
    assert_conforms(&update);
    let update = content_lines(&update);
    assert_eq!(value(&update, "METHOD"), "REQUEST");
    assert_eq!(value(&update, "UID"), value(&first, "UID"));
    let sequence = |lines: &[Line]| value(lines, "SEQUENCE").parse::<i64>().expect("a number");
    assert!(sequence(&update) > sequence(&first));
}

#[test]
fn cancelling_the_object_is_a_cancel_with_status_cancelled() {
    let mut cancelled = session_event();
    cancelled.status = EventStatus::Cancelled;
    let ics =
        invite(InviteKind::Cancel, &cancelled, &organizer(), &attendee(), 4, built_at()).expect("valid");
    assert_conforms(&ics);
    let lines = content_lines(&ics);
    assert_eq!(InviteKind::Cancel.method(), Method::Cancel);
    assert_eq!(value(&lines, "METHOD"), "CANCEL");
    assert_eq!(value(&lines, "STATUS"), "CANCELLED");
    assert_eq!(value(&lines, "SEQUENCE"), "4");
    assert_eq!((count(&lines, "ORGANIZER"), count(&lines, "ATTENDEE")), (1, 1));
    assert!(param_of(line(&lines, "ATTENDEE"), "RSVP").is_none(), "no reply is expected");
}

#[test]
fn uninviting_one_attendee_is_a_cancel_without_status() {
    let ics = send(InviteKind::Uninvite, 5);
    assert_conforms(&ics);
    let lines = content_lines(&ics);
    assert_eq!(value(&lines, "METHOD"), "CANCEL");
    assert_eq!(count(&lines, "STATUS"), 0);
    assert_eq!(value(&lines, "UID"), "2f1c8a53-8d0e-4c1b-9a57-3e0c1d4b6f10");
}

#[test]
fn a_request_never_carries_status_cancelled() {
    let mut cancelled = session_event();
    cancelled.status = EventStatus::Cancelled;
    for kind in [InviteKind::Invitation, InviteKind::Update] {
        let refused = invite(kind, &cancelled, &organizer(), &attendee(), 9, built_at());
        assert_eq!(refused, Err(InviteError::RequestForCancelledObject));
    }
    let tentative = super::CalendarEvent { status: EventStatus::Tentative, ..session_event() };
    let ics =
        invite(InviteKind::Update, &tentative, &organizer(), &attendee(), 2, built_at()).expect("valid");
    assert!(ics.contains("\r\nSTATUS:TENTATIVE\r\n"));
}

#[test]
fn an_invite_sequence_below_the_objects_own_is_refused() {
    let refused = invite(InviteKind::Update, &session_event(), &organizer(), &attendee(), 1, built_at());
    assert_eq!(refused, Err(InviteError::SequenceBelowObject { invite: 1, object: 2 }));
}

#[test]
fn the_organizer_is_never_the_attendee() {
    let refused = invite(InviteKind::Invitation, &session_event(), &organizer(), &organizer(), 2, built_at());
    assert_eq!(refused, Err(InviteError::AttendeeIsOrganizer));
}

#[test]
fn the_meeting_is_one_all_day_event_with_an_exclusive_end() {
    let ics =
        invite(InviteKind::Invitation, &meeting(), &organizer(), &attendee(), 0, built_at()).expect("valid");
    assert_conforms(&ics);
    assert!(ics.contains("\r\nDTSTART;VALUE=DATE:20261026\r\n"));
    assert!(ics.contains("\r\nDTEND;VALUE=DATE:20261031\r\n"));
    assert!(!ics.contains("T000000"), "never midnight UTC");
    assert!(ics.contains("\r\nLOCATION:Bella Center\\, Copenhagen\r\n"));
}

#[test]
fn no_invite_carries_what_tlp_keeps_in_the_app() {
    for (label, secrets) in [
        (Tlp::Red, &[CANARY_TITLE, CANARY_ABSTRACT][..]),
        (Tlp::AmberStrict, &[CANARY_ABSTRACT]),
        (Tlp::Amber, &[CANARY_ABSTRACT]),
    ] {
        let event = session(label).to_event().expect("valid session");
        for kind in [InviteKind::Invitation, InviteKind::Update, InviteKind::Uninvite] {
            let ics = invite(kind, &event, &organizer(), &attendee(), 7, built_at()).expect("valid");
            assert_conforms(&ics);
            let unfolded = ics.replace("\r\n ", "");
            assert!(unfolded.contains(&format!("\r\nDESCRIPTION:{label}\\n")), "label first:\n{ics}");
            for secret in secrets {
                assert!(!unfolded.contains(secret), "{secret} leaked under {label}:\n{ics}");
            }
            let subject = super::subject(kind, &event, Some(label));
            assert!(subject.contains(label.as_str()), "{subject}");
            assert!(secrets.iter().all(|s| !subject.contains(s)), "{subject}");
        }
    }
}
