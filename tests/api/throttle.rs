//! Sign-in throttling: per IP in memory, per account in the database; both expire.

use chrono::Duration;

use crate::helpers::{PASSWORD, new_client, spawn_app};
use csirt_meet::domain::states::Role;

#[tokio::test]
async fn more_than_ten_failures_from_one_address_answer_429_until_the_window_passes() {
    let app = spawn_app().await;
    for i in 0..11 {
        let res =
            app.login_with(&new_client(), &format!("nobody{i}@cert.example"), "wrong-password-here").await;
        assert_eq!(res.status(), 401, "failure {i}");
    }
    let res = app.login_with(&new_client(), "nobody@cert.example", "wrong-password-here").await;
    assert_eq!(res.status(), 429);
    assert!(res.text().await.expect("body").contains("Try again in"));

    app.clock.advance(Duration::minutes(5));
    let res = app.login_with(&new_client(), "nobody@cert.example", "wrong-password-here").await;
    assert_eq!(res.status(), 401, "allowed again after the window");
}

#[tokio::test]
async fn an_account_waits_after_five_failures_even_with_the_right_password() {
    let app = spawn_app().await;
    let member = app.create_user("ana@cert.example", Role::Member).await;
    for _ in 0..5 {
        assert_eq!(app.login_with(&new_client(), &member.email, "wrong-password-here").await.status(), 401);
    }
    assert_eq!(app.login_with(&new_client(), &member.email, PASSWORD).await.status(), 401, "locked for now");
    app.clock.advance(Duration::seconds(31));
    assert_eq!(
        app.login_with(&new_client(), &member.email, PASSWORD).await.status(),
        303,
        "the wait is over"
    );
}

#[tokio::test]
async fn x_forwarded_for_counts_only_from_a_trusted_proxy() {
    use crate::helpers::spawn_app_with;
    let app =
        spawn_app_with(|s| s.auth.trusted_proxies = vec!["127.0.0.1".parse().expect("ip")], |_| {}).await;
    for i in 0..11 {
        let token = app.csrf(&app.client).await;
        let form = [("email", "x@cert.example"), ("password", "wrong-password-here"), ("csrf_token", &token)];
        let res = app
            .client
            .post(app.url("/login"))
            .header("x-forwarded-for", format!("203.0.113.{i}"))
            .form(&form);
        assert_eq!(res.send().await.expect("sent").status(), 401, "each client address has its own budget");
    }
}

#[tokio::test]
async fn reset_requests_from_one_address_are_throttled_too() {
    let app = spawn_app().await;
    for i in 0..10 {
        let res = app.post_form("/password/forgot", &[("email", &format!("p{i}@cert.example"))]).await;
        assert_eq!(res.status(), 200, "request {i}");
    }
    let over = app.post_form("/password/forgot", &[("email", "p10@cert.example")]).await;
    let res = app.post_form("/password/forgot", &[("email", "p11@cert.example")]).await;
    assert_eq!(over.status(), 200, "the eleventh request is answered, and uses up the budget");
    assert_eq!(res.status(), 429);
    assert!(res.text().await.expect("body").contains("Try again in"));
}
