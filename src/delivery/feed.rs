//! The feed a fetch of an attendee's private feed answers with (docs/CALENDAR.md F1–F8):
//! the token checked by its hash and the person's access checked again in one query, and
//! the body of the latest release (all sessions, or the person's picks) taken from the
//! [`FeedCache`], built there once per input. The route (`routes::feeds`) keeps the access
//! decision for a second, picks the representation and answers 304 or 200.

use chrono::{NaiveDateTime, Timelike as _};

use super::{
    DeliveryError, FeedCache, Inputs,
    feed_cache::{Feed, TokenKey},
    objects,
};
use crate::db::DbConnection;
use crate::{
    calendar::{self, CalendarEvent},
    domain::states::FeedScope,
    models::{
        agenda::{pick, release},
        feed_token::{self, FeedAccess},
    },
};
use actix_web::http::header::{HttpDate, TryIntoHeaderValue as _};

/// The feed the token opens (`None`: no such feed, or no longer the person's).
pub fn find(
    c: &mut DbConnection,
    token: &TokenKey,
    cache: &FeedCache,
) -> Result<Option<Feed>, DeliveryError> {
    let Some(access) = feed_token::access(c, &token.stored())? else { return Ok(None) };
    let picks = match access.scope {
        FeedScope::Picks => Some(pick::for_registration(c, access.registration_id)?),
        FeedScope::All => None,
    };
    let release_id = access.latest_release.map(|(id, _)| id);
    // Everything the body is built from: a published release never changes, so its id
    // stands for its sessions. Nothing of the token or the person: the all-sessions body
    // is the same bytes for every attendee of the meeting.
    let inputs = Inputs::of(&[&access.meeting, &release_id, &picks]);
    let shared_by = picks.is_none().then_some(access.meeting.id);
    let body = cache.body(inputs, shared_by, || text(c, &access.meeting, release_id, picks.as_deref()))?;
    let last_modified = whole_seconds(last_modified(&access));
    let last_modified_header =
        HttpDate::from(last_modified).try_into_value().expect("an HTTP date is a valid header value");
    Ok(Some(Feed { body, last_modified, last_modified_header }))
}

/// The latest of the meeting's change, the release and the person's own change of the
/// feed (a pick, a choice): never earlier than a previous answer's (F4).
fn last_modified(a: &FeedAccess) -> NaiveDateTime {
    [Some(a.meeting.updated_at), a.latest_release.map(|(_, at)| at), a.feed_changed_at]
        .into_iter()
        .flatten()
        .max()
        .unwrap_or(a.meeting.updated_at)
}

/// The all-sessions body of the meeting's latest release, shared with its attendees' feeds
/// (the same inputs, so the same bytes and the same kept body): an organizer's own feed.
pub fn whole_agenda(
    c: &mut DbConnection,
    meeting: &crate::models::meeting::Meeting,
    release_id: Option<i64>,
    cache: &FeedCache,
) -> Result<std::sync::Arc<super::feed_cache::FeedBody>, DeliveryError> {
    let picks: Option<Vec<i64>> = None;
    let inputs = Inputs::of(&[meeting, &release_id, &picks]);
    cache.body(inputs, Some(meeting.id), || text(c, meeting, release_id, None))
}

/// An HTTP date of a stored time: whole seconds, and the header's value.
pub fn http_date(at: NaiveDateTime) -> (std::time::SystemTime, actix_web::http::header::HeaderValue) {
    let at = whole_seconds(at);
    (at, HttpDate::from(at).try_into_value().expect("an HTTP date is a valid header value"))
}

/// The feed's text: the meeting, the conference and the released sessions (only the
/// picked ones when `picks` is given).
fn text(
    c: &mut DbConnection,
    m: &crate::models::meeting::Meeting,
    release_id: Option<i64>,
    picks: Option<&[i64]>,
) -> Result<String, DeliveryError> {
    let sessions = match release_id {
        Some(id) => release::sessions(c, id)?,
        None => Vec::new(),
    };
    let mut events: Vec<CalendarEvent> = vec![objects::meeting(m)?, objects::conference(m)?];
    for s in sessions.iter().filter(|s| picks.is_none_or(|p| p.contains(&s.session_id))) {
        events.push(objects::session(s)?);
    }
    Ok(calendar::feed(&m.title, &events))
}

/// The client's validators.
pub struct Validators<'a> {
    pub if_none_match: Option<&'a str>,
    /// An unparsable date is `None`.
    pub if_modified_since: Option<std::time::SystemTime>,
}

impl Validators<'_> {
    /// Whether the client's copy of the representation with `etag` is current:
    /// `If-None-Match` wins over `If-Modified-Since` (RFC 9110 §13.2.2) and compares
    /// weakly (a proxy may have weakened the tag); an unparsable date never matches.
    pub fn match_(&self, etag: &[u8], last_modified: std::time::SystemTime) -> bool {
        if let Some(inm) = self.if_none_match {
            return inm
                .split(',')
                .map(str::trim)
                .any(|t| t == "*" || t.strip_prefix("W/").unwrap_or(t).as_bytes() == etag);
        }
        self.if_modified_since.is_some_and(|since| last_modified <= since)
    }
}

/// HTTP dates have whole seconds.
pub fn whole_seconds(at: NaiveDateTime) -> std::time::SystemTime {
    std::time::SystemTime::from(at.and_utc().with_nanosecond(0).unwrap_or(at.and_utc()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_none_match_wins_compares_weakly_and_an_unparsed_date_never_matches() {
        let at = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000);
        let etag = b"\"abc\"";
        let inm = |v| Validators { if_none_match: Some(v), if_modified_since: Some(at) };
        assert!(inm("\"abc\"").match_(etag, at));
        assert!(inm("\"x\", W/\"abc\"").match_(etag, at), "weak comparison, any of a list");
        assert!(inm("*").match_(etag, at));
        assert!(
            !inm("\"abcd\"").match_(etag, at),
            "If-Modified-Since is not asked when If-None-Match is given"
        );
        let ims = |since| Validators { if_none_match: None, if_modified_since: since };
        assert!(ims(Some(at)).match_(etag, at));
        assert!(!ims(Some(at - std::time::Duration::from_secs(1))).match_(etag, at));
        assert!(!ims(None).match_(etag, at));
    }
}
