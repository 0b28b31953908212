//! The mail outbox: producers insert rows in their own transaction, workers claim due rows,
//! deliver them and record the outcome.

use chrono::NaiveDateTime;
use diesel::{dsl::count_star, prelude::*};

use crate::{
    db::{DbConnection, schema::outbox},
    domain::states::MailStatus,
};

#[derive(Queryable, Selectable, Clone)]
#[diesel(table_name = outbox)]
pub struct OutboxRow {
    pub id: i64,
    pub recipient: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: String,
    pub ical: Option<String>,
    pub ical_method: Option<String>,
    pub idempotency_key: String,
    pub message_id: String,
    pub status: MailStatus,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub claimed_at: Option<NaiveDateTime>,
    pub last_error: Option<String>,
    pub created_at: NaiveDateTime,
    pub sent_at: Option<NaiveDateTime>,
    /// An encrypted message: the armored OpenPGP message, and no clear text in the bodies
    /// (`email::message` builds the PGP/MIME layout from it).
    pub pgp_message: Option<String>,
}

crate::domain::redact::debug_redacted!(OutboxRow { id, recipient, subject, ical, ical_method, idempotency_key, message_id, status, attempts, next_attempt_at, claimed_at, last_error, created_at, sent_at } secret: { body_text, body_html, pgp_message });

#[derive(Insertable, Clone)]
#[diesel(table_name = outbox)]
pub struct NewOutboxRow {
    pub recipient: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: String,
    pub ical: Option<String>,
    pub ical_method: Option<String>,
    pub idempotency_key: String,
    pub message_id: String,
    pub next_attempt_at: NaiveDateTime,
    pub created_at: NaiveDateTime,
    pub pgp_message: Option<String>,
}

crate::domain::redact::debug_redacted!(NewOutboxRow { recipient, subject, ical, ical_method, idempotency_key, message_id, next_attempt_at, created_at } secret: { body_text, body_html, pgp_message });

/// Queues a message unless one with the same idempotency key exists; `true` when queued.
///
/// `ON CONFLICT DO NOTHING` rather than a caught unique violation, which would abort the
/// caller's transaction on PostgreSQL.
pub fn enqueue(conn: &mut DbConnection, row: &NewOutboxRow) -> QueryResult<bool> {
    let insert = diesel::insert_into(outbox::table).values(row).on_conflict_do_nothing();
    let inserted = match conn {
        DbConnection::Sqlite(c) => insert.execute(c)?,
        DbConnection::Postgresql(c) => insert.execute(c)?,
    };
    Ok(inserted == 1)
}

/// Claims up to `limit` due rows for one worker: pending rows whose time has come, and
/// rows left `sending` since before `stale_before` by a worker that died. Two workers never
/// hold the same row: PostgreSQL skips rows another claim has locked; SQLite serialises
/// claims in an immediate (write-locked) transaction.
pub fn claim_due(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    stale_before: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<OutboxRow>> {
    use crate::db::schema::outbox::dsl::*;
    let due = || {
        status
            .eq(MailStatus::Pending)
            .and(next_attempt_at.le(now))
            .or(status.eq(MailStatus::Sending).and(claimed_at.le(stale_before)))
    };
    let candidates = || outbox.filter(due()).order((next_attempt_at, id)).select(id).limit(limit);
    let claim = |ids: &[i64]| {
        diesel::update(outbox.filter(id.eq_any(ids.to_vec())).filter(due())).set((
            status.eq(MailStatus::Sending),
            claimed_at.eq(now),
            attempts.eq(attempts + 1),
        ))
    };
    let ids = match conn {
        DbConnection::Postgresql(c) => c.transaction(|c| {
            let ids: Vec<i64> = candidates().for_update().skip_locked().load(c)?;
            claim(&ids).execute(c)?;
            Ok::<_, diesel::result::Error>(ids)
        })?,
        DbConnection::Sqlite(c) => c.immediate_transaction(|c| {
            let ids: Vec<i64> = candidates().load(c)?;
            claim(&ids).execute(c)?;
            Ok::<_, diesel::result::Error>(ids)
        })?,
    };
    // Rows claimed by this call carry its stamp; no one else may take them before the
    // claim timeout.
    outbox
        .filter(id.eq_any(ids))
        .filter(status.eq(MailStatus::Sending))
        .filter(claimed_at.eq(now))
        .order(id)
        .select(OutboxRow::as_select())
        .load(conn)
}

/// Sent: the bodies are blanked, since they may hold single-use links that must not
/// outlive delivery in the database (an encrypted message too: nothing needs it after).
pub fn mark_sent(conn: &mut DbConnection, row: &OutboxRow, now: NaiveDateTime) -> QueryResult<usize> {
    use crate::db::schema::outbox::dsl::*;
    diesel::update(
        outbox.find(row.id).filter(status.eq(MailStatus::Sending)).filter(claimed_at.eq(claim_of(row))),
    )
    .set((
        status.eq(MailStatus::Sent),
        sent_at.eq(now),
        last_error.eq(None::<String>),
        body_text.eq(""),
        body_html.eq(""),
        ical.eq(None::<String>),
        pgp_message.eq(None::<String>),
    ))
    .execute(conn)
}

/// When `row` was claimed. Marks apply only to the claim they belong to: a claim that went
/// stale and was taken over by another worker is no longer this worker's to mark.
fn claim_of(row: &OutboxRow) -> NaiveDateTime {
    row.claimed_at.unwrap_or_default()
}

/// A temporary failure: due again at `next_at`.
pub fn mark_retry(
    conn: &mut DbConnection,
    row: &OutboxRow,
    next_at: NaiveDateTime,
    error: &str,
) -> QueryResult<usize> {
    use crate::db::schema::outbox::dsl::*;
    diesel::update(
        outbox.find(row.id).filter(status.eq(MailStatus::Sending)).filter(claimed_at.eq(claim_of(row))),
    )
    .set((
        status.eq(MailStatus::Pending),
        next_attempt_at.eq(next_at),
        claimed_at.eq(None::<NaiveDateTime>),
        last_error.eq(error),
    ))
    .execute(conn)
}

/// A permanent rejection, or too many attempts.
pub fn mark_failed(conn: &mut DbConnection, row: &OutboxRow, error: &str) -> QueryResult<usize> {
    use crate::db::schema::outbox::dsl::*;
    diesel::update(
        outbox.find(row.id).filter(status.eq(MailStatus::Sending)).filter(claimed_at.eq(claim_of(row))),
    )
    .set((status.eq(MailStatus::Failed), claimed_at.eq(None::<NaiveDateTime>), last_error.eq(error)))
    .execute(conn)
}

/// Gives claimed rows that were never tried back to the queue, as they were before the
/// claim: pending, due when they were due, the attempt not counted. A worker that stops
/// returns what it will not send, so the next one takes it at once, in its place.
pub fn release(conn: &mut DbConnection, rows: &[OutboxRow]) -> QueryResult<usize> {
    use crate::db::schema::outbox::dsl::*;
    crate::db::transaction(conn, |conn| {
        let mut released = 0;
        for row in rows {
            released += diesel::update(
                outbox
                    .find(row.id)
                    .filter(status.eq(MailStatus::Sending))
                    .filter(claimed_at.eq(claim_of(row))),
            )
            .set((
                status.eq(MailStatus::Pending),
                claimed_at.eq(None::<NaiveDateTime>),
                attempts.eq(attempts - 1),
            ))
            .execute(conn)?;
        }
        Ok(released)
    })
}

/// Makes failed rows due at once (due since they were queued, so they keep their place)
/// with a fresh count of attempts: the given ids, or every failed row when `ids` is
/// `None`. Returns the ids made due. The caller owns the transaction (the mail page's
/// also holds its audit row; a second BEGIN inside it fails on SQLite).
pub fn retry_failed(conn: &mut DbConnection, ids: Option<&[i64]>) -> QueryResult<Vec<i64>> {
    use crate::db::schema::outbox::dsl::*;
    let mut query = outbox.filter(status.eq(MailStatus::Failed)).select(id).order(id).into_boxed();
    if let Some(ids) = ids {
        query = query.filter(id.eq_any(ids.to_vec()));
    }
    let found: Vec<i64> = query.load(conn)?;
    diesel::update(outbox.filter(id.eq_any(found.clone())))
        .set((status.eq(MailStatus::Pending), attempts.eq(0), next_attempt_at.eq(created_at)))
        .execute(conn)?;
    Ok(found)
}

pub fn find(conn: &mut DbConnection, row_id: i64) -> QueryResult<OutboxRow> {
    outbox::table.find(row_id).select(OutboxRow::as_select()).first(conn)
}

/// Rows per status.
pub fn counts(conn: &mut DbConnection) -> QueryResult<Vec<(MailStatus, i64)>> {
    outbox::table
        .group_by(outbox::status)
        .select((outbox::status, count_star()))
        .order(outbox::status)
        .load(conn)
}

/// The pending row that has waited longest.
pub fn oldest_pending(conn: &mut DbConnection) -> QueryResult<Option<OutboxRow>> {
    outbox::table
        .filter(outbox::status.eq(MailStatus::Pending))
        .order((outbox::created_at, outbox::id))
        .select(OutboxRow::as_select())
        .first(conn)
        .optional()
}

/// The latest rows that carry an error (failed, or pending a retry).
pub fn recent_errors(conn: &mut DbConnection, limit: i64) -> QueryResult<Vec<OutboxRow>> {
    outbox::table
        .filter(outbox::last_error.is_not_null())
        .filter(outbox::status.ne(MailStatus::Sent))
        .order(outbox::id.desc())
        .limit(limit)
        .select(OutboxRow::as_select())
        .load(conn)
}

/// The latest messages, newest first.
pub fn recent(conn: &mut DbConnection, limit: i64) -> QueryResult<Vec<OutboxRow>> {
    outbox::table.order(outbox::id.desc()).limit(limit).select(OutboxRow::as_select()).load(conn)
}

pub fn by_key(conn: &mut DbConnection, key: &str) -> QueryResult<OutboxRow> {
    outbox::table.filter(outbox::idempotency_key.eq(key)).select(OutboxRow::as_select()).first(conn)
}

/// Deletes a claimed row that must not be sent after all (a reminder to someone no longer
/// approved, `attendance::reminders::withhold`): nothing was sent, so nothing is recorded.
/// Only while the claim is this worker's.
pub fn discard_claimed(conn: &mut DbConnection, row: &OutboxRow) -> QueryResult<usize> {
    use crate::db::schema::outbox::dsl::*;
    diesel::delete(
        outbox.find(row.id).filter(status.eq(MailStatus::Sending)).filter(claimed_at.eq(claim_of(row))),
    )
    .execute(conn)
}
