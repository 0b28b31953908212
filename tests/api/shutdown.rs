//! A graceful stop lets in-flight requests finish.

use std::sync::OnceLock;

use actix_web::{HttpResponse, web};
use tokio::sync::Notify;

use crate::helpers::spawn_app_with;

/// The slow handler says it has started, then waits for the test to let it finish.
static STARTED: OnceLock<Notify> = OnceLock::new();
static RELEASE: OnceLock<Notify> = OnceLock::new();

fn slow_route(cfg: &mut web::ServiceConfig) {
    cfg.route(
        "/test/slow",
        web::get().to(|| async {
            STARTED.get_or_init(Notify::new).notify_one();
            RELEASE.get_or_init(Notify::new).notified().await;
            HttpResponse::Ok().body("finished")
        }),
    );
}

#[tokio::test]
async fn a_graceful_stop_lets_in_flight_requests_finish() {
    let app = spawn_app_with(|_| {}, slow_route).await;
    let in_flight = tokio::spawn(app.client.get(format!("{}/test/slow", app.address)).send());
    STARTED.get_or_init(Notify::new).notified().await;

    let stopping = tokio::spawn(app.handle.stop(true));
    RELEASE.get_or_init(Notify::new).notify_one();

    let res = in_flight.await.expect("task").expect("the in-flight request is answered");
    assert_eq!(res.status(), 200);
    assert_eq!(res.text().await.expect("body"), "finished");
    stopping.await.expect("stopped");
    app.server.await.expect("task").expect("the server ends cleanly");
}
