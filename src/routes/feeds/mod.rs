//! `/feeds/{token}.ics`: an approved attendee's private feed (docs/CALENDAR.md F1–F6). No
//! cookie needed; the token is checked by its hash and access again on every fetch;
//! anything else is the same 404 as a token that never existed. Logs carry the route
//! pattern only. An unchanged feed answers 304 from its remembered ETag, without being
//! built again (`private, no-cache` from `middleware::cache` makes clients ask each time).

use actix_web::{
    HttpRequest, HttpResponse,
    http::header::{self, HttpDate},
    web,
};
use chrono::{NaiveDateTime, Timelike as _};
use sha2::{Digest as _, Sha256};

use crate::{
    calendar::{self, CalendarEvent},
    domain::{registration::Status, token::hash_token},
    error::AppError,
    models::{agenda::pick, agenda::release, calendar_settings, feed_token, meeting, registration},
    routes::table::is_head,
    startup::AppState,
};

mod etags;

pub use etags::FeedEtags;
use etags::Inputs;

/// The answer to a fetch: a 304 when the client's validators match, else the body.
enum Answer {
    NotModified { etag: String, last_modified: NaiveDateTime },
    Full { body: String, etag: String, last_modified: NaiveDateTime },
}

/// The client's validators, read before the database is asked.
struct Validators {
    if_none_match: Option<String>,
    if_modified_since: Option<std::time::SystemTime>,
}

fn build(
    c: &mut crate::db::DbConnection,
    token: &str,
    now: NaiveDateTime,
    source_url: &str,
    validators: &Validators,
    known: &FeedEtags,
    record_use: Option<&crate::db::Db>,
) -> anyhow::Result<Option<Answer>> {
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
    let mut events: Vec<CalendarEvent> =
        vec![calendar::objects::meeting(&m)?, calendar::objects::conference(&m)?];
    for s in sessions.iter().filter(|s| picks.as_ref().is_none_or(|p| p.contains(&s.session_id))) {
        events.push(calendar::objects::session(s)?);
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
    fn of(req: &HttpRequest) -> Self {
        let header = |name| req.headers().get(name).map(|v| v.to_str().unwrap_or("").to_owned());
        Self {
            if_none_match: header(header::IF_NONE_MATCH),
            if_modified_since: header(header::IF_MODIFIED_SINCE)
                .and_then(|v| v.parse::<HttpDate>().ok())
                .map(std::time::SystemTime::from),
        }
    }

    /// Whether the client's copy is current: `If-None-Match` wins over
    /// `If-Modified-Since` (RFC 9110 §13.2.2); an unparsable date never matches.
    fn match_(&self, etag: &str, last_modified: NaiveDateTime) -> bool {
        if let Some(inm) = &self.if_none_match {
            return inm.split(',').any(|t| t.trim() == etag || t.trim() == "*");
        }
        self.if_modified_since.is_some_and(|since| whole_seconds(last_modified) <= since)
    }
}

/// HTTP dates have whole seconds.
fn whole_seconds(at: NaiveDateTime) -> std::time::SystemTime {
    std::time::SystemTime::from(at.and_utc().with_nanosecond(0).unwrap_or(at.and_utc()))
}

pub async fn show(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let token = path.into_inner();
    let source_url = state
        .settings
        .public_url()
        .join(&format!("/feeds/{token}.ics"))
        .map(String::from)
        .unwrap_or_default();
    let (now, validators, etags) = (state.clock.now_naive(), Validators::of(&req), state.feed_etags.clone());
    // A HEAD fetched nothing: it is not a use of the feed.
    let record_use = (!is_head(&req)).then(|| state.db.clone());
    let answer = state
        .db
        .run(move |c| build(c, &token, now, &source_url, &validators, &etags, record_use.as_ref()))
        .await?;
    let (mut res, etag, last_modified, body) = match answer {
        None => return Err(AppError::NotFound),
        Some(Answer::NotModified { etag, last_modified }) => {
            (HttpResponse::NotModified(), etag, last_modified, None)
        }
        Some(Answer::Full { body, etag, last_modified }) => {
            (HttpResponse::Ok(), etag, last_modified, Some(body))
        }
    };
    res.insert_header((header::ETAG, etag))
        .insert_header((header::LAST_MODIFIED, HttpDate::from(whole_seconds(last_modified))));
    Ok(match body {
        None => res.finish(),
        Some(body) => res.content_type("text/calendar; charset=utf-8").body(body),
    })
}
