//! Calendar invites by email (iMIP, docs/CALENDAR.md I1–I9): one message per recipient, queued in
//! the caller's transaction. Each message to an attendee about a UID carries a SEQUENCE above
//! the last one they received (`models::invite_sequence`), which also records whether
//! their calendar holds the object, so later updates and cancellations reach exactly the
//! people who hold it. A session's registered speakers share that stream with its pickers
//! (one stream per person and UID): a speaker who also picks it gets one invite, and an
//! unpick leaves a speaker's invite in place.

use chrono_tz::Tz;
use diesel::QueryResult;
use serde::Serialize;

use super::{DeliveryError, objects, speakers};
use crate::{
    calendar::{self, CalendarEvent, InviteKind, Person, When},
    db::DbConnection,
    domain::{
        agenda::changes::SessionChange, email::Email, local_time, schedule::Span, speaker,
        states::MeetingStatus, tlp::Tlp,
    },
    email::{CalendarPart, Composer, Mail},
    models::{
        agenda::{
            pick,
            release::{self, ReleasedSession},
        },
        calendar_settings, invite_sequence,
        meeting::{self, Meeting},
        outbox, registration,
    },
};

/// Who receives a message: their registration, address and name.
struct Recipient {
    registration_id: i64,
    email: String,
    name: String,
}

fn recipient(c: &mut DbConnection, registration_id: i64) -> QueryResult<Recipient> {
    let (email, name) = registration::address_and_name(c, registration_id)?;
    Ok(Recipient { registration_id, email, name })
}

#[derive(Serialize)]
struct InviteEmail<'a> {
    subject: &'a str,
    summary: &'a str,
    when: String,
    location: &'a str,
    cancelled: bool,
    meeting: &'a str,
    /// The agenda page, where the full details are for those signed in.
    link: String,
}

/// "Sat 20 June 2026, 09:00 – 10:30 MDT", "Sun 8 March 2026, 01:30 MST – 03:30 MDT" across
/// a DST change (`schedule::Span`), or "Sat 20 June – Sun 21 June 2026".
fn when_text(when: &When, zone: Tz) -> String {
    match *when {
        When::Timed { start, end } => Span::new(start.naive_utc(), end.naive_utc(), zone, true).to_string(),
        When::AllDay { first, last } if first == last => first.format("%a %-d %B %Y").to_string(),
        When::AllDay { first, last } => {
            format!("{} – {}", first.format("%a %-d %B"), last.format("%a %-d %B %Y"))
        }
    }
}

/// Queues one invite message about `event` to `to`; `label` is the session's TLP label.
fn send(
    c: &mut DbConnection,
    mail: &Composer,
    m: &Meeting,
    to: &Recipient,
    event: &CalendarEvent,
    kind: InviteKind,
    label: Option<Tlp>,
) -> Result<(), DeliveryError> {
    let now = mail.now();
    let held = matches!(kind, InviteKind::Invitation | InviteKind::Update);
    let own = i32::try_from(event.sequence).unwrap_or(i32::MAX);
    let sequence = invite_sequence::next(c, to.registration_id, &event.uid, own, held)?;
    let mailbox = mail.settings().reply_to_mailbox();
    let organizer = Person {
        email: Email::parse(mailbox.email.as_ref())?,
        name: mailbox.name.clone().unwrap_or_default(),
    };
    let attendee = Person { email: Email::parse(&to.email)?, name: to.name.clone() };
    let ics = calendar::invite(kind, event, &organizer, &attendee, i64::from(sequence), now)?;
    let subject = calendar::subject(kind, event, label);
    let zone = local_time::parse_zone(&m.time_zone).unwrap_or(chrono_tz::UTC);
    let data = InviteEmail {
        subject: &subject,
        summary: &event.summary,
        when: when_text(&event.when, zone),
        location: event.location.as_deref().unwrap_or(""),
        cancelled: !held,
        meeting: &m.title,
        link: mail.link(&format!("/meetings/{}/agenda", m.slug)),
    };
    let rendered = mail.render("calendar_invite", &data)?;
    let message = Mail {
        to: to.email.clone(),
        rendered,
        calendar: Some(CalendarPart { method: kind.method().as_str().to_owned(), ics }),
        idempotency_key: format!("invite:{}:{}:{sequence}", to.registration_id, event.uid),
    };
    outbox::enqueue(c, &mail.row(message))?;
    Ok(())
}

/// The meeting's invite to one attendee: on approval (`Invitation`) or when they leave
/// (`Uninvite`).
pub fn meeting_to(
    c: &mut DbConnection,
    mail: &Composer,
    registration_id: i64,
    kind: InviteKind,
) -> Result<(), DeliveryError> {
    let to = recipient(c, registration_id)?;
    let meeting_id = registration::meeting_of(c, registration_id)?;
    let m = meeting::find(c, meeting_id)?;
    let event = objects::meeting(&m)?;
    send(c, mail, &m, &to, &event, kind, None)
}

fn session_event(s: &ReleasedSession) -> Result<(CalendarEvent, Option<Tlp>), DeliveryError> {
    let event = objects::session(s)?;
    Ok((event, Some(s.tlp)))
}

/// A picked session's invite (`Invitation`, when the attendee wants invites by email and
/// their calendar does not hold it yet, as a speaker's may) or its removal (`Uninvite`,
/// when their calendar holds it and they do not speak at it).
pub fn session_to(
    c: &mut DbConnection,
    mail: &Composer,
    registration_id: i64,
    session_id: i64,
    kind: InviteKind,
) -> Result<(), DeliveryError> {
    let meeting_id = registration::meeting_of(c, registration_id)?;
    let (_, sessions) = release::latest_sessions(c, meeting_id)?;
    let Some(s) = sessions.iter().find(|s| s.session_id == session_id) else { return Ok(()) };
    let holds = invite_sequence::held_by(c, registration_id)?.contains(&s.uid);
    let wanted = match kind {
        InviteKind::Invitation => {
            !holds && calendar_settings::get(c, registration_id)?.invites_by_email() && !s.is_cancelled()
        }
        InviteKind::Uninvite => holds && !s.speaker_ids().contains(&registration_id),
        _ => holds,
    };
    if !wanted {
        return Ok(());
    }
    let m = meeting::find(c, meeting_id)?;
    let (event, label) = session_event(s)?;
    let to = recipient(c, registration_id)?;
    send(c, mail, &m, &to, &event, kind, label)
}

/// On approval: the sessions of the latest release at which the person speaks, as their
/// picks would be (unless "feed only", or their calendar holds one already).
pub fn spoken_sessions_to(
    c: &mut DbConnection,
    mail: &Composer,
    registration_id: i64,
) -> Result<(), DeliveryError> {
    let meeting_id = registration::meeting_of(c, registration_id)?;
    let (_, sessions) = release::latest_sessions(c, meeting_id)?;
    for s in sessions.iter().filter(|s| s.speaker_ids().contains(&registration_id)) {
        session_to(c, mail, registration_id, s.session_id, InviteKind::Invitation)?;
    }
    Ok(())
}

/// After a release: every holder of a changed session gets its update, or its
/// cancellation (STATUS:CANCELLED) when the session was cancelled — one message per
/// release, however many draft edits preceded it. Pickers and registered speakers who do
/// not hold it yet (a new session, a new speaker, back after a cancellation) get their
/// first REQUEST unless they chose the feed only; a holder who neither picks it nor speaks
/// any more (a removed speaker) gets a CANCEL to them alone (I7). Outside guests with an
/// address get a plain notice (`speakers`).
pub fn after_release(
    c: &mut DbConnection,
    mail: &Composer,
    meeting_id: i64,
    changes: &[SessionChange],
) -> Result<(), DeliveryError> {
    let m = meeting::find(c, meeting_id)?;
    let (_, sessions) = release::latest_sessions(c, meeting_id)?;
    let still_approved = registration::approved_ids(c, meeting_id)?;
    for change in changes {
        let Some(s) = sessions.iter().find(|s| s.session_id == change.session_id) else { continue };
        let (event, label) = session_event(s)?;
        let holders = invite_sequence::holders(c, &s.uid)?;
        speakers::guests_after_release(c, mail, &m, s)?;
        if s.is_cancelled() {
            for holder in holders.iter().filter(|h| still_approved.contains(h)) {
                let to = recipient(c, *holder)?;
                send(c, mail, &m, &to, &event, InviteKind::Cancel, label)?;
            }
            continue;
        }
        let pickers = pick::pickers(c, s.session_id)?;
        let mut by_email = Vec::new();
        for id in pickers.iter().chain(&s.speaker_ids()) {
            if calendar_settings::get(c, *id)?.invites_by_email() {
                by_email.push(*id);
            }
        }
        let audience = speaker::audience(&holders, &pickers, &s.speaker_ids(), &still_approved, |id| {
            by_email.contains(&id)
        });
        let messages = [
            (audience.update, InviteKind::Update),
            (audience.uninvite, InviteKind::Uninvite),
            (audience.invite, InviteKind::Invitation),
        ];
        for (people, kind) in messages {
            for id in people {
                let to = recipient(c, id)?;
                send(c, mail, &m, &to, &event, kind, label)?;
            }
        }
    }
    Ok(())
}

/// After the meeting changed: when its calendar SEQUENCE rose (dates, city, venue,
/// status), every approved attendee gets the update, or the cancellation (I9).
pub fn after_meeting_change(
    c: &mut DbConnection,
    mail: &Composer,
    before: &Meeting,
) -> Result<(), DeliveryError> {
    let m = meeting::find(c, before.id)?;
    if m.meeting_sequence == before.meeting_sequence {
        return Ok(());
    }
    let event = objects::meeting(&m)?;
    let kind = match (event.status, before.status == MeetingStatus::Cancelled) {
        (calendar::EventStatus::Cancelled, _) => InviteKind::Cancel,
        (_, true) => InviteKind::Invitation,
        _ => InviteKind::Update,
    };
    for id in registration::approved_ids(c, m.id)? {
        let to = recipient(c, id)?;
        send(c, mail, &m, &to, &event, kind, None)?;
    }
    Ok(())
}

/// The attendee leaves (withdrawn, revoked): a CANCEL without STATUS for the meeting and
/// every session their calendar holds (I7).
pub fn uninvite_all(
    c: &mut DbConnection,
    mail: &Composer,
    registration_id: i64,
) -> Result<(), DeliveryError> {
    let held = invite_sequence::held_by(c, registration_id)?;
    if held.is_empty() {
        return Ok(());
    }
    let meeting_id = registration::meeting_of(c, registration_id)?;
    let m = meeting::find(c, meeting_id)?;
    let to = recipient(c, registration_id)?;
    let (_, sessions) = release::latest_sessions(c, meeting_id)?;
    for uid in held {
        if uid == m.meeting_uid {
            let event = objects::meeting(&m)?;
            send(c, mail, &m, &to, &event, InviteKind::Uninvite, None)?;
        } else if let Some(s) = sessions.iter().find(|s| s.uid == uid) {
            let (event, label) = session_event(s)?;
            send(c, mail, &m, &to, &event, InviteKind::Uninvite, label)?;
        }
    }
    Ok(())
}
