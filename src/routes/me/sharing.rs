//! POST `/me/registrations/{id}/sharing`: the person's two opt-ins for a meeting (issue 19,
//! point 2), both off until ticked: "show my email and key to the other attendees"
//! (`share_contact`: the directory, its keyring and vCard) and "add me to the community
//! mailing list" (`mailing_list`: the organizers' roster). Unlike the details they may
//! change at any time, also after the meeting; only the owner reaches them.

use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::registration::{load, save};
use crate::{auth::guard::SignedIn, error::AppError, models::directory, state::AppState};

/// Each choice is a pair of radio buttons, "no" preselected: an answer is always sent, and
/// anything but `yes` or `no` makes the form unreadable (400), nothing written.
#[derive(Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
enum Choice {
    Yes,
    No,
}

#[derive(Deserialize)]
pub struct SharingForm {
    share_contact: Choice,
    mailing_list: Choice,
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
    let (share, mailing) = (form.share_contact == Choice::Yes, form.mailing_list == Choice::Yes);
    save(&state, user_id, &mine, "registration.sharing_changed", "sharing-saved", move |c, id, now| {
        directory::set_sharing(c, id, share, mailing, now)
    })
    .await
}
