//! `/me/second-factor`: setting up two-step sign-in (required for organizers, before their
//! first full sign-in). The page asks for the current password first (throttled like
//! sign-in): a stolen session must not bind its own authenticator to the account. The GET
//! writes nothing; the pending secret is made by the POST that checked the password.

use actix_web::{HttpRequest, HttpResponse, http::StatusCode, web};
use serde::Deserialize;

pub use self::pages::codes_page;
use self::pages::{setup_page, start_page};
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
    render::Layout,
    routes::form_errors::FormErrors,
    startup::AppState,
};

mod pages;

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
    setup_page(&state, layout, &s, &secret, FormErrors::default())
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
        let mut errors = FormErrors::default();
        errors.field("code", error);
        return setup_page(&state, layout, &s, &secret, errors);
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
