//! `/password/forgot` and `/password/reset/{token}`. The answer to "forgot" is the same
//! page whether or not the address has an account, after the same work.

use actix_web::{HttpRequest, HttpResponse, http::StatusCode, web};
use chrono::Duration;
use serde::{Deserialize, Serialize};

use crate::{
    auth::security_log::entry as security_entry,
    credentials::throttle::client_ip,
    domain::states::Purpose,
    domain::{
        email::Email,
        password::NewPassword,
        security_event::Event,
        token::{Token, hash_token},
    },
    error::AppError,
    models::{api_token, audit, feed_token, one_time_token, outbox, security_log, user},
    render::{Layout, page, page_with_status, see_other},
    routes::{form_errors::FormErrors, public::setup::link_invalid},
    state::AppState,
};

const RESET_LINK_MINUTES: i64 = 60;

#[derive(Serialize)]
struct ForgotPage {
    title: &'static str,
    layout: Layout,
    sent: bool,
    errors: FormErrors,
}

#[derive(Deserialize)]
pub struct ForgotForm {
    email: String,
}

#[derive(Serialize)]
struct ResetMail {
    name: String,
    link: String,
    minutes: i64,
}

pub async fn forgot_form(state: web::Data<AppState>, layout: Layout) -> Result<HttpResponse, AppError> {
    page(
        &state.tera,
        "pages/public/forgot.html",
        &ForgotPage { title: "Reset your password", layout, sent: false, errors: FormErrors::default() },
    )
}

/// Every request counts against the address's budget of the sign-in throttle, so nobody
/// can flood an inbox (or the outbox's rate limit) with reset mail.
pub async fn forgot_submit(
    req: HttpRequest,
    state: web::Data<AppState>,
    layout: Layout,
    form: web::Form<ForgotForm>,
) -> Result<HttpResponse, AppError> {
    let ip = client_ip(&req, &state.settings);
    if let Some(wait) = state.ip_throttle.blocked_for(ip) {
        let mut errors = FormErrors::default();
        errors.form(format!(
            "Too many requests from your network. Try again in {} seconds.",
            wait.as_secs().max(1)
        ));
        let data = ForgotPage { title: "Reset your password", layout, sent: false, errors };
        return page_with_status(
            StatusCode::TOO_MANY_REQUESTS,
            &state.tera,
            "pages/public/forgot.html",
            &data,
        );
    }
    state.ip_throttle.failed(ip);
    let email = Email::parse(&form.email).ok();
    let lookup = email.clone();
    let found = state
        .db
        .query(move |c| match lookup {
            Some(e) => user::by_email(c, e.as_str()),
            None => Ok(None),
        })
        .await?
        // An address never proven has no password to reset: its only way in is the
        // confirmation link (registering again sends a new one). So no reset link reaches a
        // self-registration made by someone else, and no mail repeats the name they typed.
        .filter(|u| u.disabled_at.is_none() && u.is_proven());
    // The token and the message are made for unknown addresses too; only the insert differs.
    let token = Token::generate();
    let now = state.clock.now_naive();
    let data = ResetMail {
        name: found.as_ref().map_or_else(String::new, |u| u.name.clone()),
        link: state.settings.link(&format!("/password/reset/{}", token.as_str())),
        minutes: RESET_LINK_MINUTES,
    };
    let to = email.as_ref().map_or("nobody@invalid.example", Email::as_str).to_owned();
    let mail = state.mail(&to, "password_reset", &data, format!("password-reset:{}", token.hash()))?;
    if let Some(u) = found {
        let hash = token.hash();
        state
            .db
            .query(move |c| {
                crate::db::transaction(c, |c| {
                    one_time_token::insert(
                        c,
                        &one_time_token::NewToken {
                            purpose: Purpose::PasswordReset,
                            token_hash: &hash,
                            user_id: Some(u.id),
                            email: None,
                            name: None,
                            expires_at: now + Duration::minutes(RESET_LINK_MINUTES),
                            created_by: None,
                            created_at: now,
                        },
                    )?;
                    outbox::enqueue(c, &mail)
                })
            })
            .await?;
        state.mail_queued();
    }
    page(
        &state.tera,
        "pages/public/forgot.html",
        &ForgotPage { title: "Check your inbox", layout, sent: true, errors: FormErrors::default() },
    )
}

#[derive(Serialize)]
struct ResetPage {
    title: &'static str,
    layout: Layout,
    errors: FormErrors,
}

#[derive(Deserialize)]
pub struct ResetForm {
    password: String,
    /// "yes" keeps the calendar feed addresses working; without it they stop, since
    /// whoever had the old password may have copied them.
    #[serde(default)]
    keep_feeds: Option<String>,
    /// "yes" keeps the personal API tokens; by default they are revoked, for the same reason.
    #[serde(default)]
    keep_api_tokens: Option<String>,
}

/// The form, fresh (200) or again with its message (422).
fn show(state: &AppState, layout: Layout, errors: FormErrors) -> Result<HttpResponse, AppError> {
    let data = ResetPage { title: "Choose a new password", layout, errors };
    page_with_status(data.errors.status(), &state.tera, "pages/public/reset.html", &data)
}

async fn valid(state: &AppState, raw: &str) -> Result<Option<one_time_token::OneTimeToken>, AppError> {
    let (hash, now) = (hash_token(raw), state.clock.now_naive());
    Ok(state.db.query(move |c| one_time_token::find_valid(c, &hash, &[Purpose::PasswordReset], now)).await?)
}

pub async fn form(
    state: web::Data<AppState>,
    layout: Layout,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    if valid(&state, &path).await?.is_none() {
        return link_invalid(&state, layout);
    }
    show(&state, layout, FormErrors::default())
}

/// Sets the new password, spends the link and ends every session of the account; unless
/// asked to keep them, stops its calendar feed addresses too. The second factor stays: the
/// next sign-in still asks for it.
pub async fn submit(
    req: HttpRequest,
    state: web::Data<AppState>,
    layout: Layout,
    path: web::Path<String>,
    form: web::Form<ResetForm>,
) -> Result<HttpResponse, AppError> {
    let Some(token) = valid(&state, &path).await? else {
        return link_invalid(&state, layout);
    };
    let Some(user_id) = token.user_id else {
        return link_invalid(&state, layout);
    };
    let account = state.db.query(move |c| user::find(c, user_id)).await?;
    // No reset link is made for an address never proven (see `forgot_submit`); one from
    // before that rule opens nothing either.
    if !account.is_proven() {
        return link_invalid(&state, layout);
    }
    let password = match NewPassword::parse(&form.password, Some(&account.email)) {
        Ok(p) => p,
        Err(e) => {
            let mut errors = FormErrors::default();
            errors.field("password", e.to_string());
            return show(&state, layout, errors);
        }
    };
    let hash = state.hasher.hash(password.expose().to_owned()).await?;
    let now = state.clock.now_naive();
    let replace_feeds = form.keep_feeds.as_deref() != Some("yes");
    let revoke_api = form.keep_api_tokens.as_deref() != Some("yes");
    let logged = security_entry(&state, &req, Some(user_id), Event::PasswordReset);
    let spent = state
        .db
        .query(move |c| {
            crate::db::transaction(c, |c| {
                if !one_time_token::mark_used(c, token.id, now)? {
                    return Ok(false);
                }
                user::set_password(c, user_id, &hash)?;
                user::end_sessions(c, user_id)?;
                one_time_token::retire_for_user(c, user_id, Purpose::PasswordReset, now)?;
                audit::record(c, Some(user_id), "password.reset", &format!("user {user_id}"), "", now)?;
                if replace_feeds && feed_token::revoke_for_user(c, user_id, now)? > 0 {
                    let subject = format!("user {user_id}");
                    audit::record(c, Some(user_id), "feed.revoked", &subject, "password reset", now)?;
                }
                if revoke_api && api_token::revoke_for_user(c, user_id, now)? > 0 {
                    let subject = format!("user {user_id}");
                    audit::record(c, Some(user_id), "api_token.revoked", &subject, "password reset", now)?;
                }
                security_log::record(c, &logged)?;
                Ok(true)
            })
        })
        .await?;
    if !spent {
        return link_invalid(&state, layout);
    }
    Ok(see_other("/login?done=password-reset"))
}
