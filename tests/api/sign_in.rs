//! Sign-in, sign-out and sessions.

use csirt_meet::models::user;

use crate::helpers::{PASSWORD, TestApp, TestUser, location, new_client, refused_with, spawn_app};

/// A member signed in on the app's client and on another one, returned with it.
async fn signed_in_twice(app: &TestApp) -> (TestUser, reqwest::Client) {
    let member = app.create_user("ana@cert.example", user::MEMBER).await;
    let other = new_client();
    app.sign_in_with(&app.client, &member).await;
    app.sign_in_with(&other, &member).await;
    (member, other)
}

#[tokio::test]
async fn a_member_signs_in_and_sees_their_page() {
    let app = spawn_app().await;
    let member = app.create_user("ana@cert.example", user::MEMBER).await;
    let res = app.login_with(&app.client, "  ANA@cert.example ", &member.password).await;
    assert_eq!(res.status(), 303);
    assert_eq!(location(&res), "/me");
    let cookie = res.headers()["set-cookie"].to_str().expect("ascii").to_owned();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
    let page = app.get("/me").await.text().await.expect("body");
    assert!(page.contains("Signed in as ana@cert.example"), "{page}");
}

#[tokio::test]
async fn unknown_address_and_wrong_password_fail_alike_and_both_check_a_hash() {
    let app = spawn_app().await;
    app.create_user("ana@cert.example", user::MEMBER).await;
    let before = app.state.hasher.checks();
    let unknown = app.login_with(&app.client, "nobody@cert.example", PASSWORD).await;
    let wrong = app.login_with(&new_client(), "ana@cert.example", "not-the-password-at-all").await;
    assert_eq!(app.state.hasher.checks() - before, 2, "an unknown address costs a hash check too");
    assert_eq!(
        (unknown.status(), wrong.status()),
        (reqwest::StatusCode::UNAUTHORIZED, reqwest::StatusCode::UNAUTHORIZED)
    );
    let message = |html: String| crate::helpers::error_summary(&html).to_owned();
    let (a, b) = (message(unknown.text().await.expect("body")), message(wrong.text().await.expect("body")));
    assert!(a.contains("Sign-in failed."), "{a}");
    assert_eq!(a, b, "the same message");
}

#[tokio::test]
async fn the_stored_hash_is_argon2id_with_owasp_parameters() {
    let app = spawn_app().await;
    let member = app.create_user("ana@cert.example", user::MEMBER).await;
    let id = member.id;
    let stored = app.db.query(move |c| user::find(c, id)).await.expect("user");
    assert!(stored.password_hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{}", stored.password_hash);
}

#[tokio::test]
async fn signing_out_ends_the_session_and_the_old_cookie_no_longer_works() {
    let app = spawn_app().await;
    let member = app.create_user("ana@cert.example", user::MEMBER).await;
    let res = app.login_with(&app.client, &member.email, &member.password).await;
    let session =
        res.headers()["set-cookie"].to_str().expect("ascii").split(';').next().expect("pair").to_owned();

    let res = app.post_form("/logout", &[]).await;
    assert_eq!(location(&res), "/login?done=signed-out");
    let replay =
        reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
    let res = replay.get(app.url("/me")).header("cookie", session).send().await.expect("sent");
    assert_eq!(res.status(), 303);
    assert_eq!(location(&res), "/login");
}

#[tokio::test]
async fn a_password_change_ends_the_sessions_on_other_clients() {
    let app = spawn_app().await;
    let (member, other) = signed_in_twice(&app).await;
    assert_eq!(other.get(app.url("/me")).send().await.expect("sent").status(), 200);

    let new = "a-completely-different-phrase-7";
    let res = app.post_form("/me/password", &[("current", PASSWORD), ("new", new)]).await;
    assert_eq!(location(&res), "/me/security?done=password-changed");
    assert_eq!(app.get("/me").await.status(), 200, "this client stays signed in");
    assert_eq!(location(&other.get(app.url("/me")).send().await.expect("sent")), "/login");
    assert_eq!(app.login_with(&new_client(), &member.email, new).await.status(), 303);
    assert_eq!(app.login_with(&new_client(), &member.email, PASSWORD).await.status(), 401);
}

#[tokio::test]
async fn a_weak_new_password_is_refused_with_a_reason() {
    let app = spawn_app().await;
    app.login_as_member().await;
    let res = app.post_form("/me/password", &[("current", PASSWORD), ("new", "password1234")]).await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.expect("body").contains("common passwords"));
    let res = app.post_form("/me/password", &[("current", PASSWORD), ("new", "short")]).await;
    assert!(res.text().await.expect("body").contains("at least 12"));
}

#[tokio::test]
async fn a_wrong_current_and_a_weak_new_password_are_each_shown_next_to_their_field() {
    let app = spawn_app().await;
    let (member, other) = signed_in_twice(&app).await;
    let res = app.post_form("/me/password", &[("current", "not-my-password-at-all"), ("new", "short")]).await;
    let expected =
        [("current", "Your current password is not right."), ("new", "Use at least 12 characters.")];
    let page = refused_with(res, &expected).await;
    assert!(!page.contains("not-my-password-at-all"), "never a password");
    assert_eq!(other.get(app.url("/me")).send().await.expect("sent").status(), 200, "no session ended");
    assert_eq!(app.login_with(&new_client(), &member.email, PASSWORD).await.status(), 303, "unchanged");
}

#[tokio::test]
async fn sign_out_everywhere_ends_every_session() {
    let app = spawn_app().await;
    let (_, other) = signed_in_twice(&app).await;
    let res = app.post_form("/me/sessions/end-all", &[]).await;
    assert_eq!(location(&res), "/login?done=signed-out-everywhere");
    assert_eq!(location(&app.get("/me").await), "/login");
    assert_eq!(location(&other.get(app.url("/me")).send().await.expect("sent")), "/login");
}

#[tokio::test]
async fn an_idle_session_expires() {
    let app = spawn_app().await;
    app.login_as_member().await;
    app.clock.advance(chrono::Duration::minutes(121));
    assert_eq!(location(&app.get("/me").await), "/login");
}
