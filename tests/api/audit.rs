//! `/admin/audit`: the audit log for organizers, newest first, filtered and paged.

use chrono::{Duration, NaiveDateTime};
use csirt_meet::models::audit;

use crate::{
    fixtures::{Person, decide, meeting_and_team, register},
    helpers::{TestApp, spawn_app},
};

fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").expect("a time")
}

async fn record(
    app: &TestApp,
    actor: Option<i64>,
    action: &'static str,
    detail: String,
    when: NaiveDateTime,
) {
    app.db.query(move |c| audit::record(c, actor, action, "thing", &detail, when)).await.expect("audit row");
}

/// The details shown on a page, in order.
async fn details(app: &TestApp, query: &str) -> Vec<String> {
    let page = app.get(&format!("/admin/audit?{query}")).await.text().await.expect("body");
    const CELL: &str = r#"<td data-label="Details">"#;
    page.match_indices(CELL)
        .map(|(i, _)| page[i + CELL.len()..].split('<').next().expect("cell").to_owned())
        .filter(|cell| cell.starts_with("detail "))
        .collect()
}

#[tokio::test]
async fn organizers_page_through_the_audit_log_newest_first() {
    let app = spawn_app().await;
    let me = app.login_as_organizer().await;
    for n in 0..55 {
        record(
            &app,
            Some(me.id),
            "team.added",
            format!("detail {n:02}"),
            at("2026-04-01 10:00") + Duration::minutes(n),
        )
        .await;
    }
    let first = details(&app, "action=team.added").await;
    assert_eq!(first.len(), 50);
    assert_eq!((first[0].as_str(), first[49].as_str()), ("detail 54", "detail 05"));
    let page = app.get("/admin/audit?action=team.added").await.text().await.expect("body");
    assert!(page.contains("Older entries") && !page.contains("Newer entries"));
    assert!(page.contains("Test Person &lt;organizer@cert.example&gt;"), "who acted");
    let second = details(&app, "action=team.added&page=2").await;
    assert_eq!(second, ["detail 04", "detail 03", "detail 02", "detail 01", "detail 00"]);
}

#[tokio::test]
async fn the_audit_log_filters_by_who_what_and_when() {
    let app = spawn_app().await;
    let me = app.login_as_organizer().await;
    record(&app, Some(me.id), "registration.approved", "detail approved".into(), at("2026-04-10 09:00"))
        .await;
    record(&app, None, "privacy.purged", "detail purged".into(), at("2026-04-11 03:00")).await;
    record(&app, Some(me.id), "team.added", "detail team".into(), at("2026-04-12 23:59")).await;

    assert_eq!(details(&app, "").await, ["detail team", "detail purged", "detail approved"]);
    assert_eq!(details(&app, "actor=system").await, ["detail purged"]);
    assert_eq!(details(&app, &format!("actor={}", me.id)).await, ["detail team", "detail approved"]);
    assert_eq!(details(&app, "action=registration.approved").await, ["detail approved"]);
    assert_eq!(details(&app, "from=2026-04-11&to=2026-04-12").await, ["detail team", "detail purged"]);
    assert_eq!(details(&app, "to=2026-04-10").await, ["detail approved"]);
    assert_eq!(details(&app, "from=nonsense&actor=x").await.len(), 3, "unreadable filters filter nothing");
    let page = app.get("/admin/audit").await.text().await.expect("body");
    assert!(
        page.contains(
            "<option value=\"privacy.purged\">removed old answers (privacy purge) (privacy.purged)</option>"
        ),
        "the action filter lists what the log holds, in words: {page}"
    );
    assert!(
        page.contains("approved a registration<br><code class=\"muted\">registration.approved</code>"),
        "each entry says what happened in words beside its code: {page}"
    );
    assert!(page.contains("<option value=\"team.added\">team.added</option>"), "a code without words stays");
}

#[tokio::test]
async fn members_cannot_read_the_audit_log() {
    let app = spawn_app().await;
    app.login_as_member().await;
    assert_eq!(app.get("/admin/audit").await.status(), 403);
}

#[tokio::test]
async fn an_entry_about_a_registration_names_the_person() {
    use csirt_meet::domain::registration::Status;
    let app = spawn_app().await;
    let (m, team) = meeting_and_team(&app).await;
    let id =
        register(&app, m.id, team, Person::new("Ana Analyst", "ana@cert-at.example", Status::Pending)).await;
    let res = decide(&app, id, "reject", "Not a national team").await;
    assert_eq!(res.status(), 303);
    let now = app.clock.now_naive();
    app.db
        .query(move |c| audit::record(c, None, "registration.rejected", "registration 999999", "", now))
        .await
        .expect("audit row");
    let page = app.get("/admin/audit").await.text().await.expect("body");
    let about = format!(
        r#"<td data-label="About">Ana Analyst &lt;ana@cert-at.example&gt;<br><code class="muted">registration {id}</code></td>"#
    );
    assert!(page.contains(&about), "{page}");
    assert!(
        page.contains(r#"<td data-label="About">registration 999999</td>"#),
        "a registration that no longer exists stays an id"
    );
}

#[tokio::test]
async fn a_session_row_written_with_its_title_before_the_rule_shows_no_title() {
    let app = spawn_app().await;
    let me = app.login_as_organizer().await;
    // What the editor wrote before the log named sessions by id and label only.
    let old = "Closed case OLD-RED-TITLE-5521";
    app.db
        .query(move |c| {
            audit::record(c, Some(me.id), "session.updated", "atm/session/3", old, at("2026-04-01 10:00"))
        })
        .await
        .expect("audit row");
    record(&app, Some(me.id), "session.cancelled", "TLP:RED".into(), at("2026-04-02 10:00")).await;
    let page = app.get("/admin/audit").await.text().await.expect("body");
    let export = app.get("/me/privacy/data.json").await.text().await.expect("body");
    for (what, text) in [("the audit page", &page), ("the data export", &export)] {
        assert!(!text.contains("OLD-RED-TITLE-5521"), "{what}: {text}");
        assert!(text.contains(audit::TITLE_WITHHELD) && text.contains("TLP:RED"), "{what}: {text}");
    }
}
