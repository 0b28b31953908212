//! Private feed tokens: one active per approved registration, only the SHA-256 stored.
//! Rotating revokes the old row, so the old URL answers like one that never existed.
//! A fetch writes nothing (no "last used": nothing showed it, and it was a write on the
//! path of every calendar's poll).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::{
    db::{
        DbConnection,
        schema::{agenda_releases, calendar_settings, feed_tokens, meetings, registrations},
    },
    domain::{registration::Status, states::FeedScope},
    models::meeting::Meeting,
};

super::registration_token::registration_token!(feed_tokens, FeedToken);

/// Revokes every active token of the user's registrations (after a password reset, or
/// when signing out everywhere): the old addresses answer like ones that never existed,
/// and the person makes new ones on their calendar page. Returns how many stopped.
/// The person's schedule addresses for conference apps and their organizer feeds stop with
/// them: they are secret addresses of the same kind.
pub fn revoke_for_user(conn: &mut DbConnection, user_id: i64, now: NaiveDateTime) -> QueryResult<usize> {
    let others = super::schedule_token::revoke_registrations_of(conn, user_id, now)?
        + super::organizer_feed_token::revoke_for_user(conn, user_id, now)?;
    Ok(revoke_registrations_of(conn, user_id, now)? + others)
}

/// What a fetch of a feed needs to know, read in one query: the registration the active
/// token belongs to (only while it is approved), its meeting, the feed's scope and when it
/// last changed for the attendee's own reasons, and the meeting's latest release.
#[derive(Debug, Clone)]
pub struct FeedAccess {
    pub registration_id: i64,
    pub meeting: Meeting,
    pub scope: FeedScope,
    /// `None`: the attendee never changed their choices or picks.
    pub feed_changed_at: Option<NaiveDateTime>,
    /// The latest release's id and publication time; `None` before the first release.
    pub latest_release: Option<(i64, NaiveDateTime)>,
}

/// The feed the active token with this hash opens, if its registration is approved. One
/// query: the token, registration and meeting joined, the calendar choices and the
/// meeting's releases left-joined, the newest release first (a meeting has a few
/// releases; the other joins match one row each).
pub fn access(conn: &mut DbConnection, hash: &str) -> QueryResult<Option<FeedAccess>> {
    type Row = (i64, Meeting, Option<(FeedScope, NaiveDateTime)>, Option<(i64, NaiveDateTime)>);
    let row: Option<Row> = feed_tokens::table
        .inner_join(registrations::table.inner_join(meetings::table))
        .left_join(
            calendar_settings::table.on(calendar_settings::registration_id.eq(feed_tokens::registration_id)),
        )
        .left_join(agenda_releases::table.on(agenda_releases::meeting_id.eq(registrations::meeting_id)))
        .filter(feed_tokens::token_hash.eq(hash))
        .filter(feed_tokens::revoked_at.is_null())
        .filter(registrations::status.eq(Status::Approved))
        .order(agenda_releases::number.desc())
        .select((
            registrations::id,
            Meeting::as_select(),
            (calendar_settings::feed_scope, calendar_settings::feed_changed_at).nullable(),
            (agenda_releases::id, agenda_releases::published_at).nullable(),
        ))
        .first(conn)
        .optional()?;
    Ok(row.map(|(registration_id, meeting, settings, latest_release)| FeedAccess {
        registration_id,
        meeting,
        scope: settings.as_ref().map_or(FeedScope::All, |(scope, _)| *scope),
        feed_changed_at: settings.map(|(_, at)| at),
        latest_release,
    }))
}
