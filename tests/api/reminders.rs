//! Reminders before a meeting: 7 and 1 days before (or the days the organizers chose), at
//! 08:00 on the meeting's clocks, each approved attendee gets their picks on those clocks
//! and the links to the agenda, the practical information and their calendar page; once,
//! however many passes or instances run; never to someone who withdrew after it was
//! queued; a TLP:RED pick only as its placeholder.

use chrono::{NaiveDateTime, TimeZone as _, Utc};
use csirt_meet::{
    attendance::reminders,
    domain::{registration::Status, tlp::Tlp},
    models::{outbox, reminder},
};

use crate::{
    fixtures::{
        AgendaFixture, COPENHAGEN_AUTUMN, Registration, SLUG, Team, add_session_row, audit_actions,
        create_meeting, signed_in_attendee, utc, venue,
    },
    helpers::{TestApp, TestUser, assert_field_error, location, new_client, second_application},
};

const SETTINGS: &str = "/admin/meetings/natcsirt-2026/reminders";

/// Moves the app's clock to `at` (UTC), forward only.
fn set_clock(app: &TestApp, at: NaiveDateTime) {
    let by = at - app.clock.now_naive();
    assert!(by >= chrono::Duration::zero(), "the clock only moves forward");
    app.clock.advance(by);
}

/// The reminders sent so far: (recipient, subject, text part).
fn sent_reminders(app: &TestApp) -> Vec<(String, String, String)> {
    app.emails()
        .iter()
        .filter(|m| m.subject().is_some_and(|s| s.starts_with("Reminder:")))
        .map(|m| {
            let to = m.to().and_then(|a| a.first()).and_then(|a| a.address()).unwrap_or_default().to_owned();
            let subject = m.subject().unwrap_or_default().to_owned();
            (to, subject, m.body_text(0).unwrap_or_default().into_owned())
        })
        .collect()
}

struct Attendee {
    user: TestUser,
    id: i64,
}

/// The Denver meeting (20–21 June 2026, MDT) with an AMBER talk, a RED one and a GREEN one,
/// published; Ana (approved) picked the AMBER and RED ones, Ben (approved) nothing, Carl
/// waits for review.
async fn denver() -> (AgendaFixture, Attendee, Attendee) {
    let fx = AgendaFixture::set_up().await;
    let app = &fx.app;
    let amber = add_session_row(app, fx.meeting.id, fx.talk("Ransomware playbook")).await;
    let mut red = fx.talk("Operation Nightjar");
    (red.tlp, red.starts_at, red.ends_at) = (Tlp::Red, utc(6, 20, 17, 0), utc(6, 20, 18, 30));
    let red = add_session_row(app, fx.meeting.id, red).await;
    let mut green = fx.talk("Coffee chat");
    (green.tlp, green.starts_at, green.ends_at) = (Tlp::Green, utc(6, 21, 15, 0), utc(6, 21, 16, 0));
    add_session_row(app, fx.meeting.id, green).await;
    fx.publish("First").await;
    let join = |email: &'static str, status: Status| {
        let (meeting, team) = (fx.meeting.id, fx.team);
        async move { signed_in_attendee(app, meeting, team, email, Registration::new(status)).await }
    };
    let (ana_user, ana_client, ana_id) = join("ana@cert-at.example", Status::Approved).await;
    let (ben_user, _, ben_id) = join("ben@cert-at.example", Status::Approved).await;
    join("carl@cert-at.example", Status::Pending).await;
    for session in [amber, red] {
        let res =
            app.post_form_with(&ana_client, &format!("/meetings/{SLUG}/sessions/{session}/pick"), &[]).await;
        assert_eq!(res.status(), 303, "picked");
    }
    app.dispatch_pending_emails().await;
    (fx, Attendee { user: ana_user, id: ana_id }, Attendee { user: ben_user, id: ben_id })
}

#[tokio::test]
async fn approved_attendees_are_reminded_seven_days_and_one_day_before_at_eight_local() {
    let (fx, ana, _ben) = denver().await;
    let app = &fx.app;
    // 08:00 MDT on Sat 13 June is 14:00 UTC.
    set_clock(app, utc(6, 13, 13, 59));
    app.dispatch_pending_emails().await;
    assert!(sent_reminders(app).is_empty(), "nothing before 08:00 on the meeting's clocks");

    set_clock(app, utc(6, 13, 14, 0));
    app.dispatch_pending_emails().await;
    let sent = sent_reminders(app);
    let mut to: Vec<&str> = sent.iter().map(|(to, _, _)| to.as_str()).collect();
    to.sort_unstable();
    assert_eq!(to, ["ana@cert-at.example", "ben@cert-at.example"], "the approved, not the pending");
    let (_, subject, text) = sent.iter().find(|(to, _, _)| to.starts_with("ana")).expect("Ana's");
    assert_eq!(subject, "Reminder: NatCSIRT 2026 begins Sat 20 June 2026");
    assert!(text.contains("begins in 7 days, on Sat 20 June 2026"), "{text}");
    assert!(text.contains("Sat 20 June 2026, 09:00 – 10:00 MDT, Ballroom"), "{text}");
    assert!(text.contains("[TLP:AMBER] Ransomware playbook"), "{text}");
    assert!(!text.contains("Coffee chat"), "only her picks: {text}");
    for path in
        [format!("/meetings/{SLUG}/agenda"), format!("/meetings/{SLUG}/practical"), "/me/calendar".into()]
    {
        assert!(
            text.contains(&app.settings.public_url().join(&path).expect("url").to_string()),
            "{path}: {text}"
        );
    }
    let (_, _, ben_text) = sent.iter().find(|(to, _, _)| to.starts_with("ben")).expect("Ben's");
    assert!(ben_text.contains("You have not added any sessions"), "{ben_text}");

    set_clock(app, utc(6, 19, 14, 0));
    app.dispatch_pending_emails().await;
    let sent = sent_reminders(app);
    assert_eq!(sent.len(), 4, "the one-day reminder to each");
    let last_for_ana = sent.iter().rev().find(|(to, _, _)| to.starts_with("ana")).expect("Ana's");
    assert!(last_for_ana.2.contains("begins tomorrow"), "{}", last_for_ana.2);

    set_clock(app, utc(6, 20, 6, 0));
    app.dispatch_pending_emails().await;
    assert_eq!(sent_reminders(app).len(), 4, "nothing once the meeting has begun");
    let key = reminder_key(ana.id, 7);
    let row = app.db.query(move |c| outbox::by_key(c, &key)).await.expect("queued under its key");
    assert!(row.sent_at.is_some());
}

fn reminder_key(id: i64, d: u32) -> String {
    csirt_meet::domain::reminder::key(id, d)
}

#[tokio::test]
async fn a_red_pick_appears_only_as_its_placeholder() {
    let (fx, _ana, _ben) = denver().await;
    set_clock(&fx.app, utc(6, 13, 14, 0));
    fx.app.dispatch_pending_emails().await;
    let raw: Vec<String> = fx
        .app
        .worker
        .transport()
        .kept()
        .iter()
        .map(|m| String::from_utf8_lossy(m).into_owned())
        .filter(|m| m.contains("Reminder:"))
        .collect();
    assert_eq!(raw.len(), 2);
    let text = sent_reminders(&fx.app).into_iter().find(|(to, _, _)| to.starts_with("ana")).expect("Ana's").2;
    assert!(text.contains("TLP:RED session — details in the agenda"), "{text}");
    assert!(text.contains("Sat 20 June 2026, 11:00 – 12:30 MDT, Ballroom"), "its time and room: {text}");
    for m in sent_reminders(&fx.app) {
        assert!(!m.1.contains("Nightjar") && !m.2.contains("Nightjar"), "no RED title: {m:?}");
    }
    let html: Vec<String> =
        fx.app.emails().iter().filter_map(|m| m.body_html(0).map(|h| h.into_owned())).collect();
    assert!(html.iter().all(|h| !h.contains("Nightjar")), "nor in the HTML parts");
}

#[tokio::test]
async fn a_reminder_goes_once_however_often_the_pass_runs() {
    let (fx, _ana, _ben) = denver().await;
    let app = &fx.app;
    set_clock(app, utc(6, 13, 14, 0));
    for _ in 0..3 {
        app.dispatch_pending_emails().await;
    }
    assert_eq!(sent_reminders(app).len(), 2);
    let composer = app.state.composer.clone();
    let again = app.db.run(move |c| reminders::queue_due(c, &composer)).await.expect("pass");
    assert_eq!(again, 0, "nothing left to queue");
}

#[tokio::test]
async fn two_instances_passing_at_once_queue_each_reminder_once() {
    let (fx, _ana, _ben) = denver().await;
    let app = &fx.app;
    let other = second_application(app).await;
    let other_worker = other.worker();
    let handle = other.handle();
    tokio::spawn(other.run_until_stopped());
    set_clock(app, utc(6, 13, 14, 0));
    let (a, b) = tokio::join!(app.worker.drain_once(), other_worker.drain_once());
    let (a, b) = (a.expect("drains"), b.expect("drains"));
    let reminders_sent = |kept: Vec<Vec<u8>>| {
        kept.iter().filter(|m| String::from_utf8_lossy(m).contains("Subject: Reminder:")).count()
    };
    let total =
        reminders_sent(app.worker.transport().kept()) + reminders_sent(other_worker.transport().kept());
    assert_eq!(total, 2, "one each for Ana and Ben ({a:?}, {b:?})");
    handle.stop(true).await;
}

#[tokio::test]
async fn someone_who_withdraws_after_the_reminder_was_queued_does_not_get_it() {
    let (fx, ana, _ben) = denver().await;
    let app = &fx.app;
    set_clock(app, utc(6, 13, 14, 0));
    let composer = app.state.composer.clone();
    let queued = app.db.run(move |c| reminders::queue_due(c, &composer)).await.expect("pass");
    assert_eq!(queued, 2, "queued for Ana and Ben");

    // Ana withdraws (signing in again: the clock moved past her session's lifetime).
    let client = new_client();
    app.sign_in_with(&client, &ana.user).await;
    let res = app
        .post_form_with(&client, &format!("/me/registrations/{}/withdraw", ana.id), &[("confirm", "yes")])
        .await;
    assert_eq!(res.status(), 303, "withdrawn");

    let report = app.dispatch_pending_emails().await;
    assert_eq!(report.withheld, 1, "{report:?}");
    let to: Vec<String> = sent_reminders(app).into_iter().map(|(to, _, _)| to).collect();
    assert_eq!(to, ["ben@cert-at.example"], "only Ben is reminded");
    let key = reminder_key(ana.id, 7);
    let row = app.db.query(move |c| outbox::by_key(c, &key)).await;
    assert!(row.is_err(), "the withheld reminder is gone from the outbox");
}

#[tokio::test]
async fn picks_are_written_on_the_meetings_clocks_across_the_autumn_dst_change() {
    let app = crate::helpers::spawn_app().await;
    let organizer = app.login_as_organizer().await.id;
    let m = create_meeting(&app, &COPENHAGEN_AUTUMN).await;
    let team = Team::austria().insert(&app).await;
    let (tracks, rooms) = venue(&app, m.id).await;
    let fx = AgendaFixture { app, meeting: m, organizer, team, tracks, rooms };
    let app = &fx.app;
    // Sun 25 October: 01:30 CEST (23:30 UTC the day before) to 02:30 CET (01:30 UTC).
    let mut night = fx.talk("Night shift");
    (night.starts_at, night.ends_at) = (
        Utc.with_ymd_and_hms(2026, 10, 24, 23, 30, 0).unwrap().naive_utc(),
        Utc.with_ymd_and_hms(2026, 10, 25, 1, 30, 0).unwrap().naive_utc(),
    );
    let night = add_session_row(app, fx.meeting.id, night).await;
    let mut morning = fx.talk("Saturday opening");
    (morning.starts_at, morning.ends_at) = (
        Utc.with_ymd_and_hms(2026, 10, 24, 7, 0, 0).unwrap().naive_utc(),
        Utc.with_ymd_and_hms(2026, 10, 24, 8, 0, 0).unwrap().naive_utc(),
    );
    let morning = add_session_row(app, fx.meeting.id, morning).await;
    fx.publish("First").await;
    let (_, client, _) = signed_in_attendee(
        app,
        fx.meeting.id,
        fx.team,
        "ana@cert-at.example",
        Registration::new(Status::Approved),
    )
    .await;
    for session in [night, morning] {
        let res =
            app.post_form_with(&client, &format!("/meetings/{SLUG}/sessions/{session}/pick"), &[]).await;
        assert_eq!(res.status(), 303);
    }
    // Seven days before Sat 24 October, 08:00 CEST, is 06:00 UTC on the 17th.
    set_clock(app, Utc.with_ymd_and_hms(2026, 10, 17, 5, 59, 0).unwrap().naive_utc());
    app.dispatch_pending_emails().await;
    assert!(sent_reminders(app).is_empty());
    set_clock(app, Utc.with_ymd_and_hms(2026, 10, 17, 6, 0, 0).unwrap().naive_utc());
    app.dispatch_pending_emails().await;
    let sent = sent_reminders(app);
    assert_eq!(sent.len(), 1);
    let text = &sent[0].2;
    assert!(text.contains("Europe/Copenhagen time"), "{text}");
    assert!(text.contains("Sat 24 October 2026, 09:00 – 10:00 CEST"), "{text}");
    assert!(text.contains("Sun 25 October 2026, 01:30 CEST – 02:30 CET"), "each side its own zone: {text}");
    let order = (text.find("Saturday opening"), text.find("Night shift"));
    assert!(matches!(order, (Some(a), Some(b)) if a < b), "in time order: {text}");
}

#[tokio::test]
async fn organizers_choose_the_days_and_bad_days_are_refused_with_nothing_written() {
    let fx = AgendaFixture::set_up().await;
    let app = &fx.app;
    let page = app.get(SETTINGS).await.text().await.expect("page");
    assert!(page.contains(r#"value="7, 1""#), "the default is shown: {page}");
    assert!(page.contains("Sat 13 June 2026, 08:00 MDT"), "when the 7-day one goes: {page}");

    for (typed, message) in [
        ("7, x", "is not a whole number of days"),
        ("0", "0 is outside 1 to 60 days"),
        ("90", "90 is outside 1 to 60 days"),
        ("3, 3", "3 is written twice"),
        ("", "Enter at least one number of days"),
        ("1 2 3 4 5 6", "At most 5 reminders"),
    ] {
        let res = app.post_form(SETTINGS, &[("days", typed)]).await;
        assert_eq!(res.status(), 422, "{typed:?}");
        let page = res.text().await.expect("page");
        assert_field_error(&page, "days", message);
        assert!(page.contains(&format!(r#"value="{typed}""#)), "the input is kept: {typed:?}");
    }
    let id = fx.meeting.id;
    assert_eq!(
        app.db.query(move |c| reminder::days_for(c, id)).await.expect("read"),
        None,
        "nothing written"
    );
    assert!(!audit_actions(app).await.contains(&"reminders.updated".to_owned()), "no audit row");

    let res = app.post_form(SETTINGS, &[("days", "2;3")]).await;
    assert_eq!(location(&res), format!("{SETTINGS}?done=reminders-saved"));
    assert_eq!(
        app.db.query(move |c| reminder::days_for(c, id)).await.expect("read").as_deref(),
        Some("3, 2")
    );
    assert!(audit_actions(app).await.contains(&"reminders.updated".to_owned()), "audited");
    let page = app.get(SETTINGS).await.text().await.expect("page");
    assert!(page.contains(r#"value="3, 2""#) && page.contains("Wed 17 June 2026, 08:00 MDT"), "{page}");

    // The chosen days rule: 3 days before, not 7.
    let (meeting, team) = (fx.meeting.id, fx.team);
    signed_in_attendee(app, meeting, team, "ana@cert-at.example", Registration::new(Status::Approved)).await;
    set_clock(app, utc(6, 13, 14, 0));
    app.dispatch_pending_emails().await;
    assert!(sent_reminders(app).is_empty(), "no 7-day reminder any more");
    set_clock(app, utc(6, 17, 14, 0));
    app.dispatch_pending_emails().await;
    let sent = sent_reminders(app);
    assert_eq!(sent.len(), 1);
    assert!(sent[0].2.contains("begins in 3 days"), "{}", sent[0].2);
}
