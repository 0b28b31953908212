//! The organizer dashboard: waitlisted people, and teams whose slot was freed while
//! someone waits; promoting a waitlisted person is an approval with its email.

use csirt_meet::domain::registration::Status;

use crate::{
    fixtures::{Person, SLUG, Team, meeting_and_team, register},
    helpers::spawn_app,
};

#[tokio::test]
async fn a_freed_slot_with_a_waitlist_is_shown_and_promoting_mails_the_approval() {
    let app = spawn_app().await;
    let (m, _) = meeting_and_team(&app).await;
    let team = Team::new("CERT Lilliput", "CERT.li", "LI").cap(1).insert(&app).await;
    let willi =
        register(&app, m.id, team, Person::new("Willi", "willi@li.example", Status::Waitlisted)).await;

    // Waitlisted below the cap (an organizer's choice): a freed place would have been
    // offered to Willi at once (tests/api/waitlist_offers.rs), so the console points at it.
    let page = app.get("/admin").await.text().await.expect("body");
    assert!(page.contains("<span class=\"count\">1</span> person on a waitlist"), "{page}");
    let decide = |id: i64| format!("/admin/meetings/{SLUG}/registrations/{id}/decision");
    assert!(page.contains("Free places with a waitlist"));
    let row = concat!(
        r#"<td>NatCSIRT 2026</td><td data-label="Team">CERT Lilliput</td>"#,
        r#"<td data-label="Approved">0</td><td data-label="Cap">1</td><td data-label="Waitlisted">1</td>"#
    );
    assert!(page.contains(row), "{page}");
    let link = format!("/admin/meetings/{SLUG}/registrations?status=waitlisted&amp;team={team}");
    assert!(page.contains(&link));

    let queue = app.get(&link.replace("&amp;", "&")).await.text().await.expect("body");
    assert!(queue.contains("Willi") && !queue.contains("Anton"));
    assert_eq!(app.post_form(&decide(willi), &[("decision", "approve")]).await.status(), 303);
    app.dispatch_pending_emails().await;
    let mail = app
        .emails()
        .into_iter()
        .rev()
        .find(|m| m.subject().is_some_and(|s| s.starts_with("Your registration")))
        .expect("the approval email");
    assert_eq!(mail.to().and_then(|a| a.first()).and_then(|a| a.address()), Some("willi@li.example"));
    assert_eq!(mail.subject(), Some("Your registration for NatCSIRT 2026: approved"));

    let page = app.get("/admin").await.text().await.expect("body");
    assert!(!page.contains("Free places with a waitlist"));
    assert!(page.contains("<span class=\"count\">0</span> people on a waitlist"));
}

#[tokio::test]
async fn an_empty_console_says_that_nothing_needs_the_organizer() {
    let app = spawn_app().await;
    app.login_as_organizer().await;
    let page = app.get("/admin").await.text().await.expect("body");
    assert!(page.contains("Nothing needs you now"), "{page}");
    app.post_form("/password/forgot", &[("email", "organizer@cert.example")]).await;
    let page = app.get("/admin").await.text().await.expect("body");
    assert!(!page.contains("Nothing needs you now"), "an email waits to be sent: {page}");
}
