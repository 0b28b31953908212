//! The attendee's own pages: withdrawing, changing details until the meeting starts,
//! `/me/privacy` (export and account deletion), and who may see the attendee list.

use chrono::{TimeZone as _, Utc};
use csirt_meet::{
    domain::registration::Status,
    models::{audit, meeting, registration, user},
};

use crate::{
    fixtures::{
        BOB, CHOSEN, Registration, SLUG, audit_actions, confirm_address, decide, meeting_and_team,
        self_registration_form, signed_in_attendee, verify_link,
    },
    helpers::{TestApp, TestUser, location, new_client, refused_with, spawn_app},
};
use csirt_meet::domain::states::Role;

/// A member of the team with a registration in `status`, signed in with a client of their own.
async fn attendee(
    app: &TestApp,
    m: &meeting::Meeting,
    team_id: i64,
    email: &str,
    status: Status,
    consent: bool,
) -> (TestUser, reqwest::Client, i64) {
    let registration = Registration::new(status).answers("no nuts", "").listed(consent);
    signed_in_attendee(app, m.id, team_id, email, registration).await
}

async fn stored(app: &TestApp, id: i64) -> registration::Registration {
    app.db.query(move |c| registration::find(c, id)).await.expect("registration")
}

async fn body(client: &reqwest::Client, app: &TestApp, path: &str) -> String {
    client.get(app.url(path)).send().await.expect("sent").text().await.expect("body")
}

/// Moves the test clock to `at` (UTC).
fn set_clock(app: &TestApp, y: i32, mo: u32, d: u32, h: u32) {
    let at = Utc.with_ymd_and_hms(y, mo, d, h, 0, 0).single().expect("time");
    app.clock.advance(at - app.clock.now());
}

#[tokio::test]
async fn withdrawing_is_audited_mailed_and_frees_the_team_slot() {
    let app = spawn_app().await;
    let (m, team_id) = meeting_and_team(&app).await;
    let (alice, client, id) =
        attendee(&app, &m, team_id, "alice@cert-at.example", Status::Approved, true).await;
    for n in 1..3 {
        attendee(&app, &m, team_id, &format!("a{n}@cert-at.example"), Status::Approved, true).await;
    }
    let (_, _, waiting) = attendee(&app, &m, team_id, "wait@cert-at.example", Status::Pending, true).await;
    assert_eq!(decide(&app, waiting, "approve", "").await.status(), 422, "the cap of 3 is reached");

    let page = body(&client, &app, &format!("/me/registrations/{id}")).await;
    assert!(page.contains("Withdraw my registration") && page.contains("Your place goes back to your team"));
    let withdraw = format!("/me/registrations/{id}/withdraw");
    app.dispatch_pending_emails().await;
    let asked = app.post_form_with(&client, &withdraw, &[]).await;
    assert_eq!(asked.status(), 200, "the button first asks");
    let asked = asked.text().await.expect("page");
    assert!(
        asked.contains("cannot be undone") && asked.contains("name=\"confirm\" value=\"yes\""),
        "{asked}"
    );
    assert_eq!(stored(&app, id).await.status, Status::Approved, "asking changes nothing");
    assert_eq!(app.dispatch_pending_emails().await.sent, 0, "and sends nothing");
    let res = app.post_form_with(&client, &withdraw, &[("confirm", "yes")]).await;
    assert_eq!(location(&res), "/me?done=withdrawn");
    assert_eq!(stored(&app, id).await.status, Status::Withdrawn);
    assert!(body(&client, &app, "/me").await.contains("withdrawn"));
    assert!(audit_actions(&app).await.iter().any(|a| a == "registration.withdrawn"));
    app.dispatch_pending_emails().await;
    let mail = app.emails().into_iter().last().expect("the confirmation");
    assert_eq!(mail.subject(), Some("You withdrew from NatCSIRT 2026"));
    assert_eq!(mail.to().and_then(|t| t.first()).and_then(|a| a.address()), Some(alice.email.as_str()));

    let res = decide(&app, waiting, "approve", "").await;
    assert_eq!(location(&res), format!("/admin/meetings/{SLUG}/registrations?done=registration-decided"));

    let again = app.post_form_with(&client, &withdraw, &[("confirm", "yes")]).await;
    assert_eq!(again.status(), 422, "a withdrawn registration cannot be withdrawn again");
    let other = app
        .post_form_with(&client, &format!("/me/registrations/{waiting}/withdraw"), &[("confirm", "yes")])
        .await;
    assert_eq!(other.status(), 404, "nobody withdraws someone else");
    assert_eq!(stored(&app, waiting).await.status, Status::Approved);
}

#[tokio::test]
async fn details_change_until_the_first_day_begins_in_the_meetings_zone() {
    let app = spawn_app().await;
    let (m, team_id) = meeting_and_team(&app).await;
    let (alice, client, id) =
        attendee(&app, &m, team_id, "alice@cert-at.example", Status::Approved, true).await;
    let path = format!("/me/registrations/{id}");
    let fields = [("role_title", "Team lead"), ("dietary", "vegan"), ("accessibility", "")];
    let res = app.post_form_with(&client, &path, &fields).await;
    assert_eq!(location(&res), format!("{path}?done=details-saved"));
    let r = stored(&app, id).await;
    assert_eq!((r.role_title.as_str(), r.dietary.as_str(), r.consent_listed), ("Team lead", "vegan", false));

    let long = "x".repeat(301);
    let fields = [("role_title", ""), ("dietary", "halal"), ("accessibility", long.as_str())];
    let res = app.post_form_with(&client, &path, &fields).await;
    let expected = [
        ("role_title", "Enter your role or title in your team."),
        ("accessibility", "Keep it to at most 300 characters."),
    ];
    let page = refused_with(res, &expected).await;
    assert!(page.contains("value=\"halal\"") && page.contains(&long), "the input is kept: {page}");

    // 23:00 on the eve in Denver is already the first day in UTC: still open.
    set_clock(&app, 2026, 6, 20, 5);
    app.sign_in_with(&client, &alice).await;
    let res = app.post_form_with(&client, &path, &[("role_title", "Head"), ("dietary", "")]).await;
    assert_eq!(location(&res), format!("{path}?done=details-saved"));
    // 01:00 on the first day in Denver: closed.
    set_clock(&app, 2026, 6, 20, 7);
    app.sign_in_with(&client, &alice).await;
    let res = app.post_form_with(&client, &path, &[("role_title", "Late change")]).await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.expect("body").contains("can no longer be changed"));
    assert_eq!(stored(&app, id).await.role_title, "Head");
}

#[tokio::test]
async fn my_data_downloads_as_json_without_secrets() {
    let app = spawn_app().await;
    meeting_and_team(&app).await;
    let bob = new_client();
    app.post_form_with(&bob, "/register", &self_registration_form(BOB)).await;
    let link = verify_link(&app).await;
    confirm_address(&app, &bob, &link).await;
    let res = app.login_with(&bob, BOB, CHOSEN).await;
    assert_eq!(res.status(), 303);

    let page = body(&bob, &app, "/me/privacy").await;
    assert!(page.contains("What we keep about you") && page.contains("Download my data"));
    let res = bob.get(app.url("/me/privacy/data.json")).send().await.expect("sent");
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-disposition"].to_str().expect("ascii").starts_with("attachment"));
    let text = res.text().await.expect("body");
    let account = app.db.query(|c| user::by_email(c, BOB)).await.expect("query").expect("account");
    for secret in ["password_hash", "totp_secret", "token_hash", account.password_hash.as_str()] {
        assert!(!text.contains(secret), "the export leaks {secret}");
    }
    let json: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(json["account"]["email"], BOB);
    assert_eq!(json["registrations"][0]["dietary"], "no nuts");
    assert_eq!(json["registrations"][0]["status"], "pending");
    let actions: Vec<&str> =
        json["audit_log"].as_array().expect("list").iter().filter_map(|e| e["action"].as_str()).collect();
    assert_eq!(actions, ["registration.created", "registration.verified"]);
}

#[tokio::test]
async fn deleting_my_account_removes_it_and_its_registrations() {
    let app = spawn_app().await;
    let (m, team_id) = meeting_and_team(&app).await;
    let (u, client, id) = attendee(&app, &m, team_id, "alice@cert-at.example", Status::Pending, true).await;
    let res = app.post_form_with(&client, "/me/privacy/delete", &[]).await;
    refused_with(res, &[("confirm", "Tick the box to confirm that you want your account deleted.")]).await;
    let res = app.post_form_with(&client, "/me/privacy/delete", &[("confirm", "yes")]).await;
    assert_eq!(location(&res), "/?done=account-deleted");
    assert!(app.db.query(|c| user::by_email(c, "alice@cert-at.example")).await.expect("query").is_none());
    assert!(app.db.query(move |c| registration::find(c, id)).await.is_err(), "the registration is gone");
    let entries = app.db.query(|c| audit::recent(c, 10)).await.expect("query");
    let row = entries.iter().find(|e| e.action == "account.deleted").expect("audit row");
    assert_eq!((row.actor_id, row.subject.clone()), (None, format!("user {}", u.id)));
    assert!(!row.detail.contains("alice"), "the audit row keeps no address");
    assert_eq!(location(&client.get(app.url("/me")).send().await.expect("sent")), "/login");
}

#[tokio::test]
async fn deletion_is_refused_while_approved_for_a_meeting_not_yet_over() {
    let app = spawn_app().await;
    let (m, team_id) = meeting_and_team(&app).await;
    let (u, client, _) = attendee(&app, &m, team_id, "alice@cert-at.example", Status::Approved, true).await;
    let res = app.post_form_with(&client, "/me/privacy/delete", &[("confirm", "yes")]).await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.expect("body").contains("approved for a meeting that is not over"));
    assert!(app.db.query(move |c| user::find(c, u.id)).await.is_ok(), "the account stays");

    set_clock(&app, 2026, 6, 23, 12);
    app.sign_in_with(&client, &u).await;
    let res = app.post_form_with(&client, "/me/privacy/delete", &[("confirm", "yes")]).await;
    assert_eq!(location(&res), "/?done=account-deleted", "after the meeting it can go");
}

#[tokio::test]
async fn the_attendee_list_is_only_for_approved_attendees_and_organizers() {
    let app = spawn_app().await;
    let (m, team_id) = meeting_and_team(&app).await;
    let path = format!("/meetings/{SLUG}/attendees");
    let (_, listed, _) = attendee(&app, &m, team_id, "listed@cert-at.example", Status::Approved, true).await;
    let (_, unlisted, _) =
        attendee(&app, &m, team_id, "unlisted@cert-at.example", Status::Approved, false).await;
    app.db
        .query(|c| {
            use csirt_meet::db::schema::users;
            use diesel::prelude::*;
            diesel::update(users::table.filter(users::email.eq("listed@cert-at.example")))
                .set(users::name.eq("Listed Person"))
                .execute(c)?;
            diesel::update(users::table.filter(users::email.eq("unlisted@cert-at.example")))
                .set(users::name.eq("Hidden Person"))
                .execute(c)
        })
        .await
        .expect("names");

    for client in [&listed, &unlisted, &app.client] {
        let res = client.get(app.url(&path)).send().await.expect("sent");
        assert_eq!(res.status(), 200);
        let page = res.text().await.expect("body");
        let list = &page[page.find("<main").expect("main")..];
        assert!(
            list.contains("Listed Person") && list.contains("CERT Austria") && list.contains("<h2>AT</h2>")
        );
        assert!(!list.contains("Hidden Person"), "only those who consented are listed");
        assert!(!page.contains("no nuts"), "dietary answers never show");
    }
    let statuses = [
        Status::PendingVerification,
        Status::Pending,
        Status::Waitlisted,
        Status::Rejected,
        Status::Withdrawn,
        Status::Revoked,
    ];
    for (n, status) in statuses.into_iter().enumerate() {
        let email = format!("s{n}@cert-at.example");
        let (_, client, _) = attendee(&app, &m, team_id, &email, status, true).await;
        let res = client.get(app.url(&path)).send().await.expect("sent");
        assert_eq!(res.status(), 403, "{status}");
        assert!(res.text().await.expect("body").contains("Not allowed"));
    }
    let nobody = app.create_user("nobody@cert-at.example", Role::Member).await;
    let member = new_client();
    app.sign_in_with(&member, &nobody).await;
    assert_eq!(member.get(app.url(&path)).send().await.expect("sent").status(), 403);
    let anonymous = new_client().get(app.url(&path)).send().await.expect("sent");
    assert_eq!((anonymous.status().as_u16(), location(&anonymous)), (303, "/login".to_owned()));
}

#[tokio::test]
async fn the_attendee_pages_need_a_sign_in_and_their_actions_a_csrf_token() {
    let app = spawn_app().await;
    let pages =
        ["/me/privacy", "/me/privacy/data.json", "/me/registrations/1", "/meetings/natcsirt-2026/attendees"];
    for path in pages {
        let res = app.get(path).await;
        assert_eq!((res.status().as_u16(), location(&res)), (303, "/login".to_owned()), "{path}");
    }
    let actions = ["/me/registrations/1", "/me/registrations/1/withdraw", "/me/privacy/delete"];
    for path in actions {
        let res = app.post_form(path, &[("confirm", "yes")]).await;
        assert_eq!((res.status().as_u16(), location(&res)), (303, "/login".to_owned()), "{path}");
    }

    let (m, team_id) = meeting_and_team(&app).await;
    let (u, client, id) = attendee(&app, &m, team_id, "alice@cert-at.example", Status::Pending, true).await;
    let forged = [
        (format!("/me/registrations/{id}/withdraw"), vec![]),
        ("/me/privacy/delete".to_owned(), vec![("confirm", "yes")]),
    ];
    for (path, fields) in forged {
        let res = client.post(app.url(&path)).form(&fields).send().await.expect("sent");
        assert_eq!(res.status(), 403, "{path} without the token");
    }
    assert_eq!(stored(&app, id).await.status, Status::Pending);
    assert!(app.db.query(move |c| user::find(c, u.id)).await.is_ok());
}
