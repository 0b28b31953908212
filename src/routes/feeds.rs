//! `/feeds/{token}.ics`: an approved attendee's private feed (CALENDAR.md F1–F6). No cookie
//! needed; the token is checked by its hash and access again on every fetch; anything
//! else is the same 404 as a token that never existed. Logs carry the route pattern only.

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
    startup::AppState,
};

/// A feed as served: its body and the time of its last change.
pub struct Feed {
    pub body: String,
    pub last_modified: NaiveDateTime,
}

fn build(
    c: &mut crate::db::DbConnection,
    token: &str,
    now: NaiveDateTime,
    source_url: &str,
) -> anyhow::Result<Option<Feed>> {
    let Some(t) = feed_token::find_active(c, &hash_token(token))? else { return Ok(None) };
    let r = registration::find(c, t.registration_id)?;
    if r.status != Status::Approved.as_str() {
        return Ok(None);
    }
    let m = meeting::find(c, r.meeting_id)?;
    let settings = calendar_settings::get(c, r.id)?;
    let (latest, sessions) = release::latest_sessions(c, m.id)?;
    let picks = if settings.picks_only() { Some(pick::for_registration(c, r.id)?) } else { None };
    let mut events: Vec<CalendarEvent> =
        vec![calendar::objects::meeting(&m)?, calendar::objects::conference(&m)?];
    for s in sessions.iter().filter(|s| picks.as_ref().is_none_or(|p| p.contains(&s.session_id))) {
        events.push(calendar::objects::session(s)?);
    }
    let last_modified = [Some(m.updated_at), latest.map(|l| l.published_at), Some(settings.feed_changed_at)]
        .into_iter()
        .flatten()
        .max()
        .unwrap_or(m.updated_at);
    feed_token::touch(c, &t, now)?;
    Ok(Some(Feed { body: calendar::feed(&m.title, source_url, &events), last_modified }))
}

/// Whether the client's validators match: `If-None-Match` wins over `If-Modified-Since`
/// (RFC 9110 §13.2.2); an unparsable date never matches.
fn not_modified(req: &HttpRequest, etag: &str, last_modified: NaiveDateTime) -> bool {
    if let Some(inm) = req.headers().get(header::IF_NONE_MATCH) {
        let inm = inm.to_str().unwrap_or("");
        return inm.split(',').any(|t| t.trim() == etag || t.trim() == "*");
    }
    let since =
        req.headers().get(header::IF_MODIFIED_SINCE).and_then(|v| v.to_str().ok()?.parse::<HttpDate>().ok());
    since.is_some_and(|since| whole_seconds(last_modified) <= std::time::SystemTime::from(since))
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
    let now = state.clock.now_naive();
    let feed = state.db.run(move |c| build(c, &token, now, &source_url)).await?;
    let Some(feed) = feed else { return Err(AppError::NotFound) };
    let etag = format!("\"{}\"", hex::encode(Sha256::digest(feed.body.as_bytes())));
    let modified = HttpDate::from(whole_seconds(feed.last_modified));
    let unchanged = not_modified(&req, &etag, feed.last_modified);
    let mut res = if unchanged { HttpResponse::NotModified() } else { HttpResponse::Ok() };
    res.insert_header((header::ETAG, etag))
        .insert_header((header::LAST_MODIFIED, modified))
        .insert_header((header::CACHE_CONTROL, "private, max-age=0, must-revalidate"));
    if unchanged {
        return Ok(res.finish());
    }
    Ok(res.content_type("text/calendar; charset=utf-8").body(feed.body))
}
