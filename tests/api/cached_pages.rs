//! Signed-in pages served from the page cache (`render::page_cache`): one cached agenda day
//! or session page, read by several people, shows each only their own name, CSRF token and
//! picks, and what the organizers see stays theirs; a change shows at once, or within a
//! second when made elsewhere (`models::agenda::outline`).

use std::time::{Duration, Instant};

use csirt_meet::{
    db, decisions,
    domain::{registration::Status, states::Role},
    models::agenda::track::{self, TrackFields},
};

use crate::{
    fixtures::{AGENDA, Account, AgendaFixture, Registration, add_session_row},
    helpers::{PASSWORD, TestApp, new_client},
};

/// An approved attendee named `name`, signed in on a client of their own.
async fn attendee(fx: &AgendaFixture, email: &str, name: &str) -> reqwest::Client {
    let u = Account::new(email, Role::Member).name(name).password(PASSWORD).insert(&fx.app).await;
    Registration::new(Status::Approved).insert(&fx.app, fx.meeting.id, fx.team, u.id).await;
    let client = new_client();
    fx.app.sign_in_with(&client, &u).await;
    client
}

async fn read(app: &TestApp, client: &reqwest::Client, path: &str) -> String {
    let res = client.get(app.url(path)).send().await.expect("sent");
    assert_eq!(res.status(), 200, "{path}");
    res.text().await.expect("body")
}

async fn pick(app: &TestApp, client: &reqwest::Client, id: i64) {
    let res = app.post_form_with(client, &format!("/meetings/natcsirt-2026/sessions/{id}/pick"), &[]).await;
    assert_eq!(res.status(), 303);
}

/// The session ids whose pick form on `page` says "Remove" (picked) and those saying "Add".
fn picks_shown(page: &str) -> (usize, usize) {
    (page.matches("/unpick\"").count(), page.matches("/pick\"").count())
}

#[tokio::test]
async fn two_attendees_reading_the_same_cached_day_each_see_only_their_own_name_token_and_picks() {
    let fx = AgendaFixture::set_up().await;
    let first = add_session_row(&fx.app, fx.meeting.id, fx.talk("Sharing at scale")).await;
    let mut f = fx.talk("Tooling for triage");
    f.room_id = Some(fx.rooms[1]);
    let second = add_session_row(&fx.app, fx.meeting.id, f).await;
    fx.publish("First").await;
    let ana = attendee(&fx, "ana@cert-at.example", "Ynes <Yarrow>").await;
    let bo = attendee(&fx, "bo@cert-at.example", "Quirin Quast").await;
    pick(&fx.app, &ana, first).await;
    pick(&fx.app, &bo, second).await;
    let (ana_token, bo_token) = (fx.app.csrf(&ana).await, fx.app.csrf(&bo).await);
    assert_ne!(ana_token, bo_token);

    let day = format!("{AGENDA}?day=2026-06-20");
    let session = format!("/meetings/natcsirt-2026/sessions/{first}");
    for round in ["first look (cached now)", "second look (from the cache)"] {
        for path in [&day, &session] {
            let (a, b) = (read(&fx.app, &ana, path).await, read(&fx.app, &bo, path).await);
            for (page, own, other, own_token, other_token) in [
                (&a, "Ynes &lt;Yarrow&gt;", "Quirin", &ana_token, &bo_token),
                (&b, "Quirin Quast", "Ynes", &bo_token, &ana_token),
            ] {
                assert!(page.contains(&format!("Sign out {own}")), "{round}, {path}: own name");
                assert!(!page.contains(other), "{round}, {path}: never the other's name");
                assert!(page.contains(own_token.as_str()), "{round}, {path}: own token");
                assert!(!page.contains(other_token.as_str()), "{round}, {path}: never the other's token");
                assert!(!page.contains('\u{1}'), "{round}, {path}: no marker left");
            }
            if path == &day {
                // Each session shows twice (grid and list): Ana picked the first, Bo the second.
                assert_eq!(picks_shown(&a), (2, 2), "{round}: Ana's picks");
                assert_eq!(picks_shown(&b), (2, 2), "{round}: Bo's picks");
                let picked = |page: &str, id: i64| page.contains(&format!("sessions/{id}/unpick\""));
                assert!(picked(&a, first) && !picked(&a, second), "{round}: Ana sees her pick only");
                assert!(picked(&b, second) && !picked(&b, first), "{round}: Bo sees his pick only");
            } else {
                assert!(a.contains("This session is in your agenda."), "{round}: Ana picked it");
                assert!(!b.contains("This session is in your agenda."), "{round}: Bo did not");
            }
        }
    }

    // The organizer reads the same day: no pick buttons, no attendee's anything.
    let organizer = read(&fx.app, &fx.app.client, &day).await;
    assert_eq!(picks_shown(&organizer), (0, 0), "organizers have no agenda of their own");
    assert!(
        organizer.contains("Organizer console")
            && !organizer.contains("Ynes")
            && !organizer.contains("Quirin")
    );
    let ana_page = read(&fx.app, &ana, &day).await;
    assert!(!ana_page.contains("Organizer console"), "the organizer's frame stays theirs");

    // A pick shows at once; a change made straight in the database (as by another instance
    // or the command line) within a second, and one through this instance at once.
    pick(&fx.app, &ana, second).await;
    let ana_page = read(&fx.app, &ana, &day).await;
    assert_eq!(picks_shown(&ana_page), (4, 0), "Ana's new pick shows at once");
    assert_eq!(picks_shown(&read(&fx.app, &bo, &day).await), (2, 2), "Bo's page is unchanged");
    let (meeting, renamed) = (fx.meeting.id, fx.tracks[0]);
    fx.app
        .db
        .query(move |c| {
            let t = track::for_meeting(c, meeting)?.into_iter().find(|t| t.id == renamed).expect("track");
            let f = TrackFields {
                name: "Renamed track".into(),
                colour: t.colour,
                description: t.description,
                position: t.position,
            };
            db::transaction(c, |c| track::update(c, meeting, renamed, &f))
        })
        .await
        .expect("renamed");
    let renamed_at = Instant::now();
    loop {
        let sent = renamed_at.elapsed();
        if read(&fx.app, &bo, &day).await.contains("Renamed track") {
            break;
        }
        assert!(sent < Duration::from_secs(1), "the old name still shown to a request sent {sent:?} after");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let path = format!("/admin/meetings/natcsirt-2026/agenda/tracks/{renamed}");
    let fields =
        [("name", "Named by the organizer"), ("colour", "blue"), ("description", ""), ("position", "1")];
    let res = fx.app.post_form(&path, &fields).await;
    assert_eq!(res.status(), 303, "the organizer renames the track");
    assert!(read(&fx.app, &bo, &day).await.contains("Named by the organizer"), "at once after a write here");
}

/// What every reader of a meeting's agenda reads first (the meeting, its release, tracks,
/// rooms and call) is read from the database at most once per key and second while nothing
/// is written, whoever reads and whatever page; a write through this instance has it read
/// again at once, so the organizer's change shows on the next page.
#[tokio::test]
async fn the_meeting_s_outline_is_read_at_most_once_a_second_and_again_after_a_write() {
    let fx = AgendaFixture::set_up().await;
    let first = add_session_row(&fx.app, fx.meeting.id, fx.talk("Sharing at scale")).await;
    fx.publish("First").await;
    let (ana, bo) = (
        attendee(&fx, "ana@cert-at.example", "Ana Ambar").await,
        attendee(&fx, "bo@cert-at.example", "Bo Berg").await,
    );
    let outlines = &fx.app.state.outlines;
    let session = format!("/meetings/natcsirt-2026/sessions/{first}");
    read(&fx.app, &ana, AGENDA).await;
    let (before, since) = (outlines.reads(), Instant::now());
    for _ in 0..5 {
        for (client, path) in [(&ana, AGENDA), (&bo, AGENDA), (&bo, session.as_str())] {
            read(&fx.app, client, path).await;
        }
    }
    // Past half a second one request reads the outline again while the kept one still serves.
    let allowed = 1 + since.elapsed().as_millis() as u64 / decisions::REFRESH_AFTER.as_millis() as u64;
    let read_again = outlines.reads() - before;
    assert!(read_again <= allowed, "15 pages read the outline {read_again} times in {:?}", since.elapsed());

    let path = format!("/admin/meetings/natcsirt-2026/agenda/tracks/{}", fx.tracks[0]);
    let fields = [("name", "Named just now"), ("colour", "blue"), ("description", ""), ("position", "1")];
    assert_eq!(fx.app.post_form(&path, &fields).await.status(), 303, "the organizer renames a track");
    let before = outlines.reads();
    assert!(read(&fx.app, &bo, AGENDA).await.contains("Named just now"), "the next page shows it");
    assert_eq!(outlines.reads(), before + 1, "read again after the write");
}
