//! Personal API tokens: only the SHA-256 stored, listed and revoked by their owner on
//! `/me/security`, found by hash on every API request with the account that holds them.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::{
    db::{
        DbConnection,
        schema::{api_tokens, users},
    },
    domain::api_token::{LAST_USED_EVERY, Scope},
    models::user::User,
};

#[derive(Queryable, Selectable, Clone)]
#[diesel(table_name = api_tokens)]
pub struct ApiToken {
    pub id: i64,
    pub user_id: i64,
    pub name: String,
    pub scope: Scope,
    pub token_hash: String,
    pub created_at: NaiveDateTime,
    pub expires_at: Option<NaiveDateTime>,
    pub last_used_at: Option<NaiveDateTime>,
    pub revoked_at: Option<NaiveDateTime>,
}

crate::domain::redact::debug_redacted!(ApiToken { id, user_id, name, scope, created_at, expires_at, last_used_at, revoked_at } secret: { token_hash });

/// A new token of `user_id`; returns its id.
pub fn create(
    c: &mut DbConnection,
    user_id: i64,
    (name, scope): (&str, Scope),
    hash: &str,
    expires_at: Option<NaiveDateTime>,
    now: NaiveDateTime,
) -> QueryResult<i64> {
    diesel::insert_into(api_tokens::table)
        .values((
            api_tokens::user_id.eq(user_id),
            api_tokens::name.eq(name),
            api_tokens::scope.eq(scope),
            api_tokens::token_hash.eq(hash),
            api_tokens::created_at.eq(now),
            api_tokens::expires_at.eq(expires_at),
        ))
        .execute(c)?;
    api_tokens::table.filter(api_tokens::token_hash.eq(hash)).select(api_tokens::id).first(c)
}

/// The account's tokens that are not revoked, newest first (expired ones included, marked
/// by the page).
pub fn for_user(c: &mut DbConnection, user_id: i64) -> QueryResult<Vec<ApiToken>> {
    api_tokens::table
        .filter(api_tokens::user_id.eq(user_id))
        .filter(api_tokens::revoked_at.is_null())
        .order(api_tokens::id.desc())
        .select(ApiToken::as_select())
        .load(c)
}

/// Revokes one token of the account; `None` when it has no such active token.
pub fn revoke(
    c: &mut DbConnection,
    user_id: i64,
    id: i64,
    now: NaiveDateTime,
) -> QueryResult<Option<String>> {
    let name = api_tokens::table
        .filter(api_tokens::id.eq(id))
        .filter(api_tokens::user_id.eq(user_id))
        .filter(api_tokens::revoked_at.is_null())
        .select(api_tokens::name)
        .first::<String>(c)
        .optional()?;
    if name.is_some() {
        diesel::update(api_tokens::table.filter(api_tokens::id.eq(id)))
            .set(api_tokens::revoked_at.eq(Some(now)))
            .execute(c)?;
    }
    Ok(name)
}

/// Revokes every active token of the account (a password reset, signing out everywhere);
/// returns how many stopped.
pub fn revoke_for_user(c: &mut DbConnection, user_id: i64, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(
        api_tokens::table.filter(api_tokens::user_id.eq(user_id)).filter(api_tokens::revoked_at.is_null()),
    )
    .set(api_tokens::revoked_at.eq(Some(now)))
    .execute(c)
}

/// The token with this hash and its account, revoked or not (the caller decides, with
/// `domain::api_token::is_live`, and answers the same for every refusal).
pub fn find(c: &mut DbConnection, hash: &str) -> QueryResult<Option<(ApiToken, User)>> {
    api_tokens::table
        .inner_join(users::table)
        .filter(api_tokens::token_hash.eq(hash))
        .select((ApiToken::as_select(), User::as_select()))
        .first(c)
        .optional()
}

/// Notes a use at `now` unless one was noted in the last hour (the condition is in the
/// statement, so instances racing write once).
pub fn note_use(c: &mut DbConnection, id: i64, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(
        api_tokens::table.filter(api_tokens::id.eq(id)).filter(
            api_tokens::last_used_at.is_null().or(api_tokens::last_used_at.le(now - LAST_USED_EVERY)),
        ),
    )
    .set(api_tokens::last_used_at.eq(Some(now)))
    .execute(c)
}
