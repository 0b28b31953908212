//! A meeting's call for contributions: its window (UTC), whether pending registrations may
//! propose, and its kinds. No row: the meeting has no call yet.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::{
    db::{DbConnection, schema::calls},
    domain::proposal::{self, Window},
};

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = calls)]
pub struct Call {
    pub meeting_id: i64,
    pub opens_at: NaiveDateTime,
    pub closes_at: NaiveDateTime,
    pub pending_may_propose: bool,
    /// One per line; read with [`Call::kinds`].
    pub kinds: String,
    pub updated_by: Option<i64>,
    pub updated_at: NaiveDateTime,
}

impl Call {
    pub fn window(&self) -> Window {
        Window { opens_at: self.opens_at, closes_at: self.closes_at }
    }

    pub fn kinds(&self) -> Vec<String> {
        proposal::stored_kinds(&self.kinds)
    }
}

/// What an organizer sets on the call (validated by the caller).
#[derive(Debug, Clone)]
pub struct CallFields {
    pub opens_at: NaiveDateTime,
    pub closes_at: NaiveDateTime,
    pub pending_may_propose: bool,
    pub kinds: Vec<String>,
}

pub fn of_meeting(conn: &mut DbConnection, meeting_id: i64) -> QueryResult<Option<Call>> {
    calls::table.find(meeting_id).select(Call::as_select()).first(conn).optional()
}

/// Among `meeting_ids`, those whose call lets registrations waiting for review propose, in
/// one query (`/me` asks it for all of a person's meetings at once).
pub fn letting_pending_propose(conn: &mut DbConnection, meeting_ids: &[i64]) -> QueryResult<Vec<i64>> {
    calls::table
        .filter(calls::meeting_id.eq_any(meeting_ids))
        .filter(calls::pending_may_propose.eq(true))
        .select(calls::meeting_id)
        .load(conn)
}

/// Creates or replaces the meeting's call, in the caller's transaction.
pub fn save(
    conn: &mut DbConnection,
    meeting_id: i64,
    f: &CallFields,
    actor: i64,
    now: NaiveDateTime,
) -> QueryResult<()> {
    // Delete and insert: an upsert is not portable through the connection enum.
    diesel::delete(calls::table.find(meeting_id)).execute(conn)?;
    diesel::insert_into(calls::table)
        .values((
            calls::meeting_id.eq(meeting_id),
            calls::opens_at.eq(f.opens_at),
            calls::closes_at.eq(f.closes_at),
            calls::pending_may_propose.eq(f.pending_may_propose),
            calls::kinds.eq(f.kinds.join("\n")),
            calls::updated_by.eq(actor),
            calls::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}
