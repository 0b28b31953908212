//! POST `/meetings/{slug}/sessions/{id}/pick` and `/unpick`: an approved attendee adds a
//! session of the latest release to "my agenda" or takes it off, then goes back to the page
//! the button was on. Organizers read without a registration, so they have no picks. A
//! break or a meal has no button to add it; a request to add one anyway is refused with
//! the reason (`Kind::may_pick`) and nothing written. One picked before stays removable.

use actix_web::{HttpResponse, http::StatusCode, web};
use serde::{Deserialize, Serialize};

use super::{back::back_target, reader};
use crate::{
    attendance,
    auth::guard::SignedIn,
    db,
    error::AppError,
    render::{Layout, page_with_status, see_other},
    state::AppState,
};

#[derive(Deserialize)]
pub struct PickForm {
    #[serde(default)]
    back: String,
}

/// The answer to a pick that is refused, with the way back to the page it came from.
#[derive(Serialize)]
struct RefusedPick {
    title: String,
    layout: Layout,
    message: String,
    back: String,
}

pub async fn pick(
    state: web::Data<AppState>,
    layout: Layout,
    who: SignedIn,
    path: web::Path<(String, i64)>,
    form: web::Form<PickForm>,
) -> Result<HttpResponse, AppError> {
    change(state, layout, who, path.into_inner(), form.into_inner(), true).await
}

pub async fn unpick(
    state: web::Data<AppState>,
    layout: Layout,
    who: SignedIn,
    path: web::Path<(String, i64)>,
    form: web::Form<PickForm>,
) -> Result<HttpResponse, AppError> {
    change(state, layout, who, path.into_inner(), form.into_inner(), false).await
}

async fn change(
    state: web::Data<AppState>,
    layout: Layout,
    who: SignedIn,
    (slug, id): (String, i64),
    form: PickForm,
    add: bool,
) -> Result<HttpResponse, AppError> {
    // Decided before anything is written: a target that cannot be redirected to would fail
    // the answer after the pick was saved and its invite queued.
    let back = back_target(&slug, &form.back);
    let r = match reader(&state, layout.clone(), &who, slug.clone()).await? {
        Ok(r) => r,
        Err(refused) => return Ok(refused),
    };
    let Some(reg) = r.registration_id else { return Err(AppError::Forbidden) };
    let (meeting_id, st) = (r.meeting().id, state.clone());
    let changed = state
        .db
        .run(move |c| db::transaction(c, |c| attendance::pick(c, &st.composer, (meeting_id, reg), id, add)))
        .await?;
    match changed {
        Ok(changed) => {
            if changed {
                state.mail_queued();
            }
            Ok(see_other(&format!("{back}#s-{id}")))
        }
        Err(refused) => {
            let data = RefusedPick {
                title: format!("{}: agenda", r.meeting().title),
                layout,
                message: refused.to_string(),
                back,
            };
            page_with_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &state.tera,
                "pages/agenda/pick_refused.html",
                &data,
            )
        }
    }
}
