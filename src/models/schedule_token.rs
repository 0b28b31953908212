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

super::registration_token::registration_token!(schedule_tokens, ScheduleToken);

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
