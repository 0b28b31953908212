//! Every kind of email, as a person receives it, triggered the way people trigger it:
//! the HTML part keeps its look in inline styles and loads nothing remote, its links lead
//! to the configured public address; the plain-text part reads on its own (no markup, no
//! entities, lines of at most 78 characters, every link of the HTML part), and names with
//! `&`, `<` and accents arrive literally in the text and escaped in the HTML.

use csirt_meet::{
    domain::registration::Status,
    email::text::MAX_LINE,
    models::{meeting, user},
};
use mail_parser::Message;

use crate::{
    fixtures::{
        Account, CALL, Person, Registration, SLUG, Team, call_form, create_meeting, decide, proposal_form,
        propose, register,
    },
    helpers::{
        PASSWORD, TestApp, TestDatabase, TestUser, location, new_client, parse_email, process::csirt_meet,
        spawn_app_with,
    },
};

/// Not the test server's own address, so a link built from the request would show.
const PUBLIC_URL: &str = "http://meet.natcsirt.example";
const MEETING: &str = "Q&A <Vienna> Café";
const TEAM: &str = "CERT Österreich & <Partners>";
const PERSON: &str = "Zoë <Ops> & Søren";
const OTHER: &str = "Jiří \"Ops\" & <Co>";
const REASON: &str = "Your team's 3 places are taken <all of them> & we are sorry, Jiří.";
const ANNOUNCED: &str = "Room <B> & coffee at Café Landtmann";
/// The first paragraph of the announcement: longer than a line, so it arrives wrapped.
const ANNOUNCED_PARAGRAPH: &str = "Bring your badge & laptop to room <B>: the opening session now starts \
                                   at 08:30 on Saturday, and Café Landtmann serves coffee from 08:00.";

/// The email kinds, one folder each under `templates/email/`.
const KINDS: [&str; 20] = [
    "announcement",
    "calendar_invite",
    "endorsement_request",
    "invitation",
    "organizer_invite",
    "password_reset",
    "proposal_decision",
    "proposal_speaker",
    "register_known",
    "registration_decision",
    "registration_withdrawn",
    "reminder",
    "reviewer_invite",
    "second_factor_reset",
    "speaker_guest",
    "speaker_guest_removed",
    "test",
    "verify_email",
    "waitlist_offer",
    "waitlist_offer_expired",
];

async fn app() -> TestApp {
    spawn_app_with(|s| s.server.public_url = PUBLIC_URL.into(), |_| {}).await
}

/// The organizer signed in, the meeting `MEETING` and the team `TEAM` at cert-at.example.
async fn set_up(app: &TestApp) -> (meeting::Meeting, i64) {
    app.login_as_organizer().await;
    let m = create_meeting(app, &[("title", MEETING)]).await;
    assert_eq!(m.title, MEETING, "the title is kept as typed");
    (m, Team::austria().name(TEAM).insert(app).await)
}

/// An account named `name` that can sign in with `PASSWORD`.
async fn account(app: &TestApp, email: &'static str, name: &'static str) -> TestUser {
    Account::member(email).name(name).password(PASSWORD).insert(app).await
}

fn self_registration(email: &'static str) -> Vec<(&'static str, &'static str)> {
    vec![
        ("email", email),
        ("name", PERSON),
        ("role_title", "Incident handler"),
        ("dietary", ""),
        ("accessibility", ""),
        ("consent_listed", "yes"),
    ]
}

/// The one message whose subject starts with `subject`.
fn by_subject<'a>(mails: &'a [Message<'static>], subject: &str) -> &'a Message<'static> {
    let found: Vec<_> =
        mails.iter().filter(|m| m.subject().is_some_and(|s| s.starts_with(subject))).collect();
    assert_eq!(found.len(), 1, "one message starting {subject:?} among {:?}", subjects(mails));
    found[0]
}

fn subjects(mails: &[Message<'static>]) -> Vec<String> {
    mails.iter().map(|m| m.subject().unwrap_or_default().to_owned()).collect()
}

/// Reads the character references Tera writes (and any numeric one) back as text.
fn unescape(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let Some(end) = rest.find(';').filter(|e| *e <= 10) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let entity = &rest[1..end];
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => entity
                .strip_prefix("#x")
                .or_else(|| entity.strip_prefix("#X"))
                .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|dec| dec.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The values of every `name="…"` attribute, unescaped.
fn attributes(html: &str, name: &str) -> Vec<String> {
    let marker = format!("{name}=\"");
    html.match_indices(&marker)
        .filter(|(at, _)| html[..*at].ends_with(|c: char| c.is_whitespace()))
        .map(|(at, _)| {
            let value = &html[at + marker.len()..];
            unescape(&value[..value.find('"').expect("closing quote")])
        })
        .collect()
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Everything this module promises about one message; `names` are the texts that must
/// arrive literally (they contain `&`, `<` or accents).
fn check(mail: &Message<'static>, public_url: &str, names: &[&str]) {
    let subject = mail.subject().expect("a subject");
    let html = mail.body_html(0).expect("an HTML part").into_owned();
    let text = mail.body_text(0).expect("a plain-text part").into_owned();
    let lower = html.to_lowercase();

    for tag in ["<style", "<link", "<script", "<iframe", "<object", "<embed", "<form", " class="] {
        assert!(!lower.contains(tag), "{subject}: the HTML has {tag}, mail clients drop or block it");
    }
    assert!(lower.contains(" style=\""), "{subject}: the look comes from inline styles");
    for value in attributes(&lower, "src").iter().chain(&attributes(&lower, "background")) {
        assert!(value.starts_with("cid:") || value.starts_with("data:"), "{subject}: loads {value}");
    }
    assert!(!lower.contains("url("), "{subject}: no remote resources in styles");
    let links = attributes(&html, "href");
    for link in &links {
        assert!(
            link.starts_with(&format!("{public_url}/")) || link.starts_with("mailto:"),
            "{subject}: the link {link} leads elsewhere than {public_url}"
        );
    }

    let mut without_names = text.clone();
    for name in names {
        without_names = one_line(&without_names).replace(name, "");
    }
    let bytes = without_names.as_bytes();
    let tag = bytes.windows(2).any(|w| w[0] == b'<' && (w[1].is_ascii_alphabetic() || w[1] == b'/'));
    assert!(!tag, "{subject}: the plain text has HTML markup:\n{text}");
    for entity in ["&amp;", "&lt;", "&gt;", "&quot;", "&#"] {
        assert!(!text.contains(entity) && !subject.contains(entity), "{subject}: {entity} in plain text");
    }
    for line in text.lines() {
        let lone_url = line.starts_with("http") && !line.contains(char::is_whitespace);
        assert!(
            line.chars().count() <= MAX_LINE || lone_url,
            "{subject}: a line of {} characters:\n{line}",
            line.chars().count()
        );
    }
    for link in &links {
        let shown = link.strip_prefix("mailto:").unwrap_or(link);
        assert!(text.contains(shown), "{subject}: the plain text lacks the link {shown}:\n{text}");
    }

    let (text_flat, html_flat) = (one_line(&text), one_line(&unescape(&html)));
    for name in names {
        assert!(text_flat.contains(name), "{subject}: the plain text shows {name:?} as it is:\n{text}");
        assert!(html_flat.contains(name), "{subject}: the HTML shows {name:?} once unescaped:\n{html}");
        assert!(!html.contains(name), "{subject}: the HTML carries {name:?} unescaped:\n{html}");
    }
}

#[test]
fn every_email_kind_is_checked_here() {
    let mut folders: Vec<String> = std::fs::read_dir("templates/email")
        .expect("email templates")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_dir())
        .map(|p| p.file_name().and_then(|n| n.to_str()).expect("name").to_owned())
        .collect();
    folders.sort();
    assert_eq!(folders, KINDS, "a new kind of email needs its case in this module");
}

#[tokio::test]
async fn endorsement_requests_and_their_reminder_read_well_in_both_parts() {
    const CONTACT: &str = "Jiří & Søren \"Ops\"";
    let app = app().await;
    app.login_as_organizer().await;
    create_meeting(&app, &[("title", MEETING), ("endorsement", "recommended")]).await;
    Team::austria().name(TEAM).contacts(&[(CONTACT, "jiri@cert-at.example")]).insert(&app).await;
    let zoe = new_client();
    app.post_form_with(&zoe, "/register", &self_registration("zoe@cert-at.example")).await;
    app.dispatch_pending_emails().await;
    let mail = app.emails().pop().expect("the confirmation link");
    let text = mail.body_text(0).expect("text").into_owned();
    let link =
        text[text.find("/verify/").expect("a link")..].split_whitespace().next().expect("link").to_owned();
    assert_eq!(app.post_form_with(&zoe, &link, &[("password", PASSWORD)]).await.status(), 303);
    app.clock.advance(chrono::Duration::days(3));
    assert_eq!(app.dispatch_pending_emails().await.sent, 2, "the request, then its one reminder");
    let mails = app.emails();
    let request = by_subject(&mails, "Please endorse or decline");
    check(request, PUBLIC_URL, &[CONTACT, PERSON, TEAM, MEETING]);
    check(
        by_subject(&mails, "Reminder: please endorse or decline"),
        PUBLIC_URL,
        &[CONTACT, PERSON, TEAM, MEETING],
    );
}

#[tokio::test]
async fn mails_that_bring_people_in_read_well_in_both_parts() {
    let app = app().await;
    let (_, team_id) = set_up(&app).await;
    let team = team_id.to_string();
    let path = format!("/admin/meetings/{SLUG}/invitations");
    let res = app.post_form(&path, &[("team", &team), ("emails", "alice@cert-at.example")]).await;
    assert_eq!(location(&res), format!("{path}?done=invitations-sent"));
    let res =
        app.post_form("/admin/organizers/invite", &[("name", PERSON), ("email", "bea@cert.example")]).await;
    assert_eq!(location(&res), "/admin/organizers?done=invited");
    let reviewer = [("name", OTHER), ("email", "rita@cert.example"), ("role", "reviewer")];
    let res = app.post_form("/admin/organizers/invite", &reviewer).await;
    assert_eq!(location(&res), "/admin/organizers?done=invited");

    account(&app, "zoe@cert-at.example", PERSON).await;
    let visitor = new_client();
    let res = app.post_form_with(&visitor, "/password/forgot", &[("email", "zoe@cert-at.example")]).await;
    assert!(res.status().is_success() || res.status() == 303, "the reset is asked for");
    let res = app.post_form_with(&visitor, "/register", &self_registration("zoe@cert-at.example")).await;
    assert_eq!(res.status(), 200, "an address with an account gets the same answer");
    let res = app.post_form_with(&new_client(), "/register", &self_registration("bob@cert-at.example")).await;
    assert_eq!(res.status(), 200);

    assert_eq!(app.dispatch_pending_emails().await.sent, 6);
    let mails = app.emails();
    check(by_subject(&mails, &format!("Your invitation to {MEETING}")), PUBLIC_URL, &[MEETING, TEAM]);
    check(by_subject(&mails, "You are invited to be an organizer"), PUBLIC_URL, &[PERSON]);
    let review = "You are invited to review registrations for the NatCSIRT meeting";
    check(by_subject(&mails, review), PUBLIC_URL, &[OTHER]);
    check(by_subject(&mails, "Reset your password"), PUBLIC_URL, &[PERSON]);
    check(by_subject(&mails, &format!("Your registration for {MEETING}")), PUBLIC_URL, &[MEETING]);
    check(by_subject(&mails, &format!("Confirm your address for {MEETING}")), PUBLIC_URL, &[MEETING, TEAM]);
}

#[tokio::test]
async fn mails_about_a_registration_read_well_in_both_parts() {
    let app = app().await;
    let (m, team_id) = set_up(&app).await;
    let zoe = account(&app, "zoe@cert-at.example", PERSON).await;
    let approved =
        register(&app, m.id, team_id, Person::new(PERSON, "zoe@cert-at.example", Status::Pending)).await;
    let rejected =
        register(&app, m.id, team_id, Person::new(OTHER, "jiri@cert-at.example", Status::Pending)).await;
    assert_eq!(decide(&app, rejected, "reject", REASON).await.status(), 303, "the decision is saved");
    assert_eq!(decide(&app, approved, "approve", "").await.status(), 303, "the decision is saved");

    let announce = format!("/admin/meetings/{SLUG}/announce");
    let body = format!("{ANNOUNCED_PARAGRAPH}\nSee you there.");
    let fields = [("audience", "approved"), ("subject", ANNOUNCED), ("body", &body)];
    let page = app.post_form(&announce, &fields).await.text().await.expect("body");
    let marker = "name=\"nonce\" value=\"";
    let nonce = page[page.find(marker).expect("the confirmation carries a nonce") + marker.len()..]
        .split('"')
        .next()
        .expect("closing quote")
        .to_owned();
    let send = [fields.as_slice(), &[("step", "send"), ("nonce", &nonce)]].concat();
    assert_eq!(
        location(&app.post_form(&announce, &send).await),
        format!("{announce}?done=announcement-sent")
    );

    let client = new_client();
    app.sign_in_with(&client, &zoe).await;
    let res = app
        .post_form_with(&client, &format!("/me/registrations/{approved}/withdraw"), &[("confirm", "yes")])
        .await;
    assert_eq!(location(&res), "/me?done=withdrawn");

    assert_eq!(app.dispatch_pending_emails().await.sent, 6);
    let mails = app.emails();
    let rejection = by_subject(&mails, &format!("Your registration for {MEETING}: rejected"));
    check(rejection, PUBLIC_URL, &[OTHER, MEETING, REASON]);
    check(
        by_subject(&mails, &format!("Your registration for {MEETING}: approved")),
        PUBLIC_URL,
        &[PERSON, MEETING],
    );
    let invite = by_subject(&mails, "Invitation:");
    check(invite, PUBLIC_URL, &[MEETING]);
    let cancel = by_subject(&mails, "Removed from your calendar:");
    check(cancel, PUBLIC_URL, &[MEETING]);
    let announcement = by_subject(&mails, &format!("{MEETING}: {ANNOUNCED}"));
    check(announcement, PUBLIC_URL, &[PERSON, MEETING, ANNOUNCED_PARAGRAPH]);
    let html = announcement.body_html(0).expect("html");
    assert!(html.contains("08:00.<br>"), "the announcement keeps its line breaks in HTML:\n{html}");
    check(by_subject(&mails, &format!("You withdrew from {MEETING}")), PUBLIC_URL, &[PERSON, MEETING]);
}

#[tokio::test]
async fn proposal_mails_read_well_in_both_parts() {
    let app = app().await;
    let (m, team_id) = set_up(&app).await;
    let zoe = account(&app, "zoe@cert-at.example", PERSON).await;
    Registration::new(Status::Approved).insert(&app, m.id, team_id, zoe.id).await;
    register(&app, m.id, team_id, Person::new(OTHER, "jiri@cert-at.example", Status::Approved)).await;
    assert_eq!(app.post_form(CALL, &call_form(&[])).await.status(), 303, "the call is open");
    let client = new_client();
    app.sign_in_with(&client, &zoe).await;
    let title = "Q&A <live> on café routing";
    let id = propose(
        &app,
        &client,
        &proposal_form(&[("title", title), ("speaker_email", "jiri@cert-at.example")]),
    )
    .await;
    app.dispatch_pending_emails().await;
    let mails = app.emails();
    let ask = by_subject(&mails, &format!("Please confirm: you were named a co-speaker for {MEETING}"));
    check(ask, PUBLIC_URL, &[OTHER, PERSON, MEETING, title]);

    let decision = format!("/admin/meetings/{SLUG}/proposals/{id}/decision");
    let res = app.post_form(&decision, &[("decision", "reject"), ("message", REASON)]).await;
    assert_eq!(res.status(), 303, "decided");
    app.dispatch_pending_emails().await;
    let mails = app.emails();
    let rejection = by_subject(&mails, &format!("A decision on your proposal for {MEETING}"));
    check(rejection, PUBLIC_URL, &[PERSON, MEETING, title, REASON]);
}

#[tokio::test]
async fn the_outside_guest_speaker_mail_reads_well_in_both_parts() {
    let app = app().await;
    set_up(&app).await;
    let title = "Q&A <live> on café routing";
    let fields = [
        ("title", title),
        ("abstract_text", ""),
        ("kind", "talk"),
        ("track", ""),
        ("room", ""),
        ("day", "2026-06-20"),
        ("starts", "09:00"),
        ("ends", "10:00"),
        ("speakers", "Gil Guest (Partner CERT) <gil@partner.example>"),
        ("tlp", "TLP:GREEN"),
    ];
    let editor = format!("/admin/meetings/{SLUG}/agenda");
    // Saves the session at `path` of the editor with `fields`, publishes, and returns the
    // mail with `subject` once sent.
    let publish = async |path: &str, fields: &[(&str, &str)], subject: String| {
        let saved = app.post_form(&format!("{editor}{path}"), fields).await;
        assert_eq!(location(&saved), format!("{editor}?done=session-saved"));
        let published = app.post_form(&format!("{editor}/publish"), &[("name", "")]).await;
        assert_eq!(location(&published), format!("{editor}?done=agenda-published"));
        app.dispatch_pending_emails().await;
        check(by_subject(&app.emails(), &subject), PUBLIC_URL, &[MEETING, title]);
    };
    publish("/sessions", &fields, format!("[TLP:GREEN] Your session at {MEETING}")).await;

    // Taken off the session: the plain mail that says so.
    let id: i64 = app
        .db
        .query(|c| {
            use csirt_meet::db::schema::sessions;
            use diesel::{QueryDsl as _, RunQueryDsl as _};
            sessions::table.select(sessions::id).first(c)
        })
        .await
        .expect("the session");
    let without = fields.map(|(k, v)| (k, if k == "speakers" { "" } else { v }));
    let removed = format!("[TLP:GREEN] You are no longer listed as a speaker at {MEETING}");
    publish(&format!("/sessions/{id}"), &without, removed).await;
}

#[tokio::test]
async fn waitlist_offer_mails_read_well_in_both_parts() {
    let app = app().await;
    let (m, team_id) = set_up(&app).await;
    let mut approved = Vec::new();
    for (name, email) in
        [("Anna", "anna@cert-at.example"), ("Ben", "ben@cert-at.example"), ("Cem", "cem@cert-at.example")]
    {
        approved.push(register(&app, m.id, team_id, Person::new(name, email, Status::Approved)).await);
    }
    register(&app, m.id, team_id, Person::new(PERSON, "zoe@cert-at.example", Status::Waitlisted)).await;
    assert_eq!(decide(&app, approved[0], "revoke", REASON).await.status(), 303, "a place frees");
    app.clock.advance(chrono::Duration::hours(72));
    app.dispatch_pending_emails().await;
    let mails = app.emails();
    check(
        by_subject(&mails, &format!("A place is free for you at {MEETING}")),
        PUBLIC_URL,
        &[PERSON, MEETING],
    );
    check(
        by_subject(&mails, &format!("Your offer of a place at {MEETING} has ended")),
        PUBLIC_URL,
        &[PERSON, MEETING],
    );
}

#[tokio::test]
async fn the_reminder_before_the_meeting_reads_well_in_both_parts() {
    let app = app().await;
    let (m, team_id) = set_up(&app).await;
    register(&app, m.id, team_id, Person::new(PERSON, "zoe@cert-at.example", Status::Approved)).await;
    // Seven days before Sat 20 June, 08:00 MDT.
    let due =
        chrono::NaiveDate::from_ymd_opt(2026, 6, 13).and_then(|d| d.and_hms_opt(14, 0, 0)).expect("time");
    app.clock.advance(due - app.clock.now_naive());
    app.dispatch_pending_emails().await;
    check(by_subject(&app.emails(), &format!("Reminder: {MEETING} begins")), PUBLIC_URL, &[PERSON, MEETING]);
}

#[tokio::test]
async fn the_second_factor_reset_mail_reads_well_in_both_parts() {
    let app = app().await;
    let (m, team_id) = set_up(&app).await;
    let zoe = account(&app, "zoe@cert-at.example", PERSON).await;
    let id =
        register(&app, m.id, team_id, Person::new(PERSON, "zoe@cert-at.example", Status::Approved)).await;
    let (user_id, now) = (zoe.id, app.clock.now_naive());
    app.db
        .query(move |c| {
            user::set_pending_totp(c, user_id, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")?;
            user::enable_totp(c, user_id, 0, now)
        })
        .await
        .expect("second factor on");
    let path = format!("/admin/meetings/{SLUG}/registrations/{id}/reset-second-factor");
    assert_eq!(app.post_form(&path, &[("confirm", "yes")]).await.status(), 303);
    app.dispatch_pending_emails().await;
    check(by_subject(&app.emails(), "Your two-step sign-in"), PUBLIC_URL, &[]);
}

#[test]
fn the_test_mail_reads_well_in_both_parts() {
    let db = TestDatabase::create();
    let dir = tempfile::tempdir().expect("folder");
    let out = csirt_meet()
        .args(["send-test-mail", "someone@example.org"])
        .env("DATABASE_URL", db.url())
        .env("CSIRT_MEET__SERVER__PUBLIC_URL", PUBLIC_URL)
        .env("CSIRT_MEET__MAIL__FILE_DIR", dir.path())
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let file = std::fs::read_dir(dir.path()).expect("read").next().expect("one file").expect("entry").path();
    let mail = parse_email(&std::fs::read(file).expect("read"));
    check(&mail, PUBLIC_URL, &[]);
    assert!(mail.body_text(0).expect("text").contains(PUBLIC_URL), "it names the address it checks");
}
