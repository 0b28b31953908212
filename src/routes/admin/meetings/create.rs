//! `/admin/meetings/new` and its POST: a new meeting proposed after a FIRST edition (the
//! next one by default, or the one chosen with `?edition=`), created with a copy of the
//! edition's values (name, city, time zone, days), so editing the edition later changes
//! no meeting.

use actix_web::{HttpResponse, web};
use diesel::OptionalExtension as _;
use serde::Deserialize;

use super::{form::MeetingForm, form_page, validate};
use crate::{
    auth::guard::Organizer,
    db,
    error::AppError,
    models::{audit, first_edition, meeting},
    render::{Layout, see_other},
    routes::form_errors::FormErrors,
    state::AppState,
};

#[derive(Deserialize)]
pub struct Choice {
    /// An edition's id; `none` for a meeting whose conference the organizer types.
    edition: Option<String>,
}

pub async fn new(
    state: web::Data<AppState>,
    layout: Layout,
    _who: Organizer,
    query: web::Query<Choice>,
) -> Result<HttpResponse, AppError> {
    let today = state.clock.now().date_naive();
    let chosen = query.into_inner().edition;
    let edition = state
        .db
        .query(move |c| match chosen.as_deref().map(str::parse::<i64>) {
            None => first_edition::next(c, today),
            Some(Ok(id)) => first_edition::find(c, id).optional(),
            Some(Err(_)) => Ok(None),
        })
        .await?;
    let form = MeetingForm::proposal(today, edition.as_ref());
    form_page(&state, layout, form, FormErrors::default(), Vec::new(), None).await
}

pub async fn create(
    state: web::Data<AppState>,
    layout: Layout,
    who: Organizer,
    form: web::Form<MeetingForm>,
) -> Result<HttpResponse, AppError> {
    let mut form = form.into_inner();
    let edition = match form.edition.trim() {
        "" => None,
        raw => {
            let id = raw.parse::<i64>().ok();
            let found = match id {
                Some(id) => state.db.query(move |c| first_edition::find(c, id).optional()).await?,
                None => None,
            };
            let Some(e) = found else {
                let mut errors = FormErrors::default();
                errors.form("That FIRST edition no longer exists. Choose another edition, or none.");
                form.edition.clear();
                return form_page(&state, layout, form, errors, Vec::new(), None).await;
            };
            // The meeting copies the edition's values as they are now, whatever was sent.
            form.take_edition(&e);
            Some(e.id)
        }
    };
    let mut fields = match validate(&state, &form, None).await? {
        Ok(fields) => fields,
        Err(errors) => return form_page(&state, layout, form, errors, Vec::new(), None).await,
    };
    fields.edition_id = edition;
    let (actor, now) = (who.0.user.id, state.clock.now_naive());
    let uids = (uuid::Uuid::new_v4().to_string(), uuid::Uuid::new_v4().to_string());
    let created = state
        .db
        .query(move |c| {
            db::transaction(c, |c| {
                if let Some(id) = fields.edition_id {
                    // Not deleted since it was read: deleting checks under the same lock.
                    first_edition::lock(c)?;
                    first_edition::find(c, id)?;
                }
                let m = meeting::insert(c, &fields, (&uids.0, &uids.1), false, now)?;
                let detail = fields.edition_id.map(|id| format!("from edition {id}")).unwrap_or_default();
                audit::record(c, Some(actor), "meeting.created", &m.slug, &detail, now)?;
                Ok(m)
            })
        })
        .await?;
    Ok(see_other(&format!("/admin/meetings/{}?done=meeting-saved", created.slug)))
}
