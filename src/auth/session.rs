//! Server-side sessions and CSRF, checked by one middleware on every page request.
//!
//! The session cookie holds a random id; the database holds its hash, so sessions end at
//! once on every instance. CSRF uses a synchronizer token: the session's token when signed
//! in, otherwise a random token in a cookie of its own (for the sign-in and reset forms);
//! every state-changing request must carry it in the `csrf_token` form field (or the
//! `X-CSRF-Token` header), and a present `Origin` must be the public origin.

use actix_web::{
    Error, FromRequest, HttpMessage as _, HttpRequest, HttpResponse,
    body::{EitherBody, MessageBody},
    cookie::{Cookie, SameSite, time::Duration as CookieDuration},
    dev::{Payload, ServiceRequest, ServiceResponse},
    http::{Method, header},
    middleware::Next,
    web::{self, Bytes, BytesMut},
};
use chrono::Duration;
use futures_util::StreamExt as _;

use crate::{
    config::Settings,
    db::DbError,
    domain::token::{Token, constant_time_eq, hash_token},
    error::AppError,
    models::{session, user::User},
    state::AppState,
};

/// The largest request body read for the CSRF check: small for anonymous forms (sign-in,
/// password reset), larger for signed-in people (the team import).
const ANONYMOUS_BODY_LIMIT: usize = 64 * 1024;
const BODY_LIMIT: usize = 2 * 1024 * 1024;

/// The signed-in person of this request.
#[derive(Clone)]
pub struct CurrentSession {
    pub id: i64,
    pub csrf_token: String,
    pub second_factor_done: bool,
    pub user: User,
}

crate::domain::redact::debug_redacted!(CurrentSession { id, second_factor_done, user } secret: { csrf_token });

/// The CSRF token that forms of this request must carry.
#[derive(Clone)]
pub struct Csrf(pub String);

impl std::fmt::Debug for Csrf {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Csrf").field(&crate::domain::redact::Redacted).finish()
    }
}

pub fn session_cookie(settings: &Settings) -> &'static str {
    if settings.is_https() { "__Host-session" } else { "session" }
}

fn csrf_cookie(settings: &Settings) -> &'static str {
    if settings.is_https() { "__Host-csrf" } else { "csrf" }
}

/// A cookie the browser keeps only for this site, never sends cross-site on POST, and
/// never shows to scripts.
pub fn cookie(settings: &Settings, name: &'static str, value: String) -> Cookie<'static> {
    Cookie::build(name, value)
        .path("/")
        .http_only(true)
        .secure(settings.is_https())
        .same_site(SameSite::Lax)
        .finish()
}

/// A cookie that tells the browser to forget `name`.
pub fn removal(settings: &Settings, name: &'static str) -> Cookie<'static> {
    let mut c = cookie(settings, name, String::new());
    c.set_max_age(CookieDuration::ZERO);
    c
}

/// Reads that need no session: health checks, static files, security.txt, calendar feeds
/// and schedule files (their token is the credential). Only reads: a state change always
/// goes through the CSRF check. The JSON API (`/api/`) never reads a session, whatever the
/// method: it accepts only a bearer token, which a browser does not send by itself, so a
/// cookie opens nothing there and CSRF does not apply.
fn skips_sessions(req: &ServiceRequest) -> bool {
    let path = req.path();
    path.starts_with("/api/")
        || matches!(*req.method(), Method::GET | Method::HEAD)
            && (path == "/healthz"
                || path == "/favicon.ico"
                || path == "/.well-known/security.txt"
                || path.starts_with("/assets/")
                || path.starts_with("/feeds/")
                || path.starts_with("/schedules/"))
}

pub async fn middleware(
    mut req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, Error> {
    let Some(state) = req.app_data::<web::Data<AppState>>().cloned() else {
        return Ok(next.call(req).await?.map_into_left_body());
    };
    if skips_sessions(&req) {
        return Ok(next.call(req).await?.map_into_left_body());
    }
    let settings = &state.settings;
    let current = match req.cookie(session_cookie(settings)) {
        Some(c) => match load(&state, c.value().to_owned(), req.method() == Method::HEAD).await {
            Ok(current) => current,
            // Answered here, so the error page and the security headers still apply.
            Err(e) => return Ok(req.error_response(e).map_into_right_body()),
        },
        None => None,
    };
    let mut new_csrf_cookie = None;
    let csrf = match &current {
        Some(s) => s.csrf_token.clone(),
        None => match req.cookie(csrf_cookie(settings)).filter(|c| c.value().len() == 64) {
            Some(c) => c.value().to_owned(),
            None => {
                let token = Token::generate().as_str().to_owned();
                new_csrf_cookie = Some(cookie(settings, csrf_cookie(settings), token.clone()));
                token
            }
        },
    };

    if !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        let origin = req.headers().get(header::ORIGIN).map(|o| o.to_str().unwrap_or("invalid"));
        if origin.is_some_and(|o| o != settings.public_origin()) {
            tracing::warn!(route = ?req.match_pattern(), "refused a request from a foreign Origin");
            return Ok(req.into_response(HttpResponse::Forbidden().finish()).map_into_right_body());
        }
        let submitted = if let Some(boundary) = super::multipart_csrf::boundary(req.headers()) {
            // A file upload: only its first part is read here, the file streams on.
            super::multipart_csrf::token(&mut req, &boundary).await?
        } else {
            let limit = if current.is_some() { BODY_LIMIT } else { ANONYMOUS_BODY_LIMIT };
            let Some(body) = read_body(&mut req, limit).await? else {
                return Ok(req.into_response(HttpResponse::PayloadTooLarge().finish()).map_into_right_body());
            };
            let submitted = submitted_token(&req, &body);
            req.set_payload(Payload::from(body));
            submitted
        };
        if !submitted.is_some_and(|t| constant_time_eq(&t, &csrf)) {
            tracing::warn!("refused a state change without a valid CSRF token");
            return Ok(req.into_response(HttpResponse::Forbidden().finish()).map_into_right_body());
        }
    }

    req.extensions_mut().insert(Csrf(csrf));
    if let Some(current) = current {
        req.extensions_mut().insert(current);
    }
    let mut res = next.call(req).await?;
    if let Some(c) = new_csrf_cookie {
        res.response_mut().add_cookie(&c)?;
    }
    Ok(res.map_into_left_body())
}

async fn read_body(req: &mut ServiceRequest, limit: usize) -> Result<Option<Bytes>, Error> {
    let mut payload = req.take_payload();
    let mut body = BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk?;
        if body.len() + chunk.len() > limit {
            return Ok(None);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Some(body.freeze()))
}

fn submitted_token(req: &ServiceRequest, body: &Bytes) -> Option<String> {
    let is_form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if is_form && let Some((_, token)) = url::form_urlencoded::parse(body).find(|(k, _)| k == "csrf_token") {
        return Some(token.into_owned());
    }
    req.headers().get("x-csrf-token").and_then(|v| v.to_str().ok()).map(str::to_owned)
}

/// The session named by the cookie, if it exists, is within its timeouts and its user is
/// neither disabled nor without a proven address (whatever made the session). An expired
/// session is deleted, and a live one's last use recorded, except on HEAD, which writes
/// nothing.
///
/// Deleting an expired session and noting when a session was last used are bookkeeping:
/// when the database cannot write, they are skipped (and noted for `/healthz`), and the
/// request goes on; only the request's own writes may fail it.
async fn load(state: &AppState, raw: String, head: bool) -> Result<Option<CurrentSession>, AppError> {
    let now = state.clock.now_naive();
    let idle = Duration::minutes(state.settings.auth.session_idle_minutes);
    let absolute = Duration::hours(state.settings.auth.session_absolute_hours);
    let Some((s, user)) = state.db.read_query(move |conn| session::find(conn, &hash_token(&raw))).await?
    else {
        return Ok(None);
    };
    // Bookkeeping: if the database cannot take it now, the request goes on.
    let bookkeeping = |result: Result<usize, DbError>, what: &str| {
        if let Err(e) = result {
            tracing::warn!(error = %crate::error::chain(&e), "could not {what}; the request goes on");
        }
    };
    let (id, expired) = (s.id, s.last_seen_at < now - idle || s.created_at < now - absolute);
    if expired || user.disabled_at.is_some() || user.email_verified_at.is_none() {
        if !head {
            bookkeeping(state.db.query(move |c| session::delete(c, id)).await, "delete an expired session");
        }
        return Ok(None);
    }
    if s.last_seen_at < now - Duration::minutes(1) && !head {
        bookkeeping(state.db.query(move |c| session::touch(c, id, now)).await, "note the session's use");
    }
    Ok(Some(CurrentSession {
        id: s.id,
        csrf_token: s.csrf_token,
        second_factor_done: s.second_factor_done,
        user,
    }))
}

/// A new session: its cookie and the CSRF token its forms carry.
pub struct Started {
    pub cookie: Cookie<'static>,
    pub csrf: String,
}

/// Starts a session for `user` (a new id every time: no fixation).
pub async fn start(state: &AppState, user_id: i64, second_factor_done: bool) -> Result<Started, AppError> {
    let token = Token::generate();
    let csrf = Token::generate().as_str().to_owned();
    let (hash, stored_csrf, now) = (token.hash(), csrf.clone(), state.clock.now_naive());
    state
        .db
        .query(move |c| session::create(c, &hash, user_id, &stored_csrf, second_factor_done, now))
        .await?;
    Ok(Started {
        cookie: cookie(&state.settings, session_cookie(&state.settings), token.as_str().to_owned()),
        csrf,
    })
}

impl FromRequest for Csrf {
    type Error = Error;
    type Future = std::future::Ready<Result<Self, Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(Ok(req.extensions().get::<Csrf>().cloned().unwrap_or(Csrf(String::new()))))
    }
}

/// The session of the request, signed in fully or not; `None` for anonymous visitors.
pub struct Viewer(pub Option<CurrentSession>);

impl FromRequest for Viewer {
    type Error = Error;
    type Future = std::future::Ready<Result<Self, Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(Ok(Viewer(req.extensions().get::<CurrentSession>().cloned())))
    }
}

#[cfg(test)]
mod debug_tests {
    use super::{Csrf, CurrentSession};
    use crate::models::debug_tests::user_holding;
    use crate::render::Layout;

    #[test]
    fn sessions_and_csrf_tokens_print_redacted() {
        let session = CurrentSession {
            id: 1,
            csrf_token: "CANARY-CSRF".into(),
            second_factor_done: true,
            user: user_holding("CANARY-HASH"),
        };
        let layout = Layout { csrf_token: "CANARY-CSRF".into(), viewer: None, flash: None };
        let printed = format!("{session:?} {:?} {layout:?}", Csrf("CANARY-CSRF".into()));
        assert!(!printed.contains("CANARY"), "{printed}");
        assert_eq!(printed.matches("[redacted]").count(), 5, "{printed}");
    }
}
