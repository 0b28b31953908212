//! The outbox worker: claims due messages, sends them, records the outcome. It runs inside
//! `serve` (woken on insert and on an interval) and once from `csirt-meet send-mail`.
//! Delivery is at least once: a message is marked sent only after the server accepted it,
//! so a crash in between sends it again later, with the same Message-ID.

use std::{
    collections::VecDeque,
    sync::{Arc, Mutex, PoisonError},
    time::Duration,
};

use chrono::{DateTime, Utc};
use futures_util::StreamExt as _;
use tokio::sync::Notify;

use crate::{
    clock::Clock,
    config::MailSettings,
    db::{Db, DbError},
    domain::backoff::retry_delay,
    email::{
        domain_of, message,
        transport::{SendError, Transport},
    },
    models::outbox::{self, OutboxRow},
};

/// What one delivery came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Sent,
    Retry,
    Failed,
}

/// What a drain did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct DrainReport {
    pub sent: usize,
    pub retried: usize,
    pub failed: usize,
    /// Stopped because the per-minute limit was reached, with due messages left.
    pub rate_limited: bool,
}

pub struct Worker {
    db: Db,
    transport: Transport,
    settings: MailSettings,
    clock: Clock,
    /// When this worker sent its messages of the last minute (for the rate limit).
    recent: Mutex<VecDeque<DateTime<Utc>>>,
}

impl Worker {
    pub fn new(db: Db, transport: Transport, settings: MailSettings, clock: Clock) -> Self {
        Self { db, transport, settings, clock, recent: Mutex::default() }
    }

    pub fn transport(&self) -> &Transport {
        &self.transport
    }

    /// Sends every due message (within the rate limit), then returns.
    pub async fn drain_once(&self) -> Result<DrainReport, DbError> {
        self.drain_with(|_, _| {}).await
    }

    /// As [`Worker::drain_once`], telling `progress` about each message as it is done.
    pub async fn drain_with(
        &self,
        mut progress: impl FnMut(&OutboxRow, Outcome),
    ) -> Result<DrainReport, DbError> {
        let mut report = DrainReport::default();
        loop {
            let allowed = self.allowance();
            if allowed == 0 {
                report.rate_limited = true;
                return Ok(report);
            }
            let now = self.clock.now_naive();
            let stale_before = now - Duration::from_secs(self.settings.claim_timeout_secs);
            let limit = allowed.min(self.settings.batch_size as usize) as i64;
            let rows = self.db.query(move |c| outbox::claim_due(c, now, stale_before, limit)).await?;
            if rows.is_empty() {
                return Ok(report);
            }
            // Up to one delivery per pooled SMTP connection at a time: each SMTP exchange
            // spends most of its time waiting on the network.
            let concurrency = self.settings.smtp.pool_size.max(1) as usize;
            let mut deliveries = futures_util::stream::iter(rows)
                .map(|row| async move {
                    let outcome = self.deliver(&row).await;
                    (row, outcome)
                })
                .buffer_unordered(concurrency);
            while let Some((row, outcome)) = deliveries.next().await {
                // A failed status update leaves the row `sending`; it is due again after the
                // claim timeout. The other deliveries in flight carry on.
                let outcome = match outcome {
                    Ok(outcome) => outcome,
                    Err(e) => {
                        tracing::error!(outbox_id = row.id, error = %crate::error::chain(&e), "could not record a delivery");
                        continue;
                    }
                };
                match outcome {
                    Outcome::Sent => report.sent += 1,
                    Outcome::Retry => report.retried += 1,
                    Outcome::Failed => report.failed += 1,
                }
                progress(&row, outcome);
            }
        }
    }

    async fn deliver(&self, row: &OutboxRow) -> Result<Outcome, DbError> {
        let (id, domain) = (row.id, domain_of(&row.recipient).to_owned());
        let result = match message::build(row, &self.settings) {
            Ok(message) => {
                self.recent.lock().unwrap_or_else(PoisonError::into_inner).push_back(self.clock.now());
                self.transport.send(message).await
            }
            Err(e) => Err(SendError::Permanent(crate::error::chain(&e))),
        };
        let now = self.clock.now_naive();
        let outcome = match result {
            Ok(()) => {
                let claimed = row.clone();
                self.db.query(move |c| outbox::mark_sent(c, &claimed, now)).await?;
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
                let claimed = row.clone();
                self.db.query(move |c| outbox::mark_retry(c, &claimed, next_at, &error)).await?;
                Outcome::Retry
            }
            Err(SendError::Temporary(error) | SendError::Permanent(error)) => {
                tracing::error!(outbox_id = id, recipient_domain = %domain, attempts = row.attempts, %error, "mail failed");
                let claimed = row.clone();
                self.db.query(move |c| outbox::mark_failed(c, &claimed, &error)).await?;
                Outcome::Failed
            }
        };
        Ok(outcome)
    }

    /// How many messages the per-minute limit still allows now.
    fn allowance(&self) -> usize {
        let limit = self.settings.rate_per_minute as usize;
        if limit == 0 {
            return usize::MAX;
        }
        let minute_ago = self.clock.now() - chrono::Duration::minutes(1);
        let mut recent = self.recent.lock().unwrap_or_else(PoisonError::into_inner);
        while recent.front().is_some_and(|t| *t <= minute_ago) {
            recent.pop_front();
        }
        limit.saturating_sub(recent.len())
    }

    /// Drains whenever woken and at every poll interval, until the task is dropped.
    pub async fn run(self: Arc<Self>, wake: Arc<Notify>) {
        let interval = Duration::from_secs(self.settings.poll_interval_secs.max(1));
        loop {
            let pause = match self.drain_once().await {
                Ok(report) if report.rate_limited => Duration::from_secs(1),
                Ok(_) => interval,
                Err(e) => {
                    tracing::error!(error = %crate::error::chain(&e), "outbox worker could not drain");
                    interval
                }
            };
            tokio::select! {
                () = wake.notified() => {}
                () = tokio::time::sleep(pause) => {}
            }
        }
    }
}
