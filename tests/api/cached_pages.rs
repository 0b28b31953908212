//! Signed-in pages served from the page cache (`render::page_cache`): one cached agenda day
//! or session page, read by several people, shows each only their own name, CSRF token and
//! picks, and what the organizers see stays theirs; a change shows at once.

use csirt_meet::{
    db,
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

    // A pick, and a change made straight in the database, show at once.
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
    assert!(read(&fx.app, &bo, &day).await.contains("Renamed track"), "the filter shows the new name");
}
