//! Middleware every response passes through: the request log, security headers, error
//! pages, a guard that turns a panicking handler into a 500 page, (in `cache`) the
//! Cache-Control of every response and (in `writes`) the write generation.

use std::{panic::AssertUnwindSafe, time::Instant};

use actix_web::{
    Error, HttpResponse,
    body::MessageBody,
    dev::{ServiceRequest, ServiceResponse},
    error::InternalError,
    http::{
        Method, StatusCode,
        header::{self, HeaderValue},
    },
    middleware::{ErrorHandlerResponse, Next},
    web,
};
use futures_util::FutureExt as _;
use serde::Serialize;

use crate::{db::DbError, error::AppError, render::render, state::AppState};

pub mod cache;
pub mod writes;

/// One line per request: method, route pattern, status, latency. Never the raw path or
/// query: they can carry tokens.
pub async fn request_log(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let started = Instant::now();
    let method = req.method().clone();
    let res = next.call(req).await;
    let (route, status) = match &res {
        Ok(res) => (res.request().match_pattern(), res.status()),
        Err(e) => (None, e.as_response_error().status_code()),
    };
    log_request(&method, route.as_deref(), status, started);
    res
}

/// The request log's line (also written by the feed's fast lane, `routes::feeds`).
pub fn log_request(method: &Method, route: Option<&str>, status: StatusCode, started: Instant) {
    tracing::info!(
        target: "csirt_meet::request",
        %method,
        route = route.unwrap_or("(no route)"),
        status = status.as_u16(),
        latency_ms = started.elapsed().as_millis() as u64,
        "request"
    );
}

/// Headers on every response, pages, assets and errors alike.
pub async fn security_headers(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let hsts = hsts_wanted(&req);
    let mut res = next.call(req).await?;
    set_security_headers(res.headers_mut(), hsts);
    Ok(res)
}

pub fn hsts_wanted(req: &ServiceRequest) -> bool {
    req.app_data::<web::Data<AppState>>().is_some_and(|s| s.settings.is_https())
}

/// The policy of a file served for download (a session's material): nothing in it may run,
/// load anything or be framed, even if a browser opened it in place. It is stricter than the
/// site's, so `security_headers` leaves it as the handler set it.
pub const SANDBOXED: &str = "sandbox; default-src 'none'; frame-ancestors 'none'";

pub fn set_security_headers(h: &mut header::HeaderMap, hsts: bool) {
    let sandboxed = h.get(header::CONTENT_SECURITY_POLICY).is_some_and(|v| v == SANDBOXED);
    let mut set = |name, value: &'static str| {
        h.insert(name, HeaderValue::from_static(value));
    };
    // A handler's stricter policy stands (a downloaded file's `SANDBOXED`); any other is
    // replaced by the site's.
    if !sandboxed {
        set(
            header::CONTENT_SECURITY_POLICY,
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
             object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
        );
    }
    set(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(header::REFERRER_POLICY, "same-origin");
    set(header::X_FRAME_OPTIONS, "DENY");
    if hsts {
        set(header::STRICT_TRANSPORT_SECURITY, "max-age=31536000; includeSubDomains");
    }
}

/// Notes a write the database refused (the request answered 503) for `/healthz`. Queries
/// through `Db::query` note their own; those through `Db::run` surface only here.
pub async fn note_refused_writes(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let res = next.call(req).await?;
    let error = res.response().error().and_then(|e| e.as_error::<AppError>());
    if let (Some(state), Some(AppError::Unavailable(DbError::Query(e)))) = (state, error) {
        state.db.health().note(e);
    }
    Ok(res)
}

/// A panic in a handler becomes the 500 page, not a dropped connection. The request is
/// consumed by then, so the finished response (page and headers) travels as the error.
pub async fn catch_panic(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let hsts = hsts_wanted(&req);
    match AssertUnwindSafe(next.call(req)).catch_unwind().await {
        Ok(res) => res,
        Err(_) => {
            tracing::error!("a request handler panicked");
            let status = StatusCode::INTERNAL_SERVER_ERROR;
            let mut page = HttpResponse::build(status)
                .content_type("text/html; charset=utf-8")
                .body(error_body(state.as_ref().map(|s| &***s), status));
            set_security_headers(page.headers_mut(), hsts);
            Err(InternalError::from_response("request handler panicked", page).into())
        }
    }
}

#[derive(Serialize)]
struct ErrorPage {
    status: u16,
    title: &'static str,
    message: &'static str,
}

/// The fixed page for an error status: it never carries anything of the cause.
fn error_body(state: Option<&AppState>, status: StatusCode) -> String {
    let (title, message) = match status {
        StatusCode::BAD_REQUEST => (
            "Incomplete form",
            "The form arrived incomplete or in a shape we cannot read. Go back and send it again.",
        ),
        StatusCode::PAYLOAD_TOO_LARGE => ("Too large", "What you sent is larger than this page accepts."),
        StatusCode::NOT_FOUND => (
            "Page not found",
            "There is no page at this address. Check the link, or start again from the home page.",
        ),
        StatusCode::FORBIDDEN => (
            "Not allowed",
            "Your account may not open this page. If you think it should, ask the meeting organizers.",
        ),
        StatusCode::METHOD_NOT_ALLOWED => {
            ("Not allowed", "This address does not accept that kind of request.")
        }
        StatusCode::CONFLICT => {
            ("Changed meanwhile", "Someone changed this at the same time. Reload the page and try again.")
        }
        StatusCode::SERVICE_UNAVAILABLE => {
            ("Temporarily unavailable", "The service is busy or restarting. Please try again in a minute.")
        }
        _ => {
            ("Something went wrong", "The error has been logged for the organizers. Please try again later.")
        }
    };
    let page = ErrorPage { status: status.as_u16(), title, message };
    state
        .and_then(|s| render(&s.tera, "errors/error.html", &page).ok())
        .unwrap_or_else(|| format!("<!doctype html><title>{title}</title><h1>{title}</h1><p>{message}</p>"))
}

/// Marks an error response whose body a handler wrote on purpose to explain the refusal
/// (the agenda's 403 says where the person's registration stands); it is kept as it is.
#[derive(Clone, Copy, Debug)]
pub struct OwnErrorPage;

/// Replaces the body of an error response with the fixed page for its status (problem
/// details under `/api/`), unless the handler marked it as its own explanation
/// ([`OwnErrorPage`]).
pub fn error_page<B>(res: ServiceResponse<B>) -> actix_web::Result<ErrorHandlerResponse<B>> {
    if res.response().extensions().get::<OwnErrorPage>().is_some() {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    }
    let status = res.status();
    let (req, res) = res.into_parts();
    if req.path().starts_with("/api/") {
        // The JSON API answers every error as problem details, never a page.
        let detail = crate::render::problem::generic_detail(status);
        let mut problem = crate::render::problem::Problem::new(status, Some(detail.to_owned())).response();
        for (name, value) in res.headers() {
            if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
                problem.headers_mut().insert(name.clone(), value.clone());
            }
        }
        return Ok(ErrorHandlerResponse::Response(ServiceResponse::new(req, problem).map_into_right_body()));
    }
    let body = error_body(req.app_data::<web::Data<AppState>>().map(|s| &***s), status);
    let mut page = HttpResponse::build(status).content_type("text/html; charset=utf-8").body(body);
    for (name, value) in res.headers() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            page.headers_mut().insert(name.clone(), value.clone());
        }
    }
    Ok(ErrorHandlerResponse::Response(ServiceResponse::new(req, page).map_into_right_body()))
}

/// Statuses whose body is always the fixed error page.
pub const ERROR_PAGE_STATUSES: [StatusCode; 8] = [
    StatusCode::BAD_REQUEST,
    StatusCode::FORBIDDEN,
    StatusCode::NOT_FOUND,
    StatusCode::METHOD_NOT_ALLOWED,
    StatusCode::CONFLICT,
    StatusCode::PAYLOAD_TOO_LARGE,
    StatusCode::INTERNAL_SERVER_ERROR,
    StatusCode::SERVICE_UNAVAILABLE,
];
