//! The review queue at conference size: 120 registrations, 50 a page, sorted by a column
//! header, with the filters and the sort kept in the paging links.

use csirt_meet::domain::registration::Status;

use crate::{
    helpers::{TestApp, spawn_app},
    roster::{Person, add_team, register},
    vetting::{SLUG, set_up},
};

/// 120 pending registrations, "Person 000" to "Person 119", alternately of an Austrian
/// and a Belgian team.
async fn queue_of_120(app: &TestApp) {
    let (m, austria) = set_up(app).await;
    let belgium = add_team(app, "CERT.be", "CERT.be", "BE", None).await;
    for i in 0..120 {
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
    html.split("aria-label=\"Check ").skip(1).map(|rest| &rest[..rest.find('"').expect("quote")]).collect()
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
async fn the_queue_shows_fifty_registrations_a_page() {
    let app = spawn_app().await;
    queue_of_120(&app).await;

    let first = queue(&app, "").await;
    assert_eq!(names(&first).len(), 50);
    assert!(first.contains("page 1 of 3"), "{first}");
    assert!(link(&first, "prev").is_none(), "no previous page on the first");
    let next = link(&first, "next").expect("a next page");

    let second = queue(&app, &next).await;
    assert!(second.contains("page 2 of 3"));
    assert_eq!(names(&second)[0], "Person 050");
    let third = queue(&app, &link(&second, "next").expect("a third page")).await;
    assert!(third.contains("page 3 of 3"));
    assert_eq!(names(&third).len(), 20);
    assert!(link(&third, "next").is_none(), "no page after the last");
    assert!(link(&third, "prev").is_some());
}

#[tokio::test]
async fn sorting_by_name_turns_the_queue_around() {
    let app = spawn_app().await;
    queue_of_120(&app).await;

    let up = queue(&app, "?sort=name&dir=asc").await;
    assert_eq!(names(&up)[0], "Person 000");
    assert!(up.contains("aria-sort=\"ascending\""), "the sorted column says so");
    let down = queue(&app, "?sort=name&dir=desc").await;
    assert_eq!(names(&down)[0], "Person 119");
    assert!(down.contains("aria-sort=\"descending\""));
    let next = link(&down, "next").expect("a next page");
    assert!(next.contains("sort=name") && next.contains("dir=desc"), "{next}");
    assert_eq!(names(&queue(&app, &next).await)[0], "Person 069");
}

#[tokio::test]
async fn the_paging_links_keep_the_filters() {
    let app = spawn_app().await;
    queue_of_120(&app).await;

    let belgians = queue(&app, "?country=BE&sort=name&dir=desc").await;
    assert!(belgians.contains("page 1 of 2"), "60 Belgian registrations");
    assert_eq!(names(&belgians)[0], "Person 119");
    let next = link(&belgians, "next").expect("a next page");
    assert!(next.contains("country=BE") && next.contains("sort=name"), "{next}");
    let rest = queue(&app, &next).await;
    assert!(rest.contains("page 2 of 2"));
    assert_eq!(names(&rest).len(), 10);
    assert!(names(&rest).iter().all(|n| n[7..].parse::<u32>().expect("number") % 2 == 1), "only Belgians");
}

#[tokio::test]
async fn a_bad_page_or_sort_shows_the_first_page() {
    let app = spawn_app().await;
    queue_of_120(&app).await;

    for query in ["?page=abc", "?page=0", "?page=99", "?page=-1&sort=shoe&dir=sideways"] {
        let html = queue(&app, query).await;
        assert!(html.contains("page 1 of 3"), "{query}");
        assert_eq!(names(&html)[0], "Person 000", "{query}");
    }
}

#[tokio::test]
async fn the_team_registry_shows_fifty_teams_a_page_and_keeps_the_search() {
    let app = spawn_app().await;
    app.login_as_organizer().await;
    for i in 0..120 {
        let country = if i % 2 == 0 { "AT" } else { "BE" };
        add_team(&app, &format!("Team {i:03}"), &format!("T{i:03}"), country, None).await;
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
