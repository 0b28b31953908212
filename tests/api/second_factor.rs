//! Two-step sign-in for organizers: required, each code once, ±1 step of skew, lockout,
//! recovery codes spent once.

use csirt_meet::domain::states::Role;
use csirt_meet::models::user;

use crate::{
    fixtures::start_enrollment,
    helpers::{TestApp, location, new_client, spawn_app},
};

async fn password_step(app: &TestApp, client: &reqwest::Client, u: &crate::helpers::TestUser) {
    let res = app.login_with(client, &u.email, &u.password).await;
    assert_eq!(location(&res), "/login/second-factor");
}

async fn code(app: &TestApp, client: &reqwest::Client, code: &str) -> reqwest::Response {
    app.post_form_with(client, "/login/second-factor", &[("code", code)]).await
}

#[tokio::test]
async fn an_organizer_needs_the_second_step_before_the_console() {
    let app = spawn_app().await;
    let org = app.create_user("org@cert.example", Role::Organizer).await;
    password_step(&app, &app.client, &org).await;
    assert_eq!(location(&app.get("/admin").await), "/login/second-factor");
    let res = code(&app, &app.client, &app.totp_code(&org, 0)).await;
    assert_eq!(location(&res), "/admin");
    assert_eq!(app.get("/admin").await.status(), 200);
}

#[tokio::test]
async fn a_code_is_accepted_once() {
    let app = spawn_app().await;
    let org = app.create_user("org@cert.example", Role::Organizer).await;
    let current = app.totp_code(&org, 0);
    password_step(&app, &app.client, &org).await;
    assert_eq!(code(&app, &app.client, &current).await.status(), 303);
    let other = new_client();
    password_step(&app, &other, &org).await;
    assert_eq!(code(&app, &other, &current).await.status(), 401, "a replayed code is refused");
}

#[tokio::test]
async fn a_code_one_step_off_is_accepted_two_steps_off_is_not() {
    let app = spawn_app().await;
    let org = app.create_user("org@cert.example", Role::Organizer).await;
    password_step(&app, &app.client, &org).await;
    assert_eq!(code(&app, &app.client, &app.totp_code(&org, -60)).await.status(), 401);
    assert_eq!(code(&app, &app.client, &app.totp_code(&org, -30)).await.status(), 303);
}

#[tokio::test]
async fn five_wrong_codes_lock_the_second_step_for_a_while() {
    let app = spawn_app().await;
    let org = app.create_user("org@cert.example", Role::Organizer).await;
    password_step(&app, &app.client, &org).await;
    for _ in 0..5 {
        assert_eq!(code(&app, &app.client, "000000").await.status(), 401);
    }
    let res = code(&app, &app.client, &app.totp_code(&org, 0)).await;
    assert_eq!(res.status(), 401);
    let page = res.text().await.expect("body");
    crate::helpers::assert_field_error(&page, "code", "Two-step sign-in pauses for 15 minutes.");
    app.clock.advance(chrono::Duration::minutes(16));
    assert_eq!(code(&app, &app.client, &app.totp_code(&org, 0)).await.status(), 303);
}

#[tokio::test]
async fn a_recovery_code_signs_in_once() {
    let app = spawn_app().await;
    let org = app.create_user("org@cert.example", Role::Organizer).await;
    let codes = csirt_meet::domain::totp::generate_recovery_codes();
    let hashes: Vec<String> = codes
        .iter()
        .map(|c| csirt_meet::domain::token::hash_token(&csirt_meet::domain::totp::normalize_recovery_code(c)))
        .collect();
    let id = org.id;
    app.db.query(move |c| user::replace_recovery_codes(c, id, &hashes)).await.expect("stored");

    password_step(&app, &app.client, &org).await;
    assert_eq!(code(&app, &app.client, &codes[0].to_uppercase()).await.status(), 303);
    let other = new_client();
    password_step(&app, &other, &org).await;
    assert_eq!(code(&app, &other, &codes[0]).await.status(), 401, "spent");
    assert_eq!(code(&app, &other, &codes[1]).await.status(), 303);
}

#[tokio::test]
async fn one_code_submitted_twice_at_once_signs_in_only_once() {
    let app = spawn_app().await;
    let org = app.create_user("org@cert.example", Role::Organizer).await;
    let (a, b) = (new_client(), new_client());
    password_step(&app, &a, &org).await;
    password_step(&app, &b, &org).await;
    let current = app.totp_code(&org, 0);
    let (ra, rb) = tokio::join!(code(&app, &a, &current), code(&app, &b, &current));
    let passed = [ra.status(), rb.status()].iter().filter(|s| s.as_u16() == 303).count();
    assert_eq!(passed, 1, "a code is accepted once, even in parallel");
}

#[tokio::test]
async fn reopening_the_setup_page_shows_the_same_pending_secret() {
    let app = spawn_app().await;
    app.login_as_member().await;
    let secret = |html: String| {
        html.split("id=\"totp-secret\">").nth(1).and_then(|r| r.split('<').next()).map(str::to_owned)
    };
    let start = || start_enrollment(&app, &app.client, crate::helpers::PASSWORD);
    let first = secret(start().await.text().await.expect("body"));
    let second = secret(start().await.text().await.expect("body"));
    assert!(first.is_some());
    assert_eq!(first, second, "a reload does not replace the secret already scanned");
}
