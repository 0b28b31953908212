//! Stored words the code does not know (a hand edit, a downgrade): one policy everywhere,
//! a 500 whose cause goes to the log; except a TLP label, which counts as TLP:RED.

use csirt_meet::db::DbConnection;
use diesel::{RunQueryDsl as _, connection::SimpleConnection as _};

use crate::{
    fixtures::{self as feeds, EDITOR, SLUG},
    helpers::{TestApp, new_client, spawn_app},
};

/// Writes a word behind the code's back, as a hand edit of the database would.
async fn raw_update(app: &TestApp, sql: String) {
    let changed = app.db.query(move |c| diesel::sql_query(sql).execute(c)).await.expect("updated");
    assert!(changed > 0, "a row was changed");
}

/// [`raw_update`] of a column whose CHECK lists the words this version knows. A later
/// version may widen the CHECK, and going back to this one leaves its words in the rows;
/// the test lifts the CHECK as that would (SQLite: for this connection only).
async fn unchecked_update(app: &TestApp, table: &'static str, column: &'static str, sql: String) {
    app.db
        .query(move |c| {
            let lift = match c {
                DbConnection::Sqlite(_) => "PRAGMA ignore_check_constraints = ON".to_owned(),
                DbConnection::Postgresql(_) => {
                    format!("ALTER TABLE {table} DROP CONSTRAINT {table}_{column}_check")
                }
            };
            c.batch_execute(&lift)?;
            let changed = diesel::sql_query(sql).execute(c)?;
            if let DbConnection::Sqlite(_) = c {
                c.batch_execute("PRAGMA ignore_check_constraints = OFF")?;
            }
            assert!(changed > 0, "a row was changed");
            Ok(())
        })
        .await
        .expect("updated");
}

#[tokio::test]
async fn an_unknown_registration_status_answers_500_wherever_the_row_is_read() {
    let app = spawn_app().await;
    let a = feeds::approved_attendee(&app, &[]).await;
    let id = a.registration_id;
    let sql = format!("UPDATE registrations SET status = 'archived' WHERE id = {id}");
    unchecked_update(&app, "registrations", "status", sql).await;

    for (who, client, path) in [
        ("the attendee", &a.client, "/me".to_owned()),
        ("the attendee", &a.client, format!("/meetings/{SLUG}/agenda")),
        ("the organizer", &app.client, format!("/admin/meetings/{SLUG}/registrations")),
    ] {
        let res = client.get(app.url(&path)).send().await.expect("sent");
        assert_eq!(res.status(), 500, "{who} on {path}: the read fails, not a 404 or a default");
    }
    // A decision about it used to answer 404 ("not found") for the same cause.
    let path = format!("/admin/meetings/{SLUG}/registrations/{id}/decision");
    let res = app.post_form(&path, &[("decision", "approve"), ("reason", "")]).await;
    assert_eq!(res.status(), 500, "a decision on an unreadable registration is a 500 too");
}

#[tokio::test]
async fn an_unknown_team_status_or_role_answers_500_too() {
    let app = spawn_app().await;
    let a = feeds::approved_attendee(&app, &[]).await;
    unchecked_update(&app, "teams", "status", "UPDATE teams SET status = 'dormant'".to_owned()).await;
    let res = app.get("/admin/teams").await;
    assert_eq!(res.status(), 500, "the registry list reads every team's status");

    let sql = "UPDATE users SET role = 'admin' WHERE email = 'ana@cert-at.example'".to_owned();
    unchecked_update(&app, "users", "role", sql).await;
    let res = a.client.get(app.url("/me")).send().await.expect("sent");
    assert_eq!(res.status(), 500, "the signed-in account cannot be read");
}

#[tokio::test]
async fn an_unknown_stored_tlp_label_counts_as_red_in_the_feed_and_on_the_agenda() {
    let app = spawn_app().await;
    let a = feeds::approved_attendee(&app, &[]).await;
    let (title, words) = ("Mislabelled MISLABEL-TITLE-5150", "MISLABEL-ABSTRACT-7321");
    feeds::add_session(&app, title, "TLP:GREEN", "2026-06-20", ("09:00", "10:00"), words).await;
    feeds::publish_agenda(&app).await;
    // TLP 1.0's WHITE is not a TLP 2.0 label: the release now holds a word no rule knows.
    raw_update(&app, "UPDATE released_sessions SET tlp = 'TLP:WHITE'".to_owned()).await;

    let path = feeds::feed_path(&app, &a).await;
    let res = new_client().get(app.url(&path)).send().await.expect("sent");
    assert_eq!(res.status(), 200);
    let feed = res.text().await.expect("body");
    assert!(feed.contains("SUMMARY:TLP:RED session — details in the agenda"), "{feed}");
    assert!(!feed.contains("MISLABEL-TITLE") && !feed.contains(words), "nothing of it leaves: {feed}");

    let res = a.client.get(app.url(&format!("/meetings/{SLUG}/agenda"))).send().await.expect("sent");
    assert_eq!(res.status(), 200);
    let page = res.text().await.expect("body");
    assert!(page.contains("tlp-red") && page.contains("TLP:RED"), "shown as TLP:RED: {page}");
    assert!(!page.contains("TLP:WHITE") && !page.contains("tlp-green"), "never as its stored word");

    // The organizer's draft keeps its own label: only the stored release was changed.
    let res = app.get(EDITOR).await;
    assert_eq!(res.status(), 200);
    assert!(res.text().await.expect("body").contains("TLP:GREEN"));
}
