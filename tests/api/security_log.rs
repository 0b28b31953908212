//! The security log: sign-ins, their failures, second-factor failures, resets and
//! recovery-code use, with the client address (by the trusted-proxy rule) and the browser
//! family, never a secret; shown on `/me/security`, exported, deleted with the account and
//! after the retention.

use chrono::Duration;
use csirt_meet::{models::security_log, privacy};

use crate::{
    fixtures::{Account, known_recovery_codes},
    helpers::{PASSWORD, TestApp, location, new_client, spawn_app, spawn_app_with},
};

const FIREFOX: &str = "Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0";

/// A browser of its own that says it is Firefox at `address`, behind the proxy.
fn firefox_at(address: &str) -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("x-forwarded-for", address.parse().expect("a header value"));
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .user_agent(FIREFOX)
        .default_headers(headers)
        .build()
        .expect("HTTP client")
}

async fn rows(app: &TestApp, id: i64) -> Vec<security_log::SecurityEntry> {
    let mut rows = app.db.query(move |c| security_log::for_user(c, id, None)).await.expect("rows");
    rows.reverse();
    rows
}

#[tokio::test]
async fn sign_ins_failures_resets_and_recovery_codes_are_logged_with_address_and_browser_never_a_secret() {
    let app =
        spawn_app_with(|s| s.auth.trusted_proxies = vec!["127.0.0.1".parse().expect("ip")], |_| {}).await;
    let member = Account::member("ana@cert.example").password(PASSWORD).second_factor().insert(&app).await;
    let codes = known_recovery_codes(&app, member.id).await;
    let browser = firefox_at("203.0.113.7");

    assert_eq!(app.login_with(&browser, &member.email, "wrong-password-here").await.status(), 401);
    assert_eq!(location(&app.login_with(&browser, &member.email, PASSWORD).await), "/login/second-factor");
    let res = app.post_form_with(&browser, "/login/second-factor", &[("code", "000000")]).await;
    assert_eq!(res.status(), 401);
    let res = app.post_form_with(&browser, "/login/second-factor", &[("code", &codes[0])]).await;
    assert_eq!(res.status(), 303, "signed in with a recovery code");
    app.post_form_with(&browser, "/password/forgot", &[("email", &member.email)]).await;
    app.dispatch_pending_emails().await;
    let text = app.emails().last().expect("a reset mail").body_text(0).expect("text").into_owned();
    let start = text.find("/password/reset/").expect("link");
    let link = text[start..].split_whitespace().next().expect("link").to_owned();
    let new = "saffron-glacier-meadow-88";
    assert_eq!(
        location(&app.post_form_with(&browser, &link, &[("password", new)]).await),
        "/login?done=password-reset"
    );
    app.login_with(&new_client(), "nobody@cert.example", "wrong-password-here").await;

    let logged = rows(&app, member.id).await;
    let events: Vec<&str> = logged.iter().map(|r| r.event.as_str()).collect();
    assert_eq!(
        events,
        [
            "sign_in.failed",
            "sign_in.password",
            "second_factor.failed",
            "recovery_code.used",
            "password.reset"
        ]
    );
    for r in &logged {
        assert_eq!((r.client_ip.as_str(), r.user_agent.as_str()), ("203.0.113.7", "Firefox"), "{r:?}");
    }
    let everything = format!(
        "{:?}",
        app.db
            .query(|c| {
                use diesel::prelude::*;
                csirt_meet::db::schema::security_log::table
                    .select((
                        csirt_meet::db::schema::security_log::user_id,
                        csirt_meet::db::schema::security_log::event,
                        csirt_meet::db::schema::security_log::client_ip,
                        csirt_meet::db::schema::security_log::user_agent,
                    ))
                    .load::<(Option<i64>, String, String, String)>(c)
            })
            .await
            .expect("all rows")
    );
    assert!(
        everything.contains("(None, \"sign_in.failed\", \"127.0.0.1\", \"other\")"),
        "an unknown address has no account: {everything}"
    );
    let token = link.rsplit('/').next().expect("token");
    for secret in
        [PASSWORD, "wrong-password-here", new, "000000", codes[0].as_str(), token, "nobody@", "Gecko"]
    {
        assert!(!everything.contains(secret), "never {secret:?}: {everything}");
    }
}

#[tokio::test]
async fn recent_sign_ins_appear_on_the_security_page_and_in_the_data_export() {
    let app = spawn_app().await;
    let member = app.create_user("ana@cert.example", csirt_meet::domain::states::Role::Member).await;
    let browser = firefox_at("198.51.100.9");
    app.login_with(&browser, &member.email, "wrong-password-here").await;
    app.sign_in_with(&browser, &member).await;

    let page = browser.get(app.url("/me/security")).send().await.expect("sent").text().await.expect("body");
    let table = page
        .split("id=\"recent-sign-ins\"")
        .nth(1)
        .and_then(|r| r.split("</table>").next())
        .expect("the list");
    assert!(table.contains("Signed in") && table.contains("Failed sign-in"), "{table}");
    assert!(table.contains("Firefox") && table.contains("127.0.0.1"), "no proxy is trusted here: {table}");

    let res = browser.get(app.url("/me/privacy/data.json")).send().await.expect("sent");
    let json: serde_json::Value = res.json().await.expect("JSON");
    let log = json["security_log"].as_array().expect("the security log is exported");
    let events: Vec<&str> = log.iter().filter_map(|r| r["event"].as_str()).collect();
    assert_eq!(events, ["sign_in", "sign_in.failed"], "newest first");
    assert_eq!(log[0]["user_agent"], "Firefox");
    assert_eq!(log[0]["client_ip"], "127.0.0.1");
    assert!(log[0]["at"].is_string());
}

#[tokio::test]
async fn the_security_log_goes_with_the_account() {
    let app = spawn_app().await;
    let member = app.login_as_member().await;
    assert!(!rows(&app, member.id).await.is_empty(), "the sign-in is logged");
    let res = app.post_form("/me/privacy/delete", &[("confirm", "yes")]).await;
    assert_eq!(location(&res), "/?done=account-deleted");
    assert!(rows(&app, member.id).await.is_empty(), "deleted with the account");
}

#[tokio::test]
async fn security_log_rows_older_than_the_retention_are_purged() {
    let app = spawn_app().await;
    assert_eq!(app.settings.privacy.security_log_months, 12, "a year by default");
    let member = app.login_as_member().await;
    app.clock.advance(Duration::days(200));
    app.sign_in_with(&new_client(), &member).await;
    let purge = |months| {
        let now = app.clock.now_naive();
        app.db.query(move |c| privacy::purge_security_log(c, months, now))
    };
    assert_eq!(purge(12).await.expect("purge"), 0, "both within a year");
    app.clock.advance(Duration::days(200));
    assert_eq!(purge(12).await.expect("purge"), 1, "the first sign-in is over a year old");
    assert_eq!(rows(&app, member.id).await.len(), 1, "the later one stays");
    assert_eq!(purge(0).await.expect("purge"), 1, "the limit is a setting");
}
