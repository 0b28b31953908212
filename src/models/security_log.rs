//! The security log: sign-ins, their failures, resets and recovery-code use (see
//! `domain::security_event`). Rows go with the account (the foreign key cascades) and
//! after the retention (`purge_before`).

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use crate::{
    db::{DbConnection, schema::security_log},
    domain::security_event::Event,
};

#[derive(Queryable, Selectable, Debug, Clone, Serialize)]
#[diesel(table_name = security_log)]
pub struct SecurityEntry {
    #[serde(skip)]
    pub id: i64,
    #[serde(skip)]
    pub user_id: Option<i64>,
    pub event: Event,
    pub client_ip: String,
    pub user_agent: String,
    pub at: NaiveDateTime,
}

/// One row to write: the account when known, the client address as the trusted-proxy rule
/// gives it and the browser family (never the raw header).
#[derive(Debug, Clone)]
pub struct NewEntry {
    pub user_id: Option<i64>,
    pub event: Event,
    pub client_ip: String,
    pub user_agent: &'static str,
    pub at: NaiveDateTime,
}

pub fn record(conn: &mut DbConnection, e: &NewEntry) -> QueryResult<usize> {
    diesel::insert_into(security_log::table)
        .values((
            security_log::user_id.eq(e.user_id),
            security_log::event.eq(e.event),
            security_log::client_ip.eq(&e.client_ip),
            security_log::user_agent.eq(e.user_agent),
            security_log::at.eq(e.at),
        ))
        .execute(conn)
}

/// The account's rows, newest first; `limit` of them when given.
pub fn for_user(
    conn: &mut DbConnection,
    user_id: i64,
    limit: Option<i64>,
) -> QueryResult<Vec<SecurityEntry>> {
    let mut query = security_log::table
        .filter(security_log::user_id.eq(user_id))
        .order((security_log::at.desc(), security_log::id.desc()))
        .select(SecurityEntry::as_select())
        .into_boxed();
    if let Some(limit) = limit {
        query = query.limit(limit);
    }
    query.load(conn)
}

/// Deletes the rows logged before `cutoff`; returns how many.
pub fn purge_before(conn: &mut DbConnection, cutoff: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(security_log::table.filter(security_log::at.lt(cutoff))).execute(conn)
}
