//! An organizer's own calendar feed of a meeting's whole released agenda (issue 18, point
//! 5): organizers have no registration, so their feed has a token of its own kind, one
//! active per organizer and meeting, only the SHA-256 stored. Replacing revokes the old
//! row. Access is asked again on every fetch: the account must still be an organizer and
//! not disabled.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::{
    db::{
        DbConnection,
        schema::{agenda_releases, meetings, organizer_feed_tokens, users},
    },
    domain::states::Role,
    models::meeting::Meeting,
};

#[derive(Queryable, Selectable, Clone)]
#[diesel(table_name = organizer_feed_tokens)]
pub struct OrganizerFeedToken {
    pub id: i64,
    pub user_id: i64,
    pub meeting_id: i64,
    pub token_hash: String,
    pub created_at: NaiveDateTime,
    pub revoked_at: Option<NaiveDateTime>,
}

crate::domain::redact::debug_redacted!(OrganizerFeedToken { id, user_id, meeting_id, created_at, revoked_at } secret: { token_hash });

/// Revokes the organizer's active feed token of the meeting, if any, and stores a new one.
pub fn replace(
    conn: &mut DbConnection,
    user_id: i64,
    meeting_id: i64,
    hash: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(
        organizer_feed_tokens::table
            .filter(organizer_feed_tokens::user_id.eq(user_id))
            .filter(organizer_feed_tokens::meeting_id.eq(meeting_id))
            .filter(organizer_feed_tokens::revoked_at.is_null()),
    )
    .set(organizer_feed_tokens::revoked_at.eq(Some(now)))
    .execute(conn)?;
    diesel::insert_into(organizer_feed_tokens::table)
        .values((
            organizer_feed_tokens::user_id.eq(user_id),
            organizer_feed_tokens::meeting_id.eq(meeting_id),
            organizer_feed_tokens::token_hash.eq(hash),
            organizer_feed_tokens::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// Revokes every active organizer feed token of the account (after a password reset or
/// "sign out everywhere", with the attendee feeds). Returns how many stopped.
pub fn revoke_for_user(conn: &mut DbConnection, user_id: i64, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(
        organizer_feed_tokens::table
            .filter(organizer_feed_tokens::user_id.eq(user_id))
            .filter(organizer_feed_tokens::revoked_at.is_null()),
    )
    .set(organizer_feed_tokens::revoked_at.eq(Some(now)))
    .execute(conn)
}

pub fn active_for(
    conn: &mut DbConnection,
    user_id: i64,
    meeting_id: i64,
) -> QueryResult<Option<OrganizerFeedToken>> {
    organizer_feed_tokens::table
        .filter(organizer_feed_tokens::user_id.eq(user_id))
        .filter(organizer_feed_tokens::meeting_id.eq(meeting_id))
        .filter(organizer_feed_tokens::revoked_at.is_null())
        .select(OrganizerFeedToken::as_select())
        .first(conn)
        .optional()
}

/// A meeting and its latest release's id and publication time (`None` before the first).
pub type Opened = (Meeting, Option<(i64, NaiveDateTime)>);

/// The meeting and its latest release that the active token with this hash opens, while
/// its account is an organizer and not disabled. One query.
pub fn access(conn: &mut DbConnection, hash: &str) -> QueryResult<Option<Opened>> {
    organizer_feed_tokens::table
        .inner_join(users::table)
        .inner_join(meetings::table)
        .left_join(
            agenda_releases::table.on(agenda_releases::meeting_id.eq(organizer_feed_tokens::meeting_id)),
        )
        .filter(organizer_feed_tokens::token_hash.eq(hash))
        .filter(organizer_feed_tokens::revoked_at.is_null())
        .filter(users::role.eq(Role::Organizer))
        .filter(users::disabled_at.is_null())
        .order(agenda_releases::number.desc())
        .select((Meeting::as_select(), (agenda_releases::id, agenda_releases::published_at).nullable()))
        .first(conn)
        .optional()
}
