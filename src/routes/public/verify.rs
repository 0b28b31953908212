//! `/verify/{token}`: confirms an address and sets the account's password. GET only shows
//! the form (mail scanners open links); POST spends the token and, in one transaction,
//! sets the password chosen here, marks the address proven, moves the person's
//! registrations waiting for it to "pending review" and audits each move. Only the holder
//! of the emailed link ever chooses the password: nothing typed at `/register` opens the
//! account. Unknown, used and expired links all answer the same "link not valid" page, as
//! 410: a 404 body would be replaced by the generic "page not found", and the person needs
//! to read how to get a new link.

use actix_web::{HttpResponse, http::StatusCode, web};
use serde::{Deserialize, Serialize};

use crate::{
    attendance::endorsements,
    db,
    domain::states::Purpose,
    domain::{password::NewPassword, registration::Status, token::hash_token},
    error::AppError,
    models::{audit, one_time_token, registration, user},
    render::{Layout, page_with_status, see_other},
    routes::form_errors::FormErrors,
    state::AppState,
};

#[derive(Serialize)]
struct ConfirmPage {
    title: &'static str,
    layout: Layout,
    errors: FormErrors,
}

#[derive(Deserialize)]
pub struct ConfirmForm {
    #[serde(default)]
    password: String,
}

fn link_invalid(state: &AppState, layout: Layout) -> Result<HttpResponse, AppError> {
    let data = ConfirmPage { title: "This link does not work", layout, errors: FormErrors::default() };
    page_with_status(StatusCode::GONE, &state.tera, "pages/public/verify_invalid.html", &data)
}

/// The form, fresh (200) or again with its message (422).
fn show(state: &AppState, layout: Layout, errors: FormErrors) -> Result<HttpResponse, AppError> {
    let data = ConfirmPage { title: "Confirm your address", layout, errors };
    page_with_status(data.errors.status(), &state.tera, "pages/public/verify.html", &data)
}

async fn valid(state: &AppState, raw: &str) -> Result<Option<one_time_token::OneTimeToken>, AppError> {
    let (hash, now) = (hash_token(raw), state.clock.now_naive());
    Ok(state.db.query(move |c| one_time_token::find_valid(c, &hash, &[Purpose::VerifyEmail], now)).await?)
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

pub async fn submit(
    state: web::Data<AppState>,
    layout: Layout,
    path: web::Path<String>,
    form: web::Form<ConfirmForm>,
) -> Result<HttpResponse, AppError> {
    let Some(token) = valid(&state, &path).await? else {
        return link_invalid(&state, layout);
    };
    let Some(user_id) = token.user_id else {
        return link_invalid(&state, layout);
    };
    let account = state.db.query(move |c| user::find(c, user_id)).await?;
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
    let mail = state.composer.clone();
    let confirmed = state
        .db
        .run(move |c| {
            db::transaction(c, |c| -> Result<bool, AppError> {
                if !one_time_token::mark_used(c, token.id, now)? {
                    return Ok(false);
                }
                user::set_password(c, user_id, &hash)?;
                user::end_sessions(c, user_id)?;
                user::mark_verified(c, user_id, now)?;
                one_time_token::retire_for_user(c, user_id, Purpose::VerifyEmail, now)?;
                let (from, to) = (Status::PendingVerification, Status::Pending);
                for id in registration::awaiting_address(c, user_id)? {
                    if registration::set_status(c, id, from, to, now)? {
                        let subject = format!("registration {id}");
                        audit::record(c, Some(user_id), "registration.verified", &subject, "", now)?;
                        // In review now: the team's contacts are asked, when the meeting wants it.
                        endorsements::ask(c, &mail, id)?;
                    }
                }
                Ok(true)
            })
        })
        .await?;
    if !confirmed {
        return link_invalid(&state, layout);
    }
    state.mail_queued();
    Ok(see_other("/login?done=address-confirmed"))
}
