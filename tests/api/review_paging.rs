//! The review queue past conference size: 320 registrations, 300 a page, sorted by a
//! column header, with the filters, the search and the sort kept in the paging links; and
//! the team registry, 50 teams a page.

use csirt_meet::domain::registration::Status;

use crate::{
    fixtures::{Person, SLUG, Team, meeting_and_team, register},
    helpers::{TestApp, spawn_app},
};

/// 320 pending registrations, "Person 000" to "Person 319", alternately of an Austrian
/// and a Belgian team.
async fn queue_of_320(app: &TestApp) {
    let (m, austria) = meeting_and_team(app).await;
    let belgium = Team::new("CERT.be", "CERT.be", "BE").insert(app).await;
    for i in 0..320 {
        let name: &'static str = format!("Person {i:03}").leak();
        let email: &'static str = format!("person{i:03}@people.example").leak();
        let team = if i % 2 == 0 { austria } else { belgium };
        register(app, m.id, team, Person::new(name, email, Status::Pending)).await;
    }
}

async fn queue(app: &TestApp, query: &str) -> String {
    let res = app.get(&format!("/admin/meetings/{SLUG}/registrations{query}")).await;
    assert_eq!(res.status(), 200);
    res.text().await.expect("body")
}

/// The names of the rows, in the order shown.
fn names(html: &str) -> Vec<&str> {
    html.split("aria-label=\"Select ").skip(1).map(|rest| &rest[..rest.find('"').expect("quote")]).collect()
}

/// The href of the link with `rel`, unescaped.
fn link(html: &str, rel: &str) -> Option<String> {
    let at = html.find(&format!("rel=\"{rel}\""))?;
    let before = &html[..at];
    let start = before.rfind("href=\"")? + 6;
    let end = start + html[start..].find('"')?;
    Some(html[start..end].replace("&amp;", "&"))
}

#[tokio::test]
async fn the_queue_shows_three_hundred_registrations_a_page() {
    let app = spawn_app().await;
    queue_of_320(&app).await;

    let first = queue(&app, "").await;
    assert_eq!(names(&first).len(), 300);
    assert!(first.contains("page 1 of 2"), "{first}");
    assert!(link(&first, "prev").is_none(), "no previous page on the first");
    let next = link(&first, "next").expect("a next page");

    let second = queue(&app, &next).await;
    assert!(second.contains("page 2 of 2"));
    assert_eq!(names(&second)[0], "Person 300");
    assert_eq!(names(&second).len(), 20);
    assert!(link(&second, "next").is_none(), "no page after the last");
    assert!(link(&second, "prev").is_some());
}

#[tokio::test]
async fn sorting_by_name_turns_the_queue_around() {
    let app = spawn_app().await;
    queue_of_320(&app).await;

    let up = queue(&app, "?sort=name&dir=asc").await;
    assert_eq!(names(&up)[0], "Person 000");
    assert!(up.contains("aria-sort=\"ascending\""), "the sorted column says so");
    let down = queue(&app, "?sort=name&dir=desc").await;
    assert_eq!(names(&down)[0], "Person 319");
    assert!(down.contains("aria-sort=\"descending\""));
    let next = link(&down, "next").expect("a next page");
    assert!(next.contains("sort=name") && next.contains("dir=desc"), "{next}");
    assert_eq!(names(&queue(&app, &next).await)[0], "Person 019");
}

#[tokio::test]
async fn the_paging_links_keep_the_filters_and_the_search() {
    let app = spawn_app().await;
    queue_of_320(&app).await;

    let found = queue(&app, "?q=PERSON&sort=name&dir=desc").await;
    assert!(found.contains("page 1 of 2"), "every registration matches");
    let next = link(&found, "next").expect("a next page");
    assert!(next.contains("q=PERSON") && next.contains("sort=name"), "{next}");
    let rest = queue(&app, &next).await;
    assert!(rest.contains("page 2 of 2"));
    assert_eq!(names(&rest).len(), 20);

    let belgians = queue(&app, "?country=BE&sort=name&dir=desc").await;
    assert!(belgians.contains("page 1 of 1"), "160 Belgian registrations fit one page");
    assert_eq!(names(&belgians)[0], "Person 319");
    assert_eq!(names(&belgians).len(), 160);
    assert!(
        names(&belgians).iter().all(|n| n[7..].parse::<u32>().expect("number") % 2 == 1),
        "only Belgians"
    );
    let header = belgians.split("aria-sort=").nth(1).expect("the sorted header");
    assert!(header.contains("country=BE"), "the headers keep the filter: {header}");
}

#[tokio::test]
async fn a_bad_page_or_sort_shows_the_first_page() {
    let app = spawn_app().await;
    queue_of_320(&app).await;

    for query in ["?page=abc", "?page=0", "?page=99", "?page=-1&sort=shoe&dir=sideways"] {
        let html = queue(&app, query).await;
        assert!(html.contains("page 1 of 2"), "{query}");
        assert_eq!(names(&html)[0], "Person 000", "{query}");
    }
}

#[tokio::test]
async fn the_team_registry_shows_fifty_teams_a_page_and_keeps_the_search() {
    let app = spawn_app().await;
    app.login_as_organizer().await;
    for i in 0..120 {
        let country = if i % 2 == 0 { "AT" } else { "BE" };
        Team::new(&format!("Team {i:03}"), &format!("T{i:03}"), country).insert(&app).await;
    }
    let page = async |path: String| app.get(&path).await.text().await.expect("body");
    let first = page("/admin/teams".into()).await;
    assert!(first.contains("120 teams") && first.contains("page 1 of 3"), "{first}");
    assert_eq!(first.matches("<tr>").count(), 51, "a header row and 50 teams");
    let third = page("/admin/teams?page=3".into()).await;
    assert!(third.contains("page 3 of 3"));
    assert_eq!(third.matches("<tr>").count(), 21);

    let searched = page("/admin/teams?q=team&country=be".into()).await;
    assert!(searched.contains("60 of 120 teams") && searched.contains("page 1 of 2"), "{searched}");
    let next = link(&searched, "next").expect("a next page");
    assert_eq!(next, "/admin/teams?q=team&country=BE&page=2");
    assert!(page(next).await.contains("page 2 of 2"));
    assert!(page("/admin/teams?page=x".into()).await.contains("page 1 of 3"), "a bad page shows the first");
}

/// 120 teams "Team 000" to "Team 119" (short names "T000"…), their countries in turn AT,
/// BE, CZ and DE; the first three have caps 3, 1 and 2, the others the meeting default.
async fn registry_of_120(app: &TestApp) {
    for i in 0..120 {
        let country = ["AT", "BE", "CZ", "DE"][i % 4];
        let team = Team::new(&format!("Team {i:03}"), &format!("T{i:03}"), country);
        match [3, 1, 2].get(i) {
            Some(&cap) => team.cap(cap),
            None => team,
        }
        .insert(app)
        .await;
    }
}

async fn registry(app: &TestApp, query: &str) -> String {
    let res = app.get(&format!("/admin/teams{query}")).await;
    assert_eq!(res.status(), 200, "{query}");
    res.text().await.expect("body")
}

/// The short names of the registry's rows, in the order shown.
fn short_names(html: &str) -> Vec<&str> {
    html.split("<td><a href=\"/admin/teams/")
        .skip(1)
        .map(|rest| {
            let text = &rest[rest.find('>').expect("link") + 1..];
            &text[..text.find('<').expect("end of link")]
        })
        .collect()
}

#[tokio::test]
async fn the_team_registry_sorts_by_country_descending_and_keeps_the_sort_while_paging() {
    let app = spawn_app().await;
    app.login_as_organizer().await;
    registry_of_120(&app).await;

    let first = registry(&app, "?sort=country&dir=desc").await;
    let shown = short_names(&first);
    assert_eq!(shown.len(), 50);
    // The 30 German teams by name, then the Czech ones.
    assert_eq!(shown[..3], ["T003", "T007", "T011"]);
    assert_eq!(shown[29], "T119");
    assert_eq!(shown[30..32], ["T002", "T006"]);
    assert!(first.contains(r#"<th scope="col" aria-sort="descending"><a href="/admin/teams?q=&amp;country=&amp;sort=country&amp;dir=asc">Country</a></th>"#), "{first}");
    assert_eq!(first.matches("aria-sort=").count(), 1, "only the sorted column says so");

    let next = link(&first, "next").expect("a next page");
    assert_eq!(next, "/admin/teams?q=&country=&sort=country&dir=desc&page=2");
    let second = registry(&app, &next["/admin/teams".len()..]).await;
    assert_eq!(short_names(&second)[0], "T082", "the Czech teams go on");
    let back = link(&second, "prev").expect("a previous page");
    assert_eq!(back, "/admin/teams?q=&country=&sort=country&dir=desc");

    // The search form keeps the sort, and a search combines with one.
    assert!(first.contains(
        r#"<input type="hidden" name="sort" value="country"><input type="hidden" name="dir" value="desc">"#
    ));
    let belgians = registry(&app, "?q=team&country=be&sort=name&dir=desc").await;
    assert_eq!(short_names(&belgians)[..2], ["T117", "T113"]);
    assert_eq!(link(&belgians, "next"), None, "30 Belgian teams fit one page");
}

#[tokio::test]
async fn sorting_the_team_registry_by_cap_puts_the_meeting_default_last_either_way() {
    let app = spawn_app().await;
    app.login_as_organizer().await;
    registry_of_120(&app).await;

    let up = registry(&app, "?sort=cap").await;
    assert_eq!(short_names(&up)[..4], ["T001", "T002", "T000", "T003"], "1, 2, 3, then the default by name");
    let down = registry(&app, "?sort=cap&dir=desc").await;
    assert_eq!(short_names(&down)[..4], ["T000", "T002", "T001", "T003"]);
}

#[tokio::test]
async fn a_sort_with_many_ties_still_shows_every_team_once_across_the_pages() {
    let app = spawn_app().await;
    app.login_as_organizer().await;
    registry_of_120(&app).await;

    let mut seen = Vec::new();
    for page in 1..=3 {
        let html = registry(&app, &format!("?sort=status&dir=desc&page={page}")).await;
        seen.extend(short_names(&html).into_iter().map(str::to_owned));
    }
    assert_eq!(seen.len(), 120);
    let expected: Vec<String> = (0..120).map(|i| format!("T{i:03}")).collect();
    assert_eq!(seen, expected, "every team is recognized: the name decides, in order");
}

#[tokio::test]
async fn a_bad_sort_of_the_team_registry_shows_the_registry_order() {
    let app = spawn_app().await;
    app.login_as_organizer().await;
    registry_of_120(&app).await;

    for query in ["?sort=shoe&dir=sideways", "?sort=website", "?sort=&dir=desc", "?sort=country%27--"] {
        let html = registry(&app, query).await;
        assert_eq!(short_names(&html)[..3], ["T000", "T004", "T008"], "{query}: Austria first, by name");
        assert!(!html.contains("aria-sort="), "{query}: no column claims the sort");
    }
    let html = registry(&app, "?sort=name&dir=sideways").await;
    assert_eq!(short_names(&html)[0], "T000", "a bad direction sorts ascending");
    assert!(html.contains(r#"aria-sort="ascending""#));
}
