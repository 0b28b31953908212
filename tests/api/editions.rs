//! FIRST conference editions are data the organizers keep: the table is filled from the
//! shipped file while empty, organizers add, edit and delete editions by their pages, and
//! a new meeting is proposed after an edition and keeps a copy of its values.

use chrono::{Duration, NaiveDate};
use csirt_meet::{
    db::schema::first_editions,
    models::{first_edition, meeting},
};
use diesel::RunQueryDsl as _;

use crate::{
    fixtures::{audit_actions, create_meeting},
    helpers::{TestApp, location, spawn_app},
};

/// FIRST 2027 as an organizer types it once FIRST announces it.
const MADRID_2027: [(&str, &str); 6] = [
    ("name", "FIRST Conference 2027"),
    ("city", "Madrid"),
    ("country", "Spain"),
    ("time_zone", "Europe/Madrid"),
    ("first_day", "2027-06-13"),
    ("last_day", "2027-06-18"),
];

fn edition_form(changes: &[(&'static str, &'static str)]) -> Vec<(&'static str, &'static str)> {
    let mut fields = MADRID_2027.to_vec();
    for (k, v) in changes {
        fields.iter_mut().filter(|(f, _)| f == k).for_each(|(_, old)| *old = v);
    }
    fields
}

async fn editions(app: &TestApp) -> Vec<first_edition::FirstEdition> {
    app.db.query(first_edition::list).await.expect("editions")
}

async fn page(app: &TestApp, path: &str) -> String {
    let res = app.get(path).await;
    assert_eq!(res.status(), 200, "{path}");
    // Tera escapes "/" in HTML as &#x2F;.
    res.text().await.expect("body").replace("&#x2F;", "/")
}

/// The fields a form of `html` would submit as it stands: its inputs' values, each
/// select's selected option and each textarea's text (the CSRF token included).
fn submitted(html: &str, action: &str) -> Vec<(String, String)> {
    let start = html.find(&format!("action=\"{action}\"")).expect("the form");
    let form = &html[start..html[start..].find("</form>").map_or(html.len(), |end| start + end)];
    let attr = |tag: &str, name: &str| {
        tag.split(&format!(" {name}=\"")).nth(1).and_then(|v| v.split('"').next()).map(str::to_owned)
    };
    let mut fields = Vec::new();
    for tag in form.split("<input").skip(1).map(|t| t.split('>').next().unwrap_or_default()) {
        if let Some(name) = attr(tag, "name") {
            fields.push((name, attr(tag, "value").unwrap_or_default()));
        }
    }
    for select in form.split("<select").skip(1) {
        let name = attr(select.split('>').next().unwrap_or_default(), "name").expect("a name");
        let chosen = select
            .split("</select>")
            .next()
            .unwrap_or_default()
            .split("<option")
            .find(|o| o.split('>').next().unwrap_or_default().contains(" selected"));
        fields.push((name, chosen.and_then(|o| attr(o, "value")).unwrap_or_default()));
    }
    for area in form.split("<textarea").skip(1) {
        let name = attr(area.split('>').next().unwrap_or_default(), "name").expect("a name");
        let text = area.split_once('>').map(|(_, rest)| rest.split("</textarea>").next().unwrap_or_default());
        fields.push((name, text.unwrap_or_default().to_owned()));
    }
    fields.into_iter().map(|(k, v)| (k, v.replace("&amp;", "&"))).collect()
}

fn set(fields: &mut [(String, String)], name: &str, value: &str) {
    fields.iter_mut().filter(|(k, _)| k == name).for_each(|(_, v)| *v = value.to_owned());
}

#[tokio::test]
async fn the_empty_table_is_filled_from_the_shipped_file_once_without_undated_rows() {
    let app = spawn_app().await;
    let seeded = editions(&app).await;
    let names: Vec<&str> = seeded.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names.len(), 11, "2015 to 2026 less 2021, which has no dates: {names:?}");
    assert!(!names.iter().any(|n| n.ends_with("2021") || n.ends_with("2027")), "{names:?}");
    let denver = seeded.iter().find(|e| e.name == "FIRST Conference 2026").expect("Denver");
    assert_eq!(
        (denver.city.as_str(), denver.country.as_str(), denver.time_zone.as_str()),
        ("Denver", "United States", "America/Denver")
    );

    // Starting again (or another instance) writes nothing while the table holds editions.
    let now = app.clock.now_naive();
    assert_eq!(app.db.query(move |c| first_edition::seed_if_empty(c, now)).await.expect("seed"), 0);
    assert_eq!(editions(&app).await.len(), 11);
    // Emptied, it is filled again.
    app.db.query(|c| diesel::delete(first_editions::table).execute(c)).await.expect("emptied");
    assert_eq!(app.db.query(move |c| first_edition::seed_if_empty(c, now)).await.expect("seed"), 11);

    app.login_as_organizer().await;
    let list = page(&app, "/admin/editions").await;
    assert!(list.contains("FIRST Conference 2026") && list.contains("America/Denver"), "{list}");
}

/// "2027 must work today": in December 2026, FIRST 2026 is over and 2027 is in no file.
#[tokio::test]
async fn an_organizer_adds_first_2027_and_creates_the_meeting_from_the_proposal() {
    let app = spawn_app().await;
    app.clock.advance(Duration::days(216));
    assert_eq!(app.clock.now().date_naive(), NaiveDate::from_ymd_opt(2026, 12, 3).expect("date"));
    app.login_as_organizer().await;

    // Nothing lies ahead: the form proposes no days, and leads to the editions.
    let empty = page(&app, "/admin/meetings/new").await;
    assert!(empty.contains("href=\"/admin/editions\""), "the form links the editions");
    assert!(!empty.contains("natcsirt-2027"));
    let console = page(&app, "/admin").await;
    assert!(console.contains("href=\"/admin/editions\""), "the console links the editions");
    assert!(page(&app, "/admin/editions").await.contains("No edition lies ahead"));
    let new = page(&app, "/admin/editions/new").await;
    assert!(new.contains("<select id=\"time_zone\""), "the zone is chosen, not typed");
    assert!(new.contains("<option value=\"Europe/Madrid\">Europe/Madrid</option>"));

    let res = app.post_form("/admin/editions", &edition_form(&[])).await;
    assert_eq!(location(&res), "/admin/editions?done=edition-added");
    assert!(audit_actions(&app).await.contains(&"edition.created".to_owned()));

    // The new-meeting form now proposes the weekend after Madrid, in Madrid's zone.
    let proposal = page(&app, "/admin/meetings/new").await;
    for expected in [
        "value=\"2027-06-19\"",
        "value=\"2027-06-20\"",
        "value=\"natcsirt-2027\"",
        "<option value=\"Europe/Madrid\" selected>",
        "FIRST Conference 2027, Madrid (Sun 13 June – Fri 18 June 2027, Europe/Madrid)",
    ] {
        assert!(proposal.contains(expected), "{expected} proposed");
    }
    let mut fields = submitted(&proposal, "/admin/meetings");
    set(&mut fields, "venue", "IFEMA");
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let res = app.post_form("/admin/meetings", &fields).await;
    assert_eq!(location(&res), "/admin/meetings/natcsirt-2027?done=meeting-saved", "created as proposed");

    let made = app.db.query(|c| meeting::by_slug(c, "natcsirt-2027")).await.expect("meeting");
    let madrid = editions(&app).await.into_iter().find(|e| e.city == "Madrid").expect("the edition");
    assert_eq!(made.edition_id, Some(madrid.id));
    assert_eq!(
        (made.conference_name.as_str(), made.conference_city.as_str(), made.conference_time_zone.as_str()),
        ("FIRST Conference 2027", "Madrid", "Europe/Madrid")
    );
    assert_eq!((made.conference_first_day, made.conference_last_day), (madrid.first_day, madrid.last_day));
    assert_eq!((made.time_zone.as_str(), made.first_day.to_string()), ("Europe/Madrid", "2027-06-19".into()));

    // Editing the edition later changes no meeting.
    let moved =
        edition_form(&[("city", "Barcelona"), ("first_day", "2027-06-20"), ("last_day", "2027-06-25")]);
    let res = app.post_form(&format!("/admin/editions/{}", madrid.id), &moved).await;
    assert_eq!(location(&res), "/admin/editions?done=edition-saved");
    let after = app.db.query(|c| meeting::by_slug(c, "natcsirt-2027")).await.expect("meeting");
    assert_eq!(
        (after.conference_city.as_str(), after.conference_first_day, after.meeting_sequence),
        ("Madrid", madrid.first_day, 0)
    );
    let hub = page(&app, "/admin/meetings/natcsirt-2027").await;
    assert!(
        hub.contains(&format!("href=\"/admin/editions/{}\"", madrid.id)),
        "the meeting names its edition"
    );

    // An edition in use cannot be deleted: a clear message, and nothing changes.
    let res = app.post_form(&format!("/admin/editions/{}/delete", madrid.id), &[("confirm", "yes")]).await;
    assert_eq!(res.status(), 422);
    let body = res.text().await.expect("body");
    assert!(
        body.contains("FIRST Conference 2027 cannot be deleted: 1 meeting was created from it"),
        "{body}"
    );
    assert!(editions(&app).await.iter().any(|e| e.id == madrid.id));
    assert!(!audit_actions(&app).await.contains(&"edition.deleted".to_owned()));
}

#[tokio::test]
async fn an_edition_that_ends_before_it_starts_overlaps_another_or_has_an_unknown_zone_is_refused() {
    let app = spawn_app().await;
    app.login_as_organizer().await;
    let before = editions(&app).await.len();
    let refused = [
        (
            edition_form(&[("first_day", "2027-06-18"), ("last_day", "2027-06-13")]),
            "last_day",
            "is before the first day",
        ),
        (
            edition_form(&[("first_day", "2026-06-19"), ("last_day", "2026-06-24")]),
            "first_day",
            "These days overlap FIRST Conference 2026 (Sun 14 June – Fri 19 June 2026)",
        ),
        (edition_form(&[("time_zone", "Madrid Time")]), "time_zone", "is not in the list of time zones"),
        (edition_form(&[("time_zone", "")]), "time_zone", "Choose a time zone from the list."),
    ];
    for (form, field, message) in refused {
        let res = app.post_form("/admin/editions", &form).await;
        assert_eq!(res.status(), 422, "{message}");
        let body = res.text().await.expect("body").replace("&#x2F;", "/");
        assert!(body.contains(&format!("id=\"{field}-error\"")), "{field}: {body}");
        assert!(body.contains(message), "{message}: {body}");
        assert!(body.contains("value=\"Madrid\""), "the input is kept");
    }
    assert_eq!(editions(&app).await.len(), before, "nothing was written");

    // Editing an edition onto another's days is refused the same way.
    let all = editions(&app).await;
    let copenhagen = all.iter().find(|e| e.city == "Copenhagen").expect("2025");
    let onto_denver = edition_form(&[("first_day", "2026-06-10"), ("last_day", "2026-06-14")]);
    let res = app.post_form(&format!("/admin/editions/{}", copenhagen.id), &onto_denver).await;
    assert_eq!(res.status(), 422);
    let unchanged = app.db.query({
        let id = copenhagen.id;
        move |c| first_edition::find(c, id)
    });
    assert_eq!(unchanged.await.expect("edition").first_day, copenhagen.first_day);
    assert!(!audit_actions(&app).await.iter().any(|a| a.starts_with("edition.")));
}

#[tokio::test]
async fn an_edition_no_meeting_uses_is_deleted_after_confirming() {
    let app = spawn_app().await;
    app.login_as_organizer().await;
    // A meeting typed by hand is created from no edition.
    create_meeting(&app, &[]).await;
    let denver = editions(&app).await.into_iter().find(|e| e.city == "Denver").expect("2026");
    let path = format!("/admin/editions/{}/delete", denver.id);
    let ask = app.post_form(&path, &[]).await;
    assert_eq!(ask.status(), 200);
    assert!(ask.text().await.expect("body").contains("Delete FIRST Conference 2026?"));
    assert!(editions(&app).await.iter().any(|e| e.id == denver.id), "asking deletes nothing");
    let res = app.post_form(&path, &[("confirm", "yes")]).await;
    assert_eq!(location(&res), "/admin/editions?done=edition-deleted");
    assert!(!editions(&app).await.iter().any(|e| e.id == denver.id));
    assert!(audit_actions(&app).await.contains(&"edition.deleted".to_owned()));
    assert_eq!(app.get(&format!("/admin/editions/{}", denver.id)).await.status(), 404);
}

#[tokio::test]
async fn the_meeting_form_proposes_after_the_chosen_edition_and_refuses_a_vanished_one() {
    let app = spawn_app().await;
    app.login_as_organizer().await;
    let res = app.post_form("/admin/editions", &edition_form(&[])).await;
    assert_eq!(res.status(), 303);
    let madrid = editions(&app).await.into_iter().find(|e| e.city == "Madrid").expect("2027");
    // In May 2026 the next edition is Denver; the organizer chooses Madrid instead.
    assert!(page(&app, "/admin/meetings/new").await.contains("value=\"2026-06-20\""));
    let chosen = page(&app, &format!("/admin/meetings/new?edition={}", madrid.id)).await;
    assert!(chosen.contains("value=\"2027-06-19\"") && chosen.contains("Europe/Madrid"));
    let by_hand = page(&app, "/admin/meetings/new?edition=none").await;
    assert!(by_hand.contains("id=\"conference_name\""), "the conference is typed when no edition is chosen");

    let fields = submitted(&chosen, "/admin/meetings");
    let mut fields: Vec<(String, String)> = fields;
    set(&mut fields, "venue", "IFEMA");
    set(&mut fields, "edition", "999999");
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let res = app.post_form("/admin/meetings", &fields).await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.expect("body").contains("That FIRST edition no longer exists"));
    assert!(app.db.query(meeting::list).await.expect("list").is_empty(), "nothing was saved");
}
