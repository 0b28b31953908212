//! Co-speakers of a proposal: registered people of the meeting. The proposer chooses them
//! from those who agreed to be listed, or names one by address; either way the person
//! confirms by a mailed link, whose hash alone is kept (cleared once used).

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use crate::{
    db::{
        DbConnection,
        schema::{proposal_speakers, registrations, teams, users},
    },
    domain::{proposal::SPEAKER_STATUSES, registration::Status},
};

/// A person the proposer may choose by name.
#[derive(Queryable, Serialize, Debug, Clone)]
pub struct Candidate {
    pub registration_id: i64,
    pub name: String,
    pub team: String,
}

/// The meeting's approved attendees who agreed to be listed (on the list other approved
/// attendees see, and no further), other than `except` (the proposer), by name.
pub fn candidates(conn: &mut DbConnection, meeting_id: i64, except: i64) -> QueryResult<Vec<Candidate>> {
    registrations::table
        .inner_join(users::table)
        .inner_join(teams::table)
        .filter(registrations::meeting_id.eq(meeting_id))
        .filter(registrations::id.ne(except))
        .filter(registrations::consent_listed.eq(true))
        .filter(registrations::status.eq(Status::Approved))
        .order((users::name, registrations::id))
        .select((registrations::id, users::name, teams::name))
        .load(conn)
}

/// The registration of the meeting held by `email` (folded to lower case as stored), when
/// its person is registered; listed or not. The caller answers the same either way.
pub fn registered_address(conn: &mut DbConnection, meeting_id: i64, email: &str) -> QueryResult<Option<i64>> {
    registrations::table
        .inner_join(users::table)
        .filter(registrations::meeting_id.eq(meeting_id))
        .filter(users::email.eq(email))
        .filter(registrations::status.eq_any(SPEAKER_STATUSES))
        .select(registrations::id)
        .first(conn)
        .optional()
}

/// A co-speaker as the proposal's pages show it.
#[derive(Queryable, Serialize, Debug, Clone)]
pub struct Speaker {
    pub id: i64,
    pub proposal_id: i64,
    pub registration_id: i64,
    pub by_address: bool,
    pub confirmed_at: Option<NaiveDateTime>,
    pub name: String,
    pub team: String,
}

/// The co-speakers of these proposals, in the order they were added.
pub fn of_proposals(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<Vec<Speaker>> {
    proposal_speakers::table
        .inner_join(registrations::table.inner_join(users::table).inner_join(teams::table))
        .filter(proposal_speakers::proposal_id.eq_any(ids.to_vec()))
        .order(proposal_speakers::id)
        .select((
            proposal_speakers::id,
            proposal_speakers::proposal_id,
            proposal_speakers::registration_id,
            proposal_speakers::by_address,
            proposal_speakers::confirmed_at,
            users::name,
            teams::name,
        ))
        .load(conn)
}

/// Adds `registration_id` as a co-speaker waiting to confirm with the token of
/// `token_hash`; false when they are one already (nothing written).
pub fn add(
    conn: &mut DbConnection,
    proposal_id: i64,
    registration_id: i64,
    by_address: bool,
    token_hash: &str,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let there = proposal_speakers::table
        .filter(proposal_speakers::proposal_id.eq(proposal_id))
        .filter(proposal_speakers::registration_id.eq(registration_id))
        .count()
        .get_result::<i64>(conn)?;
    if there > 0 {
        return Ok(false);
    }
    diesel::insert_into(proposal_speakers::table)
        .values((
            proposal_speakers::proposal_id.eq(proposal_id),
            proposal_speakers::registration_id.eq(registration_id),
            proposal_speakers::by_address.eq(by_address),
            proposal_speakers::token_hash.eq(token_hash),
            proposal_speakers::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(true)
}

/// Removes the co-speakers chosen by name that are not in `keep`; those named by address
/// stay (the proposer never saw who they are, so cannot unchoose them on the form).
pub fn keep_chosen(conn: &mut DbConnection, proposal_id: i64, keep: &[i64]) -> QueryResult<usize> {
    diesel::delete(
        proposal_speakers::table
            .filter(proposal_speakers::proposal_id.eq(proposal_id))
            .filter(proposal_speakers::by_address.eq(false))
            .filter(proposal_speakers::registration_id.ne_all(keep.to_vec())),
    )
    .execute(conn)
}

/// The unconfirmed co-speaker whose link has this hash: (speaker id, proposal id, the
/// status of their registration).
pub fn by_token(conn: &mut DbConnection, token_hash: &str) -> QueryResult<Option<(i64, i64, Status)>> {
    proposal_speakers::table
        .inner_join(registrations::table)
        .filter(proposal_speakers::token_hash.eq(token_hash))
        .filter(proposal_speakers::confirmed_at.is_null())
        .select((proposal_speakers::id, proposal_speakers::proposal_id, registrations::status))
        .first(conn)
        .optional()
}

/// Confirms a co-speaker and spends their link; false when it was spent already.
pub fn confirm(conn: &mut DbConnection, id: i64, now: NaiveDateTime) -> QueryResult<bool> {
    let n = diesel::update(
        proposal_speakers::table
            .filter(proposal_speakers::id.eq(id))
            .filter(proposal_speakers::confirmed_at.is_null()),
    )
    .set((proposal_speakers::confirmed_at.eq(now), proposal_speakers::token_hash.eq(None::<String>)))
    .execute(conn)?;
    Ok(n == 1)
}

/// (name, team) of a registration's person: how a session lists its speakers.
pub fn name_and_team(conn: &mut DbConnection, registration_id: i64) -> QueryResult<(String, String)> {
    registrations::table
        .inner_join(users::table)
        .inner_join(teams::table)
        .filter(registrations::id.eq(registration_id))
        .select((users::name, teams::name))
        .first(conn)
}

/// Removes the co-speaker named by `email` on proposal `proposal_id` of meeting
/// `meeting_id`, if the proposer named that address (rows chosen by name stay: the form
/// unchooses those). Returns how many rows went (0 or 1); the caller answers the same
/// either way, so the answer tells nothing about the address.
pub fn remove_by_address(
    conn: &mut DbConnection,
    meeting_id: i64,
    proposal_id: i64,
    email: &str,
) -> QueryResult<usize> {
    let of_address = registrations::table
        .inner_join(users::table)
        .filter(registrations::meeting_id.eq(meeting_id))
        .filter(users::email.eq(email.to_owned()))
        .select(registrations::id);
    diesel::delete(
        proposal_speakers::table
            .filter(proposal_speakers::proposal_id.eq(proposal_id))
            .filter(proposal_speakers::by_address.eq(true))
            .filter(proposal_speakers::registration_id.eq_any(of_address)),
    )
    .execute(conn)
}

/// Removes the co-speaker row `speaker_id` named by address on proposal `proposal_id`
/// (one the proposer sees: confirmed). Returns how many rows went.
pub fn remove_named(conn: &mut DbConnection, proposal_id: i64, speaker_id: i64) -> QueryResult<usize> {
    diesel::delete(
        proposal_speakers::table
            .filter(proposal_speakers::id.eq(speaker_id))
            .filter(proposal_speakers::proposal_id.eq(proposal_id))
            .filter(proposal_speakers::by_address.eq(true)),
    )
    .execute(conn)
}
