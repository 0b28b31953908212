//! The organizer finds every page by following links: the console leads to the meeting's
//! hub, the hub to each page of the meeting, and a crawl from `/admin` reaches every
//! organizer page of the route table.

use std::collections::{BTreeSet, VecDeque};

use csirt_meet::{
    domain::{agenda::Kind, registration::Status, tlp::Tlp},
    models::agenda::session::SessionFields,
    routes::{
        TABLE,
        table::{Route, Verb},
    },
};

use crate::{
    fixtures::{
        Person, SLUG, Team, add_question, add_session, add_session_row, create_meeting, meeting_and_team,
        proposal_row, publish_agenda, register, utc,
    },
    helpers::{TestApp, location, spawn_app},
};

/// The `href`s of the page's `<a>` elements, entities of the query string decoded.
fn anchors(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for tag in html.split("<a ").skip(1) {
        let tag = tag.split('>').next().unwrap_or_default();
        if let Some(rest) = tag.split("href=\"").nth(1) {
            found.push(rest.split('"').next().unwrap_or_default().replace("&amp;", "&"));
        }
    }
    found
}

/// Whether one segment of a path matches one of a route: `{id}` takes any segment,
/// `{id}.ics` any that ends with `.ics`.
fn segment_matches(pattern: &str, segment: &str) -> bool {
    match (pattern.find('{'), pattern.find('}')) {
        (Some(open), Some(close)) => {
            let (prefix, suffix) = (&pattern[..open], &pattern[close + 1..]);
            segment.len() > prefix.len() + suffix.len()
                && segment.starts_with(prefix)
                && segment.ends_with(suffix)
        }
        _ => pattern == segment,
    }
}

/// The route that serves `path`: the first of the table that matches, as actix picks it.
fn route_of(path: &str) -> Option<&'static Route> {
    let segments: Vec<&str> = path.split('/').collect();
    TABLE.iter().find(|r| {
        let pattern: Vec<&str> = r.path.split('/').collect();
        pattern.len() == segments.len() && pattern.iter().zip(&segments).all(|(p, s)| segment_matches(p, s))
    })
}

/// Breadth-first over same-origin links from `/admin` (GET only, each path once whatever
/// its query): the routes reached. A link that does not answer 200 fails the test.
async fn crawl(app: &TestApp) -> BTreeSet<&'static str> {
    let (mut seen, mut reached) = (BTreeSet::new(), BTreeSet::new());
    let mut queue = VecDeque::from([("/admin".to_owned(), "the start".to_owned())]);
    seen.insert("/admin".to_owned());
    while let Some((url, from)) = queue.pop_front() {
        let res = app.get(&url).await;
        if res.status().is_redirection() {
            // A page that sends the organizer elsewhere (their own agenda, for one).
            let to = location(&res);
            if to.starts_with('/') && seen.insert(to.split('?').next().unwrap_or_default().to_owned()) {
                queue.push_back((to, url.clone()));
            }
            continue;
        }
        assert_eq!(res.status(), 200, "{url} (linked from {from})");
        let path = url.split(['?', '#']).next().unwrap_or_default().to_owned();
        if let Some(route) = route_of(&path) {
            reached.insert(route.path);
        }
        let html = res.headers().get("content-type").is_some_and(|t| t.as_bytes().starts_with(b"text/html"));
        if !html {
            continue;
        }
        for href in anchors(&res.text().await.expect("body")) {
            let target = href.split('#').next().unwrap_or_default().to_owned();
            let target_path = target.split('?').next().unwrap_or_default();
            let same_origin = target.starts_with('/') && !target.starts_with("//");
            if same_origin && seen.insert(target_path.to_owned()) {
                queue.push_back((target, url.clone()));
            }
        }
    }
    reached
}

#[tokio::test]
async fn following_links_from_the_console_reaches_every_organizer_page() {
    let app = spawn_app().await;
    let (m, team) = meeting_and_team(&app).await;
    register(&app, m.id, team, Person::new("Pia", "pia@cert-at.example", Status::Pending)).await;
    add_session(&app, "Draft talk", "TLP:CLEAR", "2026-06-20", ("09:00", "10:00"), "").await;
    add_question(&app, &[("prompt", "Badge name")]).await;
    // A published session: the feedback page links to its ratings.
    publish_agenda(&app).await;
    let pia = app.db.query(move |c| csirt_meet::models::registration::for_meeting(c, m.id, None)).await;
    proposal_row(&app, m.id, pia.expect("registrations")[0].registration.id, Tlp::Green).await;

    let reached = crawl(&app).await;
    let organizer_pages: Vec<&str> = TABLE
        .iter()
        .filter(|r| r.guard.ends_with("organizers") && r.verbs.contains(&Verb::Get))
        .map(|r| r.path)
        .collect();
    assert!(organizer_pages.len() > 10, "the table has organizer pages: {organizer_pages:?}");
    let missed: Vec<&&str> = organizer_pages.iter().filter(|p| !reached.contains(*p)).collect();
    assert!(missed.is_empty(), "no link leads to {missed:?}");
}

#[tokio::test]
async fn the_meeting_page_counts_registrations_by_status_and_shows_the_draft_state() {
    let app = spawn_app().await;
    let (m, team) = meeting_and_team(&app).await;
    for (name, email, status) in [
        ("Pia", "pia@cert-at.example", Status::Pending),
        ("Paul", "paul@cert-at.example", Status::Pending),
        ("Anna", "anna@cert-at.example", Status::Approved),
    ] {
        register(&app, m.id, team, Person::new(name, email, status)).await;
    }
    let hub = format!("/admin/meetings/{SLUG}");
    let page = app.get(&hub).await.text().await.expect("body");
    let pending =
        format!(r#"<a href="{hub}/registrations?status=pending">{}</a>: 2"#, Status::Pending.label());
    let approved =
        format!(r#"<a href="{hub}/registrations?status=approved">{}</a>: 1"#, Status::Approved.label());
    assert!(page.contains(&pending) && page.contains(&approved), "{page}");
    assert!(page.contains("0 sessions in the draft.") && page.contains("No unpublished changes"), "{page}");
    for link in ["agenda", "invitations", "questions", "announce", "registrations.csv"] {
        assert!(page.contains(&format!(r#"href="{hub}/{link}""#)), "{link}: {page}");
    }

    // Two talks at one time by one speaker: the editor flags both, and so does the hub.
    for (title, start) in [("First", 15), ("Second", 15)] {
        let talk = SessionFields {
            title: title.into(),
            abstract_text: String::new(),
            kind: Kind::Talk,
            track_id: None,
            room_id: None,
            starts_at: utc(6, 20, start, 0),
            ends_at: utc(6, 20, start + 1, 0),
            tlp: Tlp::Clear,
        };
        add_session_row(&app, m.id, talk).await;
    }
    let page = app.get(&hub).await.text().await.expect("body");
    assert!(page.contains("2 sessions in the draft."), "{page}");
    assert!(page.contains("<strong>2 unpublished changes</strong>"), "{page}");
    assert!(page.contains("<strong>2 sessions with a conflict</strong>"), "{page}");
    let editor = app.get(&format!("{hub}/agenda")).await.text().await.expect("body");
    assert!(editor.contains("2 sessions with a conflict"), "the editor counts alike: {editor}");
}

#[tokio::test]
async fn a_fresh_console_leads_to_importing_teams_and_creating_the_meeting() {
    let app = spawn_app().await;
    app.login_as_organizer().await;
    let page = app.get("/admin").await.text().await.expect("body");
    assert!(page.contains(r#"<a href="/admin/teams/import">Import teams</a>"#), "{page}");
    assert!(page.contains(r#"<a href="/admin/meetings/new">Create the meeting</a>"#), "{page}");

    let m = create_meeting(&app, &[]).await;
    let team = Team::austria().insert(&app).await;
    register(&app, m.id, team, Person::new("Pia", "pia@cert-at.example", Status::Pending)).await;
    let page = app.get("/admin").await.text().await.expect("body");
    assert!(!page.contains("Getting started"), "{page}");
    let queue = format!("/admin/meetings/{SLUG}/registrations?status=pending");
    assert!(page.contains(&format!(r#"<a href="{queue}">1 waiting for {}</a>"#, m.title)), "{page}");
    let listed = app.get(&queue).await.text().await.expect("body");
    assert!(listed.contains("Pia"), "{listed}");
}
