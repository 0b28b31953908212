//! The calendar part of an invite email (iTIP over iMIP, docs/CALENDAR.md I4–I7, I9): one
//! VEVENT for one attendee, as a REQUEST (first invitation or update) or a CANCEL.

use chrono::{DateTime, Utc};
use ics::components::{Parameter, Property};
use ics::properties::{Attendee, CalScale, Method as MethodProperty, Organizer};
use ics::{Event, ICalendar};

use super::event::{self, CalendarEvent, EventStatus};
use super::{PRODID, text};
use crate::domain::email::Email;

/// The iTIP method: the calendar's METHOD and the MIME part's `method=` (I2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Request,
    Cancel,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Request => "REQUEST",
            Method::Cancel => "CANCEL",
        }
    }
}

/// Why a message is sent. The method follows from it, so a REQUEST that cancels (I6) or
/// a CANCEL that invites cannot be built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InviteKind {
    /// The first REQUEST to this attendee for this object.
    Invitation,
    /// A later REQUEST with a higher SEQUENCE (I5).
    Update,
    /// The object itself is cancelled: CANCEL with STATUS:CANCELLED (I6, I9).
    Cancel,
    /// Only this attendee is taken off (withdrawn, revoked, unpicked): CANCEL without
    /// STATUS (I7), since the object goes on for everyone else.
    Uninvite,
}

impl InviteKind {
    pub fn method(self) -> Method {
        match self {
            InviteKind::Invitation | InviteKind::Update => Method::Request,
            InviteKind::Cancel | InviteKind::Uninvite => Method::Cancel,
        }
    }
}

/// A mailbox with a display name, for ORGANIZER and ATTENDEE.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub email: Email,
    pub name: String,
}

/// Messages the rules forbid; each is a bug in the caller, refused rather than sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InviteError {
    #[error("a REQUEST never carries STATUS:CANCELLED: send InviteKind::Cancel (I6)")]
    RequestForCancelledObject,
    #[error("the invite SEQUENCE {invite} is below the object's own {object} (S7)")]
    SequenceBelowObject { invite: i64, object: i64 },
    #[error("the attendee is the organizer mailbox (I4)")]
    AttendeeIsOrganizer,
}

/// The invite for one attendee. `sequence` is the per-attendee counter (S7), `dtstamp` the
/// time the message is built (I4). Exactly one VEVENT, no VALARM; ORGANIZER without
/// SENT-BY.
///
/// # Errors
///
/// See [`InviteError`].
pub fn invite(
    kind: InviteKind,
    event: &CalendarEvent,
    organizer: &Person,
    attendee: &Person,
    sequence: i64,
    dtstamp: DateTime<Utc>,
) -> Result<String, InviteError> {
    if sequence < event.sequence {
        return Err(InviteError::SequenceBelowObject { invite: sequence, object: event.sequence });
    }
    if attendee.email == organizer.email {
        return Err(InviteError::AttendeeIsOrganizer);
    }
    let status = match kind {
        InviteKind::Invitation | InviteKind::Update => match event.status {
            EventStatus::Cancelled => return Err(InviteError::RequestForCancelledObject),
            status => Some(status),
        },
        InviteKind::Cancel => Some(EventStatus::Cancelled),
        InviteKind::Uninvite => None,
    };

    let mut calendar = ICalendar::new("2.0", PRODID);
    calendar.push(CalScale::new("GREGORIAN"));
    calendar.push(MethodProperty::new(kind.method().as_str()));

    let mut vevent = Event::new(event.uid.clone(), text::utc(dtstamp));
    for property in event::common(event, sequence) {
        vevent.push(property);
    }
    if let Some(status) = status {
        vevent.push(event::status(status));
    }
    vevent.push(organizer_line(organizer));
    vevent.push(attendee_line(attendee, kind.method()));
    calendar.add_event(vevent);
    Ok(text::refold(&calendar.to_string()))
}

fn mailto(person: &Person) -> String {
    format!("mailto:{}", person.email.as_str())
}

fn organizer_line(organizer: &Person) -> Property<'static> {
    let mut line = Organizer::new(mailto(organizer));
    if !organizer.name.trim().is_empty() {
        line.add(Parameter::new("CN", text::param(&organizer.name)));
    }
    line.into()
}

/// RSVP only on a REQUEST: RFC 5546 expects no reply to a CANCEL, and asking for one makes
/// some clients offer buttons that lead nowhere.
fn attendee_line(attendee: &Person, method: Method) -> Property<'static> {
    let mut line = Attendee::new(mailto(attendee));
    if !attendee.name.trim().is_empty() {
        line.add(Parameter::new("CN", text::param(&attendee.name)));
    }
    line.add(Parameter::new("CUTYPE", "INDIVIDUAL"));
    line.add(Parameter::new("ROLE", "REQ-PARTICIPANT"));
    line.add(Parameter::new("PARTSTAT", "NEEDS-ACTION"));
    if method == Method::Request {
        line.add(Parameter::new("RSVP", "TRUE"));
    }
    line.into()
}
