//! No way into an account without a proven address: a password typed at `/register` for
//! someone else's address never opens it, sign-in treats an unproven address as a wrong
//! password, registering again replaces an unconfirmed registration, the confirmation
//! email repeats nothing the registrant typed, and the upgrade strips the passwords that
//! were taken before the address was proven.

use std::time::Duration;

use chrono::NaiveDate;
use csirt_meet::{
    credentials::password,
    db::{self, DatabaseUrl, Db, DbConnection, run_migrations, run_migrations_before},
    domain::registration::Status,
    models::{
        agenda::{release, session::SessionFields},
        session as sessions, user,
    },
};

use crate::{
    fixtures::{
        Account, BOB, INVITEE, decide, invite, meeting_and_team, registration_form, registrations,
        self_registration_form, verify_link,
    },
    helpers::{TestApp, TestDatabase, csrf_in, location, new_client, spawn_app},
};
use csirt_meet::domain::agenda::Kind;
use csirt_meet::domain::states::Role;
use csirt_meet::domain::tlp::Tlp;

/// The password the attacker types at `/register` for the victim's address.
const ATTACKER_PASSWORD: &str = "attacker-picked-this-one-1";
/// The password the victim chooses on the confirmation page.
const VICTIM_PASSWORD: &str = "victim-chose-this-herself-2";
const RED_TITLE: &str = "Takedown of the botnet at dawn";
const AGENDA: &str = "/meetings/natcsirt-2026/agenda";

/// The registration form as an attacker fills it: with a password of their choice.
fn with_password(email: &'static str, name: &'static str) -> Vec<(&'static str, &'static str)> {
    let mut fields: Vec<_> =
        self_registration_form(email).into_iter().filter(|(k, _)| *k != "name").collect();
    fields.push(("name", name));
    fields.push(("password", ATTACKER_PASSWORD));
    fields
}

/// A published TLP:RED session in the meeting's agenda.
async fn red_session(app: &TestApp, meeting_id: i64) {
    let starts = NaiveDate::from_ymd_opt(2026, 6, 20).and_then(|d| d.and_hms_opt(15, 0, 0)).expect("valid");
    let fields = SessionFields {
        title: RED_TITLE.into(),
        abstract_text: String::new(),
        kind: Kind::Talk,
        track_id: None,
        room_id: None,
        starts_at: starts,
        ends_at: starts + chrono::Duration::hours(1),
        tlp: Tlp::Red,
    };
    let now = app.clock.now_naive();
    app.db
        .query(move |c| {
            let by = user::by_email(c, "organizer@cert.example")?.expect("the organizer").id;
            csirt_meet::models::agenda::session::insert(c, meeting_id, &fields, &[], "red-uid", now)?;
            db::transaction(c, |c| release::publish(c, meeting_id, "Programme", by, now).map(|_| ()))
        })
        .await
        .expect("published");
}

/// Status and body of a sign-in attempt, with the typed address taken out.
async fn sign_in_answer(app: &TestApp, email: &str, password: &str) -> (u16, String) {
    let res = app.login_with(&new_client(), email, password).await;
    let status = res.status().as_u16();
    let body = res.text().await.expect("body");
    // Each client has its own CSRF token (on the refusal page); everything else must match.
    let body = if body.contains("csrf_token") { body.replace(&csrf_in(&body), "CSRF") } else { body };
    let body = body.replace(email, "ADDRESS");
    (status, body)
}

/// Whatever the attacker's client gets at the agenda, following redirects by hand.
async fn agenda_seen_by(app: &TestApp, client: &reqwest::Client) -> String {
    let res = client.get(app.url(AGENDA)).send().await.expect("sent");
    let status = res.status();
    let body = res.text().await.expect("body");
    assert_ne!(status, 200, "the agenda is not served");
    body
}

#[tokio::test]
async fn an_attacker_who_registers_the_victims_address_with_a_password_never_gets_in() {
    let app = spawn_app().await;
    let (m, _) = meeting_and_team(&app).await;
    red_session(&app, m.id).await;
    let attacker = new_client();
    let res = app.post_form_with(&attacker, "/register", &with_password(BOB, "Bob Example")).await;
    assert!(res.text().await.expect("body").contains("Check your email"));

    // Sign-in at once: refused, as a wrong password is.
    let res = app.login_with(&attacker, BOB, ATTACKER_PASSWORD).await;
    assert_eq!(res.status(), 401, "an unproven address does not sign in");
    assert!(!agenda_seen_by(&app, &attacker).await.contains(RED_TITLE));

    // The victim opens the emailed link, chooses her password and confirms.
    let link = verify_link(&app).await;
    let victim = new_client();
    let page = victim.get(app.url(&link)).send().await.expect("sent").text().await.expect("body");
    assert!(page.contains("Choose your password"), "the password is chosen on the confirmation page");
    let res = app.post_form_with(&victim, &link, &[("password", VICTIM_PASSWORD)]).await;
    assert_eq!(location(&res), "/login?done=address-confirmed");
    assert_eq!(app.login_with(&new_client(), BOB, ATTACKER_PASSWORD).await.status(), 401);

    // The organizer approves the genuine-looking registration.
    let id = registrations(&app, m.id).await[0].registration.id;
    assert_eq!(decide(&app, id, "approve", "").await.status(), 303);
    assert_eq!(registrations(&app, m.id).await[0].registration.status, Status::Approved);

    let res = app.login_with(&attacker, BOB, ATTACKER_PASSWORD).await;
    assert_eq!(res.status(), 401, "the attacker's password never works");
    assert!(!agenda_seen_by(&app, &attacker).await.contains(RED_TITLE), "the attacker never reads RED");
    let res = app.login_with(&victim, BOB, VICTIM_PASSWORD).await;
    assert_eq!(location(&res), "/me");
    let agenda = victim.get(app.url(AGENDA)).send().await.expect("sent").text().await.expect("body");
    assert!(agenda.contains(RED_TITLE), "the victim, approved, reads the agenda");
}

#[tokio::test]
async fn signing_in_with_an_unproven_address_answers_exactly_as_a_wrong_password() {
    let app = spawn_app().await;
    meeting_and_team(&app).await;
    let known = app.create_user("known@cert-at.example", Role::Member).await;
    app.post_form_with(&new_client(), "/register", &with_password(BOB, "Bob Example")).await;
    let before = app.state.hasher.checks();
    let unproven = sign_in_answer(&app, BOB, ATTACKER_PASSWORD).await;
    let wrong = sign_in_answer(&app, &known.email, "not-the-password-at-all").await;
    let unknown = sign_in_answer(&app, "nobody@cert-at.example", ATTACKER_PASSWORD).await;
    assert_eq!(app.state.hasher.checks() - before, 3, "each costs one password check");
    assert_eq!(unproven.0, 401);
    assert_eq!(unproven, wrong, "the same status and page");
    assert_eq!(unproven, unknown);
}

#[tokio::test]
async fn registering_an_unproven_address_again_replaces_the_first_registration() {
    let app = spawn_app().await;
    let (m, _) = meeting_and_team(&app).await;
    let first_page = app.post_form_with(&new_client(), "/register", &with_password(BOB, "Mallory")).await;
    let first = verify_link(&app).await;
    let again = app.post_form_with(&new_client(), "/register", &with_password(BOB, "Bob Example")).await;
    let second = verify_link(&app).await;
    let fresh = "fresh@cert-at.example";
    let new_address = app.post_form_with(&new_client(), "/register", &with_password(fresh, "Fresh")).await;
    let answer = |res: reqwest::Response, email: &'static str| async move {
        (res.status().as_u16(), res.text().await.expect("body").replace(email, "ADDRESS"))
    };
    let (first_page, again, new_address) =
        (answer(first_page, BOB).await, answer(again, BOB).await, answer(new_address, fresh).await);
    assert_eq!(again, first_page, "the same page as the first time");
    assert_eq!(again, new_address, "the same page as for an address never seen");

    assert_ne!(first, second);
    let client = new_client();
    assert_eq!(client.get(app.url(&first)).send().await.expect("sent").status(), 410, "the old link is dead");
    let res = app.post_form_with(&client, &first, &[("password", VICTIM_PASSWORD)]).await;
    assert_eq!(res.status(), 410);
    let res = app.post_form_with(&client, &second, &[("password", VICTIM_PASSWORD)]).await;
    assert_eq!(location(&res), "/login?done=address-confirmed", "the new link works");
    let rows: Vec<_> = registrations(&app, m.id).await.into_iter().filter(|r| r.email == BOB).collect();
    assert_eq!(rows.len(), 1, "one registration for the address");
    assert_eq!(rows[0].registration.status, Status::Pending);
    let account = app.db.query(|c| user::by_email(c, BOB)).await.expect("query").expect("account");
    assert_eq!(account.name, "Bob Example", "nothing of the first registration remains");
    assert_eq!(location(&app.login_with(&new_client(), BOB, VICTIM_PASSWORD).await), "/me");
}

#[tokio::test]
async fn the_confirmation_email_does_not_repeat_the_name_typed_at_registration() {
    let app = spawn_app().await;
    meeting_and_team(&app).await;
    let lure = "Call +1 555 0100 now to keep your access";
    app.post_form_with(&new_client(), "/register", &with_password(BOB, lure)).await;
    verify_link(&app).await;
    let mail = app.emails().into_iter().last().expect("the confirmation email");
    let (text, html) = (mail.body_text(0).expect("text"), mail.body_html(0).expect("html"));
    assert!(text.contains("/verify/") && text.contains("NatCSIRT 2026"), "{text}");
    for part in [text.as_ref(), html.as_ref(), mail.subject().unwrap_or_default()] {
        assert!(!part.contains("+1 555 0100"), "the typed name is not in the email:\n{part}");
    }
}

#[tokio::test]
async fn a_password_reset_for_an_unproven_address_sends_no_link() {
    let app = spawn_app().await;
    meeting_and_team(&app).await;
    app.post_form_with(&new_client(), "/register", &with_password(BOB, "Bob Example")).await;
    app.dispatch_pending_emails().await;
    let sent = app.emails().len();
    let res = app.post_form_with(&new_client(), "/password/forgot", &[("email", BOB)]).await;
    assert_eq!(res.status(), 200);
    assert!(res.text().await.expect("body").contains("If an account exists for this address"));
    app.dispatch_pending_emails().await;
    assert_eq!(app.emails().len(), sent, "the only way in is the confirmation link");
}

#[tokio::test]
async fn an_invitation_replaces_an_unconfirmed_self_registration_of_the_address() {
    let app = spawn_app().await;
    let (m, team_id) = meeting_and_team(&app).await;
    let invitee = INVITEE;
    let fields = vec![
        ("email", invitee),
        ("name", "Mallory"),
        ("password", ATTACKER_PASSWORD),
        ("role_title", "Not me"),
        ("consent_listed", "yes"),
    ];
    app.post_form_with(&new_client(), "/register", &fields).await;
    let link = invite(&app, team_id, invitee).await;
    let alice = new_client();
    let page = alice.get(app.url(&link)).send().await.expect("sent").text().await.expect("body");
    assert!(!page.contains("exists already"), "the unproven address has no account to sign in with");
    let res = app.post_form_with(&alice, &link, &registration_form("Alice Example")).await;
    assert_eq!(location(&res), "/me?done=registered");
    let rows: Vec<_> = registrations(&app, m.id).await.into_iter().filter(|r| r.email == invitee).collect();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].registration.status, Status::Pending);
    assert_eq!(rows[0].registration.role_title, "Incident handler", "the invitee's own registration");
    assert_eq!(app.login_with(&new_client(), invitee, ATTACKER_PASSWORD).await.status(), 401);
}

/// The migration that strips the passwords of unproven accounts.
const STRIP: &str = "2026-12-02-000001_unproven_addresses_lose_passwords";

#[test]
fn the_upgrade_takes_the_password_of_every_account_whose_address_is_unproven() {
    let database = TestDatabase::create();
    let url = DatabaseUrl::parse(database.url()).expect("valid URL");
    let db = Db::connect(&url, 1, Duration::from_secs(5)).expect("connect");
    let mut conn = db.get().expect("connection");
    let c = &mut *conn;
    let before = run_migrations_before(c, STRIP).expect("an install from before the upgrade");
    assert!(!before.applied.is_empty() && !before.applied.iter().any(|n| n == STRIP), "{before:?}");
    let now = chrono::Utc::now().naive_utc();
    let mut ids = Vec::new();
    for account in [Account::member(BOB).unproven(), Account::member("ana@cert-at.example")] {
        let account = account.name("Someone").password(ATTACKER_PASSWORD);
        let id = account.insert_in(c, now).expect("account").id;
        sessions::create(c, &format!("session-{id}"), id, "csrf", true, now).expect("session");
        ids.push(id);
    }
    let (unproven, proven) = (ids[0], ids[1]);
    let bob = user::find(c, unproven).expect("account");
    let hash = user::find(c, proven).expect("account").password_hash;
    assert!(password::verify(ATTACKER_PASSWORD, &bob.password_hash), "before: the typed password opens it");

    let applied = run_migrations(c).expect("the upgrade runs");
    assert_eq!(applied.applied.first().map(String::as_str), Some("20261202000001"), "{STRIP} runs");
    let (bob, ana) = (user::find(c, unproven).expect("bob"), user::find(c, proven).expect("ana"));
    assert_eq!(bob.password_hash, user::NO_PASSWORD, "the unproven account has no password");
    assert!(bob.credential().is_none() && !password::verify(ATTACKER_PASSWORD, &bob.password_hash));
    assert_eq!(ana.credential(), Some(hash.as_str()), "a proven account keeps its password");
    let session_of =
        |c: &mut DbConnection, id: i64| sessions::find(c, &format!("session-{id}")).expect("query").is_some();
    assert!(!session_of(c, unproven), "the unproven account's sessions end");
    assert!(session_of(c, proven), "the proven account's sessions stay");
}
