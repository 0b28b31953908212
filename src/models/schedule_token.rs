//! Secret schedule addresses for conference apps (issue 18): one active per approved
//! registration, apart from the calendar feed's token, only the SHA-256 stored. Replacing
//! revokes the old row, so the old address answers like one that never existed. Access is
//! asked again on every fetch ([`access`]); a fetch writes nothing.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::{
    db::{
        DbConnection,
        schema::{agenda_releases, meetings, registrations, schedule_tokens},
    },
    domain::registration::Status,
    models::meeting::Meeting,
};

#[derive(Queryable, Selectable, Clone)]
#[diesel(table_name = schedule_tokens)]
pub struct ScheduleToken {
    pub id: i64,
    pub registration_id: i64,
    pub token_hash: String,
    pub created_at: NaiveDateTime,
    pub revoked_at: Option<NaiveDateTime>,
}

crate::domain::redact::debug_redacted!(ScheduleToken { id, registration_id, created_at, revoked_at } secret: { token_hash });

/// Revokes the registration's active schedule token, if any, and stores a new one.
pub fn replace(
    conn: &mut DbConnection,
    registration_id: i64,
    hash: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(
        schedule_tokens::table
            .filter(schedule_tokens::registration_id.eq(registration_id))
            .filter(schedule_tokens::revoked_at.is_null()),
    )
    .set(schedule_tokens::revoked_at.eq(Some(now)))
    .execute(conn)?;
    diesel::insert_into(schedule_tokens::table)
        .values((
            schedule_tokens::registration_id.eq(registration_id),
            schedule_tokens::token_hash.eq(hash),
            schedule_tokens::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// Revokes every active schedule token of the user's registrations (with their feeds,
/// after a password reset or "sign out everywhere"). Returns how many stopped.
pub fn revoke_for_user(conn: &mut DbConnection, user_id: i64, now: NaiveDateTime) -> QueryResult<usize> {
    let theirs = registrations::table.filter(registrations::user_id.eq(user_id)).select(registrations::id);
    diesel::update(
        schedule_tokens::table
            .filter(schedule_tokens::registration_id.eq_any(theirs))
            .filter(schedule_tokens::revoked_at.is_null()),
    )
    .set(schedule_tokens::revoked_at.eq(Some(now)))
    .execute(conn)
}

pub fn active_for(conn: &mut DbConnection, registration_id: i64) -> QueryResult<Option<ScheduleToken>> {
    schedule_tokens::table
        .filter(schedule_tokens::registration_id.eq(registration_id))
        .filter(schedule_tokens::revoked_at.is_null())
        .select(ScheduleToken::as_select())
        .first(conn)
        .optional()
}

/// What a schedule fetch needs: the meeting and its latest release.
#[derive(Debug, Clone)]
pub struct ScheduleAccess {
    pub meeting: Meeting,
    pub release_id: i64,
    pub release_name: String,
    pub published_at: NaiveDateTime,
}

/// The meeting and its latest release that the active token with this hash opens, while
/// its registration is approved and a release exists. One query.
pub fn access(conn: &mut DbConnection, hash: &str) -> QueryResult<Option<ScheduleAccess>> {
    schedule_tokens::table
        .inner_join(registrations::table.inner_join(meetings::table))
        .inner_join(agenda_releases::table.on(agenda_releases::meeting_id.eq(registrations::meeting_id)))
        .filter(schedule_tokens::token_hash.eq(hash))
        .filter(schedule_tokens::revoked_at.is_null())
        .filter(registrations::status.eq(Status::Approved))
        .order(agenda_releases::number.desc())
        .select((
            Meeting::as_select(),
            agenda_releases::id,
            agenda_releases::name,
            agenda_releases::published_at,
        ))
        .first::<(Meeting, i64, String, NaiveDateTime)>(conn)
        .optional()
        .map(|row| {
            row.map(|(meeting, release_id, release_name, published_at)| ScheduleAccess {
                meeting,
                release_id,
                release_name,
                published_at,
            })
        })
}
