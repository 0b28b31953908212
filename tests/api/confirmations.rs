//! Destructive actions ask first (PAGES.md "Copy and look"): the action's POST without
//! `confirm=yes` changes nothing and answers with a page that says what the other side
//! receives; the button on that page acts.

use csirt_meet::models::{agenda::session, feed_token, invitation, meeting};

use crate::{
    feeds::{EDITOR, add_session, approved_attendee, feed_path},
    helpers::{TestApp, location, spawn_app},
    vetting::{INVITEE, SLUG, invite, set_up},
};

/// The confirmation page's text, with Tera's escaped slashes put back.
async fn confirmation(res: reqwest::Response) -> String {
    assert_eq!(res.status(), 200, "a confirmation page, not a redirect");
    let page = res.text().await.expect("body").replace("&#x2F;", "/");
    assert!(page.contains("name=\"confirm\" value=\"yes\""), "the button confirms");
    assert!(page.contains(">Go back</a>"), "a way back without acting");
    page
}

async fn session_status(app: &TestApp, meeting_id: i64) -> String {
    app.db.query(move |c| session::for_meeting(c, meeting_id)).await.expect("query")[0].status.clone()
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
    let (m, _) = set_up(&app).await;
    let action = format!("/admin/meetings/{SLUG}/cancel");

    let page = confirmation(app.post_form(&action, &[]).await).await;
    assert!(page.contains(&format!("Cancel {}?", m.title)));
    assert!(page.contains("Every approved attendee receives a cancellation for their calendar."));
    assert!(page.contains(">Cancel this meeting</button>"));
    let stored = app.db.query(|c| meeting::by_slug(c, SLUG)).await.expect("meeting");
    assert_eq!(stored.status, "open", "nothing changed yet");

    let res = app.post_form(&action, &[("confirm", "yes")]).await;
    assert_eq!(location(&res), format!("/admin/meetings/{SLUG}?done=meeting-cancelled"));
    let stored = app.db.query(|c| meeting::by_slug(c, SLUG)).await.expect("meeting");
    assert_eq!(stored.status, "cancelled");
}

#[tokio::test]
async fn revoking_an_invitation_asks_first_and_names_the_address() {
    let app = spawn_app().await;
    let (m, team_id) = set_up(&app).await;
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
