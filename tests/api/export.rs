//! The registrations as CSV: organizers only, a download of every registration in every
//! status (or one, with `?status=`) with email, stored status, vetting evidence and the
//! answers to the questions; formula cells neutralised.

use csirt_meet::{domain::registration::Status, models::answer};

use crate::{
    fixtures::{
        INVITEE, Person, SLUG, Team, add_question, invite, meeting_and_team, register, registration_form,
    },
    helpers::{location, new_client, spawn_app},
};

const HEADER: &str = "name,email,team,country,status,role,registered at (UTC),how they came,email domain,\
                      dietary,accessibility";

#[tokio::test]
async fn organizers_download_every_registration_with_formula_cells_neutralised() {
    let app = spawn_app().await;
    let (m, austria) = meeting_and_team(&app).await;
    let belgium = Team::new("CERT.be", "CERT.be", "BE").insert(&app).await;
    let approved = |name, email| Person::new(name, email, Status::Approved).answers("vegan", "");
    register(&app, m.id, austria, approved("Anton", "anton@cert-at.example")).await;
    register(&app, m.id, austria, Person::new("Pia Pending", "pia@cert-at.example", Status::Pending)).await;
    let evil = Person::new("-Bram", "bram@b.example", Status::Approved)
        .answers("=HYPERLINK(\"http://evil.example\",\"x\")", "@SUM(1+1)");
    register(&app, m.id, belgium, evil).await;

    let res = app.get(&format!("/admin/meetings/{SLUG}/registrations.csv")).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "text/csv; charset=utf-8");
    assert_eq!(
        res.headers()["content-disposition"],
        "attachment; filename=\"natcsirt-2026-registrations.csv\""
    );
    let at = app.clock.now_naive().format("%Y-%m-%d %H:%M").to_string();
    let body = res.text().await.expect("body");
    let lines: Vec<&str> = body.lines().collect();
    let own = "Registered by themselves with an address at";
    assert_eq!(
        lines,
        [
            HEADER.to_owned(),
            format!(
                "Anton,anton@cert-at.example,CERT Austria,AT,approved,Incident handler,{at},{own} \
                 cert-at.example,at one of the team's domains,vegan,"
            ),
            format!(
                "Pia Pending,pia@cert-at.example,CERT Austria,AT,pending,Incident handler,{at},{own} \
                 cert-at.example,at one of the team's domains,,"
            ),
            format!(
                "'-Bram,bram@b.example,CERT.be,BE,approved,Incident handler,{at},{own} b.example,outside \
                 the team's domains,\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\",'@SUM(1+1)"
            ),
        ],
        "everyone by team then name; formula cells start with an apostrophe"
    );

    let only = app.get(&format!("/admin/meetings/{SLUG}/registrations.csv?status=pending")).await;
    assert_eq!(
        only.headers()["content-disposition"],
        "attachment; filename=\"natcsirt-2026-registrations-pending.csv\""
    );
    let only = only.text().await.expect("body");
    assert_eq!(only.lines().skip(1).map(|l| l.split(',').next()).collect::<Vec<_>>(), [Some("Pia Pending")]);
    let queue = app.get(&format!("/admin/meetings/{SLUG}/registrations?status=pending")).await;
    let queue = queue.text().await.expect("body");
    assert!(
        queue.contains(&format!(r#"href="/admin/meetings/{SLUG}/registrations.csv?status=pending""#)),
        "the queue's filter offers the same file: {queue}"
    );
}

#[tokio::test]
async fn every_status_appears_with_its_evidence_and_answers() {
    let app = spawn_app().await;
    let (m, austria) = meeting_and_team(&app).await;
    let badge = add_question(&app, &[("prompt", "Badge name")]).await;
    let link = invite(&app, austria, INVITEE).await;
    let res = app.post_form_with(&new_client(), &link, &registration_form("Alice Invited")).await;
    assert_eq!(location(&res), "/me?done=registered");
    let mut emails = Vec::new();
    for (i, status) in Status::ALL.into_iter().enumerate() {
        let (name, email) = (format!("Person {i}"), format!("p{i}@cert-at.example"));
        let (name, email): (&'static str, &'static str) = (name.leak(), email.leak());
        let id = register(&app, m.id, austria, Person::new(name, email, status)).await;
        let (now, value) = (app.clock.now_naive(), format!("Badge {}", status.as_str()));
        app.db.query(move |c| answer::save(c, id, &[(badge, Some(value))], now)).await.expect("answer");
        emails.push((status, email));
    }

    let csv = app.get(&format!("/admin/meetings/{SLUG}/registrations.csv")).await.text().await.expect("body");
    let rows: Vec<Vec<String>> = csv::Reader::from_reader(csv.as_bytes())
        .records()
        .map(|r| r.expect("a record").iter().map(str::to_owned).collect())
        .collect();
    assert_eq!(csv.lines().next(), Some(format!("{HEADER},Badge name").as_str()));
    assert_eq!(rows.len(), Status::ALL.len() + 1, "{csv}");
    for (status, email) in emails {
        let row = rows.iter().find(|r| r[1] == email).unwrap_or_else(|| panic!("{email} in {csv}"));
        assert_eq!(row[4], status.as_str());
        assert!(row[7].starts_with("Registered by themselves with an address at cert-at.example"), "{row:?}");
        assert_eq!(row[8], "at one of the team's domains");
        assert_eq!(row[11], format!("Badge {}", status.as_str()));
    }
    let alice = rows.iter().find(|r| r[1] == INVITEE).expect("the invited person");
    assert_eq!(alice[..5], ["Alice Invited", INVITEE, "CERT Austria", "AT", "pending"]);
    assert!(alice[7].starts_with("Invited by "), "how she came: {alice:?}");
    assert_eq!(alice[9], "vegetarian");
}

#[tokio::test]
async fn members_cannot_download_the_registrations_csv() {
    let app = spawn_app().await;
    let (_, _) = meeting_and_team(&app).await;
    let member = new_client();
    let user = app.create_user("someone@cert.example", csirt_meet::domain::states::Role::Member).await;
    app.sign_in_with(&member, &user).await;
    let res =
        member.get(app.url(&format!("/admin/meetings/{SLUG}/registrations.csv"))).send().await.expect("sent");
    assert_eq!(res.status(), 403);
    let anonymous = new_client();
    let res = anonymous
        .get(app.url(&format!("/admin/meetings/{SLUG}/registrations.csv")))
        .send()
        .await
        .expect("sent");
    assert_eq!(res.status(), 303, "anonymous visitors are sent to sign in");
}
