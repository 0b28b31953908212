//! The privacy purge: dietary and accessibility answers are deleted a set number of days
//! after the meeting's last day, by the function the server runs daily and by
//! `csirt-meet purge`; each run leaves an audit row.

use std::time::Duration;

use chrono::{NaiveDate, NaiveDateTime};
use csirt_meet::{
    db::{DatabaseUrl, Db, DbConnection, run_migrations},
    domain::registration::Status,
    models::{audit, meeting, registration},
    privacy,
};

use crate::{
    fixtures::{Account, MeetingRow, Person, Registration, Team, register},
    helpers::{TestDatabase, process::csirt_meet, spawn_app},
};

fn day(s: &str) -> NaiveDate {
    s.parse().expect("a date")
}

/// A two-day meeting starting on `first_day`, made directly (the form checks the FIRST
/// conference, which does not matter here).
fn add_meeting(
    c: &mut DbConnection,
    slug: &str,
    first_day: NaiveDate,
    now: NaiveDateTime,
) -> meeting::Meeting {
    MeetingRow::new(slug, first_day).insert_in(c, now).expect("meeting")
}

fn answers(c: &mut DbConnection, meeting_id: i64) -> Vec<(String, String)> {
    let rows = registration::for_meeting(c, meeting_id, None).expect("query");
    rows.into_iter().map(|r| (r.registration.dietary, r.registration.accessibility)).collect()
}

fn with_answers(name: &'static str, email: &'static str, status: Status) -> Person {
    Person::new(name, email, status).answers("halal", "step-free access")
}

#[tokio::test]
async fn the_purge_clears_only_meetings_past_the_limit_from_its_boundary_day_on() {
    let app = spawn_app().await;
    let team = Team::austria().insert(&app).await;
    let now = app.clock.now_naive();
    // Ends Sun 21 June 2026 and Sun 28 June 2026.
    let (june, later) = app
        .db
        .query(move |c| {
            Ok((
                add_meeting(c, "june", day("2026-06-20"), now),
                add_meeting(c, "later", day("2026-06-27"), now),
            ))
        })
        .await
        .expect("meetings");
    register(&app, june.id, team, with_answers("Anton", "anton@a.example", Status::Approved)).await;
    register(&app, june.id, team, with_answers("Astrid", "astrid@a.example", Status::Withdrawn)).await;
    register(&app, june.id, team, Person::new("Arno", "arno@a.example", Status::Approved)).await;
    register(&app, later.id, team, with_answers("Anton", "anton@a.example", Status::Approved)).await;

    let at = |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").expect("a time");
    let run = |now: NaiveDateTime| app.db.query(move |c| privacy::purge(c, 30, now));
    let done = run(at("2026-07-20 23:59")).await.expect("purge");
    assert_eq!(done.cleared, 0, "29 days after the last day the answers are kept");
    let done = run(at("2026-07-21 00:00")).await.expect("purge");
    assert_eq!((done.cleared, done.ended_by), (2, day("2026-06-21")), "30 days after: cleared");

    let (june_answers, later_answers) =
        app.db.query(move |c| Ok((answers(c, june.id), answers(c, later.id)))).await.expect("query");
    assert!(june_answers.iter().all(|(d, a)| d.is_empty() && a.is_empty()), "{june_answers:?}");
    assert_eq!(later_answers, [("halal".to_owned(), "step-free access".to_owned())], "not due yet");

    let entries = app.db.query(|c| audit::recent(c, 10)).await.expect("audit");
    let runs: Vec<_> = entries.iter().filter(|e| e.action == "privacy.purged").collect();
    assert_eq!(runs.len(), 2, "one audit row per run");
    assert!(runs[0].detail.contains("answers of 2 registrations"), "{}", runs[0].detail);
}

#[test]
fn csirt_meet_purge_clears_past_meetings_and_says_how_many() {
    let db = TestDatabase::create();
    let url = DatabaseUrl::parse(db.url()).expect("url");
    let pool = Db::connect(&url, 1, Duration::from_secs(5)).expect("connect");
    let mut conn = pool.get().expect("connection");
    run_migrations(&mut conn).expect("migrations");
    let now = chrono::Utc::now().naive_utc();
    let old = add_meeting(&mut conn, "natcsirt-2020", day("2020-06-20"), now);
    let future = add_meeting(&mut conn, "natcsirt-2099", day("2099-06-20"), now);
    let team = Team::austria().without_domains().insert_in(&mut conn, now).expect("team");
    for (m, email) in [(old.id, "a@cert-at.example"), (future.id, "b@cert-at.example")] {
        let user = Account::member(email).name("Member").insert_in(&mut conn, now).expect("user");
        let registration = Registration::new(Status::Approved).answers("vegan", "");
        registration.insert_in(&mut conn, (m, team, user.id), now).expect("registration");
    }
    drop(conn);

    let out = csirt_meet().arg("purge").env("DATABASE_URL", db.url()).output().expect("runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("Cleared the dietary and accessibility answers of 1 registration "), "{stdout}");
    assert!(stdout.contains("answers are kept 30 days"), "{stdout}");
    let mut conn = pool.get().expect("connection");
    assert_eq!(answers(&mut conn, old.id), [(String::new(), String::new())]);
    assert_eq!(answers(&mut conn, future.id), [("vegan".to_owned(), String::new())]);

    let again = csirt_meet().arg("purge").env("DATABASE_URL", db.url()).output().expect("runs");
    assert!(String::from_utf8_lossy(&again.stdout).contains("answers of 0 registrations"));
    let runs =
        audit::recent(&mut conn, 10).expect("audit").into_iter().filter(|e| e.action == "privacy.purged");
    assert_eq!(runs.count(), 2);
}
