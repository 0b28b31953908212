//! The answer to a fetch of an attendee's private feed (docs/CALENDAR.md F1–F6): the
//! token checked by its hash and the person's access checked again, the body built from
//! the latest release (all sessions or the person's picks), and a 304 when the client's
//! validators match. An unchanged feed is answered from its remembered ETag
//! ([`FeedEtags`]) without loading the sessions or rendering the body again. The route
//! (`routes::feeds`) reads the request's headers and writes the HTTP answer.

use chrono::{NaiveDateTime, Timelike as _};
use sha2::{Digest as _, Sha256};

use super::{DeliveryError, FeedEtags, Inputs, objects};
use crate::{
    calendar::{self, CalendarEvent},
    db::{Db, DbConnection},
    domain::{registration::Status, token::hash_token},
    models::{agenda::pick, agenda::release, calendar_settings, feed_token, meeting, registration},
};

/// The answer to a fetch: a 304 when the client's validators match, else the body.
pub enum Answer {
    NotModified { etag: String, last_modified: NaiveDateTime },
    Full { body: String, etag: String, last_modified: NaiveDateTime },
}

/// The client's validators, read before the database is asked.
pub struct Validators {
    pub if_none_match: Option<String>,
    /// An unparsable date is `None`.
    pub if_modified_since: Option<std::time::SystemTime>,
}

/// The answer to a fetch of the feed with `token` (`None`: no such feed, or no longer
/// the person's), noting the fetch when `record_use` is given.
pub fn build(
    c: &mut DbConnection,
    token: &str,
    now: NaiveDateTime,
    source_url: &str,
    validators: &Validators,
    known: &FeedEtags,
    record_use: Option<&Db>,
) -> Result<Option<Answer>, DeliveryError> {
    let Some(t) = feed_token::find_active(c, &hash_token(token))? else { return Ok(None) };
    let r = registration::find(c, t.registration_id)?;
    if r.status != Status::Approved {
        return Ok(None);
    }
    let m = meeting::find(c, r.meeting_id)?;
    let settings = calendar_settings::get(c, r.id)?;
    let latest = release::latest(c, m.id)?;
    let picks = if settings.picks_only() { Some(pick::for_registration(c, r.id)?) } else { None };
    let last_modified =
        [Some(m.updated_at), latest.as_ref().map(|l| l.published_at), Some(settings.feed_changed_at)]
            .into_iter()
            .flatten()
            .max()
            .unwrap_or(m.updated_at);
    // Bookkeeping: a feed is still served when the database cannot note the fetch.
    if let Some(db) = record_use
        && let Err(e) = feed_token::touch(c, &t, now)
    {
        db.health().note(&e);
        tracing::warn!(error = %crate::error::chain(&e), "could not note a feed fetch; the feed is served");
    }
    // Everything the body is built from: a published release never changes, so its id
    // stands for its sessions.
    let inputs = Inputs::of(&[&source_url, &m, &latest.as_ref().map(|l| l.id), &picks]);
    if let Some(etag) = known.get(inputs).filter(|etag| validators.match_(etag, last_modified)) {
        return Ok(Some(Answer::NotModified { etag, last_modified }));
    }
    let sessions = match &latest {
        Some(l) => release::sessions(c, l.id)?,
        None => Vec::new(),
    };
    let mut events: Vec<CalendarEvent> = vec![objects::meeting(&m)?, objects::conference(&m)?];
    for s in sessions.iter().filter(|s| picks.as_ref().is_none_or(|p| p.contains(&s.session_id))) {
        events.push(objects::session(s)?);
    }
    let body = calendar::feed(&m.title, source_url, &events);
    let etag = format!("\"{}\"", hex::encode(Sha256::digest(body.as_bytes())));
    known.remember(inputs, etag.clone());
    if validators.match_(&etag, last_modified) {
        return Ok(Some(Answer::NotModified { etag, last_modified }));
    }
    Ok(Some(Answer::Full { body, etag, last_modified }))
}

impl Validators {
    /// Whether the client's copy is current: `If-None-Match` wins over
    /// `If-Modified-Since` (RFC 9110 §13.2.2); an unparsable date never matches.
    pub fn match_(&self, etag: &str, last_modified: NaiveDateTime) -> bool {
        if let Some(inm) = &self.if_none_match {
            return inm.split(',').any(|t| t.trim() == etag || t.trim() == "*");
        }
        self.if_modified_since.is_some_and(|since| whole_seconds(last_modified) <= since)
    }
}

/// HTTP dates have whole seconds.
pub fn whole_seconds(at: NaiveDateTime) -> std::time::SystemTime {
    std::time::SystemTime::from(at.and_utc().with_nanosecond(0).unwrap_or(at.and_utc()))
}
