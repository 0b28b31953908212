//! `/admin/meetings/new` and its POST: a new meeting proposed after a FIRST edition (the
//! next one by default, or the one chosen with `?edition=`), created with a copy of the
//! edition's values (name, city, time zone, days), so editing the edition later changes
//! no meeting. With `?from=` (the "new meeting from this one" link on a meeting's hub) the
//! form is prefilled from that meeting, and creating copies its setup (`models::carry`).

use actix_web::{HttpResponse, web};
use diesel::OptionalExtension as _;
use serde::Deserialize;

use super::{form::MeetingForm, form_page, validate};
use crate::{
    auth::guard::Organizer,
    db,
    error::AppError,
    models::{audit, carry, first_edition, meeting},
    render::{Layout, see_other},
    routes::form_errors::FormErrors,
    state::AppState,
};

#[derive(Deserialize)]
pub struct Choice {
    /// An edition's id; `none` for a meeting whose conference the organizer types.
    edition: Option<String>,
    /// The short name of the meeting to carry into the new one.
    from: Option<String>,
}

pub async fn new(
    state: web::Data<AppState>,
    layout: Layout,
    _who: Organizer,
    query: web::Query<Choice>,
) -> Result<HttpResponse, AppError> {
    let today = state.clock.now().date_naive();
    let Choice { edition: chosen, from } = query.into_inner();
    let (edition, old) = state
        .db
        .query(move |c| {
            let old = match from.as_deref().filter(|s| !s.is_empty()) {
                Some(slug) => Some(meeting::by_slug(c, slug)?),
                None => None,
            };
            let edition = match chosen.as_deref().map(str::parse::<i64>) {
                None => first_edition::next(c, today)?,
                Some(Ok(id)) => first_edition::find(c, id).optional()?,
                Some(Err(_)) => None,
            };
            Ok((edition, old))
        })
        .await?;
    let mut form = MeetingForm::proposal(today, edition.as_ref());
    if let Some(old) = &old {
        form = MeetingForm::carried(form, old);
    }
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
    let from = Some(form.from.trim().to_owned()).filter(|s| !s.is_empty());
    let carried = from.is_some();
    let created = state
        .db
        .query(move |c| {
            db::transaction(c, |c| {
                if let Some(id) = fields.edition_id {
                    // Not deleted since it was read: deleting checks under the same lock.
                    first_edition::lock(c)?;
                    first_edition::find(c, id)?;
                }
                // A vanished meeting to carry from is "not found" and nothing is created.
                let old = from.as_deref().map(|slug| meeting::by_slug(c, slug)).transpose()?;
                let m = meeting::insert(c, &fields, (&uids.0, &uids.1), false, now)?;
                if let Some(old) = &old {
                    carry::copy_setup(c, old.id, m.id, actor, now)?;
                }
                let detail = [
                    old.map(|o| format!("from {}", o.slug)),
                    fields.edition_id.map(|id| format!("from edition {id}")),
                ]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(", ");
                audit::record(c, Some(actor), "meeting.created", &m.slug, &detail, now)?;
                Ok(m)
            })
        })
        .await?;
    if carried {
        return Ok(see_other(&format!("/admin/meetings/{}/returning?done=meeting-carried", created.slug)));
    }
    Ok(see_other(&format!("/admin/meetings/{}?done=meeting-saved", created.slug)))
}
