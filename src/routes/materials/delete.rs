//! POST `/meetings/{slug}/sessions/{id}/materials/{material}/delete`: the uploader or an
//! organizer removes a file from the session's page, after confirming (`routes::confirm`);
//! its bytes go with it. Audited by id and label, never by file name.

use actix_web::{HttpResponse, web};

use super::place;
use crate::{
    auth::guard::SignedIn,
    error::AppError,
    models::{audit, material},
    render::{Layout, see_other},
    routes::confirm::{self, Ask, Confirm},
    state::AppState,
};

pub async fn submit(
    state: web::Data<AppState>,
    layout: Layout,
    who: SignedIn,
    path: web::Path<(String, i64, i64)>,
    form: web::Form<Confirm>,
) -> Result<HttpResponse, AppError> {
    let (slug, id, material_id) = path.into_inner();
    let (_, found) = match place(&state, layout.clone(), &who, slug.clone(), id, move |c, _| {
        material::find(c, id, material_id)
    })
    .await?
    {
        Ok(found) => found,
        Err(refused) => return Ok(refused),
    };
    let m = found.ok_or(AppError::NotFound)?;
    let user = &who.0.user;
    if !(user.is_organizer() || m.uploaded_by == Some(user.id)) {
        return Err(AppError::Forbidden);
    }
    let back = format!("/meetings/{slug}/sessions/{id}#materials");
    if !form.given() {
        return confirm::ask(
            &state,
            layout,
            Ask {
                // The file name is shown as the session's title would be: on the page, not
                // in its <title> when the session is TLP:RED.
                title: format!("Delete “{}”?", m.file_name),
                page_title: Some(format!("Delete a file ({})", m.tlp)),
                happens: "The file is removed from the session's page, for everyone, and cannot be restored."
                    .into(),
                receives: "Nobody is told. People who downloaded it keep their copy.".into(),
                action: format!("/meetings/{slug}/sessions/{id}/materials/{material_id}/delete"),
                button: "Delete this file",
                back,
                ..Ask::default()
            },
        );
    }
    let (by, now, label) = (user.id, state.clock.now_naive(), m.tlp);
    state
        .db
        .query(move |c| {
            crate::db::transaction(c, |c| {
                material::delete(c, material_id)?;
                let detail = format!("session {id}, {label}");
                audit::record(
                    c,
                    Some(by),
                    "material.deleted",
                    &format!("material/{material_id}"),
                    &detail,
                    now,
                )
            })
        })
        .await?;
    Ok(see_other(&format!("/meetings/{slug}/sessions/{id}?done=material-deleted#materials")))
}
