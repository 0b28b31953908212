//! The organizers' agenda editor: tracks and rooms, sessions in the meeting's local time,
//! conflicts, and releases with their change lists and SEQUENCEs.

use csirt_meet::domain::{agenda::SessionStatus, states::Role, tlp::Tlp};
use csirt_meet::models::{
    agenda::{release, room, session, track},
    meeting,
};

use crate::{
    fixtures::{COPENHAGEN_AUTUMN, meeting_form},
    helpers::{TestApp, location, refused_with, spawn_app},
};

const SLUG: &str = "natcsirt-2026";
const EDITOR: &str = "/admin/meetings/natcsirt-2026/agenda";

/// Organizer signed in and a meeting created through the form, with `changes` to the
/// Denver 2026 meeting of `meetings.rs`.
async fn meeting_with(app: &TestApp, changes: &[(&'static str, &'static str)]) -> meeting::Meeting {
    app.login_as_organizer().await;
    let res = app.post_form("/admin/meetings", &meeting_form(changes)).await;
    assert_eq!(res.status(), 303, "the meeting is created");
    app.db.query(|c| meeting::by_slug(c, SLUG)).await.expect("meeting")
}

async fn add_room(app: &TestApp, name: &str) -> i64 {
    let res = app
        .post_form(&format!("{EDITOR}/rooms"), &[("name", name), ("capacity", "80"), ("position", "1")])
        .await;
    assert_eq!(location(&res), format!("{EDITOR}?done=agenda-setup-saved"));
    let page = app.get(EDITOR).await.text().await.expect("body");
    assert!(page.contains(&format!("value=\"{name}\"")), "the editor lists the room");
    let rooms = app.db.query(|c| room::for_meeting(c, 1)).await.expect("query");
    rooms.into_iter().find(|r| r.name == name).expect("stored").id
}

fn session_form<'a>(
    title: &'a str,
    room: &'a str,
    day: &'a str,
    starts: &'a str,
    ends: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("title", title),
        ("abstract_text", "What we learned."),
        ("kind", "talk"),
        ("track", ""),
        ("room", room),
        ("day", day),
        ("starts", starts),
        ("ends", ends),
        ("speakers", "Ana Silva (CERT.br)"),
        ("tlp", "TLP:AMBER"),
    ]
}

async fn add_session(app: &TestApp, fields: &[(&str, &str)]) -> reqwest::Response {
    app.post_form(&format!("{EDITOR}/sessions"), fields).await
}

async fn draft(app: &TestApp, meeting_id: i64) -> Vec<session::Session> {
    app.db.query(move |c| session::for_meeting(c, meeting_id)).await.expect("query")
}

async fn publish(app: &TestApp) -> String {
    let res = app.post_form(&format!("{EDITOR}/publish"), &[("name", "")]).await;
    location(&res)
}

/// (session id, sequence, title) of the latest release.
async fn released(app: &TestApp, meeting_id: i64) -> Vec<(i64, i32, String)> {
    let (_, list) = app.db.query(move |c| release::latest_sessions(c, meeting_id)).await.expect("query");
    list.into_iter().map(|s| (s.session_id, s.sequence, s.title)).collect()
}

#[tokio::test]
async fn a_new_meeting_has_the_four_tracks_and_an_empty_draft() {
    let app = spawn_app().await;
    meeting_with(&app, &[]).await;
    let page = app.get(EDITOR).await.text().await.expect("body");
    for track in [
        "Information Sharing",
        "Technical Exchange",
        "Capability Development",
        "The Future of National CSIRTs",
    ] {
        assert!(page.contains(track), "{track}");
    }
    assert!(page.contains("nothing to publish"));
    assert!(page.contains("Sat 20 June 2026") && page.contains("Sun 21 June 2026"));
}

#[tokio::test]
async fn members_cannot_open_the_editor() {
    let app = spawn_app().await;
    meeting_with(&app, &[]).await;
    let member = app.create_user("member@cert-at.example", Role::Member).await;
    let client = crate::helpers::new_client();
    app.sign_in_with(&client, &member).await;
    let res = client.get(app.url(EDITOR)).send().await.expect("sent");
    assert_eq!(res.status(), 403);
}

#[tokio::test]
async fn a_session_is_entered_in_local_time_and_stored_in_utc() {
    let app = spawn_app().await;
    let m = meeting_with(&app, &[]).await;
    let room = add_room(&app, "Ballroom").await.to_string();
    let res =
        add_session(&app, &session_form("Sharing at scale", &room, "2026-06-20", "09:00", "10:30")).await;
    assert_eq!(location(&res), format!("{EDITOR}?done=session-saved"));
    let saved = draft(&app, m.id).await;
    assert_eq!(saved.len(), 1);
    assert_eq!(saved[0].starts_at.to_string(), "2026-06-20 15:00:00", "09:00 MDT is 15:00 UTC");
    assert_eq!(saved[0].ends_at.to_string(), "2026-06-20 16:30:00");
    assert_eq!(saved[0].tlp, Tlp::Amber);
    assert_eq!(saved[0].uid.len(), 36, "a random UUID");
    let page = app.get(EDITOR).await.text().await.expect("body");
    assert!(page.contains("09:00–10:30 MDT"), "the editor shows local times");
    assert!(page.contains("Ana Silva (CERT.br)"));
}

#[tokio::test]
async fn two_sessions_in_one_room_at_once_are_refused_and_nothing_is_written() {
    let app = spawn_app().await;
    let m = meeting_with(&app, &[]).await;
    let room = add_room(&app, "Ballroom").await.to_string();
    add_session(&app, &session_form("First", &room, "2026-06-20", "09:00", "10:00")).await;
    let res = add_session(&app, &session_form("Second", &room, "2026-06-20", "09:30", "10:30")).await;
    let page = refused_with(res, &[("room", "The room is taken at that time by “First”.")]).await;
    assert!(page.contains("value=\"Second\""), "the input is kept");
    assert_eq!(draft(&app, m.id).await.len(), 1);
}

#[tokio::test]
async fn one_speaker_in_two_rooms_at_once_is_saved_with_a_warning() {
    let app = spawn_app().await;
    let m = meeting_with(&app, &[]).await;
    let a = add_room(&app, "Ballroom").await.to_string();
    let b = add_room(&app, "Room B").await.to_string();
    add_session(&app, &session_form("First", &a, "2026-06-20", "09:00", "10:00")).await;
    let res = add_session(&app, &session_form("Second", &b, "2026-06-20", "09:30", "10:30")).await;
    assert_eq!(res.status(), 303);
    assert_eq!(draft(&app, m.id).await.len(), 2);
    let page = app.get(EDITOR).await.text().await.expect("body");
    assert!(page.contains("Warning: Ana Silva also speaks at “First” at that time."), "{page}");
}

#[tokio::test]
async fn sessions_outside_the_days_or_ending_before_they_start_are_refused() {
    let app = spawn_app().await;
    let m = meeting_with(&app, &[]).await;
    let res = add_session(&app, &session_form("Early", "", "2026-06-19", "09:00", "10:00")).await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.expect("body").contains("within the meeting&#x27;s days"));
    let res = add_session(&app, &session_form("Backwards", "", "2026-06-20", "11:00", "10:00")).await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.expect("body").contains("must end after it starts"));
    assert!(draft(&app, m.id).await.is_empty());
}

#[tokio::test]
async fn a_local_time_skipped_by_dst_is_refused() {
    let app = spawn_app().await;
    let m = meeting_with(
        &app,
        &[
            ("time_zone", "Europe/Copenhagen"),
            ("city", "Copenhagen"),
            ("conference_city", "Copenhagen"),
            ("first_day", "2026-03-28"),
            ("last_day", "2026-03-29"),
            ("conference_first_day", "2026-03-22"),
            ("conference_last_day", "2026-03-27"),
            ("registration_opens", "2026-01-10"),
            ("registration_closes", "2026-03-01"),
        ],
    )
    .await;
    let res = add_session(&app, &session_form("Night owls", "", "2026-03-29", "02:30", "03:30")).await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.expect("body").contains("does not exist in Europe&#x2F;Copenhagen"));
    assert!(draft(&app, m.id).await.is_empty());
}

#[tokio::test]
async fn a_session_across_the_autumn_dst_change_lasts_its_real_length() {
    let app = spawn_app().await;
    let m = meeting_with(&app, &COPENHAGEN_AUTUMN).await;
    let res = add_session(&app, &session_form("Through the night", "", "2026-10-25", "01:30", "03:30")).await;
    assert_eq!(res.status(), 303);
    let s = &draft(&app, m.id).await[0];
    assert_eq!(s.starts_at.to_string(), "2026-10-24 23:30:00", "01:30 CEST");
    assert_eq!(s.ends_at.to_string(), "2026-10-25 02:30:00", "03:30 CET");
    let page = app.get(EDITOR).await.text().await.expect("body");
    assert!(page.contains("01:30 CEST – 03:30 CET"), "each time with its own zone");
    let res = add_session(&app, &session_form("Twice", "", "2026-10-25", "02:30", "04:00")).await;
    assert_eq!(res.status(), 422, "02:30 happens twice that night");
}

#[tokio::test]
async fn draft_edits_reach_a_release_only_when_published_and_raise_the_sequence_once() {
    let app = spawn_app().await;
    let m = meeting_with(&app, &[]).await;
    let a = add_room(&app, "Ballroom").await.to_string();
    let b = add_room(&app, "Room B").await.to_string();
    add_session(&app, &session_form("Keynote", &a, "2026-06-20", "09:00", "10:00")).await;
    add_session(&app, &session_form("Workshop", &b, "2026-06-20", "11:00", "12:00")).await;
    assert!(released(&app, m.id).await.is_empty(), "nothing is published before the first release");

    assert_eq!(publish(&app).await, format!("{EDITOR}?done=agenda-published"));
    let first = released(&app, m.id).await;
    assert_eq!(first.iter().map(|r| r.1).collect::<Vec<_>>(), [0, 0], "sequences start at 0");
    let id = first[0].0;

    // Two draft edits of one session, then one release.
    let edit = format!("{EDITOR}/sessions/{id}");
    app.post_form(&edit, &session_form("Opening keynote", &a, "2026-06-20", "09:00", "10:00")).await;
    let res =
        app.post_form(&edit, &session_form("Opening keynote", &b, "2026-06-20", "09:00", "10:00")).await;
    assert_eq!(res.status(), 303);
    assert_eq!(released(&app, m.id).await[0].2, "Keynote", "the release still holds the old title");
    let page = app.get(EDITOR).await.text().await.expect("body");
    assert!(
        page.contains("Opening keynote</a>: room changed, title changed"),
        "the preview lists the changes"
    );

    publish(&app).await;
    let second = released(&app, m.id).await;
    assert_eq!(second[0], (id, 1, "Opening keynote".to_owned()), "one rise for the release");
    assert_eq!(second[1].1, 0, "the unchanged session keeps its sequence");
    let latest = app.db.query(move |c| release::latest(c, m.id)).await.expect("query").expect("release");
    assert_eq!(latest.number, 2);
    assert_eq!(latest.name, "Release 2");
    let list = latest.change_list();
    assert_eq!(list.len(), 1);
    assert_eq!(
        list[0].changes.iter().map(|c| c.label()).collect::<Vec<_>>(),
        ["room changed", "title changed"]
    );

    assert_eq!(publish(&app).await, format!("{EDITOR}?done=agenda-unchanged"), "nothing to publish");
    assert_eq!(released(&app, m.id).await[0].1, 1, "an empty publish raises nothing");
}

#[tokio::test]
async fn a_cancelled_session_is_news_in_the_next_release() {
    let app = spawn_app().await;
    let m = meeting_with(&app, &[]).await;
    add_session(&app, &session_form("Keynote", "", "2026-06-20", "09:00", "10:00")).await;
    publish(&app).await;
    let id = draft(&app, m.id).await[0].id;
    let res = app.post_form(&format!("{EDITOR}/sessions/{id}/cancel"), &[("confirm", "yes")]).await;
    assert_eq!(location(&res), format!("{EDITOR}?done=session-cancelled"));
    publish(&app).await;
    let latest = app.db.query(move |c| release::latest_sessions(c, m.id)).await.expect("query");
    assert_eq!(latest.1[0].status, SessionStatus::Cancelled);
    assert_eq!(latest.1[0].sequence, 1);
    let changes = latest.0.expect("release").change_list();
    assert_eq!(changes[0].changes.iter().map(|c| c.label()).collect::<Vec<_>>(), ["cancelled"]);
}

#[tokio::test]
async fn tracks_and_rooms_refuse_bad_input_and_duplicate_names_beside_the_field_of_their_form() {
    let app = spawn_app().await;
    let m = meeting_with(&app, &[]).await;
    let fields =
        [("name", "Technical Exchange"), ("colour", "blue"), ("description", "Kept"), ("position", "5")];
    let res = app.post_form(&format!("{EDITOR}/tracks"), &fields).await;
    let page =
        refused_with(res, &[("new-track-name", "Another track or room of this meeting has that name.")])
            .await;
    assert!(
        page.contains(r#"id="new-track-description" name="description" value="Kept""#),
        "the input is kept"
    );
    let res = app
        .post_form(
            &format!("{EDITOR}/tracks"),
            &[("name", "Hallway"), ("colour", "neon"), ("description", ""), ("position", "5")],
        )
        .await;
    refused_with(res, &[("new-track-colour", "Choose one of the colours.")]).await;
    let res = app
        .post_form(&format!("{EDITOR}/rooms"), &[("name", "Hall"), ("capacity", "lots"), ("position", "1")])
        .await;
    let page =
        refused_with(res, &[("new-room-capacity", "Enter the capacity as a whole number from 0 to 10000.")])
            .await;
    assert!(page.contains(r#"id="new-room-capacity" name="capacity" value="lots""#), "the input is kept");
    // A stored track's own form: the message and the typed name on its row.
    let tracks = app.db.query(move |c| track::for_meeting(c, m.id)).await.expect("query");
    let (first, second) = (&tracks[0], &tracks[1]);
    let fields = [("name", second.name.as_str()), ("colour", "blue"), ("description", ""), ("position", "1")];
    let res = app.post_form(&format!("{EDITOR}/tracks/{}", first.id), &fields).await;
    let field = format!("track-{}-name", first.id);
    let page = refused_with(res, &[(&field, "Another track or room of this meeting has that name.")]).await;
    assert!(
        page.contains(&format!(r#"id="{field}" name="name" value="{}""#, second.name)),
        "the input is kept"
    );
    let res = app
        .post_form(
            &format!("{EDITOR}/tracks"),
            &[
                ("name", "Hallway"),
                ("colour", "orange"),
                ("description", "Talks in the hallway"),
                ("position", "5"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let page = app.get(EDITOR).await.text().await.expect("body");
    assert!(page.contains("value=\"Hallway\""));
}

#[tokio::test]
async fn a_release_name_too_long_is_refused_beside_its_field_and_kept() {
    let app = spawn_app().await;
    meeting_with(&app, &[]).await;
    add_session(&app, &session_form("Keynote", "", "2026-06-20", "09:00", "10:00")).await;
    let name = "Final ".repeat(20);
    let res = app.post_form(&format!("{EDITOR}/publish"), &[("name", name.as_str())]).await;
    let page = refused_with(res, &[("release-name", "Keep the release name under 80 characters.")]).await;
    assert!(page.contains(&format!(r#"name="name" value="{}""#, name.trim())), "the input is kept");
}

#[tokio::test]
async fn the_dashboard_shows_unpublished_draft_changes_until_they_are_published() {
    let app = spawn_app().await;
    meeting_with(&app, &[]).await;
    let dashboard = app.get("/admin").await.text().await.expect("body");
    assert!(!dashboard.contains("unpublished change"), "an empty draft needs nothing");
    add_session(&app, &session_form("Keynote", "", "2026-06-20", "09:00", "10:00")).await;
    add_session(&app, &session_form("Lunch", "", "2026-06-20", "12:00", "13:00")).await;
    let dashboard = app.get("/admin").await.text().await.expect("body");
    assert!(dashboard.contains("the draft agenda has 2 unpublished changes"), "{dashboard}");
    publish(&app).await;
    let dashboard = app.get("/admin").await.text().await.expect("body");
    assert!(!dashboard.contains("unpublished change"));
}
