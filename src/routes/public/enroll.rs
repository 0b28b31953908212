//! `/me/second-factor`: setting up two-step sign-in (required for organizers, before their
//! first full sign-in). The page asks for the current password first (throttled like
//! sign-in): a stolen session must not bind its own authenticator to the account. The GET
//! writes nothing; the pending secret is made by the POST that checked the password.

use actix_web::{
    HttpRequest, HttpResponse,
    http::{StatusCode, header},
    web,
};
use serde::{Deserialize, Serialize};

use crate::{
    auth::{
        guard::{PasswordStep, see_other},
        reauth::{self, Check},
        security_log,
        session::{self, CurrentSession},
    },
    domain::{
        security_event::Event,
        token::hash_token,
        totp::{self, TotpSecret},
    },
    error::AppError,
    models::{session as sessions, user},
    render::{Layout, page, page_with_status},
    routes::form_errors::FormErrors,
    startup::AppState,
};

#[derive(Serialize)]
struct StartPage {
    title: &'static str,
    layout: Layout,
    required: bool,
    errors: FormErrors,
}

#[derive(Deserialize)]
pub struct StartForm {
    current: String,
}

#[derive(Deserialize)]
pub struct CodeForm {
    code: String,
}

/// Where someone who already has a second factor goes instead.
fn elsewhere(s: &CurrentSession) -> HttpResponse {
    see_other(if s.second_factor_done { "/me/security" } else { "/login/second-factor" })
}

fn start_page(
    state: &AppState,
    layout: Layout,
    s: &CurrentSession,
    errors: FormErrors,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let data =
        StartPage { title: "Set up two-step sign-in", layout, required: s.user.is_organizer(), errors };
    page_with_status(status, &state.tera, "pages/me/second_factor_start.html", &data)
}

/// Asks for the current password; shows no secret and stores nothing.
pub async fn form(
    state: web::Data<AppState>,
    layout: Layout,
    who: PasswordStep,
) -> Result<HttpResponse, AppError> {
    if who.0.user.has_second_factor() {
        return Ok(elsewhere(&who.0));
    }
    start_page(&state, layout, &who.0, FormErrors::default(), StatusCode::OK)
}

/// With the right password, shows the secret to enter in an authenticator app (kept
/// pending until confirmed with a code).
pub async fn start(
    req: HttpRequest,
    state: web::Data<AppState>,
    layout: Layout,
    who: PasswordStep,
    form: web::Form<StartForm>,
) -> Result<HttpResponse, AppError> {
    let s = who.0;
    if s.user.has_second_factor() {
        return Ok(elsewhere(&s));
    }
    let check = reauth::current_password(&state, &req, &s.user, form.into_inner().current).await?;
    if let Some(message) = check.message() {
        let mut errors = FormErrors::default();
        errors.field("current", message);
        let status = match check {
            Check::Throttled(_) => StatusCode::TOO_MANY_REQUESTS,
            _ => StatusCode::UNPROCESSABLE_ENTITY,
        };
        return start_page(&state, layout, &s, errors, status);
    }
    // A pending secret is shown again (a second tab or a resubmission must not replace the
    // one already scanned).
    let secret = match s.user.totp_secret.as_deref().and_then(TotpSecret::from_base32) {
        Some(pending) => pending,
        None => {
            let fresh = TotpSecret::generate();
            let (id, stored) = (s.user.id, fresh.to_base32());
            state.db.query(move |c| user::set_pending_totp(c, id, &stored)).await?;
            fresh
        }
    };
    setup_page(&state, layout, &s, &secret, None)
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
    flash: &'static str,
}

/// The recovery codes, shown once: no cache may keep them.
pub fn codes_page(
    state: &AppState,
    layout: Layout,
    codes: Vec<String>,
    flash: &'static str,
) -> Result<HttpResponse, AppError> {
    let data = CodesPage { title: "Your recovery codes", layout, codes, flash };
    let mut res = page(&state.tera, "pages/me/recovery_codes.html", &data)?;
    res.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
    Ok(res)
}

/// Confirms the pending secret with a code; shows the recovery codes once. For someone
/// between the two sign-in steps this completes the sign-in, so it goes to the security log.
pub async fn submit(
    req: HttpRequest,
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
    let signed_in =
        (!s.second_factor_done).then(|| security_log::entry(&state, &req, Some(id), Event::SignedIn));
    state
        .db
        .query(move |c| {
            crate::db::transaction(c, |c| {
                user::enable_totp(c, id, step, now_naive)?;
                user::replace_recovery_codes(c, id, &hashes)?;
                sessions::delete(c, old)?;
                if let Some(row) = &signed_in {
                    crate::models::security_log::record(c, row)?;
                }
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
    let mut res = codes_page(&state, layout, codes, "Two-step sign-in is on.")?;
    res.add_cookie(&started.cookie).map_err(|e| AppError::Unexpected(e.into()))?;
    Ok(res)
}
