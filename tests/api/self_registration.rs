//! Self-registration at `/register` by an address at a recognized team's domain, the
//! address confirmation at `/verify/{token}`, each refusal, and the privacy of the
//! process (the answer never tells whether an address has an account).

use chrono::Duration;
use csirt_meet::{domain::registration::Status, models::user};

use crate::{
    fixtures::{
        BOB, SLUG, audit_actions, confirm_address, meeting_and_team, registrations, self_registration_form,
        verify_link,
    },
    helpers::{TestApp, error_summary, location, new_client, refused_with, spawn_app},
};
use csirt_meet::domain::states::Role;

async fn register(app: &TestApp, client: &reqwest::Client, email: &'static str) -> reqwest::Response {
    app.post_form_with(client, "/register", &self_registration_form(email)).await
}

async fn registration_count(app: &TestApp) -> i64 {
    use diesel::prelude::*;
    app.db.query(|c| csirt_meet::db::schema::registrations::table.count().get_result(c)).await.expect("count")
}

async fn account(app: &TestApp, email: &'static str) -> Option<user::User> {
    app.db.query(move |c| user::by_email(c, email)).await.expect("query")
}

#[tokio::test]
async fn a_person_at_a_team_domain_registers_confirms_and_reaches_the_review_queue() {
    let app = spawn_app().await;
    let (m, _) = meeting_and_team(&app).await;
    let bob = new_client();
    let home = bob.get(app.url("/")).send().await.expect("sent").text().await.expect("body");
    assert!(home.contains("href=\"/register\""), "the overview leads to the form");
    let page = bob.get(app.url("/register")).send().await.expect("sent");
    assert_eq!(page.status(), 200);
    let page = page.text().await.expect("body");
    for expected in ["NatCSIRT 2026", "What we keep and who sees it", "deleted 30 days after the meeting"] {
        assert!(page.contains(expected), "the form shows {expected}");
    }

    let res = register(&app, &bob, BOB).await;
    assert_eq!(res.status(), 200);
    assert!(res.text().await.expect("body").contains("Check your email"));
    let rows = registrations(&app, m.id).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].registration.status, Status::PendingVerification);
    assert_eq!(rows[0].team_name, "CERT Austria", "the team follows from the address");
    let queue_path = format!("/admin/meetings/{SLUG}/registrations");
    let queue = app.get(&queue_path).await.text().await.expect("body");
    assert!(!queue.contains("Bob Example"), "organizers do not see unconfirmed registrations");

    let link = verify_link(&app).await;
    let mail = app.emails().into_iter().last().expect("mail");
    assert_eq!(mail.subject(), Some("Confirm your address for NatCSIRT 2026"));
    for _ in 0..2 {
        let res = bob.get(app.url(&link)).send().await.expect("sent");
        assert_eq!(res.status(), 200, "opening the link does not spend it");
        assert!(res.text().await.expect("body").contains("Confirm my address"));
    }
    assert!(account(&app, BOB).await.expect("account").email_verified_at.is_none());

    let res = confirm_address(&app, &bob, &link).await;
    assert_eq!(location(&res), "/login?done=address-confirmed");
    assert!(account(&app, BOB).await.expect("account").email_verified_at.is_some());
    assert_eq!(registrations(&app, m.id).await[0].registration.status, Status::Pending);
    assert!(audit_actions(&app).await.iter().any(|a| a == "registration.verified"));
    let queue = app.get(&queue_path).await.text().await.expect("body");
    assert!(queue.contains("Bob Example") && queue.contains("pending review"));

    let again = confirm_address(&app, &bob, &link).await;
    assert_eq!(again.status(), 410, "a used link is not valid");
    assert!(again.text().await.expect("body").contains("This link does not work"));
    assert_eq!(bob.get(app.url(&link)).send().await.expect("sent").status(), 410);
}

#[tokio::test]
async fn expired_and_unknown_confirmation_links_answer_the_same_page() {
    let app = spawn_app().await;
    meeting_and_team(&app).await;
    let bob = new_client();
    register(&app, &bob, BOB).await;
    let link = verify_link(&app).await;
    let unknown = bob.get(app.url(&format!("/verify/{}", "0".repeat(64)))).send().await.expect("sent");
    app.clock.advance(Duration::days(8));
    let expired = bob.get(app.url(&link)).send().await.expect("sent");
    assert_eq!((unknown.status().as_u16(), expired.status().as_u16()), (410, 410));
    let page = unknown.text().await.expect("body");
    assert!(page.contains("This link does not work") && page.contains("register again"));
    assert_eq!(page, expired.text().await.expect("body"));
    assert_eq!(confirm_address(&app, &bob, &link).await.status(), 410);
    assert!(account(&app, BOB).await.expect("account").email_verified_at.is_none());
}

#[tokio::test]
async fn an_address_outside_the_registry_is_refused_and_nothing_is_written() {
    let app = spawn_app().await;
    meeting_and_team(&app).await;
    let cases: [(&'static str, &str); 3] = [
        ("carol@unknown-team.example", "is not an email domain of a recognized national CSIRT"),
        ("carol@gmail.com", "gmail.com is a free-mail service"),
        ("carol@gov.il", "gov.il is shared by many organizations"),
    ];
    for (email, message) in cases {
        let res = register(&app, &new_client(), email).await;
        let page = refused_with(res, &[("email", message)]).await;
        assert!(page.contains("value=\"Malware analyst\""), "the input is kept");
        assert!(account(&app, email).await.is_none());
    }
    assert_eq!(registration_count(&app).await, 0);
    app.dispatch_pending_emails().await;
    assert!(app.emails().is_empty(), "no email for a refused registration");
}

#[tokio::test]
async fn a_suspended_team_cannot_register() {
    let app = spawn_app().await;
    let (_, team_id) = meeting_and_team(&app).await;
    app.post_form(&format!("/admin/teams/{team_id}/suspend"), &[]).await;
    let res = register(&app, &new_client(), BOB).await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.expect("body").contains("Your team cannot register at the moment"));
    assert!(account(&app, BOB).await.is_none());
    assert_eq!(registration_count(&app).await, 0);
}

#[tokio::test]
async fn registration_is_refused_outside_the_window_and_for_a_cancelled_meeting() {
    let app = spawn_app().await;
    meeting_and_team(&app).await;
    app.clock.advance(Duration::days(45));
    let res = register(&app, &new_client(), BOB).await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.expect("body").contains("Registration for this meeting is closed"));
    let page = new_client().get(app.url(&format!("/register?meeting={SLUG}"))).send().await.expect("sent");
    assert_eq!(page.status(), 422);

    app.clock.advance(Duration::days(-45));
    assert_eq!(
        app.post_form(&format!("/admin/meetings/{SLUG}/cancel"), &[("confirm", "yes")]).await.status(),
        303
    );
    let res = register(&app, &new_client(), BOB).await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.expect("body").contains("This meeting is cancelled"));
    assert!(account(&app, BOB).await.is_none());
    assert_eq!(registration_count(&app).await, 0);
}

#[tokio::test]
async fn invalid_input_is_shown_again_with_a_message_per_field() {
    let app = spawn_app().await;
    meeting_and_team(&app).await;
    let fields = [("email", BOB), ("name", ""), ("role_title", ""), ("dietary", "vegan")];
    let res = app.post_form_with(&new_client(), "/register", &fields).await;
    let expected = [("name", "Enter your name."), ("role_title", "Enter your role or title in your team.")];
    let page = refused_with(res, &expected).await;
    assert!(page.contains("value=\"vegan\"") && page.contains(&format!("value=\"{BOB}\"")));
    assert!(account(&app, BOB).await.is_none());
}

#[tokio::test]
async fn the_answer_does_not_tell_whether_an_address_has_an_account() {
    let app = spawn_app().await;
    let (m, _) = meeting_and_team(&app).await;
    let known = "known@cert-at.example";
    app.create_user(known, Role::Member).await;
    let fresh = register(&app, &new_client(), BOB).await;
    let existing = register(&app, &new_client(), known).await;
    assert_eq!(app.state.hasher.hashes(), 0, "no password is asked, so neither case hashes one");
    assert_eq!(fresh.status(), existing.status());
    let fresh = fresh.text().await.expect("body").replace(BOB, "ADDRESS");
    let existing = existing.text().await.expect("body").replace(known, "ADDRESS");
    assert_eq!(fresh, existing, "the same page for both");

    // The known address hears to sign in; its account and registrations are untouched.
    app.dispatch_pending_emails().await;
    let mails = app.emails();
    assert_eq!(mails.len(), 2, "one message each");
    let to_known =
        mails.iter().find(|m| m.to().and_then(|t| t.first()).and_then(|a| a.address()) == Some(known));
    let text = to_known.expect("mail to the known address").body_text(0).expect("text").into_owned();
    assert!(text.contains("already has an account") && text.contains("Sign in"), "{text}");
    assert!(!text.contains("/verify/"));
    let rows = registrations(&app, m.id).await;
    assert_eq!(rows.len(), 1, "only the new address registered");
    assert_eq!(rows[0].email, BOB);
}

#[tokio::test]
async fn registering_again_before_confirming_sends_a_new_link_that_works() {
    let app = spawn_app().await;
    let (m, _) = meeting_and_team(&app).await;
    register(&app, &new_client(), BOB).await;
    let first = verify_link(&app).await;
    app.clock.advance(Duration::days(8));
    let res = register(&app, &new_client(), BOB).await;
    assert!(res.text().await.expect("body").contains("Check your email"));
    let second = verify_link(&app).await;
    assert_ne!(first, second);
    assert_eq!(
        location(&confirm_address(&app, &new_client(), &second).await),
        "/login?done=address-confirmed"
    );
    let rows = registrations(&app, m.id).await;
    assert_eq!((rows.len(), rows[0].registration.status), (1, Status::Pending));
}

#[tokio::test]
async fn a_registered_address_hears_that_it_is_registered_already() {
    let app = spawn_app().await;
    let (m, _) = meeting_and_team(&app).await;
    register(&app, &new_client(), BOB).await;
    confirm_address(&app, &new_client(), &verify_link(&app).await).await;
    let res = register(&app, &new_client(), BOB).await;
    assert_eq!(res.status(), 200);
    assert!(res.text().await.expect("body").contains("Check your email"));
    app.dispatch_pending_emails().await;
    let mail = app.emails().into_iter().last().expect("mail");
    assert!(mail.body_text(0).expect("text").contains("You are already registered for NatCSIRT 2026"));
    assert_eq!(registrations(&app, m.id).await.len(), 1);
}

#[tokio::test]
async fn a_signed_in_member_registers_without_a_new_account() {
    let app = spawn_app().await;
    let (m, _) = meeting_and_team(&app).await;
    let member = app.create_user("dana@cert-at.example", Role::Member).await;
    let client = new_client();
    app.sign_in_with(&client, &member).await;
    let page = client.get(app.url("/register")).send().await.expect("sent").text().await.expect("body");
    assert!(page.contains("You register as <strong>dana@cert-at.example</strong>"));
    let fields = [("role_title", "Head of team"), ("consent_listed", "yes")];
    let res = app.post_form_with(&client, "/register", &fields).await;
    assert_eq!(location(&res), "/me?done=registered");
    let rows = registrations(&app, m.id).await;
    assert_eq!(rows[0].registration.status, Status::Pending, "the address was proven before");
    let again = app.post_form_with(&client, "/register", &fields).await;
    assert_eq!(again.status(), 422);
    let page = again.text().await.expect("body");
    // The signed-in form has no address field: the message is the whole form's.
    assert!(error_summary(&page).contains("<li>You are registered for this meeting already."), "{page}");
}
