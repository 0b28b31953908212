//! `/me/security`: change the password, sign out everywhere, two-step sign-in status.

use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};

use crate::{
    auth::{
        guard::{SignedIn, see_other},
        session::{removal, session_cookie},
    },
    domain::password::NewPassword,
    error::AppError,
    models::{audit, session, user},
    render::{Layout, page_with_status},
    routes::form_errors::FormErrors,
    startup::AppState,
};

#[derive(Serialize)]
struct SecurityPage {
    title: &'static str,
    layout: Layout,
    has_second_factor: bool,
    second_factor_required: bool,
    recovery_codes_left: i64,
    errors: FormErrors,
}

#[derive(Deserialize)]
pub struct PasswordForm {
    current: String,
    new: String,
}

async fn render(
    state: &AppState,
    layout: Layout,
    who: &SignedIn,
    errors: FormErrors,
) -> Result<HttpResponse, AppError> {
    let id = who.0.user.id;
    let left = state.db.query(move |c| user::unused_recovery_codes(c, id)).await?;
    let data = SecurityPage {
        title: "Security",
        layout,
        has_second_factor: who.0.user.has_second_factor(),
        second_factor_required: who.0.user.is_organizer(),
        recovery_codes_left: left,
        errors,
    };
    page_with_status(data.errors.status(), &state.tera, "pages/me/security.html", &data)
}

pub async fn show(
    state: web::Data<AppState>,
    layout: Layout,
    who: SignedIn,
) -> Result<HttpResponse, AppError> {
    render(&state, layout, &who, FormErrors::default()).await
}

/// Needs the current password; ends every other session of the account. Both fields are
/// checked, so one answer names everything to correct.
pub async fn change_password(
    state: web::Data<AppState>,
    layout: Layout,
    who: SignedIn,
    form: web::Form<PasswordForm>,
) -> Result<HttpResponse, AppError> {
    let PasswordForm { current, new } = form.into_inner();
    let u = &who.0.user;
    let mut errors = FormErrors::default();
    if !state.hasher.verify(current, Some(u.password_hash.clone())).await? {
        errors.field("current", "Your current password is not right.");
    }
    let new = NewPassword::parse(&new, Some(&u.email)).map_err(|e| errors.field("new", e.to_string())).ok();
    let (Some(new), true) = (new, errors.is_empty()) else {
        return render(&state, layout, &who, errors).await;
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

/// Ends every session of the account, this one included.
pub async fn end_all(state: web::Data<AppState>, who: SignedIn) -> Result<HttpResponse, AppError> {
    let id = who.0.user.id;
    state.db.query(move |c| user::end_sessions(c, id)).await?;
    let mut res = see_other("/login?done=signed-out-everywhere");
    res.add_removal_cookie(&removal(&state.settings, session_cookie(&state.settings)))
        .map_err(|e| AppError::Unexpected(e.into()))?;
    Ok(res)
}
