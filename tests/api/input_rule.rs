//! Bad input never gives a 500 and never reaches the database: a control character in any
//! field of any form is refused with 422 (issue 13, point 5), invisible formatting
//! characters get a message beside the field, and redirect targets are checked first.

use diesel::{QueryableByName, RunQueryDsl as _, sql_query, sql_types::BigInt};

use crate::{
    fixtures::meeting_form,
    helpers::{TestApp, new_client, refused_with, spawn_app},
};

/// Every form the app accepts, with the fields its handler reads. `{slug}` is a real
/// meeting's; ids and tokens need not exist: the rule applies before any handler.
const FORMS: &[(&str, &[&str])] = &[
    ("/login", &["email", "password"]),
    ("/logout", &["anything"]),
    ("/login/second-factor", &["code"]),
    ("/me/second-factor", &["code"]),
    ("/setup/sometoken", &["name", "email", "password"]),
    ("/invitations/sometoken", &["name", "password", "role_title", "dietary", "accessibility"]),
    ("/register", &["email", "name", "password", "role_title", "dietary", "accessibility", "consent_listed"]),
    ("/register?meeting={slug}", &["email", "name", "password", "role_title"]),
    ("/verify/sometoken", &["password"]),
    ("/password/forgot", &["email"]),
    ("/password/reset/sometoken", &["password"]),
    ("/me/calendar/1/feed", &["confirm"]),
    ("/me/calendar/1/choices", &["feed_scope", "session_invites"]),
    ("/me/password", &["current", "new"]),
    ("/me/sessions/end-all", &["anything"]),
    ("/me/registrations/1", &["name", "role_title", "dietary", "accessibility"]),
    ("/me/registrations/1/withdraw", &["confirm"]),
    ("/me/privacy/delete", &["confirm"]),
    ("/meetings/{slug}/sessions/1/pick", &["back"]),
    ("/meetings/{slug}/sessions/1/unpick", &["back"]),
    ("/admin/organizers/invite", &["name", "email"]),
    ("/admin/organizers/invitations/1/revoke", &["confirm"]),
    ("/admin/organizers/1/disable", &["confirm"]),
    ("/admin/organizers/1/enable", &["confirm"]),
    ("/admin/organizers/1/reset-second-factor", &["confirm"]),
    ("/admin/meetings", &["title", "slug", "city", "venue", "time_zone", "first_day", "default_cap"]),
    ("/admin/meetings/{slug}", &["title", "slug", "city", "venue", "conference_name", "registration_opens"]),
    ("/admin/meetings/{slug}/cancel", &["confirm"]),
    ("/admin/meetings/{slug}/reopen", &["confirm"]),
    ("/admin/meetings/{slug}/invitations", &["team", "emails", "outside"]),
    ("/admin/meetings/{slug}/invitations/1/revoke", &["confirm"]),
    ("/admin/meetings/{slug}/agenda/publish", &["name"]),
    ("/admin/meetings/{slug}/agenda/sessions", &["title", "abstract_text", "kind", "speakers", "tlp", "day"]),
    ("/admin/meetings/{slug}/agenda/sessions/1", &["title", "abstract_text", "starts", "ends"]),
    ("/admin/meetings/{slug}/agenda/sessions/1/cancel", &["confirm"]),
    ("/admin/meetings/{slug}/agenda/sessions/1/reinstate", &["confirm"]),
    ("/admin/meetings/{slug}/agenda/tracks", &["name", "colour", "description", "position"]),
    ("/admin/meetings/{slug}/agenda/tracks/1", &["name", "description"]),
    ("/admin/meetings/{slug}/agenda/rooms", &["name", "capacity", "position"]),
    ("/admin/meetings/{slug}/agenda/rooms/1", &["name", "capacity"]),
    ("/admin/meetings/{slug}/announce", &["audience", "subject", "body", "step", "nonce"]),
    ("/admin/meetings/{slug}/registrations/bulk", &["decision", "reason", "ids"]),
    ("/admin/meetings/{slug}/registrations/1/decision", &["decision", "reason", "confirm"]),
    ("/admin/teams", &["name", "short_name", "country_code", "website", "domains", "cap"]),
    ("/admin/teams/import", &["csv"]),
    ("/admin/teams/1", &["name", "short_name", "domains"]),
    ("/admin/teams/1/suspend", &["confirm"]),
    ("/admin/teams/1/reinstate", &["confirm"]),
    ("/admin/teams/1/domains/confirm", &["domain"]),
    ("/admin/mail/retry", &["anything"]),
];

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// Rows of every table that holds the product's data (sign-in sessions excepted).
async fn row_counts(app: &TestApp) -> Vec<(&'static str, i64)> {
    const TABLES: [&str; 20] = [
        "outbox",
        "users",
        "one_time_tokens",
        "recovery_codes",
        "audit_log",
        "teams",
        "team_domains",
        "meetings",
        "invitations",
        "registrations",
        "tracks",
        "rooms",
        "sessions",
        "session_speakers",
        "agenda_releases",
        "released_sessions",
        "agenda_picks",
        "feed_tokens",
        "calendar_settings",
        "invite_sequences",
    ];
    app.db
        .query(|c| {
            TABLES
                .iter()
                .map(|t| {
                    let sql = format!("SELECT COUNT(*) AS n FROM {t}");
                    Ok((*t, sql_query(sql).get_result::<Count>(c)?.n))
                })
                .collect()
        })
        .await
        .expect("counted")
}

async fn meeting(app: &TestApp) -> &'static str {
    let res = app.post_form("/admin/meetings", &meeting_form(&[])).await;
    assert_eq!(res.status(), 303, "the meeting is created");
    "natcsirt-2026"
}

#[tokio::test]
async fn a_control_character_in_any_field_of_any_form_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    app.login_as_organizer().await;
    let slug = meeting(&app).await;
    let anonymous = new_client();
    let before = row_counts(&app).await;
    for (path, fields) in FORMS {
        let path = path.replace("{slug}", slug);
        for bad in *fields {
            for value in ["Al\0ice", "a\u{1b}[2J", "x\u{7f}", "\u{9b}31m"] {
                let form: Vec<(&str, &str)> =
                    fields.iter().map(|f| (*f, if f == bad { value } else { "x" })).collect();
                for client in [&app.client, &anonymous] {
                    let res = app.post_form_with(client, &path, &form).await;
                    assert_eq!(res.status(), 422, "{path} {bad}={value:?}");
                    let page = res.text().await.expect("body");
                    assert!(page.contains(&format!("The field “{bad}” holds a control character")), "{page}");
                    assert!(!page.contains(value), "the value is not echoed");
                }
            }
        }
    }
    assert_eq!(row_counts(&app).await, before, "nothing was written");
}

#[tokio::test]
async fn a_nul_in_a_query_or_a_path_gives_no_500() {
    let app = spawn_app().await;
    assert_eq!(app.get("/register?meeting=a%00b").await.status(), 422);
    app.login_as_organizer().await;
    let slug = meeting(&app).await;
    assert_eq!(app.get(&format!("/meetings/{slug}%00/agenda")).await.status(), 404);
    assert_eq!(app.get("/admin/meetings/x%00y").await.status(), 404);
    assert_eq!(app.get("/admin/teams?q=%00").await.status(), 422);
}

#[tokio::test]
async fn a_name_with_a_bidi_override_is_refused_beside_the_field() {
    let app = spawn_app().await;
    app.login_as_organizer().await;
    let before = row_counts(&app).await;
    let form = meeting_form(&[("title", "NatCSIRT \u{202e}6202"), ("city", "Den\nver")]);
    let res = app.post_form("/admin/meetings", &form).await;
    let expected =
        [("title", "Remove the invisible formatting character (U+202E)"), ("city", "Keep this on one line")];
    refused_with(res, &expected).await;
    assert_eq!(row_counts(&app).await, before, "nothing was written");
}

#[tokio::test]
async fn a_meeting_in_the_year_9999_is_refused_beside_its_dates() {
    let app = spawn_app().await;
    app.login_as_organizer().await;
    let form = meeting_form(&[
        ("first_day", "9999-06-20"),
        ("last_day", "9999-06-21"),
        ("conference_first_day", "9999-06-14"),
        ("conference_last_day", "9999-06-19"),
        ("registration_opens", "9999-05-01"),
        ("registration_closes", "9999-06-10"),
    ]);
    let res = app.post_form("/admin/meetings", &form).await;
    let expected = [
        ("first_day", "Enter a date between the years 2000 and 2100."),
        ("conference_last_day", "between the years 2000 and 2100"),
    ];
    refused_with(res, &expected).await;
    let res = app.post_form("/admin/meetings", &meeting_form(&[("last_day", "2101-01-01")])).await;
    refused_with(res, &[("last_day", "Enter a date between the years 2000 and 2100.")]).await;
    assert_eq!(app.get("/admin/meetings/natcsirt-2026").await.status(), 404, "nothing was created");
}
