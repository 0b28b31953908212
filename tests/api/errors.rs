use actix_web::{HttpResponse, web};
use csirt_meet::error::AppError;

use crate::helpers::{spawn_app, spawn_app_with};

fn failing_routes(cfg: &mut web::ServiceConfig) {
    cfg.route(
        "/test/fail",
        web::get().to(|| async {
            Err::<HttpResponse, _>(AppError::Unexpected(
                anyhow::anyhow!("password=hunter2 at db-7.internal").context("loading the secret row"),
            ))
        }),
    )
    .route(
        "/test/panic",
        web::get().to(|| async {
            if true {
                panic!("token 5ec7e7 leaked into a panic");
            }
            HttpResponse::Ok().finish()
        }),
    );
}

#[tokio::test]
async fn an_unknown_page_gives_the_404_page() {
    let app = spawn_app().await;
    let res = app.get("/no/such/page").await;
    assert_eq!(res.status(), 404);
    assert!(res.headers()["content-type"].to_str().expect("ascii").starts_with("text/html"));
    let body = res.text().await.expect("body");
    assert!(body.contains("Page not found"), "{body}");
    assert!(body.contains("Back to the home page"));
}

#[tokio::test]
async fn a_wrong_method_gives_a_page_too() {
    let app = spawn_app().await;
    let res = app.post_form("/healthz", &[]).await;
    assert!(res.status() == 404 || res.status() == 405, "{}", res.status());
    assert!(res.text().await.expect("body").contains("<h1>"));
}

#[tokio::test]
async fn a_malformed_form_gives_the_400_page_without_parser_details() {
    let app = spawn_app().await;
    let res = app.post_form("/login", &[("email", "ana@cert.example")]).await;
    assert_eq!(res.status(), 400);
    let body = res.text().await.expect("body");
    assert!(body.contains("Incomplete form"), "{body}");
    assert!(!body.contains("missing field"), "{body}");
}

#[tokio::test]
async fn a_state_change_to_a_feed_address_still_needs_the_csrf_token() {
    let app = spawn_app().await;
    let res = app.client.post(app.url("/feeds/anything.ics")).send().await.expect("sent");
    assert_eq!(res.status(), 403);
}

#[tokio::test]
async fn a_failing_handler_gives_a_500_page_that_leaks_nothing() {
    let app = spawn_app_with(|_| {}, failing_routes).await;
    let res = app.get("/test/fail").await;
    assert_eq!(res.status(), 500);
    let body = res.text().await.expect("body");
    assert!(body.contains("Something went wrong"), "{body}");
    for secret in ["hunter2", "db-7", "secret row", "loading"] {
        assert!(!body.contains(secret), "the page shows {secret:?}");
    }
}

#[tokio::test]
async fn a_panicking_handler_gives_the_500_page_and_the_server_lives_on() {
    let app = spawn_app_with(|_| {}, failing_routes).await;
    let res = app.get("/test/panic").await;
    assert_eq!(res.status(), 500);
    assert_eq!(res.headers()["x-frame-options"], "DENY");
    let body = res.text().await.expect("body");
    assert!(body.contains("Something went wrong"), "{body}");
    assert!(!body.contains("5ec7e7"));
    assert_eq!(app.get("/").await.status(), 200);
}
