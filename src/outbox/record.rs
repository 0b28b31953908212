//! One delivery and the record of its outcome. Once the server accepted a message, the
//! row must say so, or the message goes out again: a status that cannot be written is
//! tried again for as long as the claim is this worker's.

use std::time::Duration;

use chrono::TimeDelta;
use tokio::time::Instant;

use super::{Outcome, Worker};
use crate::{
    attendance::reminders,
    db::{DbConnection, DbError},
    domain::{backoff::retry_delay, reminder::KEY_PREFIX},
    email::{domain_of, message, transport::SendError},
    models::outbox::{self, OutboxRow},
};

/// The first wait before writing a status again, and the longest.
const RECORD_RETRY_FIRST: Duration = Duration::from_millis(100);
const RECORD_RETRY_MAX: Duration = Duration::from_secs(5);

impl Worker {
    pub(super) async fn deliver(&self, row: &OutboxRow) -> Result<Outcome, DbError> {
        if self.withheld(row).await? {
            return Ok(Outcome::Withheld);
        }
        let (id, domain) = (row.id, domain_of(&row.recipient).to_owned());
        let result = match message::build(row, &self.settings) {
            Ok(message) => {
                self.rate.lock().unwrap_or_else(std::sync::PoisonError::into_inner).record(self.clock.now());
                self.transport.send(message).await
            }
            Err(e) => Err(SendError::Permanent(crate::error::chain(&e))),
        };
        let now = self.clock.now_naive();
        let claimed = row.clone();
        let outcome = match result {
            Ok(()) => {
                self.record(row, move |c| outbox::mark_sent(c, &claimed, now)).await?;
                tracing::info!(outbox_id = id, recipient_domain = %domain, "mail sent");
                Outcome::Sent
            }
            Err(SendError::Temporary(error)) if row.attempts < self.settings.max_attempts => {
                let delay = retry_delay(
                    row.attempts.max(1) as u32,
                    Duration::from_secs(self.settings.backoff_base_secs),
                    Duration::from_secs(self.settings.backoff_max_secs),
                    fastrand::f64(),
                );
                let next_at = now + delay;
                tracing::warn!(outbox_id = id, recipient_domain = %domain, attempts = row.attempts, %error, retry_in_secs = delay.as_secs(), "mail not sent; will retry");
                self.record(row, move |c| outbox::mark_retry(c, &claimed, next_at, &error)).await?;
                Outcome::Retry
            }
            Err(SendError::Temporary(error) | SendError::Permanent(error)) => {
                tracing::error!(outbox_id = id, recipient_domain = %domain, attempts = row.attempts, %error, "mail failed");
                self.record(row, move |c| outbox::mark_failed(c, &claimed, &error)).await?;
                Outcome::Failed
            }
        };
        Ok(outcome)
    }

    /// A reminder is sent only to someone still approved for an open meeting, asked now (they
    /// may have withdrawn or been revoked since it was queued); otherwise it is withheld:
    /// deleted unsent. Other mail is not asked about (no query).
    async fn withheld(&self, row: &OutboxRow) -> Result<bool, DbError> {
        if !row.idempotency_key.starts_with(KEY_PREFIX) {
            return Ok(false);
        }
        let key = row.idempotency_key.clone();
        let wanted = self.db.query(move |c| reminders::still_wanted(c, &key).unwrap_or(Ok(true))).await?;
        if wanted {
            return Ok(false);
        }
        let claimed = row.clone();
        self.record(row, move |c| reminders::withhold(c, &claimed)).await?;
        tracing::info!(outbox_id = row.id, "reminder withheld: the person is no longer approved");
        Ok(true)
    }

    /// Writes a row's new status, trying again (with growing pauses) while the claim is
    /// fresh: once it goes stale another worker may take the row, and this one gives up.
    async fn record<F>(&self, row: &OutboxRow, mark: F) -> Result<(), DbError>
    where
        F: Fn(&mut DbConnection) -> diesel::QueryResult<usize> + Send + Sync + 'static,
    {
        let mark: super::statuses::Mark = std::sync::Arc::new(mark);
        let stale_at =
            row.claimed_at.unwrap_or_default() + TimeDelta::seconds(self.settings.claim_timeout_secs as i64);
        let fresh_for = (stale_at - self.clock.now_naive()).to_std().unwrap_or_default();
        let deadline = Instant::now() + fresh_for;
        let mut tries = 0;
        loop {
            let written = self.statuses.write(&self.db, mark.clone()).await;
            let error = match written {
                Ok(0) => {
                    tracing::warn!(outbox_id = row.id, "the claim went stale before the status was recorded");
                    return Ok(());
                }
                Ok(_) => return Ok(()),
                Err(e) => e,
            };
            tries += 1;
            let pause = retry_delay(tries, RECORD_RETRY_FIRST, RECORD_RETRY_MAX, fastrand::f64());
            if Instant::now() + pause >= deadline {
                return Err(error);
            }
            tracing::warn!(outbox_id = row.id, error = %crate::error::chain(&error), retry_in_ms = pause.as_millis() as u64, "could not record a delivery; trying again");
            tokio::time::sleep(pause).await;
        }
    }
}
