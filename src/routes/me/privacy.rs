//! `/me/privacy`: what is stored about me (the JSON download is in `export`) and deleting
//! my account. Deletion is refused while I am approved for a meeting that is not over; otherwise the
//! account and its registrations go, and the audit row that records it keeps no address.

use actix_web::{HttpResponse, http::StatusCode, web};
use serde::{Deserialize, Serialize};

use crate::{
    auth::{
        guard::{SignedIn, see_other},
        session::{removal, session_cookie},
    },
    db,
    error::AppError,
    models::{audit, registration, user},
    render::{Layout, page_with_status},
    routes::form_errors::FormErrors,
    startup::AppState,
};

const TEMPLATE: &str = "pages/me/privacy.html";

#[derive(Serialize)]
struct PrivacyPage {
    title: &'static str,
    layout: Layout,
    name: String,
    email: String,
    registrations: Vec<(String, String, String)>,
    is_organizer: bool,
    errors: FormErrors,
}

#[derive(Deserialize)]
pub struct DeleteForm {
    #[serde(default)]
    confirm: Option<String>,
}

async fn render(
    state: &AppState,
    layout: Layout,
    who: &SignedIn,
    status: StatusCode,
    errors: FormErrors,
) -> Result<HttpResponse, AppError> {
    let u = &who.0.user;
    let id = u.id;
    let rows = state.db.query(move |c| registration::for_user(c, id)).await?;
    let data = PrivacyPage {
        title: "Your data",
        layout,
        name: u.name.clone(),
        email: u.email.clone(),
        registrations: rows.into_iter().map(|(r, m, team)| (m.title, team, r.status)).collect(),
        is_organizer: u.is_organizer(),
        errors,
    };
    page_with_status(status, &state.tera, TEMPLATE, &data)
}

pub async fn show(
    state: web::Data<AppState>,
    layout: Layout,
    who: SignedIn,
) -> Result<HttpResponse, AppError> {
    render(&state, layout, &who, StatusCode::OK, FormErrors::default()).await
}

pub async fn delete(
    state: web::Data<AppState>,
    layout: Layout,
    who: SignedIn,
    form: web::Form<DeleteForm>,
) -> Result<HttpResponse, AppError> {
    let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;
    if form.confirm.as_deref() != Some("yes") {
        let mut errors = FormErrors::default();
        errors.field("confirm", "Tick the box to confirm that you want your account deleted.");
        return render(&state, layout, &who, unprocessable, errors).await;
    }
    if who.0.user.is_organizer() {
        let mut errors = FormErrors::default();
        errors.form("Organizer accounts are not deleted here: ask another organizer to disable yours.");
        return render(&state, layout, &who, unprocessable, errors).await;
    }
    let (id, now) = (who.0.user.id, state.clock.now_naive());
    let deleted = state
        .db
        .query(move |c| {
            db::transaction(c, |c| {
                if registration::approved_for_coming_meeting(c, id, now.date())? {
                    return Ok(false);
                }
                let registrations = registration::for_user(c, id)?.len();
                user::delete(c, id)?;
                let detail = format!("{registrations} registration(s) deleted with it");
                audit::record(c, None, "account.deleted", &format!("user {id}"), &detail, now)?;
                Ok(true)
            })
        })
        .await?;
    if !deleted {
        let mut errors = FormErrors::default();
        errors.form(
            "You are approved for a meeting that is not over yet. Withdraw that registration first (on \
             your page), then delete your account.",
        );
        return render(&state, layout, &who, unprocessable, errors).await;
    }
    let mut res = see_other("/?done=account-deleted");
    res.add_removal_cookie(&removal(&state.settings, session_cookie(&state.settings)))
        .map_err(|e| AppError::Unexpected(e.into()))?;
    Ok(res)
}
