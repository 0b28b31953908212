//! Proposals of a meeting's call for contributions, their co-speakers and the organizers'
//! review. A proposal's title and abstract are TLP content: its `Debug` leaves them out, so
//! no log line can carry them (T1).

pub mod call;
pub mod review;
pub mod speakers;

use std::fmt;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use crate::{
    db::{
        DbConnection,
        schema::{proposals, registrations, teams, tracks, users},
    },
    domain::{proposal::State, tlp::Tlp},
};

#[derive(Queryable, Selectable, Clone, Serialize)]
#[diesel(table_name = proposals)]
pub struct Proposal {
    pub id: i64,
    pub meeting_id: i64,
    pub registration_id: i64,
    pub title: String,
    pub abstract_text: String,
    pub kind: String,
    pub track_id: Option<i64>,
    pub minutes: i32,
    pub tlp: Tlp,
    pub state: State,
    pub session_id: Option<i64>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// Without the title and abstract (T1: logs leave the app).
impl fmt::Debug for Proposal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Proposal")
            .field("id", &self.id)
            .field("meeting_id", &self.meeting_id)
            .field("registration_id", &self.registration_id)
            .field("title", &"[redacted]")
            .field("abstract_text", &"[redacted]")
            .field("tlp", &self.tlp)
            .field("state", &self.state)
            .finish_non_exhaustive()
    }
}

/// What the proposer sets (validated by the caller).
#[derive(Insertable, AsChangeset, Clone)]
#[diesel(table_name = proposals)]
pub struct ProposalFields {
    pub title: String,
    pub abstract_text: String,
    pub kind: String,
    #[diesel(treat_none_as_null = true)]
    pub track_id: Option<i64>,
    pub minutes: i32,
    pub tlp: Tlp,
}

impl fmt::Debug for ProposalFields {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProposalFields").field("tlp", &self.tlp).finish_non_exhaustive()
    }
}

pub fn insert(
    conn: &mut DbConnection,
    meeting_id: i64,
    registration_id: i64,
    f: &ProposalFields,
    now: NaiveDateTime,
) -> QueryResult<i64> {
    diesel::insert_into(proposals::table)
        .values((
            proposals::meeting_id.eq(meeting_id),
            proposals::registration_id.eq(registration_id),
            f,
            proposals::state.eq(State::Submitted),
            proposals::created_at.eq(now),
            proposals::updated_at.eq(now),
        ))
        .execute(conn)?;
    proposals::table
        .filter(proposals::registration_id.eq(registration_id))
        .order(proposals::id.desc())
        .select(proposals::id)
        .first(conn)
}

/// New fields from the proposer; the proposal waits for a decision again.
pub fn update(
    conn: &mut DbConnection,
    id: i64,
    f: &ProposalFields,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(proposals::table.find(id))
        .set((f, proposals::state.eq(State::Submitted), proposals::updated_at.eq(now)))
        .execute(conn)
}

pub fn set_state(conn: &mut DbConnection, id: i64, state: State, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(proposals::table.find(id))
        .set((proposals::state.eq(state), proposals::updated_at.eq(now)))
        .execute(conn)
}

pub fn set_session(conn: &mut DbConnection, id: i64, session_id: i64) -> QueryResult<usize> {
    diesel::update(proposals::table.find(id)).set(proposals::session_id.eq(session_id)).execute(conn)
}

/// Proposal `id` of the meeting (not found: another meeting's, or none).
pub fn find(conn: &mut DbConnection, meeting_id: i64, id: i64) -> QueryResult<Proposal> {
    proposals::table
        .filter(proposals::meeting_id.eq(meeting_id))
        .filter(proposals::id.eq(id))
        .select(Proposal::as_select())
        .first(conn)
}

pub fn get(conn: &mut DbConnection, id: i64) -> QueryResult<Proposal> {
    proposals::table.find(id).select(Proposal::as_select()).first(conn)
}

/// Takes the proposal's row lock (PostgreSQL; SQLite's writer lock is the transaction), so
/// two decisions or a decision and an edit do not cross.
pub fn lock(conn: &mut DbConnection, id: i64) -> QueryResult<Proposal> {
    if let DbConnection::Postgresql(c) = conn {
        let _: Vec<i64> = proposals::table.find(id).select(proposals::id).for_update().load(c)?;
    }
    proposals::table.find(id).select(Proposal::as_select()).first(conn)
}

/// The proposals a registration made, newest first.
pub fn of_registration(conn: &mut DbConnection, registration_id: i64) -> QueryResult<Vec<Proposal>> {
    proposals::table
        .filter(proposals::registration_id.eq(registration_id))
        .order(proposals::id.desc())
        .select(Proposal::as_select())
        .load(conn)
}

/// A proposal as the organizers' list shows it: with its proposer, team and track.
#[derive(Queryable, Clone)]
pub struct Listed {
    pub proposal: Proposal,
    pub proposer: String,
    pub team_id: i64,
    pub team: String,
    pub track: Option<String>,
}

/// Every proposal of the meeting, oldest first.
pub fn for_meeting(conn: &mut DbConnection, meeting_id: i64) -> QueryResult<Vec<Listed>> {
    proposals::table
        .inner_join(registrations::table.inner_join(users::table).inner_join(teams::table))
        .left_join(tracks::table)
        .filter(proposals::meeting_id.eq(meeting_id))
        .order(proposals::id)
        .select((Proposal::as_select(), users::name, teams::id, teams::name, tracks::name.nullable()))
        .load(conn)
}

/// One proposal of the meeting with its proposer, team and track.
pub fn listed(conn: &mut DbConnection, meeting_id: i64, id: i64) -> QueryResult<Listed> {
    proposals::table
        .inner_join(registrations::table.inner_join(users::table).inner_join(teams::table))
        .left_join(tracks::table)
        .filter(proposals::meeting_id.eq(meeting_id))
        .filter(proposals::id.eq(id))
        .select((Proposal::as_select(), users::name, teams::id, teams::name, tracks::name.nullable()))
        .first(conn)
}
