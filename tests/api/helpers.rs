//! `spawn_app()` and `TestApp`: what every test starts from.

use actix_web::dev::ServerHandle;
use chrono::{TimeZone, Utc};
use std::sync::Arc;

use csirt_meet::{
    clock::Clock,
    config::{Settings, SmtpSecurity, TransportKind},
    db::Db,
    email::transport::Transport,
    outbox::{DrainReport, Worker},
    startup::{Application, ExtraRoutes, Options},
};
use diesel::{Connection, PgConnection, RunQueryDsl};

/// A database that exists for one test and is removed afterwards, also when the test fails.
pub enum TestDatabase {
    Sqlite { url: String, _dir: tempfile::TempDir },
    Postgres { url: String, admin_url: String, name: String },
}

impl TestDatabase {
    /// A fresh SQLite file, or a fresh PostgreSQL database when TEST_DATABASE_URL is set.
    pub fn create() -> Self {
        match std::env::var("TEST_DATABASE_URL").ok().filter(|u| !u.is_empty()) {
            Some(admin_url) => Self::create_postgres(admin_url),
            None => Self::create_sqlite(),
        }
    }

    pub fn create_sqlite() -> Self {
        let dir = tempfile::tempdir().expect("temporary folder");
        let url = format!("sqlite://{}", dir.path().join("test.db").display());
        Self::Sqlite { url, _dir: dir }
    }

    pub fn create_postgres(admin_url: String) -> Self {
        let name = format!("csirt_meet_test_{}", uuid::Uuid::new_v4().simple());
        let mut admin = PgConnection::establish(&admin_url)
            .unwrap_or_else(|e| panic!("TEST_DATABASE_URL is set but PostgreSQL does not answer: {e}"));
        diesel::sql_query(format!("CREATE DATABASE \"{name}\""))
            .execute(&mut admin)
            .expect("create the test database");
        let mut url = url::Url::parse(&admin_url).expect("TEST_DATABASE_URL is a URL");
        url.set_path(&name);
        Self::Postgres { url: url.to_string(), admin_url, name }
    }

    pub fn url(&self) -> &str {
        match self {
            Self::Sqlite { url, .. } | Self::Postgres { url, .. } => url,
        }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let Self::Postgres { admin_url, name, .. } = self
            && let Ok(mut admin) = PgConnection::establish(admin_url)
        {
            let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                .execute(&mut admin);
        }
    }
}

/// Settings for a test server: port 0, one worker, the given database.
pub fn test_settings(database_url: &str) -> Settings {
    let mut settings = Settings::defaults().expect("the built-in defaults load");
    settings.server.port = 0;
    settings.server.workers = 1;
    settings.database.url = database_url.to_owned();
    settings.database.pool_size = 4;
    settings.mail.from = "NatCSIRT meeting <natcsirt@cert.example>".into();
    settings
}

/// Mail through a plain SMTP server on 127.0.0.1:`port` (the sink of a test).
pub fn use_smtp(settings: &mut Settings, port: u16) {
    settings.mail.transport = TransportKind::Smtp;
    settings.mail.smtp.host = "127.0.0.1".into();
    settings.mail.smtp.port = port;
    settings.mail.smtp.security = SmtpSecurity::None;
    settings.mail.smtp.timeout_secs = 5;
}

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub db: Db,
    pub clock: Clock,
    pub settings: Settings,
    pub worker: Arc<Worker>,
    pub handle: ServerHandle,
    pub server: tokio::task::JoinHandle<std::io::Result<()>>,
    pub database: TestDatabase,
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}, |_| {}).await
}

/// A test server whose settings `tweak` may change, with `extra` routes mounted.
pub async fn spawn_app_with(tweak: impl FnOnce(&mut Settings), extra: ExtraRoutes) -> TestApp {
    let database = TestDatabase::create();
    let mut settings = test_settings(database.url());
    tweak(&mut settings);
    let clock = Clock::fixed(Utc.with_ymd_and_hms(2026, 5, 1, 9, 0, 0).single().expect("valid time"));
    // Mail stays in memory unless the test asked for its own SMTP server; the worker runs
    // only when a test drives it.
    let transport = (settings.mail.transport != TransportKind::Smtp).then(Transport::memory);
    let options = Options { clock: clock.clone(), extra_routes: extra, mail_worker: false, transport };
    let app = Application::build_with(settings.clone(), options).await.expect("the application builds");
    let port = app.port();
    let (db, handle, worker) = (app.db(), app.handle(), app.worker());
    let server = tokio::spawn(app.run_until_stopped());
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .build()
        .expect("HTTP client");
    TestApp {
        address: format!("http://127.0.0.1:{port}"),
        client,
        db,
        clock,
        settings,
        worker,
        handle,
        server,
        database,
    }
}

impl TestApp {
    /// Runs the outbox worker once, as the background task would.
    pub async fn dispatch_pending_emails(&self) -> DrainReport {
        self.worker.drain_once().await.expect("the outbox drains")
    }

    /// Every message the memory transport received, parsed.
    pub fn emails(&self) -> Vec<mail_parser::Message<'static>> {
        self.worker.transport().kept().iter().map(|raw| parse_email(raw)).collect()
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(format!("{}{path}", self.address)).send().await.expect("request sent")
    }
}

pub fn parse_email(raw: &[u8]) -> mail_parser::Message<'static> {
    mail_parser::MessageParser::default().parse(raw).expect("a parsable message").into_owned()
}
