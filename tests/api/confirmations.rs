//! Destructive actions ask first (docs/PAGES.md "Copy and look"): the action's POST without
//! `confirm=yes` changes nothing and answers with a page that says what the other side
//! receives; the button on that page acts.

use csirt_meet::{
    domain::registration::Status,
    models::{agenda::session, feed_token, invitation, meeting, registration},
};

use crate::{
    fixtures::{
        EDITOR, INVITEE, Person, SLUG, add_session, approved_attendee, audit_actions, feed_path, invite,
        meeting_and_team, register,
    },
    helpers::{TestApp, location, spawn_app},
};
use csirt_meet::domain::states::MeetingStatus;

/// The confirmation page's text, with Tera's escaped slashes put back.
async fn confirmation(res: reqwest::Response) -> String {
    assert_eq!(res.status(), 200, "a confirmation page, not a redirect");
    let page = res.text().await.expect("body").replace("&#x2F;", "/");
    assert!(page.contains("name=\"confirm\" value=\"yes\""), "the button confirms");
    assert!(page.contains(">Go back</a>"), "a way back without acting");
    page
}

async fn session_status(app: &TestApp, meeting_id: i64) -> String {
    app.db.query(move |c| session::for_meeting(c, meeting_id)).await.expect("query")[0].status.to_string()
}

#[tokio::test]
async fn cancelling_a_session_asks_first_and_says_who_is_told() {
    let app = spawn_app().await;
    let a = approved_attendee(&app, &[]).await;
    add_session(&app, "Open talk", "TLP:CLEAR", "2026-06-20", ("09:00", "10:00"), "").await;
    let meeting_id = a.meeting.id;
    let id = app.db.query(move |c| session::for_meeting(c, meeting_id)).await.expect("query")[0].id;
    let action = format!("{EDITOR}/sessions/{id}/cancel");

    let page = confirmation(app.post_form(&action, &[]).await).await;
    assert!(page.contains("Cancel the session “Open talk”?"));
    assert!(page.contains("People who picked it receive a cancellation when you publish."));
    assert!(page.contains(&format!("action=\"{action}\"")));
    assert!(page.contains(&format!("href=\"{EDITOR}\">Go back")));
    assert_eq!(session_status(&app, meeting_id).await, "scheduled", "nothing changed yet");

    let res = app.post_form(&action, &[("confirm", "yes")]).await;
    assert_eq!(location(&res), format!("{EDITOR}?done=session-cancelled"));
    assert_eq!(session_status(&app, meeting_id).await, "cancelled");
}

#[tokio::test]
async fn cancelling_a_meeting_asks_first_and_says_attendees_are_told() {
    let app = spawn_app().await;
    let (m, _) = meeting_and_team(&app).await;
    let action = format!("/admin/meetings/{SLUG}/cancel");

    let page = confirmation(app.post_form(&action, &[]).await).await;
    assert!(page.contains(&format!("Cancel {}?", m.title)));
    assert!(page.contains("Every approved attendee receives a cancellation for their calendar."));
    assert!(page.contains(">Cancel this meeting</button>"));
    let stored = app.db.query(|c| meeting::by_slug(c, SLUG)).await.expect("meeting");
    assert_eq!(stored.status, MeetingStatus::Open, "nothing changed yet");

    let res = app.post_form(&action, &[("confirm", "yes")]).await;
    assert_eq!(location(&res), format!("/admin/meetings/{SLUG}?done=meeting-cancelled"));
    let stored = app.db.query(|c| meeting::by_slug(c, SLUG)).await.expect("meeting");
    assert_eq!(stored.status, MeetingStatus::Cancelled);
}

#[tokio::test]
async fn revoking_an_invitation_asks_first_and_names_the_address() {
    let app = spawn_app().await;
    let (m, team_id) = meeting_and_team(&app).await;
    invite(&app, team_id, INVITEE).await;
    let meeting_id = m.id;
    let id = app.db.query(move |c| invitation::for_meeting(c, meeting_id)).await.expect("query")[0].0.id;
    let action = format!("/admin/meetings/{SLUG}/invitations/{id}/revoke");
    let revoked = |app: &TestApp| {
        let db = app.db.clone();
        async move { db.query(move |c| invitation::find(c, id)).await.expect("query").revoked_at.is_some() }
    };

    let page = confirmation(app.post_form(&action, &[]).await).await;
    assert!(page.contains(&format!("Revoke the invitation for {INVITEE}?")));
    assert!(page.contains("The invitation link stops working at once."));
    assert!(!revoked(&app).await, "nothing changed yet");

    let res = app.post_form(&action, &[("confirm", "yes")]).await;
    assert_eq!(location(&res), format!("/admin/meetings/{SLUG}/invitations?done=invitation-revoked"));
    assert!(revoked(&app).await);
}

#[tokio::test]
async fn a_new_feed_address_asks_first_only_when_one_exists() {
    let app = spawn_app().await;
    let a = approved_attendee(&app, &[]).await;
    let action = format!("/me/calendar/{}/feed", a.registration_id);
    // The first address is made at once: nothing breaks.
    let old = feed_path(&app, &a).await;
    let registration_id = a.registration_id;
    let active = || {
        let db = app.db.clone();
        async move {
            db.query(move |c| feed_token::active_for(c, registration_id)).await.expect("query").map(|t| t.id)
        }
    };
    let before = active().await;

    let page = confirmation(app.post_form_with(&a.client, &action, &[]).await).await;
    assert!(page.contains("The old address stops working at once."));
    assert!(page.contains("Calendars subscribed with the old address stop updating"));
    assert!(page.contains("href=\"/me/calendar\">Go back"));
    assert_eq!(active().await, before, "nothing changed yet");
    assert_eq!(
        app.client.get(app.url(&old)).send().await.expect("sent").status(),
        200,
        "the old address works"
    );

    let res = app.post_form_with(&a.client, &action, &[("confirm", "yes")]).await;
    assert!(res.text().await.expect("body").contains("Your new feed address."));
    assert_ne!(active().await, before);
    assert_eq!(
        app.client.get(app.url(&old)).send().await.expect("sent").status(),
        404,
        "the old address stops"
    );
}

const REASON: &str = "Only national CSIRTs attend & your team is a sector CERT.";

fn unescape(value: &str) -> String {
    value
        .replace("&#x2F;", "/")
        .replace("&#x27;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

fn attribute(tag: &str, name: &str) -> String {
    let marker = format!(" {name}=\"");
    let start = tag.find(&marker).map(|i| i + marker.len()).unwrap_or_else(|| panic!("{name} in {tag}"));
    unescape(tag[start..].split('"').next().expect("closing quote"))
}

/// Presses the confirmation page's button as a browser without JavaScript does: posts the
/// form's own hidden fields to its own action, with this client's cookies.
async fn press_the_button(app: &TestApp, page: &str) -> reqwest::Response {
    let confirm_at = page.find("name=\"confirm\" value=\"yes\"").expect("the confirming form");
    let form_at = page[..confirm_at].rfind("<form").expect("its form tag");
    let form = &page[form_at..form_at + page[form_at..].find("</form>").expect("the form ends")];
    let action = attribute(&form[..form.find('>').expect("tag end")], "action");
    let fields: Vec<(String, String)> = form
        .split("<input")
        .skip(1)
        .filter(|tag| tag.contains("type=\"hidden\""))
        .map(|tag| (attribute(tag, "name"), attribute(tag, "value")))
        .collect();
    app.client.post(app.url(&action)).form(&fields).send().await.expect("sent")
}

async fn status_of(app: &TestApp, id: i64) -> String {
    app.db.query(move |c| registration::find(c, id)).await.expect("registration").status.to_string()
}

#[tokio::test]
async fn rejecting_a_registration_asks_first_shows_the_reason_and_decides_once() {
    let app = spawn_app().await;
    let (m, team) = meeting_and_team(&app).await;
    let id =
        register(&app, m.id, team, Person::new("Ana Analyst", "ana@cert-at.example", Status::Pending)).await;
    let action = format!("/admin/meetings/{SLUG}/registrations/{id}/decision");

    let page =
        confirmation(app.post_form(&action, &[("decision", "reject"), ("reason", REASON)]).await).await;
    assert!(page.contains("Reject the registration of Ana Analyst?"), "{page}");
    assert!(page.contains("Ana Analyst (CERT Austria) cannot attend NatCSIRT 2026."));
    assert!(page.contains("Ana Analyst receives an email at ana@cert-at.example with this reason:"));
    assert!(
        page.contains(
            "<blockquote>Only national CSIRTs attend &amp; your team is a sector CERT.</blockquote>"
        )
    );
    assert!(page.contains(">Reject the registration</button>"));
    assert!(page.contains(&format!("href=\"/admin/meetings/{SLUG}/registrations/{id}\">Go back")));
    assert_eq!(status_of(&app, id).await, "pending", "nothing changed yet");
    assert_eq!(app.dispatch_pending_emails().await.sent, 0, "no mail before the confirmation");

    let res = press_the_button(&app, &page).await;
    assert_eq!(location(&res), format!("/admin/meetings/{SLUG}/registrations?done=registration-decided"));
    assert_eq!(status_of(&app, id).await, "rejected");
    assert_eq!(app.dispatch_pending_emails().await.sent, 1);
    let text = app.emails()[0].body_text(0).expect("text").into_owned();
    assert!(text.contains(REASON), "the person receives the reason shown: {text}");

    let again = press_the_button(&app, &page).await;
    assert_eq!(again.status(), 422, "a second press is refused");
    assert_eq!(app.dispatch_pending_emails().await.sent, 0, "and mails nobody");
    let rejected = audit_actions(&app).await.into_iter().filter(|a| a == "registration.rejected").count();
    assert_eq!(rejected, 1, "the decision happened once");
}

#[tokio::test]
async fn revoking_a_registration_asks_first_and_says_the_calendar_entries_are_cancelled() {
    let app = spawn_app().await;
    let (m, team) = meeting_and_team(&app).await;
    let id =
        register(&app, m.id, team, Person::new("Ben Builder", "ben@cert-at.example", Status::Approved)).await;
    let action = format!("/admin/meetings/{SLUG}/registrations/{id}/decision");

    let page =
        confirmation(app.post_form(&action, &[("decision", "revoke"), ("reason", "Left the team")]).await)
            .await;
    assert!(page.contains("Revoke the registration of Ben Builder?"), "{page}");
    assert!(page.contains("The meeting and the sessions in their calendar are cancelled"));
    assert!(page.contains("Ben Builder receives an email at ben@cert-at.example with this reason"));
    assert!(page.contains("a cancellation for each calendar entry"));
    assert!(page.contains("<blockquote>Left the team</blockquote>"));
    assert!(page.contains(">Revoke the registration</button>"));
    assert_eq!(status_of(&app, id).await, "approved", "nothing changed yet");
    assert_eq!(app.dispatch_pending_emails().await.sent, 0, "no mail before the confirmation");

    let res = press_the_button(&app, &page).await;
    assert_eq!(location(&res), format!("/admin/meetings/{SLUG}/registrations?done=registration-decided"));
    assert_eq!(status_of(&app, id).await, "revoked");
    app.dispatch_pending_emails().await;
    let revoked = app.emails().into_iter().find(|m| m.subject().is_some_and(|s| s.ends_with(": revoked")));
    let text = revoked.expect("the decision email").body_text(0).expect("text").into_owned();
    assert!(text.contains("Left the team"), "{text}");
}

#[tokio::test]
async fn a_decision_the_rules_refuse_is_refused_before_any_question() {
    let app = spawn_app().await;
    let (m, team) = meeting_and_team(&app).await;
    let id = register(&app, m.id, team, Person::new("Cleo Pending", "cleo@cert-at.example", Status::Pending))
        .await;
    let action = format!("/admin/meetings/{SLUG}/registrations/{id}/decision");
    let res = app.post_form(&action, &[("decision", "revoke"), ("reason", "Left the team")]).await;
    assert_eq!(res.status(), 422, "only an approved registration can be revoked");
    assert!(!res.text().await.expect("body").contains("name=\"confirm\""), "no question to confirm");
    let res = app.post_form(&action, &[("decision", "reject"), ("reason", " ")]).await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.expect("body").contains("Give a reason"));
    assert_eq!(status_of(&app, id).await, "pending");
}

#[tokio::test]
async fn a_bulk_rejection_asks_first_naming_everyone_it_reaches() {
    let app = spawn_app().await;
    let (m, team) = meeting_and_team(&app).await;
    let ana =
        register(&app, m.id, team, Person::new("Ana Analyst", "ana@cert-at.example", Status::Pending)).await;
    let ben =
        register(&app, m.id, team, Person::new("Ben Builder", "ben@cert-at.example", Status::Pending)).await;
    let kept =
        register(&app, m.id, team, Person::new("Cleo Kept", "cleo@cert-at.example", Status::Pending)).await;
    let (a, b) = (ana.to_string(), ben.to_string());
    let fields = [
        ("decision", "reject"),
        ("reason", REASON),
        ("ids", a.as_str()),
        ("ids", b.as_str()),
        ("status", "pending"),
    ];
    let bulk = format!("/admin/meetings/{SLUG}/registrations/bulk");

    let page = confirmation(app.post_form(&bulk, &fields).await).await;
    assert!(page.contains("Reject 2 registrations?"), "{page}");
    assert!(
        page.contains("<li>Ana Analyst (CERT Austria)</li>")
            && page.contains("<li>Ben Builder (CERT Austria)</li>")
    );
    assert!(!page.contains("Cleo Kept"), "only the checked people");
    assert!(page.contains("Each of them receives an email with this reason:"));
    assert!(
        page.contains(
            "<blockquote>Only national CSIRTs attend &amp; your team is a sector CERT.</blockquote>"
        )
    );
    assert!(page.contains(">Reject these registrations</button>"));
    for id in [ana, ben, kept] {
        assert_eq!(status_of(&app, id).await, "pending", "nothing changed yet");
    }
    assert_eq!(app.dispatch_pending_emails().await.sent, 0, "no mail before the confirmation");

    let res = press_the_button(&app, &page).await;
    let back = location(&res);
    assert!(
        back.contains("status=pending") && back.ends_with("done=bulk-decided"),
        "back to the same view: {back}"
    );
    assert_eq!(status_of(&app, ana).await, "rejected");
    assert_eq!(status_of(&app, ben).await, "rejected");
    assert_eq!(status_of(&app, kept).await, "pending");
    assert_eq!(app.dispatch_pending_emails().await.sent, 2, "one email each");
}

#[tokio::test]
async fn a_bulk_rejection_names_only_those_it_reaches() {
    let app = spawn_app().await;
    let (m, team) = meeting_and_team(&app).await;
    let ana =
        register(&app, m.id, team, Person::new("Ana Analyst", "ana@cert-at.example", Status::Pending)).await;
    let abe =
        register(&app, m.id, team, Person::new("Abe Approved", "abe@cert-at.example", Status::Approved))
            .await;
    let (a, b) = (ana.to_string(), abe.to_string());
    let bulk = format!("/admin/meetings/{SLUG}/registrations/bulk");
    let fields = [("decision", "reject"), ("reason", REASON), ("ids", a.as_str()), ("ids", b.as_str())];
    let page = confirmation(app.post_form(&bulk, &fields).await).await;
    assert!(page.contains("Reject 1 registration?"), "{page}");
    assert!(
        page.contains("1 checked registration is not pending or waitlisted and stays as it is."),
        "{page}"
    );
    assert!(page.contains("<li>Ana Analyst (CERT Austria)</li>") && !page.contains("Abe Approved"), "{page}");
    press_the_button(&app, &page).await;
    assert_eq!(status_of(&app, ana).await, "rejected");
    assert_eq!(status_of(&app, abe).await, "approved", "the approved registration stays");

    let only_approved = [("decision", "reject"), ("reason", REASON), ("ids", b.as_str())];
    let res = app.post_form(&bulk, &only_approved).await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.expect("body").contains("None of the checked registrations can be rejected"));
    assert_eq!(status_of(&app, abe).await, "approved");
}
