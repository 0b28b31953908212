//! Invitations of a team's contacts to a meeting. Only the token's SHA-256 is stored; a
//! link works once, until it expires or an organizer revokes it.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use crate::db::{
    DbConnection,
    schema::{invitations, teams},
};

#[derive(Queryable, Selectable, Clone, Serialize)]
#[diesel(table_name = invitations)]
pub struct Invitation {
    pub id: i64,
    pub meeting_id: i64,
    pub team_id: i64,
    pub email: String,
    #[serde(skip)]
    pub token_hash: String,
    pub expires_at: NaiveDateTime,
    pub used_at: Option<NaiveDateTime>,
    pub revoked_at: Option<NaiveDateTime>,
    pub sent_by: Option<i64>,
    pub created_at: NaiveDateTime,
    /// The organizer's personal note, quoted in the mail; empty for none.
    pub note: String,
}

crate::domain::redact::debug_redacted!(Invitation { id, meeting_id, team_id, email, expires_at, used_at, revoked_at, sent_by, created_at } secret: { token_hash, note });

/// Where an invitation stands, as the organizer's list shows it.
impl Invitation {
    pub fn state(&self, now: NaiveDateTime) -> &'static str {
        if self.used_at.is_some() {
            "used"
        } else if self.revoked_at.is_some() {
            "revoked"
        } else if self.expires_at <= now {
            "expired"
        } else {
            "sent"
        }
    }
}

#[derive(Insertable)]
#[diesel(table_name = invitations)]
pub struct NewInvitation<'a> {
    pub meeting_id: i64,
    pub team_id: i64,
    pub email: &'a str,
    pub token_hash: &'a str,
    pub expires_at: NaiveDateTime,
    pub sent_by: Option<i64>,
    pub created_at: NaiveDateTime,
    pub note: &'a str,
}

crate::domain::redact::debug_redacted!(NewInvitation<'a> { meeting_id, team_id, email, expires_at, sent_by, created_at } secret: { token_hash, note });

pub fn insert(conn: &mut DbConnection, new: &NewInvitation<'_>) -> QueryResult<usize> {
    diesel::insert_into(invitations::table).values(new).execute(conn)
}

pub fn find(conn: &mut DbConnection, id: i64) -> QueryResult<Invitation> {
    invitations::table.find(id).select(Invitation::as_select()).first(conn)
}

pub fn by_hash(conn: &mut DbConnection, token_hash: &str) -> QueryResult<Option<Invitation>> {
    invitations::table
        .filter(invitations::token_hash.eq(token_hash))
        .select(Invitation::as_select())
        .first(conn)
        .optional()
}

/// The meeting's invitations with their team's name, by team then newest first.
pub fn for_meeting(conn: &mut DbConnection, meeting_id: i64) -> QueryResult<Vec<(Invitation, String)>> {
    invitations::table
        .inner_join(teams::table)
        .filter(invitations::meeting_id.eq(meeting_id))
        .order((teams::name, invitations::id.desc()))
        .select((Invitation::as_select(), teams::name))
        .load(conn)
}

/// The meeting's invitations after the id `after` by id, at most `limit`, with their
/// team's name: a page of the API's list.
pub fn page_for_meeting(
    conn: &mut DbConnection,
    meeting_id: i64,
    after: Option<i64>,
    limit: i64,
) -> QueryResult<Vec<(Invitation, String)>> {
    invitations::table
        .inner_join(teams::table)
        .filter(invitations::meeting_id.eq(meeting_id))
        .filter(invitations::id.gt(after.unwrap_or(0)))
        .order(invitations::id)
        .limit(limit)
        .select((Invitation::as_select(), teams::name))
        .load(conn)
}

/// Spends the invitation; `false` when it was used, revoked or expired in the meantime.
pub fn mark_used(conn: &mut DbConnection, id: i64, now: NaiveDateTime) -> QueryResult<bool> {
    let spent = diesel::update(
        invitations::table
            .find(id)
            .filter(invitations::used_at.is_null())
            .filter(invitations::revoked_at.is_null())
            .filter(invitations::expires_at.gt(now)),
    )
    .set(invitations::used_at.eq(now))
    .execute(conn)?;
    Ok(spent == 1)
}

/// Revokes an unused invitation of the meeting; `false` when there was nothing to revoke.
pub fn revoke(conn: &mut DbConnection, meeting_id: i64, id: i64, now: NaiveDateTime) -> QueryResult<bool> {
    let revoked = diesel::update(
        invitations::table
            .find(id)
            .filter(invitations::meeting_id.eq(meeting_id))
            .filter(invitations::used_at.is_null())
            .filter(invitations::revoked_at.is_null()),
    )
    .set(invitations::revoked_at.eq(now))
    .execute(conn)?;
    Ok(revoked == 1)
}

/// Gives an open (unused, unrevoked) invitation of the meeting a new link and expiry: the
/// old token's hash is replaced, so its link stops working. `false` when it was used or
/// revoked in the meantime.
pub fn renew(
    conn: &mut DbConnection,
    meeting_id: i64,
    id: i64,
    token_hash: &str,
    expires_at: NaiveDateTime,
) -> QueryResult<bool> {
    let renewed = diesel::update(
        invitations::table
            .find(id)
            .filter(invitations::meeting_id.eq(meeting_id))
            .filter(invitations::used_at.is_null())
            .filter(invitations::revoked_at.is_null()),
    )
    .set((invitations::token_hash.eq(token_hash), invitations::expires_at.eq(expires_at)))
    .execute(conn)?;
    Ok(renewed == 1)
}

/// The meeting an invitation is for.
pub fn meeting_of(
    conn: &mut DbConnection,
    invitation: &Invitation,
) -> QueryResult<crate::models::meeting::Meeting> {
    use crate::db::schema::meetings;
    meetings::table
        .find(invitation.meeting_id)
        .select(crate::models::meeting::Meeting::as_select())
        .first(conn)
}
