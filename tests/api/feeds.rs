//! Private iCal feeds (docs/CALENDAR.md F1–F7, T1): what they hold, HTTP validators, and
//! who gets a 404.

use std::{
    io::Read as _,
    time::{Duration, Instant},
};

use csirt_meet::models::{agenda::session, registration};
use reqwest::header;

use crate::{
    fixtures::{
        AMBER_CANARY, Attendee, COPENHAGEN_AUTUMN, EDITOR, RED_CANARY, SLUG, add_session, approved_attendee,
        feed_path, meeting_form, pending_registration, publish_agenda,
    },
    helpers::{
        TestApp,
        ical_parsers::{check_with_parsers, read_with_parsers},
        new_client, second_instance, spawn_app, spawn_app_with,
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

    revoke(&app, &a).await;
    assert_eq!(fetch(&app, &new).await.status(), 404, "a decision made through this instance counts at once");
}

/// The organizer revokes the attendee's registration (on `app.client`).
async fn revoke(app: &TestApp, a: &Attendee) {
    let action = format!("/admin/meetings/{SLUG}/registrations/{}/decision", a.registration_id);
    let fields = [("decision", "revoke"), ("reason", "Left the team"), ("confirm", "yes")];
    let res = app.post_form(&action, &fields).await;
    assert_eq!(res.status(), 303, "revoked");
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

/// Another approved attendee of the same meeting (CERT.at), signed in on their own client.
async fn second_attendee(app: &TestApp, first: &Attendee) -> Attendee {
    let member = app.create_user("ben@cert-at.example", Role::Member).await;
    let registration_id = pending_registration(app, first.meeting.id, member.id).await;
    let (now, user_id) = (app.clock.now_naive(), member.id);
    app.db
        .query(move |c| registration::set_decision(c, registration_id, Status::Approved, user_id, None, now))
        .await
        .expect("approved");
    let client = new_client();
    app.sign_in_with(&client, &member).await;
    Attendee { client, registration_id, meeting: first.meeting.clone() }
}

#[tokio::test]
async fn the_whole_agenda_feed_is_the_same_bytes_for_every_attendee_and_names_no_token() {
    let app = spawn_app().await;
    let ana = approved_attendee(&app, &[]).await;
    let ben = second_attendee(&app, &ana).await;
    labelled_agenda(&app).await;
    let (ana_path, ben_path) = (feed_path(&app, &ana).await, feed_path(&app, &ben).await);
    let (ana_res, ben_res) = (fetch(&app, &ana_path).await, fetch(&app, &ben_path).await);
    assert_eq!(ana_res.headers()[header::ETAG], ben_res.headers()[header::ETAG]);
    let (ana_body, ben_body) = (ana_res.text().await.expect("body"), ben_res.text().await.expect("body"));
    assert_eq!(ana_body, ben_body, "one body for the meeting");
    let unfolded = ana_body.replace("\r\n ", "");
    for path in [&ana_path, &ben_path] {
        let token = path.trim_start_matches("/feeds/").trim_end_matches(".ics");
        assert!(!unfolded.contains(token), "no token in the body");
    }
    assert!(!unfolded.contains("SOURCE"), "F2: SOURCE is left out");

    // Picks-only feeds are each person's own.
    let choices = format!("/me/calendar/{}/choices", ben.registration_id);
    app.post_form_with(&ben.client, &choices, &[("feed_scope", "picks"), ("session_invites", "feed")]).await;
    let ben_picks = fetch(&app, &ben_path).await.text().await.expect("body");
    assert_eq!(ben_picks.matches("BEGIN:VEVENT").count(), 2);
    assert_eq!(fetch(&app, &ana_path).await.text().await.expect("body"), ana_body, "Ana's is unchanged");
}

async fn fetch_with(app_url: &str, path: &str, headers: &[(header::HeaderName, &str)]) -> reqwest::Response {
    let mut req = new_client().get(format!("{app_url}{path}"));
    for (name, value) in headers {
        req = req.header(name, *value);
    }
    req.send().await.expect("sent")
}

fn value(res: &reqwest::Response, name: header::HeaderName) -> Option<String> {
    res.headers().get(name).map(|v| v.to_str().expect("ascii").to_owned())
}

/// The bytes as GNU gzip decompresses them, where it is installed (it is on Debian):
/// a decoder that is not the encoder's library.
fn gunzip_with_gzip_command(compressed: &[u8]) -> Option<Vec<u8>> {
    use std::io::Write as _;
    use std::process::{Command, Stdio};
    let mut child =
        Command::new("gzip").args(["-d", "-c"]).stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().ok()?;
    let mut stdin = child.stdin.take().expect("stdin");
    let input = compressed.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let out = child.wait_with_output().expect("gzip ran");
    writer.join().expect("writer").expect("written");
    assert!(out.status.success(), "gzip -d refused the body");
    Some(out.stdout)
}

#[tokio::test]
async fn a_client_that_accepts_gzip_gets_the_body_compressed_once_with_its_own_etag() {
    let app = spawn_app().await;
    let a = approved_attendee(&app, &[]).await;
    labelled_agenda(&app).await;
    let path = feed_path(&app, &a).await;
    let base = app.url("");
    let gzip = (header::ACCEPT_ENCODING, "gzip, deflate, br");

    let plain = fetch_with(&base, &path, &[]).await;
    assert_eq!(plain.status(), 200);
    assert_eq!(value(&plain, header::CONTENT_ENCODING), None, "no Accept-Encoding: the plain text");
    assert_eq!(value(&plain, header::VARY).as_deref(), Some("Accept-Encoding"));
    let plain_etag = value(&plain, header::ETAG).expect("an ETag");
    let text = plain.bytes().await.expect("body");

    let zipped = fetch_with(&base, &path, std::slice::from_ref(&gzip)).await;
    assert_eq!(zipped.status(), 200);
    assert_eq!(value(&zipped, header::CONTENT_ENCODING).as_deref(), Some("gzip"));
    assert_eq!(value(&zipped, header::VARY).as_deref(), Some("Accept-Encoding"));
    assert_eq!(value(&zipped, header::CONTENT_TYPE).as_deref(), Some("text/calendar; charset=utf-8"));
    let gzip_etag = value(&zipped, header::ETAG).expect("an ETag");
    assert_ne!(gzip_etag, plain_etag, "other bytes, another strong ETag");
    assert!(!gzip_etag.starts_with("W/"), "strong");
    let compressed = zipped.bytes().await.expect("body");
    assert!(compressed.len() * 2 < text.len(), "{} of {} bytes", compressed.len(), text.len());
    let mut unzipped = Vec::new();
    flate2::read::GzDecoder::new(&compressed[..]).read_to_end(&mut unzipped).expect("a gzip stream");
    assert_eq!(unzipped, text, "the gzip holds exactly the plain body");
    if let Some(by_gzip) = gunzip_with_gzip_command(&compressed) {
        assert_eq!(by_gzip, text, "GNU gzip reads the same bytes");
    }
    let events = check_with_parsers(std::str::from_utf8(&unzipped).expect("UTF-8"));
    assert!(events.is_empty() || events.len() == 6, "the parsers read the unzipped feed: {events:?}");
    let again = fetch_with(&base, &path, &[gzip]).await;
    assert_eq!(value(&again, header::ETAG).as_deref(), Some(gzip_etag.as_str()));
    assert_eq!(again.bytes().await.expect("body"), compressed, "compressed once: the same bytes");

    // Each ETag revalidates its own representation.
    for (accept, etag, status, encoding) in [
        (Some("gzip"), &gzip_etag, 304, None),
        (None, &plain_etag, 304, None),
        (None, &gzip_etag, 200, None),
        (Some("gzip"), &plain_etag, 200, Some("gzip")),
        (Some("gzip;q=0, identity"), &plain_etag, 304, None),
    ] {
        let mut headers = vec![(header::IF_NONE_MATCH, etag.as_str())];
        headers.extend(accept.map(|a| (header::ACCEPT_ENCODING, a)));
        let res = fetch_with(&base, &path, &headers).await;
        assert_eq!(res.status(), status, "{accept:?} with {etag}");
        assert_eq!(value(&res, header::VARY).as_deref(), Some("Accept-Encoding"), "{accept:?}");
        assert_eq!(value(&res, header::CONTENT_ENCODING).as_deref(), encoding, "{accept:?}");
        let chosen = if accept.is_some_and(|a| a.starts_with("gzip,") || a == "gzip") {
            &gzip_etag
        } else {
            &plain_etag
        };
        assert_eq!(value(&res, header::ETAG).as_ref(), Some(chosen), "the ETag of what this client gets");
    }
}

/// Polls `path` on `base` until it answers 404; returns how long after `since` the last
/// request was sent that still got the feed. Fails if it is still served after 3 s.
async fn served_until_404(base: &str, path: &str, since: Instant) -> Option<Duration> {
    let mut last_served = None;
    loop {
        let sent = since.elapsed();
        let status = fetch_with(base, path, &[]).await.status();
        if status == 404 {
            return last_served;
        }
        assert_eq!(status, 200);
        assert!(sent < Duration::from_secs(3), "still served {sent:?} after the change");
        last_served = Some(sent);
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// F6 across instances: the access decision is kept for at most a second, so a token
/// rotated or an attendee revoked on one instance stops working on the other within it.
#[tokio::test]
async fn a_rotated_or_revoked_feed_stops_on_another_instance_within_one_second() {
    let app = spawn_app().await;
    let a = approved_attendee(&app, &[]).await;
    let (other, handle) = second_instance(&app).await;
    let old = feed_path(&app, &a).await;
    assert_eq!(fetch_with(&other, &old, &[]).await.status(), 200, "the other instance serves it");
    let new = feed_path(&app, &a).await;
    let rotated = Instant::now();
    assert_eq!(fetch(&app, &old).await.status(), 404, "at once where it was rotated");
    let served = served_until_404(&other, &old, rotated).await;
    assert!(served.is_none_or(|t| t < Duration::from_secs(1)), "the old address served {served:?} after");
    assert_eq!(fetch_with(&other, &new, &[]).await.status(), 200, "the new address works there");

    revoke(&app, &a).await;
    let revoked = Instant::now();
    assert_eq!(fetch(&app, &new).await.status(), 404);
    let served = served_until_404(&other, &new, revoked).await;
    assert!(served.is_none_or(|t| t < Duration::from_secs(1)), "a revoked attendee served {served:?} after");
    handle.stop(true).await;
}

/// Many first polls of one token at once (a calendar app's retries, a process just started,
/// a decision whose renewal was slow) ask the database once; the others wait for that
/// answer instead of queueing for the pool one after another (issue 16: a second's stall).
#[tokio::test]
async fn polls_of_one_token_at_once_ask_the_database_once_and_all_get_the_feed() {
    let app = spawn_app_with(|s| s.database.pool_size = 1, |_| {}).await;
    let a = approved_attendee(&app, &[]).await;
    let path = feed_path(&app, &a).await;
    let asked = || app.state.feeds.asked.load(std::sync::atomic::Ordering::Relaxed);
    let before = asked();

    // The pool's one connection is held while the polls arrive: every question waits.
    let held = app.db.get().expect("the pool's connection");
    let polls = futures_util::future::join_all((0..16).map(|_| fetch(&app, &path)));
    let release = async {
        tokio::time::sleep(Duration::from_millis(300)).await;
        drop(held);
    };
    let (answers, ()) = tokio::join!(polls, release);
    assert_eq!(asked() - before, 1, "one question for sixteen polls");
    let expected = fetch(&app, &path).await.bytes().await.expect("a body");
    assert!(expected.starts_with(b"BEGIN:VCALENDAR"));
    for res in answers {
        assert_eq!(res.status(), 200);
        assert_eq!(res.bytes().await.expect("a body"), expected, "the same feed");
    }
}

/// Every header but `date`, sorted: what two answers must share.
fn headers_of(res: &reqwest::Response) -> Vec<(String, String)> {
    let mut all: Vec<_> = res
        .headers()
        .iter()
        .filter(|(name, _)| *name != header::DATE)
        .map(|(name, v)| (name.to_string(), v.to_str().expect("ascii").to_owned()))
        .collect();
    all.sort();
    all
}

#[tokio::test]
async fn a_poll_answered_by_the_fast_lane_is_the_answer_of_the_usual_way() {
    let app = spawn_app().await;
    let a = approved_attendee(&app, &[]).await;
    labelled_agenda(&app).await;
    let path = feed_path(&app, &a).await;
    // The first fetch asks the database (the usual way) and keeps the decision; a query
    // string always takes the usual way, whatever is kept.
    let usual = format!("{path}?usual");
    let first = fetch(&app, &path).await;
    assert_eq!(first.status(), 200);
    let (plain, gzip) = (
        value(&first, header::ETAG).expect("etag"),
        value(&fetch_with(&app.address, &path, &[(header::ACCEPT_ENCODING, "gzip")]).await, header::ETAG)
            .expect("gzip etag"),
    );
    let cases: [&[(header::HeaderName, &str)]; 4] = [
        &[],
        &[(header::ACCEPT_ENCODING, "gzip")],
        &[(header::IF_NONE_MATCH, &plain)],
        &[(header::ACCEPT_ENCODING, "gzip"), (header::IF_NONE_MATCH, &gzip)],
    ];
    let lane_answers = || app.state.feeds.lane_answers.load(std::sync::atomic::Ordering::Relaxed);
    let before = lane_answers();
    for (n, headers) in cases.into_iter().enumerate() {
        let lane = fetch_with(&app.address, &path, headers).await;
        assert_eq!(lane_answers(), before + n as u64 + 1, "{headers:?}: the lane answered");
        let usual = fetch_with(&app.address, &usual, headers).await;
        assert_eq!(lane.status(), usual.status(), "{headers:?}");
        assert!(lane.status() == 200 || lane.status() == 304, "{headers:?}: {}", lane.status());
        let lane_headers = headers_of(&lane);
        assert_eq!(lane_headers, headers_of(&usual), "{headers:?}");
        for name in ["cache-control", "content-security-policy", "x-content-type-options", "etag", "vary"] {
            assert!(lane_headers.iter().any(|(n, _)| n == name), "{headers:?}: {name} in {lane_headers:?}");
        }
        assert_eq!(lane.bytes().await.expect("body"), usual.bytes().await.expect("body"), "{headers:?}");
    }
    assert_eq!(lane_answers(), before + 4, "a query string takes the usual way");
    let head = new_client().head(app.url(&path)).send().await.expect("sent");
    assert_eq!((head.status().as_u16(), lane_answers()), (200, before + 4), "HEAD takes the usual way");
}
