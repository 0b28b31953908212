//! An organizer's decision about a registration and an attendee's pick of a session, with
//! everything each causes, written in the caller's transaction: the new state, its audit
//! row, its email and the calendar invites (docs/CALENDAR.md I7, I9). The organizer's and
//! the attendee's routes call these, and so does `csirt-meet demo`, so that the demo's
//! people receive what a person's actions would send them (a first REQUEST with SEQUENCE 0,
//! never an update of an event they were never sent). A decision that frees a place of the
//! team offers it to the team's waitlist (`offers`).

pub mod endorsements;
pub mod offers;
pub mod reminders;

use serde::Serialize;

use crate::{
    calendar::InviteKind,
    db::DbConnection,
    delivery::invites,
    domain::{
        agenda::NotPickable,
        endorsement as endorsement_rules,
        registration::{self as rules, Decision, Status, TransitionError},
    },
    email::Composer,
    error::AppError,
    models::{
        agenda::{pick, release},
        audit, calendar_settings, endorsement, feed_token,
        meeting::Meeting,
        outbox, registration, team,
    },
};

/// Whom a decision is about: the registration and the person who receives the email.
pub struct Target {
    pub id: i64,
    pub name: String,
    pub email: String,
}

#[derive(Serialize)]
struct DecisionMail {
    name: String,
    meeting: String,
    status: &'static str,
    reason: Option<String>,
    next: &'static str,
    link: String,
}

/// What happens next, worded for an email: the page's own wording points at the page.
fn next_in_mail(to: Status) -> &'static str {
    match to {
        Status::Approved => {
            "You can attend. A calendar invitation for the meeting days comes in a separate email. The agenda and your calendar links are on your registration page."
        }
        Status::Rejected => {
            "You cannot attend this meeting. If you have questions, reply to this email: your reply goes to the organizers."
        }
        Status::Revoked => {
            "You cannot attend this meeting any more. The meeting and its sessions are removed from your calendar: you receive a separate email about this. If you have questions, reply to this email: your reply goes to the organizers."
        }
        other => other.next_step(),
    }
}

/// Applies `decision` by `actor` to the registration `target` of meeting `m`, in the
/// caller's transaction, which it makes hold the team's lock so that approvals never pass
/// the team's cap even when many run at once. The outer error is a failure; the inner one
/// a refusal the organizer reads (and nothing was written). The caller wakes the outbox
/// worker after committing.
pub fn decide(
    c: &mut DbConnection,
    mail: &Composer,
    actor: i64,
    m: &Meeting,
    target: &Target,
    decision: Decision,
    reason: Option<&str>,
) -> Result<Result<Status, TransitionError>, AppError> {
    decide_noting(c, mail, (actor, None), m, target, decision, reason)
}

/// An organizer's or reviewer's decision (the review's pages, bulk and the API): when the
/// meeting requires endorsement (`domain::endorsement::approval_needs_reason`), approving a
/// registration its team's contacts did not endorse needs `reason`, which then goes to the
/// audit row with the decision (never to the registration, whose reason the person reads);
/// without one the inner error says where it stands and nothing is written. Otherwise as
/// [`decide_noting`]. The check runs under the team's lock, as a contact's answer does.
pub fn decide_reviewed(
    c: &mut DbConnection,
    mail: &Composer,
    (actor, via): (i64, Option<&str>),
    m: &Meeting,
    target: &Target,
    decision: Decision,
    reason: Option<&str>,
) -> Result<Result<Status, TransitionError>, AppError> {
    if decision == Decision::Approve && m.endorsement == endorsement_rules::Mode::Required {
        let team_id = registration::find(c, target.id)?.team_id;
        registration::lock_team(c, team_id)?;
        let standing = endorsement::standing(c, target.id)?;
        if endorsement_rules::approval_needs_reason(m.endorsement, &standing) {
            let Some(why) = reason.filter(|r| !r.trim().is_empty()) else {
                return Ok(Err(TransitionError::NotEndorsed { standing: standing.summary() }));
            };
            let mut note = format!("without endorsement ({}), because: {why}", standing.summary());
            if let Some(via) = via {
                note.push_str(&format!("; {via}"));
            }
            return decide_noting(c, mail, (actor, Some(&note)), m, target, decision, None);
        }
    }
    decide_noting(c, mail, (actor, via), m, target, decision, reason)
}

/// [`decide`], with `via` (how the actor acted, "via API token “sync”") added to the audit
/// row's detail.
pub fn decide_noting(
    c: &mut DbConnection,
    mail: &Composer,
    (actor, via): (i64, Option<&str>),
    m: &Meeting,
    target: &Target,
    decision: Decision,
    reason: Option<&str>,
) -> Result<Result<Status, TransitionError>, AppError> {
    let (id, now) = (target.id, mail.now().naive_utc());
    let team_id = registration::find(c, id)?.team_id;
    registration::lock_team(c, team_id)?;
    // Read again under the lock: another decision may have come first.
    let current = registration::find(c, id)?;
    if current.meeting_id != m.id {
        return Err(AppError::NotFound);
    }
    let from = current.status;
    let held = registration::held_in_team(c, current.meeting_id, current.team_id, id)?;
    let cap = rules::effective_cap(team::find(c, current.team_id)?.cap_override, m.default_cap);
    let to = match rules::decide_held(from, decision, held, cap) {
        Ok(to) => to,
        Err(e) => return Ok(Err(e)),
    };
    registration::set_decision(c, id, to, actor, reason, now)?;
    let mut detail = format!("{from} -> {to}{}", reason.map(|r| format!(": {r}")).unwrap_or_default());
    if let Some(via) = via {
        detail.push_str(&format!(" ({via})"));
    }
    audit::record(
        c,
        Some(actor),
        &format!("registration.{to}"),
        &format!("registration {id}"),
        &detail,
        now,
    )?;
    let data = DecisionMail {
        name: target.name.clone(),
        meeting: m.title.clone(),
        status: to.label(),
        reason: reason.map(str::to_owned).filter(|_| rules::reason_required(decision)),
        next: next_in_mail(to),
        link: mail.link("/me"),
    };
    // Each status is reached at most once (the state machine has no cycles).
    let decision_mail = mail
        .mail(&target.email, "registration_decision", &data, format!("registration:{id}:{to}"))
        .map_err(AppError::Render)?;
    outbox::enqueue(c, &decision_mail)?;
    // The attendee's calendar follows: the meeting on approval; everything they hold is
    // removed on revocation.
    match to {
        Status::Approved => {
            invites::meeting_to(c, mail, id, InviteKind::Invitation)?;
            // A speaker approved after the release gets the sessions they speak at.
            invites::spoken_sessions_to(c, mail, id)?;
        }
        Status::Revoked => {
            invites::uninvite_all(c, mail, id)?;
            feed_token::revoke_all(c, id, now)?;
        }
        _ => {}
    }
    if rules::frees_place(from, to) {
        offers::place_freed(c, mail, m, current.team_id, 1)?;
    }
    Ok(Ok(to))
}

/// The approved registration `registration_id` adds the session `session_id` of the latest
/// release of meeting `meeting_id` to its agenda (`add`) or takes it off, in the caller's
/// transaction: a feed of picks changes with it, and the mailbox gets the invite or its
/// removal (I7). `Ok(Ok(false))` when nothing changed; `NotFound` for a session the latest
/// release does not hold (only what attendees can see may be picked); the inner error for
/// a break or a meal to add (`Kind::may_pick`), nothing written.
pub fn pick(
    c: &mut DbConnection,
    mail: &Composer,
    (meeting_id, registration_id): (i64, i64),
    session_id: i64,
    add: bool,
) -> Result<Result<bool, NotPickable>, AppError> {
    let now = mail.now().naive_utc();
    let (_, sessions) = release::latest_sessions(c, meeting_id)?;
    let Some(s) = sessions.iter().find(|s| s.session_id == session_id) else {
        return Err(AppError::NotFound);
    };
    if add && let Err(refused) = s.kind.may_pick() {
        return Ok(Err(refused));
    }
    let changed = if add {
        pick::add(c, registration_id, session_id, now)?
    } else {
        pick::remove(c, registration_id, session_id)?
    };
    if changed {
        calendar_settings::feed_changed(c, registration_id, now)?;
        let kind = if add { InviteKind::Invitation } else { InviteKind::Uninvite };
        invites::session_to(c, mail, registration_id, session_id, kind)?;
    }
    Ok(Ok(changed))
}
