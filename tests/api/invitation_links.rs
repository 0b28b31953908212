//! An invitation link that no longer works (used, expired, revoked) answers 410 Gone with
//! a page that says why, whether it is opened (GET) or submitted (POST).

use chrono::Duration;
use csirt_meet::models::invitation;

use crate::{
    fixtures::{INVITEE, SLUG, invite, meeting_and_team, registration_form},
    helpers::{TestApp, new_client, spawn_app},
};

async fn assert_gone(app: &TestApp, link: &str, why: &str) {
    let visitor = new_client();
    let res = visitor.get(app.url(link)).send().await.expect("sent");
    assert_eq!(res.status(), 410, "GET, {why}");
    assert!(res.text().await.expect("body").contains(why), "GET explains: {why}");
    let res = app.post_form_with(&visitor, link, &registration_form("Mallory")).await;
    assert_eq!(res.status(), 410, "POST, {why}");
    assert!(res.text().await.expect("body").contains(why), "POST explains: {why}");
}

#[tokio::test]
async fn used_expired_and_revoked_invitation_links_answer_410_gone() {
    let app = spawn_app().await;
    let (m, team_id) = meeting_and_team(&app).await;

    let used = invite(&app, team_id, INVITEE).await;
    let res = app.post_form_with(&new_client(), &used, &registration_form("Alice")).await;
    assert_eq!(res.status(), 303);
    assert_gone(&app, &used, "used already").await;

    let revoked = invite(&app, team_id, "bob@cert-at.example").await;
    let meeting_id = m.id;
    let rows = app.db.query(move |c| invitation::for_meeting(c, meeting_id)).await.expect("query");
    let id = rows.iter().find(|(i, _)| i.email == "bob@cert-at.example").expect("bob's invitation").0.id;
    let res = app
        .post_form(&format!("/admin/meetings/{SLUG}/invitations/{id}/revoke"), &[("confirm", "yes")])
        .await;
    assert_eq!(res.status(), 303);
    assert_gone(&app, &revoked, "withdrew").await;

    let expired = invite(&app, team_id, "carol@cert-at.example").await;
    app.clock.advance(Duration::days(31));
    assert_gone(&app, &expired, "expired").await;
}
