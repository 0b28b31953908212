//! The audit log: who did what, to what, when. Written in the same transaction as the
//! change it records.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use crate::db::{DbConnection, schema::audit_log};

#[derive(Queryable, Selectable, Debug, Clone, Serialize)]
#[diesel(table_name = audit_log)]
pub struct AuditEntry {
    pub id: i64,
    pub actor_id: Option<i64>,
    pub action: String,
    pub subject: String,
    pub detail: String,
    pub at: NaiveDateTime,
}

pub fn record(
    conn: &mut DbConnection,
    actor: Option<i64>,
    action: &str,
    subject: &str,
    detail: &str,
    at: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::insert_into(audit_log::table)
        .values((
            audit_log::actor_id.eq(actor),
            audit_log::action.eq(action),
            audit_log::subject.eq(subject),
            audit_log::detail.eq(detail),
            audit_log::at.eq(at),
        ))
        .execute(conn)
}

pub fn recent(conn: &mut DbConnection, limit: i64) -> QueryResult<Vec<AuditEntry>> {
    audit_log::table.order(audit_log::id.desc()).limit(limit).select(AuditEntry::as_select()).load(conn)
}
