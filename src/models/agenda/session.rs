//! Sessions of the organizers' draft and their speakers. Nothing here is visible to
//! attendees: they read releases (`release.rs`).

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

pub use super::speaker::NewSpeaker;
use crate::{
    db::{
        DbConnection,
        schema::{rooms, session_speakers, sessions, tracks},
    },
    domain::{
        agenda::{Colour, Kind, SessionStatus, changes::Published},
        tlp::Tlp,
    },
};

#[derive(Queryable, Selectable, Debug, Clone, Serialize)]
#[diesel(table_name = sessions)]
pub struct Session {
    pub id: i64,
    pub meeting_id: i64,
    pub uid: String,
    pub title: String,
    pub abstract_text: String,
    pub kind: Kind,
    pub track_id: Option<i64>,
    pub room_id: Option<i64>,
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    pub tlp: Tlp,
    pub status: SessionStatus,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// What an organizer sets on a session (validated by the caller). Times are UTC.
#[derive(AsChangeset, Debug, Clone)]
#[diesel(table_name = sessions)]
pub struct SessionFields {
    pub title: String,
    pub abstract_text: String,
    pub kind: Kind,
    #[diesel(treat_none_as_null = true)]
    pub track_id: Option<i64>,
    #[diesel(treat_none_as_null = true)]
    pub room_id: Option<i64>,
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    pub tlp: Tlp,
}

#[derive(Queryable, Selectable, Debug, Clone, Serialize)]
#[diesel(table_name = session_speakers)]
pub struct Speaker {
    pub session_id: i64,
    pub name: String,
    pub team: String,
    /// The speaker's registration for the meeting; none for an outside guest.
    pub registration_id: Option<i64>,
    /// A guest's address for the plain notice (empty: none; never for a registration).
    pub email: String,
}

impl Speaker {
    /// "Name (Team)", or the name alone.
    pub fn display(&self) -> String {
        if self.team.is_empty() { self.name.clone() } else { format!("{} ({})", self.name, self.team) }
    }
}

pub fn for_meeting(conn: &mut DbConnection, meeting_id: i64) -> QueryResult<Vec<Session>> {
    sessions::table
        .filter(sessions::meeting_id.eq(meeting_id))
        .order((sessions::starts_at, sessions::id))
        .select(Session::as_select())
        .load(conn)
}

pub fn find(conn: &mut DbConnection, meeting_id: i64, id: i64) -> QueryResult<Session> {
    sessions::table
        .filter(sessions::meeting_id.eq(meeting_id))
        .filter(sessions::id.eq(id))
        .select(Session::as_select())
        .first(conn)
}

/// The speakers of a meeting's sessions, in their order.
pub fn speakers(conn: &mut DbConnection, meeting_id: i64) -> QueryResult<Vec<Speaker>> {
    session_speakers::table
        .inner_join(sessions::table)
        .filter(sessions::meeting_id.eq(meeting_id))
        .order((session_speakers::session_id, session_speakers::position))
        .select(Speaker::as_select())
        .load(conn)
}

/// A new scheduled session with its calendar UID; returns its id.
pub fn insert(
    conn: &mut DbConnection,
    meeting_id: i64,
    f: &SessionFields,
    speakers: &[NewSpeaker],
    uid: &str,
    now: NaiveDateTime,
) -> QueryResult<i64> {
    diesel::insert_into(sessions::table)
        .values((
            sessions::meeting_id.eq(meeting_id),
            sessions::uid.eq(uid),
            sessions::title.eq(&f.title),
            sessions::abstract_text.eq(&f.abstract_text),
            sessions::kind.eq(f.kind),
            sessions::track_id.eq(f.track_id),
            sessions::room_id.eq(f.room_id),
            sessions::starts_at.eq(f.starts_at),
            sessions::ends_at.eq(f.ends_at),
            sessions::tlp.eq(f.tlp),
            sessions::status.eq(SessionStatus::Scheduled),
            sessions::created_at.eq(now),
            sessions::updated_at.eq(now),
        ))
        .execute(conn)?;
    let id = sessions::table.filter(sessions::uid.eq(uid)).select(sessions::id).first(conn)?;
    super::speaker::replace(conn, id, speakers)?;
    Ok(id)
}

pub fn update(
    conn: &mut DbConnection,
    id: i64,
    f: &SessionFields,
    speakers: &[NewSpeaker],
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(sessions::table.find(id)).set((f, sessions::updated_at.eq(now))).execute(conn)?;
    super::speaker::replace(conn, id, speakers)
}

pub fn set_status(
    conn: &mut DbConnection,
    id: i64,
    status: SessionStatus,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(sessions::table.find(id))
        .set((sessions::status.eq(status), sessions::updated_at.eq(now)))
        .execute(conn)
}

/// A draft session as a release would publish it now.
#[derive(Debug, Clone)]
pub struct DraftEntry {
    pub published: Published,
    pub uid: String,
    pub track_colour: Option<Colour>,
}

/// The draft as a release would publish it now, in time order: without the sessions an
/// accepted proposal created that no organizer placed yet (`unscheduled`).
pub fn draft(conn: &mut DbConnection, meeting_id: i64) -> QueryResult<Vec<DraftEntry>> {
    type Row = (Session, Option<(String, Colour)>, Option<String>);
    let unplaced = super::unscheduled::of_meeting(conn, meeting_id)?;
    let rows: Vec<Row> = sessions::table
        .left_join(tracks::table)
        .left_join(rooms::table)
        .filter(sessions::meeting_id.eq(meeting_id))
        .order((sessions::starts_at, sessions::id))
        .select((Session::as_select(), (tracks::name, tracks::colour).nullable(), rooms::name.nullable()))
        .load(conn)?;
    let speakers = speakers(conn, meeting_id)?;
    Ok(rows
        .into_iter()
        .filter(|(s, _, _)| !unplaced.contains(&s.id))
        .map(|(s, track, room)| {
            let own = || speakers.iter().filter(|sp| sp.session_id == s.id);
            let names = own().map(Speaker::display).collect();
            let speaker_registrations = own().filter_map(|sp| sp.registration_id).collect();
            let (track, track_colour) = track.unzip();
            let uid = s.uid;
            let published = Published {
                session_id: s.id,
                title: s.title,
                abstract_text: s.abstract_text,
                kind: s.kind,
                track,
                room,
                starts_at: s.starts_at,
                ends_at: s.ends_at,
                tlp: s.tlp,
                status: s.status,
                speakers: names,
                speaker_registrations,
            };
            DraftEntry { published, uid, track_colour }
        })
        .collect())
}
