//! Flow 1, vetting: invitations, accepting one, the review queue, decisions under the
//! per-team cap, and the audit rows and emails each transition leaves.

use chrono::Duration;
use csirt_meet::domain::states::Role;
use csirt_meet::{
    domain::registration::Status,
    models::{invitation, user},
};

use crate::{
    fixtures::{
        Account, INVITEE, Registration, SLUG, audit_actions, decide, invite, meeting_and_team,
        registration_form, registrations,
    },
    helpers::{TestApp, csrf_in, error_summary, location, new_client, refused_with, spawn_app},
};

/// `count` members of the team with a pending registration each, made directly.
async fn pending_registrations(app: &TestApp, meeting_id: i64, team_id: i64, count: usize) -> Vec<i64> {
    let now = app.clock.now_naive();
    app.db
        .query(move |c| {
            let mut ids = Vec::new();
            for n in 0..count {
                let u = Account::member(&format!("member{n}@cert-at.example"))
                    .name("Member")
                    .insert_in(c, now)?;
                ids.push(Registration::new(Status::Pending).insert_in(
                    c,
                    (meeting_id, team_id, u.id),
                    now,
                )?);
            }
            Ok(ids)
        })
        .await
        .expect("registrations")
}

#[tokio::test]
async fn an_invited_contact_registers_and_is_approved() {
    let app = spawn_app().await;
    let (m, team_id) = meeting_and_team(&app).await;
    let link = invite(&app, team_id, INVITEE).await;

    let invitee = new_client();
    for _ in 0..2 {
        let res = invitee.get(app.url(&link)).send().await.expect("sent");
        assert_eq!(res.status(), 200, "opening the link does not spend it");
        let page = res.text().await.expect("body");
        for expected in ["NatCSIRT 2026", "CERT Austria", INVITEE] {
            assert!(page.contains(expected), "the page shows {expected}");
        }
    }
    let meeting_id = m.id;
    let open = app.db.query(move |c| invitation::for_meeting(c, meeting_id)).await.expect("query");
    assert_eq!(open[0].0.state(app.clock.now_naive()), "sent");

    let res = app.post_form_with(&invitee, &link, &registration_form("Alice Example")).await;
    assert_eq!(location(&res), "/me?done=registered");
    let me = invitee.get(app.url("/me")).send().await.expect("sent").text().await.expect("body");
    assert!(me.contains("pending review") && me.contains("NatCSIRT 2026") && me.contains("CERT Austria"));
    let account = app.db.query(|c| user::by_email(c, INVITEE)).await.expect("query").expect("account");
    assert!(account.email_verified_at.is_some(), "the invitation proved the address");
    assert_eq!(account.role, Role::Member);

    let queue = app.get(&format!("/admin/meetings/{SLUG}/registrations")).await.text().await.expect("body");
    assert!(queue.contains("Alice Example") && queue.contains("pending review"));
    let id = registrations(&app, m.id).await[0].registration.id;
    let res = decide(&app, id, "approve", "").await;
    assert_eq!(location(&res), format!("/admin/meetings/{SLUG}/registrations?done=registration-decided"));

    let me = invitee.get(app.url("/me")).send().await.expect("sent").text().await.expect("body");
    assert!(me.contains("approved"), "the attendee sees the decision");
    app.dispatch_pending_emails().await;
    let subjects: Vec<String> =
        app.emails().iter().map(|m| m.subject().unwrap_or_default().to_owned()).collect();
    assert!(subjects.iter().any(|s| s == "Your registration for NatCSIRT 2026: approved"), "{subjects:?}");
    assert!(subjects.iter().any(|s| s == "Invitation: NatCSIRT 2026"), "the meeting's calendar invite");
    let actions = audit_actions(&app).await;
    for action in ["invitation.sent", "registration.created", "registration.approved"] {
        assert!(actions.iter().any(|a| a == action), "audit: {action}");
    }
}

#[tokio::test]
async fn a_used_invitation_cannot_be_used_again() {
    let app = spawn_app().await;
    let (m, team_id) = meeting_and_team(&app).await;
    let link = invite(&app, team_id, INVITEE).await;
    let invitee = new_client();
    let res = app.post_form_with(&invitee, &link, &registration_form("Alice")).await;
    assert_eq!(res.status(), 303);
    let other = new_client();
    let res = app.post_form_with(&other, &link, &registration_form("Mallory")).await;
    assert_eq!(res.status(), 410);
    assert!(res.text().await.expect("body").contains("used already"));
    assert_eq!(other.get(app.url(&link)).send().await.expect("sent").status(), 410);
    assert_eq!(registrations(&app, m.id).await.len(), 1);
}

#[tokio::test]
async fn an_expired_invitation_is_refused() {
    let app = spawn_app().await;
    let (m, team_id) = meeting_and_team(&app).await;
    let link = invite(&app, team_id, INVITEE).await;
    app.clock.advance(Duration::days(31));
    let invitee = new_client();
    let res = invitee.get(app.url(&link)).send().await.expect("sent");
    assert_eq!(res.status(), 410);
    assert!(res.text().await.expect("body").contains("expired"));
    let res = app.post_form_with(&invitee, &link, &registration_form("Alice")).await;
    assert_eq!(res.status(), 410);
    assert!(registrations(&app, m.id).await.is_empty());
    assert!(app.db.query(|c| user::by_email(c, INVITEE)).await.expect("query").is_none());
}

#[tokio::test]
async fn a_revoked_invitation_is_refused() {
    let app = spawn_app().await;
    let (m, team_id) = meeting_and_team(&app).await;
    let link = invite(&app, team_id, INVITEE).await;
    let meeting_id = m.id;
    let id = app.db.query(move |c| invitation::for_meeting(c, meeting_id)).await.expect("query")[0].0.id;
    let res = app
        .post_form(&format!("/admin/meetings/{SLUG}/invitations/{id}/revoke"), &[("confirm", "yes")])
        .await;
    assert_eq!(location(&res), format!("/admin/meetings/{SLUG}/invitations?done=invitation-revoked"));
    let list = app.get(&format!("/admin/meetings/{SLUG}/invitations")).await.text().await.expect("body");
    assert!(list.contains("revoked"));
    let invitee = new_client();
    let res = app.post_form_with(&invitee, &link, &registration_form("Alice")).await;
    assert_eq!(res.status(), 410);
    assert!(res.text().await.expect("body").contains("withdrew"));
    assert!(registrations(&app, m.id).await.is_empty());
    assert!(audit_actions(&app).await.iter().any(|a| a == "invitation.revoked"));
}

#[tokio::test]
async fn an_unknown_invitation_link_is_not_found() {
    let app = spawn_app().await;
    let res = app.get(&format!("/invitations/{}", "0".repeat(64))).await;
    assert_eq!(res.status(), 404);
}

#[tokio::test]
async fn twenty_parallel_approvals_stop_at_the_team_cap() {
    let app = spawn_app().await;
    let (m, team_id) = meeting_and_team(&app).await;
    let ids = pending_registrations(&app, m.id, team_id, 20).await;
    let page = app.get(&format!("/admin/meetings/{SLUG}/registrations")).await.text().await.expect("body");
    let token = csrf_in(&page);
    let posts = ids.iter().map(|id| {
        let url = app.url(&format!("/admin/meetings/{SLUG}/registrations/{id}/decision"));
        app.client.post(url).form(&[("decision", "approve"), ("csrf_token", &token)]).send()
    });
    let responses = futures_util::future::join_all(posts).await;
    let mut statuses: Vec<u16> = Vec::new();
    let mut refusal = String::new();
    for res in responses {
        let res = res.expect("sent");
        statuses.push(res.status().as_u16());
        if res.status() == 422 {
            refusal = res.text().await.expect("body");
        }
    }
    assert_eq!(statuses.iter().filter(|s| **s == 303).count(), 3, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 422).count(), 17, "{statuses:?}");
    assert!(refusal.contains("its cap for this meeting"));
    assert!(refusal.contains("Waitlist this registration instead"));
    let approved =
        registrations(&app, m.id).await.into_iter().filter(|r| r.registration.status == Status::Approved);
    assert_eq!(approved.count(), 3);
    let audited = audit_actions(&app).await.into_iter().filter(|a| a == "registration.approved").count();
    assert_eq!(audited, 3);
    assert_eq!(
        app.dispatch_pending_emails().await.sent,
        6,
        "the decision and the calendar invite per approval"
    );
}

#[tokio::test]
async fn rejecting_without_a_reason_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let (m, team_id) = meeting_and_team(&app).await;
    let id = pending_registrations(&app, m.id, team_id, 1).await[0];
    let before = audit_actions(&app).await.len();
    let res = decide(&app, id, "reject", "  ").await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.expect("body").contains("Give a reason"));
    assert_eq!(registrations(&app, m.id).await[0].registration.status, Status::Pending);
    assert_eq!(audit_actions(&app).await.len(), before);
    assert_eq!(app.dispatch_pending_emails().await.sent, 0);
}

#[tokio::test]
async fn each_decision_is_audited_and_mailed_with_its_reason() {
    let app = spawn_app().await;
    let (m, team_id) = meeting_and_team(&app).await;
    let ids = pending_registrations(&app, m.id, team_id, 2).await;
    assert_eq!(decide(&app, ids[0], "waitlist", "").await.status(), 303);
    assert_eq!(decide(&app, ids[0], "approve", "").await.status(), 303);
    assert_eq!(decide(&app, ids[0], "revoke", "Left the team").await.status(), 303);
    assert_eq!(decide(&app, ids[1], "reject", "Not a team member").await.status(), 303);
    let res = decide(&app, ids[1], "approve", "").await;
    assert_eq!(res.status(), 422, "a rejected registration cannot be approved");
    let actions = audit_actions(&app).await;
    for action in
        ["registration.waitlisted", "registration.approved", "registration.revoked", "registration.rejected"]
    {
        assert!(actions.iter().any(|a| a == action), "audit: {action}");
    }
    app.dispatch_pending_emails().await;
    let rejection = app
        .emails()
        .into_iter()
        .find(|m| m.subject().is_some_and(|s| s.ends_with(": rejected")))
        .expect("the rejection email");
    assert!(rejection.body_text(0).expect("text").contains("Not a team member"));
}

#[tokio::test]
async fn an_invitee_with_an_account_signs_in_to_accept() {
    let app = spawn_app().await;
    let (m, team_id) = meeting_and_team(&app).await;
    let link = invite(&app, team_id, INVITEE).await;
    let account = app.create_user(INVITEE, Role::Member).await;
    let invitee = new_client();
    let page = invitee.get(app.url(&link)).send().await.expect("sent").text().await.expect("body");
    assert!(page.contains("exists already"), "a sign-in hint instead of the account form");
    let res = app.post_form_with(&invitee, &link, &[("role_title", "")]).await;
    assert_eq!(res.status(), 422, "accepting needs the account's sign-in");
    let page = res.text().await.expect("body");
    let summary = error_summary(&page);
    assert!(summary.contains("Sign in with it, then open this link again."), "{summary}");
    assert!(!summary.contains("href"), "about the whole form, with no hidden field to lead to: {summary}");
    assert!(registrations(&app, m.id).await.is_empty());

    app.sign_in_with(&invitee, &account).await;
    let res = app.post_form_with(&invitee, &link, &[("role_title", "Team lead")]).await;
    assert_eq!(location(&res), "/me?done=registered");
    let rows = registrations(&app, m.id).await;
    assert_eq!((rows.len(), rows[0].registration.user_id), (1, account.id));
}

#[tokio::test]
async fn a_bad_registration_by_invitation_is_shown_next_to_each_field_and_changes_nothing() {
    let app = spawn_app().await;
    let (m, team_id) = meeting_and_team(&app).await;
    let link = invite(&app, team_id, INVITEE).await;
    let long = "x".repeat(301);
    let fields = [("name", ""), ("password", "short"), ("role_title", "Analyst"), ("dietary", long.as_str())];
    let res = app.post_form_with(&new_client(), &link, &fields).await;
    let expected = [("name", "Enter your name."), ("password", "at least 12"), ("dietary", "at most 300")];
    let page = refused_with(res, &expected).await;
    assert!(page.contains(r#"value="Analyst""#), "what was typed stays");
    assert!(!page.contains(r#"value="short""#), "never the password");
    assert!(app.db.query(|c| user::by_email(c, INVITEE)).await.expect("query").is_none(), "no account");
    assert!(registrations(&app, m.id).await.is_empty());
    let meeting_id = m.id;
    let rows = app.db.query(move |c| invitation::for_meeting(c, meeting_id)).await.expect("query");
    assert!(rows[0].0.used_at.is_none(), "the link is not spent");
}

#[tokio::test]
async fn an_invitation_to_a_cancelled_meeting_is_refused() {
    let app = spawn_app().await;
    let (m, team_id) = meeting_and_team(&app).await;
    let link = invite(&app, team_id, INVITEE).await;
    assert_eq!(
        app.post_form(&format!("/admin/meetings/{SLUG}/cancel"), &[("confirm", "yes")]).await.status(),
        303
    );
    let invitee = new_client();
    let res = app.post_form_with(&invitee, &link, &registration_form("Alice")).await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.expect("body").contains("cancelled"));
    assert!(registrations(&app, m.id).await.is_empty());
    let meeting_id = m.id;
    let rows = app.db.query(move |c| invitation::for_meeting(c, meeting_id)).await.expect("query");
    assert!(rows[0].0.used_at.is_none(), "a refused acceptance does not spend the link");
}

#[tokio::test]
async fn a_bad_invitation_form_says_what_is_wrong_next_to_each_field_and_sends_nothing() {
    let app = spawn_app().await;
    let (m, _) = meeting_and_team(&app).await;
    let path = format!("/admin/meetings/{SLUG}/invitations");
    let res =
        app.post_form(&path, &[("team", "999"), ("emails", "bob@cert-at.example, not-an-address")]).await;
    let page =
        refused_with(res, &[("team", "Choose a recognized team."), ("emails", "not-an-address: ")]).await;
    assert!(page.contains("bob@cert-at.example, not-an-address</textarea>"), "what was typed is kept");
    let sent = app.db.query(move |c| invitation::for_meeting(c, m.id)).await.expect("query");
    assert!(sent.is_empty(), "nothing was sent");
    assert_eq!(app.dispatch_pending_emails().await.sent, 0);
}
