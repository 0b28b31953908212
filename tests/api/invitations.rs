//! The organizer's invitations page: the mail carries the meeting's days, its city, the
//! link's expiry and the organizer's note (quoted, in both parts); a bad note is refused
//! with nothing sent; an open invitation can be resent with a new link, a used or revoked
//! one cannot.

use chrono::Duration;
use csirt_meet::models::invitation;

use crate::{
    fixtures::{
        INVITEE, SLUG, audit_actions, invite, link_in_last_mail, meeting_and_team, registration_form,
    },
    helpers::{TestApp, error_summary, location, new_client, refused_with, spawn_app},
};

const PAGE: &str = "/admin/meetings/natcsirt-2026/invitations";

/// The invitations of the fixture meeting, newest first.
async fn sent(app: &TestApp, meeting_id: i64) -> Vec<invitation::Invitation> {
    let rows = app.db.query(move |c| invitation::for_meeting(c, meeting_id)).await.expect("query");
    rows.into_iter().map(|(i, _)| i).collect()
}

fn resend_path(id: i64) -> String {
    format!("/admin/meetings/{SLUG}/invitations/{id}/resend")
}

#[tokio::test]
async fn the_mail_gives_the_days_the_city_the_expiry_and_the_organizers_note_in_both_parts() {
    let app = spawn_app().await;
    let (m, team_id) = meeting_and_team(&app).await;
    assert_eq!(PAGE, format!("/admin/meetings/{SLUG}/invitations"));
    let note = "Dear Alice,\r\nplease bring <your> team's two speakers.";
    let team = team_id.to_string();
    let res = app.post_form(PAGE, &[("team", &team), ("emails", INVITEE), ("note", note)]).await;
    assert_eq!(location(&res), format!("{PAGE}?done=invitations-sent"));
    app.dispatch_pending_emails().await;
    let mail = app.emails().pop().expect("the invitation");
    let text = mail.body_text(0).expect("text").replace("\r\n", "\n");
    let html = mail.body_html(0).expect("html").into_owned();
    let expires = (app.clock.now_naive() + Duration::days(30)).format("%a %-d %B %Y, %H:%M UTC").to_string();
    for part in [&text, &html] {
        let flowed = part.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(flowed.contains("in Denver, Sat 20 June – Sun 21 June 2026"), "days and city: {flowed}");
        assert!(flowed.contains(&format!("expires on {expires}")), "the expiry: {flowed}");
        assert!(flowed.contains("The organizer adds this note:"), "{flowed}");
    }
    assert!(text.contains("> Dear Alice,\n> please bring <your> team's two speakers.\n"), "{text}");
    assert!(html.contains("<blockquote"), "quoted in HTML");
    assert!(html.contains("Dear Alice,<br>please bring &lt;your&gt; team&#x27;s two speakers."), "{html}");
    let stored = sent(&app, m.id).await;
    assert_eq!(stored[0].note, "Dear Alice,\nplease bring <your> team's two speakers.");

    // Without a note, the mail says nothing of one.
    invite(&app, team_id, "bob@cert-at.example").await;
    let mail = app.emails().pop().expect("the second invitation");
    assert!(!mail.body_text(0).expect("text").contains("note"), "no note, no quote");
}

#[tokio::test]
async fn a_note_with_a_control_character_or_too_long_is_refused_and_nothing_is_sent() {
    let app = spawn_app().await;
    let (m, team_id) = meeting_and_team(&app).await;
    let team = team_id.to_string();
    let post = |note: String| {
        let (app, team) = (&app, team.clone());
        async move { app.post_form(PAGE, &[("team", &team), ("emails", INVITEE), ("note", &note)]).await }
    };

    let res = post("Welcome\tto Denver".into()).await;
    let page =
        refused_with(res, &[("note", "Remove the tab (U+0009); a note may hold only text and line breaks.")])
            .await;
    assert!(page.contains("Welcome\tto Denver</textarea>"), "what was typed is kept");
    let res = post("Welcome \u{202e}revenD".into()).await;
    refused_with(res, &[("note", "Remove the invisible formatting character (U+202E)")]).await;
    let res = post("x".repeat(1001)).await;
    refused_with(res, &[("note", "Keep the note to 1000 characters; it has 1001.")]).await;
    // An escape never reaches the form: the input backstop refuses it, naming the field.
    let res = post("Welcome\u{1b}[2J".into()).await;
    assert_eq!(res.status(), 422);
    let page = res.text().await.expect("body");
    assert!(page.contains("The field “note” holds a control character"), "{page}");

    assert!(sent(&app, m.id).await.is_empty(), "no invitation was written");
    assert_eq!(app.dispatch_pending_emails().await.sent, 0, "no mail was sent");
    assert!(!audit_actions(&app).await.iter().any(|a| a == "invitation.sent"));
}

#[tokio::test]
async fn a_resend_kills_the_old_link_and_mails_a_new_one_with_the_same_note_and_a_fresh_expiry() {
    let app = spawn_app().await;
    let (m, team_id) = meeting_and_team(&app).await;
    let team = team_id.to_string();
    let res = app.post_form(PAGE, &[("team", &team), ("emails", INVITEE), ("note", "See you there.")]).await;
    assert_eq!(res.status(), 303);
    let old_link = link_in_last_mail(&app, "/invitations/").await;
    let before = sent(&app, m.id).await.remove(0);
    app.clock.advance(Duration::minutes(5));
    let list = app.get(PAGE).await.text().await.expect("page");
    assert!(list.contains(&resend_path(before.id)), "an open invitation offers a resend: {list}");

    // First the confirmation, which says what happens and quotes the note; nothing is sent.
    let res = app.post_form(&resend_path(before.id), &[]).await;
    assert_eq!(res.status(), 200);
    let ask = res.text().await.expect("page");
    for expected in ["Resend the invitation for alice@cert-at.example?", "The old link", "See you there."] {
        assert!(ask.contains(expected), "{expected}: {ask}");
    }
    assert_eq!(app.dispatch_pending_emails().await.sent, 0);

    let res = app.post_form(&resend_path(before.id), &[("confirm", "yes")]).await;
    assert_eq!(location(&res), format!("{PAGE}?done=invitation-resent"));
    let new_link = link_in_last_mail(&app, "/invitations/").await;
    assert_ne!(new_link, old_link);
    let mail = app.emails().pop().expect("the resent invitation");
    assert_eq!(mail.to().and_then(|a| a.first()).and_then(|a| a.address()), Some(INVITEE));
    let text = mail.body_text(0).expect("text").replace("\r\n", "\n");
    assert!(text.contains("> See you there.\n"), "the same note: {text}");
    let expires = (app.clock.now_naive() + Duration::days(30)).format("%a %-d %B %Y, %H:%M UTC").to_string();
    assert!(text.split_whitespace().collect::<Vec<_>>().join(" ").contains(&expires), "a fresh expiry");

    let after = sent(&app, m.id).await;
    assert_eq!(after.len(), 1, "the same invitation, renewed");
    assert_ne!(after[0].token_hash, before.token_hash, "only the new token's hash is kept");
    assert_eq!(after[0].expires_at, app.clock.now_naive() + Duration::days(30));
    assert!(after[0].expires_at > before.expires_at);

    let invitee = new_client();
    let res = invitee.get(app.url(&old_link)).send().await.expect("sent");
    assert_eq!(res.status(), 404, "the old link is dead");
    let res = app.post_form_with(&invitee, &old_link, &registration_form("Alice")).await;
    assert_eq!(res.status(), 404);
    let res = app.post_form_with(&invitee, &new_link, &registration_form("Alice")).await;
    assert_eq!(res.status(), 303, "the new link works");

    let entries = app.db.query(|c| csirt_meet::models::audit::recent(c, 50)).await.expect("audit");
    let resent: Vec<_> = entries.iter().filter(|e| e.action == "invitation.resent").collect();
    assert_eq!(resent.len(), 1);
    assert_eq!(resent[0].subject, format!("invitation {}", before.id));
    assert_eq!(resent[0].detail, "cert-at.example");
    assert!(!resent[0].detail.contains("See you"), "the note stays out of the log");
}

#[tokio::test]
async fn a_used_or_revoked_invitation_cannot_be_resent() {
    let app = spawn_app().await;
    let (m, team_id) = meeting_and_team(&app).await;
    let link = invite(&app, team_id, INVITEE).await;
    invite(&app, team_id, "bob@cert-at.example").await;
    let res = app.post_form_with(&new_client(), &link, &registration_form("Alice")).await;
    assert_eq!(res.status(), 303);
    let rows = sent(&app, m.id).await;
    let used = rows.iter().find(|i| i.email == INVITEE).expect("alice").id;
    let bob = rows.iter().find(|i| i.email != INVITEE).expect("bob").id;
    let res = app
        .post_form(&format!("/admin/meetings/{SLUG}/invitations/{bob}/revoke"), &[("confirm", "yes")])
        .await;
    assert_eq!(res.status(), 303);
    let list = app.get(PAGE).await.text().await.expect("page");
    assert!(!list.contains(&resend_path(used)) && !list.contains(&resend_path(bob)), "no resend offered");

    for (id, words) in [(used, "was used already"), (bob, "was revoked")] {
        for confirm in [&[][..], &[("confirm", "yes")][..]] {
            let res = app.post_form(&resend_path(id), confirm).await;
            assert_eq!(res.status(), 422);
            let page = res.text().await.expect("page");
            assert!(error_summary(&page).contains(words), "{words}: {page}");
        }
    }
    assert_eq!(app.dispatch_pending_emails().await.sent, 0, "nothing was sent again");
    assert_eq!(
        sent(&app, m.id).await.iter().map(|i| &i.token_hash).collect::<Vec<_>>(),
        rows.iter().map(|i| &i.token_hash).collect::<Vec<_>>()
    );
    assert!(!audit_actions(&app).await.iter().any(|a| a == "invitation.resent"));
}

#[tokio::test]
async fn resending_to_an_address_outside_the_teams_domains_names_it_before_it_sends() {
    let app = spawn_app().await;
    let (m, team_id) = meeting_and_team(&app).await;
    let team = team_id.to_string();
    let outsider = "alice@gmail.example";
    let fields = [("team", team.as_str()), ("emails", outsider), ("outside", outsider)];
    assert_eq!(app.post_form(PAGE, &fields).await.status(), 303);
    app.dispatch_pending_emails().await;
    let id = sent(&app, m.id).await[0].id;

    let ask = app.post_form(&resend_path(id), &[]).await.text().await.expect("page");
    assert!(ask.contains("alice@gmail.example is outside the team&#x27;s domains"), "{ask}");
    let res = app.post_form(&resend_path(id), &[("confirm", "yes")]).await;
    assert_eq!(res.status(), 303);
    assert_eq!(app.dispatch_pending_emails().await.sent, 1);
    let entries = app.db.query(|c| csirt_meet::models::audit::recent(c, 50)).await.expect("audit");
    let resent = entries.iter().find(|e| e.action == "invitation.resent").expect("audited");
    assert_eq!(resent.detail, "gmail.example, outside the team's domains (confirmed)");
}
