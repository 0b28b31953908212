//! Private iCal feeds (docs/CALENDAR.md F1–F7, T1): what they hold, HTTP validators, and
//! who gets a 404.

use csirt_meet::models::{agenda::session, registration};
use reqwest::header;

use crate::{
    fixtures::{
        AMBER_CANARY, COPENHAGEN_AUTUMN, EDITOR, RED_CANARY, SLUG, add_session, approved_attendee, feed_path,
        meeting_form, publish_agenda,
    },
    helpers::{
        TestApp,
        ical_parsers::{check_with_parsers, read_with_parsers},
        new_client, spawn_app,
    },
};
use csirt_meet::domain::registration::Status;
use csirt_meet::domain::states::Role;
use csirt_meet::domain::tlp::Tlp;

async fn fetch(app: &TestApp, path: &str) -> reqwest::Response {
    new_client().get(app.url(path)).send().await.expect("sent")
}

/// The standard agenda of these tests: a Denver session of each kind of label.
async fn labelled_agenda(app: &TestApp) {
    add_session(app, "Open talk", "TLP:CLEAR", "2026-06-20", ("09:00", "10:00"), "Public words.").await;
    add_session(
        app,
        &format!("Closed case {RED_CANARY}"),
        "TLP:RED",
        "2026-06-20",
        ("10:00", "11:00"),
        RED_CANARY,
    )
    .await;
    add_session(app, "Amber talk", "TLP:AMBER", "2026-06-20", ("11:00", "12:00"), AMBER_CANARY).await;
    add_session(app, "Strict talk", "TLP:AMBER+STRICT", "2026-06-21", ("09:00", "10:00"), AMBER_CANARY).await;
    publish_agenda(app).await;
}

#[tokio::test]
async fn a_feed_holds_the_meeting_the_conference_and_the_released_sessions_under_tlp() {
    let app = spawn_app().await;
    let a = approved_attendee(&app, &[]).await;
    labelled_agenda(&app).await;
    add_session(&app, "Draft only", "TLP:CLEAR", "2026-06-21", ("11:00", "12:00"), "").await;
    let path = feed_path(&app, &a).await;

    let res = fetch(&app, &path).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()[header::CONTENT_TYPE], "text/calendar; charset=utf-8");
    assert!(res.headers().get(header::SET_COOKIE).is_none(), "no cookie");
    assert_eq!(
        res.headers()[header::CACHE_CONTROL].to_str().expect("ascii").split(',').next(),
        Some("private")
    );
    let body = res.text().await.expect("body");
    for canary in [RED_CANARY, AMBER_CANARY] {
        assert!(!body.contains(canary), "{canary} never leaves the app");
    }
    assert!(!body.contains("Draft only"), "draft sessions are not in feeds");
    assert!(body.contains("SUMMARY:TLP:RED session — details in the agenda"));
    assert!(
        body.contains("X-WR-CALNAME:NatCSIRT 2026") && body.contains("REFRESH-INTERVAL;VALUE=DURATION:PT1H")
    );
    assert!(!body.contains("METHOD") && !body.contains("ATTENDEE"));

    let events = check_with_parsers(&body);
    if !events.is_empty() {
        assert_eq!(events.len(), 6, "meeting, conference and four sessions");
        let open = events.iter().find(|e| e.summary == "Open talk").expect("the open talk");
        assert_eq!(
            (open.start.as_str(), open.end.as_str()),
            ("2026-06-20T15:00:00Z", "2026-06-20T16:00:00Z")
        );
        let m = events.iter().find(|e| e.uid == a.meeting.meeting_uid).expect("the meeting");
        assert!(m.all_day);
        assert_eq!((m.start.as_str(), m.end.as_str()), ("2026-06-20", "2026-06-22"), "exclusive end");
        assert!(events.iter().any(|e| e.uid == a.meeting.conference_uid && e.all_day));
    }
}

#[tokio::test]
async fn an_unchanged_feed_is_byte_identical_and_answers_304_to_its_validators() {
    let app = spawn_app().await;
    let a = approved_attendee(&app, &[]).await;
    labelled_agenda(&app).await;
    let path = feed_path(&app, &a).await;
    let first = fetch(&app, &path).await;
    let etag = first.headers()[header::ETAG].to_str().expect("ascii").to_owned();
    let modified = first.headers()[header::LAST_MODIFIED].to_str().expect("ascii").to_owned();
    let body = first.text().await.expect("body");
    app.clock.advance(chrono::Duration::minutes(10));
    let again = fetch(&app, &path).await;
    assert_eq!(again.headers()[header::ETAG], etag.as_str());
    assert_eq!(again.text().await.expect("body"), body, "byte-identical when nothing changed");

    let client = new_client();
    let res = client.get(app.url(&path)).header(header::IF_NONE_MATCH, &etag).send().await.expect("sent");
    assert_eq!(res.status(), 304);
    let res =
        client.get(app.url(&path)).header(header::IF_MODIFIED_SINCE, &modified).send().await.expect("sent");
    assert_eq!(res.status(), 304);
    let res =
        client.get(app.url(&path)).header(header::IF_MODIFIED_SINCE, "yesterday").send().await.expect("sent");
    assert_eq!(res.status(), 200, "an unparsable date gets the whole feed");
    let res = client
        .get(app.url(&path))
        .header(header::IF_MODIFIED_SINCE, "Thu, 01 Jan 2026 00:00:00 GMT")
        .send()
        .await
        .expect("sent");
    assert_eq!(res.status(), 200, "an older date gets the whole feed");

    // Cancelling a session and publishing removes it and moves Last-Modified forward.
    let meeting_id = a.meeting.id;
    let sessions = app.db.query(move |c| session::for_meeting(c, meeting_id)).await.expect("query");
    let res =
        app.post_form(&format!("{EDITOR}/sessions/{}/cancel", sessions[0].id), &[("confirm", "yes")]).await;
    assert_eq!(crate::helpers::location(&res), format!("{EDITOR}?done=session-cancelled"));
    app.clock.advance(chrono::Duration::minutes(5));
    publish_agenda(&app).await;
    let res = client.get(app.url(&path)).header(header::IF_NONE_MATCH, &etag).send().await.expect("sent");
    assert_eq!(res.status(), 200, "the old ETag no longer matches");
    let newer = httpdate(res.headers()[header::LAST_MODIFIED].to_str().expect("ascii"));
    assert!(newer > httpdate(&modified), "Last-Modified advanced on a cancellation");
    assert!(!res.text().await.expect("body").contains("Open talk"), "cancelled sessions leave the feed");
}

fn httpdate(raw: &str) -> chrono::DateTime<chrono::FixedOffset> {
    chrono::DateTime::parse_from_rfc2822(raw).expect("an HTTP date")
}

#[tokio::test]
async fn rotated_unknown_and_no_longer_approved_feeds_answer_the_same_404() {
    let app = spawn_app().await;
    let a = approved_attendee(&app, &[]).await;
    let old = feed_path(&app, &a).await;
    assert_eq!(fetch(&app, &old).await.status(), 200);
    let new = feed_path(&app, &a).await;
    assert_ne!(old, new);
    let unknown = format!("/feeds/{}.ics", "ab".repeat(32));
    let rotated = fetch(&app, &old).await;
    assert_eq!(rotated.status(), 404);
    let rotated_body = rotated.text().await.expect("body");
    let unknown_res = fetch(&app, &unknown).await;
    assert_eq!(unknown_res.status(), 404);
    assert_eq!(unknown_res.text().await.expect("body"), rotated_body, "the same answer");
    assert_eq!(fetch(&app, &new).await.status(), 200);

    let (id, now) = (a.registration_id, app.clock.now_naive());
    app.db
        .query(move |c| registration::set_decision(c, id, Status::Revoked, 1, Some("left"), now))
        .await
        .expect("revoked");
    assert_eq!(fetch(&app, &new).await.status(), 404, "access is checked on every fetch");
}

#[tokio::test]
async fn only_the_attendee_may_make_a_feed_for_an_approved_registration() {
    let app = spawn_app().await;
    let a = approved_attendee(&app, &[]).await;
    // The organizer is signed in on app.client but does not own the registration.
    let res = app.post_form(&format!("/me/calendar/{}/feed", a.registration_id), &[("confirm", "yes")]).await;
    assert_eq!(res.status(), 404);
    let page = a.client.get(app.url("/me/calendar")).send().await.expect("sent").text().await.expect("body");
    assert!(page.contains("You have no feed address yet."));
    assert!(page.contains("Google Calendar refreshes subscriptions only every few hours"));
}

#[tokio::test]
async fn the_page_offers_webcal_google_and_plain_links_once() {
    let app = spawn_app().await;
    let a = approved_attendee(&app, &[]).await;
    let res = app
        .post_form_with(&a.client, &format!("/me/calendar/{}/feed", a.registration_id), &[("confirm", "yes")])
        .await;
    assert_eq!(res.headers()[header::CACHE_CONTROL], "no-store");
    let page = res.text().await.expect("body").replace("&#x2F;", "/");
    assert!(page.contains("href=\"webcal://127.0.0.1"));
    assert!(page.contains("https://calendar.google.com/calendar/r?cid=webcal%3A%2F%2F127.0.0.1"));
    assert!(page.contains("This gives the address to Google"));
    let later = a.client.get(app.url("/me/calendar")).send().await.expect("sent").text().await.expect("body");
    assert!(!later.contains("/feeds/") && !later.contains("&#x2F;feeds&#x2F;"), "shown once only");
    assert!(later.contains("You have a feed address"));
}

#[tokio::test]
async fn a_feed_of_picks_only_holds_the_picked_sessions() {
    let app = spawn_app().await;
    let a = approved_attendee(&app, &[]).await;
    labelled_agenda(&app).await;
    let path = feed_path(&app, &a).await;
    let choices = format!("/me/calendar/{}/choices", a.registration_id);
    let res = app
        .post_form_with(&a.client, &choices, &[("feed_scope", "picks"), ("session_invites", "feed")])
        .await;
    assert_eq!(res.status(), 303);
    let body = fetch(&app, &path).await.text().await.expect("body");
    assert_eq!(body.matches("BEGIN:VEVENT").count(), 2, "the meeting and the conference only");
    let res =
        app.post_form_with(&a.client, &choices, &[("feed_scope", "mine"), ("session_invites", "feed")]).await;
    assert_eq!(res.status(), 400, "only the offered choices");
}

#[tokio::test]
async fn copenhagen_sessions_across_the_dst_change_keep_their_instants() {
    let app = spawn_app().await;
    let a = approved_attendee(&app, &COPENHAGEN_AUTUMN).await;
    add_session(&app, "Night shift", "TLP:CLEAR", "2026-10-25", ("01:30", "03:30"), "").await;
    add_session(&app, "Morning", "TLP:CLEAR", "2026-10-25", ("09:00", "10:00"), "").await;
    publish_agenda(&app).await;
    let body = fetch(&app, &feed_path(&app, &a).await).await.text().await.expect("body");
    assert!(body.contains("DTSTART:20261024T233000Z") && body.contains("DTEND:20261025T023000Z"));
    assert!(body.contains("DTSTART:20261025T080000Z"), "09:00 CET");
    for e in check_with_parsers(&body).iter().filter(|e| e.summary == "Night shift") {
        assert_eq!((e.start.as_str(), e.end.as_str()), ("2026-10-24T23:30:00Z", "2026-10-25T02:30:00Z"));
    }
}

#[tokio::test]
async fn a_session_download_follows_the_tlp_rule_and_the_access_rule() {
    let app = spawn_app().await;
    let a = approved_attendee(&app, &[]).await;
    labelled_agenda(&app).await;
    let meeting_id = a.meeting.id;
    let sessions = app.db.query(move |c| session::for_meeting(c, meeting_id)).await.expect("query");
    let red = sessions.iter().find(|s| s.tlp == Tlp::Red).expect("a red session").id;
    let path = format!("/meetings/{SLUG}/sessions/{red}.ics");
    let res = a.client.get(app.url(&path)).send().await.expect("sent");
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()[header::CONTENT_TYPE], "text/calendar; charset=utf-8");
    assert!(res.headers()[header::CONTENT_DISPOSITION].to_str().expect("ascii").starts_with("attachment"));
    let body = res.text().await.expect("body");
    assert!(!body.contains(RED_CANARY), "a TLP:RED download carries neither title nor abstract");
    assert!(body.contains("SUMMARY:TLP:RED session — details in the agenda"));
    let events = check_with_parsers(&body);
    if let Some(e) = events.first() {
        assert_eq!((e.start.as_str(), e.end.as_str()), ("2026-06-20T16:00:00Z", "2026-06-20T17:00:00Z"));
    }
    let page = a.client.get(app.url(&format!("/meetings/{SLUG}/sessions/{red}"))).send().await.expect("sent");
    assert!(page.text().await.expect("body").contains(".ics\" download>Download for your calendar"));

    let stranger = new_client();
    let other = app.create_user("bo@cert-at.example", Role::Member).await;
    app.sign_in_with(&stranger, &other).await;
    let res = stranger.get(app.url(&path)).send().await.expect("sent");
    assert_eq!(res.status(), 403, "only approved attendees and organizers");
    let res = new_client().get(app.url(&path)).send().await.expect("sent");
    assert_eq!(res.status(), 303, "anonymous visitors sign in first");
}

/// D1, D2: a download is one event to import, not a calendar to subscribe to. Outlook
/// desktop opens a file that names a calendar as a new calendar.
#[tokio::test]
async fn a_session_download_is_one_event_without_any_feed_property() {
    let app = spawn_app().await;
    let a = approved_attendee(&app, &[]).await;
    labelled_agenda(&app).await;
    let meeting_id = a.meeting.id;
    let sessions = app.db.query(move |c| session::for_meeting(c, meeting_id)).await.expect("query");
    let open = sessions.iter().find(|s| s.title == "Open talk").expect("the open talk");
    let res = a.client.get(app.url(&format!("/meetings/{SLUG}/sessions/{}.ics", open.id))).send().await;
    let body = res.expect("sent").text().await.expect("body");
    let unfolded = body.replace("\r\n ", "");
    for name in
        ["NAME", "X-WR-CALNAME", "X-WR-CALDESC", "REFRESH-INTERVAL", "X-PUBLISHED-TTL", "SOURCE", "METHOD"]
    {
        assert!(
            !unfolded
                .split("\r\n")
                .any(|l| l.starts_with(&format!("{name}:")) || l.starts_with(&format!("{name};"))),
            "{name}:\n{body}"
        );
    }
    assert_eq!(body.matches("BEGIN:VEVENT").count(), 1);
    assert!(body.contains(&format!("\r\nUID:{}\r\n", open.uid)), "the session's own UID");

    if let Some(read) = read_with_parsers(&body) {
        assert_eq!(read.calendar, ["CALSCALE", "PRODID", "VERSION"], "no feed property, no METHOD");
        let [event] = read.events.as_slice() else { panic!("one event: {:?}", read.events) };
        assert_eq!(event.uid, open.uid);
        assert_eq!(event.summary, "Open talk");
        assert_eq!(
            (event.start.as_str(), event.end.as_str()),
            ("2026-06-20T15:00:00Z", "2026-06-20T16:00:00Z")
        );
        assert_eq!((event.sequence, event.method.as_deref()), (0, None));
    }
    let page = a.client.get(app.url(&format!("/meetings/{SLUG}/sessions/{}", open.id))).send().await;
    let page = page.expect("sent").text().await.expect("body");
    assert!(page.contains("An imported file does not update when the session changes."));
    assert!(page.contains(r#"<a href="/me/calendar">My calendar</a>"#), "points to the feed and invites");
}

/// A calendar that polls with the last ETag gets the new feed after every change, even
/// changes made within the same second (the clock of these tests stands still).
#[tokio::test]
async fn a_poll_with_the_last_etag_sees_every_change_at_once() {
    let app = spawn_app().await;
    let a = approved_attendee(&app, &[]).await;
    labelled_agenda(&app).await;
    let path = feed_path(&app, &a).await;
    let client = new_client();
    let poll = |etag: String| {
        let req = client.get(app.url(&path)).header(header::IF_NONE_MATCH, etag);
        async move { req.send().await.expect("sent") }
    };
    let etag_of = |res: &reqwest::Response| res.headers()[header::ETAG].to_str().expect("ascii").to_owned();
    let first = fetch(&app, &path).await;
    let etag = etag_of(&first);
    assert_eq!(poll(etag.clone()).await.status(), 304, "unchanged");

    let choices = format!("/me/calendar/{}/choices", a.registration_id);
    app.post_form_with(&a.client, &choices, &[("feed_scope", "picks"), ("session_invites", "feed")]).await;
    let res = poll(etag).await;
    assert_eq!(res.status(), 200, "the scope changed");
    let etag = etag_of(&res);
    assert_eq!(res.text().await.expect("body").matches("BEGIN:VEVENT").count(), 2);
    assert_eq!(poll(etag.clone()).await.status(), 304);

    let meeting_id = a.meeting.id;
    let sessions = app.db.query(move |c| session::for_meeting(c, meeting_id)).await.expect("query");
    let pick = format!("/meetings/natcsirt-2026/sessions/{}/pick", sessions[0].id);
    assert_eq!(app.post_form_with(&a.client, &pick, &[]).await.status(), 303);
    let res = poll(etag).await;
    assert_eq!(res.status(), 200, "a pick changed the feed");
    let etag = etag_of(&res);
    assert!(res.text().await.expect("body").contains("Open talk"));

    let res =
        app.post_form("/admin/meetings/natcsirt-2026", &meeting_form(&[("venue", "Another hall")])).await;
    assert_eq!(res.status(), 303);
    let res = poll(etag).await;
    assert_eq!(res.status(), 200, "the meeting changed");
    assert!(res.text().await.expect("body").contains("Another hall"));
}

#[tokio::test]
async fn saving_the_default_calendar_choices_before_anything_changed_is_saved() {
    let app = spawn_app().await;
    let a = approved_attendee(&app, &[]).await;
    let choices = format!("/me/calendar/{}/choices", a.registration_id);
    // The scope stays the default: nothing has moved the feed's time yet (a 500 on PostgreSQL).
    let res =
        app.post_form_with(&a.client, &choices, &[("feed_scope", "all"), ("session_invites", "email")]).await;
    assert_eq!(res.status(), 303);
    let page = a.client.get(app.url("/me/calendar")).send().await.expect("sent").text().await.expect("body");
    assert!(page.contains(r#"value="email" checked"#), "the choice is kept: {page}");
}
