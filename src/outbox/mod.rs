//! The outbox worker: claims due messages, sends them, records the outcome. It runs inside
//! `serve` (woken on insert and on an interval) and once from `csirt-meet send-mail`.
//! Delivery is at least once: a message is marked sent only after the server accepted it,
//! and that mark is tried again until it holds, so only a crash in between (at most the
//! messages in flight) sends one again later, with the same Message-ID. A graceful stop
//! claims nothing more, finishes the messages in flight and returns the rest to the queue.
//! The worker of `serve` also ends the waitlist offers whose deadline has passed before each
//! drain (`attendance::offers`), so that they end without anyone visiting, and queues the
//! reminders due before a meeting (`attendance::reminders`) and the one reminder to team
//! contacts who have not answered an endorsement request (`attendance::endorsements`). A
//! reminder before a meeting is sent only if its person is still approved when it is
//! claimed; otherwise it is withheld (deleted unsent).

mod record;
mod statuses;

use std::{
    collections::VecDeque,
    sync::{Arc, Mutex, PoisonError},
    time::Duration,
};

use futures_util::{StreamExt as _, stream::FuturesUnordered};
use tokio::sync::{Notify, watch};

use crate::{
    attendance::{endorsements, offers, reminders},
    clock::Clock,
    config::MailSettings,
    db::{Db, DbError},
    domain::send_rate::SendRate,
    email::{Composer, transport::Transport},
    models::outbox::{self, OutboxRow},
};

/// What one delivery came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Sent,
    Retry,
    Failed,
    /// Not sent and deleted: a reminder whose person is no longer approved.
    Withheld,
}

/// What a drain did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct DrainReport {
    pub sent: usize,
    pub retried: usize,
    pub failed: usize,
    /// Reminders withheld at send time (their person withdrew or was revoked).
    pub withheld: usize,
    /// Stopped because the per-minute limit was reached, with due messages left.
    pub rate_limited: bool,
}

pub struct Worker {
    db: Db,
    transport: Transport,
    settings: MailSettings,
    clock: Clock,
    /// This worker's sends of the last minute (for the rate limit).
    rate: Mutex<SendRate>,
    /// `true` once the process is stopping.
    stop: watch::Sender<bool>,
    /// Set in `serve`: ends due waitlist offers before each drain, queueing their mail.
    offer_sweep: Option<Composer>,
    /// Days after which a team contact who has not answered an endorsement request gets
    /// the one reminder (with the sweep; 0: none).
    endorsement_reminder_days: u32,
    /// The statuses of the deliveries in flight, written together by one writer at a time
    /// (SQLite lets one writer in at a time; one that finds the lock taken sleeps in its
    /// busy handler, 1, 2, 5 ms…, which capped a drain near 200 messages/s).
    statuses: statuses::Statuses,
}

impl Worker {
    pub fn new(db: Db, transport: Transport, settings: MailSettings, clock: Clock) -> Self {
        let rate = Mutex::new(SendRate::new(settings.rate_per_minute));
        Self {
            db,
            transport,
            settings,
            clock,
            rate,
            stop: watch::Sender::new(false),
            offer_sweep: None,
            endorsement_reminder_days: 0,
            statuses: statuses::Statuses::default(),
        }
    }

    /// The worker also ends the waitlist offers whose deadline has passed, before each drain.
    pub fn sweeping_offers(mut self, composer: Composer) -> Self {
        self.offer_sweep = Some(composer);
        self
    }

    /// With the sweep, the one reminder to team contacts who have not answered an
    /// endorsement request after `days` (0: none).
    pub fn reminding_contacts_after(mut self, days: u32) -> Self {
        self.endorsement_reminder_days = days;
        self
    }

    /// Ends the due waitlist offers and queues the due reminders (when sweeping); a failure
    /// is logged and the drain goes on.
    async fn sweep_offers(&self) {
        let Some(composer) = self.offer_sweep.clone() else { return };
        let offer_mail = composer.clone();
        match self.db.run(move |c| offers::expire_due(c, &offer_mail)).await {
            Ok(0) => {}
            Ok(ended) => tracing::info!(ended, "waitlist offers past their deadline ended"),
            Err(e) => tracing::error!(error = %crate::error::chain(&e), "could not end due waitlist offers"),
        }
        let days = self.endorsement_reminder_days;
        let contact_mail = composer.clone();
        if days > 0 {
            match self.db.run(move |c| endorsements::remind_due(c, &contact_mail, days)).await {
                Ok(0) => {}
                Ok(queued) => tracing::info!(queued, "endorsement reminders queued"),
                Err(e) => {
                    tracing::error!(error = %crate::error::chain(&e), "could not queue endorsement reminders");
                }
            }
        }
        match self.db.run(move |c| reminders::queue_due(c, &composer)).await {
            Ok(0) => {}
            Ok(queued) => tracing::info!(queued, "reminders before a meeting queued"),
            Err(e) => tracing::error!(error = %crate::error::chain(&e), "could not queue due reminders"),
        }
    }

    pub fn transport(&self) -> &Transport {
        &self.transport
    }

    /// Asks the worker to stop: it claims nothing more, finishes the deliveries in flight
    /// and returns the messages it claimed but did not start to the queue.
    pub fn stop(&self) {
        self.stop.send_replace(true);
    }

    fn stopping(&self) -> bool {
        *self.stop.borrow()
    }

    /// Sends every due message (within the rate limit), then returns.
    pub async fn drain_once(&self) -> Result<DrainReport, DbError> {
        self.drain_with(|_, _| {}).await
    }

    /// As [`Worker::drain_once`], telling `progress` about each message as it is done.
    /// The SMTP connections stay open from one batch to the next and close when the
    /// drain ends, unless it stopped at the rate limit (the next drain is a second away).
    pub async fn drain_with(
        &self,
        progress: impl FnMut(&OutboxRow, Outcome),
    ) -> Result<DrainReport, DbError> {
        let result = self.drain_batches(progress).await;
        if !result.as_ref().is_ok_and(|report| report.rate_limited) {
            self.transport.close_idle().await;
        }
        result
    }

    async fn drain_batches(
        &self,
        mut progress: impl FnMut(&OutboxRow, Outcome),
    ) -> Result<DrainReport, DbError> {
        let mut report = DrainReport::default();
        self.sweep_offers().await;
        while !self.stopping() {
            let allowed =
                self.rate.lock().unwrap_or_else(PoisonError::into_inner).allowance(self.clock.now());
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
            self.deliver_batch(rows, &mut report, &mut progress).await;
        }
        Ok(report)
    }

    /// Delivers claimed rows, one per pooled SMTP connection at a time (each SMTP exchange
    /// spends most of its time waiting on the network). On a stop, the rows not started go
    /// back to the queue at once and the deliveries in flight finish.
    async fn deliver_batch(
        &self,
        rows: Vec<OutboxRow>,
        report: &mut DrainReport,
        progress: &mut impl FnMut(&OutboxRow, Outcome),
    ) {
        let concurrency = self.settings.smtp.pool_size.max(1) as usize;
        let mut waiting = VecDeque::from(rows);
        let mut in_flight = FuturesUnordered::new();
        let mut stop = self.stop.subscribe();
        let mut stopping = *stop.borrow_and_update();
        loop {
            while !stopping && in_flight.len() < concurrency {
                let Some(row) = waiting.pop_front() else { break };
                in_flight.push(async move {
                    let outcome = self.deliver(&row).await;
                    (row, outcome)
                });
            }
            if stopping && !waiting.is_empty() {
                self.give_back(waiting.drain(..).collect(), in_flight.len()).await;
            }
            let done = tokio::select! {
                done = in_flight.next() => done,
                _ = stop.changed(), if !stopping => {
                    stopping = true;
                    continue;
                }
            };
            let Some((row, outcome)) = done else { return };
            // A status that could not be recorded leaves the row `sending`; it is due again
            // after the claim timeout. The other deliveries in flight carry on.
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
                Outcome::Withheld => report.withheld += 1,
            }
            progress(&row, outcome);
        }
    }

    /// Returns claimed rows that were never tried to the queue.
    async fn give_back(&self, rows: Vec<OutboxRow>, in_flight: usize) {
        tracing::info!(
            in_flight,
            returned = rows.len(),
            "mail worker stopping: finishing the messages in flight, returning the rest to the queue"
        );
        let count = rows.len();
        if let Err(e) = self.db.query(move |c| outbox::release(c, &rows)).await {
            // They are due again after the claim timeout.
            tracing::error!(messages = count, error = %crate::error::chain(&e), "could not return claimed mail to the queue");
        }
    }

    /// Drains whenever woken and at every poll interval, until [`Worker::stop`].
    pub async fn run(self: Arc<Self>, wake: Arc<Notify>) {
        let interval = Duration::from_secs(self.settings.poll_interval_secs.max(1));
        let mut stop = self.stop.subscribe();
        while !*stop.borrow_and_update() {
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
                _ = stop.changed() => {}
            }
        }
        tracing::info!("mail worker stopped");
    }
}
