//! The second sign-in step: `/login/second-factor` (a code from the authenticator app or
//! a recovery code) and `/me/second-factor` (setting it up; required for organizers).

use actix_web::{
    HttpRequest, HttpResponse,
    http::{StatusCode, header},
    web,
};
use chrono::Duration;
use serde::{Deserialize, Serialize};

use crate::{
    auth::{
        guard::{PasswordStep, see_other},
        session::{self, CurrentSession},
        throttle::client_ip,
    },
    domain::{
        token::hash_token,
        totp::{self, TotpSecret},
    },
    error::AppError,
    models::{session as sessions, user},
    render::{Layout, page, page_with_status},
    routes::table::is_head,
    startup::AppState,
};

/// Wrong codes in a row before the second step pauses.
const MAX_FAILURES: i32 = 5;
const LOCK_MINUTES: i64 = 15;

#[derive(Serialize)]
struct CodePage {
    title: &'static str,
    layout: Layout,
    error: Option<&'static str>,
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
        &CodePage { title: "Two-step sign-in", layout, error: None },
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
    let refuse = |error, layout| {
        page_with_status(
            StatusCode::UNAUTHORIZED,
            &state.tera,
            "pages/public/second_factor.html",
            &CodePage { title: "Two-step sign-in", layout, error: Some(error) },
        )
    };
    if state.ip_throttle.blocked_for(ip).is_some() || s.user.totp_locked_until.is_some_and(|t| t > now_naive)
    {
        return refuse("Too many wrong codes. Two-step sign-in pauses for 15 minutes.", layout);
    }
    let secret = s.user.totp_secret.as_deref().and_then(TotpSecret::from_base32);
    let step =
        secret.and_then(|secret| totp::verify(&secret, &form.code, now.timestamp(), s.user.totp_last_step));
    let accepted = match step {
        Some(step) => state.db.query(move |c| user::accept_totp_step(c, id, step)).await?,
        None => {
            let code_hash = hash_token(&totp::normalize_recovery_code(&form.code));
            state.db.query(move |c| user::use_recovery_code(c, id, &code_hash, now_naive)).await?
        }
    };
    if !accepted {
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
    promote(&state, &s).await
}

/// Replaces the half-signed-in session by a fully signed-in one (a new id).
async fn promote(state: &AppState, s: &CurrentSession) -> Result<HttpResponse, AppError> {
    let old = s.id;
    state.db.query(move |c| sessions::delete(c, old)).await?;
    let started = session::start(state, s.user.id, true).await?;
    let mut res = see_other(if s.user.is_organizer() { "/admin" } else { "/me" });
    res.add_cookie(&started.cookie).map_err(|e| AppError::Unexpected(e.into()))?;
    Ok(res)
}

#[derive(Serialize)]
struct SetupPage {
    title: &'static str,
    layout: Layout,
    secret: String,
    otpauth_uri: String,
    /// The otpauth URI as a QR code, an inline `<svg>` made by `crate::qr`.
    qr_svg: String,
    required: bool,
    error: Option<&'static str>,
}

/// The setup page for `secret`: the key as text and as a QR code. It holds the secret, so
/// no cache (browser or proxy) may keep it.
fn setup_page(
    state: &AppState,
    layout: Layout,
    s: &CurrentSession,
    secret: &TotpSecret,
    error: Option<&'static str>,
) -> Result<HttpResponse, AppError> {
    let otpauth_uri = totp::otpauth_uri(secret, "NatCSIRT meeting", &s.user.email);
    let qr_svg = crate::qr::svg(&otpauth_uri, "QR code with the setup address for your authenticator app")
        .map_err(|e| AppError::Unexpected(anyhow::Error::new(e).context("drawing the setup address")))?;
    let data = SetupPage {
        title: "Set up two-step sign-in",
        layout,
        secret: secret.to_base32(),
        otpauth_uri,
        qr_svg,
        required: s.user.is_organizer(),
        error,
    };
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let mut res = page_with_status(status, &state.tera, "pages/me/second_factor_setup.html", &data)?;
    res.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
    Ok(res)
}

#[derive(Serialize)]
struct CodesPage {
    title: &'static str,
    layout: Layout,
    codes: Vec<String>,
}

/// Shows a new secret to enter in an authenticator app (kept pending until confirmed).
pub async fn setup_form(
    req: HttpRequest,
    state: web::Data<AppState>,
    layout: Layout,
    who: PasswordStep,
) -> Result<HttpResponse, AppError> {
    let s = who.0;
    if s.user.has_second_factor() {
        return Ok(see_other(if s.second_factor_done { "/me/security" } else { "/login/second-factor" }));
    }
    // A pending secret is shown again (a second tab or a reload must not replace the one
    // already scanned).
    let secret = match s.user.totp_secret.as_deref().and_then(TotpSecret::from_base32) {
        Some(pending) => pending,
        None => {
            let fresh = TotpSecret::generate();
            let (id, stored) = (s.user.id, fresh.to_base32());
            // A HEAD shows no secret, so it keeps none.
            if !is_head(&req) {
                state.db.query(move |c| user::set_pending_totp(c, id, &stored)).await?;
            }
            fresh
        }
    };
    setup_page(&state, layout, &s, &secret, None)
}

/// Confirms the pending secret with a code; shows the recovery codes once.
pub async fn setup_submit(
    state: web::Data<AppState>,
    layout: Layout,
    who: PasswordStep,
    form: web::Form<CodeForm>,
) -> Result<HttpResponse, AppError> {
    let s = who.0;
    if s.user.has_second_factor() {
        return Ok(see_other("/me/security"));
    }
    let now = state.clock.now();
    let Some(secret) = s.user.totp_secret.as_deref().and_then(TotpSecret::from_base32) else {
        return Ok(see_other("/me/second-factor"));
    };
    let Some(step) = totp::verify(&secret, &form.code, now.timestamp(), None) else {
        let error = "That code is not right. Check the time on your phone and enter the current code.";
        return setup_page(&state, layout, &s, &secret, Some(error));
    };
    let codes = totp::generate_recovery_codes();
    let hashes: Vec<String> = codes.iter().map(|c| hash_token(&totp::normalize_recovery_code(c))).collect();
    let (id, old, now_naive) = (s.user.id, s.id, now.naive_utc());
    state
        .db
        .query(move |c| {
            crate::db::transaction(c, |c| {
                user::enable_totp(c, id, step, now_naive)?;
                user::replace_recovery_codes(c, id, &hashes)?;
                sessions::delete(c, old)?;
                crate::models::audit::record(
                    c,
                    Some(id),
                    "second_factor.enabled",
                    &format!("user {id}"),
                    "",
                    now_naive,
                )
            })
        })
        .await?;
    let started = session::start(&state, id, true).await?;
    let mut layout = layout;
    layout.csrf_token = started.csrf.clone();
    layout.viewer = layout.viewer.map(|mut v| {
        v.signed_in = true;
        v
    });
    let cookie = started.cookie;
    let mut res = page(
        &state.tera,
        "pages/me/recovery_codes.html",
        &CodesPage { title: "Your recovery codes", layout, codes },
    )?;
    res.add_cookie(&cookie).map_err(|e| AppError::Unexpected(e.into()))?;
    // Shown once: no cache may keep the codes either.
    res.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
    Ok(res)
}
