//! Speakers as accounts (issue 17, point 3): an accepted proposal's speakers are linked to
//! their registrations; the editor ticks registered people or types outside guests. A
//! registered speaker gets the session's invite when it is published and its updates, in
//! the same SEQUENCE stream as a pick of it (one invite, not two), unless they chose the
//! feed only; a removed speaker gets a CANCEL; a guest with an address gets a plain mail
//! without a calendar, and another when taken off; a speaker who withdrew or was revoked is
//! a warning for organizers.

use csirt_meet::{
    db::schema::{session_speakers, sessions},
    domain::registration::Status,
};
use diesel::{ExpressionMethods as _, QueryDsl as _, RunQueryDsl as _};
use mail_parser::{Message, MimeHeaders as _};

use crate::{
    fixtures::{
        EDITOR, Registration, SLUG, Team, colleague, create_meeting, decide, open_call, proposal_form,
        propose, publish_agenda, signed_in_attendee,
    },
    helpers::{TestApp, ical_parsers::check_with_parsers, location, new_client, refused_with, spawn_app},
};

/// One delivered message as a speaker receives it.
#[derive(Debug)]
struct Got {
    to: String,
    subject: String,
    text: String,
    html: String,
    /// The MIME `method=` of its calendar part, and the calendar; none for plain mail.
    calendar: Option<(String, String)>,
    attachments: usize,
}

impl Got {
    fn prop(&self, name: &str) -> Option<String> {
        let (_, ics) = self.calendar.as_ref()?;
        let unfolded = ics.replace("\r\n ", "");
        unfolded.lines().find_map(|l| l.strip_prefix(&format!("{name}:")).map(str::to_owned))
    }

    /// (METHOD, UID, SEQUENCE), as both independent parsers read them when installed.
    fn event(&self) -> (String, String, i64) {
        let (method, ics) = self.calendar.as_ref().expect("a calendar part");
        let uid = self.prop("UID").expect("a UID");
        let sequence: i64 = self.prop("SEQUENCE").and_then(|s| s.parse().ok()).expect("a SEQUENCE");
        for e in check_with_parsers(ics) {
            assert_eq!(
                (e.method.as_deref(), e.uid.as_str(), e.sequence),
                (Some(method.as_str()), uid.as_str(), sequence)
            );
        }
        (method.clone(), uid, sequence)
    }
}

fn got(m: &Message<'static>) -> Got {
    let calendar = m.parts.iter().find_map(|p| {
        let ct = p.content_type()?;
        (ct.ctype() == "text" && ct.subtype() == Some("calendar")).then(|| {
            let method = ct.attribute("method").unwrap_or_default().to_owned();
            (method, String::from_utf8_lossy(p.contents()).into_owned())
        })
    });
    Got {
        to: m.to().and_then(|t| t.first()).and_then(|a| a.address()).unwrap_or_default().to_owned(),
        subject: m.subject().unwrap_or_default().to_owned(),
        text: m.body_text(0).unwrap_or_default().into_owned(),
        html: m.body_html(0).unwrap_or_default().into_owned(),
        calendar,
        attachments: m.attachment_count(),
    }
}

/// Delivers what is queued; the messages since the last call.
async fn delivered(app: &TestApp, seen: &mut usize) -> Vec<Got> {
    app.dispatch_pending_emails().await;
    let all = app.emails();
    let new = all[*seen..].iter().map(got).collect();
    *seen = all.len();
    new
}

fn to<'a>(mails: &'a [Got], address: &str) -> Vec<&'a Got> {
    mails.iter().filter(|m| m.to == address).collect()
}

/// The organizer, the Denver meeting and two approved members of CERT Austria, each
/// signed in: Ana and Bo (registration ids and clients).
struct Speakers {
    app: TestApp,
    ana: (i64, reqwest::Client),
    bo: (i64, reqwest::Client),
}

async fn set_up() -> Speakers {
    let app = spawn_app().await;
    app.login_as_organizer().await;
    let meeting = create_meeting(&app, &[]).await;
    let team = Team::austria().insert(&app).await;
    let mut people = Vec::new();
    for email in ["ana@cert-at.example", "bo@cert-at.example"] {
        let (_, client, id) =
            signed_in_attendee(&app, meeting.id, team, email, Registration::new(Status::Approved)).await;
        people.push((id, client));
    }
    let bo = people.pop().expect("Bo");
    let ana = people.pop().expect("Ana");
    Speakers { app, ana, bo }
}

/// The session form with `speakers` ticked (registration ids) and `guests` typed.
fn session_form<'a>(
    title: &'a str,
    tlp: &'a str,
    starts: &'a str,
    speakers: &'a [String],
    guests: &'a str,
) -> Vec<(&'a str, &'a str)> {
    let mut fields = vec![
        ("title", title),
        ("abstract_text", ""),
        ("kind", "talk"),
        ("track", ""),
        ("room", ""),
        ("day", "2026-06-20"),
        ("starts", starts),
        ("ends", "17:00"),
        ("speakers", guests),
        ("tlp", tlp),
    ];
    fields.extend(speakers.iter().map(|id| ("speaker", id.as_str())));
    fields
}

/// Adds a session through the editor; returns its id.
async fn add(app: &TestApp, fields: &[(&str, &str)]) -> i64 {
    let res = app.post_form(&format!("{EDITOR}/sessions"), fields).await;
    assert_eq!(location(&res), format!("{EDITOR}?done=session-saved"));
    app.db
        .query(|c| sessions::table.select(sessions::id).order(sessions::id.desc()).first(c))
        .await
        .expect("a session")
}

async fn edit(app: &TestApp, id: i64, fields: &[(&str, &str)]) {
    let res = app.post_form(&format!("{EDITOR}/sessions/{id}"), fields).await;
    assert_eq!(location(&res), format!("{EDITOR}?done=session-saved"));
}

#[tokio::test]
async fn an_accepted_proposal_links_the_proposer_and_confirmed_co_speakers_to_their_registrations() {
    let app = spawn_app().await;
    let a = open_call(&app, &[]).await;
    let bo = colleague(&app, &a.meeting, "Bo Lind", "bo@cert-at.example", true).await;
    let id = propose(&app, &a.client, &proposal_form(&[("speakers", &bo.to_string())])).await;
    app.dispatch_pending_emails().await;
    let link = app
        .emails()
        .iter()
        .find_map(|m| {
            let text = m.body_text(0)?.into_owned();
            text.find("/speakers/")
                .map(|at| text[at..].split_whitespace().next().unwrap_or_default().to_owned())
        })
        .expect("Bo is asked to confirm");
    assert_eq!(app.post_form_with(&new_client(), &link, &[]).await.status(), 200);
    let decision = format!("/admin/meetings/{SLUG}/proposals/{id}/decision");
    assert_eq!(app.post_form(&decision, &[("decision", "accept"), ("message", "")]).await.status(), 303);

    let linked: Vec<(String, Option<i64>)> = app
        .db
        .query(|c| {
            session_speakers::table
                .order(session_speakers::position)
                .select((session_speakers::name, session_speakers::registration_id))
                .load(c)
        })
        .await
        .expect("speakers");
    assert_eq!(
        linked,
        [("Test Person".to_owned(), Some(a.registration_id)), ("Bo Lind".to_owned(), Some(bo))]
    );
    // The editor's form shows them ticked among the meeting's registered people.
    let session_id: i64 =
        app.db.query(|c| sessions::table.select(sessions::id).first(c)).await.expect("the draft session");
    let form = app.get(&format!("{EDITOR}/sessions/{session_id}")).await.text().await.expect("body");
    for reg in [a.registration_id, bo] {
        assert!(form.contains(&format!(r#"name="speaker" value="{reg}" checked"#)), "{reg} ticked: {form}");
    }
    assert!(form.contains("Bo Lind (CERT Austria)"), "{form}");
}

#[tokio::test]
async fn publishing_invites_each_registered_speaker_once_and_a_change_rises_in_the_same_stream_as_their_pick()
{
    let s = set_up().await;
    let (app, mut seen) = (&s.app, 0);
    delivered(app, &mut seen).await;
    let ids = [s.ana.0.to_string(), s.bo.0.to_string()];
    let id = add(app, &session_form("Sharing at scale", "TLP:GREEN", "16:00", &ids, "")).await;
    publish_agenda(app).await;

    let mails = delivered(app, &mut seen).await;
    let (ana, bo) = (to(&mails, "ana@cert-at.example"), to(&mails, "bo@cert-at.example"));
    assert_eq!((ana.len(), bo.len()), (1, 1), "one invite each: {mails:#?}");
    let (method, uid, first) = ana[0].event();
    assert_eq!((method.as_str(), first), ("REQUEST", 0));
    assert!(ana[0].subject.starts_with("Invitation: [TLP:GREEN] Sharing at scale"), "{}", ana[0].subject);
    assert_eq!(bo[0].event().1, uid, "the session's one UID");
    // The page shows the speakers with their team.
    let page = app.page_with(&s.ana.1, &format!("/meetings/{SLUG}/sessions/{id}")).await;
    assert!(page.contains("Test Person (CERT Austria)"), "{page}");

    // Ana also picks it: her calendar holds it already, so nothing is sent.
    let res = app.post_form_with(&s.ana.1, &format!("/meetings/{SLUG}/sessions/{id}/pick"), &[]).await;
    assert_eq!(res.status(), 303);
    assert!(delivered(app, &mut seen).await.is_empty(), "no second invite for a speaker who picks");

    // A move: one update, above the first, in the same stream.
    edit(app, id, &session_form("Sharing at scale", "TLP:GREEN", "15:00", &ids, "")).await;
    publish_agenda(app).await;
    let mails = delivered(app, &mut seen).await;
    let ana = to(&mails, "ana@cert-at.example");
    assert_eq!(ana.len(), 1, "{mails:#?}");
    let (method, same_uid, next) = ana[0].event();
    assert_eq!((method.as_str(), same_uid.as_str()), ("REQUEST", uid.as_str()));
    assert!(next > first, "SEQUENCE rose: {first} → {next}");
    assert!(ana[0].subject.starts_with("Updated invitation:"), "{}", ana[0].subject);

    // Unpicking leaves a speaker's invite where it is.
    let res = app.post_form_with(&s.ana.1, &format!("/meetings/{SLUG}/sessions/{id}/unpick"), &[]).await;
    assert_eq!(res.status(), 303);
    assert!(delivered(app, &mut seen).await.is_empty(), "a speaker keeps the session");
}

#[tokio::test]
async fn a_feed_only_speaker_gets_no_mail_and_a_removed_speaker_gets_a_cancel_alone() {
    let s = set_up().await;
    let (app, mut seen) = (&s.app, 0);
    let choices = [("feed_scope", "all"), ("session_invites", "feed")];
    let res = app.post_form_with(&s.bo.1, &format!("/me/calendar/{}/choices", s.bo.0), &choices).await;
    assert_eq!(res.status(), 303, "Bo chooses the feed only");
    delivered(app, &mut seen).await;
    let both = [s.ana.0.to_string(), s.bo.0.to_string()];
    let id = add(app, &session_form("Sharing at scale", "TLP:GREEN", "16:00", &both, "")).await;
    publish_agenda(app).await;
    let mails = delivered(app, &mut seen).await;
    assert_eq!(to(&mails, "ana@cert-at.example").len(), 1);
    assert!(to(&mails, "bo@cert-at.example").is_empty(), "feed only: no mail for Bo: {mails:#?}");

    // Ana is taken off the session: a CANCEL to her alone, without STATUS (I7).
    let (_, uid, first) = to(&mails, "ana@cert-at.example")[0].event();
    edit(app, id, &session_form("Sharing at scale", "TLP:GREEN", "16:00", &[s.bo.0.to_string()], "")).await;
    publish_agenda(app).await;
    let mails = delivered(app, &mut seen).await;
    assert_eq!(mails.len(), 1, "{mails:#?}");
    assert_eq!(mails[0].to, "ana@cert-at.example");
    let (method, same_uid, sequence) = mails[0].event();
    assert_eq!((method.as_str(), same_uid.as_str()), ("CANCEL", uid.as_str()));
    assert!(sequence > first);
    assert_eq!(mails[0].prop("STATUS"), None, "taking one attendee off carries no STATUS");
    assert!(mails[0].subject.starts_with("Removed from your calendar:"), "{}", mails[0].subject);
}

#[tokio::test]
async fn an_outside_guest_gets_a_plain_mail_without_a_calendar_and_never_a_red_title() {
    let s = set_up().await;
    let (app, mut seen) = (&s.app, 0);
    delivered(app, &mut seen).await;
    let title = "Kept quiet RED-SPEAKER-7731";
    let bad = session_form(title, "TLP:RED", "16:00", &[], "Gil Guest (Partner CERT) <not an address>");
    refused_with(
        app.post_form(&format!("{EDITOR}/sessions"), &bad).await,
        &[("speakers", "is not an email address")],
    )
    .await;
    let stranger = ["999999".to_owned()];
    let form = session_form(title, "TLP:RED", "16:00", &stranger, "");
    refused_with(
        app.post_form(&format!("{EDITOR}/sessions"), &form).await,
        &[("speaker", "Choose speakers among the people registered for the meeting.")],
    )
    .await;
    let count: i64 = app.db.query(|c| sessions::table.count().get_result(c)).await.expect("count");
    assert_eq!(count, 0, "nothing written");

    let guest = "Gil Guest (Partner CERT) <gil@partner.example>";
    let id = add(app, &session_form(title, "TLP:RED", "16:00", &[], guest)).await;
    let form = app.get(&format!("{EDITOR}/sessions/{id}")).await.text().await.expect("body");
    assert!(
        form.contains("Gil Guest (Partner CERT) &lt;gil@partner.example&gt;"),
        "the guest as typed: {form}"
    );
    publish_agenda(app).await;
    let mails = delivered(app, &mut seen).await;
    let gil = to(&mails, "gil@partner.example");
    assert_eq!(gil.len(), 1, "{mails:#?}");
    assert!(gil[0].calendar.is_none() && gil[0].attachments == 0, "a plain mail: {:#?}", gil[0]);
    assert_eq!(gil[0].subject, "[TLP:RED] Your session at NatCSIRT 2026");
    assert!(!gil[0].text.contains("RED-SPEAKER"), "{}", gil[0].text);
    assert!(gil[0].text.contains("TLP:RED session — details in the agenda"), "{}", gil[0].text);
    let page = app.page_with(&s.ana.1, &format!("/meetings/{SLUG}/agenda")).await;
    assert!(page.contains("Gil Guest (Partner CERT)") && !page.contains("gil@partner.example"), "{page}");

    // Cancelled: a plain notice again, still without the title.
    let res = app.post_form(&format!("{EDITOR}/sessions/{id}/cancel"), &[("confirm", "yes")]).await;
    assert_eq!(location(&res), format!("{EDITOR}?done=session-cancelled"));
    publish_agenda(app).await;
    let mails = delivered(app, &mut seen).await;
    let gil = to(&mails, "gil@partner.example");
    assert_eq!(gil.len(), 1);
    assert_eq!(gil[0].subject, "Cancelled: [TLP:RED] your session at NatCSIRT 2026");
    assert!(gil[0].calendar.is_none() && !gil[0].text.contains("RED-SPEAKER"));
}

#[tokio::test]
async fn an_outside_guest_taken_off_a_published_session_gets_a_plain_mail_once_without_a_red_title() {
    let s = set_up().await;
    let (app, mut seen) = (&s.app, 0);
    delivered(app, &mut seen).await;
    let title = "Kept quiet RED-SPEAKER-4410";
    let (gil, hana) = ("gil@partner.example", "hana@partner.example");
    let both = "Gil Guest (Partner CERT) <Gil@Partner.example>\nHana Host <hana@partner.example>";
    let id = add(app, &session_form(title, "TLP:RED", "16:00", &[], both)).await;
    publish_agenda(app).await;
    let mails = delivered(app, &mut seen).await;
    assert_eq!(mails.len(), 2, "each guest's notice: {mails:#?}");

    // Gil is taken off: a plain mail says so, without the title; Hana gets the usual notice.
    let hana_only = "Hana Host <hana@partner.example>";
    edit(app, id, &session_form(title, "TLP:RED", "16:00", &[], hana_only)).await;
    publish_agenda(app).await;
    let mails = delivered(app, &mut seen).await;
    let (removed, kept) = (to(&mails, gil), to(&mails, hana));
    assert_eq!((removed.len(), kept.len(), mails.len()), (1, 1, 2), "{mails:#?}");
    let m = removed[0];
    assert_eq!(m.subject, "[TLP:RED] You are no longer listed as a speaker at NatCSIRT 2026");
    assert!(m.calendar.is_none() && m.attachments == 0, "a plain mail: {m:#?}");
    for part in [&m.text, &m.html] {
        let flat = part.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(flat.contains("you are no longer listed as one of its speakers"), "{part}");
        assert!(part.contains("TLP:RED session — details in the agenda"), "T1's placeholder: {part}");
        assert!(!part.contains("RED-SPEAKER"), "T1: no RED title: {part}");
    }
    assert!(kept[0].subject.starts_with("[TLP:RED] Your session at"), "{}", kept[0].subject);

    // Told once: a later change of the session sends Gil nothing more.
    edit(app, id, &session_form(title, "TLP:RED", "15:00", &[], hana_only)).await;
    publish_agenda(app).await;
    let mails = delivered(app, &mut seen).await;
    assert_eq!((mails.len(), to(&mails, hana).len()), (1, 1), "Hana's notice only: {mails:#?}");
}

#[tokio::test]
async fn a_speaker_who_withdraws_or_is_revoked_is_a_warning_on_the_dashboard_and_in_the_editor() {
    let s = set_up().await;
    let app = &s.app;
    let both = [s.ana.0.to_string(), s.bo.0.to_string()];
    add(app, &session_form("Sharing at scale", "TLP:GREEN", "16:00", &both, "")).await;
    let dashboard = app.get("/admin").await.text().await.expect("body");
    assert!(!dashboard.contains("but still speaks"), "{dashboard}");

    let res = app
        .post_form_with(&s.ana.1, &format!("/me/registrations/{}/withdraw", s.ana.0), &[("confirm", "yes")])
        .await;
    assert_eq!(location(&res), "/me?done=withdrawn");
    assert_eq!(decide(app, s.bo.0, "revoke", "Left the team").await.status(), 303);

    let dashboard = app.get("/admin").await.text().await.expect("body");
    assert!(dashboard.contains("Test Person (CERT Austria) is withdrawn but still speaks"), "{dashboard}");
    assert!(dashboard.contains("Test Person (CERT Austria) is revoked but still speaks"), "{dashboard}");
    assert!(dashboard.contains(&format!(r#"href="/admin/meetings/{SLUG}/agenda""#)));
    let editor = app.get(EDITOR).await.text().await.expect("body");
    assert!(editor.contains("is withdrawn but still a speaker of"), "{editor}");
    assert!(editor.contains("is revoked but still a speaker of"), "{editor}");

    // Once the organizer changes the speakers, the warnings go.
    let id: i64 = app.db.query(|c| sessions::table.select(sessions::id).first(c)).await.expect("session");
    edit(app, id, &session_form("Sharing at scale", "TLP:GREEN", "16:00", &[], "Cy Mo (CERT Austria)")).await;
    let editor = app.get(EDITOR).await.text().await.expect("body");
    assert!(!editor.contains("but still a speaker of"), "{editor}");
}
