//! The first organizer: while the database has none, `serve` prints a one-time link
//! (valid 24 hours) that opens the organizer sign-up form.

use chrono::{Duration, NaiveDateTime};
use diesel::QueryResult;

use crate::{
    db::DbConnection,
    domain::states::Purpose,
    domain::token::Token,
    models::{one_time_token, user},
};

pub const SETUP_LINK_HOURS: i64 = 24;

/// A fresh setup token when there is no organizer yet (older unused ones are retired).
pub fn setup_token_if_needed(conn: &mut DbConnection, now: NaiveDateTime) -> QueryResult<Option<Token>> {
    crate::db::transaction(conn, |conn| {
        if user::any_organizer(conn)? {
            return Ok(None);
        }
        one_time_token::retire_unused(conn, Purpose::Setup, now)?;
        let token = Token::generate();
        let hash = token.hash();
        one_time_token::insert(
            conn,
            &one_time_token::NewToken {
                purpose: Purpose::Setup,
                token_hash: &hash,
                user_id: None,
                email: None,
                name: None,
                expires_at: now + Duration::hours(SETUP_LINK_HOURS),
                created_by: None,
                created_at: now,
            },
        )?;
        Ok(Some(token))
    })
}
