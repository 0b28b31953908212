//! Password reset by email: uniform answers, single-use links, second factor kept.

use csirt_meet::domain::states::Role;

use crate::{
    fixtures::link_in_last_mail,
    helpers::{TestApp, location, new_client, refused_with, spawn_app},
};

async fn reset_link(app: &TestApp) -> String {
    link_in_last_mail(app, "/password/reset/").await
}

#[tokio::test]
async fn unknown_and_known_addresses_get_the_same_answer_and_only_the_known_gets_mail() {
    let app = spawn_app().await;
    app.create_user("ana@cert.example", Role::Member).await;
    let known = app.post_form("/password/forgot", &[("email", "ana@cert.example")]).await;
    let unknown = app.post_form("/password/forgot", &[("email", "nobody@cert.example")]).await;
    assert_eq!(known.status(), unknown.status());
    let (k, u) = (known.text().await.expect("body"), unknown.text().await.expect("body"));
    assert!(k.contains("If an account exists"));
    assert_eq!(
        k.replace(|c: char| c.is_ascii_hexdigit(), ""),
        u.replace(|c: char| c.is_ascii_hexdigit(), "")
    );
    app.dispatch_pending_emails().await;
    let to: Vec<String> = app
        .emails()
        .iter()
        .map(|m| m.to().and_then(|a| a.first()).and_then(|a| a.address()).expect("to").to_owned())
        .collect();
    assert_eq!(to, ["ana@cert.example"]);
}

#[tokio::test]
async fn the_reset_link_sets_a_password_once_and_ends_sessions_but_keeps_the_second_factor() {
    let app = spawn_app().await;
    let org = app.create_user("org@cert.example", Role::Organizer).await;
    let signed_in = new_client();
    app.sign_in_with(&signed_in, &org).await;

    app.post_form("/password/forgot", &[("email", &org.email)]).await;
    let link = reset_link(&app).await;
    assert_eq!(app.get(&link).await.status(), 200);
    assert_eq!(app.get(&link).await.status(), 200, "opening the link does not spend it");
    let new = "saffron-glacier-meadow-88";
    let res = app.post_form(&link, &[("password", new)]).await;
    assert_eq!(location(&res), "/login?done=password-reset");
    assert_eq!(
        app.post_form(&link, &[("password", "another-phrase-entirely-5")]).await.status(),
        404,
        "used once"
    );
    assert_eq!(location(&signed_in.get(app.url("/admin")).send().await.expect("sent")), "/login");

    let res = app.login_with(&new_client(), &org.email, new).await;
    assert_eq!(location(&res), "/login/second-factor", "the second factor is still asked");
}

#[tokio::test]
async fn a_weak_new_password_is_refused_next_to_its_field_and_keeps_the_old_one_and_the_link() {
    let app = spawn_app().await;
    let ana = app.create_user("ana@cert.example", Role::Member).await;
    app.post_form("/password/forgot", &[("email", &ana.email)]).await;
    let link = reset_link(&app).await;
    let res = app.post_form(&link, &[("password", "password1234")]).await;
    let page = refused_with(res, &[("password", "This password is on a list of common passwords.")]).await;
    assert!(!page.contains("password1234"), "the password is not shown again");
    assert_eq!(app.login_with(&new_client(), &ana.email, &ana.password).await.status(), 303, "unchanged");
    assert_eq!(app.get(&link).await.status(), 200, "the link still works");
}

#[tokio::test]
async fn a_reset_link_expires_after_an_hour() {
    let app = spawn_app().await;
    app.create_user("ana@cert.example", Role::Member).await;
    app.post_form("/password/forgot", &[("email", "ana@cert.example")]).await;
    let link = reset_link(&app).await;
    app.clock.advance(chrono::Duration::minutes(61));
    assert_eq!(app.get(&link).await.status(), 404);
}

#[tokio::test]
async fn using_one_reset_link_retires_the_others() {
    let app = spawn_app().await;
    app.create_user("ana@cert.example", Role::Member).await;
    app.post_form("/password/forgot", &[("email", "ana@cert.example")]).await;
    let first = reset_link(&app).await;
    app.post_form("/password/forgot", &[("email", "ana@cert.example")]).await;
    let second = reset_link(&app).await;
    assert_ne!(first, second);
    assert_eq!(
        location(&app.post_form(&second, &[("password", "saffron-glacier-meadow-88")]).await),
        "/login?done=password-reset"
    );
    assert_eq!(app.get(&first).await.status(), 404, "the older link died with the reset");
}

#[tokio::test]
async fn an_oversized_anonymous_form_is_refused_before_it_is_read_whole() {
    let app = spawn_app().await;
    let huge = "x".repeat(100 * 1024);
    let res = app.post_form("/password/forgot", &[("email", &huge)]).await;
    assert_eq!(res.status(), 413);
}
