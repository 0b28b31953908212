//! The registry as CSV (`/admin/teams.csv`): the file the team import reads, with every
//! column the registry holds; imported into an empty registry it gives the same teams and
//! the same file again.

use csirt_meet::models::{team, team_contact};

use crate::helpers::{TestApp, location, spawn_app};

/// Every stored column of every team, without ids and stamps, by short name.
async fn registry(
    app: &TestApp,
) -> Vec<(String, String, String, String, String, Option<i32>, Vec<(String, bool)>, Vec<(String, String)>)> {
    let mut rows = Vec::new();
    for t in app.db.query(|c| team::list(c, "", None)).await.expect("teams") {
        let id = t.id;
        let domains = app.db.query(move |c| team::stored_domains(c, id)).await.expect("domains");
        let domains = domains.into_iter().map(|d| (d.domain, d.confirmed)).collect();
        let contacts = app.db.query(move |c| team_contact::for_team(c, id)).await.expect("contacts");
        let status = t.status.as_str().to_owned();
        rows.push((
            t.short_name,
            t.name,
            t.country_code,
            t.website,
            status,
            t.cap_override,
            domains,
            contacts,
        ));
    }
    rows.sort();
    rows
}

async fn add_team(app: &TestApp, fields: &[(&str, &str)]) -> i64 {
    let res = app.post_form("/admin/teams", fields).await;
    assert_eq!(location(&res), "/admin/teams?done=team-added", "{fields:?}");
    let short = fields[1].1.to_owned();
    app.db.query(move |c| team::by_short_name(c, &short)).await.expect("query").expect("the team").id
}

async fn export(app: &TestApp) -> String {
    let res = app.get("/admin/teams.csv").await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "text/csv; charset=utf-8");
    assert_eq!(res.headers()["content-disposition"], "attachment; filename=\"teams.csv\"");
    res.text().await.expect("body")
}

#[tokio::test]
async fn the_exported_registry_imports_into_an_empty_one_unchanged() {
    let app = spawn_app().await;
    app.login_as_organizer().await;
    let page = app.get("/admin/teams").await.text().await.expect("body");
    assert!(page.contains(r#"href="/admin/teams.csv""#), "linked from the registry: {page}");
    // A formula-looking name, its own cap, two confirmed domains; then suspended.
    let formula = [
        ("name", "=HYPERLINK(\"http://evil.example\",\"CERT\")"),
        ("short_name", "-CERT"),
        ("country_code", "BE"),
        ("website", "cert-be.example"),
        ("domains", "cert-be.example mail.cert-be.example"),
        ("cap", "7"),
    ];
    let suspended = add_team(&app, &formula).await;
    let res = app.post_form(&format!("/admin/teams/{suspended}/suspend"), &[]).await;
    assert_eq!(location(&res), format!("/admin/teams/{suspended}?done=team-suspended"));
    let accents = [
        ("name", "Österreichisches CERT, \"national\""),
        ("short_name", "'+CERT.at"),
        ("country_code", "AT"),
        ("website", "cert-at.example"),
        ("domains", "cert-at.example"),
        ("cap", "0"),
        ("contacts", "Ana Novak <ana@cert-at.example>\n=Eve, \"deputy\" <EVE@cert-at.example>"),
    ];
    add_team(&app, &accents).await;
    // The website's domain of an imported team waits for confirmation; another has none.
    let res = app
        .post_form(
            "/admin/teams/import",
            &[(
                "csv",
                "name,short_name,country_code,website_domain\nCERT Polska,CERT.PL,PL,cert-pl.example\n",
            )],
        )
        .await;
    assert_eq!(res.status(), 200);
    add_team(
        &app,
        &[
            ("name", "Invitation only"),
            ("short_name", "INV"),
            ("country_code", "AR"),
            ("website", "gob.ar"),
            ("domains", ""),
            ("cap", ""),
        ],
    )
    .await;
    let before = registry(&app).await;
    assert!(before.iter().any(|t| t.4 == "suspended" && t.5 == Some(7)), "{before:?}");
    assert!(before.iter().any(|t| t.6 == [("cert-pl.example".to_owned(), false)]), "{before:?}");
    assert!(before.iter().any(|t| t.6.is_empty()), "{before:?}");
    assert!(before.iter().any(|t| t.7.len() == 2), "the contacts are stored: {before:?}");

    let file = export(&app).await;
    assert_eq!(
        file,
        "name,short_name,country_code,website_domain,email_domains,unconfirmed_email_domains,status,cap_override,contacts\n\
         Invitation only,INV,AR,gob.ar,,,recognized,,\n\
         \"Österreichisches CERT, \"\"national\"\"\",''+CERT.at,AT,cert-at.example,cert-at.example,,recognized,0,\
         \"Ana Novak <ana@cert-at.example>;=Eve, \"\"deputy\"\" <eve@cert-at.example>\"\n\
         \"'=HYPERLINK(\"\"http://evil.example\"\",\"\"CERT\"\")\",'-CERT,BE,cert-be.example,\
         cert-be.example;mail.cert-be.example,,suspended,7,\n\
         CERT Polska,CERT.PL,PL,cert-pl.example,,cert-pl.example,recognized,,\n",
        "every column; formula cells start with one apostrophe more"
    );

    let fresh = spawn_app().await;
    fresh.login_as_organizer().await;
    let res = fresh.post_form("/admin/teams/import", &[("csv", &file)]).await;
    assert_eq!(res.status(), 200);
    let report = res.text().await.expect("body");
    assert!(report.contains("4 teams created"), "{report}");
    assert_eq!(registry(&fresh).await, before, "the stored rows are the same");
    assert_eq!(export(&fresh).await, file, "the same bytes");

    // Imported over the registry it came from, it changes nothing either.
    assert_eq!(app.post_form("/admin/teams/import", &[("csv", &file)]).await.status(), 200);
    assert_eq!(registry(&app).await, before);
}

#[tokio::test]
async fn an_exported_file_sets_status_cap_and_domain_states_of_a_known_team() {
    let app = spawn_app().await;
    app.login_as_organizer().await;
    let id = add_team(
        &app,
        &[
            ("name", "CERT Austria"),
            ("short_name", "CERT.at"),
            ("country_code", "AT"),
            ("website", "cert-at.example"),
            ("domains", "cert-at.example"),
            ("cap", "3"),
        ],
    )
    .await;
    let file = "name,short_name,country_code,website_domain,email_domains,unconfirmed_email_domains,status,cap_override\n\
                CERT Austria,CERT.at,AT,cert-at.example,,cert-at.example,suspended,\n";
    assert_eq!(app.post_form("/admin/teams/import", &[("csv", file)]).await.status(), 200);
    let t = app.db.query(move |c| team::find(c, id)).await.expect("team");
    assert_eq!((t.status.as_str(), t.cap_override), ("suspended", None));
    let domains = app.db.query(move |c| team::stored_domains(c, id)).await.expect("domains");
    assert_eq!(
        domains.iter().map(|d| (d.domain.as_str(), d.confirmed)).collect::<Vec<_>>(),
        [("cert-at.example", false)]
    );

    // A file without those columns keeps them as the organizers set them.
    let plain = "name,short_name,country_code,website_domain,email_domains\nCERT Austria,CERT.at,AT,cert-at.example,cert-at.example\n";
    assert_eq!(app.post_form("/admin/teams/import", &[("csv", plain)]).await.status(), 200);
    let t = app.db.query(move |c| team::find(c, id)).await.expect("team");
    assert_eq!(t.status.as_str(), "suspended");
    let domains = app.db.query(move |c| team::stored_domains(c, id)).await.expect("domains");
    assert!(!domains[0].confirmed, "a listed domain keeps its state");
}

#[tokio::test]
async fn members_cannot_download_the_registry() {
    let app = spawn_app().await;
    let member = crate::helpers::new_client();
    let user = app.create_user("someone@cert.example", csirt_meet::domain::states::Role::Member).await;
    app.sign_in_with(&member, &user).await;
    let res = member.get(app.url("/admin/teams.csv")).send().await.expect("sent");
    assert_eq!(res.status(), 403);
}
