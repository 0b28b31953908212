//! The change list of a release: what changed, session by session, between the previous
//! release and the draft being published; and the SEQUENCE each session carries in the new
//! release (`docs/CALENDAR.md` S7: it rises once per release in which anything of it
//! changed).

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use super::{Kind, SessionStatus};
use crate::domain::tlp::Tlp;

/// What a release says of one session (and what the draft would say if published now).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Published {
    pub session_id: i64,
    pub title: String,
    pub abstract_text: String,
    pub kind: Kind,
    pub track: Option<String>,
    pub room: Option<String>,
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    pub tlp: Tlp,
    pub status: SessionStatus,
    /// "Name (Team)", in the order given.
    pub speakers: Vec<String>,
    /// The registrations among the speakers: naming the account behind an unchanged name
    /// is a change of speakers too (it decides who receives the session's invites). Never
    /// serialised: ids are no one's business outside.
    #[serde(skip)]
    pub speaker_registrations: Vec<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    New,
    Moved,
    RoomChanged,
    Retitled,
    Relabelled,
    Abstract,
    Track,
    Kind,
    Speakers,
    Cancelled,
    Reinstated,
}

impl Change {
    /// The words of the change list.
    pub fn label(self) -> &'static str {
        match self {
            Change::New => "new",
            Change::Moved => "moved",
            Change::RoomChanged => "room changed",
            Change::Retitled => "title changed",
            Change::Relabelled => "TLP label changed",
            Change::Abstract => "abstract changed",
            Change::Track => "track changed",
            Change::Kind => "kind changed",
            Change::Speakers => "speakers changed",
            Change::Cancelled => "cancelled",
            Change::Reinstated => "back on the agenda",
        }
    }
}

/// One session's entry in a change list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionChange {
    pub session_id: i64,
    pub title: String,
    pub changes: Vec<Change>,
}

/// What changed in `now` against `before` (the same session in two releases).
pub fn compare(before: &Published, now: &Published) -> Vec<Change> {
    let mut changes = Vec::new();
    match (before.status == SessionStatus::Cancelled, now.status == SessionStatus::Cancelled) {
        (false, true) => return vec![Change::Cancelled],
        (true, false) => changes.push(Change::Reinstated),
        _ => {}
    }
    let checks = [
        ((before.starts_at, before.ends_at) != (now.starts_at, now.ends_at), Change::Moved),
        (before.room != now.room, Change::RoomChanged),
        (before.title != now.title, Change::Retitled),
        (before.tlp != now.tlp, Change::Relabelled),
        (before.abstract_text != now.abstract_text, Change::Abstract),
        (before.track != now.track, Change::Track),
        (before.kind != now.kind, Change::Kind),
        (
            before.speakers != now.speakers || before.speaker_registrations != now.speaker_registrations,
            Change::Speakers,
        ),
    ];
    changes.extend(checks.into_iter().filter_map(|(changed, change)| changed.then_some(change)));
    changes
}

/// The change list of publishing `next` after `previous` (empty before the first release),
/// in the order of `next`. A session the previous release had and `next` lacks counts as
/// cancelled; a new session that is already cancelled is not news.
pub fn diff(previous: &[Published], next: &[Published]) -> Vec<SessionChange> {
    let before = |id: i64| previous.iter().find(|p| p.session_id == id);
    let mut list: Vec<SessionChange> = next
        .iter()
        .filter_map(|now| {
            let changes = match before(now.session_id) {
                Some(b) => compare(b, now),
                None if now.status == SessionStatus::Cancelled => Vec::new(),
                None => vec![Change::New],
            };
            (!changes.is_empty()).then(|| SessionChange {
                session_id: now.session_id,
                title: now.title.clone(),
                changes,
            })
        })
        .collect();
    list.extend(
        previous
            .iter()
            .filter(|p| {
                p.status != SessionStatus::Cancelled && !next.iter().any(|n| n.session_id == p.session_id)
            })
            .map(|p| SessionChange {
                session_id: p.session_id,
                title: p.title.clone(),
                changes: vec![Change::Cancelled],
            }),
    );
    list
}

/// The SEQUENCE of a session in a new release: 0 when it is first published, one more
/// than before when it changed, the same otherwise.
pub fn next_sequence(previous: Option<i32>, changed: bool) -> i32 {
    match previous {
        None => 0,
        Some(seq) => seq + i32::from(changed),
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;

    fn session(id: i64) -> Published {
        let day = NaiveDate::from_ymd_opt(2026, 6, 20).expect("valid");
        Published {
            session_id: id,
            title: format!("Session {id}"),
            abstract_text: "About it.".into(),
            kind: Kind::Talk,
            track: Some("Technical Exchange".into()),
            room: Some("Ballroom".into()),
            starts_at: day.and_hms_opt(15, 0, 0).expect("valid"),
            ends_at: day.and_hms_opt(16, 0, 0).expect("valid"),
            tlp: Tlp::Amber,
            status: SessionStatus::Scheduled,
            speakers: vec!["Ana Silva (CERT.br)".into()],
            speaker_registrations: Vec::new(),
        }
    }

    #[test]
    fn naming_the_account_behind_a_speaker_is_a_change_of_speakers() {
        let linked = Published { speaker_registrations: vec![7], ..session(1) };
        assert_eq!(compare(&session(1), &linked), [Change::Speakers]);
    }

    #[test]
    fn the_first_release_lists_every_session_as_new() {
        let list = diff(&[], &[session(1), session(2)]);
        assert_eq!(list.len(), 2);
        assert!(list.iter().all(|c| c.changes == [Change::New]));
    }

    #[test]
    fn an_unchanged_session_is_not_listed() {
        assert_eq!(diff(&[session(1)], &[session(1)]), []);
    }

    #[test]
    fn each_kind_of_change_is_named() {
        let before = session(1);
        type Edit = fn(&mut Published);
        let edits: [(Edit, Change); 8] = [
            (|s| s.starts_at += chrono::Duration::minutes(30), Change::Moved),
            (|s| s.room = Some("Room B".into()), Change::RoomChanged),
            (|s| s.title = "New title".into(), Change::Retitled),
            (|s| s.tlp = Tlp::Red, Change::Relabelled),
            (|s| s.abstract_text = "Other words.".into(), Change::Abstract),
            (|s| s.track = None, Change::Track),
            (|s| s.kind = Kind::Panel, Change::Kind),
            (|s| s.speakers.push("Bo (CERT-EE)".into()), Change::Speakers),
        ];
        for (edit, change) in edits {
            let mut now = before.clone();
            edit(&mut now);
            assert_eq!(compare(&before, &now), [change]);
        }
    }

    #[test]
    fn several_changes_are_listed_together() {
        let before = session(1);
        let mut now = before.clone();
        now.ends_at += chrono::Duration::minutes(15);
        now.title = "Longer".into();
        assert_eq!(
            diff(&[before], &[now]),
            [SessionChange {
                session_id: 1,
                title: "Longer".into(),
                changes: vec![Change::Moved, Change::Retitled],
            }]
        );
    }

    #[test]
    fn a_cancellation_is_the_whole_news() {
        let before = session(1);
        let mut now = before.clone();
        now.status = SessionStatus::Cancelled;
        now.title = "Gone".into();
        assert_eq!(compare(&before, &now), [Change::Cancelled]);
        assert_eq!(compare(&now, &before), [Change::Reinstated, Change::Retitled]);
    }

    #[test]
    fn a_session_missing_from_the_next_release_counts_as_cancelled() {
        let list = diff(&[session(1), session(2)], &[session(2)]);
        assert_eq!(
            list,
            [SessionChange { session_id: 1, title: "Session 1".into(), changes: vec![Change::Cancelled] }]
        );
    }

    #[test]
    fn a_new_session_cancelled_before_its_first_release_is_not_news() {
        let mut s = session(3);
        s.status = SessionStatus::Cancelled;
        assert_eq!(diff(&[], &[s]), []);
    }

    #[test]
    fn the_sequence_starts_at_zero_and_rises_once_per_changed_release() {
        assert_eq!(next_sequence(None, true), 0);
        assert_eq!(next_sequence(None, false), 0);
        assert_eq!(next_sequence(Some(0), true), 1);
        assert_eq!(next_sequence(Some(4), false), 4);
        assert_eq!(next_sequence(Some(4), true), 5);
    }

    #[test]
    fn change_words_are_plain() {
        assert_eq!(Change::RoomChanged.label(), "room changed");
        assert_eq!(Change::Relabelled.label(), "TLP label changed");
    }
}
