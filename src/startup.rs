//! Builds the application: database, templates, middleware and the route table, bound to
//! its own listener so that tests can start the real server on port 0.

use std::{net::TcpListener, sync::Arc, time::Duration};

use actix_files::Files;
use actix_web::{
    App, HttpServer,
    dev::{Server, ServerHandle},
    http::header::{CacheControl, CacheDirective},
    middleware::{DefaultHeaders, ErrorHandlers, from_fn},
    web,
};
use anyhow::Context as _;
use tokio::sync::Notify;

use crate::{
    clock::Clock,
    config::Settings,
    db::{DatabaseUrl, Db, run_migrations},
    email::{openpgp::OrganizerKey, transport::Transport},
    middleware,
    models::first_edition,
    outbox::Worker,
    render, routes,
    state::AppState,
};

/// Extra routes mounted next to the real ones (tests use it for failure cases).
pub type ExtraRoutes = fn(&mut web::ServiceConfig);

/// What tests change about an application; production uses the defaults.
pub struct Options {
    pub clock: Clock,
    pub extra_routes: ExtraRoutes,
    /// Run the outbox worker in the background (tests drive it themselves).
    pub mail_worker: bool,
    /// Overrides the transport of the settings.
    pub transport: Option<Transport>,
}

impl Default for Options {
    fn default() -> Self {
        Self { clock: Clock::system(), extra_routes: |_| {}, mail_worker: true, transport: None }
    }
}

pub struct Application {
    port: u16,
    server: Server,
    db: Db,
    worker: Arc<Worker>,
    /// The background outbox worker, stopped after the server.
    worker_task: Option<tokio::task::JoinHandle<()>>,
    mail_wake: Arc<Notify>,
    state: web::Data<AppState>,
}

impl Application {
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        Self::build_with(settings, Options::default()).await
    }

    /// Connects and migrates the database, loads templates, binds the listener and starts
    /// the outbox worker.
    pub async fn build_with(settings: Settings, options: Options) -> anyhow::Result<Self> {
        let Options { clock, extra_routes: extra, mail_worker, transport } = options;
        let url = DatabaseUrl::parse(&settings.database.url).context("database.url")?;
        let backend = url.backend();
        let db = {
            let d = &settings.database;
            let (size, timeout, lock_timeout) = (
                d.pool_size,
                Duration::from_secs(d.connect_timeout_secs),
                Duration::from_millis(d.lock_timeout_ms),
            );
            let clock = clock.clone();
            tokio::task::spawn_blocking(move || Db::connect_with(&url, size, timeout, lock_timeout, clock))
                .await?
                .with_context(|| format!("connecting to the {} database", backend))?
        };
        let migrated = db.run(run_migrations).await.context("migrating the database")?;
        for name in &migrated.applied {
            tracing::info!(migration = %name, "applied migration");
        }
        let now = clock.now_naive();
        let seeded = db
            .query(move |c| first_edition::seed_if_empty(c, now))
            .await
            .context("filling the FIRST editions from the shipped file")?;
        if seeded > 0 {
            tracing::info!(
                editions = seeded,
                "filled the empty table of FIRST editions from the shipped file"
            );
        }
        let tera = render::load_templates(&settings.server.templates_dir)?;
        let organizer_key = {
            let mail = settings.mail.clone();
            tokio::task::spawn_blocking(move || OrganizerKey::load(&mail)).await??.map(Arc::new)
        };

        let address = format!("{}:{}", settings.server.host, settings.server.port);
        let listener = TcpListener::bind(&address).with_context(|| format!("listening on {address}"))?;
        let port = listener.local_addr()?.port();
        let assets = settings.server.assets_dir.clone();
        let (workers, shutdown) = (settings.server.workers, settings.server.shutdown_timeout_secs);
        let transport = match transport {
            Some(t) => t,
            None => Transport::from_settings(&settings.mail)?,
        };
        let mail_settings = settings.mail.clone();
        let mail_wake = Arc::new(Notify::new());
        let mut state = AppState::new(settings, db.clone(), tera, clock.clone(), mail_wake.clone());
        state.organizer_key = organizer_key;
        let state = web::Data::new(state);
        let worker = Arc::new(
            Worker::new(db.clone(), transport, mail_settings, clock)
                .sweeping_offers(state.composer.clone())
                .reminding_contacts_after(state.settings.endorsement.reminder_after_days),
        );
        let worker_task = mail_worker.then(|| tokio::spawn(worker.clone().run(mail_wake.clone())));

        let shared = state.clone();
        let mut server =
            HttpServer::new(move || {
                let error_pages = middleware::ERROR_PAGE_STATUSES
                    .iter()
                    .fold(ErrorHandlers::new(), |h, status| h.handler(*status, middleware::error_page));
                App::new()
                    .app_data(state.clone())
                    // Inside the session's CSRF check: a forged request is refused first.
                    .wrap(from_fn(crate::input_guard::middleware))
                    .wrap(from_fn(crate::auth::session::middleware))
                    .wrap(from_fn(middleware::note_refused_writes))
                    .wrap(from_fn(middleware::writes::note_writes))
                    .wrap(from_fn(middleware::catch_panic))
                    .wrap(error_pages)
                    .wrap(from_fn(middleware::cache::cache_control))
                    .wrap(from_fn(middleware::security_headers))
                    .wrap(from_fn(middleware::request_log))
                    // Outermost: a calendar poll it answers passes nothing else.
                    .wrap(routes::feeds::FeedLane)
                    .configure(routes::configure)
                    .configure(routes::api::configure)
                    .configure(extra)
                    .service(
                        web::scope("/assets")
                            .wrap(DefaultHeaders::new().add(CacheControl(vec![
                                CacheDirective::Public,
                                CacheDirective::MaxAge(3600),
                            ])))
                            .service(Files::new("", &assets)),
                    )
            })
            .shutdown_timeout(shutdown)
            .disable_signals()
            .listen(listener)?;
        if workers > 0 {
            server = server.workers(workers);
        }
        Ok(Self { port, server: server.run(), db, worker, worker_task, mail_wake, state: shared })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn db(&self) -> Db {
        self.db.clone()
    }

    /// The outbox worker (tests drain it explicitly).
    pub fn worker(&self) -> Arc<Worker> {
        self.worker.clone()
    }

    /// What the handlers share (tests inspect it).
    pub fn state(&self) -> web::Data<AppState> {
        self.state.clone()
    }

    /// Wakes the background outbox worker, as a request that queued mail does.
    pub fn mail_wake(&self) -> Arc<Notify> {
        self.mail_wake.clone()
    }

    /// A handle to stop the server gracefully (what SIGTERM and SIGINT do).
    pub fn handle(&self) -> ServerHandle {
        self.server.handle()
    }

    /// Serves until a stop signal; in-flight requests get the shutdown timeout to finish.
    /// Then the outbox worker stops: the mail it is sending goes out, and what it claimed
    /// but did not start goes back to the queue for the next start.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let served = self.server.await;
        if let Some(task) = self.worker_task {
            self.worker.stop();
            if let Err(e) = task.await {
                tracing::error!(error = %e, "the mail worker ended abnormally");
            }
        }
        served
    }
}
