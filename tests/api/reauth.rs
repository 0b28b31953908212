//! Re-authentication for what takes an account over: setting up a second factor, turning
//! it off, new recovery codes and a new password ask for the current password, throttled
//! like sign-in; organizers reset a member's second factor; a reset and "sign out
//! everywhere" stop the calendar feed addresses.

use chrono::Duration;
use csirt_meet::{
    domain::totp::TotpSecret,
    models::{audit, user},
};

use crate::{
    fixtures::{Account, approved_attendee, feed_path, known_recovery_codes, start_enrollment},
    helpers::{PASSWORD, TestApp, TestUser, location, new_client, refused_with, spawn_app},
};

async fn account(app: &TestApp, id: i64) -> user::User {
    app.db.query(move |c| user::find(c, id)).await.expect("the account")
}

#[tokio::test]
async fn enrolling_a_second_factor_needs_the_current_password() {
    let app = spawn_app().await;
    let member = app.login_as_member().await;
    let page = app.get("/me/second-factor").await.text().await.expect("body");
    assert!(page.contains("Current password"), "the page asks for the password: {page}");
    assert!(!page.contains("totp-secret"), "and shows no secret before it");

    let res = start_enrollment(&app, &app.client, "not-my-password-at-all").await;
    let page = refused_with(res, &[("current", "Your current password is not right.")]).await;
    assert!(!page.contains("totp-secret") && !page.contains("not-my-password-at-all"));
    assert!(account(&app, member.id).await.totp_secret.is_none(), "no secret stored");

    let res = start_enrollment(&app, &app.client, PASSWORD).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["cache-control"], "no-store");
    assert!(
        res.text().await.expect("body").contains("id=\"totp-secret\""),
        "the secret once the password is right"
    );
}

#[tokio::test]
async fn opening_the_second_factor_page_writes_nothing() {
    let app = spawn_app().await;
    let member = app.login_as_member().await;
    let before = format!("{:?}", account(&app, member.id).await);
    for _ in 0..2 {
        assert_eq!(app.get("/me/second-factor").await.status(), 200);
    }
    assert_eq!(format!("{:?}", account(&app, member.id).await), before, "the account row is unchanged");
}

#[tokio::test]
async fn a_member_turns_off_two_step_sign_in_with_the_current_password() {
    let app = spawn_app().await;
    let member = Account::member("ana@cert.example").password(PASSWORD).second_factor().insert(&app).await;
    app.sign_in_with(&app.client, &member).await;
    assert!(app.get("/me/security").await.text().await.expect("body").contains("Turn off two-step sign-in"));

    let res = app.post_form("/me/second-factor/off", &[("off_current", "not-my-password-at-all")]).await;
    refused_with(res, &[("off_current", "Your current password is not right.")]).await;
    assert!(account(&app, member.id).await.has_second_factor(), "still on");

    let res = app.post_form("/me/second-factor/off", &[("off_current", PASSWORD)]).await;
    assert_eq!(location(&res), "/me/security?done=second-factor-off");
    assert!(!account(&app, member.id).await.has_second_factor());
    let res = app.login_with(&new_client(), &member.email, PASSWORD).await;
    assert_eq!(location(&res), "/me", "the next sign-in asks only for the password");
    let entries = app.db.query(|c| audit::recent(c, 10)).await.expect("audit");
    assert!(entries.iter().any(|e| e.action == "second_factor.disabled"));
}

#[tokio::test]
async fn an_organizer_cannot_turn_off_two_step_sign_in() {
    let app = spawn_app().await;
    let org = app.login_as_organizer().await;
    let page = app.get("/me/security").await.text().await.expect("body");
    assert!(!page.contains("/me/second-factor/off"), "no such form for organizers");
    let res = app.post_form("/me/second-factor/off", &[("off_current", PASSWORD)]).await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.expect("body").contains("Organizers must keep two-step sign-in"));
    assert!(account(&app, org.id).await.has_second_factor(), "still on");
}

#[tokio::test]
async fn new_recovery_codes_need_the_current_password_and_the_old_codes_stop_working() {
    let app = spawn_app().await;
    let member = Account::member("ana@cert.example").password(PASSWORD).second_factor().insert(&app).await;
    let old = known_recovery_codes(&app, member.id).await;
    app.sign_in_with(&app.client, &member).await;

    let res = app.post_form("/me/recovery-codes", &[("codes_current", "not-my-password-at-all")]).await;
    refused_with(res, &[("codes_current", "Your current password is not right.")]).await;

    let res = app.post_form("/me/recovery-codes", &[("codes_current", PASSWORD)]).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["cache-control"], "no-store", "shown once");
    let page = res.text().await.expect("body");
    let list =
        page.split("id=\"recovery-codes\">").nth(1).and_then(|r| r.split("</ul>").next()).expect("codes");
    let new: Vec<&str> = list.split("<li>").skip(1).filter_map(|c| c.split("</li>").next()).collect();
    assert_eq!(new.len(), 10, "ten new codes: {page}");

    let second_step = |code: String| {
        let app = &app;
        let member = &member;
        async move {
            let client = new_client();
            let res = app.login_with(&client, &member.email, PASSWORD).await;
            assert_eq!(location(&res), "/login/second-factor");
            app.post_form_with(&client, "/login/second-factor", &[("code", &code)]).await.status()
        }
    };
    assert_eq!(second_step(old[0].clone()).await, 401, "an old code no longer works");
    assert_eq!(second_step(new[0].to_owned()).await, 303, "a new one does");
}

async fn change_password(app: &TestApp, current: &str) -> reqwest::Response {
    app.post_form("/me/password", &[("current", current), ("new", "saffron-glacier-meadow-88")]).await
}

#[tokio::test]
async fn the_current_password_check_is_throttled_like_sign_in() {
    let app = spawn_app().await;
    app.login_as_member().await;
    for i in 0..5 {
        assert_eq!(change_password(&app, "not-my-password-at-all").await.status(), 422, "guess {i}");
    }
    let res = change_password(&app, PASSWORD).await;
    assert_eq!(res.status(), 429, "past the sign-in limit even the right password waits");
    assert!(res.text().await.expect("body").contains("Try again in"));
    let res = app.post_form("/me/second-factor/start", &[("current", PASSWORD)]).await;
    assert_eq!(res.status(), 429, "every current-password check shares the count");

    app.clock.advance(Duration::seconds(31));
    let res = change_password(&app, PASSWORD).await;
    assert_eq!(location(&res), "/me/security?done=password-changed", "the wait is over");
}

#[tokio::test]
async fn an_organizer_resets_a_members_second_factor_from_the_registrations_audited_and_mailed() {
    let app = spawn_app().await;
    let a = approved_attendee(&app, &[]).await;
    let ana = app.db.query(|c| user::by_email(c, "ana@cert-at.example")).await.expect("query").expect("ana");
    let secret = TotpSecret::generate();
    let (id, stored, now) = (ana.id, secret.to_base32(), app.clock.now_naive());
    app.db
        .query(move |c| {
            user::set_pending_totp(c, id, &stored)?;
            user::enable_totp(c, id, 0, now)
        })
        .await
        .expect("on");
    let queue = format!("/admin/meetings/{}/registrations", a.meeting.slug);
    let action = format!("{queue}/{}/reset-second-factor", a.registration_id);
    let page = app.get(&format!("{queue}/{}", a.registration_id)).await.text().await.expect("body");
    assert!(page.contains(&action), "the registration's page offers the reset: {page}");

    let ask = app.post_form(&action, &[]).await;
    assert_eq!(ask.status(), 200, "a confirmation first");
    assert!(ask.text().await.expect("body").contains("receives an email"));
    assert!(account(&app, ana.id).await.has_second_factor(), "nothing changed yet");

    let res = app.post_form(&action, &[("confirm", "yes")]).await;
    assert_eq!(location(&res), format!("{queue}?done=member-second-factor-reset"));
    assert!(!account(&app, ana.id).await.has_second_factor());
    assert_eq!(location(&a.client.get(app.url("/me")).send().await.expect("sent")), "/login", "signed out");
    let entries = app.db.query(|c| audit::recent(c, 10)).await.expect("audit");
    let entry = entries.iter().find(|e| e.action == "second_factor.reset").expect("audited");
    assert_eq!(entry.subject, format!("user {}", ana.id));

    app.dispatch_pending_emails().await;
    let mails = app.emails();
    let mail = mails.last().expect("a mail");
    assert_eq!(mail.to().and_then(|t| t.first()).and_then(|t| t.address()), Some("ana@cert-at.example"));
    assert!(mail.subject().expect("subject").contains("two-step sign-in"));
    assert!(mail.body_text(0).expect("text").contains("An organizer of the NatCSIRT meeting reset"));
}

#[tokio::test]
async fn a_password_reset_stops_the_calendar_feed_address_by_default() {
    let app = spawn_app().await;
    let a = approved_attendee(&app, &[]).await;
    let feed = feed_path(&app, &a).await;
    assert_eq!(new_client().get(app.url(&feed)).send().await.expect("sent").status(), 200);

    app.post_form_with(&new_client(), "/password/forgot", &[("email", "ana@cert-at.example")]).await;
    app.dispatch_pending_emails().await;
    let text = app.emails().last().expect("a reset mail").body_text(0).expect("text").into_owned();
    let start = text.find("/password/reset/").expect("link");
    let link = text[start..].split_whitespace().next().expect("link").to_owned();
    let page = app.get(&link).await.text().await.expect("body");
    assert!(page.contains("Keep my calendar feed addresses"), "the page offers to keep them");
    let res = app.post_form_with(&new_client(), &link, &[("password", "saffron-glacier-meadow-88")]).await;
    assert_eq!(location(&res), "/login?done=password-reset");
    assert_eq!(
        new_client().get(app.url(&feed)).send().await.expect("sent").status(),
        404,
        "the old address is gone"
    );
}

#[tokio::test]
async fn signing_out_everywhere_can_stop_the_calendar_feed_address() {
    let app = spawn_app().await;
    let a = approved_attendee(&app, &[]).await;
    let feed = feed_path(&app, &a).await;
    let ana = app.db.query(|c| user::by_email(c, "ana@cert-at.example")).await.expect("query").expect("ana");
    let ana = TestUser { id: ana.id, email: ana.email, password: PASSWORD.to_owned(), totp: None };

    app.post_form_with(&a.client, "/me/sessions/end-all", &[]).await;
    assert_eq!(
        new_client().get(app.url(&feed)).send().await.expect("sent").status(),
        200,
        "kept unless asked"
    );

    app.sign_in_with(&a.client, &ana).await;
    let res = app.post_form_with(&a.client, "/me/sessions/end-all", &[("replace_feeds", "yes")]).await;
    assert_eq!(location(&res), "/login?done=signed-out-everywhere");
    assert_eq!(
        new_client().get(app.url(&feed)).send().await.expect("sent").status(),
        404,
        "stopped on request"
    );
}
