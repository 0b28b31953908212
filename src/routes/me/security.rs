//! `/me/security`: change the password, sign out everywhere, two-step sign-in status (its
//! changes are in `two_step`) and the recent sign-ins of the security log.

use actix_web::{HttpRequest, HttpResponse, http::StatusCode, web};
use serde::{Deserialize, Serialize};

use crate::{
    auth::{
        guard::SignedIn,
        reauth::{self, Check},
        session::{removal, session_cookie},
    },
    domain::{api_token as api_scope, password::NewPassword},
    error::AppError,
    models::{api_token, audit, feed_token, security_log, session, user},
    render::{Layout, page_with_status, see_other},
    routes::form_errors::FormErrors,
    state::AppState,
};

/// Rows of the security log the page lists.
const RECENT: i64 = 20;

#[derive(Serialize)]
struct SecurityPage {
    title: &'static str,
    layout: Layout,
    has_second_factor: bool,
    second_factor_required: bool,
    recovery_codes_left: i64,
    recent: Vec<Recent>,
    api_tokens: Vec<super::api_tokens::Listed>,
    /// A token just made: shown on this answer only.
    new_token: Option<super::api_tokens::Made>,
    may_make_organizer_token: bool,
    errors: FormErrors,
}

/// One row of "recent sign-ins and security events".
#[derive(Serialize)]
struct Recent {
    at: String,
    what: &'static str,
    failure: bool,
    address: String,
    browser: String,
}

#[derive(Deserialize)]
pub struct PasswordForm {
    current: String,
    new: String,
}

/// The page, with `errors` and the status they call for (`status` overrides it: 429 when
/// the current-password check is throttled).
pub(super) async fn render(
    state: &AppState,
    layout: Layout,
    who: &SignedIn,
    errors: FormErrors,
    status: Option<StatusCode>,
) -> Result<HttpResponse, AppError> {
    render_with(state, layout, who, errors, status, None).await
}

/// [`render`], with a token just made (shown once).
pub(super) async fn render_with(
    state: &AppState,
    layout: Layout,
    who: &SignedIn,
    errors: FormErrors,
    status: Option<StatusCode>,
    new_token: Option<super::api_tokens::Made>,
) -> Result<HttpResponse, AppError> {
    let id = who.0.user.id;
    let (left, rows, tokens) = state
        .db
        .query(move |c| {
            Ok((
                user::unused_recovery_codes(c, id)?,
                security_log::for_user(c, id, Some(RECENT))?,
                api_token::for_user(c, id)?,
            ))
        })
        .await?;
    let now = state.clock.now_naive();
    let api_tokens = tokens.iter().map(|t| super::api_tokens::Listed::of(t, now)).collect();
    let recent = rows
        .into_iter()
        .map(|r| Recent {
            at: r.at.format("%-d %B %Y, %H:%M UTC").to_string(),
            what: r.event.label(),
            failure: r.event.is_failure(),
            address: r.client_ip,
            browser: r.user_agent,
        })
        .collect();
    let data = SecurityPage {
        title: "Security",
        layout,
        has_second_factor: who.0.user.has_second_factor(),
        second_factor_required: who.0.user.needs_second_factor(),
        recovery_codes_left: left,
        recent,
        api_tokens,
        new_token,
        may_make_organizer_token: api_scope::may_hold(
            api_scope::Scope::Organizer,
            who.0.user.role,
            who.0.user.has_second_factor(),
        )
        .is_ok(),
        errors,
    };
    let status = status.unwrap_or(data.errors.status());
    page_with_status(status, &state.tera, "pages/me/security.html", &data)
}

/// The status of a page refused by the current-password check.
pub(super) fn check_status(check: Check) -> StatusCode {
    match check {
        Check::Throttled(_) => StatusCode::TOO_MANY_REQUESTS,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    }
}

pub async fn show(
    state: web::Data<AppState>,
    layout: Layout,
    who: SignedIn,
) -> Result<HttpResponse, AppError> {
    render(&state, layout, &who, FormErrors::default(), None).await
}

/// Needs the current password (throttled like sign-in); ends every other session of the
/// account. Both fields are checked, so one answer names everything to correct.
pub async fn change_password(
    req: HttpRequest,
    state: web::Data<AppState>,
    layout: Layout,
    who: SignedIn,
    form: web::Form<PasswordForm>,
) -> Result<HttpResponse, AppError> {
    let PasswordForm { current, new } = form.into_inner();
    let u = &who.0.user;
    let mut errors = FormErrors::default();
    let check = reauth::current_password(&state, &req, u, current).await?;
    if let Some(message) = check.message() {
        errors.field("current", message);
    }
    let new = NewPassword::parse(&new, Some(&u.email)).map_err(|e| errors.field("new", e.to_string())).ok();
    let (Some(new), true) = (new, errors.is_empty()) else {
        let status = (check != Check::Passed).then(|| check_status(check));
        return render(&state, layout, &who, errors, status).await;
    };
    let hash = state.hasher.hash(new.expose().to_owned()).await?;
    let (id, keep, now) = (u.id, who.0.id, state.clock.now_naive());
    state
        .db
        .query(move |c| {
            crate::db::transaction(c, |c| {
                user::set_password(c, id, &hash)?;
                session::delete_others(c, id, keep)?;
                audit::record(c, Some(id), "password.changed", &format!("user {id}"), "", now)
            })
        })
        .await?;
    Ok(see_other("/me/security?done=password-changed"))
}

#[derive(Deserialize)]
pub struct EndAllForm {
    /// "yes" also stops the calendar feed addresses (a copied address outlives sessions).
    #[serde(default)]
    replace_feeds: Option<String>,
    /// "yes" also revokes the personal API tokens (a script's token outlives sessions).
    #[serde(default)]
    revoke_api_tokens: Option<String>,
}

/// Ends every session of the account, this one included; on request also stops its
/// calendar feed addresses and revokes its API tokens.
pub async fn end_all(
    state: web::Data<AppState>,
    who: SignedIn,
    form: web::Form<EndAllForm>,
) -> Result<HttpResponse, AppError> {
    let (id, now) = (who.0.user.id, state.clock.now_naive());
    let replace_feeds = form.replace_feeds.as_deref() == Some("yes");
    let revoke_api = form.revoke_api_tokens.as_deref() == Some("yes");
    state
        .db
        .query(move |c| {
            crate::db::transaction(c, |c| {
                user::end_sessions(c, id)?;
                if replace_feeds && feed_token::revoke_for_user(c, id, now)? > 0 {
                    audit::record(
                        c,
                        Some(id),
                        "feed.revoked",
                        &format!("user {id}"),
                        "signed out everywhere",
                        now,
                    )?;
                }
                if revoke_api && api_token::revoke_for_user(c, id, now)? > 0 {
                    audit::record(
                        c,
                        Some(id),
                        "api_token.revoked",
                        &format!("user {id}"),
                        "signed out everywhere",
                        now,
                    )?;
                }
                Ok(())
            })
        })
        .await?;
    let mut res = see_other("/login?done=signed-out-everywhere");
    res.add_removal_cookie(&removal(&state.settings, session_cookie(&state.settings)))
        .map_err(|e| AppError::Unexpected(e.into()))?;
    Ok(res)
}
