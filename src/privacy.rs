//! The purge of sensitive answers: dietary and accessibility needs, and the answers to
//! registration questions marked sensitive, are deleted a set number of days after the
//! meeting (`[privacy] purge_answers_after_days`), and security-log
//! rows after `[privacy] security_log_months`, by `csirt-meet purge` and by a daily task
//! inside `serve`; both call [`purge`] and [`purge_security_log`].

use std::time::Duration;

use chrono::NaiveDateTime;

use crate::{
    clock::Clock,
    config::PrivacySettings,
    db::{self, Db, DbConnection},
    domain::{privacy::purge_cutoff, security_event::retention_cutoff},
    models::{answer, audit, registration, security_log},
};

/// What one purge run did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Purged {
    /// Registrations whose answers were deleted.
    pub cleared: usize,
    /// Answers to sensitive registration questions deleted.
    pub answers: usize,
    /// Meetings that ended on or before this day were purged.
    pub ended_by: chrono::NaiveDate,
}

/// Deletes the answers that are due at `now` and records the run in the audit log, in one
/// transaction.
pub fn purge(conn: &mut DbConnection, days: u32, now: NaiveDateTime) -> diesel::QueryResult<Purged> {
    let ended_by = purge_cutoff(now.date(), days).unwrap_or(chrono::NaiveDate::MIN);
    db::transaction(conn, |c| {
        let cleared = registration::clear_answers(c, ended_by)?;
        let answers = answer::purge_sensitive(c, ended_by)?;
        let detail = format!(
            "deleted the dietary and accessibility answers of {cleared} registrations and \
             {answers} answers to sensitive questions (meetings that ended on or before \
             {ended_by}, {days} days kept)"
        );
        audit::record(c, None, "privacy.purged", "registrations", &detail, now)?;
        Ok(Purged { cleared, answers, ended_by })
    })
}

/// Deletes the security-log rows older than `months` months at `now`; returns how many.
pub fn purge_security_log(
    conn: &mut DbConnection,
    months: u32,
    now: NaiveDateTime,
) -> diesel::QueryResult<usize> {
    match retention_cutoff(now, months) {
        Some(cutoff) => security_log::purge_before(conn, cutoff),
        None => Ok(0),
    }
}

/// Runs [`purge`] and [`purge_security_log`] at start and then once a day, until the task
/// is dropped.
pub async fn run_daily(db: Db, settings: PrivacySettings, clock: Clock) {
    let (days, months) = (settings.purge_answers_after_days, settings.security_log_months);
    let mut every_day = tokio::time::interval(Duration::from_secs(24 * 60 * 60));
    loop {
        every_day.tick().await;
        let now = clock.now_naive();
        match db.query(move |c| purge(c, days, now)).await {
            Ok(done) => {
                tracing::info!(cleared = done.cleared, answers = done.answers, ended_by = %done.ended_by, "privacy purge")
            }
            Err(e) => tracing::error!(error = %crate::error::chain(&e), "privacy purge failed"),
        }
        match db.query(move |c| purge_security_log(c, months, now)).await {
            Ok(deleted) => tracing::info!(deleted, "security log purge"),
            Err(e) => tracing::error!(error = %crate::error::chain(&e), "security log purge failed"),
        }
    }
}
