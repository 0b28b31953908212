//! Server-side sessions: the cookie holds a random id, the table only its hash.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::{
    db::{
        DbConnection,
        schema::{users, web_sessions},
    },
    models::user::User,
};

#[derive(Queryable, Selectable, Clone)]
#[diesel(table_name = web_sessions)]
pub struct WebSession {
    pub id: i64,
    pub token_hash: String,
    pub user_id: i64,
    pub csrf_token: String,
    pub second_factor_done: bool,
    pub created_at: NaiveDateTime,
    pub last_seen_at: NaiveDateTime,
}

crate::domain::redact::debug_redacted!(WebSession { id, user_id, second_factor_done, created_at, last_seen_at } secret: { token_hash, csrf_token });

pub fn create(
    conn: &mut DbConnection,
    token_hash: &str,
    user_id: i64,
    csrf_token: &str,
    second_factor_done: bool,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::insert_into(web_sessions::table)
        .values((
            web_sessions::token_hash.eq(token_hash),
            web_sessions::user_id.eq(user_id),
            web_sessions::csrf_token.eq(csrf_token),
            web_sessions::second_factor_done.eq(second_factor_done),
            web_sessions::created_at.eq(now),
            web_sessions::last_seen_at.eq(now),
        ))
        .execute(conn)
}

/// The session with this id hash and its user.
pub fn find(conn: &mut DbConnection, token_hash: &str) -> QueryResult<Option<(WebSession, User)>> {
    web_sessions::table
        .inner_join(users::table)
        .filter(web_sessions::token_hash.eq(token_hash))
        .select((WebSession::as_select(), User::as_select()))
        .first(conn)
        .optional()
}

pub fn touch(conn: &mut DbConnection, id: i64, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(web_sessions::table.find(id)).set(web_sessions::last_seen_at.eq(now)).execute(conn)
}

pub fn delete(conn: &mut DbConnection, id: i64) -> QueryResult<usize> {
    diesel::delete(web_sessions::table.find(id)).execute(conn)
}

/// Ends the user's other sessions (after a password change), keeping `keep`.
pub fn delete_others(conn: &mut DbConnection, user_id: i64, keep: i64) -> QueryResult<usize> {
    diesel::delete(
        web_sessions::table.filter(web_sessions::user_id.eq(user_id)).filter(web_sessions::id.ne(keep)),
    )
    .execute(conn)
}
