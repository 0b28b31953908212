//! POST `/me/registrations/{id}/sharing`: the person's two opt-ins for a meeting (issue 19,
//! point 2), both off until ticked: "show my email and key to the other attendees"
//! (`share_contact`: the directory, its keyring and vCard) and "add me to the community
//! mailing list" (`mailing_list`: the organizers' roster). Unlike the details they may
//! change at any time, also after the meeting; only the owner reaches them.

use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::registration::{load, save};
use crate::{auth::guard::SignedIn, error::AppError, models::directory, state::AppState};

#[derive(Deserialize)]
pub struct SharingForm {
    share_contact: Option<String>,
    mailing_list: Option<String>,
}

pub async fn update(
    state: web::Data<AppState>,
    who: SignedIn,
    path: web::Path<i64>,
    form: web::Form<SharingForm>,
) -> Result<HttpResponse, AppError> {
    let user_id = who.0.user.id;
    let mine = load(&state, user_id, path.into_inner()).await?;
    let form = form.into_inner();
    // A checkbox sends its value only when ticked.
    let share = form.share_contact.as_deref() == Some("yes");
    let mailing = form.mailing_list.as_deref() == Some("yes");
    save(&state, user_id, &mine, "registration.sharing_changed", "sharing-saved", move |c, id, now| {
        directory::set_sharing(c, id, share, mailing, now)
    })
    .await
}
