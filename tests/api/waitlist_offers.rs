//! Waitlist offers: a freed place (withdrawal, revocation, a raised cap) is offered to the
//! first waitlisted person of the team, who holds it against the cap until they accept,
//! decline or the deadline passes; an expired or declined offer passes to the next person.

use chrono::Duration;
use csirt_meet::{
    domain::registration::Status,
    models::{meeting::Meeting, registration},
};

use crate::{
    fixtures::{
        Registration, SLUG, Team, audit_actions, create_meeting, decide, meeting_form, pending,
        signed_in_attendee,
    },
    helpers::{TestApp, TestUser, location, spawn_app},
};

/// A team at the Denver meeting with one approved attendee and people waitlisted in order.
struct Waitlist {
    meeting: Meeting,
    team: i64,
    approved: Person,
    waiting: Vec<Person>,
}

struct Person {
    user: TestUser,
    email: String,
    client: reqwest::Client,
    id: i64,
}

/// Organizer signed in; CERT.at with cap `cap`, one approved attendee and `waiting` people
/// waitlisted a minute apart (`waiting-1@…` first). The meeting's form gets `changes`.
async fn waitlist(
    app: &TestApp,
    cap: i32,
    waiting: usize,
    changes: &[(&'static str, &'static str)],
) -> Waitlist {
    app.login_as_organizer().await;
    let meeting = create_meeting(app, changes).await;
    let team = Team::austria().cap(cap).insert(app).await;
    let join = |email: String, status: Status| async move {
        let (user, client, id) =
            signed_in_attendee(app, meeting.id, team, &email, Registration::new(status)).await;
        Person { user, email, client, id }
    };
    let approved = join("approved@cert-at.example".to_owned(), Status::Approved).await;
    let mut people = Vec::new();
    for n in 1..=waiting {
        app.clock.advance(Duration::minutes(1));
        people.push(join(format!("waiting-{n}@cert-at.example"), Status::Waitlisted).await);
    }
    Waitlist { meeting, team, approved, waiting: people }
}

async fn status(app: &TestApp, id: i64) -> Status {
    app.db.query(move |c| registration::find(c, id)).await.expect("registration").status
}

/// The subjects of the mails sent to `to` so far (sending what is queued first).
async fn subjects_to(app: &TestApp, to: &str) -> Vec<String> {
    app.dispatch_pending_emails().await;
    app.emails()
        .iter()
        .filter(|m| m.to().and_then(|a| a.first()).and_then(|a| a.address()) == Some(to))
        .map(|m| m.subject().unwrap_or_default().to_owned())
        .collect()
}

async fn page(app: &TestApp, p: &Person) -> String {
    let res = p.client.get(app.url(&format!("/me/registrations/{}", p.id))).send().await.expect("sent");
    assert_eq!(res.status(), 200);
    res.text().await.expect("body").replace("&#x2F;", "/")
}

async fn answer(app: &TestApp, p: &Person, what: &str) -> reqwest::Response {
    app.post_form_with(&p.client, &format!("/me/registrations/{}/offer/{what}", p.id), &[]).await
}

async fn withdraw(app: &TestApp, p: &Person) {
    let path = format!("/me/registrations/{}/withdraw", p.id);
    let res = app.post_form_with(&p.client, &path, &[("confirm", "yes")]).await;
    assert_eq!(location(&res), "/me?done=withdrawn");
}

#[tokio::test]
async fn a_withdrawal_offers_the_place_to_the_first_waitlisted_with_a_mail() {
    let app = spawn_app().await;
    let w = waitlist(&app, 1, 2, &[]).await;
    withdraw(&app, &w.approved).await;

    assert_eq!(status(&app, w.waiting[0].id).await, Status::Offered, "the first waitlisted");
    assert_eq!(status(&app, w.waiting[1].id).await, Status::Waitlisted);
    let subjects = subjects_to(&app, &w.waiting[0].email).await;
    assert_eq!(subjects.len(), 1, "{subjects:?}");
    assert!(subjects[0].starts_with("A place is free for you at NatCSIRT"), "{subjects:?}");
    assert!(subjects[0].contains("May 2026") && subjects[0].contains("(America/Denver)"), "{subjects:?}");
    let mail = app.emails().into_iter().find(|m| m.subject() == Some(subjects[0].as_str())).expect("mail");
    let text = mail.body_text(0).expect("text").into_owned();
    assert!(text.contains(&format!("/me/registrations/{}", w.waiting[0].id)), "{text}");
    assert!(text.contains("72 hours"), "{text}");
    assert!(subjects_to(&app, &w.waiting[1].email).await.is_empty(), "the second waits");
    assert!(audit_actions(&app).await.contains(&"registration.offered".to_owned()));
}

#[tokio::test]
async fn a_revocation_offers_the_place_to_the_first_waitlisted() {
    let app = spawn_app().await;
    let w = waitlist(&app, 1, 2, &[]).await;
    let res = decide(&app, w.approved.id, "revoke", "Left the team.").await;
    assert_eq!(res.status(), 303);
    assert_eq!(status(&app, w.waiting[0].id).await, Status::Offered);
    assert_eq!(status(&app, w.waiting[1].id).await, Status::Waitlisted);
}

#[tokio::test]
async fn raising_the_team_cap_offers_each_freed_place_in_waitlist_order() {
    let app = spawn_app().await;
    let w = waitlist(&app, 1, 3, &[]).await;
    let form = [
        ("name", "CERT Austria"),
        ("short_name", "CERT.at"),
        ("country_code", "AT"),
        ("website", "cert-at.example"),
        ("domains", "cert-at.example"),
        ("cap", "3"),
    ];
    let res = app.post_form(&format!("/admin/teams/{}", w.team), &form).await;
    assert_eq!(location(&res), "/admin/teams?done=team-saved");
    let statuses = [
        status(&app, w.waiting[0].id).await,
        status(&app, w.waiting[1].id).await,
        status(&app, w.waiting[2].id).await,
    ];
    assert_eq!(statuses, [Status::Offered, Status::Offered, Status::Waitlisted]);
    assert_eq!(subjects_to(&app, &w.waiting[1].email).await.len(), 1);
}

#[tokio::test]
async fn an_open_offer_holds_the_place_and_approving_another_is_refused() {
    let app = spawn_app().await;
    let w = waitlist(&app, 1, 1, &[]).await;
    let other = pending(&app, w.meeting.id, w.team, &["Petra"]).await[0];
    withdraw(&app, &w.approved).await;
    assert_eq!(status(&app, w.waiting[0].id).await, Status::Offered);

    let res = decide(&app, other, "approve", "").await;
    assert_eq!(res.status(), 422);
    let body = res.text().await.expect("body");
    assert!(body.contains("open waitlist offer"), "{body}");
    assert_eq!(status(&app, other).await, Status::Pending, "nothing written");
}

#[tokio::test]
async fn the_offered_person_accepts_and_is_approved_with_the_approval_mail() {
    let app = spawn_app().await;
    let w = waitlist(&app, 1, 1, &[]).await;
    withdraw(&app, &w.approved).await;
    let first = &w.waiting[0];
    let shown = page(&app, first).await;
    assert!(shown.contains("A place is offered to you"), "{shown}");
    assert!(shown.contains("MDT (America/Denver)"), "the deadline in the meeting's zone: {shown}");
    assert!(shown.contains(&format!("/me/registrations/{}/offer/accept", first.id)), "{shown}");

    let res = answer(&app, first, "accept").await;
    assert_eq!(location(&res), "/me?done=offer-accepted");
    assert_eq!(status(&app, first.id).await, Status::Approved);
    let subjects = subjects_to(&app, &first.email).await;
    assert!(subjects.iter().any(|s| s.ends_with(": approved")), "the approval mail: {subjects:?}");
    assert!(audit_actions(&app).await.contains(&"registration.approved".to_owned()));
    let again = answer(&app, first, "accept").await;
    assert_eq!(again.status(), 422, "no open offer any more");
}

#[tokio::test]
async fn accepting_after_the_deadline_is_refused_and_the_place_passes_on() {
    let app = spawn_app().await;
    let w = waitlist(&app, 1, 2, &[]).await;
    withdraw(&app, &w.approved).await;
    app.clock.advance(Duration::hours(72));
    // Sessions end after hours idle; the person signs in again to answer.
    app.sign_in_with(&w.waiting[0].client, &w.waiting[0].user).await;

    let res = answer(&app, &w.waiting[0], "accept").await;
    assert_eq!(res.status(), 422);
    let body = res.text().await.expect("body");
    assert!(body.contains("The deadline to answer this offer has passed"), "{body}");
    assert_eq!(status(&app, w.waiting[0].id).await, Status::Waitlisted, "not approved; back on the list");
    assert_eq!(status(&app, w.waiting[1].id).await, Status::Offered, "the next person");
    assert!(body.contains("number 1</strong>"), "the only one waiting now: {body}");
}

#[tokio::test]
async fn the_worker_ends_an_expired_offer_and_passes_it_to_the_next_without_a_visit() {
    let app = spawn_app().await;
    let w = waitlist(&app, 1, 2, &[("offer_hours", "24")]).await;
    withdraw(&app, &w.approved).await;
    app.clock.advance(Duration::hours(23));
    app.dispatch_pending_emails().await;
    assert_eq!(status(&app, w.waiting[0].id).await, Status::Offered, "still within the meeting's 24 hours");

    app.clock.advance(Duration::hours(1));
    app.dispatch_pending_emails().await;
    assert_eq!(status(&app, w.waiting[0].id).await, Status::Waitlisted);
    assert_eq!(status(&app, w.waiting[1].id).await, Status::Offered);
    let subjects = subjects_to(&app, &w.waiting[0].email).await;
    assert!(subjects.iter().any(|s| s.contains("has ended")), "the expiry notice: {subjects:?}");
    assert_eq!(subjects_to(&app, &w.waiting[1].email).await.len(), 1, "the offer to the next");
    assert!(audit_actions(&app).await.contains(&"registration.offer_expired".to_owned()));
}

#[tokio::test]
async fn declining_withdraws_and_passes_the_offer_to_the_next() {
    let app = spawn_app().await;
    let w = waitlist(&app, 1, 2, &[]).await;
    withdraw(&app, &w.approved).await;
    let res = answer(&app, &w.waiting[0], "decline").await;
    assert_eq!(location(&res), "/me?done=offer-declined");
    assert_eq!(status(&app, w.waiting[0].id).await, Status::Withdrawn);
    assert_eq!(status(&app, w.waiting[1].id).await, Status::Offered);
    let subjects = subjects_to(&app, &w.waiting[0].email).await;
    assert!(subjects.iter().any(|s| s.starts_with("You withdrew")), "{subjects:?}");
    assert!(audit_actions(&app).await.contains(&"registration.offer_declined".to_owned()));
}

#[tokio::test]
async fn a_waitlisted_person_sees_their_position_on_the_team_waitlist() {
    let app = spawn_app().await;
    let w = waitlist(&app, 1, 2, &[]).await;
    assert!(page(&app, &w.waiting[0]).await.contains("number 1</strong> on your team's waitlist"));
    assert!(page(&app, &w.waiting[1]).await.contains("number 2</strong> on your team's waitlist"));
    withdraw(&app, &w.approved).await;
    assert!(page(&app, &w.waiting[1]).await.contains("number 1</strong> on your team's waitlist"));
}

#[tokio::test]
async fn an_accept_racing_an_approval_never_passes_the_cap() {
    let app = spawn_app().await;
    let w = waitlist(&app, 1, 1, &[]).await;
    let others = pending(&app, w.meeting.id, w.team, &["Petra", "Paul"]).await;
    withdraw(&app, &w.approved).await;
    let app = &app;
    let approve = |id: i64| {
        let path = format!("/admin/meetings/{SLUG}/registrations/{id}/decision");
        async move { app.post_form(&path, &[("decision", "approve"), ("reason", "")]).await }
    };
    let (accepted, first, second) =
        tokio::join!(answer(app, &w.waiting[0], "accept"), approve(others[0]), approve(others[1]));
    assert_eq!(accepted.status(), 303);
    assert_eq!((first.status().as_u16(), second.status().as_u16()), (422, 422), "the place is held");
    let meeting_id = w.meeting.id;
    let approved = app.db.query(move |c| registration::approved_ids(c, meeting_id)).await.expect("ids");
    assert_eq!(approved, [w.waiting[0].id], "one place, one person");
}

#[tokio::test]
async fn the_hours_to_answer_are_a_meeting_setting_checked_on_the_form() {
    let app = spawn_app().await;
    app.login_as_organizer().await;
    let fields = meeting_form(&[("offer_hours", "0")]);
    let res = app.post_form("/admin/meetings", &fields).await;
    assert_eq!(res.status(), 422);
    let body = res.text().await.expect("body");
    assert!(body.contains("id=\"offer_hours-error\""), "{body}");
    assert!(body.contains("a whole number from 1 to 720"), "{body}");
}
