//! `AppState`: what every handler can reach (settings, database, templates, clock, the mail
//! composer and the outbox wake-up, the password hasher, the sign-in throttle, the write
//! generation, the feeds kept in memory, the sessions of recent releases, the agendas'
//! outlines and the rendered pages). Built once by [`AppState::new`], for the server and
//! for anything else (the CLI, tests) that needs the same pieces wired the same way.

use std::{sync::Arc, time::Duration};

use tera::Tera;
use tokio::sync::Notify;

use crate::{
    clock::Clock,
    config::Settings,
    credentials::{api_rate::ApiRate, hasher::Hasher, throttle::IpThrottle},
    db::Db,
    delivery::FeedCache,
    email::{Composer, openpgp::OrganizerKey},
    error::AppError,
    models::{
        agenda::{outline::Outlines, release_memo::ReleaseMemo},
        outbox::NewOutboxRow,
    },
    render::page_cache::PageCache,
    write_generation::WriteGeneration,
};

/// The bytes of rendered pages kept in memory ([`PageCache`]): a day of the agenda with a
/// hundred sessions, both states of every pick button, is about 0.5 MiB.
const PAGE_CACHE_BYTES: usize = 16 * 1024 * 1024;

pub struct AppState {
    pub settings: Settings,
    pub db: Db,
    pub tera: Arc<Tera>,
    pub clock: Clock,
    /// Turns template triplets into outbox rows (calendar delivery takes only this).
    pub composer: Composer,
    /// Wakes the outbox worker; call [`AppState::mail_queued`] after committing mail.
    pub mail_wake: Arc<Notify>,
    pub hasher: Hasher,
    pub ip_throttle: IpThrottle,
    /// The API's requests per token and minute (`routes::api`).
    pub api_rate: ApiRate,
    /// Bumped after every request that may have written (`middleware::writes`).
    pub writes: Arc<WriteGeneration>,
    /// Feed bodies and access decisions kept in memory (`delivery::feed_cache`).
    pub feeds: Arc<FeedCache>,
    /// The sessions of recent releases (a release never changes).
    pub releases: ReleaseMemo,
    /// Rendered signed-in pages, with holes for the person's own parts.
    pub pages: PageCache,
    /// What every page of a meeting's agenda reads first (its outline), by slug, at most a
    /// second old.
    pub outlines: Arc<Outlines>,
    /// The key that signs encrypted announcements (`[mail] openpgp_key_file`); `None`
    /// when none is configured. Set by the server's start-up, which checks it.
    pub organizer_key: Option<Arc<OrganizerKey>>,
}

impl AppState {
    /// Wires the shared pieces from the settings: the hasher's cap, the throttle's budget
    /// and the composer's mail settings and public address.
    pub fn new(settings: Settings, db: Db, tera: Tera, clock: Clock, mail_wake: Arc<Notify>) -> Self {
        let tera = Arc::new(tera);
        let composer = Composer::new(tera.clone(), &settings, clock.clone());
        let hasher =
            Hasher::new(settings.auth.hash_concurrency, Duration::from_secs(settings.auth.hash_wait_secs));
        let ip_throttle = IpThrottle::new(settings.auth.ip_failures_per_5min, clock.clone());
        let api_rate = ApiRate::new(settings.api.requests_per_minute, clock.clone());
        let writes = Arc::new(WriteGeneration::default());
        Self {
            settings,
            db,
            tera,
            clock,
            composer,
            mail_wake,
            hasher,
            ip_throttle,
            api_rate,
            feeds: Arc::new(FeedCache::new(writes.clone())),
            outlines: Arc::new(Outlines::new(writes.clone())),
            writes,
            releases: ReleaseMemo::default(),
            pages: PageCache::new(PAGE_CACHE_BYTES),
            organizer_key: None,
        }
    }

    /// Tells the worker that new mail is in the outbox (after the transaction committed).
    pub fn mail_queued(&self) {
        self.mail_wake.notify_one();
    }

    /// Renders `templates/email/<template>/` into an outbox row for `to`; the caller
    /// inserts it in its own transaction.
    pub fn mail<T: serde::Serialize>(
        &self,
        to: &str,
        template: &str,
        data: &T,
        idempotency_key: String,
    ) -> Result<NewOutboxRow, AppError> {
        self.composer.mail(to, template, data, idempotency_key).map_err(AppError::Render)
    }
}
