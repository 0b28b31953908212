//! What the browser may keep (issue 13, point 3): nothing answered to a session, nothing
//! at an address that holds a token; feeds revalidated; assets and public pages as before.

use reqwest::{StatusCode, header};

use crate::{
    fixtures::{
        Attendee, SLUG, Team, add_session, approved_attendee, feed_path, invite, link_in_last_mail,
        meeting_and_team, publish_agenda,
    },
    helpers::{TestApp, new_client, spawn_app},
};

/// Pages an approved attendee opens; `{id}` is a released session, `{reg}` their
/// registration.
const ATTENDEE_PAGES: &[&str] = &[
    "/",
    "/me",
    "/me/security",
    "/me/calendar",
    "/me/registrations/{reg}",
    "/me/privacy",
    "/me/privacy/data.json",
    "/meetings/natcsirt-2026/agenda",
    "/meetings/natcsirt-2026/agenda?day=2026-06-20&mine=1",
    "/meetings/natcsirt-2026/changes",
    "/meetings/natcsirt-2026/attendees",
    "/meetings/natcsirt-2026/sessions/{id}",
    "/meetings/natcsirt-2026/sessions/{id}.ics",
];

/// Pages an organizer opens, the meeting's pages above among them.
const ORGANIZER_PAGES: &[&str] = &[
    "/admin",
    "/admin/organizers",
    "/admin/mail",
    "/admin/audit",
    "/admin/teams",
    "/admin/teams/new",
    "/admin/teams/import",
    "/admin/teams/{team}",
    "/admin/meetings",
    "/admin/meetings/new",
    "/admin/meetings/natcsirt-2026",
    "/admin/meetings/natcsirt-2026/invitations",
    "/admin/meetings/natcsirt-2026/agenda",
    "/admin/meetings/natcsirt-2026/agenda/sessions/new",
    "/admin/meetings/natcsirt-2026/agenda/sessions/{id}",
    "/admin/meetings/natcsirt-2026/registrations",
    "/admin/meetings/natcsirt-2026/registrations.csv",
    "/admin/meetings/natcsirt-2026/announce",
    "/meetings/natcsirt-2026/agenda",
    "/meetings/natcsirt-2026/sessions/{id}",
    "/me",
];

/// A meeting with a released TLP:RED session, an approved attendee and the organizer
/// (signed in on `app.client`); returns the attendee and the session's id.
async fn meeting_with_a_red_session(app: &TestApp) -> (Attendee, String) {
    let a = approved_attendee(app, &[]).await;
    add_session(app, "Closed case", "TLP:RED", "2026-06-20", ("10:00", "11:00"), "Who did it.").await;
    publish_agenda(app).await;
    let page = app.get(&format!("/meetings/{SLUG}/agenda")).await.text().await.expect("body");
    let page = page.replace("&#x2F;", "/");
    let marker = format!("/meetings/{SLUG}/sessions/");
    let at = page.find(&marker).expect("the agenda links its session") + marker.len();
    let id: String = page[at..].chars().take_while(char::is_ascii_digit).collect();
    (a, id)
}

async fn cache_control(client: &reqwest::Client, app: &TestApp, path: &str) -> (StatusCode, String) {
    let res = client.get(app.url(path)).send().await.expect("sent");
    let value = res.headers().get(header::CACHE_CONTROL).map(|v| v.to_str().expect("ascii").to_owned());
    (res.status(), value.unwrap_or_else(|| "(none)".into()))
}

#[tokio::test]
async fn every_page_served_to_a_signed_in_attendee_or_organizer_is_not_stored() {
    let app = spawn_app().await;
    let (a, id) = meeting_with_a_red_session(&app).await;
    let team = Team::austria().insert(&app).await.to_string();
    let fill = |p: &str| {
        p.replace("{id}", &id).replace("{reg}", &a.registration_id.to_string()).replace("{team}", &team)
    };

    for (who, client, pages) in
        [("attendee", &a.client, ATTENDEE_PAGES), ("organizer", &app.client, ORGANIZER_PAGES)]
    {
        for page in pages.iter().map(|p| fill(p)) {
            let (status, value) = cache_control(client, &app, &page).await;
            assert_eq!((status, value.as_str()), (StatusCode::OK, "no-store"), "{who} on {page}");
        }
        // Redirects and error pages answered to a session depend on it too.
        for page in ["/me/agenda", "/no/such/page", "/meetings/natcsirt-2026/sessions/999999"] {
            let (status, value) = cache_control(client, &app, page).await;
            assert_eq!(value, "no-store", "{who} on {page} ({status})");
        }
    }
    let (status, value) = cache_control(&a.client, &app, "/admin").await;
    assert_eq!((status, value.as_str()), (StatusCode::FORBIDDEN, "no-store"), "a member on /admin");
}

#[tokio::test]
async fn the_page_between_the_password_and_the_second_step_is_not_stored() {
    let app = spawn_app().await;
    let organizer = app.create_user("olga@cert.example", csirt_meet::domain::states::Role::Organizer).await;
    let client = new_client();
    let res = app.login_with(&client, &organizer.email, &organizer.password).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "the password step passes");
    let (status, value) = cache_control(&client, &app, "/login/second-factor").await;
    assert_eq!((status, value.as_str()), (StatusCode::OK, "no-store"));
}

#[tokio::test]
async fn setup_invitation_reset_and_confirmation_pages_are_not_stored_for_anyone() {
    let app = spawn_app().await;
    let (_, team_id) = meeting_and_team(&app).await;
    let invitation = invite(&app, team_id, "bob@cert-at.example").await;
    let res =
        app.post_form("/admin/organizers/invite", &[("name", "Bea"), ("email", "bea@cert.example")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let setup = link_in_last_mail(&app, "/setup/").await;
    app.create_user("ana@cert.example", csirt_meet::domain::states::Role::Member).await;
    app.post_form("/password/forgot", &[("email", "ana@cert.example")]).await;
    let reset = link_in_last_mail(&app, "/password/reset/").await;

    let anonymous = new_client();
    for link in [&invitation, &setup, &reset] {
        let (status, value) = cache_control(&anonymous, &app, link).await;
        assert_eq!((status, value.as_str()), (StatusCode::OK, "no-store"), "{link}");
    }
    // A token that opens nothing is answered at the same address: not stored either.
    let unknown = "0".repeat(64);
    for route in ["/setup/", "/invitations/", "/password/reset/", "/verify/"] {
        let link = format!("{route}{unknown}");
        let (status, value) = cache_control(&anonymous, &app, &link).await;
        assert_eq!(value, "no-store", "{link} ({status})");
    }
}

#[tokio::test]
async fn assets_the_favicon_and_public_pages_keep_their_caching_signed_in_or_not() {
    let app = spawn_app().await;
    app.login_as_member().await;
    for client in [&app.client, &new_client()] {
        assert_eq!(cache_control(client, &app, "/assets/style.css").await.1, "public, max-age=3600");
        assert_eq!(cache_control(client, &app, "/favicon.ico").await.1, "public, max-age=86400");
    }
    let anonymous = new_client();
    for page in ["/", "/login", "/password/forgot"] {
        let (status, value) = cache_control(&anonymous, &app, page).await;
        assert_eq!((status, value.as_str()), (StatusCode::OK, "(none)"), "{page} for anonymous visitors");
    }
}

#[tokio::test]
async fn a_feed_is_private_and_revalidated_with_its_etag() {
    let app = spawn_app().await;
    let (a, _) = meeting_with_a_red_session(&app).await;
    let path = feed_path(&app, &a).await;
    let calendar_app = new_client();
    let res = calendar_app.get(app.url(&path)).send().await.expect("sent");
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()[header::CACHE_CONTROL], "private, no-cache");
    let etag = res.headers()[header::ETAG].clone();
    let again =
        calendar_app.get(app.url(&path)).header(header::IF_NONE_MATCH, etag).send().await.expect("sent");
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED, "the copy kept is revalidated");
    assert_eq!(again.headers()[header::CACHE_CONTROL], "private, no-cache");
}
