//! POST `/me/registrations/{id}/offer/accept` and `…/offer/decline`: the person answers the
//! offer of a freed place (`attendance::offers`). A refused answer (deadline passed, no open
//! offer, places gone) writes nothing and shows the registration as it is now, with the
//! reason.

use actix_web::{HttpResponse, http::StatusCode, web};

use super::registration::{Forms, load, render};
use crate::{
    attendance::offers,
    auth::guard::SignedIn,
    db,
    error::AppError,
    render::{Layout, see_other},
    routes::form_errors::FormErrors,
    state::AppState,
};

pub async fn accept(
    state: web::Data<AppState>,
    layout: Layout,
    who: SignedIn,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    answer(state, layout, who, path.into_inner(), true).await
}

pub async fn decline(
    state: web::Data<AppState>,
    layout: Layout,
    who: SignedIn,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    answer(state, layout, who, path.into_inner(), false).await
}

async fn answer(
    state: web::Data<AppState>,
    layout: Layout,
    who: SignedIn,
    id: i64,
    accepting: bool,
) -> Result<HttpResponse, AppError> {
    let user_id = who.0.user.id;
    let st = state.clone();
    let outcome = state
        .db
        .run(move |c| {
            db::transaction(c, |c| {
                if accepting {
                    offers::accept(c, &st.composer, user_id, id)
                } else {
                    offers::decline(c, &st.composer, user_id, id)
                }
            })
        })
        .await?;
    match outcome {
        Ok(()) => {
            state.mail_queued();
            let done = if accepting { "offer-accepted" } else { "offer-declined" };
            Ok(see_other(&format!("/me?done={done}")))
        }
        Err(e) => {
            // Read after the refusal: an offer past its deadline ends on this read.
            let mine = load(&state, user_id, id).await?;
            let mut errors = FormErrors::default();
            errors.form(e.to_string());
            render(&state, layout, StatusCode::UNPROCESSABLE_ENTITY, &mine, errors, Forms::stored(&mine))
        }
    }
}
