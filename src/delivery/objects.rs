//! The product's calendar objects as `CalendarEvent`s: the meeting and its co-located FIRST
//! conference (all-day, S5), and the sessions of a release (timed, in UTC, through the TLP
//! rule of `SessionView`). Pure mappings from stored rows to `calendar`'s plain structs.

use chrono::NaiveDateTime;

use crate::{
    calendar::{CalendarEvent, EventStatus, SessionView, When, WhenError},
    domain::states::MeetingStatus,
    models::{agenda::release::ReleasedSession, meeting::Meeting},
};

fn utc(at: NaiveDateTime) -> chrono::DateTime<chrono::Utc> {
    at.and_utc()
}

/// The meeting as one all-day event over its days (I9).
pub fn meeting(m: &Meeting) -> Result<CalendarEvent, WhenError> {
    Ok(CalendarEvent {
        uid: m.meeting_uid.clone(),
        sequence: i64::from(m.meeting_sequence),
        when: When::all_day(m.first_day, m.last_day)?,
        summary: m.title.clone(),
        description: Some(format!(
            "Invitation-only meeting of national CSIRTs, next to {} in {}.",
            m.conference_name, m.conference_city
        )),
        location: Some(format!("{}, {}", m.venue, m.city)),
        status: if m.status == MeetingStatus::Cancelled {
            EventStatus::Cancelled
        } else {
            EventStatus::Confirmed
        },
        last_modified: utc(m.updated_at),
    })
}

/// The co-located FIRST conference, all-day, for orientation.
pub fn conference(m: &Meeting) -> Result<CalendarEvent, WhenError> {
    Ok(CalendarEvent {
        uid: m.conference_uid.clone(),
        sequence: i64::from(m.conference_sequence),
        when: When::all_day(m.conference_first_day, m.conference_last_day)?,
        summary: m.conference_name.clone(),
        description: Some(format!("The FIRST conference; {} follows it.", m.title)),
        location: Some(m.conference_city.clone()),
        status: EventStatus::Confirmed,
        last_modified: utc(m.updated_at),
    })
}

/// A released session under its TLP label (a stored label that does not parse was read as
/// TLP:RED, `Tlp::stored`).
pub fn session(s: &ReleasedSession) -> Result<CalendarEvent, WhenError> {
    let view = SessionView {
        uid: s.uid.clone(),
        sequence: i64::from(s.sequence),
        start: utc(s.starts_at),
        end: utc(s.ends_at),
        title: s.title.clone(),
        abstract_text: s.abstract_text.clone(),
        tlp: s.tlp,
        room: s.room.clone().unwrap_or_default(),
        track: s.track.clone(),
        kind: s.kind.label().to_owned(),
        status: if s.is_cancelled() { EventStatus::Cancelled } else { EventStatus::Confirmed },
        last_modified: utc(s.changed_at),
    };
    view.to_event()
}
