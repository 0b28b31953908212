use csirt_meet::config::Settings;

use crate::helpers::{spawn_app, spawn_app_with};

#[tokio::test]
async fn healthz_answers_ok_when_the_database_answers() {
    let app = spawn_app().await;
    let res = app.get("/healthz").await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.text().await.expect("body"), "ok\n");
}

#[tokio::test]
async fn healthz_answers_503_when_no_database_connection_can_be_had() {
    let app = spawn_app_with(
        |s: &mut Settings| {
            s.database.pool_size = 1;
            s.database.connect_timeout_secs = 1;
        },
        |_| {},
    )
    .await;
    let db = app.db.clone();
    let held =
        tokio::task::spawn_blocking(move || db.get().expect("the only connection")).await.expect("task");
    let res = app.get("/healthz").await;
    assert_eq!(res.status(), 503);
    drop(held);
    assert_eq!(app.get("/healthz").await.status(), 200);
}
