//! Publishing the draft as a release: the snapshot and change list are written in one
//! transaction with the audit row and the calendar updates to everyone who holds a
//! changed session.

use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::{meeting_and_zone, setup::Typed};
use crate::{
    auth::guard::{Organizer, see_other},
    db,
    domain::text,
    error::AppError,
    invites,
    models::{agenda::release, audit, meeting},
    render::Layout,
    routes::form_errors::FormErrors,
    startup::AppState,
};

#[derive(Deserialize)]
pub struct PublishForm {
    name: String,
}

pub async fn submit(
    state: web::Data<AppState>,
    layout: Layout,
    who: Organizer,
    path: web::Path<String>,
    form: web::Form<PublishForm>,
) -> Result<HttpResponse, AppError> {
    let (m, _) = meeting_and_zone(&state, path.into_inner()).await?;
    let mut errors = FormErrors::default();
    let name = match text::single_line(&form.name) {
        Ok(name) if name.chars().count() > 80 => {
            errors.field("name", "Keep the release name under 80 characters.");
            name
        }
        Ok(name) => name,
        Err(e) => {
            errors.field("name", format!("The release name: {e}"));
            form.name.trim().to_owned()
        }
    };
    if !errors.is_empty() {
        return Typed::Release(name).refused(&state, layout, m.slug, errors).await;
    }
    let (actor, now, id, slug) = (who.0.user.id, state.clock.now_naive(), m.id, m.slug.clone());
    let st = state.clone();
    let published = state
        .db
        .run(move |c| {
            db::transaction(c, |c| -> Result<_, AppError> {
                meeting::lock(c, id)?;
                if release::pending_changes(c, id)?.is_empty() {
                    return Ok(None);
                }
                let number = release::latest(c, id)?.map_or(1, |r| r.number + 1);
                let name = if name.is_empty() { format!("Release {number}") } else { name };
                let (r, changes) = release::publish(c, id, &name, actor, now)?;
                let detail = format!("release {}: {} sessions changed", r.number, changes.len());
                audit::record(c, Some(actor), "agenda.published", &slug, &detail, now)?;
                invites::after_release(c, &st, id, &changes)?;
                Ok(Some(r))
            })
        })
        .await?;
    if published.is_some() {
        state.mail_queued();
    }
    let done = if published.is_some() { "agenda-published" } else { "agenda-unchanged" };
    Ok(see_other(&format!("/admin/meetings/{}/agenda?done={done}", m.slug)))
}
