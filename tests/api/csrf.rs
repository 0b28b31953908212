//! Every state change needs the CSRF token of its session, and a foreign Origin is refused.

use crate::helpers::{PASSWORD, location, new_client, spawn_app};

async fn password_still_works(app: &crate::helpers::TestApp, email: &str) -> bool {
    app.login_with(&new_client(), email, PASSWORD).await.status() == 303
}

#[tokio::test]
async fn a_state_change_without_the_token_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let member = app.login_as_member().await;
    let res = app
        .client
        .post(app.url("/me/password"))
        .form(&[("current", PASSWORD), ("new", "attacker-chosen-phrase-99")])
        .send()
        .await
        .expect("sent");
    assert_eq!(res.status(), 403);
    assert!(password_still_works(&app, &member.email).await);
}

#[tokio::test]
async fn another_sessions_token_is_refused() {
    let app = spawn_app().await;
    let member = app.login_as_member().await;
    let attacker = new_client();
    let other = app.create_user("eve@cert.example", csirt_meet::domain::states::Role::Member).await;
    app.sign_in_with(&attacker, &other).await;
    let their_token = app.csrf(&attacker).await;
    let res = app
        .client
        .post(app.url("/me/password"))
        .form(&[("current", PASSWORD), ("new", "attacker-chosen-phrase-99"), ("csrf_token", &their_token)])
        .send()
        .await
        .expect("sent");
    assert_eq!(res.status(), 403);
    assert!(password_still_works(&app, &member.email).await);
}

#[tokio::test]
async fn a_foreign_origin_is_refused_even_with_the_token() {
    let app = spawn_app().await;
    let member = app.login_as_member().await;
    let token = app.csrf(&app.client).await;
    let form = [("current", PASSWORD), ("new", "attacker-chosen-phrase-99"), ("csrf_token", &token)];
    let res = app
        .client
        .post(app.url("/me/password"))
        .header("origin", "https://evil.example")
        .form(&form)
        .send()
        .await
        .expect("sent");
    assert_eq!(res.status(), 403);
    assert!(password_still_works(&app, &member.email).await);

    let res = app
        .client
        .post(app.url("/me/password"))
        .header("origin", app.settings.public_origin())
        .form(&form)
        .send()
        .await;
    assert_eq!(
        location(&res.expect("sent")),
        "/me/security?done=password-changed",
        "the public origin is accepted"
    );
}

#[tokio::test]
async fn the_sign_in_form_needs_its_token_too() {
    let app = spawn_app().await;
    let member = app.create_user("ana@cert.example", csirt_meet::domain::states::Role::Member).await;
    let res = app
        .client
        .post(app.url("/login"))
        .form(&[("email", member.email.as_str()), ("password", PASSWORD)])
        .send();
    assert_eq!(res.await.expect("sent").status(), 403);
}
