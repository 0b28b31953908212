//! Endorsement requests (`endorsement_requests`): one per registration and team contact,
//! with the hash of the contact's link, its expiry, the one reminder and the answer. One
//! answer stands per registration: the others' requests are closed when it is given.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::{
    db::{
        DbConnection,
        schema::{endorsement_requests, registrations},
    },
    domain::{
        endorsement::{Answer, Standing},
        registration::Status,
    },
};

#[derive(Queryable, Selectable, Clone)]
#[diesel(table_name = endorsement_requests)]
pub struct Request {
    pub id: i64,
    pub registration_id: i64,
    pub contact_name: String,
    pub contact_email: String,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub reminded_at: Option<NaiveDateTime>,
    pub answer: Option<Answer>,
    pub note: String,
    pub answered_at: Option<NaiveDateTime>,
    pub closed_at: Option<NaiveDateTime>,
}

// The address stays out of logs; the note is the contact's words about a person.
crate::domain::redact::debug_redacted!(Request { id, registration_id, created_at, expires_at, reminded_at, answer, answered_at, closed_at } secret: { contact_name, contact_email, note });

/// Stores a request; its id.
pub fn insert(
    conn: &mut DbConnection,
    registration_id: i64,
    (name, email): (&str, &str),
    token_hash: &str,
    (now, expires_at): (NaiveDateTime, NaiveDateTime),
) -> QueryResult<i64> {
    diesel::insert_into(endorsement_requests::table)
        .values((
            endorsement_requests::registration_id.eq(registration_id),
            endorsement_requests::contact_name.eq(name),
            endorsement_requests::contact_email.eq(email),
            endorsement_requests::token_hash.eq(token_hash),
            endorsement_requests::created_at.eq(now),
            endorsement_requests::expires_at.eq(expires_at),
        ))
        .execute(conn)?;
    endorsement_requests::table
        .filter(endorsement_requests::token_hash.eq(token_hash))
        .select(endorsement_requests::id)
        .first(conn)
}

/// The request whose link hashes to `token_hash`.
pub fn by_token(conn: &mut DbConnection, token_hash: &str) -> QueryResult<Option<Request>> {
    endorsement_requests::table
        .filter(endorsement_requests::token_hash.eq(token_hash))
        .select(Request::as_select())
        .first(conn)
        .optional()
}

/// The requests of a registration, in the order they were made.
pub fn for_registration(conn: &mut DbConnection, registration_id: i64) -> QueryResult<Vec<Request>> {
    endorsement_requests::table
        .filter(endorsement_requests::registration_id.eq(registration_id))
        .order(endorsement_requests::id)
        .select(Request::as_select())
        .load(conn)
}

/// Where each of the registrations `ids` stands (one query); a registration without a
/// request is not in the map (not asked).
pub fn standings(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<HashMap<i64, Standing>> {
    let rows: Vec<Request> = endorsement_requests::table
        .filter(endorsement_requests::registration_id.eq_any(ids))
        .order(endorsement_requests::id)
        .select(Request::as_select())
        .load(conn)?;
    let mut found: HashMap<i64, Standing> = HashMap::new();
    for r in rows {
        let standing = match r.answer {
            Some(Answer::Endorsed) => Standing::Endorsed { by: r.contact_name, note: r.note },
            Some(Answer::Declined) => Standing::Declined { by: r.contact_name, note: r.note },
            None => Standing::Waiting,
        };
        let entry = found.entry(r.registration_id).or_insert(Standing::Waiting);
        if standing != Standing::Waiting {
            *entry = standing;
        }
    }
    Ok(found)
}

/// Where registration `id` stands.
pub fn standing(conn: &mut DbConnection, id: i64) -> QueryResult<Standing> {
    Ok(standings(conn, &[id])?.remove(&id).unwrap_or(Standing::NotAsked))
}

/// Records the answer on an open request; `false` when it was answered or closed already.
pub fn answer(
    conn: &mut DbConnection,
    id: i64,
    answer: Answer,
    note: &str,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let changed = diesel::update(
        endorsement_requests::table
            .find(id)
            .filter(endorsement_requests::answered_at.is_null())
            .filter(endorsement_requests::closed_at.is_null()),
    )
    .set((
        endorsement_requests::answer.eq(Some(answer)),
        endorsement_requests::note.eq(note),
        endorsement_requests::answered_at.eq(Some(now)),
        endorsement_requests::closed_at.eq(Some(now)),
    ))
    .execute(conn)?;
    Ok(changed == 1)
}

/// Closes the registration's other open requests: one answer stands.
pub fn close_others(conn: &mut DbConnection, registration_id: i64, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(
        endorsement_requests::table
            .filter(endorsement_requests::registration_id.eq(registration_id))
            .filter(endorsement_requests::closed_at.is_null()),
    )
    .set(endorsement_requests::closed_at.eq(Some(now)))
    .execute(conn)
}

/// The open requests made at or before `asked_before`, not reminded, not expired at `now`,
/// of registrations that still wait for the organizers (pending or waitlisted).
pub fn reminders_due(
    conn: &mut DbConnection,
    asked_before: NaiveDateTime,
    now: NaiveDateTime,
) -> QueryResult<Vec<Request>> {
    endorsement_requests::table
        .inner_join(registrations::table)
        .filter(endorsement_requests::reminded_at.is_null())
        .filter(endorsement_requests::closed_at.is_null())
        .filter(endorsement_requests::created_at.le(asked_before))
        .filter(endorsement_requests::expires_at.gt(now))
        .filter(registrations::status.eq_any([Status::Pending, Status::Waitlisted]))
        .order(endorsement_requests::id)
        .select(Request::as_select())
        .load(conn)
}

/// Notes the reminder of an open request; `false` when it was reminded, answered or closed
/// meanwhile (so the caller queues nothing).
pub fn mark_reminded(conn: &mut DbConnection, id: i64, now: NaiveDateTime) -> QueryResult<bool> {
    let changed = diesel::update(
        endorsement_requests::table
            .find(id)
            .filter(endorsement_requests::reminded_at.is_null())
            .filter(endorsement_requests::closed_at.is_null()),
    )
    .set(endorsement_requests::reminded_at.eq(Some(now)))
    .execute(conn)?;
    Ok(changed == 1)
}

/// Gives a request a new link (the reminder's); the old one stops working.
pub fn replace_token(conn: &mut DbConnection, id: i64, token_hash: &str) -> QueryResult<usize> {
    diesel::update(endorsement_requests::table.find(id))
        .set(endorsement_requests::token_hash.eq(token_hash))
        .execute(conn)
}
