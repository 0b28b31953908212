//! Announcements: a message to the approved (or waitlisted) attendees of a meeting, one
//! outbox row per person, confirmed with the number of recipients, sent once however
//! often the confirmation is submitted.

use csirt_meet::domain::registration::Status;

use crate::{
    fixtures::{Person, SLUG, audit_actions, meeting_and_team, register},
    helpers::{TestApp, location, refused_with, spawn_app},
};

fn path() -> String {
    format!("/admin/meetings/{SLUG}/announce")
}

/// Meeting with two approved, one waitlisted and one pending person.
async fn meeting_with_people(app: &TestApp) {
    let (m, team) = meeting_and_team(app).await;
    register(app, m.id, team, Person::new("Anton", "anton@cert-at.example", Status::Approved)).await;
    register(app, m.id, team, Person::new("Astrid", "astrid@cert-at.example", Status::Approved)).await;
    register(app, m.id, team, Person::new("Willi", "willi@cert-at.example", Status::Waitlisted)).await;
    register(app, m.id, team, Person::new("Pia", "pia@cert-at.example", Status::Pending)).await;
}

fn value_of(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker).map(|i| i + marker.len()).expect("the field is on the page");
    html[start..].split('"').next().expect("closing quote").to_owned()
}

const BODY: &str = "The meeting room moved to Ballroom B.\nSee you on Saturday.";

#[tokio::test]
async fn an_announcement_reaches_each_approved_attendee_once() {
    let app = spawn_app().await;
    meeting_with_people(&app).await;
    let page = app.get(&path()).await.text().await.expect("body");
    assert!(page.contains("Approved attendees (2)") && page.contains("Waitlisted people (1)"));

    let fields = [("audience", "approved"), ("subject", "Room change"), ("body", BODY)];
    let res = app.post_form(&path(), &fields).await;
    assert_eq!(res.status(), 200);
    let confirm = res.text().await.expect("body");
    assert!(confirm.contains("Send this message to 2 approved attendees?"), "{confirm}");
    assert!(confirm.contains("2 people will receive it"));
    assert_eq!(app.dispatch_pending_emails().await.sent, 0, "nothing is sent before the confirmation");

    let nonce = value_of(&confirm, "nonce");
    let send = [fields.as_slice(), &[("step", "send"), ("nonce", &nonce)]].concat();
    for _ in 0..2 {
        let res = app.post_form(&path(), &send).await;
        assert_eq!(location(&res), format!("{}?done=announcement-sent", path()), "a double submit");
    }
    assert_eq!(app.dispatch_pending_emails().await.sent, 2, "each approved attendee once");
    let mails = app.emails();
    let mut to: Vec<String> = mails
        .iter()
        .map(|m| m.to().and_then(|a| a.first()).and_then(|a| a.address()).expect("to").to_owned())
        .collect();
    to.sort();
    assert_eq!(to, ["anton@cert-at.example", "astrid@cert-at.example"]);
    for mail in &mails {
        assert_eq!(mail.subject(), Some("NatCSIRT 2026: Room change"));
        let text = mail.body_text(0).expect("text").replace("\r\n", "\n");
        assert!(text.contains("Hello ") && text.contains("Ballroom B.\nSee you on Saturday."), "{text}");
    }
    let audited = audit_actions(&app).await.into_iter().filter(|a| a == "announcement.sent").count();
    assert_eq!(audited, 1, "one audit row for one announcement");
}

#[tokio::test]
async fn an_announcement_can_go_to_the_waitlisted_people_instead() {
    let app = spawn_app().await;
    meeting_with_people(&app).await;
    let fields = [("audience", "waitlisted"), ("subject", "Places may free up"), ("body", "<b>Hold on</b>")];
    let confirm = app.post_form(&path(), &fields).await.text().await.expect("body");
    assert!(confirm.contains("1 person will receive it"));
    let nonce = value_of(&confirm, "nonce");
    let send = [fields.as_slice(), &[("step", "send"), ("nonce", &nonce)]].concat();
    assert_eq!(app.post_form(&path(), &send).await.status(), 303);
    assert_eq!(app.dispatch_pending_emails().await.sent, 1);
    let mail = &app.emails()[0];
    assert_eq!(mail.to().and_then(|a| a.first()).and_then(|a| a.address()), Some("willi@cert-at.example"));
    assert!(mail.body_html(0).expect("html").contains("&lt;b&gt;Hold on&lt;&#x2F;b&gt;"), "HTML is escaped");
}

#[tokio::test]
async fn an_incomplete_announcement_is_shown_again_with_a_message_per_field() {
    let app = spawn_app().await;
    meeting_with_people(&app).await;
    let res =
        app.post_form(&path(), &[("audience", "everyone"), ("subject", "Kept subject"), ("body", " ")]).await;
    let expected = [
        ("audience", "Choose who receives it: approved or waitlisted attendees."),
        ("body", "Write the message, at most 10000 characters."),
    ];
    let page = refused_with(res, &expected).await;
    assert!(page.contains("value=\"Kept subject\""), "the input is kept");
    // A forged "send" without a confirmation's nonce only shows the confirmation.
    let fields =
        [("audience", "approved"), ("subject", "Hi"), ("body", "x"), ("step", "send"), ("nonce", "")];
    assert_eq!(app.post_form(&path(), &fields).await.status(), 200);
    assert_eq!(app.dispatch_pending_emails().await.sent, 0);
}

#[tokio::test]
async fn members_cannot_send_announcements() {
    let app = spawn_app().await;
    app.login_as_member().await;
    assert_eq!(app.get(&path()).await.status(), 403);
    let res = app.post_form(&path(), &[("audience", "approved"), ("subject", "x"), ("body", "y")]).await;
    assert_eq!(res.status(), 403);
}
