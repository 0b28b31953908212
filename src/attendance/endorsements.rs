//! Endorsement by the team's points of contact (issue 19, point 1), in the caller's
//! transaction: [`ask`] when a registration reaches review (each contact but the registrant
//! gets a mail with a personal link, only its hash stored), [`view`] and [`answer`] for the
//! link's page, and [`remind_due`], the one reminder the outbox worker's sweep queues.
//! When one contact answers, the others' links close; an answer takes the team's lock, as a
//! decision does, so a decision and an answer never cross.

use chrono::NaiveDateTime;
use serde::Serialize;

use crate::{
    db::{self, DbConnection},
    domain::{
        endorsement::{self as rules, Answer, Closed, LINK_DAYS, Mode},
        evidence::Evidence,
        local_time::{day_start, parse_zone},
        token::Token,
    },
    email::Composer,
    error::AppError,
    models::{
        audit,
        endorsement::{self as stored, Request},
        evidence, meeting, outbox, registration, team_contact,
    },
};

#[derive(Serialize)]
struct RequestMail {
    contact: String,
    person: String,
    email: String,
    team: String,
    role: String,
    meeting: String,
    link: String,
    expires: String,
    /// The one reminder: says the first mail's link no longer works.
    reminder: bool,
}

fn shown(at: NaiveDateTime) -> String {
    at.format("%a %-d %B %Y, %H:%M UTC").to_string()
}

/// Asks the team's contacts about registration `id`, which has just reached review, unless
/// its meeting's endorsement is off or has started. The registrant is never asked about
/// themselves; a contact asked already is not asked again. Returns how many were asked.
pub fn ask(c: &mut DbConnection, mail: &Composer, id: i64) -> Result<usize, AppError> {
    let r = registration::find(c, id)?;
    let m = meeting::find(c, r.meeting_id)?;
    if m.endorsement == Mode::Off {
        return Ok(0);
    }
    let now = mail.now().naive_utc();
    let starts = parse_zone(&m.time_zone)
        .map_or_else(|_| m.first_day.and_time(chrono::NaiveTime::MIN), |zone| day_start(m.first_day, zone));
    let expires = rules::link_expiry(now, LINK_DAYS, starts);
    if expires <= now {
        return Ok(0);
    }
    let row = registration::queue_row(c, m.id, id)?;
    let contacts = team_contact::for_team(c, r.team_id)?;
    let asked: Vec<String> = stored::for_registration(c, id)?.into_iter().map(|q| q.contact_email).collect();
    let mut count = 0;
    for (name, email) in rules::to_ask(&contacts, &row.email) {
        if asked.contains(email) {
            continue;
        }
        let token = Token::generate();
        let request = stored::insert(c, id, (name, email), &token.hash(), (now, expires))?;
        let data = RequestMail {
            contact: name.clone(),
            person: row.name.clone(),
            email: row.email.clone(),
            team: row.team_name.clone(),
            role: r.role_title.clone(),
            meeting: m.title.clone(),
            link: mail.link(&format!("/endorsements/{}", token.as_str())),
            expires: shown(expires),
            reminder: false,
        };
        let message = mail
            .mail(email, "endorsement_request", &data, format!("endorsement:{request}"))
            .map_err(AppError::Render)?;
        outbox::enqueue(c, &message)?;
        count += 1;
    }
    Ok(count)
}

/// Queues the one reminder of every open request made `days` or more ago that nobody has
/// answered, each in its own transaction with the mark that it was sent (so it is queued
/// once however many passes run). The reminder carries a new link (only hashes are
/// stored); the first mail's stops working. Returns how many were queued.
pub fn remind_due(c: &mut DbConnection, mail: &Composer, days: u32) -> Result<usize, AppError> {
    let now = mail.now().naive_utc();
    let asked_before = now - chrono::Days::new(u64::from(days));
    let mut queued = 0;
    for q in stored::reminders_due(c, asked_before, now)? {
        if !rules::reminder_due(q.created_at, days, now) {
            continue;
        }
        if db::transaction(c, |c| remind_one(c, mail, &q, now))? {
            queued += 1;
        }
    }
    Ok(queued)
}

fn remind_one(
    c: &mut DbConnection,
    mail: &Composer,
    q: &Request,
    now: NaiveDateTime,
) -> Result<bool, AppError> {
    let r = registration::find(c, q.registration_id)?;
    registration::lock_team(c, r.team_id)?;
    if !stored::mark_reminded(c, q.id, now)? {
        return Ok(false);
    }
    let m = meeting::find(c, r.meeting_id)?;
    let row = registration::queue_row(c, m.id, r.id)?;
    let token = Token::generate();
    stored::replace_token(c, q.id, &token.hash())?;
    let data = RequestMail {
        contact: q.contact_name.clone(),
        person: row.name,
        email: row.email,
        team: row.team_name,
        role: r.role_title,
        meeting: m.title,
        link: mail.link(&format!("/endorsements/{}", token.as_str())),
        expires: shown(q.expires_at),
        reminder: true,
    };
    let message = mail
        .mail(&q.contact_email, "endorsement_request", &data, format!("endorsement-reminder:{}", q.id))
        .map_err(AppError::Render)?;
    outbox::enqueue(c, &message)?;
    Ok(true)
}

/// What a contact's link shows: who registered, with the organizers' evidence.
#[derive(Serialize)]
pub struct View {
    pub contact: String,
    pub person: String,
    pub email: String,
    pub team: String,
    pub role: String,
    pub meeting: String,
    pub registered: String,
    pub expires: String,
    pub evidence: Evidence,
}

/// Why a link answers nothing: not known, or closed (and why).
#[derive(Debug)]
pub enum Refusal {
    Unknown,
    Closed(Closed),
}

/// Whether the request may be answered now, in the caller's transaction.
fn check(c: &mut DbConnection, q: &Request, now: NaiveDateTime) -> Result<Result<(), Closed>, AppError> {
    let r = registration::find(c, q.registration_id)?;
    let (email, _) = registration::address_and_name(c, r.id)?;
    let answered_by = stored::for_registration(c, r.id)?
        .into_iter()
        .find(|o| o.answer.is_some() && o.id != q.id)
        .map(|o| o.contact_name);
    let own = q.contact_email.eq_ignore_ascii_case(&email);
    let used = q.answered_at.is_some();
    Ok(rules::may_answer(r.status, (used, now >= q.expires_at), answered_by.as_deref(), own))
}

/// The page of the link whose hash is `hash`; reads only.
pub fn view(c: &mut DbConnection, hash: &str, now: NaiveDateTime) -> Result<Result<View, Refusal>, AppError> {
    let Some(q) = stored::by_token(c, hash)? else { return Ok(Err(Refusal::Unknown)) };
    if let Err(closed) = check(c, &q, now)? {
        return Ok(Err(Refusal::Closed(closed)));
    }
    let r = registration::find(c, q.registration_id)?;
    let m = meeting::find(c, r.meeting_id)?;
    let row = registration::queue_row(c, m.id, r.id)?;
    let evidence = evidence::load(c, &m, std::slice::from_ref(&row))?.evidence(&row);
    Ok(Ok(View {
        contact: q.contact_name,
        person: row.name,
        email: row.email,
        team: row.team_name,
        role: r.role_title,
        meeting: m.title,
        registered: r.created_at.format("%a %-d %B %Y").to_string(),
        expires: shown(q.expires_at),
        evidence,
    }))
}

/// Records `answer` with `note` by the link whose hash is `hash`, closes the other
/// contacts' links and writes the audit row, under the team's lock; a closed or unknown
/// link writes nothing. Returns the registrant's name.
pub fn answer(
    c: &mut DbConnection,
    hash: &str,
    answer: Answer,
    note: &str,
    now: NaiveDateTime,
) -> Result<Result<String, Refusal>, AppError> {
    let Some(q) = stored::by_token(c, hash)? else { return Ok(Err(Refusal::Unknown)) };
    let r = registration::find(c, q.registration_id)?;
    registration::lock_team(c, r.team_id)?;
    // Read again under the lock: another contact or a decision may have come first.
    let Some(q) = stored::by_token(c, hash)? else { return Ok(Err(Refusal::Unknown)) };
    if let Err(closed) = check(c, &q, now)? {
        return Ok(Err(Refusal::Closed(closed)));
    }
    if !stored::answer(c, q.id, answer, note, now)? {
        return Ok(Err(Refusal::Closed(Closed::Used)));
    }
    stored::close_others(c, r.id, now)?;
    let detail = if note.is_empty() {
        format!("by {} (team contact)", q.contact_name)
    } else {
        format!("by {} (team contact): {note}", q.contact_name)
    };
    let action = match answer {
        Answer::Endorsed => "registration.endorsed",
        Answer::Declined => "registration.endorsement_declined",
    };
    audit::record(c, None, action, &format!("registration {}", r.id), &detail, now)?;
    let (_, name) = registration::address_and_name(c, r.id)?;
    Ok(Ok(name))
}
