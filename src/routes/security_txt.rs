//! `/.well-known/security.txt` (RFC 9116): where to report a vulnerability in this
//! installation, from the `[security_txt]` settings. Without a configured contact there
//! is no valid file to give, so the address answers 404 like any unknown one.

use actix_web::{HttpResponse, web};
use chrono::{DateTime, Utc};

use crate::{config::Settings, error::AppError, state::AppState};

pub const PATH: &str = "/.well-known/security.txt";

pub async fn show(state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    // Checked at start-up: an error here cannot happen, and would mean "no file" anyway.
    let Ok(Some(file)) = state.settings.security_txt.file() else {
        return Err(AppError::NotFound);
    };
    Ok(HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .body(file.render(&state.settings.link(PATH))))
}

/// Logged once at start-up: a file past its expiry is ignored by those who read it.
pub fn warn_if_expired(settings: &Settings, now: DateTime<Utc>) {
    if let Ok(Some(file)) = settings.security_txt.file()
        && file.expired(now)
    {
        tracing::warn!(
            "security_txt.expires has passed: readers treat {PATH} as stale; review the contacts \
             and set a new date"
        );
    }
}
