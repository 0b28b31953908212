//! The approved attendees as CSV: organizers only, a download, formula cells neutralised.

use csirt_meet::domain::registration::Status;

use crate::{
    fixtures::{Person, SLUG, Team, meeting_and_team, register},
    helpers::spawn_app,
};

#[tokio::test]
async fn organizers_download_the_approved_attendees_as_csv() {
    let app = spawn_app().await;
    let (m, austria) = meeting_and_team(&app).await;
    let belgium = Team::new("CERT.be", "CERT.be", "BE").insert(&app).await;
    let approved = |name, email| Person::new(name, email, Status::Approved).answers("vegan", "");
    register(&app, m.id, austria, approved("Anton", "anton@a.example")).await;
    register(&app, m.id, austria, Person::new("Pia Pending", "pia@a.example", Status::Pending)).await;
    register(&app, m.id, austria, Person::new("Willi Waitlisted", "willi@a.example", Status::Waitlisted))
        .await;
    let evil = Person::new("-Bram", "bram@b.example", Status::Approved)
        .answers("=HYPERLINK(\"http://evil.example\",\"x\")", "@SUM(1+1)");
    register(&app, m.id, belgium, evil).await;

    let res = app.get(&format!("/admin/meetings/{SLUG}/registrations.csv")).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "text/csv; charset=utf-8");
    assert_eq!(
        res.headers()["content-disposition"],
        "attachment; filename=\"natcsirt-2026-approved-attendees.csv\""
    );
    let body = res.text().await.expect("body");
    let lines: Vec<&str> = body.lines().collect();
    assert_eq!(
        lines,
        [
            "name,team,country,role,dietary,accessibility",
            "Anton,CERT Austria,AT,Incident handler,vegan,",
            "'-Bram,CERT.be,BE,Incident handler,\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\",'@SUM(1+1)",
        ],
        "approved people only, by team; formula cells start with an apostrophe"
    );
}

#[tokio::test]
async fn members_cannot_download_the_attendee_csv() {
    let app = spawn_app().await;
    let (_, _) = meeting_and_team(&app).await;
    let member = crate::helpers::new_client();
    let user = app.create_user("someone@cert.example", csirt_meet::domain::states::Role::Member).await;
    app.sign_in_with(&member, &user).await;
    let res =
        member.get(app.url(&format!("/admin/meetings/{SLUG}/registrations.csv"))).send().await.expect("sent");
    assert_eq!(res.status(), 403);
    let anonymous = crate::helpers::new_client();
    let res = anonymous
        .get(app.url(&format!("/admin/meetings/{SLUG}/registrations.csv")))
        .send()
        .await
        .expect("sent");
    assert_eq!(res.status(), 303, "anonymous visitors are sent to sign in");
}
