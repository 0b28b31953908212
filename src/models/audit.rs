//! The audit log: who did what, to what, when. Written in the same transaction as the
//! change it records. Rows about a session name it by id and TLP label, never by title;
//! rows written before that rule are read back without their title (`without_title`).

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use crate::{
    db::{DbConnection, schema::audit_log},
    domain::tlp::Tlp,
};

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

/// What an old row about a session shows in place of the title it was written with.
pub const TITLE_WITHHELD: &str = "(title not shown)";

/// Rows about a session (`session.*`) written before the log kept titles out carry the
/// title as their detail; it may be TLP:RED. The log is shown to every organizer and leaves
/// the app in data exports, so such a detail is withheld on every read. Rewriting the old
/// rows instead would need a data migration per backend, while the title stays in the
/// sessions table anyway: the read is the one place that decides what leaves.
fn without_title(mut e: AuditEntry) -> AuditEntry {
    if e.action.starts_with("session.") && e.detail.parse::<Tlp>().is_err() {
        e.detail = TITLE_WITHHELD.to_owned();
    }
    e
}

fn shown(rows: Vec<AuditEntry>) -> Vec<AuditEntry> {
    rows.into_iter().map(without_title).collect()
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
    audit_log::table
        .order(audit_log::id.desc())
        .limit(limit)
        .select(AuditEntry::as_select())
        .load(conn)
        .map(shown)
}

/// Which audit rows to list; `None` filters nothing.
#[derive(Debug, Clone, Default)]
pub struct Search {
    /// `Some(None)`: rows without a person (the system, the command line).
    pub actor: Option<Option<i64>>,
    pub action: Option<String>,
    /// From this time on (inclusive).
    pub from: Option<NaiveDateTime>,
    /// Before this time (exclusive).
    pub until: Option<NaiveDateTime>,
}

/// One page of matching rows, newest first: `limit` rows after skipping `offset`.
pub fn search(conn: &mut DbConnection, s: &Search, offset: i64, limit: i64) -> QueryResult<Vec<AuditEntry>> {
    let mut query = audit_log::table.select(AuditEntry::as_select()).into_boxed();
    match s.actor {
        Some(Some(id)) => query = query.filter(audit_log::actor_id.eq(id)),
        Some(None) => query = query.filter(audit_log::actor_id.is_null()),
        None => {}
    }
    if let Some(action) = &s.action {
        query = query.filter(audit_log::action.eq(action.clone()));
    }
    if let Some(from) = s.from {
        query = query.filter(audit_log::at.ge(from));
    }
    if let Some(until) = s.until {
        query = query.filter(audit_log::at.lt(until));
    }
    query
        .order((audit_log::at.desc(), audit_log::id.desc()))
        .offset(offset)
        .limit(limit)
        .load(conn)
        .map(shown)
}

/// Every action the log holds, for the filter.
pub fn actions(conn: &mut DbConnection) -> QueryResult<Vec<String>> {
    audit_log::table.select(audit_log::action).distinct().order(audit_log::action).load(conn)
}

/// Rows written by `actor` or about one of `subjects` (`user 7`, `registration 12`), oldest
/// first: what a person's data export shows.
pub fn about(conn: &mut DbConnection, actor: i64, subjects: Vec<String>) -> QueryResult<Vec<AuditEntry>> {
    audit_log::table
        .filter(audit_log::actor_id.eq(actor).or(audit_log::subject.eq_any(subjects)))
        .order(audit_log::id)
        .select(AuditEntry::as_select())
        .load(conn)
        .map(shown)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(action: &str, detail: &str) -> AuditEntry {
        let at = chrono::NaiveDate::from_ymd_opt(2026, 5, 1).and_then(|d| d.and_hms_opt(9, 0, 0));
        AuditEntry {
            id: 1,
            actor_id: Some(1),
            action: action.into(),
            subject: "atm-2026/session/3".into(),
            detail: detail.into(),
            at: at.expect("valid"),
        }
    }

    #[test]
    fn an_old_session_row_is_read_without_its_title() {
        for action in ["session.created", "session.updated", "session.cancelled", "session.scheduled"] {
            assert_eq!(without_title(entry(action, "Closed case X")).detail, TITLE_WITHHELD);
        }
    }

    #[test]
    fn a_session_row_keeps_its_label_and_other_rows_keep_their_detail() {
        assert_eq!(without_title(entry("session.updated", "TLP:RED")).detail, "TLP:RED");
        assert_eq!(without_title(entry("track.saved", "Malware")).detail, "Malware");
    }
}
