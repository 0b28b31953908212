//! Endorsement by a team's points of contact (issue 19, point 1): the contacts on the team
//! page, the mail with a personal link when a registration reaches review (never to the
//! registrant), the link's page (GET changes nothing; POST once), the answer in the review
//! and the API, the reason asked to approve without an endorsement when the meeting
//! requires it (single, bulk, API), the closed links (410, nothing written), the one
//! reminder, and nothing at all when the meeting's endorsement is off.

use chrono::Duration;
use csirt_meet::{
    domain::{api_token::Scope, registration::Status, token::Token},
    models::{endorsement, meeting::Meeting, team_contact},
};

use crate::{
    fixtures::{
        BOB, SLUG, Team, api_send, api_token, audit_actions, confirm_address, create_meeting, decide, invite,
        registration_form, registrations, self_registration_form, verify_link,
    },
    helpers::{TestApp, assert_field_error, location, new_client, spawn_app},
};

const ANA: &str = "ana@cert-at.example";
const CARL: &str = "carl@cert-at.example";

/// The organizer signed in, the Denver meeting with endorsement `mode`, and CERT.at with
/// two points of contact, Ana and Carl: (meeting, team id).
async fn set_up(app: &TestApp, mode: &'static str) -> (Meeting, i64) {
    app.login_as_organizer().await;
    let m = create_meeting(app, &[("endorsement", mode)]).await;
    let team = Team::austria().contacts(&[("Ana Novak", ANA), ("Carl Berg", CARL)]).insert(app).await;
    (m, team)
}

/// Bob registers by himself and confirms his address: his registration reaches review.
async fn bob_registers(app: &TestApp, meeting_id: i64) -> i64 {
    let bob = new_client();
    let res = app.post_form_with(&bob, "/register", &self_registration_form(BOB)).await;
    assert_eq!(res.status(), 200, "the same answer page in every case");
    let link = verify_link(app).await;
    assert_eq!(confirm_address(app, &bob, &link).await.status(), 303, "confirmed");
    id_of(app, meeting_id, BOB).await
}

/// `email` accepts an invitation: the registration is pending at once.
async fn invited_registers(app: &TestApp, meeting_id: i64, team: i64, email: &str) -> i64 {
    let link = invite(app, team, email).await;
    let res = app.post_form_with(&new_client(), &link, &registration_form("Invited Person")).await;
    assert_eq!(res.status(), 303, "registered through the invitation");
    id_of(app, meeting_id, email).await
}

async fn id_of(app: &TestApp, meeting_id: i64, email: &str) -> i64 {
    registrations(app, meeting_id)
        .await
        .into_iter()
        .find(|r| r.email == email)
        .expect("registered")
        .registration
        .id
}

/// Sends what is queued; the endorsement mails each address received: (subject, link).
async fn endorsement_mails(app: &TestApp, to: &str) -> Vec<(String, String)> {
    app.dispatch_pending_emails().await;
    app.emails()
        .iter()
        .filter(|m| m.to().and_then(|a| a.first()).and_then(|a| a.address()) == Some(to))
        .filter_map(|m| {
            let text = m.body_text(0)?.into_owned();
            let start = text.find("/endorsements/")?;
            let link = text[start..].split_whitespace().next()?.to_owned();
            Some((m.subject().unwrap_or_default().to_owned(), link))
        })
        .collect()
}

async fn link_for(app: &TestApp, to: &str) -> String {
    endorsement_mails(app, to).await.pop().expect("an endorsement mail").1
}

async fn answer(app: &TestApp, link: &str, answer: &str, note: &str) -> reqwest::Response {
    app.post_form_with(&new_client(), link, &[("answer", answer), ("note", note)]).await
}

async fn page(app: &TestApp, path: &str) -> (u16, String) {
    let res = new_client().get(app.url(path)).send().await.expect("sent");
    (res.status().as_u16(), res.text().await.expect("body"))
}

async fn answered(app: &TestApp, registration: i64) -> Vec<(String, Option<String>, String)> {
    let requests =
        app.db.query(move |c| endorsement::for_registration(c, registration)).await.expect("query");
    requests.into_iter().map(|r| (r.contact_email, r.answer.map(|a| a.as_str().to_owned()), r.note)).collect()
}

async fn status_of(app: &TestApp, meeting_id: i64, id: i64) -> Status {
    registrations(app, meeting_id)
        .await
        .into_iter()
        .find(|r| r.registration.id == id)
        .expect("row")
        .registration
        .status
}

#[tokio::test]
async fn contacts_are_mailed_when_a_registration_reaches_review_but_never_about_themselves() {
    let app = spawn_app().await;
    let (m, team) = set_up(&app, "recommended").await;
    let bob = new_client();
    app.post_form_with(&bob, "/register", &self_registration_form(BOB)).await;
    let link = verify_link(&app).await;
    assert!(endorsement_mails(&app, ANA).await.is_empty(), "nothing before the address is confirmed");
    confirm_address(&app, &bob, &link).await;
    let to_ana = endorsement_mails(&app, ANA).await;
    let to_carl = endorsement_mails(&app, CARL).await;
    assert_eq!(to_ana.len(), 1);
    assert_eq!(to_ana[0].0, "Please endorse or decline Bob Example (CERT Austria) for NatCSIRT 2026");
    assert_eq!(to_carl.len(), 1);
    assert_ne!(to_ana[0].1, to_carl[0].1, "each contact has a personal link");

    // Ana, a contact herself, registers through an invitation: only Carl is asked.
    invited_registers(&app, m.id, team, ANA).await;
    assert_eq!(endorsement_mails(&app, ANA).await.len(), 1, "Ana is not asked about herself");
    assert_eq!(endorsement_mails(&app, CARL).await.len(), 2);
}

#[tokio::test]
async fn the_link_shows_the_registration_with_its_evidence_and_changes_nothing() {
    let app = spawn_app().await;
    let (m, _) = set_up(&app, "recommended").await;
    let id = bob_registers(&app, m.id).await;
    let link = link_for(&app, ANA).await;
    let before = audit_actions(&app).await;
    for _ in 0..2 {
        let (status, body) = page(&app, &link).await;
        assert_eq!(status, 200);
        assert!(body.contains("Endorse the registration of Bob Example?"), "{body}");
        assert!(body.contains("Registered by themselves with an address at cert-at.example"), "{body}");
        assert!(body.contains("at one of the team&#x27;s domains"), "{body}");
        assert!(body.contains("Malware analyst"), "{body}");
    }
    assert!(answered(&app, id).await.iter().all(|(_, a, _)| a.is_none()), "nothing answered");
    assert_eq!(audit_actions(&app).await, before, "nothing written");
}

#[tokio::test]
async fn an_endorsement_with_a_note_shows_in_review_and_closes_the_other_links() {
    let app = spawn_app().await;
    let (m, _) = set_up(&app, "recommended").await;
    let id = bob_registers(&app, m.id).await;
    let (ana, carl) = (link_for(&app, ANA).await, link_for(&app, CARL).await);
    let queue = app.get(&format!("/admin/meetings/{SLUG}/registrations")).await.text().await.expect("body");
    assert!(queue.contains("waiting for the team&#x27;s contacts"), "{queue}");

    let res = answer(&app, &ana, "endorse", "Bob runs our malware lab.").await;
    assert_eq!(res.status(), 200);
    assert!(res.text().await.expect("body").contains("you endorsed the registration of Bob Example"));

    let queue = app.get(&format!("/admin/meetings/{SLUG}/registrations")).await.text().await.expect("body");
    assert!(queue.contains("endorsed by Ana Novak: Bob runs our malware lab."), "{queue}");
    let detail =
        app.get(&format!("/admin/meetings/{SLUG}/registrations/{id}")).await.text().await.expect("body");
    assert!(detail.contains("endorsed by Ana Novak: Bob runs our malware lab."), "{detail}");
    assert_eq!(audit_actions(&app).await.iter().filter(|a| *a == "registration.endorsed").count(), 1);

    // Carl's link is closed, saying who answered; Ana's works once.
    let (status, body) = page(&app, &carl).await;
    assert_eq!(status, 410);
    assert!(body.contains("Ana Novak answered for your team already"), "{body}");
    let res = answer(&app, &carl, "decline", "").await;
    assert_eq!(res.status(), 410);
    let res = answer(&app, &ana, "decline", "changed my mind").await;
    assert_eq!(res.status(), 410);
    assert!(res.text().await.expect("body").contains("This link was used already"));
    let stored = answered(&app, id).await;
    assert_eq!(
        stored[0],
        (ANA.to_owned(), Some("endorsed".to_owned()), "Bob runs our malware lab.".to_owned())
    );
    assert_eq!(stored[1].1, None, "Carl's answer was not written");
    assert_eq!(audit_actions(&app).await.iter().filter(|a| a.starts_with("registration.endorse")).count(), 1);
}

#[tokio::test]
async fn a_bad_answer_or_note_is_refused_with_a_message_and_nothing_is_written() {
    let app = spawn_app().await;
    let (m, _) = set_up(&app, "recommended").await;
    let id = bob_registers(&app, m.id).await;
    let link = link_for(&app, ANA).await;
    let res = answer(&app, &link, "maybe", "").await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.expect("body").contains("Choose to endorse or to decline"));
    let long = "x".repeat(2001);
    let res = answer(&app, &link, "decline", &long).await;
    assert_eq!(res.status(), 422);
    assert_field_error(
        &res.text().await.expect("body"),
        "note",
        "Keep the note to 2000 characters or fewer.",
    );
    assert!(answered(&app, id).await.iter().all(|(_, a, _)| a.is_none()));
}

#[tokio::test]
async fn required_endorsement_asks_a_reason_to_approve_a_declined_registration() {
    let app = spawn_app().await;
    let (m, _) = set_up(&app, "required").await;
    let id = bob_registers(&app, m.id).await;
    let link = link_for(&app, CARL).await;
    assert_eq!(answer(&app, &link, "decline", "Not on our staff list.").await.status(), 200);

    let detail =
        app.get(&format!("/admin/meetings/{SLUG}/registrations/{id}")).await.text().await.expect("body");
    assert!(detail.contains("declined by Carl Berg: Not on our staff list."), "{detail}");
    assert!(detail.contains("Approve without endorsement"), "{detail}");

    let res = decide(&app, id, "approve", "").await;
    assert_eq!(res.status(), 422);
    let body = res.text().await.expect("body");
    assert!(body.contains("requires endorsement by the team&#x27;s contacts"), "{body}");
    assert_eq!(status_of(&app, m.id, id).await, Status::Pending, "nothing decided");

    let res = decide(&app, id, "approve", "Known to us from the 2025 exercise.").await;
    assert_eq!(res.status(), 303);
    assert_eq!(status_of(&app, m.id, id).await, Status::Approved);
    let entries = app.db.query(|c| csirt_meet::models::audit::recent(c, 50)).await.expect("audit");
    let approval = entries.iter().find(|e| e.action == "registration.approved").expect("audited");
    assert!(
        approval.detail.contains("without endorsement (declined by Carl Berg: Not on our staff list.), because: Known to us from the 2025 exercise."),
        "{}",
        approval.detail
    );
    let row = registrations(&app, m.id).await.into_iter().find(|r| r.registration.id == id).expect("row");
    assert_eq!(row.registration.reason, None, "the reason is not sent to the person");
}

#[tokio::test]
async fn a_bulk_approval_names_who_lacks_an_endorsement_and_one_reason_lets_the_batch_pass() {
    let app = spawn_app().await;
    let (m, team) = set_up(&app, "required").await;
    let bob = bob_registers(&app, m.id).await;
    let dana = invited_registers(&app, m.id, team, "dana@cert-at.example").await;
    let dana_link = endorsement_mails(&app, ANA)
        .await
        .into_iter()
        .find(|(s, _)| s.contains("Invited Person"))
        .expect("mail")
        .1;
    assert_eq!(answer(&app, &dana_link, "endorse", "").await.status(), 200);

    let path = format!("/admin/meetings/{SLUG}/registrations/bulk");
    let (b, d) = (bob.to_string(), dana.to_string());
    let res = app.post_form(&path, &[("decision", "approve"), ("ids", &b), ("ids", &d)]).await;
    assert_eq!(res.status(), 422);
    let body = res.text().await.expect("body");
    assert!(body.contains("Bob Example (waiting for the team&#x27;s contacts)"), "{body}");
    assert!(!body.contains("Invited Person ("), "the endorsed one is not named: {body}");
    assert_eq!(status_of(&app, m.id, dana).await, Status::Pending, "nothing decided");

    let res = app
        .post_form(
            &path,
            &[("decision", "approve"), ("ids", &b), ("ids", &d), ("reason", "Vouched for by phone.")],
        )
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(status_of(&app, m.id, bob).await, Status::Approved);
    assert_eq!(status_of(&app, m.id, dana).await, Status::Approved);
    let entries = app.db.query(|c| csirt_meet::models::audit::recent(c, 50)).await.expect("audit");
    let bob_subject = format!("registration {bob}");
    let approval = entries
        .iter()
        .find(|e| e.action == "registration.approved" && e.subject == bob_subject)
        .expect("audited");
    assert!(approval.detail.contains("because: Vouched for by phone."), "{}", approval.detail);
}

#[tokio::test]
async fn the_api_shows_the_endorsement_and_refuses_an_unendorsed_approval_without_a_reason() {
    let app = spawn_app().await;
    let (m, _) = set_up(&app, "required").await;
    let id = bob_registers(&app, m.id).await;
    let organizer = app
        .db
        .query(|c| csirt_meet::models::user::by_email(c, "organizer@cert.example"))
        .await
        .expect("query")
        .expect("the organizer");
    app.add_second_factor(organizer.id).await;
    let token = api_token(&app, organizer.id, Scope::Organizer).await;
    let list = format!("/api/v1/meetings/{SLUG}/registrations");
    let (status, body) = api_send(&app, reqwest::Method::GET, &list, Some(&token), None).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["items"][0]["endorsement"]["state"], "waiting");

    let path = format!("/api/v1/meetings/{SLUG}/registrations/{id}/decision");
    let approve = serde_json::json!({"decision": "approve"});
    let (status, problem) = api_send(&app, reqwest::Method::POST, &path, Some(&token), Some(approve)).await;
    assert_eq!(status, 422, "{problem}");
    assert_eq!(problem["errors"][0]["pointer"], "/reason");
    assert!(
        problem["detail"].as_str().is_some_and(|d| d.contains("waiting for the team's contacts")),
        "{problem}"
    );
    assert_eq!(status_of(&app, m.id, id).await, Status::Pending);

    let approve = serde_json::json!({"decision": "approve", "reason": "Their CISO asked us to."});
    let (status, body) = api_send(&app, reqwest::Method::POST, &path, Some(&token), Some(approve)).await;
    assert_eq!((status, body["status"].as_str()), (200, Some("approved")), "{body}");
    let entries = app.db.query(|c| csirt_meet::models::audit::recent(c, 50)).await.expect("audit");
    let approval = entries.iter().find(|e| e.action == "registration.approved").expect("audited");
    assert!(
        approval.detail.contains("because: Their CISO asked us to.; via API token"),
        "{}",
        approval.detail
    );
}

#[tokio::test]
async fn expired_and_decided_links_answer_410_and_write_nothing() {
    let app = spawn_app().await;
    let (m, _) = set_up(&app, "recommended").await;
    let id = bob_registers(&app, m.id).await;
    let (ana, carl) = (link_for(&app, ANA).await, link_for(&app, CARL).await);

    // Decided: the organizers approved before anyone answered.
    assert_eq!(decide(&app, id, "approve", "").await.status(), 303, "recommended: no reason needed");
    let (status, body) = page(&app, &ana).await;
    assert_eq!(status, 410);
    assert!(body.contains("The registration was decided already (approved)"), "{body}");
    assert_eq!(answer(&app, &ana, "endorse", "").await.status(), 410);

    // Expired: 14 days later.
    app.clock.advance(Duration::days(15));
    let (status, body) = page(&app, &carl).await;
    assert_eq!(status, 410);
    assert!(body.contains("The registration was decided already"), "{body}");
    assert!(answered(&app, id).await.iter().all(|(_, a, _)| a.is_none()), "nothing written");
    assert!(!audit_actions(&app).await.iter().any(|a| a.starts_with("registration.endorse")));

    let (status, body) = page(&app, &format!("/endorsements/{}", Token::generate().as_str())).await;
    assert_eq!(status, 410);
    assert!(body.contains("The link is not known"), "{body}");
}

#[tokio::test]
async fn a_link_past_its_expiry_answers_410() {
    let app = spawn_app().await;
    let (m, _) = set_up(&app, "recommended").await;
    let id = bob_registers(&app, m.id).await;
    let ana = link_for(&app, ANA).await;
    app.clock.advance(Duration::days(14) + Duration::minutes(1));
    let (status, body) = page(&app, &ana).await;
    assert_eq!(status, 410);
    assert!(body.contains("This link has expired"), "{body}");
    assert_eq!(answer(&app, &ana, "endorse", "").await.status(), 410);
    assert!(answered(&app, id).await.iter().all(|(_, a, _)| a.is_none()));
}

#[tokio::test]
async fn a_contact_cannot_endorse_their_own_registration() {
    let app = spawn_app().await;
    let (m, _) = set_up(&app, "recommended").await;
    let id = bob_registers(&app, m.id).await;
    // A link to Bob about himself (none is ever mailed; say his address became a contact's).
    let (raw, now) = (Token::generate(), app.clock.now_naive());
    let hash = raw.hash();
    app.db
        .query(move |c| {
            endorsement::insert(
                c,
                id,
                ("Bob Example", "Bob@CERT-at.example"),
                &hash,
                (now, now + Duration::days(14)),
            )
        })
        .await
        .expect("a request");
    let link = format!("/endorsements/{}", raw.as_str());
    let (status, body) = page(&app, &link).await;
    assert_eq!(status, 410);
    assert!(body.contains("This is your own registration"), "{body}");
    assert_eq!(answer(&app, &link, "endorse", "").await.status(), 410);
    assert!(answered(&app, id).await.iter().all(|(_, a, _)| a.is_none()));
}

#[tokio::test]
async fn with_endorsement_off_no_contact_is_mailed_and_review_says_not_asked() {
    let app = spawn_app().await;
    let (m, _) = set_up(&app, "off").await;
    let id = bob_registers(&app, m.id).await;
    assert!(endorsement_mails(&app, ANA).await.is_empty());
    assert!(endorsement_mails(&app, CARL).await.is_empty());
    let detail =
        app.get(&format!("/admin/meetings/{SLUG}/registrations/{id}")).await.text().await.expect("body");
    assert!(detail.contains("<dd id=\"endorsement\">not asked</dd>"), "{detail}");
    assert_eq!(decide(&app, id, "approve", "").await.status(), 303);

    // The meeting form refuses a mode it does not know.
    let form = crate::fixtures::meeting_form(&[("endorsement", "sometimes")]);
    let res = app.post_form(&format!("/admin/meetings/{SLUG}"), &form).await;
    assert_eq!(res.status(), 422);
    assert_field_error(
        &res.text().await.expect("body"),
        "endorsement",
        "Choose off, recommended or required.",
    );
}

#[tokio::test]
async fn contacts_who_have_not_answered_get_one_reminder_with_a_new_link() {
    let app = spawn_app().await;
    let (m, team) = set_up(&app, "recommended").await;
    bob_registers(&app, m.id).await;
    let dana = invited_registers(&app, m.id, team, "dana@cert-at.example").await;
    let first = link_for(&app, ANA).await;
    let dana_link = endorsement_mails(&app, CARL)
        .await
        .into_iter()
        .find(|(s, _)| s.contains("Invited Person"))
        .expect("mail")
        .1;
    assert_eq!(answer(&app, &dana_link, "endorse", "").await.status(), 200);

    app.clock.advance(Duration::days(2) + Duration::hours(23));
    let reminders = |mails: Vec<(String, String)>| {
        mails.into_iter().filter(|(s, _)| s.starts_with("Reminder:")).collect::<Vec<_>>()
    };
    assert!(reminders(endorsement_mails(&app, ANA).await).is_empty(), "not before 3 days");
    app.clock.advance(Duration::hours(2));
    let to_ana = reminders(endorsement_mails(&app, ANA).await);
    let to_carl = reminders(endorsement_mails(&app, CARL).await);
    assert_eq!(to_ana.len(), 1, "one reminder, about Bob only (Dana's is answered): {to_ana:?}");
    assert_eq!(
        to_ana[0].0,
        "Reminder: please endorse or decline Bob Example (CERT Austria) for NatCSIRT 2026"
    );
    assert_eq!(to_carl.len(), 1);
    app.clock.advance(Duration::days(3));
    assert_eq!(reminders(endorsement_mails(&app, ANA).await).len(), 1, "once");

    // The reminder's link works; the first mail's does not any more.
    assert_eq!(page(&app, &first).await.0, 410);
    assert_eq!(answer(&app, &to_ana[0].1, "endorse", "").await.status(), 200);
    let _ = dana;
}

#[tokio::test]
async fn contacts_are_edited_on_the_team_page_with_a_message_for_each_problem() {
    let app = spawn_app().await;
    let (_, team) = set_up(&app, "off").await;
    let path = format!("/admin/teams/{team}");
    let page = app.get(&path).await.text().await.expect("body");
    assert!(
        page.contains("Ana Novak &lt;ana@cert-at.example&gt;\nCarl Berg &lt;carl@cert-at.example&gt;"),
        "{page}"
    );
    let fields = |contacts: &'static str| {
        vec![
            ("name", "CERT Austria"),
            ("short_name", "CERT.at"),
            ("country_code", "AT"),
            ("website", "cert-at.example"),
            ("domains", "cert-at.example"),
            ("cap", ""),
            ("contacts", contacts),
        ]
    };
    for (typed, message) in [
        ("ana@cert-at.example", "is not written as Name &lt;address&gt;"),
        ("Ana <ana@>", "The part after the @ needs a full domain name"),
        ("Ana <ana@cert-at.example>\nAnna <ANA@cert-at.example>", "ana@cert-at.example is listed twice"),
        ("<x@cert-at.example>", "the name is missing"),
    ] {
        let res = app.post_form(&path, &fields(typed)).await;
        assert_eq!(res.status(), 422, "{typed}");
        let body = res.text().await.expect("body");
        assert!(body.contains(message), "{typed}: {body}");
    }
    let many = (0..11).map(|i| format!("P{i} <p{i}@cert-at.example>")).collect::<Vec<_>>().join("\n");
    let many: &'static str = Box::leak(many.into_boxed_str());
    let res = app.post_form(&path, &fields(many)).await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.expect("body").contains("A team has at most 10 contacts; 11 are listed."));
    let stored = app.db.query(move |c| team_contact::for_team(c, team)).await.expect("contacts");
    assert_eq!(stored.len(), 2, "nothing written");

    let res = app
        .post_form(&path, &fields("Eve Lind <Eve@cert-at.example>; Ana Novak <ana@cert-at.example>"))
        .await;
    assert_eq!(location(&res), "/admin/teams?done=team-saved");
    let stored = app.db.query(move |c| team_contact::for_team(c, team)).await.expect("contacts");
    assert_eq!(
        stored,
        [("Eve Lind".to_owned(), "eve@cert-at.example".to_owned()), ("Ana Novak".to_owned(), ANA.to_owned())]
    );
}
