//! A session of the agenda turned into a calendar object under its TLP label (T1): the only
//! way a session reaches a feed, an invite or a `.ics` download.

use chrono::{DateTime, Utc};

use super::event::{CalendarEvent, EventStatus, When};
use crate::domain::tlp::{self, Tlp};

/// A session as the agenda stores it, confidential parts included.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionView {
    pub uid: String,
    /// The session's own SEQUENCE (S7), risen once per release that changed it.
    pub sequence: i64,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub title: String,
    pub abstract_text: String,
    pub tlp: Tlp,
    pub room: String,
    pub track: Option<String>,
    /// Talk, workshop, lightning talk…
    pub kind: String,
    pub status: EventStatus,
    pub last_modified: DateTime<Utc>,
}

impl SessionView {
    /// The calendar object: SUMMARY is what T1 lets out for the title; DESCRIPTION starts
    /// with the label on its own line, then the track, the kind (not for TLP:RED) and the
    /// abstract (only TLP:CLEAR and TLP:GREEN); LOCATION is the room.
    ///
    /// # Errors
    ///
    /// When the session ends before it starts, which the agenda's own checks refuse.
    pub fn to_event(&self) -> Result<CalendarEvent, super::event::WhenError> {
        let outside = tlp::outside(self.tlp, &self.title, &self.abstract_text);
        let mut description = vec![self.tlp.as_str().to_owned()];
        if let Some(track) = self.track.as_deref().filter(|t| !t.trim().is_empty()) {
            description.push(format!("Track: {track}"));
        }
        if outside.kind && !self.kind.trim().is_empty() {
            description.push(format!("Kind: {}", self.kind));
        }
        if let Some(abstract_text) = outside.abstract_text.filter(|a| !a.trim().is_empty()) {
            description.push(String::new());
            description.push(abstract_text.to_owned());
        }
        Ok(CalendarEvent {
            uid: self.uid.clone(),
            sequence: self.sequence,
            when: When::timed(self.start, self.end)?,
            summary: outside.title.to_owned(),
            description: Some(description.join("\n")),
            location: Some(self.room.clone()).filter(|r| !r.trim().is_empty()),
            status: self.status,
            last_modified: self.last_modified,
        })
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use chrono::TimeZone as _;

    use super::*;

    pub(crate) const CANARY_TITLE: &str = "CANARY-TITLE-7f3a";
    pub(crate) const CANARY_ABSTRACT: &str = "CANARY-ABSTRACT-91c2";

    pub(crate) fn session(label: Tlp) -> SessionView {
        SessionView {
            uid: "2f1c8a53-8d0e-4c1b-9a57-3e0c1d4b6f10".to_owned(),
            sequence: 2,
            start: Utc.with_ymd_and_hms(2026, 10, 25, 9, 0, 0).single().expect("valid"),
            end: Utc.with_ymd_and_hms(2026, 10, 25, 9, 45, 0).single().expect("valid"),
            title: format!("Ransomware in hospitals {CANARY_TITLE}"),
            abstract_text: format!("Lessons, numbers; details {CANARY_ABSTRACT}"),
            tlp: label,
            room: "Hall B".to_owned(),
            track: Some("Incident response".to_owned()),
            kind: "Talk".to_owned(),
            status: EventStatus::Confirmed,
            last_modified: Utc.with_ymd_and_hms(2026, 9, 1, 12, 0, 0).single().expect("valid"),
        }
    }

    fn event(label: Tlp) -> CalendarEvent {
        session(label).to_event().expect("valid session")
    }

    #[test]
    fn clear_and_green_sessions_show_title_and_abstract_after_the_label() {
        for label in [Tlp::Clear, Tlp::Green] {
            let e = event(label);
            assert!(e.summary.contains(CANARY_TITLE));
            let description = e.description.unwrap_or_default();
            assert!(description.starts_with(&format!("{label}\n")), "{description}");
            assert!(description.contains(CANARY_ABSTRACT));
            assert!(description.contains("Track: Incident response\nKind: Talk"));
        }
    }

    #[test]
    fn amber_sessions_show_the_title_but_not_the_abstract() {
        for label in [Tlp::Amber, Tlp::AmberStrict] {
            let e = event(label);
            assert!(e.summary.contains(CANARY_TITLE));
            let description = e.description.unwrap_or_default();
            assert!(description.starts_with(&format!("{label}\n")));
            assert!(!description.contains(CANARY_ABSTRACT));
        }
    }

    #[test]
    fn red_sessions_show_only_time_room_and_track() {
        let e = event(Tlp::Red);
        assert_eq!(e.summary, "TLP:RED session — details in the agenda");
        assert_eq!(e.description.as_deref(), Some("TLP:RED\nTrack: Incident response"));
        assert_eq!(e.location.as_deref(), Some("Hall B"));
        assert_eq!(e.when, When::timed(session(Tlp::Red).start, session(Tlp::Red).end).expect("valid"));
        assert!(!format!("{e:?}").contains("CANARY"));
    }
}
