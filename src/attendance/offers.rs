//! Waitlist offers: when a place of a team frees for a meeting, the first waitlisted person
//! of that team (in the order people were waitlisted) is offered it until a deadline (the
//! meeting's `offer_hours`). The open offer holds the place against the cap (status
//! `offered`, counted with approvals under the team's lock); accepting is an approval
//! through [`super::decide`]; declining withdraws and an expiry puts the person back at the
//! end of the waitlist, and both pass the place to the next person. Every step writes its
//! audit row and its mail in the caller's transaction.

use chrono::NaiveDateTime;
use serde::Serialize;

use super::Target;
use crate::{
    db::{self, DbConnection},
    domain::{
        local_time,
        registration::{self as rules, Decision, OfferError, Status, TransitionError},
        schedule,
    },
    email::Composer,
    error::AppError,
    models::{
        audit,
        meeting::{self, Meeting},
        outbox, registration, team, waitlist,
    },
};

#[derive(Serialize)]
struct OfferMail {
    name: String,
    meeting: String,
    deadline: String,
    hours: i32,
    link: String,
}

#[derive(Serialize)]
struct WithdrawnMail {
    name: String,
    meeting: String,
    link: String,
}

/// The deadline as the meeting's people read it: "Sat 20 June 2026, 09:00 MDT
/// (America/Denver)".
pub fn deadline_text(m: &Meeting, deadline: NaiveDateTime) -> String {
    match local_time::parse_zone(&m.time_zone) {
        Ok(zone) => format!("{} ({})", schedule::long_time(deadline, zone), m.time_zone),
        Err(_) => format!("{} UTC", deadline.format("%a %-d %B %Y, %H:%M")),
    }
}

/// `places` places of the team freed for meeting `m`: each goes, while the cap leaves room,
/// to the next waitlisted person. Returns how many offers were made.
pub fn place_freed(
    c: &mut DbConnection,
    mail: &Composer,
    m: &Meeting,
    team_id: i64,
    places: i64,
) -> Result<i64, AppError> {
    offer_places(c, mail, m, team_id, places, &[])
}

/// As [`place_freed`], passing over the registrations `skip` (an offer that just expired
/// is not made again to the same person for the same place).
fn offer_places(
    c: &mut DbConnection,
    mail: &Composer,
    m: &Meeting,
    team_id: i64,
    places: i64,
    skip: &[i64],
) -> Result<i64, AppError> {
    registration::lock_team(c, team_id)?;
    let cap = rules::effective_cap(team::find(c, team_id)?.cap_override, m.default_cap);
    let now = mail.now().naive_utc();
    let mut made = 0;
    while made < places {
        let (approved, offered) = registration::held_in_team(c, m.id, team_id, 0)?;
        if approved + offered >= cap {
            break;
        }
        let Some(next) = waitlist::next(c, m.id, team_id, skip)? else { break };
        let deadline = rules::offer_deadline(now, m.offer_hours);
        if !waitlist::offer(c, next.id, deadline, now)? {
            break;
        }
        let id = next.id;
        let detail = format!("waitlisted -> offered, to answer by {deadline} UTC");
        audit::record(c, None, "registration.offered", &format!("registration {id}"), &detail, now)?;
        let (email, name) = registration::address_and_name(c, id)?;
        let data = OfferMail {
            name,
            meeting: m.title.clone(),
            deadline: deadline_text(m, deadline),
            hours: m.offer_hours,
            link: mail.link(&format!("/me/registrations/{id}")),
        };
        let key = format!("offer:{id}:{}", deadline.and_utc().timestamp());
        outbox::enqueue(c, &mail.mail(&email, "waitlist_offer", &data, key).map_err(AppError::Render)?)?;
        made += 1;
    }
    Ok(made)
}

/// The registration `id` of `user_id`, its team's lock taken, read under the lock.
fn locked_own(c: &mut DbConnection, user_id: i64, id: i64) -> Result<registration::Registration, AppError> {
    let team_id = registration::find(c, id)?.team_id;
    registration::lock_team(c, team_id)?;
    let r = registration::find(c, id)?;
    if r.user_id != user_id {
        return Err(AppError::NotFound);
    }
    Ok(r)
}

/// The person `user_id` accepts the offer on their registration `id`: an approval through
/// [`super::decide`] (cap counted under the team's lock, approval mail, the meeting's
/// invite). A refusal (no open offer, deadline passed, places gone) writes nothing.
pub fn accept(
    c: &mut DbConnection,
    mail: &Composer,
    user_id: i64,
    id: i64,
) -> Result<Result<(), OfferError>, AppError> {
    let r = locked_own(c, user_id, id)?;
    if let Err(e) = rules::answer_offer(r.status, r.offer_expires_at, mail.now().naive_utc()) {
        return Ok(Err(e));
    }
    let m = meeting::find(c, r.meeting_id)?;
    let (email, name) = registration::address_and_name(c, id)?;
    let target = Target { id, name, email };
    match super::decide(c, mail, user_id, &m, &target, Decision::Approve, None)? {
        Ok(_) => Ok(Ok(())),
        Err(TransitionError::CapReached { cap } | TransitionError::HeldByOffer { cap }) => {
            Ok(Err(OfferError::PlaceGone { cap }))
        }
        Err(TransitionError::NotAllowed { .. } | TransitionError::NotEndorsed { .. }) => {
            Ok(Err(OfferError::NotOffered))
        }
    }
}

/// The person `user_id` declines the offer on their registration `id`: the registration is
/// withdrawn (they are told so by mail) and the place goes to the next waitlisted person.
pub fn decline(
    c: &mut DbConnection,
    mail: &Composer,
    user_id: i64,
    id: i64,
) -> Result<Result<(), OfferError>, AppError> {
    let now = mail.now().naive_utc();
    let r = locked_own(c, user_id, id)?;
    if let Err(e) = rules::answer_offer(r.status, r.offer_expires_at, now) {
        return Ok(Err(e));
    }
    if !registration::set_status(c, id, Status::Offered, Status::Withdrawn, now)? {
        return Ok(Err(OfferError::NotOffered));
    }
    let subject = format!("registration {id}");
    audit::record(c, Some(user_id), "registration.offer_declined", &subject, "offered -> withdrawn", now)?;
    let m = meeting::find(c, r.meeting_id)?;
    let (email, name) = registration::address_and_name(c, id)?;
    let data = WithdrawnMail { name, meeting: m.title.clone(), link: mail.link("/me") };
    let row = mail.mail(&email, "registration_withdrawn", &data, format!("withdrawn:{id}"));
    outbox::enqueue(c, &row.map_err(AppError::Render)?)?;
    offer_places(c, mail, &m, r.team_id, 1, &[])?;
    Ok(Ok(()))
}

/// Ends the offer on registration `id` if its deadline has passed: the person goes back to
/// the end of the waitlist (told by mail) and the place goes to the next person. `false`
/// when there was nothing to end.
pub fn expire(c: &mut DbConnection, mail: &Composer, id: i64) -> Result<bool, AppError> {
    let now = mail.now().naive_utc();
    let team_id = registration::find(c, id)?.team_id;
    registration::lock_team(c, team_id)?;
    let r = registration::find(c, id)?;
    if r.status != Status::Offered || !rules::offer_expired(r.offer_expires_at, now) {
        return Ok(false);
    }
    if !waitlist::back_to_waitlist(c, id, now)? {
        return Ok(false);
    }
    let subject = format!("registration {id}");
    audit::record(c, None, "registration.offer_expired", &subject, "offered -> waitlisted", now)?;
    let m = meeting::find(c, r.meeting_id)?;
    let (email, name) = registration::address_and_name(c, id)?;
    let deadline = r.offer_expires_at.unwrap_or(now);
    let data = OfferMail {
        name,
        meeting: m.title.clone(),
        deadline: deadline_text(&m, deadline),
        hours: m.offer_hours,
        link: mail.link(&format!("/me/registrations/{id}")),
    };
    let key = format!("offer-expired:{id}:{}", deadline.and_utc().timestamp());
    outbox::enqueue(c, &mail.mail(&email, "waitlist_offer_expired", &data, key).map_err(AppError::Render)?)?;
    offer_places(c, mail, &m, r.team_id, 1, &[id])?;
    Ok(true)
}

/// Ends every offer whose deadline has passed, each in its own transaction (the outbox
/// worker's sweep, so that offers end without anyone visiting). Returns how many ended.
pub fn expire_due(c: &mut DbConnection, mail: &Composer) -> Result<usize, AppError> {
    let due = waitlist::due(c, mail.now().naive_utc())?;
    let mut ended = 0;
    for id in due {
        if db::transaction(c, |c| expire(c, mail, id))? {
            ended += 1;
        }
    }
    Ok(ended)
}

/// A team's cap changed from `before` to `after` (overrides; `None` is the meeting's
/// default): in every coming meeting where the team has people waitlisted, the places it
/// frees are offered.
pub fn cap_changed(
    c: &mut DbConnection,
    mail: &Composer,
    team_id: i64,
    (before, after): (Option<i32>, Option<i32>),
) -> Result<i64, AppError> {
    let today = mail.now().date_naive();
    let mut made = 0;
    for meeting_id in waitlist::meetings_waiting(c, team_id, today)? {
        let m = meeting::find(c, meeting_id)?;
        let freed = rules::places_freed(
            rules::effective_cap(before, m.default_cap),
            rules::effective_cap(after, m.default_cap),
        );
        if freed > 0 {
            made += place_freed(c, mail, &m, team_id, freed)?;
        }
    }
    Ok(made)
}
