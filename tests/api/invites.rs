//! Calendar invites by email, end to end at a real SMTP server: approve → pick → move and
//! publish → relabel and publish → cancel and publish → reinstate → withdraw. Every message
//! is parsed: its MIME tree (docs/CALENDAR.md I1–I3), its iCalendar (S1–S7, I4–I9, T1), and
//! the instants the independent parsers read from it.

use std::collections::BTreeMap;

use csirt_meet::models::{agenda::release, meeting};
use mail_parser::{MessagePart, MimeHeaders as _, PartType};

use crate::{
    fixtures::{
        AMBER_CANARY, EDITOR, RED_CANARY, SLUG, create_meeting, meeting_form, pending_registration,
        publish_agenda,
    },
    helpers::{
        TestApp, ical_parsers::check_with_parsers, new_client, parse_email, smtp_sink::SmtpSink,
        spawn_app_with, use_smtp,
    },
};
use csirt_meet::domain::states::Role;

/// One delivered invite, taken apart.
struct Invite {
    to: String,
    subject: String,
    method: String,
    ics: String,
}

impl Invite {
    fn prop(&self, name: &str) -> Option<String> {
        let unfolded = self.ics.replace("\r\n ", "");
        unfolded.lines().find_map(|l| l.strip_prefix(&format!("{name}:")).map(str::to_owned))
    }

    fn sequence(&self) -> i64 {
        self.prop("SEQUENCE").and_then(|s| s.parse().ok()).expect("a SEQUENCE")
    }
}

fn children<'a>(
    msg: &'a mail_parser::Message<'static>,
    part: &MessagePart<'_>,
) -> Vec<&'a MessagePart<'static>> {
    match &part.body {
        PartType::Multipart(ids) => ids.iter().map(|id| &msg.parts[*id as usize]).collect(),
        _ => Vec::new(),
    }
}

fn mime(part: &MessagePart<'_>) -> String {
    let ct = part.content_type().expect("content type");
    format!("{}/{}", ct.ctype(), ct.subtype().unwrap_or_default())
}

/// Checks the MIME tree of an invite (I1–I3) and returns it; None for other mail.
fn invite_of(raw: &[u8]) -> Option<Invite> {
    let msg = parse_email(raw);
    let root = msg.root_part();
    if mime(root) != "multipart/mixed" {
        return None;
    }
    let top = children(&msg, root);
    assert_eq!(top.iter().map(|p| mime(p)).collect::<Vec<_>>(), ["multipart/alternative", "application/ics"]);
    let alt = children(&msg, top[0]);
    assert_eq!(alt.iter().map(|p| mime(p)).collect::<Vec<_>>(), ["text/plain", "text/html", "text/calendar"]);
    let calendar = alt[2];
    assert!(calendar.content_disposition().is_none() && calendar.content_id().is_none());
    assert_eq!(top[1].attachment_name(), Some("invite.ics"));
    for part in [calendar, top[1]] {
        assert_eq!(part.encoding, mail_parser::Encoding::Base64, "calendar parts are base64 (I3)");
    }
    let ics = std::str::from_utf8(calendar.contents()).expect("UTF-8").to_owned();
    assert_eq!(top[1].contents(), calendar.contents(), "the attachment has the same bytes");
    let method = calendar.content_type().and_then(|c| c.attribute("method")).expect("method=").to_owned();
    let text = alt[0].text_contents().expect("text part").to_owned();
    let flowed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flowed.contains("The system does not read them"), "replies are not processed, and it says so");
    let invite = Invite {
        to: msg.to().and_then(|a| a.first()).and_then(|a| a.address()).expect("To").to_owned(),
        subject: msg.subject().expect("Subject").to_owned(),
        method,
        ics,
    };
    assert_eq!(
        invite.prop("METHOD").as_deref(),
        Some(invite.method.as_str()),
        "MIME method equals METHOD (I2)"
    );
    assert_eq!(invite.ics.matches("BEGIN:VEVENT").count(), 1, "one VEVENT");
    assert!(!invite.ics.contains("VALARM"));
    let organizer = invite.ics.replace("\r\n ", "");
    assert!(organizer.contains("ORGANIZER;CN=") || organizer.contains("ORGANIZER:mailto:"));
    Some(invite)
}

fn session_fields<'a>(
    title: &'a str,
    tlp: &'a str,
    starts: &'a str,
    ends: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("title", title),
        ("abstract_text", AMBER_CANARY),
        ("kind", "talk"),
        ("track", ""),
        ("room", ""),
        ("day", "2026-06-20"),
        ("starts", starts),
        ("ends", ends),
        ("speakers", ""),
        ("tlp", tlp),
    ]
}

/// The organizer and the meeting; a member of CERT.at with a pending registration that the
/// organizer approves through the review queue. Returns the member's client and the ids.
async fn approved_through_the_queue(app: &TestApp) -> (reqwest::Client, i64, meeting::Meeting) {
    app.login_as_organizer().await;
    let m = create_meeting(app, &[]).await;
    let member = app.create_user("ana@cert-at.example", Role::Member).await;
    let id = pending_registration(app, m.id, member.id).await;
    let path = format!("/admin/meetings/{SLUG}/registrations/{id}/decision");
    let res = app.post_form(&path, &[("decision", "approve"), ("reason", "")]).await;
    assert_eq!(res.status(), 303, "approved");
    let client = new_client();
    app.sign_in_with(&client, &member).await;
    (client, id, m)
}

/// Delivers what is queued and returns the invites that arrived since `seen` messages.
async fn delivered(app: &TestApp, sink: &SmtpSink, seen: &mut usize) -> Vec<Invite> {
    app.dispatch_pending_emails().await;
    let all = sink.accepted();
    let new: Vec<Invite> = all[*seen..].iter().filter_map(|raw| invite_of(raw)).collect();
    *seen = all.len();
    for invite in &new {
        for canary in [AMBER_CANARY, RED_CANARY] {
            assert!(
                !invite.ics.contains(canary) && !invite.subject.contains(canary),
                "{canary} leaked: {}",
                invite.ics
            );
        }
    }
    new
}

#[tokio::test]
async fn invites_follow_the_attendee_through_approval_picks_releases_and_withdrawal() {
    let sink = SmtpSink::start();
    let app = spawn_app_with(|s| use_smtp(s, sink.port), |_| {}).await;
    let mut seen = 0;
    let (attendee, reg, m) = approved_through_the_queue(&app).await;

    // Approval: the meeting's REQUEST, all-day over its days (I9).
    let got = delivered(&app, &sink, &mut seen).await;
    assert_eq!(got.len(), 1);
    let meeting_invite = &got[0];
    assert_eq!(
        (meeting_invite.method.as_str(), meeting_invite.subject.as_str()),
        ("REQUEST", "Invitation: NatCSIRT 2026")
    );
    assert_eq!(meeting_invite.to, "ana@cert-at.example");
    assert_eq!(meeting_invite.prop("UID").as_deref(), Some(m.meeting_uid.as_str()));
    assert_eq!(meeting_invite.prop("DTSTART;VALUE=DATE").as_deref(), Some("20260620"));
    assert_eq!(meeting_invite.prop("DTEND;VALUE=DATE").as_deref(), Some("20260622"));
    let events = check_with_parsers(&meeting_invite.ics);
    if let Some(e) = events.first() {
        assert!(e.all_day && e.start == "2026-06-20" && e.end == "2026-06-22");
        assert_eq!(e.method.as_deref(), Some("REQUEST"));
    }

    // A session, published; picking it sends its REQUEST.
    let res = app
        .post_form(&format!("{EDITOR}/sessions"), &session_fields("Keynote", "TLP:AMBER", "09:00", "10:00"))
        .await;
    assert_eq!(res.status(), 303);
    publish_agenda(&app).await;
    let (_, sessions) = app.db.query(move |c| release::latest_sessions(c, m.id)).await.expect("release");
    let (sid, uid) = (sessions[0].session_id, sessions[0].uid.clone());
    let res = app.post_form_with(&attendee, &format!("/meetings/{SLUG}/sessions/{sid}/pick"), &[]).await;
    assert_eq!(res.status(), 303);
    let got = delivered(&app, &sink, &mut seen).await;
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].subject, "Invitation: [TLP:AMBER] Keynote", "the label stands in the subject (T1)");
    assert_eq!(got[0].prop("UID"), Some(uid.clone()));
    assert!(
        got[0].prop("DESCRIPTION").is_some_and(|d| d.starts_with("TLP:AMBER")),
        "the label leads DESCRIPTION"
    );
    let mut sequences = vec![got[0].sequence()];

    // Two draft edits, one release: one update with the new time (I5).
    let edit = format!("{EDITOR}/sessions/{sid}");
    app.post_form(&edit, &session_fields("Keynote", "TLP:AMBER", "09:30", "10:30")).await;
    app.post_form(&edit, &session_fields("Keynote", "TLP:AMBER", "11:00", "12:00")).await;
    assert!(delivered(&app, &sink, &mut seen).await.is_empty(), "draft edits send nothing");
    publish_agenda(&app).await;
    let got = delivered(&app, &sink, &mut seen).await;
    assert_eq!(got.len(), 1, "one update per release");
    assert_eq!(
        (got[0].method.as_str(), got[0].subject.as_str()),
        ("REQUEST", "Updated invitation: [TLP:AMBER] Keynote")
    );
    assert_eq!(got[0].prop("DTSTART").as_deref(), Some("20260620T170000Z"), "11:00 MDT");
    for e in check_with_parsers(&got[0].ics) {
        assert_eq!((e.start.as_str(), e.end.as_str()), ("2026-06-20T17:00:00Z", "2026-06-20T18:00:00Z"));
    }
    sequences.push(got[0].sequence());

    // Relabelled TLP:RED (and retitled): the update carries neither title nor abstract.
    let red_title = format!("Closed case {RED_CANARY}");
    app.post_form(&edit, &session_fields(&red_title, "TLP:RED", "11:00", "12:00")).await;
    publish_agenda(&app).await;
    let got = delivered(&app, &sink, &mut seen).await;
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].subject, "Updated invitation: TLP:RED session — details in the agenda");
    assert_eq!(got[0].prop("SUMMARY").as_deref(), Some("TLP:RED session — details in the agenda"));
    sequences.push(got[0].sequence());

    // Cancelled: METHOD:CANCEL with STATUS:CANCELLED (I6).
    app.post_form(&format!("{edit}/cancel"), &[("confirm", "yes")]).await;
    publish_agenda(&app).await;
    let got = delivered(&app, &sink, &mut seen).await;
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].method, "CANCEL");
    assert!(got[0].subject.starts_with("Cancelled: "));
    assert_eq!(got[0].prop("STATUS").as_deref(), Some("CANCELLED"));
    assert_eq!(got[0].prop("UID"), Some(uid.clone()));
    sequences.push(got[0].sequence());

    // Back on the agenda: the attendee who picked it is invited again.
    app.post_form(&format!("{edit}/reinstate"), &[]).await;
    publish_agenda(&app).await;
    let got = delivered(&app, &sink, &mut seen).await;
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].method, "REQUEST");
    sequences.push(got[0].sequence());
    assert!(sequences.windows(2).all(|w| w[0] < w[1]), "SEQUENCE strictly rises: {sequences:?}");
    let (_, now) = app.db.query(move |c| release::latest_sessions(c, m.id)).await.expect("release");
    let last = *sequences.last().expect("sequences");
    assert!(last >= i64::from(now[0].sequence), "never below the object's own ({})", now[0].sequence);

    // Withdrawal: a CANCEL without STATUS for the meeting and the session (I7).
    let res = app
        .post_form_with(&attendee, &format!("/me/registrations/{reg}/withdraw"), &[("confirm", "yes")])
        .await;
    assert_eq!(res.status(), 303, "withdrawn");
    let got = delivered(&app, &sink, &mut seen).await;
    let by_uid: BTreeMap<String, &Invite> = got.iter().map(|i| (i.prop("UID").expect("UID"), i)).collect();
    assert_eq!(by_uid.len(), 2, "the meeting and the session");
    for invite in by_uid.values() {
        assert_eq!(invite.method, "CANCEL");
        assert!(invite.prop("STATUS").is_none(), "an uninvite carries no STATUS");
        assert!(!invite.ics.contains("RSVP=TRUE"));
    }
    assert!(by_uid[&m.meeting_uid].sequence() > meeting_invite.sequence());
    assert!(by_uid[&uid].sequence() > *sequences.last().expect("sequences"));
}

#[tokio::test]
async fn unpicking_sends_a_cancel_to_that_attendee_alone_and_feed_only_attendees_get_no_mail() {
    let sink = SmtpSink::start();
    let app = spawn_app_with(|s| use_smtp(s, sink.port), |_| {}).await;
    let mut seen = 0;
    let (attendee, reg, _) = approved_through_the_queue(&app).await;
    delivered(&app, &sink, &mut seen).await;
    app.post_form(
        &format!("{EDITOR}/sessions"),
        &session_fields("Talk", "TLP:AMBER+STRICT", "09:00", "10:00"),
    )
    .await;
    publish_agenda(&app).await;
    let meeting_id = app.db.query(|c| meeting::by_slug(c, SLUG)).await.expect("meeting").id;
    let (_, sessions) =
        app.db.query(move |c| release::latest_sessions(c, meeting_id)).await.expect("release");
    let pick = format!("/meetings/{SLUG}/sessions/{}/pick", sessions[0].session_id);
    let unpick = pick.replace("/pick", "/unpick");

    app.post_form_with(&attendee, &pick, &[]).await;
    assert_eq!(delivered(&app, &sink, &mut seen).await.len(), 1);
    app.post_form_with(&attendee, &unpick, &[]).await;
    let got = delivered(&app, &sink, &mut seen).await;
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].method, "CANCEL");
    assert!(got[0].prop("STATUS").is_none());

    let choices = format!("/me/calendar/{reg}/choices");
    app.post_form_with(&attendee, &choices, &[("feed_scope", "all"), ("session_invites", "feed")]).await;
    app.post_form_with(&attendee, &pick, &[]).await;
    assert!(delivered(&app, &sink, &mut seen).await.is_empty(), "the attendee chose the feed only");
}

/// Once the attendee has a feed address, a new pick arrives in the feed and not also by
/// email unless they choose "both": the choice shown on their calendar page is the one used.
#[tokio::test]
async fn with_a_feed_address_new_picks_default_to_the_feed_only() {
    let sink = SmtpSink::start();
    let app = spawn_app_with(|s| use_smtp(s, sink.port), |_| {}).await;
    let mut seen = 0;
    let (attendee, reg, _) = approved_through_the_queue(&app).await;
    delivered(&app, &sink, &mut seen).await;
    app.post_form(
        &format!("{EDITOR}/sessions"),
        &session_fields("Talk", "TLP:AMBER+STRICT", "09:00", "10:00"),
    )
    .await;
    publish_agenda(&app).await;
    let meeting_id = app.db.query(|c| meeting::by_slug(c, SLUG)).await.expect("meeting").id;
    let (_, sessions) =
        app.db.query(move |c| release::latest_sessions(c, meeting_id)).await.expect("release");
    let pick = format!("/meetings/{SLUG}/sessions/{}/pick", sessions[0].session_id);
    let checked = |page: &str, value: &str| {
        page.contains(&format!("name=\"session_invites\" value=\"{value}\" checked"))
    };

    let page = app.page_with(&attendee, "/me/calendar").await;
    assert!(checked(&page, "both"), "without a feed, invites come by email too");
    let res = app.post_form_with(&attendee, &format!("/me/calendar/{reg}/feed"), &[]).await;
    assert_eq!(res.status(), 200);
    let page = app.page_with(&attendee, "/me/calendar").await;
    assert!(checked(&page, "feed") && !checked(&page, "both"), "with a feed, only in the feed");
    assert!(page.contains("show a session twice"), "the page warns of duplicates with both");

    app.post_form_with(&attendee, &pick, &[]).await;
    assert!(delivered(&app, &sink, &mut seen).await.is_empty(), "the pick is in the feed only");
    app.post_form_with(&attendee, &pick.replace("/pick", "/unpick"), &[]).await;
    let choices = format!("/me/calendar/{reg}/choices");
    app.post_form_with(&attendee, &choices, &[("feed_scope", "all"), ("session_invites", "both")]).await;
    app.post_form_with(&attendee, &pick, &[]).await;
    assert_eq!(delivered(&app, &sink, &mut seen).await.len(), 1, "chosen both: the email comes too");
}

#[tokio::test]
async fn changing_the_meeting_updates_and_cancelling_it_cancels_every_approved_calendar() {
    let sink = SmtpSink::start();
    let app = spawn_app_with(|s| use_smtp(s, sink.port), |_| {}).await;
    let mut seen = 0;
    approved_through_the_queue(&app).await;
    let first = delivered(&app, &sink, &mut seen).await.remove(0);
    let res =
        app.post_form(&format!("/admin/meetings/{SLUG}"), &meeting_form(&[("venue", "Another hall")])).await;
    assert_eq!(res.status(), 303);
    let got = delivered(&app, &sink, &mut seen).await;
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].subject, "Updated invitation: NatCSIRT 2026");
    assert!(got[0].prop("LOCATION").is_some_and(|l| l.contains("Another hall")));
    assert!(got[0].sequence() > first.sequence());
    let res = app
        .post_form(
            &format!("/admin/meetings/{SLUG}"),
            &meeting_form(&[("venue", "Another hall"), ("title", "NatCSIRT 2026 (renamed)")]),
        )
        .await;
    assert_eq!(res.status(), 303);
    assert!(delivered(&app, &sink, &mut seen).await.is_empty(), "a title alone is no calendar change");
    app.post_form(&format!("/admin/meetings/{SLUG}/cancel"), &[("confirm", "yes")]).await;
    let got = delivered(&app, &sink, &mut seen).await;
    assert_eq!(got.len(), 1);
    assert_eq!((got[0].method.as_str(), got[0].prop("STATUS").as_deref()), ("CANCEL", Some("CANCELLED")));
}

/// A session across the night the clocks go back: the invite says each time with its own
/// zone ("01:30 CEST – 03:30 CET"), not both with the end's, which would put the start an
/// hour off; a session after the change says its one zone once.
#[tokio::test]
async fn an_invite_across_a_dst_change_gives_each_time_its_own_zone() {
    let app = crate::helpers::spawn_app().await;
    let a = crate::fixtures::approved_attendee(&app, &crate::fixtures::COPENHAGEN_AUTUMN).await;
    crate::fixtures::add_session(&app, "Night shift", "TLP:CLEAR", "2026-10-25", ("01:30", "03:30"), "")
        .await;
    crate::fixtures::add_session(&app, "Morning", "TLP:CLEAR", "2026-10-25", ("09:00", "10:00"), "").await;
    crate::fixtures::publish_agenda(&app).await;
    let meeting_id = a.meeting.id;
    let (_, sessions) =
        app.db.query(move |c| release::latest_sessions(c, meeting_id)).await.expect("release");
    for s in &sessions {
        let res = app
            .post_form_with(&a.client, &format!("/meetings/{SLUG}/sessions/{}/pick", s.session_id), &[])
            .await;
        assert_eq!(res.status(), 303);
    }
    app.dispatch_pending_emails().await;
    let mails = app.emails();
    let body = |subject: &str| {
        let mail = mails.iter().find(|m| m.subject() == Some(subject)).expect(subject);
        mail.body_text(0).expect("text").replace("\r\n", "\n")
    };
    let night = body("Invitation: [TLP:CLEAR] Night shift");
    assert!(night.contains("When: Sun 25 October 2026, 01:30 CEST – 03:30 CET\n"), "{night}");
    let morning = body("Invitation: [TLP:CLEAR] Morning");
    assert!(morning.contains("When: Sun 25 October 2026, 09:00 – 10:00 CET\n"), "{morning}");
}
