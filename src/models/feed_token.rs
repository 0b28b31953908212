//! Private feed tokens: one active per approved registration, only the SHA-256 stored.
//! Rotating revokes the old row, so the old URL answers like one that never existed.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use crate::db::{
    DbConnection,
    schema::{feed_tokens, registrations},
};

#[derive(Queryable, Selectable, Clone)]
#[diesel(table_name = feed_tokens)]
pub struct FeedToken {
    pub id: i64,
    pub registration_id: i64,
    pub token_hash: String,
    pub created_at: NaiveDateTime,
    pub revoked_at: Option<NaiveDateTime>,
    pub last_used_at: Option<NaiveDateTime>,
}

crate::domain::redact::debug_redacted!(FeedToken { id, registration_id, created_at, revoked_at, last_used_at } secret: { token_hash });

/// Revokes the registration's active token, if any, and stores a new one.
pub fn replace(
    conn: &mut DbConnection,
    registration_id: i64,
    hash: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    revoke_all(conn, registration_id, now)?;
    diesel::insert_into(feed_tokens::table)
        .values((
            feed_tokens::registration_id.eq(registration_id),
            feed_tokens::token_hash.eq(hash),
            feed_tokens::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn revoke_all(conn: &mut DbConnection, registration_id: i64, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(
        feed_tokens::table
            .filter(feed_tokens::registration_id.eq(registration_id))
            .filter(feed_tokens::revoked_at.is_null()),
    )
    .set(feed_tokens::revoked_at.eq(Some(now)))
    .execute(conn)
}

/// Revokes every active token of the user's registrations (after a password reset, or
/// when signing out everywhere): the old addresses answer like ones that never existed,
/// and the person makes new ones on their calendar page. Returns how many stopped.
pub fn revoke_for_user(conn: &mut DbConnection, user_id: i64, now: NaiveDateTime) -> QueryResult<usize> {
    let theirs = registrations::table.filter(registrations::user_id.eq(user_id)).select(registrations::id);
    diesel::update(
        feed_tokens::table
            .filter(feed_tokens::registration_id.eq_any(theirs))
            .filter(feed_tokens::revoked_at.is_null()),
    )
    .set(feed_tokens::revoked_at.eq(Some(now)))
    .execute(conn)
}

/// The active token with this hash.
pub fn find_active(conn: &mut DbConnection, hash: &str) -> QueryResult<Option<FeedToken>> {
    feed_tokens::table
        .filter(feed_tokens::token_hash.eq(hash))
        .filter(feed_tokens::revoked_at.is_null())
        .select(FeedToken::as_select())
        .first(conn)
        .optional()
}

pub fn active_for(conn: &mut DbConnection, registration_id: i64) -> QueryResult<Option<FeedToken>> {
    feed_tokens::table
        .filter(feed_tokens::registration_id.eq(registration_id))
        .filter(feed_tokens::revoked_at.is_null())
        .select(FeedToken::as_select())
        .first(conn)
        .optional()
}

/// Notes a fetch, at most once an hour per token (a write per fetch would serialise
/// calendar clients on SQLite's write lock).
pub fn touch(conn: &mut DbConnection, t: &FeedToken, now: NaiveDateTime) -> QueryResult<()> {
    if t.last_used_at.is_none_or(|at| now - at >= Duration::hours(1)) {
        diesel::update(feed_tokens::table.find(t.id))
            .set(feed_tokens::last_used_at.eq(Some(now)))
            .execute(conn)?;
    }
    Ok(())
}
