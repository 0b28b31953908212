//! An attendee's calendar choices for one registration: what the feed holds (all sessions
//! or only their picks) and how session invites arrive (email, feed, or both); and when the
//! feed's content last changed for a reason of theirs (a pick, a choice).

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use crate::{
    db::{DbConnection, schema::calendar_settings},
    domain::states::{FeedScope, InviteChoice},
    models::feed_token,
};

#[derive(Queryable, Selectable, Debug, Clone, Serialize)]
#[diesel(table_name = calendar_settings)]
pub struct CalendarSettings {
    pub registration_id: i64,
    pub feed_scope: FeedScope,
    pub session_invites: InviteChoice,
    pub feed_changed_at: NaiveDateTime,
}

impl CalendarSettings {
    pub fn picks_only(&self) -> bool {
        self.feed_scope == FeedScope::Picks
    }

    pub fn invites_by_email(&self) -> bool {
        self.session_invites != InviteChoice::Feed
    }
}

/// The stored choices, or the defaults: the whole agenda, and session invites by email and
/// in the feed until the attendee has a feed address, then only in the feed (a calendar
/// subscribed to the feed would otherwise show each pick twice).
pub fn get(conn: &mut DbConnection, registration_id: i64) -> QueryResult<CalendarSettings> {
    let stored = calendar_settings::table
        .find(registration_id)
        .select(CalendarSettings::as_select())
        .first(conn)
        .optional()?;
    if let Some(s) = stored {
        return Ok(s);
    }
    let has_feed = feed_token::active_for(conn, registration_id)?.is_some();
    Ok(CalendarSettings {
        registration_id,
        feed_scope: FeedScope::All,
        session_invites: if has_feed { InviteChoice::Feed } else { InviteChoice::Both },
        // "Never", as a time both backends store: PostgreSQL refuses NaiveDateTime::MIN
        // (year -262144), which a save of unchanged choices would write.
        feed_changed_at: chrono::DateTime::UNIX_EPOCH.naive_utc(),
    })
}

pub fn save(conn: &mut DbConnection, s: &CalendarSettings) -> QueryResult<()> {
    let updated = diesel::update(calendar_settings::table.find(s.registration_id))
        .set((
            calendar_settings::feed_scope.eq(&s.feed_scope),
            calendar_settings::session_invites.eq(&s.session_invites),
            calendar_settings::feed_changed_at.eq(s.feed_changed_at),
        ))
        .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(calendar_settings::table)
            .values((
                calendar_settings::registration_id.eq(s.registration_id),
                calendar_settings::feed_scope.eq(&s.feed_scope),
                calendar_settings::session_invites.eq(&s.session_invites),
                calendar_settings::feed_changed_at.eq(s.feed_changed_at),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Notes that the attendee's feed changed now (a pick, an unpick, a new choice).
pub fn feed_changed(conn: &mut DbConnection, registration_id: i64, now: NaiveDateTime) -> QueryResult<()> {
    let mut s = get(conn, registration_id)?;
    s.feed_changed_at = s.feed_changed_at.max(now);
    save(conn, &s)
}
