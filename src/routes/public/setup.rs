//! `/setup/{token}`: create an organizer account from the first-run link or an organizer
//! invitation. GET only shows the form (mail scanners open links); POST spends the token.

use actix_web::{HttpResponse, http::StatusCode, web};
use serde::{Deserialize, Serialize};

use crate::{
    auth::session,
    domain::states::{Purpose, Role},
    domain::{email::Email, password::NewPassword, token::hash_token},
    error::AppError,
    models::{
        audit,
        one_time_token::{self, OneTimeToken},
        user,
    },
    render::{Layout, page_with_status, see_other},
    routes::form_errors::FormErrors,
    state::AppState,
};

#[derive(Serialize)]
struct SetupPage {
    title: &'static str,
    layout: Layout,
    first_run: bool,
    email: String,
    email_fixed: bool,
    name: String,
    errors: FormErrors,
    /// A reviewer invitation: the account reviews registrations and reads agendas.
    reviewer: bool,
}

#[derive(Deserialize)]
pub struct SetupForm {
    name: String,
    #[serde(default)]
    email: String,
    password: String,
}

/// A usable setup or invitation token. The first-run link dies once any organizer exists
/// (for example one made with `create-organizer`).
async fn valid_token(state: &AppState, raw: &str) -> Result<Option<OneTimeToken>, AppError> {
    let (hash, now) = (hash_token(raw), state.clock.now_naive());
    Ok(state
        .db
        .query(move |c| {
            let token = one_time_token::find_valid(
                c,
                &hash,
                &[Purpose::Setup, Purpose::OrganizerInvite, Purpose::ReviewerInvite],
                now,
            )?;
            match token {
                Some(t) if t.purpose == Purpose::Setup && user::any_organizer(c)? => Ok(None),
                other => Ok(other),
            }
        })
        .await?)
}

/// The page for a link that is unknown, used or expired.
pub fn link_invalid(state: &AppState, layout: Layout) -> Result<HttpResponse, AppError> {
    #[derive(Serialize)]
    struct Invalid {
        title: &'static str,
        layout: Layout,
    }
    page_with_status(
        StatusCode::NOT_FOUND,
        &state.tera,
        "pages/public/link_invalid.html",
        &Invalid { title: "This link does not work", layout },
    )
}

/// The form, fresh (200) or again with its messages (422); never with the password.
fn show(
    state: &AppState,
    token: &OneTimeToken,
    layout: Layout,
    name: String,
    email: String,
    errors: FormErrors,
) -> Result<HttpResponse, AppError> {
    let fixed = token.email.clone();
    let reviewer = token.purpose == Purpose::ReviewerInvite;
    let data = SetupPage {
        title: if reviewer { "Create your reviewer account" } else { "Create your organizer account" },
        reviewer,
        layout,
        first_run: token.purpose == Purpose::Setup,
        email_fixed: fixed.is_some(),
        email: fixed.unwrap_or(email),
        name,
        errors,
    };
    page_with_status(data.errors.status(), &state.tera, "pages/public/setup.html", &data)
}

pub async fn form(
    state: web::Data<AppState>,
    layout: Layout,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let Some(token) = valid_token(&state, &path).await? else {
        return link_invalid(&state, layout);
    };
    let name = token.name.clone().unwrap_or_default();
    show(&state, &token, layout, name, String::new(), FormErrors::default())
}

pub async fn submit(
    state: web::Data<AppState>,
    layout: Layout,
    path: web::Path<String>,
    form: web::Form<SetupForm>,
) -> Result<HttpResponse, AppError> {
    let Some(token) = valid_token(&state, &path).await? else {
        return link_invalid(&state, layout);
    };
    let SetupForm { name, email, password } = form.into_inner();
    let email = token.email.clone().unwrap_or(email);
    let mut errors = FormErrors::default();
    let name = errors.single_line("name", &name);
    if name.is_empty() {
        errors.field("name", "Enter your name.");
    }
    let parsed = Email::parse(&email).map_err(|e| errors.field("email", e.to_string())).ok();
    let password = NewPassword::parse(&password, parsed.as_ref().map(Email::as_str))
        .map_err(|e| errors.field("password", e.to_string()))
        .ok();
    let (Some(address), Some(password), true) = (parsed, password, errors.is_empty()) else {
        return show(&state, &token, layout, name, email, errors);
    };
    let hash = state.hasher.hash(password.expose().to_owned()).await?;
    let now = state.clock.now_naive();
    let (token_id, purpose, by) = (token.id, token.purpose, token.created_by);
    let typed_name = name.clone();
    let created = state
        .db
        .query(move |c| {
            crate::db::transaction(c, |c| {
                let first_run_over = purpose == Purpose::Setup && user::any_organizer(c)?;
                // The link proves the address: a self-registration never confirmed gives way.
                if !first_run_over {
                    user::replace_unproven(c, address.as_str())?;
                }
                if first_run_over
                    || user::by_email(c, address.as_str())?.is_some()
                    || !one_time_token::mark_used(c, token_id, now)?
                {
                    return Ok(None);
                }
                let role = if purpose == Purpose::ReviewerInvite { Role::Reviewer } else { Role::Organizer };
                let new = user::NewUser {
                    email: address.as_str(),
                    name: &name,
                    role,
                    password_hash: &hash,
                    email_verified_at: Some(now),
                    created_at: now,
                };
                let u = user::insert(c, &new)?;
                let actor = by.or(Some(u.id));
                audit::record(
                    c,
                    actor,
                    if role == Role::Reviewer { "reviewer.created" } else { "organizer.created" },
                    &format!("user {}", u.id),
                    purpose.as_str(),
                    now,
                )?;
                Ok(Some(u))
            })
        })
        .await?;
    let Some(u) = created else {
        // An invitation fixes the address: then no field can correct it.
        let exists = "An account with this email address exists already. Sign in instead.";
        let mut errors = FormErrors::default();
        match token.email {
            Some(_) => errors.form(exists),
            None => errors.field("email", exists),
        }
        return show(&state, &token, layout, typed_name, email, errors);
    };
    let started = session::start(&state, u.id, false).await?;
    let mut res = see_other("/me/second-factor");
    res.add_cookie(&started.cookie).map_err(|e| AppError::Unexpected(e.into()))?;
    Ok(res)
}
