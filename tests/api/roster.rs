//! The mailing list roster (issue 19, point 4): the approved attendees who opted in, per
//! meeting or across the latest N, one line per address with the meetings that put them
//! there, as a page and a CSV whose cells cannot run as formulas.

use chrono::NaiveDate;
use csirt_meet::{
    db::schema::users,
    domain::{registration::Status, states::Role},
    models::directory,
};
use diesel::prelude::*;

use crate::{
    fixtures::{MeetingRow, Registration, SLUG, Team, meeting_and_team},
    helpers::{TestApp, new_client, refused_with, spawn_app},
};

/// Registers `email` (made if missing, named `name`) for the meeting in `status`, with the
/// mailing list opt-in `mailing`.
async fn person(
    app: &TestApp,
    ids: (i64, i64),
    email: &'static str,
    name: &'static str,
    status: Status,
    mailing: bool,
) {
    let existing = app
        .db
        .query(move |c| {
            users::table.filter(users::email.eq(email)).select(users::id).first::<i64>(c).optional()
        })
        .await
        .expect("read");
    let user_id = match existing {
        Some(id) => id,
        None => app.create_user(email, Role::Member).await.id,
    };
    let id = Registration::new(status).insert(app, ids.0, ids.1, user_id).await;
    let now = app.clock.now_naive();
    app.db
        .query(move |c| {
            diesel::update(users::table.find(user_id)).set(users::name.eq(name)).execute(c)?;
            directory::set_sharing(c, id, false, mailing, now)
        })
        .await
        .expect("opt-in");
}

/// Denver 2026 (the fixtures' meeting) and Copenhagen 2025 before it, CERT Austria and a
/// team with a hostile name: Ana opted in at both, Bert (hostile name) at Denver, Cora
/// approved without opting in, Dan opted in but pending, Eve opted in at Copenhagen only.
async fn two_meetings(app: &TestApp) {
    let (m, austria) = meeting_and_team(app).await;
    let old = MeetingRow::new("natcsirt-2025", NaiveDate::from_ymd_opt(2025, 6, 14).expect("date"))
        .title("NatCSIRT 2025")
        .insert(app)
        .await
        .id;
    let hostile = Team::new("+Evil Team", "EVIL", "DE").insert(app).await;
    person(app, (m.id, austria), "ana@cert-at.example", "Ana Analyst", Status::Approved, true).await;
    person(app, (old, austria), "ana@cert-at.example", "Ana Analyst", Status::Approved, true).await;
    person(app, (m.id, hostile), "bert@evil.example", "=HYPERLINK(\"http://x\")", Status::Approved, true)
        .await;
    person(app, (m.id, austria), "cora@cert-at.example", "Cora Castro", Status::Approved, false).await;
    person(app, (m.id, austria), "dan@cert-at.example", "Dan Dorsey", Status::Pending, true).await;
    person(app, (old, austria), "eve@cert-at.example", "Eve Elder", Status::Approved, true).await;
}

#[tokio::test]
async fn a_meetings_roster_lists_its_opted_in_approved_attendees_with_why() {
    let app = spawn_app().await;
    two_meetings(&app).await;
    let hub = app.page_with(&app.client, &format!("/admin/meetings/{SLUG}")).await;
    assert!(hub.contains(&format!(r#"href="/admin/roster?meeting={SLUG}""#)), "linked from the hub");
    assert!(
        app.page_with(&app.client, "/admin").await.contains(r#"href="/admin/roster""#),
        "and the console"
    );

    let page = app.page_with(&app.client, &format!("/admin/roster?meeting={SLUG}")).await;
    assert!(page.contains("Ana Analyst") && page.contains("ana@cert-at.example"));
    assert!(page.contains("bert@evil.example") && page.contains("+Evil Team"));
    for absent in ["cora@", "dan@", "eve@"] {
        assert!(!page.contains(absent), "{absent} is not on it");
    }
    assert!(page.contains("2 on the roster."));
    assert!(page.contains(&format!("/admin/roster.csv?meeting={SLUG}")));
    let res = app.get(&format!("/admin/roster.csv?meeting={SLUG}")).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "text/csv; charset=utf-8");
    let csv = res.text().await.expect("body");
    let mut lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.remove(0), "email,name,team,country");
    lines.sort_unstable();
    assert_eq!(
        lines,
        [
            "ana@cert-at.example,Ana Analyst,CERT Austria,AT",
            "bert@evil.example,\"'=HYPERLINK(\"\"http://x\"\")\",'+Evil Team,DE",
        ]
    );
}

#[tokio::test]
async fn the_roster_of_the_latest_meetings_has_one_line_per_address() {
    let app = spawn_app().await;
    two_meetings(&app).await;
    let page = app.page_with(&app.client, "/admin/roster?last=2").await;
    assert!(page.contains("NatCSIRT 2025") && page.contains("3 on the roster."), "{page}");
    let row =
        page.split("ana@cert-at.example").nth(1).and_then(|r| r.split("</tr>").next()).expect("Ana's row");
    assert!(row.contains("NatCSIRT 2025"), "why: both meetings' opt-ins: {row}");
    assert_eq!(page.matches("ana@cert-at.example").count(), 1);
    let csv = app.get("/admin/roster.csv?last=2").await.text().await.expect("body");
    assert_eq!(csv.matches("ana@cert-at.example").count(), 1, "{csv}");
    assert!(csv.contains("eve@cert-at.example,Eve Elder,CERT Austria,AT"));

    // The latest meeting alone is the default.
    let page = app.page_with(&app.client, "/admin/roster").await;
    assert!(page.contains("2 on the roster.") && !page.contains("eve@"));
}

#[tokio::test]
async fn a_bad_number_of_meetings_is_refused_with_a_message() {
    let app = spawn_app().await;
    two_meetings(&app).await;
    for last in ["0", "abc", "51", "-1"] {
        for path in ["/admin/roster", "/admin/roster.csv"] {
            let res = app.get(&format!("{path}?last={last}")).await;
            let page = refused_with(res, &[("last", "Give a whole number of meetings from 1 to 50.")]).await;
            assert!(!page.contains("ana@cert-at.example"), "{path}?last={last}");
        }
    }
    assert_eq!(app.get("/admin/roster?meeting=no-such-meeting").await.status(), 404);
}

#[tokio::test]
async fn only_organizers_read_the_roster() {
    let app = spawn_app().await;
    two_meetings(&app).await;
    let member = app.create_user("ana2@cert-at.example", Role::Member).await;
    let client = new_client();
    app.sign_in_with(&client, &member).await;
    for path in ["/admin/roster", "/admin/roster.csv?last=2"] {
        let res = client.get(app.url(path)).send().await.expect("sent");
        assert_eq!(res.status(), 403, "{path}");
        assert!(!res.text().await.expect("body").contains("ana@cert-at.example"));
    }
}
