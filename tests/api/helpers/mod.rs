//! `spawn_app()` and `TestApp`: what every test starts from, and the machinery around it
//! (a real SMTP server, the calendar parsers, the built binary). The rows a test needs come
//! from `crate::fixtures`.

pub mod frab;
pub mod ical_parsers;
pub mod process;
pub mod smtp_sink;

use actix_web::dev::ServerHandle;
use chrono::{TimeZone, Utc};
use std::sync::Arc;

use csirt_meet::{
    clock::Clock,
    config::{Settings, SmtpSecurity, TransportKind},
    db::Db,
    domain::totp::{self, TotpSecret},
    email::transport::Transport,
    outbox::{DrainReport, Worker},
    startup::{Application, ExtraRoutes, Options},
    state::AppState,
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
    pub state: actix_web::web::Data<AppState>,
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
    let (db, handle, worker, state) = (app.db(), app.handle(), app.worker(), app.state());
    let server = tokio::spawn(app.run_until_stopped());
    TestApp {
        address: format!("http://127.0.0.1:{port}"),
        client: new_client(),
        state,
        db,
        clock,
        settings,
        worker,
        handle,
        server,
        database,
    }
}

/// A browser of its own: cookies kept, redirects not followed.
pub fn new_client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .build()
        .expect("HTTP client")
}

/// An account made directly in the database, with what signing in needs.
#[derive(Debug, Clone)]
pub struct TestUser {
    pub id: i64,
    pub email: String,
    pub password: String,
    pub totp: Option<TotpSecret>,
}

pub const PASSWORD: &str = "violet-harbour-lantern-42";

/// The value of the first `name="csrf_token"` field of a page.
pub fn csrf_in(html: &str) -> String {
    let marker = "name=\"csrf_token\" value=\"";
    let start = html.find(marker).map(|i| i + marker.len()).expect("the page has a CSRF field");
    html[start..].split('"').next().expect("closing quote").to_owned()
}

/// The summary of a form's messages at the top of `page`.
#[track_caller]
pub fn error_summary(page: &str) -> &str {
    page.split(r#"<div class="error-summary" role="alert""#)
        .nth(1)
        .and_then(|rest| rest.split("</div>").next())
        .unwrap_or_else(|| panic!("a summary at the top: {page}"))
}

/// The page of a form refused with 422, after checking that each (field, message) of
/// `expected` is shown where every reader finds it: next to the field, tied to the control
/// (invalid, described by the message and by the field's hint if it has one) and in the
/// summary at the top as a link to the field. Messages are compared as HTML.
pub async fn refused_with(res: reqwest::Response, expected: &[(&str, &str)]) -> String {
    assert_eq!(res.status(), 422);
    let page = res.text().await.expect("body");
    for (field, message) in expected {
        assert_field_error(&page, field, message);
    }
    page
}

/// `message` is shown next to `field`, tied to its control and linked from the summary
/// (for refusals with another status than 422, like a wrong sign-in code).
#[track_caller]
pub fn assert_field_error(page: &str, field: &str, message: &str) {
    let span = format!(r#"<span class="error" id="{field}-error">"#);
    let beside = page.split(&span).nth(1).and_then(|rest| rest.split("</span>").next());
    assert!(beside.is_some_and(|m| m.contains(message)), "{message:?} next to {field}: {page}");

    let at = page.find(&format!(r#"id="{field}""#)).unwrap_or_else(|| panic!("no control {field}: {page}"));
    let start = page[..at].rfind('<').expect("the control's tag");
    let tag = &page[start..at + page[at..].find('>').expect("the tag ends")];
    assert!(tag.contains(r#"aria-invalid="true""#), "{field} is marked invalid: {tag}");
    let described: Vec<&str> = tag
        .split(r#"aria-describedby=""#)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .map(|ids| ids.split_whitespace().collect())
        .unwrap_or_default();
    assert!(described.contains(&format!("{field}-error").as_str()), "described by its message: {tag}");
    let hint = format!("{field}-hint");
    if page.contains(&format!(r#"id="{hint}""#)) {
        assert!(described.contains(&hint.as_str()), "still described by its hint: {tag}");
    }

    let summary = error_summary(page);
    let link = format!(r##"<a href="#{field}">"##);
    let linked = summary.split(&link).nth(1).and_then(|rest| rest.split("</a>").next());
    assert!(
        linked.is_some_and(|m| m.contains(message)),
        "the summary links {message:?} to #{field}: {summary}"
    );
}

pub fn location(res: &reqwest::Response) -> String {
    res.headers().get("location").map(|l| l.to_str().expect("ascii").to_owned()).unwrap_or_default()
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    /// The CSRF token this client's forms must carry now.
    pub async fn csrf(&self, client: &reqwest::Client) -> String {
        let html = client.get(self.url("/login")).send().await.expect("sent").text().await.expect("body");
        csrf_in(&html)
    }

    /// Posts a form with this client's CSRF token added.
    pub async fn post_form_with(
        &self,
        client: &reqwest::Client,
        path: &str,
        fields: &[(&str, &str)],
    ) -> reqwest::Response {
        let token = self.csrf(client).await;
        let mut form: Vec<(&str, &str)> = fields.to_vec();
        form.push(("csrf_token", &token));
        client.post(self.url(path)).form(&form).send().await.expect("sent")
    }

    /// The body of the page at `path` as `client` sees it.
    pub async fn page_with(&self, client: &reqwest::Client, path: &str) -> String {
        client.get(self.url(path)).send().await.expect("sent").text().await.expect("body")
    }

    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        self.post_form_with(&self.client, path, fields).await
    }

    /// The password step with `client`.
    pub async fn login_with(
        &self,
        client: &reqwest::Client,
        email: &str,
        password: &str,
    ) -> reqwest::Response {
        self.post_form_with(client, "/login", &[("email", email), ("password", password)]).await
    }

    /// The current code of the user's authenticator at the test clock's time.
    pub fn totp_code(&self, user: &TestUser, offset_secs: i64) -> String {
        let secret = user.totp.as_ref().expect("the user has a second factor");
        totp::code_at(secret, self.clock.now().timestamp() + offset_secs)
    }

    /// Both sign-in steps for `user` with `client`.
    pub async fn sign_in_with(&self, client: &reqwest::Client, user: &TestUser) {
        let res = self.login_with(client, &user.email, &user.password).await;
        assert_eq!(res.status(), 303, "the password step passes");
        if user.totp.is_some() {
            assert_eq!(location(&res), "/login/second-factor");
            let code = self.totp_code(user, 0);
            let res = self.post_form_with(client, "/login/second-factor", &[("code", &code)]).await;
            assert_eq!(res.status(), 303, "the second step passes");
            // Each code is accepted once: later sign-ins in the same test use the next step.
            self.clock.advance(chrono::Duration::seconds(30));
        }
    }

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

/// A second application on the same database and clock, not yet serving: another instance
/// behind a balancer (its outbox worker only drains when asked).
pub async fn second_application(app: &TestApp) -> Application {
    let options = Options {
        clock: app.clock.clone(),
        mail_worker: false,
        transport: Some(Transport::memory()),
        ..Options::default()
    };
    Application::build_with(app.settings.clone(), options).await.expect("a second instance")
}

/// [`second_application`], serving: its address and handle.
pub async fn second_instance(app: &TestApp) -> (String, actix_web::dev::ServerHandle) {
    let other = second_application(app).await;
    let (address, handle) = (format!("http://127.0.0.1:{}", other.port()), other.handle());
    tokio::spawn(other.run_until_stopped());
    (address, handle)
}
