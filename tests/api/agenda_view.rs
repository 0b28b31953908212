//! Flow 2, the attendee's agenda: who may read it, that it shows only the latest release,
//! TLP labels, times in the meeting's zone across DST changes, the track filter, picks,
//! "changed since you last looked" marks, the change list and the session page.

use chrono::NaiveDate;
use csirt_meet::domain::{
    agenda::{Kind, SessionStatus},
    states::Role,
    tlp::Tlp,
};
use csirt_meet::{
    db,
    domain::registration::Status,
    models::agenda::{
        release,
        session::{self, SessionFields},
    },
};

use crate::{
    fixtures::{
        AGENDA, AgendaFixture, MeetingRow, add_session_row, approved_attendee, pending_registration, utc,
        venue,
    },
    helpers::{TestApp, location, new_client, second_instance, spawn_app},
};

async fn edit(app: &TestApp, id: i64, f: SessionFields) {
    let (now, speakers) = (app.clock.now_naive(), vec![session::NewSpeaker::text("Ana Silva", "CERT.br")]);
    app.db.query(move |c| session::update(c, id, &f, &speakers, now)).await.expect("edited");
}

/// The start of the next-step text `/me` shows for a registration in `status`.
fn next_step(status: Status) -> &'static str {
    match status {
        Status::PendingVerification => "Confirm your email address",
        Status::Pending => "The organizers review your registration.",
        Status::Waitlisted => "If a place becomes free",
        Status::Offered => "A place in your team is free and held for you",
        Status::Rejected | Status::Revoked => "You cannot attend this meeting.",
        Status::Withdrawn => "You withdrew.",
        Status::Approved => "You are confirmed to attend.",
    }
}

/// Status and body of a page, with Tera's escaped slashes put back.
async fn read(app: &TestApp, client: &reqwest::Client, path: &str) -> (u16, String) {
    let res = client.get(app.url(path)).send().await.expect("sent");
    let status = res.status().as_u16();
    (status, res.text().await.expect("body").replace("&#x2F;", "/").replace("&amp;", "&"))
}

#[tokio::test]
async fn only_approved_attendees_and_organizers_read_the_agenda() {
    let fx = AgendaFixture::set_up().await;
    let id = add_session_row(&fx.app, fx.meeting.id, fx.talk("Sharing at scale")).await;
    fx.publish("First").await;
    let pages = [
        AGENDA.to_owned(),
        format!("/meetings/natcsirt-2026/sessions/{id}"),
        "/meetings/natcsirt-2026/changes".to_owned(),
    ];

    let (status, body) = read(&fx.app, &fx.app.client, AGENDA).await;
    assert_eq!(status, 200, "organizers read the agenda");
    assert!(body.contains("Sharing at scale"));

    for (n, state) in Status::ALL.into_iter().enumerate() {
        let client = fx.attendee(&format!("person{n}@cert-at.example"), state).await;
        for path in &pages {
            let (status, body) = read(&fx.app, &client, path).await;
            if state == Status::Approved {
                assert_eq!(status, 200, "approved attendees read {path}");
                assert!(body.contains("Sharing at scale"), "{path}");
            } else {
                assert_eq!(status, 403, "{state:?} may not read {path}");
                assert!(!body.contains("Sharing at scale"), "{state:?} sees no session on {path}");
                assert!(body.contains(state.label()), "the page names the status {state:?}: {body}");
                assert!(body.contains(next_step(state)), "the page says what comes next for {state:?}");
            }
        }
    }

    let stranger = fx.app.create_user("someone@elsewhere.example", Role::Member).await;
    let client = new_client();
    fx.app.sign_in_with(&client, &stranger).await;
    let (status, body) = read(&fx.app, &client, AGENDA).await;
    assert_eq!(status, 403, "a member without a registration is refused");
    assert!(body.contains("You are not registered for this meeting."));

    for path in &pages {
        let res = new_client().get(fx.app.url(path)).send().await.expect("sent");
        assert_eq!(res.status(), 303, "anonymous visitors sign in first");
        assert_eq!(location(&res), "/login");
    }
}

#[tokio::test]
async fn draft_edits_stay_invisible_until_published() {
    let fx = AgendaFixture::set_up().await;
    let reader = fx.attendee("alice@cert-at.example", Status::Approved).await;
    let (status, body) = read(&fx.app, &reader, AGENDA).await;
    assert_eq!(status, 200);
    assert!(body.contains("The agenda is not published yet."));

    let id = add_session_row(&fx.app, fx.meeting.id, fx.talk("Old title")).await;
    let (_, body) = read(&fx.app, &reader, AGENDA).await;
    assert!(!body.contains("Old title"), "a draft session is not shown");
    assert!(body.contains("The agenda is not published yet."));

    fx.publish("First").await;
    let (_, body) = read(&fx.app, &reader, AGENDA).await;
    assert!(body.contains("Old title"));

    edit(&fx.app, id, fx.talk("New title")).await;
    for client in [&reader, &fx.app.client] {
        let (_, body) = read(&fx.app, client, AGENDA).await;
        assert!(body.contains("Old title") && !body.contains("New title"), "the edit waits for a release");
        let (_, body) = read(&fx.app, client, &format!("/meetings/natcsirt-2026/sessions/{id}")).await;
        assert!(body.contains("Old title") && !body.contains("New title"));
    }

    fx.publish("Second").await;
    let (_, body) = read(&fx.app, &reader, AGENDA).await;
    assert!(body.contains("New title") && !body.contains("Old title"), "the release brings the edit");
}

#[tokio::test]
async fn a_session_outside_the_latest_release_is_not_found() {
    let fx = AgendaFixture::set_up().await;
    let reader = fx.attendee("alice@cert-at.example", Status::Approved).await;
    let published = add_session_row(&fx.app, fx.meeting.id, fx.talk("Published talk")).await;
    fx.publish("First").await;
    let draft = add_session_row(&fx.app, fx.meeting.id, fx.talk("Draft talk")).await;

    let (status, _) = read(&fx.app, &reader, &format!("/meetings/natcsirt-2026/sessions/{draft}")).await;
    assert_eq!(status, 404, "a draft-only session is not found");
    let (status, body) =
        read(&fx.app, &reader, &format!("/meetings/natcsirt-2026/sessions/{published}")).await;
    assert_eq!(status, 200);
    for expected in [
        "Published talk",
        // One zone for both times: said once, after the end.
        r#">Sat 20 June 2026, 09:00</time> – <time"#,
        r#">10:00 MDT</time>"#,
        "Ballroom",
        "Information Sharing",
        "Talk",
        "Ana Silva (CERT.br)",
        r#"<span class="tlp tlp-amber">TLP:AMBER</span>"#,
        "First line.\nSecond line.",
        r#"<script src="/assets/local-time.js" defer></script>"#,
    ] {
        assert!(body.contains(expected), "the session page shows {expected}");
    }
    assert!(!body.contains("style="), "no inline style");
}

#[tokio::test]
async fn tlp_labels_are_written_exactly_in_their_colour_classes() {
    let fx = AgendaFixture::set_up().await;
    let labels = [
        ("TLP:CLEAR", "tlp-clear"),
        ("TLP:GREEN", "tlp-green"),
        ("TLP:AMBER", "tlp-amber"),
        ("TLP:AMBER+STRICT", "tlp-amber-strict"),
        ("TLP:RED", "tlp-red"),
    ];
    for (n, (label, _)) in labels.iter().enumerate() {
        let mut f = fx.talk(&format!("Session {n}"));
        f.tlp = label.parse().expect("a label");
        add_session_row(&fx.app, fx.meeting.id, f).await;
    }
    fx.publish("First").await;
    let (_, body) = read(&fx.app, &fx.app.client, AGENDA).await;
    for (label, class) in labels {
        assert!(body.contains(&format!(r#"<span class="tlp {class}">{label}</span>"#)), "{label}");
    }
    assert!(
        body.contains(r#"<section class="agenda-grid""#) && body.contains(r#"<section class="agenda-list""#)
    );
    assert!(!body.contains("style="), "no inline style: the CSP forbids it");
    let css = fx.app.get("/assets/style.css").await.text().await.expect("css");
    assert!(css.contains(".agenda-day { break-before: page; }"), "print: one day per page");
    for rule in [
        ".tlp { background: #000",
        ".tlp-red { color: #ff2b2b",
        ".tlp-green { color: #33ff00",
        "#ffc000",
        ".tlp-clear { color: #ffffff",
    ] {
        assert!(css.contains(rule), "{rule}");
    }
}

#[tokio::test]
async fn times_are_shown_in_the_meeting_zone_on_both_sides_of_a_dst_change() {
    let fx = AgendaFixture::set_up().await;
    // Denver: Sat 20 June 09:00 MDT is 15:00 UTC.
    add_session_row(&fx.app, fx.meeting.id, fx.talk("Denver talk")).await;
    fx.publish("First").await;
    let (_, body) = read(&fx.app, &fx.app.client, AGENDA).await;
    // The list says the day once, in its heading, and each session's clock below it.
    let list = &body[body.find(r#"<section class="agenda-list""#).expect("list")..];
    assert!(list.contains(r#"<h2>Sat 20 June 2026 <span class="tlp "#), "{list}");
    assert!(list.contains(r#"<time class="meeting-time" datetime="2026-06-20T15:00:00Z">09:00</time>"#));
    assert!(list.contains(r#"datetime="2026-06-20T16:00:00Z">10:00 MDT</time>"#));
    assert!(!list.contains("2026, 09:00"), "no session repeats the date");

    // Copenhagen, the night the clocks go back: 01:30 CEST to 03:30 CET is three hours.
    let day = |d| NaiveDate::from_ymd_opt(2026, 10, d).expect("d");
    let cph = MeetingRow::new("natcsirt-cph", day(24))
        .title("NatCSIRT Copenhagen")
        .place("Copenhagen", "Bella Center", "Europe/Copenhagen")
        .conference("FIRST Regional", day(21), day(23))
        .registration(utc(5, 1, 0, 0), utc(10, 1, 0, 0))
        .uids("cph-m", "cph-c")
        .insert(&fx.app)
        .await;
    let (tracks, rooms) = venue(&fx.app, cph.id).await;
    let mut night = fx.talk("Night shift");
    (night.track_id, night.room_id) = (Some(tracks[1]), Some(rooms[0]));
    (night.starts_at, night.ends_at) = (utc(10, 24, 23, 30), utc(10, 25, 2, 30));
    add_session_row(&fx.app, cph.id, night).await;
    let mut morning = fx.talk("Saturday morning");
    (morning.track_id, morning.room_id) = (Some(tracks[0]), Some(rooms[1]));
    (morning.starts_at, morning.ends_at) = (utc(10, 24, 8, 0), utc(10, 24, 9, 0));
    add_session_row(&fx.app, cph.id, morning).await;
    let (cph_id, by, now) = (cph.id, fx.organizer, fx.app.clock.now_naive());
    fx.app
        .db
        .query(move |c| db::transaction(c, |c| release::publish(c, cph_id, "First", by, now).map(|_| ())))
        .await
        .expect("published");

    let (_, body) = read(&fx.app, &fx.app.client, "/meetings/natcsirt-cph/agenda?day=2026-10-25").await;
    // Each session sits under the heading of its local day, with its clock only.
    let list = &body[body.find(r#"<section class="agenda-list""#).expect("list")..];
    let (saturday, sunday) = list.split_at(list.find("<h2>Sun 25 October 2026 ").expect("Sunday"));
    assert!(saturday.contains("<h2>Sat 24 October 2026 "));
    assert!(sunday.contains(r#"datetime="2026-10-24T23:30:00Z">01:30 CEST</time>"#));
    assert!(sunday.contains(r#"datetime="2026-10-25T02:30:00Z">03:30 CET</time>"#));
    assert!(saturday.contains(r#"datetime="2026-10-24T08:00:00Z">10:00</time>"#), "one zone: said once");
    assert!(saturday.contains(r#"datetime="2026-10-24T09:00:00Z">11:00 CEST</time>"#));
    assert!(
        body.contains(r#"<h2 class="grid-day">Sun 25 October 2026</h2>"#),
        "the grid shows the chosen day"
    );
    let (_, first) = read(&fx.app, &fx.app.client, "/meetings/natcsirt-cph/agenda").await;
    assert!(first.contains(r#"<h2 class="grid-day">Sat 24 October 2026</h2>"#), "the first day by default");
    let grid = &body[body.find("agenda-grid").expect("grid")..body.find("agenda-list").expect("list")];
    assert!(grid.contains("Night shift") && !grid.contains("Saturday morning"));
    // The grid's rows follow the wall clock: 01:30 CEST is its first row, and its label
    // says the zone of that hour.
    assert!(grid.contains(r#"<time datetime="2026-10-24T23:30:00Z">01:30 CEST</time>"#), "{grid}");
    assert!(
        grid.contains("tl-r0 tl-h24 tl-c0 tl-w1"),
        "01:30 CEST to 03:30 CET: two hours of the wall clock"
    );
}

#[tokio::test]
async fn the_track_filter_keeps_one_track() {
    let fx = AgendaFixture::set_up().await;
    add_session_row(&fx.app, fx.meeting.id, fx.talk("About sharing")).await;
    let mut other = fx.talk("About tooling");
    (other.track_id, other.room_id) = (Some(fx.tracks[1]), Some(fx.rooms[1]));
    add_session_row(&fx.app, fx.meeting.id, other).await;
    fx.publish("First").await;

    let (_, body) = read(&fx.app, &fx.app.client, AGENDA).await;
    assert!(body.contains("About sharing") && body.contains("About tooling"));
    let link = format!("{AGENDA}?day=2026-06-20&track={}", fx.tracks[1]);
    assert!(body.contains(&format!(r#"href="{link}""#)), "each track is a plain link");
    assert!(body.contains("track-blue") && body.contains("track-teal"), "track colours are classes");

    for path in [link, format!("{AGENDA}?track=Technical+Exchange")] {
        let (status, body) = read(&fx.app, &fx.app.client, &path).await;
        assert_eq!(status, 200);
        assert!(body.contains("About tooling"), "{path}");
        assert!(!body.contains("About sharing"), "{path}");
    }
}

#[tokio::test]
async fn attendees_pick_sessions_into_their_agenda_and_remove_them() {
    let fx = AgendaFixture::set_up().await;
    let reader = fx.attendee("alice@cert-at.example", Status::Approved).await;
    let a = add_session_row(&fx.app, fx.meeting.id, fx.talk("Picked talk")).await;
    let mut f = fx.talk("Other talk");
    f.room_id = Some(fx.rooms[1]);
    add_session_row(&fx.app, fx.meeting.id, f).await;
    fx.publish("First").await;
    let draft = add_session_row(&fx.app, fx.meeting.id, fx.talk("Draft talk")).await;

    let back = format!("{AGENDA}?day=2026-06-20");
    let res = fx
        .app
        .post_form_with(&reader, &format!("/meetings/natcsirt-2026/sessions/{a}/pick"), &[("back", &back)])
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(location(&res), format!("{back}#s-{a}"));
    let (_, body) = read(&fx.app, &reader, &format!("{AGENDA}?mine=1")).await;
    assert!(body.contains("Picked talk") && !body.contains("Other talk"), "my agenda holds the pick");
    assert!(body.contains(&format!(r#"action="/meetings/natcsirt-2026/sessions/{a}/unpick""#)));

    let res = fx
        .app
        .post_form_with(
            &reader,
            &format!("/meetings/natcsirt-2026/sessions/{a}/unpick"),
            &[("back", "https://evil.example/")],
        )
        .await;
    assert_eq!(location(&res), format!("{AGENDA}#s-{a}"), "only pages of the agenda are a way back");
    let (_, body) = read(&fx.app, &reader, &format!("{AGENDA}?mine=1")).await;
    assert!(!body.contains("Picked talk"));
    assert!(body.contains("You have not picked a session on this day."));

    let res =
        fx.app.post_form_with(&reader, &format!("/meetings/natcsirt-2026/sessions/{draft}/pick"), &[]).await;
    assert_eq!(res.status(), 404, "a draft session cannot be picked");
    let res = fx.app.post_form(&format!("/meetings/natcsirt-2026/sessions/{a}/pick"), &[]).await;
    assert_eq!(res.status(), 403, "organizers have no agenda of their own");
    let waitlisted = fx.attendee("bo@cert-at.example", Status::Waitlisted).await;
    let res =
        fx.app.post_form_with(&waitlisted, &format!("/meetings/natcsirt-2026/sessions/{a}/pick"), &[]).await;
    assert_eq!(res.status(), 403);
}

#[tokio::test]
async fn a_way_back_with_a_line_break_leads_to_the_agenda_and_the_pick_is_kept_once() {
    let fx = AgendaFixture::set_up().await;
    let reader = fx.attendee("alice@cert-at.example", Status::Approved).await;
    let a = add_session_row(&fx.app, fx.meeting.id, fx.talk("Picked talk")).await;
    fx.publish("First").await;
    for (path, back) in
        [("pick", format!("{AGENDA}\r\nSet-Cookie: session=x")), ("unpick", format!("{AGENDA}\n"))]
    {
        let res = fx
            .app
            .post_form_with(
                &reader,
                &format!("/meetings/natcsirt-2026/sessions/{a}/{path}"),
                &[("back", &back)],
            )
            .await;
        assert_eq!(res.status(), 303, "{path}");
        assert_eq!(location(&res), format!("{AGENDA}#s-{a}"));
        assert!(res.headers().get("set-cookie").is_none_or(|c| !c.to_str().unwrap_or("").contains("=x")));
        let (_, body) = read(&fx.app, &reader, &format!("{AGENDA}?mine=1")).await;
        assert_eq!(body.contains("Picked talk"), path == "pick", "{path} took effect");
    }
}

#[tokio::test]
async fn changes_since_the_last_look_are_marked_once() {
    let fx = AgendaFixture::set_up().await;
    let reader = fx.attendee("alice@cert-at.example", Status::Approved).await;
    let id = add_session_row(&fx.app, fx.meeting.id, fx.talk("Moving talk")).await;
    fx.publish("First").await;
    let mark = "Changed since you last looked:";
    let (_, body) = read(&fx.app, &reader, AGENDA).await;
    assert!(!body.contains(mark), "a first look has nothing to compare with");

    let mut later = fx.talk("Moving talk");
    (later.starts_at, later.ends_at) = (utc(6, 20, 17, 0), utc(6, 20, 18, 0));
    edit(&fx.app, id, later).await;
    let (_, body) = read(&fx.app, &reader, AGENDA).await;
    assert!(!body.contains(mark), "draft edits mark nothing");
    fx.publish("Second").await;

    let (_, body) = read(&fx.app, &reader, AGENDA).await;
    assert!(body.contains(&format!("{mark}</strong> moved")), "the new release is marked");
    let (_, body) = read(&fx.app, &reader, AGENDA).await;
    assert!(!body.contains(mark), "seen once, the mark is gone");
    let (_, body) = read(&fx.app, &fx.app.client, AGENDA).await;
    assert!(!body.contains(mark), "organizers get no marks");
}

/// Another instance may show the release before for up to a second (its agenda outline):
/// a look there does not take the "seen" mark back to that release.
#[tokio::test]
async fn a_look_at_an_older_release_elsewhere_does_not_bring_marks_back() {
    let fx = AgendaFixture::set_up().await;
    let reader = fx.attendee("alice@cert-at.example", Status::Approved).await;
    let id = add_session_row(&fx.app, fx.meeting.id, fx.talk("Moving talk")).await;
    fx.publish("First").await;
    let (other, handle) = second_instance(&fx.app).await;
    let look_there = || async {
        let res = reader.get(format!("{other}{AGENDA}")).send().await.expect("sent");
        assert_eq!(res.status(), 200);
        res.text().await.expect("body")
    };
    look_there().await;
    let mut later = fx.talk("Moving talk");
    (later.starts_at, later.ends_at) = (utc(6, 20, 17, 0), utc(6, 20, 18, 0));
    edit(&fx.app, id, later).await;
    fx.publish("Second").await;
    let mark = "Changed since you last looked:";
    let (_, body) = read(&fx.app, &reader, AGENDA).await;
    assert!(body.contains(mark), "the new release is marked here");
    // Within its second, the other instance still shows the first release, and notes it.
    look_there().await;
    let (_, body) = read(&fx.app, &reader, AGENDA).await;
    assert!(!body.contains(mark), "seen once, the mark stays gone");
    handle.stop(true).await;
}

#[tokio::test]
async fn the_changes_page_lists_releases_newest_first() {
    let fx = AgendaFixture::set_up().await;
    let reader = fx.attendee("alice@cert-at.example", Status::Approved).await;
    let a = add_session_row(&fx.app, fx.meeting.id, fx.talk("Talk A")).await;
    let mut f = fx.talk("Talk B");
    f.room_id = Some(fx.rooms[1]);
    let b = add_session_row(&fx.app, fx.meeting.id, f.clone()).await;
    fx.publish("Programme").await;
    let mut moved = fx.talk("Talk A");
    (moved.starts_at, moved.ends_at) = (utc(6, 21, 15, 0), utc(6, 21, 16, 0));
    edit(&fx.app, a, moved).await;
    f.tlp = Tlp::Red;
    edit(&fx.app, b, f).await;
    fx.publish("Update").await;

    let (status, body) = read(&fx.app, &reader, "/meetings/natcsirt-2026/changes").await;
    assert_eq!(status, 200);
    let second = body.find("Release 2: Update").expect("release 2");
    let first = body.find("Release 1: Programme").expect("release 1");
    assert!(second < first, "newest first");
    assert!(body.contains(&format!(r#"<a href="/meetings/natcsirt-2026/sessions/{a}">Talk A</a>: moved"#)));
    assert!(body.contains("Talk B</a>: TLP label changed"));
    assert!(body[first..].contains("Talk A</a>: new"));
}

#[tokio::test]
async fn a_cancelled_session_is_struck_through() {
    let fx = AgendaFixture::set_up().await;
    let id = add_session_row(&fx.app, fx.meeting.id, fx.talk("Called off")).await;
    fx.publish("First").await;
    let now = fx.app.clock.now_naive();
    fx.app
        .db
        .query(move |c| session::set_status(c, id, SessionStatus::Cancelled, now))
        .await
        .expect("cancelled");
    fx.publish("Second").await;
    let (_, body) = read(&fx.app, &fx.app.client, AGENDA).await;
    assert!(body.contains(r#"<s><a href="/meetings/natcsirt-2026/sessions/"#));
    assert!(body.contains(r#"Called off</a></s> <strong class="cancelled-word">cancelled</strong>"#));
}

#[tokio::test]
async fn the_public_overview_never_shows_a_session() {
    let fx = AgendaFixture::set_up().await;
    let reader = fx.attendee("alice@cert-at.example", Status::Approved).await;
    add_session_row(&fx.app, fx.meeting.id, fx.talk("Secret session title")).await;
    fx.publish("First").await;
    for client in [&new_client(), &reader, &fx.app.client] {
        let (status, body) = read(&fx.app, client, "/").await;
        assert_eq!(status, 200);
        assert!(body.contains("NatCSIRT 2026"), "the overview shows the meeting");
        assert!(!body.contains("Secret session title"));
    }
}

#[tokio::test]
async fn approved_attendees_and_organizers_find_the_agenda_from_their_pages() {
    let fx = AgendaFixture::set_up().await;
    let reader = fx.attendee("alice@cert-at.example", Status::Approved).await;
    let (_, body) = read(&fx.app, &reader, "/me").await;
    assert!(body.contains(&format!(r#"href="{AGENDA}""#)));
    let (_, body) = read(&fx.app, &fx.app.client, "/admin/meetings/natcsirt-2026").await;
    assert!(body.contains(&format!(r#"href="{AGENDA}""#)), "organizers find it from the meeting");
    let pending = fx.attendee("bo@cert-at.example", Status::Pending).await;
    let (_, body) = read(&fx.app, &pending, "/me").await;
    assert!(!body.contains(AGENDA));
}

/// The header's "Agenda" link leads each person where their agenda is, or says why not.
#[tokio::test]
async fn the_header_agenda_link_leads_to_the_approved_meeting_or_says_why_not() {
    let app = spawn_app().await;
    let ana = approved_attendee(&app, &[]).await;
    let home = ana.client.get(app.url("/me")).send().await.expect("sent").text().await.expect("body");
    assert!(home.contains(r#"<a href="/me/agenda">Agenda</a>"#), "the header offers the agenda: {home}");
    let res = ana.client.get(app.url("/me/agenda")).send().await.expect("sent");
    assert_eq!(location(&res), AGENDA);

    let ben = app.create_user("ben@cert-at.example", Role::Member).await;
    pending_registration(&app, ana.meeting.id, ben.id).await;
    let client = new_client();
    app.sign_in_with(&client, &ben).await;
    let res = client.get(app.url("/me/agenda")).send().await.expect("sent");
    assert_eq!(location(&res), "/me?done=agenda-after-approval");
    let page = client.get(app.url("/me?done=agenda-after-approval")).send().await.expect("sent");
    let page = page.text().await.expect("body");
    assert!(
        page.contains("The agenda opens to you once the organizers approve your registration."),
        "{page}"
    );

    let res = app.get("/me/agenda").await;
    assert_eq!(location(&res), "/admin/meetings", "an organizer without a registration goes to the meetings");
    assert_eq!(location(&new_client().get(app.url("/me/agenda")).send().await.expect("sent")), "/login");
}

/// A break without a room is for everyone: in the grid it spans every room's column.
#[tokio::test]
async fn a_break_for_everyone_spans_every_room_in_the_grid() {
    let fx = AgendaFixture::set_up().await;
    let mut a = fx.talk("Talk in the first room");
    a.room_id = Some(fx.rooms[0]);
    add_session_row(&fx.app, fx.meeting.id, a).await;
    let mut b = fx.talk("Talk in the second room");
    b.room_id = Some(fx.rooms[1]);
    add_session_row(&fx.app, fx.meeting.id, b).await;
    let mut coffee = fx.talk("Coffee for everyone");
    (coffee.room_id, coffee.kind, coffee.tlp) = (None, Kind::Break, Tlp::Clear);
    (coffee.starts_at, coffee.ends_at) = (utc(6, 20, 16, 0), utc(6, 20, 16, 30));
    add_session_row(&fx.app, fx.meeting.id, coffee).await;
    fx.publish("First").await;
    let (_, body) = read(&fx.app, &fx.app.client, AGENDA).await;
    let grid = &body[body.find("agenda-grid").expect("grid")..body.find("agenda-list").expect("list")];
    let coffee = grid.find("Coffee for everyone").expect("the break");
    let tag = &grid[grid[..coffee].rfind("<article ").expect("its block")..coffee];
    assert!(tag.contains("tl-r12 tl-h6 tl-c0 tl-w2"), "after the hour, across both rooms: {tag}");
    assert!(!grid.contains(">Other<"), "no column of its own: {grid}");
}

/// The grid's part of an agenda page and the list's.
fn grid_and_list(body: &str) -> (&str, &str) {
    let grid = body.find(r#"<section class="agenda-grid""#).expect("the grid");
    let list = body.find(r#"<section class="agenda-list"#).expect("the list");
    (&body[grid..list], &body[list..])
}

/// Session `id`'s block in the grid: its classes and its whole text.
fn block(grid: &str, id: i64) -> (Vec<&str>, &str) {
    let at = grid.find(&format!(r#"id="s-{id}""#)).unwrap_or_else(|| panic!("no block for {id} in {grid}"));
    let start = grid[..at].rfind("<article ").expect("its article");
    let end = at + grid[at..].find("</article>").expect("its end");
    let tag = &grid[start..at];
    let class = &tag[tag.find(r#"class=""#).expect("classes") + 7..];
    (class[..class.find('"').expect("closed")].split(' ').collect(), &grid[start..end])
}

/// A session of the fixture's day, Sat 20 June, from `from` to `to` UTC (MDT is UTC−6).
fn at(f: &mut session::SessionFields, from: (u32, u32), to: (u32, u32)) {
    (f.starts_at, f.ends_at) = (utc(6, 20, from.0, from.1), utc(6, 20, to.0, to.1));
}

#[tokio::test]
async fn the_grid_is_drawn_to_time_with_stylesheet_classes_and_no_style_attribute() {
    let fx = AgendaFixture::set_up().await;
    let reader = fx.attendee("alice@cert-at.example", Status::Approved).await;
    let mut f = fx.talk("Half an hour");
    at(&mut f, (15, 0), (15, 30));
    let short = add_session_row(&fx.app, fx.meeting.id, f).await;
    let mut f = fx.talk("An hour and a half");
    at(&mut f, (15, 30), (17, 0));
    let long = add_session_row(&fx.app, fx.meeting.id, f).await;
    let mut f = fx.talk("Beside it");
    at(&mut f, (15, 30), (16, 30));
    f.room_id = Some(fx.rooms[1]);
    let beside = add_session_row(&fx.app, fx.meeting.id, f).await;
    fx.publish("First").await;

    let (status, body) = read(&fx.app, &reader, AGENDA).await;
    assert_eq!(status, 200);
    let (grid, _) = grid_and_list(&body);
    assert!(grid.contains(r#"<div class="timeline tl-n2">"#), "two rooms, one lane each: {grid}");
    assert!(grid.contains(r#"<p class="tl-room tl-c0 tl-w1">Ballroom</p>"#));
    assert!(grid.contains(r#"<p class="tl-room tl-c1 tl-w1">Room B</p>"#));
    assert!(grid.contains(
        r#"<p class="tl-time tl-r0 tl-h6"><time datetime="2026-06-20T15:00:00Z">09:00 MDT</time></p>"#
    ));
    let classes = |id| block(grid, id).0;
    // Rows of five minutes from 09:00: the 90 minutes take three times the 30's rows.
    for (id, expected) in [
        (short, ["tl-r0", "tl-h6", "tl-c0", "tl-w1"]),
        (long, ["tl-r6", "tl-h18", "tl-c0", "tl-w1"]),
        (beside, ["tl-r6", "tl-h12", "tl-c1", "tl-w1"]),
    ] {
        let have = classes(id);
        assert!(expected.iter().all(|c| have.contains(c)), "{id}: {have:?}, expected {expected:?}");
    }
    assert!(!body.contains("style="), "no style attribute anywhere: the CSP forbids it");
    assert!(!body.contains("<style"), "no style element either");

    // Every class the page uses is in the stylesheet it links.
    assert!(body.contains(r#"<link rel="stylesheet" href="/assets/agenda-grid.css">"#));
    let res = fx.app.get("/assets/agenda-grid.css").await;
    assert_eq!(res.status(), 200);
    let css = res.text().await.expect("css");
    let used: Vec<&str> = grid
        .split(['"', ' '])
        .filter(|w| w.starts_with("tl-") && w[3..].starts_with(|c: char| "rhcwn".contains(c)))
        .filter(|w| w[4..].parse::<u32>().is_ok())
        .collect();
    assert!(used.len() > 12, "{used:?}");
    for class in used {
        assert!(css.contains(&format!("\n.{class}{{")), "{class} is in agenda-grid.css");
    }
    assert!(css.contains(".tl-h18{grid-row-end:span 18}") && css.contains(".tl-r6{grid-row-start:8}"));
}

#[tokio::test]
async fn sessions_overlapping_in_one_room_sit_side_by_side_in_its_column() {
    let fx = AgendaFixture::set_up().await;
    let first = add_session_row(&fx.app, fx.meeting.id, fx.talk("First in the Ballroom")).await;
    let mut f = fx.talk("Overlapping it");
    at(&mut f, (15, 30), (16, 30));
    let second = add_session_row(&fx.app, fx.meeting.id, f).await;
    let mut f = fx.talk("In Room B");
    f.room_id = Some(fx.rooms[1]);
    let other = add_session_row(&fx.app, fx.meeting.id, f).await;
    fx.publish("First").await;

    let (_, body) = read(&fx.app, &fx.app.client, AGENDA).await;
    let (grid, _) = grid_and_list(&body);
    assert!(grid.contains(r#"<div class="timeline tl-n3">"#), "{grid}");
    assert!(grid.contains(r#"<p class="tl-room tl-c0 tl-w2">Ballroom</p>"#), "the Ballroom has two lanes");
    assert!(grid.contains(r#"<p class="tl-room tl-c2 tl-w1">Room B</p>"#));
    for (id, lane, row) in [(first, "tl-c0", "tl-r0"), (second, "tl-c1", "tl-r6"), (other, "tl-c2", "tl-r0")]
    {
        let classes = block(grid, id).0;
        assert!(classes.contains(&lane) && classes.contains(&row), "{id}: {classes:?}");
    }
}

#[tokio::test]
async fn breaks_and_meals_have_no_button_to_add_them_to_my_agenda() {
    let fx = AgendaFixture::set_up().await;
    let reader = fx.attendee("alice@cert-at.example", Status::Approved).await;
    let talk = add_session_row(&fx.app, fx.meeting.id, fx.talk("A talk to pick")).await;
    let mut f = fx.talk("Coffee");
    (f.kind, f.room_id, f.track_id) = (Kind::Break, None, None);
    at(&mut f, (16, 0), (16, 30));
    let coffee = add_session_row(&fx.app, fx.meeting.id, f).await;
    let mut f = fx.talk("Lunch");
    (f.kind, f.room_id) = (Kind::Meal, Some(fx.rooms[1]));
    at(&mut f, (18, 0), (19, 0));
    let lunch = add_session_row(&fx.app, fx.meeting.id, f).await;
    fx.publish("First").await;

    let (_, body) = read(&fx.app, &reader, AGENDA).await;
    let (grid, list) = grid_and_list(&body);
    let pick = |id: i64| format!(r#"action="/meetings/natcsirt-2026/sessions/{id}/pick""#);
    for part in [grid, list] {
        assert_eq!(part.matches(&pick(talk)).count(), 1, "the talk can be added");
        for id in [coffee, lunch] {
            assert!(!part.contains(&pick(id)), "no button adds a break or a meal: {part}");
        }
    }
    assert!(block(grid, coffee).0.contains(&"is-break") && block(grid, lunch).0.contains(&"is-break"));
    assert!(!block(grid, talk).0.contains(&"is-break"));
    assert!(list.contains("Coffee") && list.contains("Lunch"), "they are still shown");
    let (_, page) = read(&fx.app, &reader, &format!("/meetings/natcsirt-2026/sessions/{lunch}")).await;
    assert!(page.contains("Lunch") && !page.contains(&pick(lunch)), "nor on the session's page");

    // Sent anyway (an old page, a hand-made request): refused with the reason, nothing written.
    fx.app.dispatch_pending_emails().await;
    let sent = fx.app.emails().len();
    let unpick = |id: i64| format!(r#"action="/meetings/natcsirt-2026/sessions/{id}/unpick""#);
    for (id, reason) in [(lunch, "A meal is for everyone"), (coffee, "A break is for everyone")] {
        let res = fx
            .app
            .post_form_with(
                &reader,
                &format!("/meetings/natcsirt-2026/sessions/{id}/pick"),
                &[("back", AGENDA)],
            )
            .await;
        assert_eq!(res.status(), 422, "a break or a meal is not picked");
        let page = res.text().await.expect("body");
        assert!(
            page.contains(reason) && page.contains("Nothing was changed."),
            "the reason is given: {page}"
        );
        assert!(page.contains(&format!(r#"href="{}""#, AGENDA.replace('/', "&#x2F;"))), "and the way back");
    }
    let (_, body) = read(&fx.app, &reader, AGENDA).await;
    for id in [coffee, lunch] {
        assert!(!body.contains(&unpick(id)), "nothing was picked");
    }
    fx.app.dispatch_pending_emails().await;
    assert_eq!(fx.app.emails().len(), sent, "no invite was queued");

    // A session picked as a talk that became a meal keeps its button to take it off.
    let res =
        fx.app.post_form_with(&reader, &format!("/meetings/natcsirt-2026/sessions/{talk}/pick"), &[]).await;
    assert_eq!(res.status(), 303);
    let mut f = fx.talk("A talk to pick");
    f.kind = Kind::Meal;
    edit(&fx.app, talk, f).await;
    fx.publish("Second").await;
    let (_, body) = read(&fx.app, &reader, AGENDA).await;
    let (grid, list) = grid_and_list(&body);
    for part in [grid, list] {
        assert!(part.contains(&unpick(talk)) && !part.contains(&pick(talk)), "{part}");
    }
    let res =
        fx.app.post_form_with(&reader, &format!("/meetings/natcsirt-2026/sessions/{talk}/unpick"), &[]).await;
    assert_eq!(res.status(), 303, "taking it off is allowed");
    let (_, body) = read(&fx.app, &reader, AGENDA).await;
    assert!(!body.contains(&unpick(talk)));
}

#[tokio::test]
async fn speakers_are_shown_with_their_team_in_the_grid_and_the_list() {
    let fx = AgendaFixture::set_up().await;
    let id = add_session_row(&fx.app, fx.meeting.id, fx.talk("Two speakers")).await;
    let (f, now) = (fx.talk("Two speakers"), fx.app.clock.now_naive());
    let speakers =
        vec![session::NewSpeaker::text("Ana Silva", "CERT.br"), session::NewSpeaker::text("Bo Lind", "")];
    fx.app.db.query(move |c| session::update(c, id, &f, &speakers, now)).await.expect("edited");
    fx.publish("First").await;
    let reader = fx.attendee("alice@cert-at.example", Status::Approved).await;

    let (_, body) = read(&fx.app, &reader, AGENDA).await;
    let (grid, list) = grid_and_list(&body);
    let shown = r#"<p class="speakers">Ana Silva (CERT.br); Bo Lind</p>"#;
    assert!(block(grid, id).1.contains(shown), "in the grid's block: {grid}");
    assert!(list.contains(shown), "in the list: {list}");
}

#[tokio::test]
async fn other_days_are_listed_for_print_without_buttons_that_no_screen_shows() {
    let fx = AgendaFixture::set_up().await;
    let reader = fx.attendee("alice@cert-at.example", Status::Approved).await;
    let saturday = add_session_row(&fx.app, fx.meeting.id, fx.talk("Saturday talk")).await;
    let mut f = fx.talk("Sunday talk");
    (f.starts_at, f.ends_at) = (utc(6, 21, 15, 0), utc(6, 21, 16, 0));
    let sunday = add_session_row(&fx.app, fx.meeting.id, f).await;
    fx.publish("First").await;
    for id in [saturday, sunday] {
        let res =
            fx.app.post_form_with(&reader, &format!("/meetings/natcsirt-2026/sessions/{id}/pick"), &[]).await;
        assert_eq!(res.status(), 303);
    }
    let unpick = |id: i64| format!(r#"action="/meetings/natcsirt-2026/sessions/{id}/unpick""#);
    for (day, shown, other) in [("2026-06-20", saturday, sunday), ("2026-06-21", sunday, saturday)] {
        let (_, body) = read(&fx.app, &reader, &format!("{AGENDA}?day={day}")).await;
        let (grid, list) = grid_and_list(&body);
        assert_eq!(grid.matches(&unpick(shown)).count(), 1, "{day}: the day's pick in the grid");
        assert_eq!(list.matches(&unpick(shown)).count(), 1, "{day}: and in its list (narrow screens)");
        // The other day's list is shown only in print, where buttons are hidden: it says
        // the session is picked, and carries no form.
        let other_day =
            &list[list.find(r#"<section class="agenda-day other-day">"#).expect("the other day")..];
        let other_day = &other_day[..other_day.find("</section>").expect("its end")];
        let title = if other == sunday { "Sunday talk" } else { "Saturday talk" };
        assert!(other_day.contains(title) && other_day.contains("in my agenda"), "{day}: {other_day}");
        assert!(
            !other_day.contains("<form") && !body.contains(&unpick(other)),
            "{day}: no button for {title}"
        );
    }
}
