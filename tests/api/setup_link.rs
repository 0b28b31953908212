//! The first-run link: GET does not spend it, POST does; used and expired links are refused.

use chrono::Duration;
use csirt_meet::auth::setup::setup_token_if_needed;

use crate::{
    fixtures::start_enrollment,
    helpers::{TestApp, location, refused_with, spawn_app},
};

async fn setup_link(app: &TestApp) -> String {
    let now = app.clock.now_naive();
    let token =
        app.db.query(move |c| setup_token_if_needed(c, now)).await.expect("query").expect("no organizer yet");
    format!("/setup/{}", token.as_str())
}

fn form(email: &str) -> [(&str, &str); 3] {
    [("name", "Ada Organizer"), ("email", email), ("password", "orchid-tundra-ferry-31")]
}

#[tokio::test]
async fn the_setup_link_creates_the_first_organizer_who_must_set_up_a_second_factor() {
    let app = spawn_app().await;
    let link = setup_link(&app).await;
    for _ in 0..2 {
        let page = app.get(&link).await;
        assert_eq!(page.status(), 200, "opening the link does not spend it");
        assert!(page.text().await.expect("body").contains("first account"));
    }
    let res = app.post_form(&link, &form("ada@cert.example")).await;
    assert_eq!(res.status(), 303);
    assert_eq!(location(&res), "/me/second-factor");
    assert_eq!(
        location(&app.get("/admin").await),
        "/me/second-factor",
        "the console waits for the second factor"
    );

    let res = start_enrollment(&app, &app.client, "orchid-tundra-ferry-31").await;
    let page = res.text().await.expect("body");
    let secret =
        page.split("id=\"totp-secret\">").nth(1).and_then(|r| r.split('<').next()).expect("secret shown");
    let secret = csirt_meet::domain::totp::TotpSecret::from_base32(secret).expect("base32");
    let code = csirt_meet::domain::totp::code_at(&secret, app.clock.now().timestamp());
    let res = app.post_form("/me/second-factor", &[("code", &code)]).await;
    assert_eq!(res.status(), 200);
    let body = res.text().await.expect("body");
    assert_eq!(body.matches("<li>").count(), 10, "ten recovery codes are shown once: {body}");
    assert_eq!(app.get("/admin").await.status(), 200);

    let again = app.post_form(&link, &form("mallory@cert.example")).await;
    assert_eq!(again.status(), 404, "a used link is refused");
    let now = app.clock.now_naive();
    let none = app.db.query(move |c| setup_token_if_needed(c, now)).await.expect("query");
    assert!(none.is_none(), "no new setup link once an organizer exists");
}

#[tokio::test]
async fn an_expired_setup_link_is_refused() {
    let app = spawn_app().await;
    let link = setup_link(&app).await;
    app.clock.advance(Duration::hours(25));
    assert_eq!(app.get(&link).await.status(), 404);
    assert_eq!(app.post_form(&link, &form("ada@cert.example")).await.status(), 404);
}

#[tokio::test]
async fn bad_input_on_the_setup_form_is_shown_next_to_each_field_and_changes_nothing() {
    let app = spawn_app().await;
    let link = setup_link(&app).await;
    let res = app.post_form(&link, &[("name", ""), ("email", "not-an-address"), ("password", "short")]).await;
    let expected =
        [("name", "Enter your name."), ("email", "needs an @"), ("password", "Use at least 12 characters.")];
    let body = refused_with(res, &expected).await;
    assert!(body.contains(r#"value="not-an-address""#), "what was typed stays");
    assert!(!body.contains(r#"value="short""#), "never the password");
    let none = app.db.query(csirt_meet::models::user::any_organizer).await.expect("query");
    assert!(!none, "no account");
    assert_eq!(app.get(&link).await.status(), 200, "the link still works");
}

#[tokio::test]
async fn the_setup_link_dies_once_an_organizer_exists() {
    let app = spawn_app().await;
    let link = setup_link(&app).await;
    app.create_user("made-by-cli@cert.example", csirt_meet::domain::states::Role::Organizer).await;
    assert_eq!(app.get(&link).await.status(), 404);
    assert_eq!(app.post_form(&link, &form("mallory@cert.example")).await.status(), 404);
}
