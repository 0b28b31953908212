//! Issue 18, points 2 and 5: the released agenda in conference apps (an attendee's secret
//! schedule address serving frab XML and JSON) and in an organizer's own calendar (a feed
//! of the whole agenda, a day as an `.ics` file). Each file is read as an app reads it
//! (`helpers::frab`, `helpers::ical_parsers`), holds only what T1 lets out, and is refused
//! the moment access ends.

use csirt_meet::{
    domain::registration::Status,
    models::{registration, user},
};
use serde_json::Value;

use crate::{
    fixtures::{
        Attendee, EDITOR, SLUG, approved_attendee, feed_path, organizer_feed_token, publish_agenda,
        schedule_token, venue,
    },
    helpers::{
        PASSWORD, TestApp, TestUser,
        frab::{events, read_both},
        ical_parsers::read_with_parsers,
        new_client, spawn_app,
    },
};

const RED: &str = "RED-CANARY-SCHED-1";
const AMBER: &str = "AMBER-CANARY-SCHED-2";
const STRICT: &str = "STRICT-CANARY-SCHED-3";
const GREEN: &str = "GREEN-CANARY-SCHED-4";

/// A session through the editor: in `room` on 20 June (Denver) at `hour`, with a speaker,
/// an abstract and the label; every part carries `canary`.
async fn session(app: &TestApp, canary: &str, tlp: &str, room: i64, hour: u32) {
    let (title, abstract_text) = (format!("Case {canary}"), format!("What happened: {canary}-ABSTRACT."));
    let speakers = format!("Speaker {canary}-SPEAKER (CERT.at)");
    let (room, starts, ends) = (room.to_string(), format!("{hour:02}:00"), format!("{hour:02}:45"));
    let fields = [
        ("title", title.as_str()),
        ("abstract_text", abstract_text.as_str()),
        ("kind", "talk"),
        ("track", ""),
        ("room", room.as_str()),
        ("day", "2026-06-20"),
        ("starts", starts.as_str()),
        ("ends", ends.as_str()),
        ("speakers", speakers.as_str()),
        ("tlp", tlp),
    ];
    assert_eq!(app.post_form(&format!("{EDITOR}/sessions"), &fields).await.status(), 303, "{canary} saved");
}

/// The approved attendee with four published sessions, one per label family.
async fn published() -> (TestApp, Attendee) {
    let app = spawn_app().await;
    let a = approved_attendee(&app, &[]).await;
    let (_, rooms) = venue(&app, a.meeting.id).await;
    session(&app, RED, "TLP:RED", rooms[0], 9).await;
    session(&app, AMBER, "TLP:AMBER", rooms[0], 10).await;
    session(&app, STRICT, "TLP:AMBER+STRICT", rooms[1], 9).await;
    session(&app, GREEN, "TLP:GREEN", rooms[1], 10).await;
    publish_agenda(&app).await;
    (app, a)
}

/// GET without cookies, as an app polls: (status, content type, ETag, body).
async fn fetch(app: &TestApp, path: &str, if_none_match: Option<&str>) -> (u16, String, String, String) {
    let mut req = new_client().get(app.url(path));
    if let Some(etag) = if_none_match {
        req = req.header("If-None-Match", etag);
    }
    let res = req.send().await.expect("sent");
    let header =
        |name: &str| res.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    let (status, kind, etag) = (res.status().as_u16(), header("content-type"), header("etag"));
    (status, kind, etag, res.text().await.expect("body"))
}

/// Both schedule files of the token, checked by the schema's rules and read as an app does.
async fn schedule(app: &TestApp, token: &str) -> Value {
    let (status, kind, _, xml) = fetch(app, &format!("/schedules/{token}/schedule.xml"), None).await;
    assert_eq!((status, kind.as_str()), (200, "application/xml; charset=utf-8"), "{xml}");
    let (status, kind, _, json) = fetch(app, &format!("/schedules/{token}/schedule.json"), None).await;
    assert_eq!((status, kind.as_str()), (200, "application/json"), "{json}");
    for (name, body) in [("XML", &xml), ("JSON", &json)] {
        assert_no_leak(name, body);
    }
    read_both(&xml, &json)
}

/// T1: a TLP:RED session's title, abstract and speaker, any abstract or speaker above
/// TLP:GREEN, never leave; a GREEN session's all do.
fn assert_no_leak(name: &str, body: &str) {
    for secret in [
        RED.to_owned(),
        format!("{AMBER}-ABSTRACT"),
        format!("{AMBER}-SPEAKER"),
        format!("{STRICT}-ABSTRACT"),
        format!("{STRICT}-SPEAKER"),
    ] {
        assert!(!body.contains(&secret), "{name} carries {secret}:\n{body}");
    }
}

fn by_title<'a>(events: &'a [Value], needle: &str) -> &'a Value {
    events.iter().find(|e| e["title"].as_str().is_some_and(|t| t.contains(needle))).expect(needle)
}

#[tokio::test]
async fn the_schedule_files_keep_the_schema_and_the_tlp_rule_and_read_alike() {
    let (app, a) = published().await;
    let token = schedule_token(&app, &a).await;
    let doc = schedule(&app, &token).await;
    let list = events(&doc);
    assert_eq!(list.len(), 4, "{doc:#}");

    let green = by_title(&list, GREEN);
    assert_eq!(green["subtitle"], "TLP:GREEN");
    assert!(green["abstract"].as_str().unwrap_or_default().starts_with("TLP:GREEN\n\nWhat happened"));
    assert_eq!(green["persons"][0]["public_name"], format!("Speaker {GREEN}-SPEAKER (CERT.at)"));
    assert_eq!(green["type"], "Talk");
    assert_eq!(green["room"], "Room B");
    // 10:00 in Denver (MDT) on the meeting's first day.
    assert_eq!(green["date"], "2026-06-20T10:00:00-06:00");
    assert_eq!((green["start"].as_str(), green["duration"].as_str()), (Some("10:00"), Some("00:45")));

    for (canary, label) in [(AMBER, "TLP:AMBER"), (STRICT, "TLP:AMBER+STRICT")] {
        let e = by_title(&list, canary);
        assert_eq!((e["subtitle"].as_str(), e["abstract"].as_str()), (Some(label), Some("")));
        assert_eq!(e["persons"], serde_json::json!([]), "{label}: no speakers");
    }
    let red = by_title(&list, "TLP:RED session");
    assert_eq!(red["title"], "TLP:RED session — details in the agenda");
    assert_eq!((red["abstract"].as_str(), red["type"].as_str()), (Some(""), Some("Session")));
    assert_eq!((red["room"].as_str(), red["start"].as_str()), (Some("Ballroom"), Some("09:00")));
    let c = &doc["schedule"]["conference"];
    assert_eq!((c["acronym"].as_str(), c["time_zone_name"].as_str()), (Some(SLUG), Some("America/Denver")));
    assert_eq!(c["daysCount"], 2, "both meeting days, the second empty");
}

#[tokio::test]
async fn guids_and_ids_stay_across_releases_and_the_etag_follows_the_bytes() {
    let (app, a) = published().await;
    let token = schedule_token(&app, &a).await;
    let path = format!("/schedules/{token}/schedule.json");
    let (_, _, etag, before) = fetch(&app, &path, None).await;
    assert!(etag.starts_with('"') && etag.len() == 66, "a strong SHA-256 ETag: {etag}");
    let (status, _, same, body) = fetch(&app, &path, Some(&etag)).await;
    assert_eq!((status, same.as_str(), body.as_str()), (304, etag.as_str(), ""), "unchanged: 304");

    // A new release that moves the GREEN session to 11:00.
    let doc: Value = serde_json::from_str(&before).expect("JSON");
    let green_id = by_title(&events(&doc), GREEN)["id"].as_i64().expect("id");
    let editor = app.get(&format!("{EDITOR}/sessions/{green_id}")).await.text().await.expect("form");
    assert!(editor.contains(GREEN), "the editor shows the session");
    let meeting_id = a.meeting.id;
    let rooms = app.db.query(move |c| csirt_meet::models::agenda::room::for_meeting(c, meeting_id)).await;
    let room_b = rooms.expect("rooms")[1].id.to_string();
    let (title, abstract_text) = (format!("Case {GREEN}"), format!("What happened: {GREEN}-ABSTRACT."));
    let speakers = format!("Speaker {GREEN}-SPEAKER (CERT.at)");
    let moved = [
        ("title", title.as_str()),
        ("abstract_text", abstract_text.as_str()),
        ("kind", "talk"),
        ("track", ""),
        ("room", room_b.as_str()),
        ("day", "2026-06-20"),
        ("starts", "11:00"),
        ("ends", "11:45"),
        ("speakers", speakers.as_str()),
        ("tlp", "TLP:GREEN"),
    ];
    let res = app.post_form(&format!("{EDITOR}/sessions/{green_id}"), &moved).await;
    assert_eq!(res.status(), 303, "moved");
    publish_agenda(&app).await;

    let (status, _, new_etag, after) = fetch(&app, &path, Some(&etag)).await;
    assert_eq!(status, 200, "the old ETag no longer matches");
    assert_ne!(new_etag, etag);
    let guids = |body: &str| {
        let doc: Value = serde_json::from_str(body).expect("JSON");
        let mut ids: Vec<(i64, String)> = events(&doc)
            .iter()
            .map(|e| {
                (e["id"].as_i64().unwrap_or_default(), e["guid"].as_str().unwrap_or_default().to_owned())
            })
            .collect();
        ids.sort();
        ids
    };
    assert_eq!(guids(&before), guids(&after), "the same guid and id for each session");
    let doc: Value = serde_json::from_str(&after).expect("JSON");
    assert_eq!(by_title(&events(&doc), GREEN)["start"], "11:00");
    assert_eq!(doc["schedule"]["version"], "Release 2");
    schedule(&app, &token).await;
}

#[tokio::test]
async fn a_schedule_address_stops_at_once_when_replaced_or_when_access_ends() {
    let app = spawn_app().await;
    let a = approved_attendee(&app, &[]).await;
    let token = schedule_token(&app, &a).await;
    let xml = format!("/schedules/{token}/schedule.xml");
    assert_eq!(fetch(&app, &xml, None).await.0, 404, "nothing released yet");
    let (_, rooms) = venue(&app, a.meeting.id).await;
    session(&app, GREEN, "TLP:GREEN", rooms[0], 9).await;
    publish_agenda(&app).await;
    assert_eq!(fetch(&app, &xml, None).await.0, 200);
    for wrong in [
        format!("/schedules/{token}/schedule.ics"),
        format!("/schedules/{}/schedule.xml", "0".repeat(64)),
        "/schedules/short/schedule.json".to_owned(),
    ] {
        assert_eq!(fetch(&app, &wrong, None).await.0, 404, "{wrong}");
    }
    // The feed's address opens no schedule, and the schedule's opens no feed.
    let feed = feed_path(&app, &a).await;
    let feed_token = feed.trim_start_matches("/feeds/").trim_end_matches(".ics");
    assert_eq!(fetch(&app, &format!("/schedules/{feed_token}/schedule.xml"), None).await.0, 404);
    assert_eq!(fetch(&app, &format!("/feeds/{token}.ics"), None).await.0, 404);

    // Replacing asks first, then the old address is gone.
    let path = format!("/me/calendar/{}/schedule", a.registration_id);
    let ask = app.post_form_with(&a.client, &path, &[]).await.text().await.expect("page");
    assert!(ask.contains("Make a new schedule address?"), "{ask}");
    assert_eq!(fetch(&app, &xml, None).await.0, 200, "asking changed nothing");
    let new = schedule_token(&app, &a).await;
    assert_eq!(fetch(&app, &xml, None).await.0, 404, "the old address");
    let page = app.page_with(&a.client, "/me/calendar").await;
    assert!(page.contains("You have a schedule address, made on"), "{page}");
    assert!(!page.contains(&new), "shown once only");

    // No longer approved: the same 404, at once.
    let fresh = format!("/schedules/{new}/schedule.json");
    assert_eq!(fetch(&app, &fresh, None).await.0, 200);
    let (id, now) = (a.registration_id, app.clock.now_naive());
    let organizer = app.db.query(|c| user::by_email(c, "organizer@cert.example")).await.expect("query");
    let by = organizer.expect("organizer").id;
    app.db
        .query(move |c| registration::set_decision(c, id, Status::Revoked, by, None, now))
        .await
        .expect("revoked");
    assert_eq!(fetch(&app, &fresh, None).await.0, 404, "revoked");
}

#[tokio::test]
async fn an_organizer_has_a_feed_of_the_whole_agenda_of_their_own() {
    let (app, a) = published().await;
    let page = app.get(&format!("/admin/meetings/{SLUG}")).await.text().await.expect("hub");
    assert!(page.contains(&format!("href=\"/admin/meetings/{SLUG}/calendar\"")), "the hub links it");
    let token = organizer_feed_token(&app).await;
    let path = format!("/feeds/organizer/{token}.ics");
    let (status, kind, etag, body) = fetch(&app, &path, None).await;
    assert_eq!((status, kind.as_str()), (200, "text/calendar; charset=utf-8"));
    assert_no_leak("the organizer's feed", &body);
    let read = read_with_parsers(&body);
    if let Some(read) = read {
        assert!(read.calendar.contains(&"X-WR-CALNAME".to_owned()), "a feed: {:?}", read.calendar);
        assert_eq!(read.events.len(), 6, "the meeting, the conference and four sessions");
    }
    let unfolded = body.replace("\r\n ", "");
    assert!(unfolded.contains(&format!("Case {GREEN}")) && unfolded.contains(&format!("{GREEN}-ABSTRACT")));
    // The same bytes as an attendee's whole-agenda feed.
    let attendee = feed_path(&app, &a).await;
    assert_eq!(fetch(&app, &attendee, None).await.3, body);
    assert_eq!(fetch(&app, &path, Some(&etag)).await.0, 304);

    let page = app.get(&format!("/admin/meetings/{SLUG}/calendar")).await.text().await.expect("page");
    assert!(page.contains("You have a feed address for this meeting, made on") && !page.contains(&token));
    let newer = organizer_feed_token(&app).await;
    assert_eq!(fetch(&app, &path, None).await.0, 404, "replaced");
    let newer_path = format!("/feeds/organizer/{newer}.ics");
    assert_eq!(fetch(&app, &newer_path, None).await.0, 200);
    let organizer = app.db.query(|c| user::by_email(c, "organizer@cert.example")).await.expect("query");
    let (id, now) = (organizer.expect("organizer").id, app.clock.now_naive());
    app.db.query(move |c| user::set_disabled(c, id, Some(now))).await.expect("disabled");
    assert_eq!(fetch(&app, &newer_path, None).await.0, 404, "a disabled account's feed stops");
}

#[tokio::test]
async fn a_day_downloads_as_one_calendar_file_under_the_tlp_rule() {
    let (app, a) = published().await;
    let path = format!("/meetings/{SLUG}/days/2026-06-20.ics");
    for client in [&app.client, &a.client] {
        let res = client.get(app.url(&path)).send().await.expect("sent");
        assert_eq!(res.status(), 200);
        let disposition = res.headers().get("content-disposition").and_then(|v| v.to_str().ok());
        assert_eq!(disposition, Some("attachment; filename=\"agenda-2026-06-20.ics\""));
        let body = res.text().await.expect("body");
        assert_no_leak("the day's file", &body);
        assert!(body.contains("TLP:RED session"), "{body}");
        if let Some(read) = read_with_parsers(&body) {
            assert_eq!(read.calendar, ["CALSCALE", "PRODID", "VERSION"], "a file to import, not a feed");
            assert_eq!(read.events.len(), 4, "the day's four sessions, no all-day objects");
            assert!(read.events.iter().all(|e| e.start.starts_with("2026-06-20T")), "{:?}", read.events);
        }
    }
    // The agenda links each day's file.
    let agenda = app.page_with(&a.client, &format!("/meetings/{SLUG}/agenda")).await;
    assert!(agenda.contains(&path), "{agenda}");
    // The second meeting day: an empty calendar; a day outside the meeting or no date: 404.
    let empty = a.client.get(app.url(&format!("/meetings/{SLUG}/days/2026-06-21.ics"))).send().await;
    let empty = empty.expect("sent").text().await.expect("body");
    assert!(empty.starts_with("BEGIN:VCALENDAR") && !empty.contains("BEGIN:VEVENT"), "{empty}");
    for wrong in ["2026-07-01", "20-06-2026", "today", "2026-6-20", "2026-06-020"] {
        let res = a.client.get(app.url(&format!("/meetings/{SLUG}/days/{wrong}.ics"))).send().await;
        assert_eq!(res.expect("sent").status(), 404, "{wrong}");
    }
}

#[tokio::test]
async fn signing_out_everywhere_with_the_feeds_stops_the_schedule_and_organizer_addresses_too() {
    let (app, a) = published().await;
    let schedule = format!("/schedules/{}/schedule.xml", schedule_token(&app, &a).await);
    let organizer = format!("/feeds/organizer/{}.ics", organizer_feed_token(&app).await);
    // Without the choice, only the sessions end.
    app.post_form_with(&a.client, "/me/sessions/end-all", &[]).await;
    assert_eq!(fetch(&app, &schedule, None).await.0, 200, "kept unless chosen");
    let again = approved_again(&app, &a).await;
    let res = app.post_form_with(&again, "/me/sessions/end-all", &[("replace_feeds", "yes")]).await;
    assert!(res.status().is_redirection() || res.status().is_success(), "{}", res.status());
    assert_eq!(fetch(&app, &schedule, None).await.0, 404, "the schedule address stopped");
    assert_eq!(fetch(&app, &organizer, None).await.0, 200, "another person's feed is untouched");
    app.post_form("/me/sessions/end-all", &[("replace_feeds", "yes")]).await;
    assert_eq!(fetch(&app, &organizer, None).await.0, 404, "the organizer's own feed stopped");
}

/// The attendee signed in again on a fresh client (after their sessions ended).
async fn approved_again(app: &TestApp, a: &Attendee) -> reqwest::Client {
    let (id, client) = (a.registration_id, new_client());
    let user_id = app.db.query(move |c| registration::find(c, id)).await.expect("registration").user_id;
    let email = "ana@cert-at.example".to_owned();
    app.sign_in_with(&client, &TestUser { id: user_id, email, password: PASSWORD.into(), totp: None }).await;
    client
}
