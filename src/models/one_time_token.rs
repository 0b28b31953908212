//! Single-use links (first-run setup, organizer invitations, password resets, address
//! confirmations). Only the
//! token's hash is stored; a token dies when used or when it expires.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::{
    db::{DbConnection, schema::one_time_tokens},
    domain::states::Purpose,
};

#[derive(Queryable, Selectable, Clone)]
#[diesel(table_name = one_time_tokens)]
pub struct OneTimeToken {
    pub id: i64,
    pub purpose: Purpose,
    pub token_hash: String,
    pub user_id: Option<i64>,
    pub email: Option<String>,
    pub name: Option<String>,
    pub expires_at: NaiveDateTime,
    pub used_at: Option<NaiveDateTime>,
    pub created_by: Option<i64>,
    pub created_at: NaiveDateTime,
}

crate::domain::redact::debug_redacted!(OneTimeToken { id, purpose, user_id, email, name, expires_at, used_at, created_by, created_at } secret: { token_hash });

#[derive(Insertable)]
#[diesel(table_name = one_time_tokens)]
pub struct NewToken<'a> {
    pub purpose: Purpose,
    pub token_hash: &'a str,
    pub user_id: Option<i64>,
    pub email: Option<&'a str>,
    pub name: Option<&'a str>,
    pub expires_at: NaiveDateTime,
    pub created_by: Option<i64>,
    pub created_at: NaiveDateTime,
}

crate::domain::redact::debug_redacted!(NewToken<'a> { purpose, user_id, email, name, expires_at, created_by, created_at } secret: { token_hash });

pub fn insert(conn: &mut DbConnection, token: &NewToken<'_>) -> QueryResult<usize> {
    diesel::insert_into(one_time_tokens::table).values(token).execute(conn)
}

/// A token of one of `purposes` that is unused and unexpired at `now`.
pub fn find_valid(
    conn: &mut DbConnection,
    token_hash: &str,
    purposes: &[Purpose],
    now: NaiveDateTime,
) -> QueryResult<Option<OneTimeToken>> {
    one_time_tokens::table
        .filter(one_time_tokens::token_hash.eq(token_hash))
        .filter(one_time_tokens::purpose.eq_any(purposes.to_vec()))
        .filter(one_time_tokens::used_at.is_null())
        .filter(one_time_tokens::expires_at.gt(now))
        .select(OneTimeToken::as_select())
        .first(conn)
        .optional()
}

/// Spends the token; `false` if someone spent it first, or it expired or was retired
/// (revoked) since it was checked.
pub fn mark_used(conn: &mut DbConnection, id: i64, now: NaiveDateTime) -> QueryResult<bool> {
    let open = one_time_tokens::used_at.is_null().and(one_time_tokens::expires_at.gt(now));
    let spent = diesel::update(one_time_tokens::table.find(id).filter(open))
        .set(one_time_tokens::used_at.eq(now))
        .execute(conn)?;
    Ok(spent == 1)
}

/// Retires unused tokens of a purpose (a new setup link replaces the old ones).
pub fn retire_unused(conn: &mut DbConnection, purpose: Purpose, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(
        one_time_tokens::table
            .filter(one_time_tokens::purpose.eq(purpose))
            .filter(one_time_tokens::used_at.is_null()),
    )
    .set(one_time_tokens::expires_at.eq(now))
    .execute(conn)
}

/// The links that invite someone to an organizer or reviewer account.
const INVITES: [Purpose; 2] = [Purpose::OrganizerInvite, Purpose::ReviewerInvite];

/// Open organizer and reviewer invitations, newest first.
pub fn open_invitations(conn: &mut DbConnection, now: NaiveDateTime) -> QueryResult<Vec<OneTimeToken>> {
    one_time_tokens::table
        .filter(one_time_tokens::purpose.eq_any(INVITES))
        .filter(one_time_tokens::used_at.is_null())
        .filter(one_time_tokens::expires_at.gt(now))
        .order(one_time_tokens::id.desc())
        .select(OneTimeToken::as_select())
        .load(conn)
}

/// Retires one open organizer or reviewer invitation; `false` if it was used, expired or never existed.
pub fn retire_invitation(conn: &mut DbConnection, id: i64, now: NaiveDateTime) -> QueryResult<bool> {
    let retired = diesel::update(
        one_time_tokens::table
            .find(id)
            .filter(one_time_tokens::purpose.eq_any(INVITES))
            .filter(one_time_tokens::used_at.is_null())
            .filter(one_time_tokens::expires_at.gt(now)),
    )
    .set(one_time_tokens::expires_at.eq(now))
    .execute(conn)?;
    Ok(retired == 1)
}

/// Retires the unused tokens of `purpose` that belong to `user_id` (another reset link of
/// the same person dies when one is used).
pub fn retire_for_user(
    conn: &mut DbConnection,
    user_id: i64,
    purpose: Purpose,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        one_time_tokens::table
            .filter(one_time_tokens::user_id.eq(user_id))
            .filter(one_time_tokens::purpose.eq(purpose))
            .filter(one_time_tokens::used_at.is_null()),
    )
    .set(one_time_tokens::expires_at.eq(now))
    .execute(conn)
}

/// Retires the unused tokens an account created (a disabled organizer's invitations).
pub fn retire_created_by(conn: &mut DbConnection, creator: i64, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(
        one_time_tokens::table
            .filter(one_time_tokens::created_by.eq(creator))
            .filter(one_time_tokens::used_at.is_null()),
    )
    .set(one_time_tokens::expires_at.eq(now))
    .execute(conn)
}
