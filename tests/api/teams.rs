//! The registry of teams (`/admin/teams`): the form, suspension, search, the CSV import
//! through the web and through `csirt-meet import-teams`.

use std::time::Duration;

use csirt_meet::{
    db::{DatabaseUrl, Db},
    models::team,
};

use crate::{
    fixtures::audit_actions,
    helpers::{TestApp, TestDatabase, location, process::csirt_meet, refused_with, spawn_app},
};
use csirt_meet::domain::states::TeamStatus;

const NATIONAL_CSIRTS: &str = include_str!("../fixtures/national_csirts.csv");

fn fields<'a>(short_name: &'a str, domains: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("name", "Example National CERT"),
        ("short_name", short_name),
        ("country_code", "at"),
        ("website", "www.cert.example"),
        ("domains", domains),
        ("cap", ""),
    ]
}

/// Adds a team through the form and returns its id.
async fn add_team(app: &TestApp, short_name: &str, domains: &str) -> i64 {
    let res = app.post_form("/admin/teams", &fields(short_name, domains)).await;
    assert_eq!(location(&res), "/admin/teams?done=team-added", "{short_name} is added");
    let short_name = short_name.to_owned();
    app.db
        .query(move |c| team::by_short_name(c, &short_name))
        .await
        .expect("query")
        .expect("the team exists")
        .id
}

async fn teams(app: &TestApp) -> Vec<team::Team> {
    app.db.query(|c| team::list(c, "", None)).await.expect("query")
}

async fn domains_of(app: &TestApp, id: i64) -> Vec<String> {
    app.db.query(move |c| team::domains(c, id)).await.expect("query")
}

async fn import(app: &TestApp, csv: &str) -> (u16, String) {
    let res = app.post_form("/admin/teams/import", &[("csv", csv)]).await;
    (res.status().as_u16(), res.text().await.expect("body"))
}

#[tokio::test]
async fn an_empty_registry_says_what_to_do_next() {
    let app = spawn_app().await;
    app.login_as_organizer().await;
    let page = app.get("/admin/teams").await.text().await.expect("body");
    assert!(page.contains("The registry is empty."), "{page}");
    assert!(page.contains("href=\"/admin/teams/new\"") && page.contains("href=\"/admin/teams/import\""));
    let dashboard = app.get("/admin").await.text().await.expect("body");
    assert!(dashboard.contains("href=\"/admin/teams\""), "the dashboard links the registry");
}

#[tokio::test]
async fn importing_the_national_csirts_creates_86_teams_and_names_the_invitation_only_ones() {
    let app = spawn_app().await;
    app.login_as_organizer().await;
    assert!(app.get("/admin/teams/import").await.text().await.expect("body").contains("name=\"csv\""));
    let (status, page) = import(&app, NATIONAL_CSIRTS).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("86 teams created, 0 teams updated"), "{page}");
    assert!(page.contains("<strong>CERT-MX</strong>") && page.contains("<strong>INCD</strong>"), "{page}");
    assert!(page.contains("website domain gov.il is not registrable"), "{page}");

    assert_eq!(teams(&app).await.len(), 86);
    let austria = app.db.query(|c| team::by_short_name(c, "CERT.at")).await.expect("query").expect("CERT.at");
    assert_eq!(domains_of(&app, austria.id).await, ["cert.at"]);
    assert_eq!(audit_actions(&app).await.iter().filter(|a| *a == "teams.imported").count(), 1);

    let list = app.get("/admin/teams").await.text().await.expect("body");
    assert!(list.contains("86 teams"), "{list}");
    assert!(list.contains("<span class=\"count\">2</span> teams without an email domain"), "{list}");
}

#[tokio::test]
async fn importing_the_same_file_again_updates_instead_of_duplicating_and_keeps_status_and_cap() {
    let app = spawn_app().await;
    app.login_as_organizer().await;
    assert_eq!(import(&app, NATIONAL_CSIRTS).await.0, 200);
    let austria = app.db.query(|c| team::by_short_name(c, "CERT.at")).await.expect("query").expect("CERT.at");
    let mut edited = fields("CERT.at", "cert.at govcert.gv.at");
    edited[5] = ("cap", "4");
    let res = app.post_form(&format!("/admin/teams/{}", austria.id), &edited).await;
    assert_eq!(location(&res), "/admin/teams?done=team-saved");
    app.post_form(&format!("/admin/teams/{}/suspend", austria.id), &[]).await;

    let (status, page) = import(&app, NATIONAL_CSIRTS).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("0 teams created, 86 teams updated"), "{page}");
    assert_eq!(teams(&app).await.len(), 86);
    let again = app.db.query(move |c| team::find(c, austria.id)).await.expect("query");
    assert_eq!(again.name, "CERT.at / GovCERT Austria", "the file's name is back");
    assert_eq!((again.status, again.cap_override), (TeamStatus::Suspended, Some(4)));
    assert_eq!(domains_of(&app, austria.id).await, ["cert.at"], "the file's domains replace the others");
}

#[tokio::test]
async fn a_file_with_bad_rows_writes_nothing_and_the_page_names_each_line() {
    let app = spawn_app().await;
    app.login_as_organizer().await;
    let csv = "name,short_name,country_code,website_domain,email_domains\n\
               Good CERT,GOOD,SE,good.example,\n\
               Nowhere CERT,NW-CERT,XX,nowhere.example,\n\
               Free CERT,FREE,FR,free-cert.example,gmail.com\n";
    let (status, page) = import(&app, csv).await;
    assert_eq!(status, 422, "{page}");
    assert!(page.contains("Nothing was imported"), "{page}");
    assert!(page.contains("Line 3 (NW-CERT)") && page.contains("“XX” is not an ISO 3166-1"), "{page}");
    assert!(page.contains("Line 4 (FREE)") && page.contains("gmail.com is a free-mail service"), "{page}");
    assert!(!page.contains("Line 2"), "the good line is not listed: {page}");
    assert!(page.contains("Nowhere CERT,NW-CERT,XX"), "the pasted file is kept");
    assert!(teams(&app).await.is_empty());
    assert!(!audit_actions(&app).await.contains(&"teams.imported".to_owned()));

    let (status, page) = import(&app, "  \n").await;
    assert_eq!(status, 422);
    assert!(page.contains("The box is empty"), "{page}");
}

#[tokio::test]
async fn an_import_that_gives_a_registered_domain_to_another_team_writes_nothing() {
    let app = spawn_app().await;
    app.login_as_organizer().await;
    add_team(&app, "EX-CERT", "cert.example").await;
    let csv = "name,short_name,country_code,website_domain,email_domains\n\
               New CERT,NEW,SE,new.example,\n\
               Taker CERT,TAKER,SE,taker.example,soc.cert.example\n\
               Twin CERT,TWIN,SE,new.example,\n";
    let (status, page) = import(&app, csv).await;
    assert_eq!(status, 422, "{page}");
    assert!(page.contains("Line 3 (TAKER)") && page.contains("lies inside cert.example"), "{page}");
    assert!(page.contains("Line 4 (TWIN)") && page.contains("new.example belongs to NEW"), "{page}");
    assert_eq!(teams(&app).await.len(), 1, "the good line is not kept either");
}

#[tokio::test]
async fn an_organizer_adds_a_team_and_sees_it_in_the_registry() {
    let app = spawn_app().await;
    app.login_as_organizer().await;
    assert_eq!(app.get("/admin/teams/new").await.status(), 200);
    let mut form = fields("EX-CERT", "cert.example, @SOC.Other.example\ncert.example");
    form[5] = ("cap", "3");
    let res = app.post_form("/admin/teams", &form).await;
    assert_eq!(location(&res), "/admin/teams?done=team-added");
    let page = app.get("/admin/teams?done=team-added").await.text().await.expect("body");
    assert!(page.contains("The team is added to the registry."), "{page}");
    assert!(page.contains("EX-CERT") && page.contains("cert.example, soc.other.example"), "{page}");
    assert!(page.contains(r#"<td data-label="Cap">3</td>"#) && page.contains("recognized"), "{page}");
    assert!(audit_actions(&app).await.contains(&"team.created".to_owned()));
}

#[tokio::test]
async fn a_free_mail_domain_is_refused_next_to_its_field_with_the_input_kept() {
    let app = spawn_app().await;
    app.login_as_organizer().await;
    let res = app.post_form("/admin/teams", &fields("EX-CERT", "cert.example gmail.com")).await;
    let page = refused_with(res, &[("domains", "gmail.com is a free-mail service")]).await;
    assert!(page.contains("cert.example gmail.com</textarea>"), "the input is kept: {page}");
    assert!(page.contains("value=\"EX-CERT\""), "{page}");
    assert!(teams(&app).await.is_empty());
}

#[tokio::test]
async fn a_public_suffix_domain_is_refused() {
    let app = spawn_app().await;
    app.login_as_organizer().await;
    let res = app.post_form("/admin/teams", &fields("INCD", "gov.il gmail.com")).await;
    // Each refused domain is said, one after the other, next to the field.
    let page =
        refused_with(res, &[("domains", "gov.il is a public suffix shared by many organizations")]).await;
    assert!(page.contains("like cert.gov.il. gmail.com is a free-mail service"), "{page}");
    assert!(teams(&app).await.is_empty());
}

#[tokio::test]
async fn a_domain_of_another_team_is_refused_with_that_teams_name() {
    let app = spawn_app().await;
    app.login_as_organizer().await;
    add_team(&app, "EX-CERT", "cert.example").await;
    let res = app.post_form("/admin/teams", &fields("OTHER", "other.example cert.example")).await;
    refused_with(res, &[("domains", "cert.example belongs to EX-CERT (Example National CERT) already")])
        .await;
    assert_eq!(teams(&app).await.len(), 1);
}

#[tokio::test]
async fn a_taken_short_name_and_a_bad_country_code_are_refused() {
    let app = spawn_app().await;
    app.login_as_organizer().await;
    add_team(&app, "EX-CERT", "cert.example").await;
    let res = app.post_form("/admin/teams", &fields("ex-cert", "other.example")).await;
    refused_with(res, &[("short_name", "The short name EX-CERT is taken")]).await;

    let mut form = fields("NEW", "new.example");
    form[2] = ("country_code", "XX");
    form[0] = ("name", "");
    let res = app.post_form("/admin/teams", &form).await;
    let page = refused_with(
        res,
        &[
            ("name", "Enter the team&#x27;s full name."),
            ("country_code", "“XX” is not an ISO 3166-1 alpha-2"),
        ],
    )
    .await;
    assert!(page.contains("value=\"XX\"") && page.contains("value=\"NEW\""), "the input is kept: {page}");
    assert_eq!(teams(&app).await.len(), 1);
}

#[tokio::test]
async fn editing_a_team_changes_its_fields_and_replaces_its_domains() {
    let app = spawn_app().await;
    app.login_as_organizer().await;
    let id = add_team(&app, "EX-CERT", "cert.example old.example").await;
    let page = app.get(&format!("/admin/teams/{id}")).await.text().await.expect("body");
    assert!(page.contains("cert.example\nold.example</textarea>"), "{page}");

    let mut form = fields("EX-CERT", "cert.example new.example");
    form[0] = ("name", "Example CERT, renamed");
    let res = app.post_form(&format!("/admin/teams/{id}"), &form).await;
    assert_eq!(location(&res), "/admin/teams?done=team-saved");
    let team = app.db.query(move |c| team::find(c, id)).await.expect("query");
    assert_eq!(team.name, "Example CERT, renamed");
    assert_eq!(domains_of(&app, id).await, ["cert.example", "new.example"]);
    assert!(audit_actions(&app).await.contains(&"team.updated".to_owned()));

    let mut form = fields("EX-CERT", "cert.example");
    form[5] = ("cap", "-2");
    let res = app.post_form(&format!("/admin/teams/{id}"), &form).await;
    refused_with(res, &[("cap", "Enter a whole number")]).await;
    assert_eq!(app.get("/admin/teams/999999").await.status(), 404);
}

#[tokio::test]
async fn suspending_and_reinstating_a_team_changes_its_status_with_audit_rows() {
    let app = spawn_app().await;
    app.login_as_organizer().await;
    let id = add_team(&app, "EX-CERT", "cert.example").await;
    let page = app.get(&format!("/admin/teams/{id}")).await.text().await.expect("body");
    assert!(page.contains("its people cannot register") && page.contains("Suspend EX-CERT"), "{page}");

    let res = app.post_form(&format!("/admin/teams/{id}/suspend"), &[]).await;
    assert_eq!(location(&res), format!("/admin/teams/{id}?done=team-suspended"));
    assert_eq!(app.db.query(move |c| team::find(c, id)).await.expect("query").status, TeamStatus::Suspended);
    let list = app.get("/admin/teams").await.text().await.expect("body");
    assert!(list.contains("<span class=\"count\">1</span> suspended team"), "{list}");
    assert!(
        app.get(&format!("/admin/teams/{id}"))
            .await
            .text()
            .await
            .expect("body")
            .contains("Reinstate EX-CERT")
    );

    let res = app.post_form(&format!("/admin/teams/{id}/reinstate"), &[]).await;
    assert_eq!(location(&res), format!("/admin/teams/{id}?done=team-reinstated"));
    assert_eq!(app.db.query(move |c| team::find(c, id)).await.expect("query").status, TeamStatus::Recognized);
    let actions = audit_actions(&app).await;
    assert!(
        actions.contains(&"team.suspended".to_owned()) && actions.contains(&"team.reinstated".to_owned())
    );
    assert_eq!(app.post_form("/admin/teams/999999/suspend", &[]).await.status(), 404);
}

#[tokio::test]
async fn the_registry_searches_by_name_and_filters_by_country() {
    let app = spawn_app().await;
    app.login_as_organizer().await;
    let csv = "name,short_name,country_code,website_domain\n\
               CERT Polska,CERT Polska,PL,cert.pl\n\
               CERT-SE,CERT-SE,SE,cert.se\n\
               Swedish NCSC,NCSC-SE,SE,ncsc.se\n\
               Test_Team 100%,TT,FR,tt.fr\n";
    assert_eq!(import(&app, csv).await.0, 200);
    // `_` and `%` are matched as themselves, not as wildcards.
    let page = app.get("/admin/teams?q=cert_").await.text().await.expect("body");
    assert!(page.contains("No team matches this search"), "{page}");
    let page = app.get("/admin/teams?q=test_team%20100%25").await.text().await.expect("body");
    assert!(page.contains("tt.fr") && page.contains("1 of 4 teams"), "{page}");
    let page = app.get("/admin/teams?q=%25").await.text().await.expect("body");
    assert!(page.contains("tt.fr") && !page.contains("cert.pl"), "{page}");

    let page = app.get("/admin/teams?q=POLSKA").await.text().await.expect("body");
    assert!(page.contains("cert.pl") && !page.contains("cert.se"), "{page}");
    assert!(page.contains("1 of 4 teams"), "{page}");
    let page = app.get("/admin/teams?country=se").await.text().await.expect("body");
    assert!(page.contains("cert.se") && page.contains("ncsc.se") && !page.contains("cert.pl"), "{page}");
    assert!(page.contains("<option value=\"SE\" selected>"), "{page}");
    let page = app.get("/admin/teams?q=ncsc&country=PL").await.text().await.expect("body");
    assert!(page.contains("No team matches this search"), "{page}");
}

#[test]
fn the_import_teams_command_imports_the_fixture_and_refuses_a_bad_file_whole() {
    let db = TestDatabase::create();
    let run = |file: &str| {
        let out =
            csirt_meet().args(["import-teams", file]).env("DATABASE_URL", db.url()).output().expect("runs");
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, stdout, stderr) = run("tests/fixtures/national_csirts.csv");
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stdout.contains("Imported 86 teams") && stdout.contains("86 created, 0 updated"), "{stdout}");
    assert!(stdout.contains("INCD: no email domain: invitation only"), "{stdout}");
    assert!(stdout.contains("CERT-MX: no email domain: invitation only"), "{stdout}");

    let (code, stdout, _) = run("tests/fixtures/national_csirts.csv");
    assert_eq!(code, Some(0));
    assert!(stdout.contains("0 created, 86 updated"), "{stdout}");

    let dir = tempfile::tempdir().expect("temporary folder");
    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "name,short_name,country_code,website_domain\nNew CERT,NEW,SE,new.example\nTaker,TAKER,AT,cert.at\n",
    )
    .expect("written");
    let (code, _, stderr) = run(bad.to_str().expect("UTF-8 path"));
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("Nothing was imported") && stderr.contains("Line 3 (TAKER)"), "{stderr}");
    assert!(stderr.contains("cert.at belongs to CERT.at"), "{stderr}");

    let url = DatabaseUrl::parse(db.url()).expect("url");
    let pool = Db::connect(&url, 1, Duration::from_secs(5)).expect("connects");
    let all = team::list(&mut pool.get().expect("connection"), "", None).expect("query");
    assert_eq!(all.len(), 86, "nothing of the refused file was written");
    drop(pool);

    let (code, _, stderr) = run("tests/fixtures/no-such-file.csv");
    assert_eq!(code, Some(1));
    assert!(stderr.contains("reading tests/fixtures/no-such-file.csv"), "{stderr}");
}

#[tokio::test]
async fn an_invalid_xn_label_and_a_mixed_script_lookalike_of_cert_at_are_refused() {
    let app = spawn_app().await;
    app.login_as_organizer().await;
    // "cеrt.at" with a Cyrillic "е", in the xn-- form a file or a paste would carry.
    let lookalike = idna::domain_to_ascii("c\u{435}rt.at").expect("encodes");
    let res = app.post_form("/admin/teams", &fields("FAKE", &lookalike)).await;
    refused_with(res, &[("domains", "the part “c\u{435}rt” mixes writing systems")]).await;
    let res = app.post_form("/admin/teams", &fields("BAD", "xn--a.example")).await;
    refused_with(res, &[("domains", "xn--a.example is not a valid internationalized domain name")]).await;
    let (status, page) = import(
        &app,
        &format!("name,short_name,country_code,website_domain,email_domains\nFake,FAKE,AT,fake.example,{lookalike}\n"),
    )
    .await;
    assert_eq!(status, 422);
    assert!(page.contains("mixes writing systems"), "{page}");
    assert!(teams(&app).await.is_empty());
}

#[tokio::test]
async fn a_whole_script_lookalike_of_a_registered_domain_is_refused() {
    let app = spawn_app().await;
    app.login_as_organizer().await;
    add_team(&app, "APE-CERT", "ape.at").await;
    // "аре.at" in Cyrillic from end to end: one script, but it reads as ape.at.
    let lookalike = idna::domain_to_ascii("\u{430}\u{440}\u{435}.at").expect("encodes");
    let res = app.post_form("/admin/teams", &fields("FAKE", &lookalike)).await;
    refused_with(res, &[("domains", &format!("{lookalike} (\u{430}\u{440}\u{435}.at) looks like ape.at"))])
        .await;
    assert_eq!(teams(&app).await.len(), 1);
}

#[tokio::test]
async fn an_internationalized_domain_is_stored_as_xn_and_shown_in_unicode_beside_it() {
    let app = spawn_app().await;
    app.login_as_organizer().await;
    let id = add_team(&app, "CERT-CL", "ñic-cert.cl").await;
    assert_eq!(domains_of(&app, id).await, ["xn--ic-cert-3za.cl"]);
    let list = app.get("/admin/teams").await.text().await.expect("body");
    assert!(list.contains(r#"xn--ic-cert-3za.cl <span class="idn">(ñic-cert.cl)</span>"#), "{list}");
    let page = app.get(&format!("/admin/teams/{id}")).await.text().await.expect("body");
    assert!(page.contains("xn--ic-cert-3za.cl is written <strong>ñic-cert.cl</strong>"), "{page}");
}
