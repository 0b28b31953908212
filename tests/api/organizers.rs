//! The organizer console: inviting and disabling organizers, the mail page.

use csirt_meet::{
    email::domain_of,
    models::{one_time_token, user},
};

use crate::helpers::{TestApp, error_summary, location, new_client, refused_with, spawn_app};
use csirt_meet::domain::states::Role;

/// Delivers the pending mail and returns the setup link of the last message, checking
/// that it went to `cert.example`.
async fn setup_link_in_last_mail(app: &TestApp) -> String {
    app.dispatch_pending_emails().await;
    let mail = app.emails().pop().expect("invitation mail");
    assert_eq!(
        domain_of(mail.to().and_then(|a| a.first()).and_then(|a| a.address()).expect("to")),
        "cert.example"
    );
    let text = mail.body_text(0).expect("text").into_owned();
    text[text.find("/setup/").expect("link")..].split_whitespace().next().expect("link").to_owned()
}

#[tokio::test]
async fn an_invited_organizer_creates_an_account_from_the_emailed_link() {
    let app = spawn_app().await;
    app.login_as_organizer().await;
    let res = app
        .post_form("/admin/organizers/invite", &[("name", "Bea Second"), ("email", "bea@cert.example")])
        .await;
    assert_eq!(location(&res), "/admin/organizers?done=invited");
    assert!(app.get("/admin/organizers").await.text().await.expect("body").contains("bea@cert.example"));

    let link = setup_link_in_last_mail(&app).await;

    let bea = new_client();
    let page = bea.get(app.url(&link)).send().await.expect("sent").text().await.expect("body");
    assert!(page.contains("value=\"bea@cert.example\" readonly"), "the invited address is fixed");
    let res = app
        .post_form_with(
            &bea,
            &link,
            &[
                ("name", "Bea Second"),
                ("email", "other@evil.example"),
                ("password", "harbor-maple-quartz-17"),
            ],
        )
        .await;
    assert_eq!(location(&res), "/me/second-factor");
    let created = app.db.query(|c| user::by_email(c, "bea@cert.example")).await.expect("query");
    assert!(created.is_some_and(|u| u.is_organizer()), "the account has the invited address, as organizer");
}

#[tokio::test]
async fn a_bad_organizer_invitation_is_shown_next_to_each_field_and_sends_nothing() {
    let app = spawn_app().await;
    let me = app.login_as_organizer().await;
    let res = app.post_form("/admin/organizers/invite", &[("name", " "), ("email", "bea@")]).await;
    let expected = [("name", "Enter the name of the person you invite."), ("email", "a full domain name")];
    let page = refused_with(res, &expected).await;
    assert!(page.contains(r#"value="bea@""#), "what was typed stays");

    let res =
        app.post_form("/admin/organizers/invite", &[("name", "Bea Second"), ("email", &me.email)]).await;
    let page = refused_with(res, &[("email", "An account with this email address exists already.")]).await;
    assert!(page.contains(r#"value="Bea Second""#), "what was typed stays");

    let now = app.clock.now_naive();
    let open = app.db.query(move |c| one_time_token::open_invitations(c, now)).await.expect("query");
    assert!(open.is_empty(), "no invitation");
    assert_eq!(app.dispatch_pending_emails().await.sent, 0, "no mail");
}

#[tokio::test]
async fn an_invitation_to_an_address_that_has_an_account_says_so_about_the_whole_form() {
    let app = spawn_app().await;
    app.login_as_organizer().await;
    let invite = [("name", "Bea Second"), ("email", "bea@cert.example")];
    assert_eq!(
        location(&app.post_form("/admin/organizers/invite", &invite).await),
        "/admin/organizers?done=invited"
    );
    let link = setup_link_in_last_mail(&app).await;
    app.create_user("bea@cert.example", Role::Member).await;

    let fields = [("name", "Bea Second"), ("password", "harbor-maple-quartz-17")];
    let res = app.post_form_with(&new_client(), &link, &fields).await;
    assert_eq!(res.status(), 422);
    let page = res.text().await.expect("body");
    let summary = error_summary(&page);
    assert!(summary.contains("exists already. Sign in instead."), "{summary}");
    assert!(!summary.contains("href"), "the invited address is fixed: no field to correct: {summary}");
    assert!(!page.contains(r#"aria-invalid="true""#), "no field is marked");
    assert!(page.contains(r#"value="Bea Second""#), "what was typed stays");
    let bea = app.db.query(|c| user::by_email(c, "bea@cert.example")).await.expect("query");
    assert!(bea.is_some_and(|u| !u.is_organizer()), "the member account stays as it was");
}

#[tokio::test]
async fn the_last_active_organizer_cannot_be_disabled_but_another_can() {
    let app = spawn_app().await;
    let me = app.login_as_organizer().await;
    let res = app.post_form(&format!("/admin/organizers/{}/disable", me.id), &[]).await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.expect("body").contains("last active organizer"));

    let other = app.create_user("other@cert.example", Role::Organizer).await;
    let their_client = new_client();
    app.sign_in_with(&their_client, &other).await;
    let res = app.post_form(&format!("/admin/organizers/{}/disable", other.id), &[]).await;
    assert_eq!(location(&res), "/admin/organizers?done=disabled");
    assert_eq!(
        location(&their_client.get(app.url("/admin")).send().await.expect("sent")),
        "/login",
        "their sessions ended"
    );
    assert_eq!(
        app.login_with(&new_client(), &other.email, &other.password).await.status(),
        401,
        "they cannot sign in"
    );
}

#[tokio::test]
async fn the_mail_page_shows_counts_and_failures_without_bodies() {
    let app = spawn_app().await;
    app.login_as_organizer().await;
    app.post_form("/password/forgot", &[("email", "organizer@cert.example")]).await;
    let page = app.get("/admin/mail").await.text().await.expect("body");
    assert!(page.contains("pending") && page.contains("Reset your password"), "{page}");
    assert!(!page.contains("/password/reset/"), "no message bodies (they hold links)");
}

#[tokio::test]
async fn disabling_an_organizer_retires_the_invitations_they_sent() {
    let app = spawn_app().await;
    app.login_as_organizer().await;
    let other = app.create_user("other@cert.example", Role::Organizer).await;
    let theirs = new_client();
    app.sign_in_with(&theirs, &other).await;
    app.post_form_with(
        &theirs,
        "/admin/organizers/invite",
        &[("name", "Eve"), ("email", "eve@cert.example")],
    )
    .await;
    app.dispatch_pending_emails().await;
    let text = app.emails().pop().expect("invitation").body_text(0).expect("text").into_owned();
    let link =
        text[text.find("/setup/").expect("link")..].split_whitespace().next().expect("link").to_owned();
    assert_eq!(app.get(&link).await.status(), 200);
    app.post_form(&format!("/admin/organizers/{}/disable", other.id), &[]).await;
    assert_eq!(app.get(&link).await.status(), 404, "a disabled organizer's invitation dies");
}

#[tokio::test]
async fn organizers_disabling_each_other_at_once_leave_one_active() {
    let app = spawn_app().await;
    let me = app.login_as_organizer().await;
    let mut people = vec![(app.client.clone(), me)];
    for i in 0..4 {
        let other = app.create_user(&format!("organizer{i}@cert.example"), Role::Organizer).await;
        let client = new_client();
        app.sign_in_with(&client, &other).await;
        people.push((client, other));
    }
    // Every organizer disables every other one, all at the same time.
    let mut posts = Vec::new();
    for (client, actor) in &people {
        let token = app.csrf(client).await;
        for (_, target) in people.iter().filter(|(_, t)| t.id != actor.id) {
            let url = app.url(&format!("/admin/organizers/{}/disable", target.id));
            let form = [("csrf_token", token.clone())];
            posts.push(async move { client.post(url).form(&form).send().await.expect("sent") });
        }
    }
    futures_util::future::join_all(posts).await;
    let active = app
        .db
        .query(user::organizers)
        .await
        .expect("query")
        .into_iter()
        .filter(|u| u.disabled_at.is_none())
        .count();
    assert_eq!(active, 1, "exactly one organizer is left active");
}

#[tokio::test]
async fn an_open_organizer_invitation_can_be_revoked_after_a_confirmation() {
    let app = spawn_app().await;
    app.login_as_organizer().await;
    app.post_form("/admin/organizers/invite", &[("name", "Eve"), ("email", "eve@cert.example")]).await;
    app.dispatch_pending_emails().await;
    let text = app.emails().pop().expect("invitation").body_text(0).expect("text").into_owned();
    let link =
        text[text.find("/setup/").expect("link")..].split_whitespace().next().expect("link").to_owned();
    let now = app.clock.now_naive();
    let open = app.db.query(move |c| one_time_token::open_invitations(c, now)).await.expect("query");
    let token_id = open.first().expect("one open invitation").id;
    let page = app.get("/admin/organizers").await.text().await.expect("body");
    let start = page.find("/admin/organizers/invitations/").expect("a revoke button");
    let action = page[start..].split('"').next().expect("action").to_owned();

    let ask = app.post_form(&action, &[]).await;
    assert_eq!(ask.status(), 200);
    let ask = ask.text().await.expect("body");
    assert!(ask.contains("Revoke the organizer invitation for eve@cert.example?"), "{ask}");
    assert_eq!(app.get(&link).await.status(), 200, "asking changes nothing");

    let res = app.post_form(&action, &[("confirm", "yes")]).await;
    assert_eq!(location(&res), "/admin/organizers?done=invitation-revoked");
    assert_eq!(app.get(&link).await.status(), 404, "the link no longer works");
    let now = app.clock.now_naive();
    let spent = app.db.query(move |c| one_time_token::mark_used(c, token_id, now)).await.expect("query");
    assert!(!spent, "a form sent before the revocation cannot spend it afterwards");
    let page = app.get("/admin/organizers?done=invitation-revoked").await.text().await.expect("body");
    assert!(page.contains("The invitation is revoked") && !page.contains("eve@cert.example"), "{page}");

    let again = app.post_form(&action, &[("confirm", "yes")]).await;
    assert_eq!(location(&again), "/admin/organizers?done=invitation-gone", "a second revoke changes nothing");
}
