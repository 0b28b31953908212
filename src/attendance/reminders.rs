//! Reminders before a meeting: on each of the meeting's reminder days (`domain::reminder`,
//! "7, 1" unless the organizers chose others), every approved attendee gets an email with
//! their picks on the meeting's clocks and links to the agenda, the practical information
//! and their calendar page. The outbox worker of `serve` runs [`queue_due`] before each
//! drain, and so does `csirt-meet remind`. Each reminder is queued once: its `reminders`
//! row (`ON CONFLICT DO NOTHING`) and its outbox key are written in one transaction, so
//! passes that run at once, on one instance or several, queue it once. Whether the person
//! is still approved is asked again when the worker sends it ([`still_wanted`]).
//!
//! T1: the subject names only the meeting; a TLP:RED pick is its placeholder, an AMBER one
//! its title without abstract or speakers (`domain::tlp::outside`).

use chrono::{Days, NaiveDateTime};
use chrono_tz::Tz;
use serde::Serialize;

use crate::{
    db::{self, DbConnection},
    domain::{
        local_time::{parse_zone, to_local},
        reminder::{self, MAX_DAYS, ReminderDays},
        schedule::{Span, day_heading},
        tlp::{Tlp, title_outside},
    },
    email::Composer,
    error::AppError,
    models::{
        agenda::{pick, release},
        meeting::Meeting,
        outbox, registration, reminder as stored,
    },
};

#[derive(Serialize)]
struct ReminderMail {
    name: String,
    meeting: String,
    city: String,
    venue: String,
    /// "Sat 20 June 2026".
    first_day: String,
    /// Whole days from today (the meeting's clocks) to the first day.
    days: i64,
    zone: String,
    picks: Vec<PickLine>,
    agenda: String,
    practical: String,
    calendar: String,
}

/// One pick as the mail may carry it (T1).
#[derive(Serialize)]
struct PickLine {
    when: String,
    /// "[TLP:AMBER] Title", or the TLP:RED placeholder alone.
    title: String,
    room: Option<String>,
}

/// Queues every reminder due now, each registration in its own transaction. Returns how
/// many were queued.
pub fn queue_due(c: &mut DbConnection, mail: &Composer) -> Result<usize, AppError> {
    let now = mail.now().naive_utc();
    let today = now.date();
    // A day's margin on either side covers every zone's "today".
    let (from, to) = (today - Days::new(1), today + Days::new(u64::from(MAX_DAYS) + 1));
    let mut queued = 0;
    for (m, days) in stored::meetings_starting(c, from, to)? {
        let Ok(zone) = parse_zone(&m.time_zone) else { continue };
        let days = ReminderDays::stored(days.as_deref().unwrap_or(reminder::DEFAULT_DAYS));
        let Some(d) = days.due(m.first_day, zone, now) else { continue };
        for id in stored::not_reminded(c, m.id, d)? {
            if db::transaction(c, |c| queue_one(c, mail, &m, zone, id, d, now))? {
                queued += 1;
            }
        }
    }
    Ok(queued)
}

/// Queues the reminder of `d` days to registration `id` unless another pass did.
fn queue_one(
    c: &mut DbConnection,
    mail: &Composer,
    m: &Meeting,
    zone: Tz,
    id: i64,
    d: u32,
    now: NaiveDateTime,
) -> Result<bool, AppError> {
    if !stored::still_wanted(c, id)? || !stored::mark_queued(c, id, d, now)? {
        return Ok(false);
    }
    let (email, name) = registration::address_and_name(c, id)?;
    let data = ReminderMail {
        name,
        meeting: m.title.clone(),
        city: m.city.clone(),
        venue: m.venue.clone(),
        first_day: day_heading(m.first_day),
        days: reminder::days_until(to_local(now, zone).date(), m.first_day),
        zone: m.time_zone.clone(),
        picks: picks(c, m.id, id, zone)?,
        agenda: mail.link(&format!("/meetings/{}/agenda", m.slug)),
        practical: mail.link(&format!("/meetings/{}/practical", m.slug)),
        calendar: mail.link("/me/calendar"),
    };
    let row = mail.mail(&email, "reminder", &data, reminder::key(id, d)).map_err(AppError::Render)?;
    Ok(outbox::enqueue(c, &row)?)
}

/// The person's picks in the latest release, cancelled ones left out, in time order.
fn picks(c: &mut DbConnection, meeting_id: i64, id: i64, zone: Tz) -> Result<Vec<PickLine>, AppError> {
    let picked = pick::for_registration(c, id)?;
    let (_, sessions) = release::latest_sessions(c, meeting_id)?;
    Ok(sessions
        .iter()
        .filter(|s| !s.is_cancelled() && picked.contains(&s.session_id))
        .map(|s| PickLine {
            when: Span::new(s.starts_at, s.ends_at, zone, true).to_string(),
            title: match s.tlp {
                Tlp::Red => title_outside(s.tlp, &s.title).to_owned(),
                label => format!("[{}] {}", label.as_str(), title_outside(label, &s.title)),
            },
            room: s.room.clone(),
        })
        .collect())
}

/// Whether the reminder queued under outbox key `key` may still go: its registration is
/// approved for an open meeting. `None` when the key is not a reminder's.
pub fn still_wanted(c: &mut DbConnection, key: &str) -> Option<diesel::QueryResult<bool>> {
    let (id, _) = reminder::registration_of(key)?;
    Some(stored::still_wanted(c, id))
}

/// Withholds the claimed reminder `row` (the person withdrew or was revoked after it was
/// queued): its outbox row and its `reminders` row go, in one transaction, so nothing is
/// sent and a person approved again gets the next one.
pub fn withhold(c: &mut DbConnection, row: &outbox::OutboxRow) -> diesel::QueryResult<usize> {
    let Some((id, d)) = reminder::registration_of(&row.idempotency_key) else { return Ok(0) };
    db::transaction(c, |c| {
        let gone = outbox::discard_claimed(c, row)?;
        if gone == 1 {
            stored::forget(c, id, d)?;
        }
        Ok(gone)
    })
}
