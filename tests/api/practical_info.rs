//! A meeting's practical information: organizers write Markdown on a page linked from the
//! meeting's hub; approved attendees (and organizers) read it rendered and sanitised on a
//! page of its own; anyone else gets the agenda's refusal; Markdown that could carry
//! script, raw HTML, other links' schemes or remote images is refused and nothing stored.

use csirt_meet::{
    domain::registration::Status,
    models::{audit, practical_info, user},
};

use crate::{
    fixtures::{Registration, SLUG, meeting_and_team, signed_in_attendee},
    helpers::{TestApp, location, new_client, refused_with, spawn_app},
};

/// The policy every page carries; this page must not loosen it.
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                   object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

const TEXT: &str = "# Venue\r\n\r\nHotel Example, 1 Main Street. [Map](https://www.openstreetmap.org/#map=18/39.74/-104.99)\r\n\r\n\
                    ## Hotels\r\n\r\n- Hotel One, 5 minutes on foot\r\n- Hotel Two\r\n\r\n\
                    Visa letters: [write to us](mailto:visa@cert.example).\r\n\r\n\
                    ![Floor plan](/assets/favicon.svg)\r\n\r\n| Wi-Fi | Password |\r\n| :-- | --: |\r\n| NatCSIRT | on your badge |";

fn organizer_page() -> String {
    format!("/admin/meetings/{SLUG}/practical")
}

fn attendee_page() -> String {
    format!("/meetings/{SLUG}/practical")
}

async fn stored(app: &TestApp) -> Option<practical_info::PracticalInfo> {
    let m = app.db.query(|c| csirt_meet::models::meeting::by_slug(c, SLUG)).await.expect("meeting");
    app.db.query(move |c| practical_info::for_meeting(c, m.id)).await.expect("query")
}

async fn audit_rows(app: &TestApp) -> Vec<audit::AuditEntry> {
    app.db.query(|c| audit::recent(c, 200)).await.expect("query")
}

async fn get(app: &TestApp, client: &reqwest::Client, path: &str) -> (u16, String) {
    let res = client.get(app.url(path)).send().await.expect("sent");
    (res.status().as_u16(), res.text().await.expect("body"))
}

/// An approved attendee of the meeting, signed in on a client of their own.
async fn approved(app: &TestApp, team_id: i64) -> reqwest::Client {
    let m = app.db.query(|c| csirt_meet::models::meeting::by_slug(c, SLUG)).await.expect("meeting");
    let registration = Registration::new(Status::Approved);
    signed_in_attendee(app, m.id, team_id, "ana@cert-at.example", registration).await.1
}

#[tokio::test]
async fn an_organizer_saves_it_from_the_hub_and_an_approved_attendee_reads_it_rendered() {
    let app = spawn_app().await;
    let (_, team_id) = meeting_and_team(&app).await;
    let hub = app.get(&format!("/admin/meetings/{SLUG}")).await.text().await.expect("body");
    assert!(hub.contains(&format!(r#"href="{}""#, organizer_page())), "the hub links the page: {hub}");
    assert!(hub.contains("Not written yet."), "{hub}");

    let res = app.post_form(&organizer_page(), &[("markdown", TEXT)]).await;
    assert_eq!(res.status(), 303);
    assert_eq!(location(&res), format!("{}?done=practical-saved", organizer_page()));
    let row = stored(&app).await.expect("a row");
    let organizer = app.db.query(|c| user::by_email(c, "organizer@cert.example")).await.expect("q");
    assert_eq!(row.markdown, TEXT.replace("\r\n", "\n"), "stored as typed, line breaks as \\n");
    assert_eq!(row.updated_by, organizer.map(|u| u.id));
    assert_eq!(row.updated_at, app.clock.now_naive());
    let audited: Vec<_> =
        audit_rows(&app).await.into_iter().filter(|e| e.action == "practical.updated").collect();
    assert_eq!(audited.len(), 1);
    assert_eq!(audited[0].subject, format!("meeting {SLUG}"));
    assert!(audited[0].detail.is_empty(), "the audit row never carries the text: {:?}", audited[0].detail);

    let (_, saved) = get(&app, &app.client, &format!("{}?done=practical-saved", organizer_page())).await;
    assert!(saved.contains("The practical information is saved."), "{saved}");
    assert!(saved.contains("\n- Hotel One, 5 minutes on foot\n"), "the form holds the text: {saved}");
    assert!(saved.contains("<h3>Hotels</h3>"), "and shows it as attendees see it: {saved}");
    let hub = app.get(&format!("/admin/meetings/{SLUG}")).await.text().await.expect("body");
    assert!(hub.contains("Last saved") && !hub.contains("Not written yet."), "{hub}");

    let attendee = approved(&app, team_id).await;
    let (_, home) = get(&app, &attendee, "/me").await;
    assert!(home.contains(&format!(r#"href="{}""#, attendee_page())), "their home links it: {home}");
    let (_, agenda) = get(&app, &attendee, &format!("/meetings/{SLUG}/agenda")).await;
    assert!(agenda.contains(&format!(r#"href="{}""#, attendee_page())), "their agenda links it: {agenda}");

    let res = attendee.get(app.url(&attendee_page())).send().await.expect("sent");
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-security-policy"], CSP, "the policy stays as strict");
    let page = res.text().await.expect("body");
    for part in [
        "<h2>Venue</h2>",
        "<h3>Hotels</h3>",
        "<li>Hotel One, 5 minutes on foot</li>",
        r#"<a href="https://www.openstreetmap.org/#map=18/39.74/-104.99" rel="noopener noreferrer">Map</a>"#,
        r#"<a href="mailto:visa@cert.example" rel="noopener noreferrer">write to us</a>"#,
        r#"<img src="/assets/favicon.svg" alt="Floor plan">"#,
        "<td>on your badge</td>",
        "Last changed",
    ] {
        assert!(page.contains(part), "{part} in {page}");
    }
    assert!(!page.contains("style="), "no inline style (the table's alignment is dropped): {page}");
    let body = page.split("<main").nth(1).unwrap_or(&page);
    assert!(!body.contains("<script>"), "no inline script: {body}");

    // Organizers read it too, without a registration.
    let (status, _) = get(&app, &app.client, &attendee_page()).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn people_not_approved_for_the_meeting_are_refused_and_members_cannot_edit() {
    let app = spawn_app().await;
    let (m, team_id) = meeting_and_team(&app).await;
    assert_eq!(
        app.post_form(&organizer_page(), &[("markdown", "Secret Wi-Fi: canary-77")]).await.status(),
        303
    );

    for (email, status) in
        [("pia@cert-at.example", Status::Pending), ("wes@cert-at.example", Status::Waitlisted)]
    {
        let (_, client, _) = signed_in_attendee(&app, m.id, team_id, email, Registration::new(status)).await;
        let (code, page) = get(&app, &client, &attendee_page()).await;
        assert_eq!(code, 403, "{status:?}");
        assert!(page.contains("The practical information is open to approved attendees"), "{page}");
        assert!(page.contains(status.label()), "it says where the registration stands: {page}");
        assert!(!page.contains("canary-77"), "{page}");

        let (code, page) = get(&app, &client, &organizer_page()).await;
        assert_eq!(code, 403, "a member cannot open the organizer page");
        assert!(!page.contains("canary-77"));
        let res = app.post_form_with(&client, &organizer_page(), &[("markdown", "Hijacked")]).await;
        assert_eq!(res.status(), 403, "nor save");
    }
    let res = new_client().get(app.url(&attendee_page())).send().await.expect("sent");
    assert_eq!(location(&res), "/login", "anonymous visitors sign in first");
    assert_eq!(stored(&app).await.expect("a row").markdown, "Secret Wi-Fi: canary-77");
}

#[tokio::test]
async fn markdown_that_could_carry_script_or_leave_the_site_is_refused_and_nothing_is_stored() {
    let app = spawn_app().await;
    meeting_and_team(&app).await;
    assert_eq!(app.post_form(&organizer_page(), &[("markdown", "# Venue\n\nKept.")]).await.status(), 303);
    let before = stored(&app).await.expect("a row");
    app.clock.advance(chrono::Duration::minutes(5));
    let audited = audit_rows(&app).await.len();

    for (raw, message) in [
        ("Dinner at 19:00\n\n<script>alert(1)</script>", "Line 3: remove the HTML"),
        ("Bring your <b>badge</b>.", "Line 1: remove the HTML"),
        ("[Map](javascript:alert(1))", "cannot be used. A link starts with https:"),
        ("[Map](data:text/html;base64,PHNjcmlwdD4=)", "cannot be used."),
        ("[Files](file:///etc/passwd)", "cannot be used."),
        (
            "![Map](https://maps.example/venue.png)",
            "is not on this site. Images can only come from this site",
        ),
        ("![Pixel](data:image/png;base64,iVBORw0KGgo=)", "is not on this site."),
    ] {
        let res = app.post_form(&organizer_page(), &[("markdown", raw)]).await;
        let page = refused_with(res, &[("markdown", message)]).await;
        if raw.contains('<') {
            assert!(!page.contains(raw), "the text comes back escaped: {page}");
        }
        let kept = raw.split(['<', '>', '&', '/', '\'', '"']).next().unwrap_or_default();
        assert!(page.contains(kept), "the typed text is kept in the form: {kept} in {page}");
    }
    let after = stored(&app).await.expect("a row");
    assert_eq!((after.markdown, after.updated_at), (before.markdown, before.updated_at), "nothing written");
    assert_eq!(audit_rows(&app).await.len(), audited, "nothing audited");
}

#[tokio::test]
async fn a_stored_row_with_script_that_never_went_through_the_check_renders_harmless() {
    let app = spawn_app().await;
    let (m, team_id) = meeting_and_team(&app).await;
    let planted = "# Dinner\n\n<script>alert('planted')</script>\n\n\
                   <p style=\"color:red\" onclick=\"alert(2)\">Bring a <b>badge</b></p>\n\n\
                   [Map](javascript:alert(3)) ![spy](https://evil.example/p.gif)\n\n\
                   <img src=x onerror=alert(4)><style>main{display:none}</style>";
    let (now, meeting_id) = (app.clock.now_naive(), m.id);
    app.db
        .query(move |c| {
            let by = user::by_email(c, "organizer@cert.example")?.map_or(0, |u| u.id);
            practical_info::save(c, meeting_id, planted, by, now)
        })
        .await
        .expect("planted");

    let attendee = approved(&app, team_id).await;
    let (status, page) = get(&app, &attendee, &attendee_page()).await;
    assert_eq!(status, 200);
    assert!(page.contains("<h2>Dinner</h2>") && page.contains("Bring a <b>badge</b>"), "{page}");
    for bad in
        ["planted", "alert(", "style=", "onclick", "onerror", "javascript:", "evil.example", "display:none"]
    {
        assert!(!page.contains(bad), "{bad} in {page}");
    }
    // The organizer's page shows the text escaped in the form and the same harmless preview.
    let (status, page) = get(&app, &app.client, &organizer_page()).await;
    assert_eq!(status, 200);
    assert!(page.contains("&lt;script&gt;alert("), "the form shows the stored text as text: {page}");
    for bad in ["<script>alert", "<p style=", "<img src=x onerror", "src=\"https://evil.example"] {
        assert!(!page.contains(bad), "{bad} in {page}");
    }
}

#[tokio::test]
async fn a_save_without_the_sessions_token_or_from_another_origin_is_refused() {
    let app = spawn_app().await;
    meeting_and_team(&app).await;
    let res = app
        .client
        .post(app.url(&organizer_page()))
        .form(&[("markdown", "Forged")])
        .send()
        .await
        .expect("sent");
    assert_eq!(res.status(), 403);
    let token = app.csrf(&app.client).await;
    let res = app
        .client
        .post(app.url(&organizer_page()))
        .header("origin", "https://evil.example")
        .form(&[("markdown", "Forged"), ("csrf_token", &token)])
        .send()
        .await
        .expect("sent");
    assert_eq!(res.status(), 403);
    assert!(stored(&app).await.is_none(), "nothing stored");
    assert!(!audit_rows(&app).await.iter().any(|e| e.action == "practical.updated"));
}
