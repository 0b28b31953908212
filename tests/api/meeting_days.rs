//! The meeting days (issue 15, point 8): the door list and the badge sheet (approved people
//! only, by team country then name), the badge name an approved attendee chooses, and the
//! check-in page: search, mark arrived on the meeting's local day, undo, the counts, and
//! every refusal writing nothing.

use chrono::{TimeZone as _, Utc};
use csirt_meet::{
    domain::{registration::Status, states::Role},
    models::{checkin, meeting::Meeting, registration},
};

use crate::{
    fixtures::{
        MeetingRow, Person, Registration, SLUG, Team, audit_actions, create_meeting, meeting_and_team,
        register, signed_in_attendee,
    },
    helpers::{TestApp, TestUser, csrf_in, error_summary, location, new_client, refused_with, spawn_app},
};

/// Moves the test clock to `at` (UTC) and signs `who` in again with `client` (the move
/// outlasts every session).
async fn move_to(
    app: &TestApp,
    (y, mo, d, h): (i32, u32, u32, u32),
    client: &reqwest::Client,
    who: &TestUser,
) {
    let at = Utc.with_ymd_and_hms(y, mo, d, h, 0, 0).single().expect("time");
    app.clock.advance(at - app.clock.now());
    app.sign_in_with(client, who).await;
}

/// 10:00 in Denver on the meeting's first day, Sat 20 June 2026.
const FIRST_DAY_MORNING: (i32, u32, u32, u32) = (2026, 6, 20, 16);

async fn text(app: &TestApp, path: &str) -> String {
    let res = app.get(path).await;
    assert_eq!(res.status(), 200, "{path}");
    res.text().await.expect("body")
}

/// The organizer (signed in on `app.client`), the meeting with people of two countries in
/// every status that must not be printed, and three approved (ids of Zoe Adler, Bernd
/// Berger, Ana Ñandú).
struct Door {
    organizer: TestUser,
    m: Meeting,
    ids: [i64; 3],
}

async fn door_people(app: &TestApp) -> Door {
    let organizer = app.login_as_organizer().await;
    let m = create_meeting(app, &[]).await;
    let austria = Team::austria().insert(app).await;
    let germany = Team::new("CERT-Bund", "CERT-Bund", "DE").insert(app).await;
    let zoe =
        register(app, m.id, austria, Person::new("zoe Adler", "zoe@cert-at.example", Status::Approved)).await;
    let bernd = register(
        app,
        m.id,
        germany,
        Person::new("Bernd Berger", "bernd@cert-bund.example", Status::Approved),
    )
    .await;
    let ana =
        register(app, m.id, austria, Person::new("Ana Ñandú", "ana@cert-at.example", Status::Approved)).await;
    for (name, email, status) in [
        ("Paula Pending", "paula@cert-at.example", Status::Pending),
        ("Walter Waitlisted", "walter@cert-at.example", Status::Waitlisted),
        ("Rita Rejected", "rita@cert-bund.example", Status::Rejected),
        ("Willa Withdrawn", "willa@cert-bund.example", Status::Withdrawn),
        ("Rob Revoked", "rob@cert-at.example", Status::Revoked),
    ] {
        let team = if email.ends_with("cert-at.example") { austria } else { germany };
        register(app, m.id, team, Person::new(name, email, status)).await;
    }
    Door { organizer, m, ids: [zoe, bernd, ana] }
}

/// Where each of `names` first appears in `page`, in that order (panics if one is missing).
fn positions(page: &str, names: &[&str]) -> Vec<usize> {
    names.iter().map(|n| page.find(n).unwrap_or_else(|| panic!("{n} is listed: {page}"))).collect()
}

const NOT_APPROVED: [&str; 5] =
    ["Paula Pending", "Walter Waitlisted", "Rita Rejected", "Willa Withdrawn", "Rob Revoked"];

#[tokio::test]
async fn the_door_list_and_the_badges_show_only_approved_people_by_country_then_name() {
    let app = spawn_app().await;
    door_people(&app).await;
    let hub = text(&app, &format!("/admin/meetings/{SLUG}")).await;
    for link in ["door-list", "badges", "checkin"] {
        assert!(
            hub.contains(&format!(r#"href="/admin/meetings/{SLUG}/{link}""#)),
            "the hub links {link}: {hub}"
        );
    }

    let door = text(&app, &format!("/admin/meetings/{SLUG}/door-list")).await;
    assert!(door.contains(r#"<body class="printout-door-list">"#), "{door}");
    assert!(door.contains(r#"<th scope="col" class="arrived">Arrived</th>"#), "{door}");
    assert!(door.contains("3 approved attendees"), "{door}");
    // AT before DE; inside AT "Ana" before "zoe" whatever the case.
    let at = positions(&door, &["Ana Ñandú", "zoe Adler", "Bernd Berger"]);
    assert!(at.windows(2).all(|w| w[0] < w[1]), "country, then name: {door}");
    assert!(
        door.contains("<td>Bernd Berger</td><td>Bernd Berger</td><td>CERT-Bund</td><td>DE</td>"),
        "{door}"
    );
    assert_eq!(door.matches(r#"<span class="tick-box"></span>"#).count(), 3, "{door}");

    let badges = text(&app, &format!("/admin/meetings/{SLUG}/badges")).await;
    assert!(badges.contains(r#"<body class="printout-badges">"#), "{badges}");
    assert_eq!(badges.matches(r#"<article class="badge">"#).count(), 3, "{badges}");
    let order = positions(&badges, &["Ana Ñandú", "zoe Adler", "Bernd Berger"]);
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{badges}");
    for name in NOT_APPROVED {
        assert!(!door.contains(name) && !badges.contains(name), "{name} is not approved");
    }
}

#[tokio::test]
async fn the_badge_sheet_puts_ten_badges_on_each_printed_page() {
    let app = spawn_app().await;
    let (m, austria) = meeting_and_team(&app).await;
    for n in 0..11 {
        let email: &'static str = format!("p{n}@cert-at.example").leak();
        let name: &'static str = format!("Person {n:02}").leak();
        register(&app, m.id, austria, Person::new(name, email, Status::Approved)).await;
    }
    let badges = text(&app, &format!("/admin/meetings/{SLUG}/badges")).await;
    let sheets: Vec<&str> = badges.split(r#"<section class="badge-sheet""#).skip(1).collect();
    assert_eq!(sheets.len(), 2, "{badges}");
    assert_eq!(sheets[0].matches(r#"<article class="badge">"#).count(), 10);
    assert_eq!(sheets[1].matches(r#"<article class="badge">"#).count(), 1);
    assert!(
        badges.contains("11 badges for the approved attendees") && badges.contains("on 2 A4 pages"),
        "{badges}"
    );
}

#[tokio::test]
async fn an_approved_attendee_chooses_a_badge_name_that_the_printouts_show() {
    let app = spawn_app().await;
    let (m, austria) = meeting_and_team(&app).await;
    let (_, client, id) =
        signed_in_attendee(&app, m.id, austria, "ana@cert-at.example", Registration::new(Status::Approved))
            .await;
    let page = client.get(app.url(&format!("/me/registrations/{id}"))).send().await.expect("sent");
    let page = page.text().await.expect("body");
    assert!(page.contains("Name on your badge") && page.contains(&user_name_hint()), "{page}");

    let res = app
        .post_form_with(&client, &format!("/me/registrations/{id}/badge"), &[("badge_name", "  Ana  ")])
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(location(&res), format!("/me/registrations/{id}?done=badge-saved"));
    assert_eq!(stored(&app, id).await.badge_name.as_deref(), Some("Ana"));
    assert!(audit_actions(&app).await.contains(&"registration.badge_name_changed".to_owned()));
    let door = text(&app, &format!("/admin/meetings/{SLUG}/door-list")).await;
    assert!(door.contains(&format!("<td>{}</td><td>Ana</td>", ACCOUNT_NAME)), "{door}");
    let badges = text(&app, &format!("/admin/meetings/{SLUG}/badges")).await;
    assert!(badges.contains(r#"<p class="badge-name">Ana</p>"#), "{badges}");
    assert!(badges.contains(&format!(r#"<p class="badge-full-name">{}</p>"#, ACCOUNT_NAME)), "{badges}");

    // Emptied, the badge shows the account's name again.
    let res =
        app.post_form_with(&client, &format!("/me/registrations/{id}/badge"), &[("badge_name", " ")]).await;
    assert_eq!(res.status(), 303);
    assert_eq!(stored(&app, id).await.badge_name, None);
    let badges = text(&app, &format!("/admin/meetings/{SLUG}/badges")).await;
    assert!(badges.contains(&format!(r#"<p class="badge-name">{}</p>"#, ACCOUNT_NAME)), "{badges}");
}

/// The name of the accounts `signed_in_attendee` makes.
const ACCOUNT_NAME: &str = "Test Person";

fn user_name_hint() -> String {
    "Leave it empty to print your name as on your account".to_owned()
}

async fn stored(app: &TestApp, id: i64) -> registration::Registration {
    app.db.query(move |c| registration::find(c, id)).await.expect("registration")
}

#[tokio::test]
async fn a_badge_name_too_long_or_with_a_control_character_is_refused_beside_the_field() {
    let app = spawn_app().await;
    let (m, austria) = meeting_and_team(&app).await;
    let (_, client, id) =
        signed_in_attendee(&app, m.id, austria, "ana@cert-at.example", Registration::new(Status::Approved))
            .await;
    let path = format!("/me/registrations/{id}/badge");
    let long = "A".repeat(41);
    let res = app.post_form_with(&client, &path, &[("badge_name", &long)]).await;
    let page = refused_with(res, &[("badge_name", "at most 40 characters")]).await;
    assert!(page.contains(&format!(r#"value="{long}""#)), "the input is kept: {page}");
    // A tab passes the request's control-character backstop, which refuses only the others.
    let res = app.post_form_with(&client, &path, &[("badge_name", "Ana\tB")]).await;
    refused_with(res, &[("badge_name", "Keep this on one line")]).await;
    let res = app.post_form_with(&client, &path, &[("badge_name", "Ana\u{202e}")]).await;
    refused_with(res, &[("badge_name", "invisible formatting character")]).await;
    assert_eq!(stored(&app, id).await.badge_name, None, "nothing written");
    assert!(!audit_actions(&app).await.contains(&"registration.badge_name_changed".to_owned()));
}

#[tokio::test]
async fn only_an_approved_attendee_before_the_meeting_chooses_a_badge_name() {
    let app = spawn_app().await;
    let (m, austria) = meeting_and_team(&app).await;
    let (_, pending, pid) =
        signed_in_attendee(&app, m.id, austria, "pia@cert-at.example", Registration::new(Status::Pending))
            .await;
    let page = pending.get(app.url(&format!("/me/registrations/{pid}"))).send().await.expect("sent");
    assert!(!page.text().await.expect("body").contains("Name on your badge"));
    let res = app
        .post_form_with(&pending, &format!("/me/registrations/{pid}/badge"), &[("badge_name", "Pia")])
        .await;
    assert_eq!(res.status(), 422);
    let page = res.text().await.expect("body");
    assert!(
        error_summary(&page).contains("Only approved attendees choose the name on their badge"),
        "{page}"
    );
    assert_eq!(stored(&app, pid).await.badge_name, None);

    let (ana, client, id) =
        signed_in_attendee(&app, m.id, austria, "ana@cert-at.example", Registration::new(Status::Approved))
            .await;
    move_to(&app, FIRST_DAY_MORNING, &client, &ana).await;
    let res =
        app.post_form_with(&client, &format!("/me/registrations/{id}/badge"), &[("badge_name", "Ana")]).await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.expect("body").contains("can no longer be changed here"));
    assert_eq!(stored(&app, id).await.badge_name, None);
}

async fn checkin_page(app: &TestApp, q: &str) -> String {
    let res =
        app.client.get(app.url(&format!("/admin/meetings/{SLUG}/checkin"))).query(&[("q", q)]).send().await;
    let res = res.expect("sent");
    assert_eq!(res.status(), 200);
    res.text().await.expect("body")
}

async fn mark(app: &TestApp, client: &reqwest::Client, id: i64, what: &str) -> reqwest::Response {
    let path = format!("/admin/meetings/{SLUG}/checkin/{id}{what}");
    app.post_form_with(client, &path, &[("q", "ana")]).await
}

async fn checkins(app: &TestApp, meeting_id: i64) -> Vec<(i64, chrono::NaiveDate)> {
    let rows = app.db.query(move |c| checkin::of_meeting(c, meeting_id)).await.expect("query");
    rows.into_iter().map(|(r, d, _)| (r, d)).collect()
}

fn day(d: u32) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 6, d).expect("date")
}

#[tokio::test]
async fn the_search_finds_people_by_account_or_badge_name_in_any_case() {
    let app = spawn_app().await;
    let Door { ids: [zoe, bernd, ana], .. } = door_people(&app).await;
    app.db
        .query(move |c| {
            registration::set_badge_name(c, bernd, Some("Bernie"), chrono::NaiveDateTime::default())
        })
        .await
        .expect("badge name");
    let page = checkin_page(&app, "ÑANDÚ").await;
    assert!(page.contains("Ana Ñandú") && !page.contains("zoe Adler"), "{page}");
    assert!(page.contains(&format!(r#"action="/admin/meetings/{SLUG}/checkin/{ana}""#)), "{page}");
    let page = checkin_page(&app, "ZOE").await;
    assert!(page.contains(&format!("/checkin/{zoe}\"")), "{page}");
    let page = checkin_page(&app, "bernie").await;
    assert!(page.contains("Bernd Berger") && page.contains("(badge: Bernie)"), "{page}");
    // Someone not approved is found, marked as such, without a button.
    let page = checkin_page(&app, "walter").await;
    assert!(page.contains("Not approved: waitlisted. Do not check in."), "{page}");
    assert!(!page.contains("Mark arrived"), "{page}");
    let page = checkin_page(&app, "nobody").await;
    assert!(page.contains("Nobody registered for this meeting matches"), "{page}");
}

#[tokio::test]
async fn marking_arrived_counts_on_the_meetings_local_day_and_undo_takes_it_back() {
    let app = spawn_app().await;
    let Door { organizer, m, ids: [_, _, ana] } = door_people(&app).await;
    // 03:00 UTC on Sunday is still Saturday 21:00 in Denver: the first day.
    move_to(&app, (2026, 6, 21, 3), &app.client, &organizer).await;
    let res = mark(&app, &app.client, ana, "").await;
    assert_eq!(res.status(), 303);
    assert_eq!(location(&res), format!("/admin/meetings/{SLUG}/checkin?q=ana&done=checked-in"));
    assert_eq!(checkins(&app, m.id).await, [(ana, day(20))]);
    assert_eq!(audit_actions(&app).await[0], "checkin.arrived");

    let page = checkin_page(&app, "ana").await;
    assert!(
        page.contains("<strong>Today, Sat 20 June 2026</strong>: <span class=\"count\">1 of 3</span>"),
        "{page}"
    );
    assert!(page.contains("Sun 21 June 2026: <span class=\"count\">0 of 3</span>"), "{page}");
    assert!(page.contains("Arrived today at 21:00") && page.contains("Undo arrival"), "{page}");

    // The next day counts on its own; undoing it leaves the first day's arrival.
    move_to(&app, (2026, 6, 21, 16), &app.client, &organizer).await;
    assert_eq!(mark(&app, &app.client, ana, "").await.status(), 303);
    let page = checkin_page(&app, "ana").await;
    assert!(page.contains("Sat 20 June 2026: <span class=\"count\">1 of 3</span>"), "{page}");
    assert!(
        page.contains("<strong>Today, Sun 21 June 2026</strong>: <span class=\"count\">1 of 3</span>"),
        "{page}"
    );
    let res = mark(&app, &app.client, ana, "/undo").await;
    assert_eq!(location(&res), format!("/admin/meetings/{SLUG}/checkin?q=ana&done=checkin-undone"));
    assert_eq!(checkins(&app, m.id).await, [(ana, day(20))]);
    assert_eq!(audit_actions(&app).await[0], "checkin.undone");
    // Nothing left to undo today: said so, nothing written.
    let res = mark(&app, &app.client, ana, "/undo").await;
    assert_eq!(location(&res), format!("/admin/meetings/{SLUG}/checkin?q=ana&done=checkin-not-there"));
    assert_eq!(audit_actions(&app).await[0], "checkin.undone");
    assert_eq!(audit_actions(&app).await.iter().filter(|a| a.starts_with("checkin.")).count(), 3);
}

#[tokio::test]
async fn checking_in_outside_the_meeting_days_is_refused_and_writes_nothing() {
    let app = spawn_app().await;
    let Door { organizer, m, ids: [_, _, ana] } = door_people(&app).await;
    // The test clock stands at 1 May 2026.
    let page = checkin_page(&app, "ana").await;
    assert!(page.contains("Check-in opens on the meeting&#x27;s first day, Sat 20 June 2026"), "{page}");
    let res = mark(&app, &app.client, ana, "").await;
    assert_eq!(res.status(), 422);
    let page = res.text().await.expect("body");
    assert!(error_summary(&page).contains("Check-in opens on the meeting&#x27;s first day"), "{page}");
    // Monday 22 June, 10:00 in Denver: the meeting is over.
    move_to(&app, (2026, 6, 22, 16), &app.client, &organizer).await;
    let res = mark(&app, &app.client, ana, "").await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.expect("body").contains("The meeting ended on Sun 21 June 2026"));
    assert_eq!(mark(&app, &app.client, ana, "/undo").await.status(), 422);
    assert!(checkins(&app, m.id).await.is_empty());
    assert!(!audit_actions(&app).await.iter().any(|a| a.starts_with("checkin.")));
}

#[tokio::test]
async fn checking_in_someone_not_approved_is_refused_and_writes_nothing() {
    let app = spawn_app().await;
    let organizer = app.login_as_organizer().await;
    let m = create_meeting(&app, &[]).await;
    let austria = Team::austria().insert(&app).await;
    let walter = register(
        &app,
        m.id,
        austria,
        Person::new("Walter Waitlisted", "walter@cert-at.example", Status::Waitlisted),
    )
    .await;
    move_to(&app, FIRST_DAY_MORNING, &app.client, &organizer).await;
    let res = mark(&app, &app.client, walter, "").await;
    assert_eq!(res.status(), 422);
    let page = res.text().await.expect("body");
    assert!(
        error_summary(&page)
            .contains("Walter Waitlisted is not approved for this meeting (status: waitlisted)"),
        "{page}"
    );
    assert!(checkins(&app, m.id).await.is_empty());
    assert!(!audit_actions(&app).await.iter().any(|a| a.starts_with("checkin.")));
    // A registration of another meeting is not found through this one.
    let other = other_meeting_attendee(&app).await;
    let res = mark(&app, &app.client, other, "").await;
    assert_eq!(res.status(), 404);
}

/// An approved registration for a second meeting on the same days.
async fn other_meeting_attendee(app: &TestApp) -> i64 {
    let m = MeetingRow::new("other-2026", day(20)).insert(app).await;
    let team = Team::austria().insert(app).await;
    register(app, m.id, team, Person::new("Olga Other", "olga@cert-at.example", Status::Approved)).await
}

#[tokio::test]
async fn two_organizers_marking_the_same_person_at_once_count_them_once() {
    let app = spawn_app().await;
    let Door { organizer, m, ids: [_, _, ana] } = door_people(&app).await;
    let second = app.create_user("door@cert.example", Role::Organizer).await;
    let other = new_client();
    move_to(&app, FIRST_DAY_MORNING, &app.client, &organizer).await;
    app.sign_in_with(&other, &second).await;
    // Both pages are open; both organizers press at the same moment.
    let path = app.url(&format!("/admin/meetings/{SLUG}/checkin/{ana}"));
    let mut presses = Vec::new();
    for client in [&app.client, &other] {
        let page =
            client.get(app.url(&format!("/admin/meetings/{SLUG}/checkin?q=ana"))).send().await.expect("sent");
        let token = csrf_in(&page.text().await.expect("body"));
        presses.push(client.post(&path).form(&[("q", "ana"), ("csrf_token", token.as_str())]).send());
    }
    let (b, a) = (presses.pop().expect("two"), presses.pop().expect("two"));
    let (a, b) = tokio::join!(a, b);
    let (a, b) = (a.expect("sent"), b.expect("sent"));
    let mut done = [location(&a), location(&b)];
    done.sort();
    assert_eq!(
        done,
        [
            format!("/admin/meetings/{SLUG}/checkin?q=ana&done=checked-in"),
            format!("/admin/meetings/{SLUG}/checkin?q=ana&done=checked-in-already"),
        ]
    );
    assert_eq!(checkins(&app, m.id).await, [(ana, day(20))]);
    assert_eq!(audit_actions(&app).await.iter().filter(|a| *a == "checkin.arrived").count(), 1);
    let page = checkin_page(&app, "ana").await;
    assert!(page.contains("<span class=\"count\">1 of 3</span>"), "{page}");
}

#[tokio::test]
async fn the_attendees_own_data_holds_their_badge_name_and_the_days_they_arrived() {
    let app = spawn_app().await;
    let organizer = app.login_as_organizer().await;
    let m = create_meeting(&app, &[]).await;
    let austria = Team::austria().insert(&app).await;
    let (ana, client, id) =
        signed_in_attendee(&app, m.id, austria, "ana@cert-at.example", Registration::new(Status::Approved))
            .await;
    let res =
        app.post_form_with(&client, &format!("/me/registrations/{id}/badge"), &[("badge_name", "Ana")]).await;
    assert_eq!(res.status(), 303);
    move_to(&app, FIRST_DAY_MORNING, &app.client, &organizer).await;
    let path = format!("/admin/meetings/{SLUG}/checkin/{id}");
    assert_eq!(app.post_form(&path, &[("q", "")]).await.status(), 303);

    app.sign_in_with(&client, &ana).await;
    let data = client.get(app.url("/me/privacy/data.json")).send().await.expect("sent");
    let data: serde_json::Value = data.json().await.expect("JSON");
    let registration = &data["registrations"][0];
    assert_eq!(registration["badge_name"], "Ana", "{data}");
    assert_eq!(registration["arrived_on"], serde_json::json!(["2026-06-20"]), "{data}");
}
