//! A database that answers reads but refuses writes, as when another writer holds its
//! lock longer than `database.lock_timeout_ms`: pages that only read still answer, a
//! change answers 503 "try again" (never 500), and `/healthz` takes the instance out of
//! rotation for `database.unhealthy_after_write_failure_secs`, without writing itself.

use std::time::Duration;

use csirt_meet::{
    db::{DatabaseUrl, Db, DbConnection},
    domain::registration::Status,
};
use diesel::connection::SimpleConnection as _;

use crate::{
    fixtures::{AGENDA, AgendaFixture, add_session_row},
    helpers::{TestApp, location},
};

/// Another writer holding the database's write lock, on a connection of its own. On
/// SQLite that is an immediate transaction (readers go on under WAL); on PostgreSQL every
/// table locked in EXCLUSIVE mode, which lets plain reads through and holds every write.
struct WriteLock {
    conn: r2d2::PooledConnection<csirt_meet::db::ConnectionManager>,
    _pool: Db,
}

impl WriteLock {
    fn take(app: &TestApp) -> Self {
        let url = DatabaseUrl::parse(app.database.url()).expect("url");
        let pool = Db::connect(&url, 1, Duration::from_secs(5)).expect("connect");
        let mut conn = pool.get().expect("connection");
        let sql = match &**conn {
            DbConnection::Sqlite(_) => "BEGIN IMMEDIATE;",
            DbConnection::Postgresql(_) => {
                "BEGIN; DO $$ DECLARE t text; BEGIN \
                 FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = current_schema() LOOP \
                 EXECUTE format('LOCK TABLE %I IN EXCLUSIVE MODE', t); END LOOP; END $$;"
            }
        };
        conn.batch_execute(sql).expect("the write lock is taken");
        Self { conn, _pool: pool }
    }

    fn release(mut self) {
        self.conn.batch_execute("ROLLBACK;").expect("the write lock is released");
    }
}

#[tokio::test]
async fn while_the_database_refuses_writes_pages_still_read_changes_answer_503_and_healthz_says_so() {
    let fx = AgendaFixture::set_up_with(|s| {
        s.database.lock_timeout_ms = 200;
        s.database.unhealthy_after_write_failure_secs = 30;
    })
    .await;
    let session = add_session_row(&fx.app, fx.meeting.id, fx.talk("Sharing at scale")).await;
    fx.publish("First").await;
    let reader = fx.attendee("alice@cert-at.example", Status::Approved).await;
    let app = &fx.app;
    // Due now: noting the session's use, and (first look) the release the reader has seen.
    app.clock.advance(chrono::Duration::minutes(2));
    assert_eq!(app.get("/healthz").await.status(), 200);

    let lock = WriteLock::take(app);
    let me = reader.get(app.url("/me")).send().await.expect("sent");
    assert_eq!(me.status(), 200, "a signed-in read does not fail on the session's bookkeeping");
    let agenda = reader.get(app.url(AGENDA)).send().await.expect("sent");
    assert_eq!(agenda.status(), 200, "nor on noting the release seen");
    assert!(agenda.text().await.expect("body").contains("Sharing at scale"));

    let pick = format!("/meetings/natcsirt-2026/sessions/{session}/pick");
    let res = app.post_form_with(&reader, &pick, &[]).await;
    assert_eq!(res.status(), 503, "a change the database refused is not a 500");
    let page = res.text().await.expect("body");
    assert!(page.contains("try again"), "the page says to try again: {page}");

    let res = app.get("/healthz").await;
    assert_eq!(res.status(), 503, "out of rotation after a refused write");
    assert_eq!(res.text().await.expect("body"), "database refused a write recently\n");
    app.clock.advance(chrono::Duration::seconds(30));
    assert_eq!(
        app.get("/healthz").await.status(),
        200,
        "back once the window passed, though writes are still refused: the probe writes nothing"
    );

    lock.release();
    let res = app.post_form_with(&reader, &pick, &[]).await;
    let status = res.status();
    assert_eq!(status, 303, "the same change works once the database takes writes: {:?}", res.text().await);
    assert!(location(&res).starts_with(AGENDA));
    assert_eq!(app.get("/healthz").await.status(), 200);
}
