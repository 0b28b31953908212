//! `/me/agenda`: the header's "Agenda" link. It leads to the agenda of the person's newest
//! meeting where they are approved; an organizer without such a registration goes to the
//! meetings; anyone else back to `/me`, told that the agenda opens after approval.

use actix_web::{HttpResponse, web};

use crate::{
    auth::guard::SignedIn, domain::registration::Status, error::AppError, models::registration,
    render::see_other, state::AppState,
};

pub async fn show(state: web::Data<AppState>, who: SignedIn) -> Result<HttpResponse, AppError> {
    let user = who.0.user;
    let id = user.id;
    // Newest meeting first.
    let rows = state.db.query(move |c| registration::for_user(c, id)).await?;
    let approved = rows.into_iter().find(|(r, _, _)| r.status == Status::Approved);
    Ok(see_other(&match approved {
        Some((_, meeting, _)) => format!("/meetings/{}/agenda", meeting.slug),
        None if user.is_organizer() => "/admin/meetings".to_owned(),
        None if user.reviews() => "/review".to_owned(),
        None => "/me?done=agenda-after-approval".to_owned(),
    }))
}
