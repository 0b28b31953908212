//! Personal API tokens on `/me/security` (issue 18): made with a name, an optional expiry
//! and a scope, shown once, stored as a hash, listed and revoked; signing out everywhere
//! and a password reset offer to revoke them.

use csirt_meet::{
    db::schema::api_tokens,
    domain::{states::Role, token::hash_token},
};
use diesel::{QueryDsl as _, RunQueryDsl as _};

use crate::{
    fixtures::{Account, link_in_last_mail},
    helpers::{TestApp, location, new_client, refused_with, spawn_app},
};

/// (name, scope, hash, revoked) of every stored token.
async fn stored(app: &TestApp) -> Vec<(String, String, String, bool)> {
    app.db
        .query(|c| {
            api_tokens::table
                .order(api_tokens::id)
                .select((api_tokens::name, api_tokens::scope, api_tokens::token_hash, api_tokens::revoked_at))
                .load::<(String, String, String, Option<chrono::NaiveDateTime>)>(c)
        })
        .await
        .expect("tokens")
        .into_iter()
        .map(|(n, s, h, r)| (n, s, h, r.is_some()))
        .collect()
}

/// The secret shown on the page that made a token.
fn shown_secret(page: &str) -> String {
    let at = page.find("<code>cm_").expect("the new token is shown") + "<code>".len();
    page[at..].split('<').next().expect("ends").to_owned()
}

async fn make(app: &TestApp, client: &reqwest::Client, fields: &[(&str, &str)]) -> reqwest::Response {
    app.post_form_with(client, "/me/api-tokens", fields).await
}

#[tokio::test]
async fn a_token_is_shown_once_stored_as_its_hash_listed_and_revoked() {
    let app = spawn_app().await;
    app.login_as_member().await;
    let res =
        make(&app, &app.client, &[("token_name", "registration sync"), ("token_scope", "attendee")]).await;
    assert_eq!(res.status(), 200);
    let page = res.text().await.expect("body");
    let secret = shown_secret(&page);
    assert!(page.contains("Copy it now: it is not shown again."));

    let rows = stored(&app).await;
    assert_eq!(rows.len(), 1);
    assert_eq!((rows[0].0.as_str(), rows[0].1.as_str()), ("registration sync", "attendee"));
    assert_eq!(rows[0].2, hash_token(secret.trim_start_matches("cm_")), "only the SHA-256 is stored");
    assert!(!rows[0].2.contains(secret.trim_start_matches("cm_")));

    let again = app.get("/me/security").await.text().await.expect("body");
    assert!(again.contains("registration sync"), "listed");
    assert!(!again.contains(&secret), "never shown again");
    assert!(again.contains("never"), "no expiry and no use yet");

    let id: i64 = app.db.query(|c| api_tokens::table.select(api_tokens::id).first(c)).await.expect("id");
    let res = app.post_form(&format!("/me/api-tokens/{id}/revoke"), &[]).await;
    assert_eq!(location(&res), "/me/security?done=api-token-revoked#api-tokens");
    assert!(stored(&app).await[0].3, "revoked");
    let after = app.get("/me/security").await.text().await.expect("body");
    assert!(!after.contains("registration sync") && after.contains("No API tokens."));
    assert_eq!(app.post_form(&format!("/me/api-tokens/{id}/revoke"), &[]).await.status(), 404, "once");
}

#[tokio::test]
async fn bad_fields_are_each_named_and_nothing_is_made() {
    let app = spawn_app().await;
    app.login_as_member().await;
    let res = make(
        &app,
        &app.client,
        &[("token_name", "  "), ("token_expires", "2026-04-30"), ("token_scope", "organizer")],
    )
    .await;
    refused_with(
        res,
        &[
            ("token_name", "Give the token a name"),
            ("token_expires", "Choose today or a later day as the expiry."),
            ("token_scope", "Only organizers may make a token with the organizer scope."),
        ],
    )
    .await;
    let res = make(
        &app,
        &app.client,
        &[("token_name", &"x".repeat(81)), ("token_expires", "soon"), ("token_scope", "root")],
    )
    .await;
    refused_with(
        res,
        &[
            ("token_name", "Keep the name to 80 characters."),
            ("token_expires", "Give the expiry as a date"),
            ("token_scope", "Choose a scope: attendee or organizer."),
        ],
    )
    .await;
    // A far date would work on SQLite and then stop a copy to PostgreSQL.
    let res = make(
        &app,
        &app.client,
        &[("token_name", "cron"), ("token_expires", "9999-12-31"), ("token_scope", "attendee")],
    )
    .await;
    refused_with(res, &[("token_expires", "Choose an expiry at most a year ahead (by ")]).await;
    assert!(stored(&app).await.is_empty(), "nothing written");
}

#[tokio::test]
async fn only_organizers_with_their_second_factor_make_organizer_tokens() {
    let app = spawn_app().await;
    let reviewer = Account::new("rev@cert.example", Role::Reviewer)
        .password(crate::helpers::PASSWORD)
        .insert(&app)
        .await;
    let client = new_client();
    app.sign_in_with(&client, &reviewer).await;
    let page = client.get(app.url("/me/security")).send().await.expect("sent").text().await.expect("body");
    assert!(!page.contains(r#"value="organizer""#), "a reviewer is not offered the organizer scope");
    let res = make(&app, &client, &[("token_name", "queue"), ("token_scope", "organizer")]).await;
    refused_with(res, &[("token_scope", "Only organizers may make a token with the organizer scope.")]).await;

    app.login_as_organizer().await;
    let page = app.get("/me/security").await.text().await.expect("body");
    assert!(page.contains(r#"value="organizer""#));
    let res = make(
        &app,
        &app.client,
        &[("token_name", "review bot"), ("token_expires", "2026-06-30"), ("token_scope", "organizer")],
    )
    .await;
    assert_eq!(res.status(), 200);
    let rows = stored(&app).await;
    assert_eq!((rows[0].0.as_str(), rows[0].1.as_str()), ("review bot", "organizer"));
    let page = app.get("/me/security").await.text().await.expect("body");
    assert!(page.contains("30 June 2026"), "the last day it works is listed");
}

#[tokio::test]
async fn signing_out_everywhere_revokes_api_tokens_only_when_asked() {
    let app = spawn_app().await;
    let member = app.login_as_member().await;
    make(&app, &app.client, &[("token_name", "kept"), ("token_scope", "attendee")]).await;
    app.post_form("/me/sessions/end-all", &[]).await;
    assert!(!stored(&app).await[0].3, "not asked: kept");

    app.sign_in_with(&app.client, &member).await;
    app.post_form("/me/sessions/end-all", &[("revoke_api_tokens", "yes")]).await;
    assert!(stored(&app).await[0].3, "asked: revoked");
    let audit = crate::fixtures::audit_actions(&app).await;
    assert!(audit.iter().any(|a| a == "api_token.revoked"));
}

#[tokio::test]
async fn a_password_reset_revokes_api_tokens_unless_kept() {
    let app = spawn_app().await;
    let member = app.login_as_member().await;
    make(&app, &app.client, &[("token_name", "first"), ("token_scope", "attendee")]).await;

    app.post_form_with(&new_client(), "/password/forgot", &[("email", &member.email)]).await;
    let link = link_in_last_mail(&app, "/password/reset/").await;
    let form = app.get(&link).await.text().await.expect("body");
    assert!(form.contains("Keep my API tokens"), "the reset offers the choice");
    app.post_form_with(
        &new_client(),
        &link,
        &[("password", "saffron-glacier-meadow-88"), ("keep_api_tokens", "yes")],
    )
    .await;
    assert!(!stored(&app).await[0].3, "kept when ticked");

    let member = crate::helpers::TestUser { password: "saffron-glacier-meadow-88".into(), ..member };
    app.sign_in_with(&app.client, &member).await;
    make(&app, &app.client, &[("token_name", "second"), ("token_scope", "attendee")]).await;
    app.post_form_with(&new_client(), "/password/forgot", &[("email", &member.email)]).await;
    let link = link_in_last_mail(&app, "/password/reset/").await;
    app.post_form_with(&new_client(), &link, &[("password", "another-phrase-entirely-5")]).await;
    assert!(stored(&app).await.iter().all(|t| t.3), "unticked: every token revoked");
}
