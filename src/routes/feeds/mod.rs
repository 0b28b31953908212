//! `/feeds/{token}.ics`: an approved attendee's private feed (docs/CALENDAR.md F1–F8). No
//! cookie needed; the token is checked by its hash and access again at least once a
//! second (and at once after any write through this instance); anything else is the same
//! 404 as a token that never existed. Logs carry the route pattern only.
//!
//! The body comes from memory (`delivery::feed_cache`): the plain text, or its gzip when
//! the client accepts gzip, each with its own strong ETag, and `Vary: Accept-Encoding` on
//! every answer. A client whose `If-None-Match` names the ETag of the representation it
//! would get has a 304, decided without the database while the access decision is kept.
//! `private, no-cache` from `middleware::cache` makes clients ask each time.
//!
//! The gzip is compressed once per body, never per request: the app wraps no `Compress`
//! middleware, and if one were added it would leave these answers alone (it skips an
//! answer that has a Content-Encoding, and with only gzip built in it could only ever
//! choose gzip for a client that gets the stored gzip here anyway).

use actix_web::{
    HttpRequest, HttpResponse,
    http::header::{self, HeaderValue, HttpDate},
    web,
};

pub use lane::FeedLane;

mod lane;

use crate::{
    decisions::{Asking, Look},
    delivery::{
        feed::{self, Validators},
        feed_cache::{Feed, TokenKey},
        schedule,
    },
    error::AppError,
    state::AppState,
};

const CALENDAR: HeaderValue = HeaderValue::from_static("text/calendar; charset=utf-8");
const GZIP: HeaderValue = HeaderValue::from_static("gzip");
const ACCEPT_ENCODING: HeaderValue = HeaderValue::from_static("Accept-Encoding");

pub async fn show(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    let token = req.match_info().get("token").unwrap_or_default();
    if !well_formed(token) {
        return Err(AppError::NotFound);
    }
    let key = TokenKey::of(token);
    let feed = match kept(&state, key) {
        Some(feed) => feed,
        None => asked(state, key).await?.ok_or(AppError::NotFound)?,
    };
    Ok(answer(&req, &feed, CALENDAR))
}

/// The feed the token opens if that decision is kept; one due for renewal still serves
/// while it is renewed in the background.
fn kept(state: &web::Data<AppState>, key: TokenKey) -> Option<Feed> {
    let (feed, renew) = state.feeds.decisions.serving(&key)?;
    Some(match renew {
        Some(asking) => renewed(state, key, asking, feed),
        None => feed,
    })
}

/// `feed`, while its decision is asked again in the background.
fn renewed(state: &web::Data<AppState>, key: TokenKey, asking: Asking<Feed>, feed: Feed) -> Feed {
    let state = state.clone();
    actix_web::rt::spawn(async move {
        if let Err(e) = decide(&state, key, asking).await {
            tracing::warn!(error = %crate::error::chain(&e), "could not renew a feed's access decision");
        }
    });
    feed
}

/// The feed the token opens, asked of the database by this request or by the one already
/// asking (`decisions`: one question per token at a time). A wait ends with that answer
/// unless the asker gave up (its request went away, or the database failed it); after
/// three such rounds this request asks itself.
async fn asked(state: web::Data<AppState>, key: TokenKey) -> Result<Option<Feed>, AppError> {
    let decisions = &state.feeds.decisions;
    for _ in 0..3 {
        match decisions.look(&key) {
            Look::Fresh(feed) => return Ok(Some(feed)),
            Look::Refresh(feed, asking) => return Ok(Some(renewed(&state, key, asking, feed))),
            Look::Ask(asking) => return decide(&state, key, asking).await,
            Look::Wait(waiting) => {
                if let Some(answer) = waiting.answer().await {
                    return Ok(answer);
                }
            }
        }
    }
    decide(&state, key, decisions.asking(key)).await
}

/// Tokens are 32 random bytes in hex; anything else never existed.
fn well_formed(token: &str) -> bool {
    token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit())
}

/// `/feeds/organizer/{token}.ics`: an organizer's own feed of a meeting's whole released
/// agenda (issue 18, point 5), the same body as the attendees' all-sessions feed. Access
/// is asked of the database on every fetch; an unknown, replaced or no longer organizer's
/// token is the same 404.
pub async fn organizer(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    let token = req.match_info().get("token").unwrap_or_default();
    if !well_formed(token) {
        return Err(AppError::NotFound);
    }
    let (hash, feeds) = (TokenKey::of(token).stored(), state.feeds.clone());
    let feed = state
        .db
        .run(move |c| Ok::<_, AppError>(schedule::organizer_feed(c, &hash, &feeds)?))
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(answer(&req, &feed, CALENDAR))
}

/// `/schedules/{token}/schedule.xml` and `schedule.json`: an attendee's schedule for
/// conference apps (issue 18, point 2), behind a secret of its own (not the feed's).
/// Access is asked of the database on every fetch; an unknown or replaced token, a
/// registration no longer approved, a meeting without a release and any other file name
/// are the same 404.
pub async fn schedule(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    let token = req.match_info().get("token").unwrap_or_default();
    let format = schedule::Format::of_file(req.match_info().get("file").unwrap_or_default());
    let Some(format) = format.filter(|_| well_formed(token)) else {
        return Err(AppError::NotFound);
    };
    let (hash, feeds, public_url) =
        (TokenKey::of(token).stored(), state.feeds.clone(), state.settings.public_url());
    let feed = state
        .db
        .run(move |c| Ok::<_, AppError>(schedule::schedule(c, &hash, format, &public_url, &feeds)?))
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(answer(&req, &feed, HeaderValue::from_static(format.content_type())))
}

/// Asks the database which feed the token opens now, keeps the answer (a token that opens
/// nothing is forgotten) and gives it to the requests waiting for it. A failed query
/// answers nothing: the decision kept, if any, expires, and a waiter asks again.
async fn decide(
    state: &web::Data<AppState>,
    key: TokenKey,
    asking: Asking<Feed>,
) -> Result<Option<Feed>, AppError> {
    let feeds = state.feeds.clone();
    feeds.asked.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let found = state.db.run(move |c| Ok::<_, AppError>(feed::find(c, &key, &feeds)?)).await?;
    state.feeds.decisions.answer(key, asking, found.clone());
    Ok(found)
}

/// The 200 or 304 for this request: the representation its Accept-Encoding allows,
/// compared with its validators.
fn answer(req: &HttpRequest, feed: &Feed, content_type: HeaderValue) -> HttpResponse {
    let headers = req.headers();
    let gzip = accepts_gzip(headers.get(header::ACCEPT_ENCODING).and_then(|v| v.to_str().ok()));
    let chosen = if gzip { &feed.body.gzip } else { &feed.body.plain };
    let validators = Validators {
        if_none_match: headers.get(header::IF_NONE_MATCH).map(|v| v.to_str().unwrap_or("")),
        if_modified_since: headers
            .get(header::IF_MODIFIED_SINCE)
            .and_then(|v| v.to_str().ok()?.parse::<HttpDate>().ok())
            .map(std::time::SystemTime::from),
    };
    let current = validators.match_(chosen.etag.as_bytes(), feed.last_modified);
    let mut res = if current { HttpResponse::NotModified() } else { HttpResponse::Ok() };
    res.insert_header((header::ETAG, chosen.etag.clone()))
        .insert_header((header::LAST_MODIFIED, feed.last_modified_header.clone()))
        .insert_header((header::VARY, ACCEPT_ENCODING));
    if current {
        return res.finish();
    }
    res.insert_header((header::CONTENT_TYPE, content_type));
    if gzip {
        res.insert_header((header::CONTENT_ENCODING, GZIP));
    }
    // A shared buffer: no copy per request.
    res.body(chosen.bytes.clone())
}

/// Whether an `Accept-Encoding` value allows gzip (RFC 9110 §12.5.3): `gzip` (or
/// `x-gzip`) with a weight above zero, or `*` above zero when gzip is not named. No
/// header: only the plain text.
fn accepts_gzip(accept_encoding: Option<&str>) -> bool {
    let Some(value) = accept_encoding else { return false };
    let mut star = false;
    for item in value.split(',') {
        let mut parts = item.split(';');
        let coding = parts.next().unwrap_or("").trim();
        let weight = parts
            .find_map(|p| p.trim().strip_prefix("q=").or_else(|| p.trim().strip_prefix("Q=")))
            .map_or(Some(1.0), |q| q.trim().parse::<f32>().ok());
        let allowed = weight.is_some_and(|q| q > 0.0);
        if coding.eq_ignore_ascii_case("gzip") || coding.eq_ignore_ascii_case("x-gzip") {
            return allowed;
        }
        if coding == "*" {
            star = allowed;
        }
    }
    star
}

#[cfg(test)]
mod tests {
    use super::accepts_gzip;

    #[test]
    fn gzip_is_sent_only_where_accept_encoding_allows_it() {
        for yes in ["gzip", "gzip, deflate, br", "br;q=1.0, GZIP;q=0.5", "x-gzip", "*", "deflate, *;q=0.1"] {
            assert!(accepts_gzip(Some(yes)), "{yes}");
        }
        for no in ["", "identity", "br, deflate", "gzip;q=0", "gzip; q=0.0, *", "*;q=0", "gzip;q=oops"] {
            assert!(!accepts_gzip(Some(no)), "{no}");
        }
        assert!(!accepts_gzip(None), "no header: the plain text");
    }
}
