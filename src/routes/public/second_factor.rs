//! The second sign-in step, `/login/second-factor`: a code from the authenticator app or
//! a recovery code (setting it up is `enroll`).

use actix_web::{HttpRequest, HttpResponse, http::StatusCode, web};
use chrono::Duration;
use serde::{Deserialize, Serialize};

use crate::{
    auth::{
        guard::PasswordStep,
        security_log,
        session::{self, CurrentSession},
    },
    credentials::throttle::client_ip,
    domain::{
        security_event::Event,
        token::hash_token,
        totp::{self, TotpSecret},
    },
    error::AppError,
    models::{session as sessions, user},
    render::{Layout, page, page_with_status, see_other},
    routes::form_errors::FormErrors,
    state::AppState,
};

/// Wrong codes in a row before the second step pauses.
const MAX_FAILURES: i32 = 5;
const LOCK_MINUTES: i64 = 15;

#[derive(Serialize)]
struct CodePage {
    title: &'static str,
    layout: Layout,
    errors: FormErrors,
}

#[derive(Deserialize)]
pub struct CodeForm {
    code: String,
}

pub async fn form(
    state: web::Data<AppState>,
    layout: Layout,
    who: PasswordStep,
) -> Result<HttpResponse, AppError> {
    if who.0.second_factor_done || !who.0.user.has_second_factor() {
        return Ok(see_other(if who.0.second_factor_done { "/me" } else { "/me/second-factor" }));
    }
    page(
        &state.tera,
        "pages/public/second_factor.html",
        &CodePage { title: "Two-step sign-in", layout, errors: FormErrors::default() },
    )
}

pub async fn submit(
    req: HttpRequest,
    state: web::Data<AppState>,
    layout: Layout,
    who: PasswordStep,
    form: web::Form<CodeForm>,
) -> Result<HttpResponse, AppError> {
    let ip = client_ip(&req, &state.settings);
    let s = who.0;
    if s.second_factor_done || !s.user.has_second_factor() {
        return Ok(see_other("/me"));
    }
    let now = state.clock.now();
    let (id, now_naive) = (s.user.id, now.naive_utc());
    let refuse = |error: &'static str, layout| {
        let mut errors = FormErrors::default();
        errors.field("code", error);
        let data = CodePage { title: "Two-step sign-in", layout, errors };
        page_with_status(StatusCode::UNAUTHORIZED, &state.tera, "pages/public/second_factor.html", &data)
    };
    if state.ip_throttle.blocked_for(ip).is_some() || s.user.totp_locked_until.is_some_and(|t| t > now_naive)
    {
        return refuse("Too many wrong codes. Two-step sign-in pauses for 15 minutes.", layout);
    }
    let secret = s.user.totp_secret.as_deref().and_then(TotpSecret::from_base32);
    let step =
        secret.and_then(|secret| totp::verify(&secret, &form.code, now.timestamp(), s.user.totp_last_step));
    let (accepted, event) = match step {
        Some(step) => (state.db.query(move |c| user::accept_totp_step(c, id, step)).await?, Event::SignedIn),
        None => {
            let code_hash = hash_token(&totp::normalize_recovery_code(&form.code));
            let spent =
                state.db.query(move |c| user::use_recovery_code(c, id, &code_hash, now_naive)).await?;
            (spent, Event::RecoveryCodeUsed)
        }
    };
    if !accepted {
        security_log::record(&state, &req, Some(id), Event::SecondFactorFailed).await?;
        let failures = s.user.totp_failures + 1;
        let locked_until = (failures >= MAX_FAILURES).then(|| now_naive + Duration::minutes(LOCK_MINUTES));
        state.db.query(move |c| user::totp_failed(c, id, locked_until)).await?;
        state.ip_throttle.failed(ip);
        tracing::warn!(user_id = id, "second sign-in step failed");
        return refuse(
            "That code is not right. Use the current code from your app, or a recovery code.",
            layout,
        );
    }
    state.db.query(move |c| user::clear_totp_failures(c, id)).await?;
    security_log::record(&state, &req, Some(id), event).await?;
    promote(&state, &s).await
}

/// Replaces the half-signed-in session by a fully signed-in one (a new id).
async fn promote(state: &AppState, s: &CurrentSession) -> Result<HttpResponse, AppError> {
    let old = s.id;
    state.db.query(move |c| sessions::delete(c, old)).await?;
    let started = session::start(state, s.user.id, true).await?;
    let mut res = see_other(s.user.home_path());
    res.add_cookie(&started.cookie).map_err(|e| AppError::Unexpected(e.into()))?;
    Ok(res)
}
