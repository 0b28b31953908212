//! The review queue's filters and bulk decisions: a bulk approval fills the team's cap in
//! list order and names each registration it refused; each decision is audited and mailed.

use csirt_meet::domain::registration::Status;

use crate::{
    fixtures::{Person, SLUG, Team, audit_actions, meeting_and_team, pending, register, registrations},
    helpers::{location, refused_with, spawn_app},
};

fn queue() -> String {
    format!("/admin/meetings/{SLUG}/registrations")
}

fn bulk_form<'a>(decision: &'a str, reason: &'a str, ids: &'a [String]) -> Vec<(&'a str, &'a str)> {
    // As sent by the confirmation page's button (a bulk rejection asks first).
    let mut form = vec![("decision", decision), ("reason", reason), ("confirm", "yes")];
    form.extend(ids.iter().map(|id| ("ids", id.as_str())));
    form
}

fn strings(ids: &[i64]) -> Vec<String> {
    ids.iter().map(i64::to_string).collect()
}

#[tokio::test]
async fn a_bulk_approval_fills_the_cap_in_list_order_and_names_each_refusal() {
    let app = spawn_app().await;
    let (m, team_id) = meeting_and_team(&app).await;
    let names = ["Ana", "Ben", "Cleo", "Dan", "Eva"];
    let ids = strings(&pending(&app, m.id, team_id, &names).await);

    let res = app.post_form(&format!("{}/bulk", queue()), &bulk_form("approve", "", &ids)).await;
    assert_eq!(res.status(), 200, "the page reports what was done and what was refused");
    let page = res.text().await.expect("body");
    assert!(page.contains("3 registrations approved</strong>: Ana, Ben, Cleo"), "{page}");
    assert!(page.contains("2 refused"));
    for name in ["Dan", "Eva"] {
        assert!(page.contains(&format!("<li>{name}: This team already has 3 approved attendees")), "{name}");
    }
    assert!(page.contains("Waitlist these 2 registrations instead"));

    let rows = registrations(&app, m.id).await;
    let status_of =
        |name: &str| rows.iter().find(|r| r.name == name).expect("row").registration.status.as_str();
    assert_eq!(names.map(status_of), ["approved", "approved", "approved", "pending", "pending"]);
    let audited = audit_actions(&app).await.into_iter().filter(|a| a == "registration.approved").count();
    assert_eq!(audited, 3);
    assert_eq!(
        app.dispatch_pending_emails().await.sent,
        6,
        "the approval email and the calendar invite each"
    );

    // The offer waitlists the two refused registrations.
    let offer: Vec<String> = ids[3..].to_vec();
    let res = app.post_form(&format!("{}/bulk", queue()), &bulk_form("waitlist", "", &offer)).await;
    assert_eq!(location(&res), format!("{}?status=&team=&country=&done=bulk-decided", queue()));
    let rows = registrations(&app, m.id).await;
    let waitlisted = rows.iter().filter(|r| r.registration.status == Status::Waitlisted).count();
    assert_eq!(waitlisted, 2);
    app.dispatch_pending_emails().await;
    let subjects: Vec<String> = app.emails().iter().filter_map(|m| m.subject().map(str::to_owned)).collect();
    assert_eq!(subjects.iter().filter(|s| s.ends_with(": waitlisted")).count(), 2);
}

#[tokio::test]
async fn approving_one_past_the_cap_offers_to_waitlist_it() {
    let app = spawn_app().await;
    let (m, _) = meeting_and_team(&app).await;
    let small = Team::new("CERT Lilliput", "CERT.li", "LI").cap(1).insert(&app).await;
    let ids = pending(&app, m.id, small, &["Ana", "Ben"]).await;
    let path = |id: i64| format!("{}/{id}/decision", queue());
    assert_eq!(app.post_form(&path(ids[0]), &[("decision", "approve")]).await.status(), 303);
    let res = app.post_form(&path(ids[1]), &[("decision", "approve")]).await;
    assert_eq!(res.status(), 422);
    let page = res.text().await.expect("body");
    assert!(page.contains("This team already has 1 approved attendee, its cap"));
    assert!(page.contains("Waitlist this registration instead"));
    let offer = r#"value="waitlist"><button type="submit">Waitlist this registration instead"#;
    assert!(page.contains(offer), "the offer is on the refused one's page");
    let res = app.post_form(&path(ids[1]), &[("decision", "waitlist")]).await;
    assert_eq!(res.status(), 303);
}

#[tokio::test]
async fn a_bulk_rejection_needs_a_reason_and_mails_it_to_each_person() {
    let app = spawn_app().await;
    let (m, team_id) = meeting_and_team(&app).await;
    let ids = strings(&pending(&app, m.id, team_id, &["Ana", "Ben"]).await);
    let res = app.post_form(&format!("{}/bulk", queue()), &bulk_form("reject", " ", &ids)).await;
    let page =
        refused_with(res, &[("bulk-reason", "Give a reason: each person receives it by email.")]).await;
    for name in ["Ana", "Ben"] {
        assert!(page.contains(&format!(r#"aria-label="Select {name}" checked>"#)), "{name} stays checked");
    }
    assert!(page.contains(r#"value="reject" form="bulk" checked"#), "the decision is kept");
    assert!(registrations(&app, m.id).await.iter().all(|r| r.registration.status == Status::Pending));

    let res =
        app.post_form(&format!("{}/bulk", queue()), &bulk_form("reject", "Not a team member", &ids)).await;
    assert_eq!(res.status(), 303);
    assert!(registrations(&app, m.id).await.iter().all(|r| r.registration.status == Status::Rejected));
    assert_eq!(audit_actions(&app).await.iter().filter(|a| *a == "registration.rejected").count(), 2);
    app.dispatch_pending_emails().await;
    let mails = app.emails();
    assert_eq!(mails.len(), 2);
    assert!(mails.iter().all(|m| m.body_text(0).expect("text").contains("Not a team member")));
}

#[tokio::test]
async fn a_bulk_decision_without_checked_rows_changes_nothing() {
    let app = spawn_app().await;
    let (m, team_id) = meeting_and_team(&app).await;
    pending(&app, m.id, team_id, &["Ana"]).await;
    let res = app.post_form(&format!("{}/bulk", queue()), &[("decision", "approve")]).await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.expect("body").contains("Select at least one registration."));
    let res = app.post_form(&format!("{}/bulk", queue()), &bulk_form("revoke", "x", &["1".into()])).await;
    assert_eq!(res.status(), 422, "revoking is one at a time");
    assert_eq!(registrations(&app, m.id).await[0].registration.status, Status::Pending);
}

#[tokio::test]
async fn the_queue_filters_by_status_team_and_country() {
    let app = spawn_app().await;
    let (m, austria) = meeting_and_team(&app).await;
    let belgium = Team::new("CERT.be", "CERT.be", "BE").insert(&app).await;
    register(&app, m.id, austria, Person::new("Anton", "anton@a.example", Status::Pending)).await;
    register(&app, m.id, austria, Person::new("Astrid", "astrid@a.example", Status::Approved)).await;
    register(&app, m.id, belgium, Person::new("Bram", "bram@b.example", Status::Pending)).await;

    let shown = |query: String| {
        let app = &app;
        async move {
            let page = app.get(&format!("{}?{query}", queue())).await.text().await.expect("body");
            ["Anton", "Astrid", "Bram"].into_iter().filter(|n| page.contains(n)).collect::<Vec<_>>()
        }
    };
    assert_eq!(shown(String::new()).await, ["Anton", "Astrid", "Bram"]);
    assert_eq!(shown("status=pending".into()).await, ["Anton", "Bram"]);
    assert_eq!(shown(format!("team={austria}")).await, ["Anton", "Astrid"]);
    assert_eq!(shown("country=be".into()).await, ["Bram"]);
    assert_eq!(shown(format!("status=approved&team={austria}")).await, ["Astrid"]);
    assert_eq!(shown("country=AT&status=rejected".into()).await, Vec::<&str>::new());
    assert_eq!(
        shown("status=nonsense&team=x".into()).await,
        ["Anton", "Astrid", "Bram"],
        "unknown values are ignored"
    );
}

#[tokio::test]
async fn members_cannot_decide_in_bulk() {
    let app = spawn_app().await;
    app.login_as_member().await;
    let res = app.post_form(&format!("{}/bulk", queue()), &[("decision", "approve"), ("ids", "1")]).await;
    assert_eq!(res.status(), 403);
}
