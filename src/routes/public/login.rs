//! `/login` and `/logout`: the password step. Every failure looks the same (page, status,
//! work done), whether the address exists, is not proven yet, the password is wrong or the
//! account waits.

use actix_web::{HttpRequest, HttpResponse, http::StatusCode, web};
use serde::{Deserialize, Serialize};

use crate::{
    auth::{
        guard::PasswordStep,
        security_log,
        session::{self, removal, session_cookie},
    },
    credentials::throttle::client_ip,
    domain::{backoff::sign_in_delay, email::Email, security_event::Event},
    email::domain_of,
    error::AppError,
    models::{session as sessions, user},
    render::{Layout, page, page_with_status, see_other},
    routes::form_errors::FormErrors,
    state::AppState,
};

#[derive(Serialize)]
struct LoginPage {
    title: &'static str,
    layout: Layout,
    email: String,
    /// A refusal is about the whole form: it never says which field was wrong.
    errors: FormErrors,
}

#[derive(Deserialize)]
pub struct LoginForm {
    email: String,
    password: String,
}

const FAILED: &str = "Sign-in failed. Check the email address and the password. \
                      After several failures, sign-in pauses for a while.";

pub async fn form(state: web::Data<AppState>, layout: Layout) -> Result<HttpResponse, AppError> {
    page(
        &state.tera,
        "pages/public/login.html",
        &LoginPage { title: "Sign in", layout, email: String::new(), errors: FormErrors::default() },
    )
}

pub async fn submit(
    req: HttpRequest,
    state: web::Data<AppState>,
    layout: Layout,
    form: web::Form<LoginForm>,
) -> Result<HttpResponse, AppError> {
    let LoginForm { email, password } = form.into_inner();
    let refuse = |status, error: String, email: String, layout| {
        let mut errors = FormErrors::default();
        errors.form(error);
        page_with_status(
            status,
            &state.tera,
            "pages/public/login.html",
            &LoginPage { title: "Sign in", layout, email, errors },
        )
    };
    let ip = client_ip(&req, &state.settings);
    if let Some(wait) = state.ip_throttle.blocked_for(ip) {
        let message = format!(
            "Too many failed sign-ins from your network. Try again in {} seconds.",
            wait.as_secs().max(1)
        );
        return refuse(StatusCode::TOO_MANY_REQUESTS, message, email, layout);
    }

    let normalized = Email::parse(&email).ok();
    let lookup = normalized.clone();
    let found = state
        .db
        .query(move |c| match lookup {
            Some(e) => user::by_email(c, e.as_str()),
            None => Ok(None),
        })
        .await?;
    let now = state.clock.now_naive();
    // An unproven address has no credential: the dummy hash is checked, as for an unknown
    // address, and the answer is that of a wrong password.
    let credential = found.as_ref().and_then(|u| u.credential().map(str::to_owned));
    let verified = state.hasher.verify(password, credential).await?;
    // A refused try at a paused or disabled account is the account's too.
    let found_id = found.as_ref().map(|u| u.id);
    let usable = found.filter(|u| u.disabled_at.is_none() && u.login_locked_until.is_none_or(|t| t <= now));

    match (usable, verified) {
        (Some(u), true) => {
            let id = u.id;
            state.db.query(move |c| user::clear_failed_logins(c, id)).await?;
            let done = !u.needs_second_factor() && !u.has_second_factor();
            let event = if done { Event::SignedIn } else { Event::PasswordAccepted };
            security_log::record(&state, &req, Some(id), event).await?;
            let started = session::start(&state, u.id, done).await?;
            let next = if !done {
                if u.has_second_factor() { "/login/second-factor" } else { "/me/second-factor" }
            } else {
                "/me"
            };
            let mut res = see_other(next);
            res.add_cookie(&started.cookie).map_err(|e| AppError::Unexpected(e.into()))?;
            Ok(res)
        }
        (account, _) => {
            state.ip_throttle.failed(ip);
            let domain = normalized
                .as_ref()
                .map_or("(invalid address)".to_owned(), |e| domain_of(e.as_str()).to_owned());
            tracing::warn!(email_domain = %domain, %ip, "sign-in failed");
            security_log::record(&state, &req, found_id, Event::SignInFailed).await?;
            if let Some(u) = account {
                let free = state.settings.auth.account_failures_before_delay as u32;
                let failures = (u.failed_logins + 1) as u32;
                let locked_until = sign_in_delay(failures, free).map(|d| now + d);
                state.db.query(move |c| user::record_failed_login(c, u.id, locked_until)).await?;
            }
            refuse(StatusCode::UNAUTHORIZED, FAILED.to_owned(), email, layout)
        }
    }
}

/// Ends this session (a POST, with CSRF like every state change).
pub async fn logout(
    state: web::Data<AppState>,
    current: Option<PasswordStep>,
) -> Result<HttpResponse, AppError> {
    if let Some(PasswordStep(s)) = current {
        state.db.query(move |c| sessions::delete(c, s.id)).await?;
    }
    let mut res = see_other("/login?done=signed-out");
    res.add_removal_cookie(&removal(&state.settings, session_cookie(&state.settings)))
        .map_err(|e| AppError::Unexpected(e.into()))?;
    Ok(res)
}
