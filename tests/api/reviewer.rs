//! The reviewer role: invited by an organizer, a reviewer decides registrations and reads
//! every agenda, and gets 403 on the rest of the console (including the attendee CSV).

use csirt_meet::{
    domain::{registration::Status, states::Role},
    models::{one_time_token, user},
};

use crate::{
    fixtures::{Person, SLUG, approved_attendee, audit_actions, link_in_last_mail, register, registrations},
    helpers::{PASSWORD, TestUser, location, new_client, refused_with, spawn_app},
};

#[tokio::test]
async fn an_invited_reviewer_decides_registrations_reads_the_agenda_and_nothing_more() {
    let app = spawn_app().await;
    let attendee = approved_attendee(&app, &[]).await;
    let team = registrations(&app, attendee.meeting.id).await[0].registration.team_id;
    let pending =
        register(&app, attendee.meeting.id, team, Person::new("Pia", "pia@cert-at.example", Status::Pending))
            .await;

    // The organizer invites a reviewer; the mail says what the role is.
    let invite = [("name", "Rita Review"), ("email", "rita@cert.example"), ("role", "reviewer")];
    let res = app.post_form("/admin/organizers/invite", &invite).await;
    assert_eq!(location(&res), "/admin/organizers?done=invited");
    let page = app.get("/admin/organizers").await.text().await.expect("body");
    assert!(page.contains("rita@cert.example&gt; (reviewer)"), "the open invitation names its role");
    let link = link_in_last_mail(&app, "/setup/").await;
    let mail = app.emails().pop().expect("mail");
    assert!(mail.body_text(0).expect("text").contains("Reviewers decide registrations"));

    // Accepting it makes a reviewer account, which must set up two-step sign-in.
    let rita = new_client();
    let page = app.page_with(&rita, &link).await;
    assert!(page.contains("Create your reviewer account"), "{page}");
    let form = [("name", "Rita Review"), ("email", ""), ("password", "harbor-maple-quartz-17")];
    assert_eq!(location(&app.post_form_with(&rita, &link, &form).await), "/me/second-factor");
    let account =
        app.db.query(|c| user::by_email(c, "rita@cert.example")).await.expect("query").expect("account");
    assert_eq!(account.role, Role::Reviewer);
    let actions = audit_actions(&app).await;
    assert!(
        actions.iter().any(|a| a == "reviewer.invited") && actions.iter().any(|a| a == "reviewer.created")
    );
    let page = app.page_with(&rita, "/review").await;
    assert!(!page.contains("Review registrations</h1>"), "no review before the second step");

    // Signed in with both steps, the reviewer lands on the review page.
    let totp = Some(app.add_second_factor(account.id).await);
    let rita_user =
        TestUser { id: account.id, email: account.email, password: "harbor-maple-quartz-17".into(), totp };
    let rita = new_client();
    let res = app.login_with(&rita, &rita_user.email, &rita_user.password).await;
    assert_eq!(location(&res), "/login/second-factor");
    let code = app.totp_code(&rita_user, 0);
    let res = app.post_form_with(&rita, "/login/second-factor", &[("code", &code)]).await;
    assert_eq!(location(&res), "/review");
    let page = app.page_with(&rita, "/review").await;
    let queue = format!("/admin/meetings/{SLUG}/registrations");
    assert!(page.contains(&format!(r#"href="{queue}?status=pending">1 waiting"#)), "{page}");

    // The queue and a registration's page, without the organizers' links.
    let page = app.page_with(&rita, &queue).await;
    assert!(page.contains("Pia") && !page.contains("registrations.csv"), "{page}");
    let page = app.page_with(&rita, &format!("{queue}/{pending}")).await;
    assert!(page.contains("pia@cert-at.example") && !page.contains("reset-second-factor"), "{page}");

    // A decision, audited under the reviewer's name.
    let decision = [("decision", "approve"), ("reason", ""), ("confirm", "yes")];
    let res = app.post_form_with(&rita, &format!("{queue}/{pending}/decision"), &decision).await;
    assert_eq!(res.status(), 303, "the decision is taken");
    let rows = registrations(&app, attendee.meeting.id).await;
    let pia = rows.iter().find(|r| r.registration.id == pending).expect("Pia's registration");
    assert_eq!(pia.registration.status, Status::Approved);
    let entries = app.db.query(|c| csirt_meet::models::audit::recent(c, 5)).await.expect("audit");
    assert!(entries.iter().any(|e| e.action == "registration.approved" && e.actor_id == Some(rita_user.id)));

    // Every agenda page, as organizers read it.
    for path in [format!("/meetings/{SLUG}/agenda"), format!("/meetings/{SLUG}/changes")] {
        let res = rita.get(app.url(&path)).send().await.expect("sent");
        assert_eq!(res.status(), 200, "{path}");
    }

    // Nothing else of the console, and nothing that escalates.
    for path in [
        "/admin".to_owned(),
        "/admin/organizers".to_owned(),
        "/admin/teams".to_owned(),
        "/admin/meetings".to_owned(),
        format!("/admin/meetings/{SLUG}"),
        format!("/admin/meetings/{SLUG}/agenda"),
        format!("/admin/meetings/{SLUG}/invitations"),
        format!("/admin/meetings/{SLUG}/registrations.csv"),
        "/admin/mail".to_owned(),
        "/admin/audit".to_owned(),
    ] {
        let res = rita.get(app.url(&path)).send().await.expect("sent");
        assert_eq!(res.status(), 403, "{path}");
    }
    let invite = [("name", "Eve"), ("email", "eve@cert.example"), ("role", "organizer")];
    assert_eq!(app.post_form_with(&rita, "/admin/organizers/invite", &invite).await.status(), 403);
    let reset = format!("{queue}/{pending}/reset-second-factor");
    assert_eq!(app.post_form_with(&rita, &reset, &[("confirm", "yes")]).await.status(), 403);
    let now = app.clock.now_naive();
    let open = app.db.query(move |c| one_time_token::open_invitations(c, now)).await.expect("query");
    assert!(open.is_empty(), "the reviewer invited nobody");
}

#[tokio::test]
async fn an_invitation_with_an_unknown_role_is_refused_and_sends_nothing() {
    let app = spawn_app().await;
    app.login_as_organizer().await;
    let invite = [("name", "Rita Review"), ("email", "rita@cert.example"), ("role", "admin")];
    let res = app.post_form("/admin/organizers/invite", &invite).await;
    let page = refused_with(res, &[("role", "Choose organizer or reviewer.")]).await;
    assert!(page.contains(r#"value="Rita Review""#), "what was typed stays");
    let now = app.clock.now_naive();
    let open = app.db.query(move |c| one_time_token::open_invitations(c, now)).await.expect("query");
    assert!(open.is_empty(), "no invitation");
    assert_eq!(app.dispatch_pending_emails().await.sent, 0, "no mail");
}

#[tokio::test]
async fn an_organizer_disables_a_reviewer_who_then_cannot_sign_in() {
    let app = spawn_app().await;
    app.login_as_organizer().await;
    let reviewer = app.create_user("rita@cert.example", Role::Reviewer).await;
    let page = app.get("/admin/organizers").await.text().await.expect("body");
    assert!(page.contains("rita@cert.example") && page.contains("reviewer"), "{page}");
    let res = app.post_form(&format!("/admin/organizers/{}/disable", reviewer.id), &[]).await;
    assert_eq!(location(&res), "/admin/organizers?done=disabled");
    assert!(audit_actions(&app).await.iter().any(|a| a == "reviewer.disabled"));
    let res = app.login_with(&new_client(), &reviewer.email, PASSWORD).await;
    assert_ne!(res.status(), 303, "a disabled reviewer is not let in");
}

#[tokio::test]
async fn a_reviewer_keeps_two_step_sign_in() {
    let app = spawn_app().await;
    let reviewer = app.create_user("rita@cert.example", Role::Reviewer).await;
    app.sign_in_with(&app.client, &reviewer).await;
    let res = app.post_form("/me/second-factor/off", &[("off_current", PASSWORD)]).await;
    let page = res.text().await.expect("body");
    assert!(page.contains("Reviewers must keep two-step sign-in"), "{page}");
    let on = app.db.query(move |c| user::find(c, reviewer.id)).await.expect("query");
    assert!(on.has_second_factor());
}
