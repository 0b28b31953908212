//! `/me/security`'s changes to two-step sign-in: turning it off (members only; organizers
//! must keep it) and new recovery codes. Both take the account over if a stolen session
//! could do them, so both ask for the current password (throttled like sign-in).

use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use crate::{
    auth::{
        guard::SignedIn,
        reauth::{self, Check},
    },
    domain::{token::hash_token, totp},
    error::AppError,
    models::{audit, user},
    render::{Layout, see_other},
    routes::{
        form_errors::FormErrors,
        me::security::{check_status, render},
        public::enroll::codes_page,
    },
    state::AppState,
};

#[derive(Deserialize)]
pub struct OffForm {
    off_current: String,
}

#[derive(Deserialize)]
pub struct CodesForm {
    codes_current: String,
}

/// Removes the second factor and its recovery codes; the next sign-in asks only for the
/// password. Refused for organizers before any password is tried.
pub async fn turn_off(
    req: HttpRequest,
    state: web::Data<AppState>,
    layout: Layout,
    who: SignedIn,
    form: web::Form<OffForm>,
) -> Result<HttpResponse, AppError> {
    let u = &who.0.user;
    if !u.has_second_factor() {
        return Ok(see_other("/me/security"));
    }
    let mut errors = FormErrors::default();
    if u.needs_second_factor() {
        errors.form(if u.is_organizer() {
            "Organizers must keep two-step sign-in; it stays on."
        } else {
            "Reviewers must keep two-step sign-in; it stays on."
        });
        return render(&state, layout, &who, errors, None).await;
    }
    let check = reauth::current_password(&state, &req, u, form.into_inner().off_current).await?;
    if let Some(message) = check.message() {
        errors.field("off_current", message);
        return render(&state, layout, &who, errors, Some(check_status(check))).await;
    }
    let (id, now) = (u.id, state.clock.now_naive());
    state
        .db
        .query(move |c| {
            crate::db::transaction(c, |c| {
                user::reset_totp(c, id)?;
                audit::record(c, Some(id), "second_factor.disabled", &format!("user {id}"), "", now)
            })
        })
        .await?;
    Ok(see_other("/me/security?done=second-factor-off"))
}

/// Replaces every recovery code (used or not) by new ones, shown once.
pub async fn new_recovery_codes(
    req: HttpRequest,
    state: web::Data<AppState>,
    layout: Layout,
    who: SignedIn,
    form: web::Form<CodesForm>,
) -> Result<HttpResponse, AppError> {
    let u = &who.0.user;
    if !u.has_second_factor() {
        return Ok(see_other("/me/security"));
    }
    let check = reauth::current_password(&state, &req, u, form.into_inner().codes_current).await?;
    if let Some(message) = check.message() {
        let mut errors = FormErrors::default();
        errors.field("codes_current", message);
        return render(&state, layout, &who, errors, Some(check_status(check))).await;
    }
    debug_assert_eq!(check, Check::Passed);
    let codes = totp::generate_recovery_codes();
    let hashes: Vec<String> = codes.iter().map(|c| hash_token(&totp::normalize_recovery_code(c))).collect();
    let (id, now) = (u.id, state.clock.now_naive());
    state
        .db
        .query(move |c| {
            crate::db::transaction(c, |c| {
                user::replace_recovery_codes(c, id, &hashes)?;
                audit::record(c, Some(id), "recovery_codes.replaced", &format!("user {id}"), "", now)
            })
        })
        .await?;
    codes_page(&state, layout, codes, "New recovery codes made; the old ones no longer work.")
}
