//! `/feeds/{token}.ics`: an approved attendee's private feed (docs/CALENDAR.md F1–F6). No
//! cookie needed; the token is checked by its hash and access again on every fetch;
//! anything else is the same 404 as a token that never existed. Logs carry the route
//! pattern only. An unchanged feed answers 304 from its remembered ETag, without being
//! built again (`private, no-cache` from `middleware::cache` makes clients ask each time).
//! The answer is built by `delivery::feed`; this reads the request and writes the HTTP.

use actix_web::{
    HttpRequest, HttpResponse,
    http::header::{self, HttpDate},
    web,
};

use crate::{
    delivery::feed::{self, Answer, Validators, whole_seconds},
    error::AppError,
    routes::table::is_head,
    state::AppState,
};

/// The client's validators, read before the database is asked.
fn validators(req: &HttpRequest) -> Validators {
    let header = |name| req.headers().get(name).map(|v| v.to_str().unwrap_or("").to_owned());
    Validators {
        if_none_match: header(header::IF_NONE_MATCH),
        if_modified_since: header(header::IF_MODIFIED_SINCE)
            .and_then(|v| v.parse::<HttpDate>().ok())
            .map(std::time::SystemTime::from),
    }
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
    let (now, validators, etags) = (state.clock.now_naive(), validators(&req), state.feed_etags.clone());
    // A HEAD fetched nothing: it is not a use of the feed.
    let record_use = (!is_head(&req)).then(|| state.db.clone());
    let answer = state
        .db
        .run(move |c| feed::build(c, &token, now, &source_url, &validators, &etags, record_use.as_ref()))
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
