//! Vetting evidence in review (issue 15, point 5): each registration shows how it came
//! (invited by whom and when, or registered by the person from which domain), whether the
//! address is at one of the team's domains, the team's approved count against its cap and
//! the meetings the person attended before; an invitation outside the team's domains waits
//! for an explicit tick and is flagged; the queue puts what needs a decision first,
//! searches names and addresses, and shows 300 compact rows on one page with no form per
//! row; a domain an import takes from a website lets nobody register until confirmed.

use std::{
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    time::Duration,
};

use chrono::NaiveDate;
use csirt_meet::{
    db::{DatabaseUrl, Db, DbConnection, run_migrations, run_migrations_before},
    domain::registration::Status,
    models::{evidence, meeting, registration, team, user},
};
use diesel::{Connection as _, RunQueryDsl as _, connection::InstrumentationEvent, sql_query};

use crate::{
    fixtures::{
        Account, BOB, INVITEE, MeetingRow, Person, SLUG, Team, audit_actions, confirm_address, invite,
        meeting_and_team, register, registration_form, registrations, self_registration_form, verify_link,
    },
    helpers::{TestApp, TestDatabase, location, new_client, spawn_app},
};

fn queue_path() -> String {
    format!("/admin/meetings/{SLUG}/registrations")
}

async fn page(app: &TestApp, path: &str) -> String {
    let res = app.get(path).await;
    assert_eq!(res.status(), 200, "{path}");
    res.text().await.expect("body")
}

/// The registration's own page, as the organizer sees it.
async fn registration_page(app: &TestApp, id: i64) -> String {
    page(app, &format!("{}/{id}", queue_path())).await
}

/// The evidence block of a registration's page.
fn evidence_of(html: &str) -> &str {
    let start = html.find("<dl id=\"evidence\">").expect("the evidence");
    &html[start..start + html[start..].find("</dl>").expect("its end")]
}

/// The queue's row of `name`.
fn row_of<'a>(html: &'a str, name: &str) -> &'a str {
    let at = html.find(&format!("aria-label=\"Select {name}\"")).expect(name);
    let start = html[..at].rfind("<tr>").expect("row start");
    &html[start..at + html[at..].find("</tr>").expect("row end")]
}

/// The names of the queue's rows, in the order shown.
fn names(html: &str) -> Vec<&str> {
    html.split("aria-label=\"Select ").skip(1).map(|rest| &rest[..rest.find('"').expect("quote")]).collect()
}

async fn accept(app: &TestApp, link: &str, name: &'static str) -> reqwest::Response {
    app.post_form_with(&new_client(), link, &registration_form(name)).await
}

#[tokio::test]
async fn an_invited_registration_shows_who_invited_it_and_when() {
    let app = spawn_app().await;
    let (m, team_id) = meeting_and_team(&app).await;
    let link = invite(&app, team_id, INVITEE).await;
    assert_eq!(location(&accept(&app, &link, "Alice Contact").await), "/me?done=registered");
    let organizer = app.db.query(|c| user::by_email(c, "organizer@cert.example")).await.expect("query");
    let organizer = organizer.expect("the organizer").name;

    let id = registrations(&app, m.id).await[0].registration.id;
    let html = registration_page(&app, id).await;
    let evidence = evidence_of(&html);
    let day = app.clock.now_naive().format("%a %-d %b %Y").to_string();
    assert!(evidence.contains(&format!("Invited by {organizer} on {day}")), "{evidence}");
    assert!(evidence.contains("cert-at.example: at one of the team&#x27;s domains"), "{evidence}");
    assert!(!evidence.contains("warning"), "nothing flagged: {evidence}");
    assert!(evidence.contains("no earlier meeting"));
    let queue = page(&app, &queue_path()).await;
    let row = row_of(&queue, "Alice Contact");
    assert!(row.contains("<td data-label=\"Came\">invited</td>"), "{row}");
    assert!(row.contains(&format!("href=\"/admin/meetings/{SLUG}/registrations/{id}\"")), "{row}");
}

#[tokio::test]
async fn a_self_registered_person_shows_the_domain_they_came_from() {
    let app = spawn_app().await;
    let (m, _) = meeting_and_team(&app).await;
    let bob = new_client();
    let res = app.post_form_with(&bob, "/register", &self_registration_form(BOB)).await;
    assert_eq!(res.status(), 200);
    let link = verify_link(&app).await;
    confirm_address(&app, &bob, &link).await;

    let id = registrations(&app, m.id).await[0].registration.id;
    let evidence = registration_page(&app, id).await;
    let evidence = evidence_of(&evidence);
    assert!(evidence.contains("Registered by themselves with an address at cert-at.example"), "{evidence}");
    assert!(evidence.contains("at one of the team&#x27;s domains"), "{evidence}");
    let queue = page(&app, &queue_path()).await;
    assert!(row_of(&queue, "Bob Example").contains("<td data-label=\"Came\">self-registered</td>"));
}

#[tokio::test]
async fn an_invitation_outside_the_teams_domains_waits_for_a_tick_and_is_flagged() {
    let app = spawn_app().await;
    let (m, team_id) = meeting_and_team(&app).await;
    let path = format!("/admin/meetings/{SLUG}/invitations");
    let team = team_id.to_string();
    let emails = "carol@cert-at.example, dave@mail.example";

    let res = app.post_form(&path, &[("team", &team), ("emails", emails)]).await;
    assert_eq!(res.status(), 422, "nothing is sent without the tick");
    let html = res.text().await.expect("body");
    assert!(html.contains("dave@mail.example is outside the team&#x27;s domains"), "{html}");
    assert!(html.contains("CERT Austria&#x27;s confirmed domains are cert-at.example"), "{html}");
    assert!(html.contains(r#"name="outside" value="dave@mail.example""#), "{html}");
    assert!(html.contains("carol@cert-at.example, dave@mail.example</textarea>"), "the input is kept");
    assert_eq!(app.dispatch_pending_emails().await.sent, 0, "not even the address inside");
    assert!(
        app.db
            .query(move |c| csirt_meet::models::invitation::for_meeting(c, m.id))
            .await
            .expect("q")
            .is_empty()
    );

    // A tick for other addresses does not cover a new one.
    let res =
        app.post_form(&path, &[("team", &team), ("emails", emails), ("outside", "erin@mail.example")]).await;
    assert_eq!(res.status(), 422);

    let res =
        app.post_form(&path, &[("team", &team), ("emails", emails), ("outside", "dave@mail.example")]).await;
    assert_eq!(location(&res), format!("{path}?done=invitations-sent"));
    assert_eq!(app.dispatch_pending_emails().await.sent, 2);
    let audit = app.db.query(|c| csirt_meet::models::audit::recent(c, 10)).await.expect("audit");
    assert!(audit.iter().any(|e| e.detail == "mail.example, outside the team's domains (confirmed)"));

    let mail = app
        .emails()
        .into_iter()
        .find(|m| m.to().and_then(|t| t.first()).and_then(|a| a.address()) == Some("dave@mail.example"))
        .expect("dave's invitation");
    let text = mail.body_text(0).expect("text").into_owned();
    let start = text.find("/invitations/").expect("link");
    let link = text[start..].split_whitespace().next().expect("link").to_owned();
    assert_eq!(location(&accept(&app, &link, "Dave Outside").await), "/me?done=registered");
    let id = registrations(&app, m.id)
        .await
        .into_iter()
        .find(|r| r.name == "Dave Outside")
        .expect("row")
        .registration
        .id;
    let html = registration_page(&app, id).await;
    assert!(
        evidence_of(&html)
            .contains("mail.example: <strong class=\"warning\">outside the team&#x27;s domains</strong>"),
        "{html}"
    );
    let queue = page(&app, &queue_path()).await;
    assert!(
        row_of(&queue, "Dave Outside").contains("outside the team&#x27;s domains"),
        "flagged in the queue"
    );
}

#[tokio::test]
async fn the_teams_count_against_its_cap_and_the_meetings_attended_before_show() {
    let app = spawn_app().await;
    let (m, team_id) = meeting_and_team(&app).await;
    Team::austria().cap(2).insert(&app).await;
    let before = NaiveDate::from_ymd_opt(2025, 6, 14).expect("date");
    let older = NaiveDate::from_ymd_opt(2024, 6, 8).expect("date");
    let y2025 = MeetingRow::new("natcsirt-2025", before).title("NatCSIRT 2025").insert(&app).await;
    let y2024 = MeetingRow::new("natcsirt-2024", older).title("NatCSIRT 2024").insert(&app).await;
    let ana = "ana@cert-at.example";
    register(&app, y2024.id, team_id, Person::new("Ana Again", ana, Status::Approved)).await;
    register(&app, y2025.id, team_id, Person::new("Ana Again", ana, Status::Approved)).await;
    // A later meeting and a rejection are not "attended before".
    let later = MeetingRow::new("natcsirt-2027", NaiveDate::from_ymd_opt(2027, 6, 12).expect("date"));
    let later = later.title("NatCSIRT 2027").insert(&app).await;
    register(&app, later.id, team_id, Person::new("Ana Again", ana, Status::Approved)).await;
    register(&app, y2025.id, team_id, Person::new("Ben New", "ben@cert-at.example", Status::Rejected)).await;
    for (name, email) in [("Cleo", "cleo@cert-at.example"), ("Dan", "dan@cert-at.example")] {
        register(&app, m.id, team_id, Person::new(name, email, Status::Approved)).await;
    }
    let id = register(&app, m.id, team_id, Person::new("Ana Again", ana, Status::Pending)).await;
    let ben =
        register(&app, m.id, team_id, Person::new("Ben New", "ben@cert-at.example", Status::Pending)).await;

    let html = registration_page(&app, id).await;
    let evidence = evidence_of(&html);
    assert!(
        evidence.contains("2 of 2: <strong class=\"warning\">the team's cap is reached</strong>"),
        "{evidence}"
    );
    assert!(evidence.contains("NatCSIRT 2025, NatCSIRT 2024"), "{evidence}");
    assert!(!evidence.contains("NatCSIRT 2027"));
    assert!(evidence_of(&registration_page(&app, ben).await).contains("no earlier meeting"));
    let queue = page(&app, &queue_path()).await;
    let row = row_of(&queue, "Ana Again");
    assert!(row.contains("<td data-label=\"Attended before\">2</td>"), "{row}");
    assert!(row.contains("2 of 2 <strong class=\"warning\">full</strong>"), "{row}");
}

#[tokio::test]
async fn the_queue_puts_what_needs_a_decision_first_and_searches_names_and_addresses() {
    let app = spawn_app().await;
    let (m, team) = meeting_and_team(&app).await;
    let people = [
        ("Zoe Approved", "zoe@cert-at.example", Status::Approved),
        ("Yann Pending", "yann@cert-at.example", Status::Pending),
        ("Xena Waitlisted", "xena@cert-at.example", Status::Waitlisted),
        ("Åsa Öberg", "ASA.OBERG@cert-at.example", Status::Pending),
        ("Will Rejected", "will@other.example", Status::Rejected),
    ];
    for (name, email, status) in people {
        register(&app, m.id, team, Person::new(name, email, status)).await;
    }
    let queue = page(&app, &queue_path()).await;
    assert_eq!(
        names(&queue),
        ["Yann Pending", "Åsa Öberg", "Zoe Approved", "Xena Waitlisted", "Will Rejected"]
    );
    assert!(queue.contains("2 of 5 registrations need a decision"), "{queue}");

    let found = |q: &'static str| {
        let app = &app;
        async move {
            names(&page(app, &format!("{}?q={q}", queue_path())).await)
                .into_iter()
                .map(str::to_owned)
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(found("ÅSA").await, ["Åsa Öberg"], "a name, ignoring case beyond ASCII");
    assert_eq!(found("asa.oberg").await, ["Åsa Öberg"], "an address, ignoring case");
    assert_eq!(found("OTHER.example").await, ["Will Rejected"]);
    assert_eq!(found("pending").await, ["Yann Pending"]);
    assert!(found("nobody").await.is_empty());
    let html = page(&app, &format!("{}?q=nobody", queue_path())).await;
    assert!(html.contains("No registrations match these filters."));
    assert!(html.contains(r#"<input type="search" id="q" name="q" value="nobody">"#), "the search is kept");
    // The search combines with the status filter and stays in the bulk form.
    let html = page(&app, &format!("{}?q=cert-at&status=pending", queue_path())).await;
    assert_eq!(names(&html), ["Yann Pending", "Åsa Öberg"]);
    assert!(html.contains(r#"<input type="hidden" name="q" value="cert-at">"#));
}

#[tokio::test]
async fn three_hundred_registrations_fit_one_page_of_compact_rows_without_a_form_each() {
    let app = spawn_app().await;
    let (m, team) = meeting_and_team(&app).await;
    let one =
        register(&app, m.id, team, Person::new("Person 000", "p000@cert-at.example", Status::Pending)).await;
    let forms_for_one = page(&app, &queue_path()).await.matches("<form").count();
    for i in 1..300 {
        let name: &'static str = format!("Person {i:03}").leak();
        let email: &'static str = format!("p{i:03}@cert-at.example").leak();
        register(&app, m.id, team, Person::new(name, email, Status::Pending)).await;
    }
    let html = page(&app, &queue_path()).await;
    assert_eq!(names(&html).len(), 300);
    assert!(html.contains("page 1 of 1"), "one page");
    assert_eq!(html.matches("<form").count(), forms_for_one, "no form per row");
    assert!(!html.contains("/decision"), "decisions are on each registration's page");
    assert_eq!(html.matches(r#"form="bulk""#).count(), 300 + 5, "a checkbox per row, and the bulk controls");

    // The bulk form still decides for checked rows.
    let ids = [one.to_string()];
    let form = [("decision", "approve"), ("reason", ""), ("ids", ids[0].as_str())];
    let res = app.post_form(&format!("{}/bulk", queue_path()), &form).await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        registrations(&app, m.id).await.iter().filter(|r| r.registration.status == Status::Approved).count(),
        1
    );
}

#[tokio::test]
async fn the_queue_loads_its_evidence_in_the_same_number_of_queries_for_3_or_300_rows() {
    let app = spawn_app().await;
    let (m, team) = meeting_and_team(&app).await;
    let count = |m: meeting::Meeting| {
        let db = app.db.clone();
        async move {
            db.query(move |c| {
                let queries = Arc::new(AtomicUsize::new(0));
                let seen = queries.clone();
                c.set_instrumentation(move |event: InstrumentationEvent<'_>| {
                    if matches!(event, InstrumentationEvent::StartQuery { .. }) {
                        seen.fetch_add(1, Ordering::SeqCst);
                    }
                });
                let rows = registration::for_meeting(c, m.id, None)?;
                evidence::load(c, &m, &rows)?;
                c.set_instrumentation(|_: InstrumentationEvent<'_>| {});
                Ok((rows.len(), queries.load(Ordering::SeqCst)))
            })
            .await
            .expect("query")
        }
    };
    for i in 0..3 {
        let email: &'static str = format!("p{i:03}@cert-at.example").leak();
        register(&app, m.id, team, Person::new("Someone", email, Status::Approved)).await;
    }
    let (rows, few) = count(m.clone()).await;
    assert_eq!(rows, 3);
    for i in 3..300 {
        let email: &'static str = format!("p{i:03}@cert-at.example").leak();
        register(&app, m.id, team, Person::new("Someone", email, Status::Pending)).await;
    }
    let (rows, many) = count(m).await;
    assert_eq!(rows, 300);
    assert_eq!(few, many, "no query per row");
    assert!(many <= 6, "{many} queries");
}

/// A registry file whose team lists no email domain: the website's is taken.
const DERIVED: &str = "name,short_name,country_code,website_domain,email_domains\n\
                       CERT Ejemplo,CERT-EJ,AR,cert-ej.example,\n\
                       CERT Listed,CERT-LI,LU,www.cert-li.example,cert-li.example\n";

async fn register_status(app: &TestApp, email: &'static str) -> (u16, String) {
    let res = app.post_form_with(&new_client(), "/register", &self_registration_form(email)).await;
    let status = res.status().as_u16();
    (status, res.text().await.expect("body"))
}

/// The message of the refused address field.
fn address_message(html: &str) -> String {
    let start = html.find("id=\"email-error\">").expect("a message at the address") + 17;
    html[start..start + html[start..].find("</span>").expect("end")].to_owned()
}

#[tokio::test]
async fn a_domain_taken_from_a_website_lets_nobody_register_until_an_organizer_confirms_it() {
    let app = spawn_app().await;
    let (_m, _) = meeting_and_team(&app).await;
    let res = app.post_form("/admin/teams/import", &[("csv", DERIVED)]).await;
    assert_eq!(res.status(), 200);
    let report = res.text().await.expect("body");
    assert!(
        report.contains("Email domains to confirm")
            && report.contains("<strong>CERT-EJ</strong>: cert-ej.example"),
        "{report}"
    );
    let ej = app.db.query(|c| team::by_short_name(c, "CERT-EJ")).await.expect("q").expect("team");
    let li = app.db.query(|c| team::by_short_name(c, "CERT-LI")).await.expect("q").expect("team");
    let stored = |id| {
        let db = app.db.clone();
        async move { db.query(move |c| team::stored_domains(c, id)).await.expect("q") }
    };
    assert!(!stored(ej.id).await[0].confirmed, "taken from the website: unconfirmed");
    assert!(stored(li.id).await[0].confirmed, "listed in the file: confirmed");

    // The same answer as for a domain nobody has, revealing nothing.
    let (status, unconfirmed) = register_status(&app, "eva@cert-ej.example").await;
    assert_eq!(status, 422);
    let (_, unknown) = register_status(&app, "eva@nobody-here.example").await;
    assert_eq!(
        address_message(&unconfirmed).replace("cert-ej.example", "D"),
        address_message(&unknown).replace("nobody-here.example", "D")
    );
    let teams = page(&app, "/admin/teams").await;
    assert!(teams.contains("cert-ej.example <span class=\"warning\">(unconfirmed)</span>"), "{teams}");

    let team_page = page(&app, &format!("/admin/teams/{}", ej.id)).await;
    assert!(team_page.contains("Email domains waiting for confirmation"), "{team_page}");
    assert!(team_page.contains("argentina.gob.ar"), "the page says why to look twice");
    let confirm = format!("/admin/teams/{}/domains/confirm", ej.id);
    let res = app.post_form(&confirm, &[("domain", "not-its.example")]).await;
    assert_eq!(res.status(), 422, "only a domain of the team that waits");
    let res = app.post_form(&confirm, &[("domain", "cert-ej.example")]).await;
    assert_eq!(location(&res), format!("/admin/teams/{}?done=domain-confirmed", ej.id));
    assert!(stored(ej.id).await[0].confirmed);
    assert!(audit_actions(&app).await.iter().any(|a| a == "team.domain_confirmed"));
    assert!(!page(&app, &format!("/admin/teams/{}", ej.id)).await.contains("waiting for confirmation"));
    let (status, sent) = register_status(&app, "eva@cert-ej.example").await;
    assert_eq!(status, 200, "{sent}");
    assert!(sent.contains("Check your email"));

    // Importing the file again, or saving the team's form, keeps it confirmed.
    app.post_form("/admin/teams/import", &[("csv", DERIVED)]).await;
    assert!(stored(ej.id).await[0].confirmed, "a confirmed domain stays confirmed");
}

#[tokio::test]
async fn saving_a_teams_form_does_not_confirm_a_waiting_domain() {
    let app = spawn_app().await;
    app.login_as_organizer().await;
    app.post_form("/admin/teams/import", &[("csv", DERIVED)]).await;
    let ej = app.db.query(|c| team::by_short_name(c, "CERT-EJ")).await.expect("q").expect("team");
    let form = [
        ("name", "CERT Ejemplo"),
        ("short_name", "CERT-EJ"),
        ("country_code", "AR"),
        ("website", "cert-ej.example"),
        ("domains", "cert-ej.example\nnew-ej.example"),
        ("cap", "4"),
    ];
    let res = app.post_form(&format!("/admin/teams/{}", ej.id), &form).await;
    assert_eq!(res.status(), 303);
    let stored = app.db.query(move |c| team::stored_domains(c, ej.id)).await.expect("q");
    let states: Vec<(&str, bool)> = stored.iter().map(|d| (d.domain.as_str(), d.confirmed)).collect();
    assert_eq!(states, [("cert-ej.example", false), ("new-ej.example", true)], "typed: confirmed");
}

/// The migration of this part.
const EVIDENCE: &str = "2026-12-03-000040_vetting_evidence";

#[test]
fn the_upgrade_keeps_stored_domains_confirmed_and_links_registrations_to_their_invitations() {
    let database = TestDatabase::create();
    let url = DatabaseUrl::parse(database.url()).expect("valid URL");
    let db = Db::connect(&url, 1, Duration::from_secs(5)).expect("connect");
    let mut conn = db.get().expect("connection");
    let c: &mut DbConnection = &mut conn;
    run_migrations_before(c, EVIDENCE).expect("an install from before the upgrade");
    let now = chrono::Utc::now().naive_utc();
    // Written as SQL: the `meetings` table of that time, not today's `MeetingRow`.
    sql_query(
        "INSERT INTO meetings (slug, title, year, city, venue, time_zone, first_day, last_day, \
         conference_name, conference_city, conference_first_day, conference_last_day, \
         registration_opens, registration_closes, default_cap, meeting_uid, conference_uid, \
         created_at, updated_at) VALUES ('natcsirt-2026', 'NatCSIRT 2026', 2026, 'Denver', 'Hall', \
         'America/Denver', '2026-06-20', '2026-06-21', 'FIRST 2026', 'Denver', '2026-06-14', \
         '2026-06-19', '2026-01-01 00:00:00', '2026-06-10 00:00:00', 3, 'm-uid', 'c-uid', \
         '2026-01-01 00:00:00', '2026-01-01 00:00:00')",
    )
    .execute(c)
    .expect("an old meeting");
    let meeting_id: i64 = diesel::select(diesel::dsl::sql::<diesel::sql_types::BigInt>(
        "(SELECT id FROM meetings WHERE slug = 'natcsirt-2026')",
    ))
    .get_result(c)
    .expect("the meeting's id");
    let invited = Account::member(INVITEE).name("Alice").insert_in(c, now).expect("account");
    let own = Account::member(BOB).name("Bob").insert_in(c, now).expect("account");
    let statements = [
        "INSERT INTO teams (name, short_name, country_code, website, created_at, updated_at) \
         VALUES ('CERT Austria', 'CERT.at', 'AT', 'cert-at.example', '2026-01-01 00:00:00', '2026-01-01 00:00:00')"
            .to_owned(),
        "INSERT INTO team_domains (team_id, domain) SELECT id, 'cert-at.example' FROM teams".to_owned(),
        format!(
            "INSERT INTO invitations (meeting_id, team_id, email, token_hash, expires_at, used_at, created_at) \
             SELECT {}, id, '{INVITEE}', 'hash', '2026-03-01 00:00:00', '2026-02-02 00:00:00', \
             '2026-02-01 00:00:00' FROM teams",
            meeting_id
        ),
    ];
    for sql in statements {
        sql_query(sql).execute(c).expect("an old row");
    }
    for user_id in [invited.id, own.id] {
        sql_query(format!(
            "INSERT INTO registrations (meeting_id, user_id, team_id, status, role_title, dietary, \
             accessibility, consent_listed, created_at, updated_at) SELECT {}, {user_id}, id, 'pending', \
             'Analyst', '', '', FALSE, '2026-02-02 00:00:00', '2026-02-02 00:00:00' FROM teams",
            meeting_id
        ))
        .execute(c)
        .expect("an old registration");
    }

    let applied = run_migrations(c).expect("the upgrade runs");
    assert_eq!(applied.applied.first().map(String::as_str), Some("20261203000040"), "{EVIDENCE} runs");
    let austria = team::by_short_name(c, "CERT.at").expect("query").expect("team");
    let domains = team::stored_domains(c, austria.id).expect("domains");
    assert!(domains.iter().all(|d| d.confirmed) && domains.len() == 1, "{domains:?}");
    assert_eq!(team::confirmed_domains(c).expect("q"), [(austria.id, "cert-at.example".to_owned())]);
    let rows = registration::for_meeting(c, meeting_id, None).expect("rows");
    let invitation_of =
        |email: &str| rows.iter().find(|r| r.email == email).expect(email).registration.invitation_id;
    assert!(invitation_of(INVITEE).is_some(), "the invited registration finds its invitation");
    assert_eq!(invitation_of(BOB), None, "the other one registered by itself");
}
