//! `/verify/{token}`: confirms an address. GET only shows the button (mail scanners open
//! links); POST spends the token and, in one transaction, marks the address proven, moves
//! the person's registrations waiting for it to "pending review" and audits each move.
//! Unknown, used and expired links all answer the same "link not valid" page, as 410: a
//! 404 body would be replaced by the generic "page not found", and the person needs to
//! read how to get a new link.

use actix_web::{HttpResponse, http::StatusCode, web};
use serde::Serialize;

use crate::{
    auth::{guard::see_other, session::Viewer},
    db,
    domain::{registration::Status, token::hash_token},
    error::AppError,
    models::{audit, one_time_token, registration, user},
    render::{Layout, page, page_with_status},
    startup::AppState,
};

#[derive(Serialize)]
struct ConfirmPage {
    title: &'static str,
    layout: Layout,
}

fn link_invalid(state: &AppState, layout: Layout) -> Result<HttpResponse, AppError> {
    let data = ConfirmPage { title: "This link does not work", layout };
    page_with_status(StatusCode::GONE, &state.tera, "pages/public/verify_invalid.html", &data)
}

async fn valid(state: &AppState, raw: &str) -> Result<Option<one_time_token::OneTimeToken>, AppError> {
    let (hash, now) = (hash_token(raw), state.clock.now_naive());
    Ok(state
        .db
        .query(move |c| one_time_token::find_valid(c, &hash, &[one_time_token::VERIFY_EMAIL], now))
        .await?)
}

pub async fn form(
    state: web::Data<AppState>,
    layout: Layout,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    if valid(&state, &path).await?.is_none() {
        return link_invalid(&state, layout);
    }
    page(&state.tera, "pages/public/verify.html", &ConfirmPage { title: "Confirm your address", layout })
}

pub async fn submit(
    state: web::Data<AppState>,
    layout: Layout,
    viewer: Viewer,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let Some(token) = valid(&state, &path).await? else {
        return link_invalid(&state, layout);
    };
    let Some(user_id) = token.user_id else {
        return link_invalid(&state, layout);
    };
    let now = state.clock.now_naive();
    let confirmed = state
        .db
        .query(move |c| {
            db::transaction(c, |c| {
                if !one_time_token::mark_used(c, token.id, now)? {
                    return Ok(false);
                }
                user::mark_verified(c, user_id, now)?;
                let (from, to) = (Status::PendingVerification.as_str(), Status::Pending.as_str());
                for id in registration::awaiting_address(c, user_id)? {
                    if registration::set_status(c, id, from, to, now)? {
                        let subject = format!("registration {id}");
                        audit::record(c, Some(user_id), "registration.verified", &subject, "", now)?;
                    }
                }
                Ok(true)
            })
        })
        .await?;
    if !confirmed {
        return link_invalid(&state, layout);
    }
    let signed_in = viewer.0.is_some_and(|s| s.user.id == user_id);
    Ok(see_other(if signed_in { "/me?done=address-confirmed" } else { "/login?done=address-confirmed" }))
}
