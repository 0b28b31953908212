//! POST `/meetings/{slug}/sessions/{id}/pick` and `/unpick`: an approved attendee adds a
//! session of the latest release to "my agenda" or takes it off, then goes back to the page
//! the button was on. Organizers read without a registration, so they have no picks.

use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::{back::back_target, reader};
use crate::{
    auth::guard::SignedIn,
    calendar::InviteKind,
    db,
    delivery::invites,
    error::AppError,
    models::{
        agenda::{pick, release},
        calendar_settings,
    },
    render::{Layout, see_other},
    state::AppState,
};

#[derive(Deserialize)]
pub struct PickForm {
    #[serde(default)]
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
    let r = match reader(&state, layout, &who, slug.clone()).await? {
        Ok(r) => r,
        Err(refused) => return Ok(refused),
    };
    let Some(reg) = r.registration_id else { return Err(AppError::Forbidden) };
    let (meeting_id, now, st) = (r.meeting.id, state.clock.now_naive(), state.clone());
    let changed = state
        .db
        .run(move |c| {
            db::transaction(c, |c| -> Result<bool, AppError> {
                // Only what attendees can see may be picked: a session of the latest release.
                let (_, sessions) = release::latest_sessions(c, meeting_id)?;
                if !sessions.iter().any(|s| s.session_id == id) {
                    return Err(AppError::NotFound);
                }
                let changed = if add { pick::add(c, reg, id, now)? } else { pick::remove(c, reg, id)? };
                if changed {
                    // A feed of picks changes with them; the mailbox gets the invite or
                    // its removal (docs/CALENDAR.md I7).
                    calendar_settings::feed_changed(c, reg, now)?;
                    let kind = if add { InviteKind::Invitation } else { InviteKind::Uninvite };
                    invites::session_to(c, &st.composer, reg, id, kind)?;
                }
                Ok(changed)
            })
        })
        .await?;
    if changed {
        state.mail_queued();
    }
    Ok(see_other(&format!("{back}#s-{id}")))
}
