//! Meetings co-located with FIRST: the form's proposal, the co-location rule at its
//! boundaries, SEQUENCE bumps, and the public overview.

use csirt_meet::models::meeting;

use crate::{
    fixtures::meeting_form,
    helpers::{TestApp, location, spawn_app},
};

async fn create(app: &TestApp, changes: &[(&'static str, &'static str)]) -> reqwest::Response {
    app.post_form("/admin/meetings", &meeting_form(changes)).await
}

async fn stored(app: &TestApp, slug: &'static str) -> meeting::Meeting {
    app.db.query(move |c| meeting::by_slug(c, slug)).await.expect("meeting")
}

#[tokio::test]
async fn the_new_meeting_form_proposes_the_weekend_after_the_next_first_conference() {
    let app = spawn_app().await;
    app.login_as_organizer().await;
    // Tera escapes "/" in HTML as &#x2F;.
    let page = app.get("/admin/meetings/new").await.text().await.expect("body").replace("&#x2F;", "/");
    for expected in ["2026-06-20", "2026-06-21", "America/Denver", "FIRST Conference 2026", "2026-06-14"] {
        assert!(page.contains(expected), "{expected} proposed");
    }
}

#[tokio::test]
async fn an_organizer_creates_a_meeting_with_fresh_calendar_uids() {
    let app = spawn_app().await;
    app.login_as_organizer().await;
    let res = create(&app, &[]).await;
    assert_eq!(location(&res), "/admin/meetings/natcsirt-2026?done=meeting-saved");
    let m = stored(&app, "natcsirt-2026").await;
    assert_eq!((m.meeting_sequence, m.conference_sequence, m.year), (0, 0, 2026));
    let page = app.get("/admin/meetings/natcsirt-2026").await.text().await.expect("body");
    assert!(page.contains("/admin/meetings/natcsirt-2026/registrations") && page.contains("/invitations"));
    for uid in [&m.meeting_uid, &m.conference_uid] {
        assert!(uuid::Uuid::parse_str(uid).is_ok_and(|u| u.get_version_num() == 4), "random UUID: {uid}");
    }
    assert_ne!(m.meeting_uid, m.conference_uid);
    // Registration opens at midnight in Denver (MDT, UTC-6) and closes at 23:59 there.
    assert_eq!(m.registration_opens.to_string(), "2026-05-01 06:00:00");
    assert_eq!(m.registration_closes.to_string(), "2026-06-11 05:59:00");
    assert!(app.get("/admin/meetings").await.text().await.expect("body").contains("NatCSIRT 2026"));
}

#[tokio::test]
async fn the_co_location_rule_holds_at_its_boundaries() {
    let app = spawn_app().await;
    app.login_as_organizer().await;
    let refused = [
        ("2026-06-19", "2026-06-20", "overlaps"),
        ("2026-06-23", "2026-06-24", "at most 2"),
        ("2026-06-08", "2026-06-10", "at most 2"),
    ];
    for (first, last, message) in refused {
        let res = create(&app, &[("first_day", first), ("last_day", last)]).await;
        assert_eq!(res.status(), 422, "{first}");
        assert!(res.text().await.expect("body").contains(message), "{first}: {message}");
    }
    let count = app.db.query(meeting::list).await.expect("list").len();
    assert_eq!(count, 0, "nothing was saved");
    // Monday after the Friday end: two whole days between; the Friday before the Sunday start: one.
    assert_eq!(create(&app, &[("first_day", "2026-06-22"), ("last_day", "2026-06-22")]).await.status(), 303);
    let before = [("slug", "natcsirt-2026-b"), ("first_day", "2026-06-12"), ("last_day", "2026-06-12")];
    assert_eq!(create(&app, &before).await.status(), 303);
}

#[tokio::test]
async fn bad_input_gets_messages_next_to_the_fields_and_changes_nothing() {
    let app = spawn_app().await;
    app.login_as_organizer().await;
    let res = create(&app, &[("slug", "new")]).await;
    assert_eq!(res.status(), 422, "new is the address of the create form");
    let res = create(
        &app,
        &[("time_zone", "Mountain Time"), ("slug", "NatCSIRT 2026!"), ("default_cap", "0"), ("venue", "")],
    )
    .await;
    assert_eq!(res.status(), 422);
    let body = res.text().await.expect("body");
    for id in ["time_zone-error", "slug-error", "default_cap-error", "venue-error"] {
        assert!(body.contains(&format!("id=\"{id}\"")), "{id} shown");
    }
    // The summary at the top links each message to its field, in the order of the form.
    let summary = crate::helpers::error_summary(&body);
    let at = |id: &str| {
        summary.find(&format!(r##"<a href="#{id}">"##)).unwrap_or_else(|| panic!("{id}: {summary}"))
    };
    assert!(at("slug") < at("venue") && at("venue") < at("time_zone") && at("time_zone") < at("default_cap"));
    assert!(body.contains("value=\"Mountain Time\""), "the input is kept");
    assert!(app.db.query(meeting::list).await.expect("list").is_empty());
}

#[tokio::test]
async fn sequences_rise_only_when_dates_city_venue_or_status_change() {
    let app = spawn_app().await;
    app.login_as_organizer().await;
    create(&app, &[]).await;
    app.post_form("/admin/meetings/natcsirt-2026", &meeting_form(&[("title", "A better title")])).await;
    assert_eq!(stored(&app, "natcsirt-2026").await.meeting_sequence, 0, "a title is not a calendar change");
    app.post_form("/admin/meetings/natcsirt-2026", &meeting_form(&[("venue", "Colorado Convention Center")]))
        .await;
    let m = stored(&app, "natcsirt-2026").await;
    assert_eq!((m.meeting_sequence, m.conference_sequence), (1, 0));
    app.post_form(
        "/admin/meetings/natcsirt-2026",
        &meeting_form(&[("venue", "Colorado Convention Center"), ("conference_first_day", "2026-06-13")]),
    )
    .await;
    assert_eq!(stored(&app, "natcsirt-2026").await.conference_sequence, 1);
    let res = app.post_form("/admin/meetings/natcsirt-2026/cancel", &[("confirm", "yes")]).await;
    assert_eq!(location(&res), "/admin/meetings/natcsirt-2026?done=meeting-cancelled");
    let m = stored(&app, "natcsirt-2026").await;
    assert_eq!((m.status.as_str(), m.meeting_sequence), ("cancelled", 2));
}

#[tokio::test]
async fn a_different_city_is_allowed_with_a_warning() {
    let app = spawn_app().await;
    app.login_as_organizer().await;
    create(&app, &[("city", "Boulder")]).await;
    let page = app.get("/admin/meetings/natcsirt-2026").await.text().await.expect("body");
    assert!(page.contains("The meeting is in Boulder but the FIRST conference is in Denver"));
}

#[tokio::test]
async fn the_public_overview_shows_the_upcoming_meeting_and_its_conference() {
    let app = spawn_app().await;
    app.login_as_organizer().await;
    let past = [
        ("slug", "natcsirt-2025"),
        ("title", "NatCSIRT 2025"),
        ("city", "Copenhagen"),
        ("conference_city", "Copenhagen"),
        ("time_zone", "Europe/Copenhagen"),
        ("first_day", "2025-06-28"),
        ("last_day", "2025-06-29"),
        ("conference_first_day", "2025-06-22"),
        ("conference_last_day", "2025-06-27"),
        ("registration_opens", "2025-05-01"),
        ("registration_closes", "2025-06-20"),
    ];
    assert_eq!(create(&app, &past).await.status(), 303);
    assert_eq!(create(&app, &[]).await.status(), 303);
    let page =
        reqwest::get(app.url("/")).await.expect("sent").text().await.expect("body").replace("&#x2F;", "/");
    assert!(page.contains("NatCSIRT 2026"), "{page}");
    assert!(!page.contains("NatCSIRT 2025"));
    assert!(page.contains("Sat 20 June") && page.contains("Sun 21 June 2026"), "weekdays shown: {page}");
    assert!(page.contains("America/Denver"));
    assert!(page.contains("FIRST Conference 2026, Denver"));
    assert!(page.contains("Invitation only"));
}

#[tokio::test]
async fn the_overview_shows_the_description_the_contact_and_the_deadline_in_the_meeting_zone() {
    let app = spawn_app().await;
    app.login_as_organizer().await;
    let public = [
        ("description", "Two days for national teams.\nBring your team's badge."),
        ("contact_email", " NatCSIRT@CERT.example "),
    ];
    assert_eq!(create(&app, &public).await.status(), 303);
    let m = stored(&app, "natcsirt-2026").await;
    assert_eq!(m.contact_email, "natcsirt@cert.example", "stored normalized");
    let page =
        reqwest::get(app.url("/")).await.expect("sent").text().await.expect("body").replace("&#x2F;", "/");
    assert!(page.contains("Two days for national teams.\nBring your team&#x27;s badge."), "{page}");
    assert!(page.contains("href=\"mailto:natcsirt@cert.example\""), "{page}");
    // Closes on 10 June at 23:59 in Denver (MDT), stored as 05:59 UTC on the 11th.
    assert!(
        page.contains("Registration closes</dt><dd>Wed 10 June 2026, 23:59 MDT (America/Denver)"),
        "{page}"
    );
}

#[tokio::test]
async fn a_contact_that_is_no_email_address_is_refused_and_nothing_is_saved() {
    let app = spawn_app().await;
    app.login_as_organizer().await;
    let res = create(&app, &[("contact_email", "organizers at cert")]).await;
    assert_eq!(res.status(), 422);
    let body = res.text().await.expect("body");
    assert!(body.contains("id=\"contact_email-error\""), "{body}");
    assert!(body.contains("value=\"organizers at cert\""), "the input is kept");
    assert!(app.db.query(meeting::list).await.expect("list").is_empty());
    let page = app.get("/admin/meetings/new").await.text().await.expect("body");
    assert!(page.contains("<select id=\"time_zone\""), "the zone is chosen from a list");
    assert!(!page.contains("<input type=\"text\" id=\"time_zone\""), "never typed");
}
