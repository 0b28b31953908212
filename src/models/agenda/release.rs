//! Published releases of the agenda: each stores the snapshot of every session as
//! published, with its SEQUENCE, and the change list against the previous release.
//! Attendee pages, feeds and invites read only the latest release.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use super::session;
use crate::{
    db::{
        DbConnection,
        schema::{agenda_releases, released_sessions},
    },
    domain::{
        agenda::{
            Colour, Kind, SessionStatus,
            changes::{self, Published, SessionChange},
        },
        tlp::Tlp,
    },
};

#[derive(Queryable, Selectable, Debug, Clone, Serialize)]
#[diesel(table_name = agenda_releases)]
pub struct Release {
    pub id: i64,
    pub meeting_id: i64,
    pub number: i32,
    pub name: String,
    pub changes: String,
    pub published_by: Option<i64>,
    pub published_at: NaiveDateTime,
}

impl Release {
    pub fn change_list(&self) -> Vec<SessionChange> {
        serde_json::from_str(&self.changes).unwrap_or_default()
    }
}

#[derive(Queryable, Selectable, Debug, Clone, Serialize)]
#[diesel(table_name = released_sessions)]
pub struct ReleasedSession {
    pub id: i64,
    pub release_id: i64,
    pub session_id: i64,
    pub uid: String,
    pub sequence: i32,
    pub title: String,
    pub abstract_text: String,
    pub kind: Kind,
    pub track: Option<String>,
    pub track_colour: Option<Colour>,
    pub room: Option<String>,
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    pub tlp: Tlp,
    pub status: SessionStatus,
    pub speakers: String,
    pub changed_at: NaiveDateTime,
    /// The registrations among its speakers, a JSON list of ids.
    pub speaker_registrations: String,
}

impl ReleasedSession {
    pub fn speaker_list(&self) -> Vec<String> {
        serde_json::from_str(&self.speakers).unwrap_or_default()
    }

    /// The registrations among its speakers (who get its invites as pickers do).
    pub fn speaker_ids(&self) -> Vec<i64> {
        serde_json::from_str(&self.speaker_registrations).unwrap_or_default()
    }

    pub fn is_cancelled(&self) -> bool {
        self.status == SessionStatus::Cancelled
    }

    pub fn published(&self) -> Published {
        Published {
            session_id: self.session_id,
            title: self.title.clone(),
            abstract_text: self.abstract_text.clone(),
            kind: self.kind,
            track: self.track.clone(),
            room: self.room.clone(),
            starts_at: self.starts_at,
            ends_at: self.ends_at,
            tlp: self.tlp,
            status: self.status,
            speakers: self.speaker_list(),
            speaker_registrations: self.speaker_ids(),
        }
    }
}

pub fn latest(conn: &mut DbConnection, meeting_id: i64) -> QueryResult<Option<Release>> {
    agenda_releases::table
        .filter(agenda_releases::meeting_id.eq(meeting_id))
        .order(agenda_releases::number.desc())
        .select(Release::as_select())
        .first(conn)
        .optional()
}

/// Newest first.
pub fn list(conn: &mut DbConnection, meeting_id: i64) -> QueryResult<Vec<Release>> {
    agenda_releases::table
        .filter(agenda_releases::meeting_id.eq(meeting_id))
        .order(agenda_releases::number.desc())
        .select(Release::as_select())
        .load(conn)
}

/// A release's sessions in time order, cancelled ones included.
pub fn sessions(conn: &mut DbConnection, release_id: i64) -> QueryResult<Vec<ReleasedSession>> {
    released_sessions::table
        .filter(released_sessions::release_id.eq(release_id))
        .order((released_sessions::starts_at, released_sessions::id))
        .select(ReleasedSession::as_select())
        .load(conn)
}

/// The latest release's sessions of a meeting, or none before the first release.
pub fn latest_sessions(
    conn: &mut DbConnection,
    meeting_id: i64,
) -> QueryResult<(Option<Release>, Vec<ReleasedSession>)> {
    match latest(conn, meeting_id)? {
        Some(r) => {
            let list = sessions(conn, r.id)?;
            Ok((Some(r), list))
        }
        None => Ok((None, Vec::new())),
    }
}

/// What publishing now would list: the draft against the latest release.
pub fn pending_changes(conn: &mut DbConnection, meeting_id: i64) -> QueryResult<Vec<SessionChange>> {
    let (_, before) = latest_sessions(conn, meeting_id)?;
    let before: Vec<Published> = before.iter().map(ReleasedSession::published).collect();
    let next: Vec<Published> = session::draft(conn, meeting_id)?.into_iter().map(|d| d.published).collect();
    Ok(changes::diff(&before, &next))
}

/// Publishes the draft as the next release; the caller owns the transaction (and checked
/// that there is something to publish). Each session's SEQUENCE rises once if it changed.
pub fn publish(
    conn: &mut DbConnection,
    meeting_id: i64,
    name: &str,
    by: i64,
    now: NaiveDateTime,
) -> QueryResult<(Release, Vec<SessionChange>)> {
    let (previous, before) = latest_sessions(conn, meeting_id)?;
    let draft = session::draft(conn, meeting_id)?;
    let before_published: Vec<Published> = before.iter().map(ReleasedSession::published).collect();
    let next: Vec<Published> = draft.iter().map(|d| d.published.clone()).collect();
    let list = changes::diff(&before_published, &next);
    let number = previous.as_ref().map_or(1, |r| r.number + 1);
    let changes_json = serde_json::to_string(&list).unwrap_or_else(|_| "[]".to_owned());
    diesel::insert_into(agenda_releases::table)
        .values((
            agenda_releases::meeting_id.eq(meeting_id),
            agenda_releases::number.eq(number),
            agenda_releases::name.eq(name),
            agenda_releases::changes.eq(&changes_json),
            agenda_releases::published_by.eq(Some(by)),
            agenda_releases::published_at.eq(now),
        ))
        .execute(conn)?;
    let release = latest(conn, meeting_id)?.ok_or(diesel::result::Error::NotFound)?;
    for entry in &draft {
        let p = &entry.published;
        let old = before.iter().find(|b| b.session_id == p.session_id);
        let changed = list.iter().any(|c| c.session_id == p.session_id);
        let sequence = changes::next_sequence(old.map(|o| o.sequence), changed);
        let speakers = serde_json::to_string(&p.speakers).unwrap_or_else(|_| "[]".to_owned());
        let registrations =
            serde_json::to_string(&p.speaker_registrations).unwrap_or_else(|_| "[]".to_owned());
        let changed_at = match old {
            Some(o) if !changed => o.changed_at,
            _ => now,
        };
        diesel::insert_into(released_sessions::table)
            .values((
                released_sessions::release_id.eq(release.id),
                released_sessions::session_id.eq(p.session_id),
                released_sessions::uid.eq(&entry.uid),
                released_sessions::sequence.eq(sequence),
                released_sessions::title.eq(&p.title),
                released_sessions::abstract_text.eq(&p.abstract_text),
                released_sessions::kind.eq(p.kind),
                released_sessions::track.eq(&p.track),
                released_sessions::track_colour.eq(&entry.track_colour),
                released_sessions::room.eq(&p.room),
                released_sessions::starts_at.eq(p.starts_at),
                released_sessions::ends_at.eq(p.ends_at),
                released_sessions::tlp.eq(p.tlp),
                released_sessions::status.eq(p.status),
                released_sessions::speakers.eq(&speakers),
                released_sessions::changed_at.eq(changed_at),
                released_sessions::speaker_registrations.eq(&registrations),
            ))
            .execute(conn)?;
    }
    Ok((release, list))
}
