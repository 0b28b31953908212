//! `/admin/editions`: the editions of the FIRST conference that organizers keep (filled
//! from the shipped file while the table is empty), which the meeting form proposes a new
//! meeting after. An edition a meeting was created from cannot be deleted.

mod edit;
mod form;

use actix_web::{HttpResponse, web};
use serde::Serialize;

pub use edit::{create, new, show, update};
use form::EditionForm;

use crate::{
    auth::guard::Organizer,
    db,
    domain::colocation::DateRange,
    error::AppError,
    models::{audit, first_edition},
    render::{Layout, page, see_other},
    routes::{
        confirm::{self, Ask, Confirm},
        form_errors::FormErrors,
    },
    state::AppState,
};

#[derive(Serialize)]
struct Row {
    id: i64,
    name: String,
    city: String,
    country: String,
    time_zone: String,
    days: String,
    /// How many meetings were created from it.
    meetings: i64,
    past: bool,
}

#[derive(Serialize)]
struct ListPage {
    title: &'static str,
    layout: Layout,
    /// Newest first.
    editions: Vec<Row>,
    /// Whether an edition has not ended yet: otherwise the meeting form proposes nothing.
    upcoming: bool,
}

pub async fn list(state: web::Data<AppState>, layout: Layout) -> Result<HttpResponse, AppError> {
    let today = state.clock.now().date_naive();
    let (all, counts) =
        state.db.query(|c| Ok((first_edition::list(c)?, first_edition::use_counts(c)?))).await?;
    let editions: Vec<Row> = all
        .into_iter()
        .rev()
        .map(|e| Row {
            meetings: counts.iter().find(|(id, _)| *id == e.id).map_or(0, |(_, n)| *n),
            past: e.last_day < today,
            days: DateRange::new(e.first_day, e.last_day).map(|d| d.to_string()).unwrap_or_default(),
            id: e.id,
            name: e.name,
            city: e.city,
            country: e.country,
            time_zone: e.time_zone,
        })
        .collect();
    let upcoming = editions.iter().any(|e| !e.past);
    page(
        &state.tera,
        "pages/admin/editions.html",
        &ListPage { title: "FIRST conference editions", layout, editions, upcoming },
    )
}

/// Deletes an edition no meeting was created from, after a confirmation page; one in use
/// is refused with the meetings that use it, and nothing changes.
pub async fn delete(
    state: web::Data<AppState>,
    layout: Layout,
    who: Organizer,
    path: web::Path<i64>,
    form: web::Form<Confirm>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let edition = state.db.query(move |c| first_edition::find(c, id)).await?;
    let used_by = state.db.query(move |c| first_edition::used_by(c, id)).await?;
    if !used_by.is_empty() {
        return refuse(&state, layout, edition, &used_by).await;
    }
    if !form.given() {
        return confirm::ask(
            &state,
            layout,
            Ask {
                title: format!("Delete {}?", edition.name),
                happens: "The edition is removed from the list. No meeting was created from it.".into(),
                receives: "Nobody is told: editions are the organizers' own list.".into(),
                action: format!("/admin/editions/{id}/delete"),
                button: "Delete this edition",
                back: format!("/admin/editions/{id}"),
                ..Ask::default()
            },
        );
    }
    let (actor, now, name) = (who.0.user.id, state.clock.now_naive(), edition.name.clone());
    let still_used = state
        .db
        .query(move |c| {
            db::transaction(c, |c| {
                first_edition::lock(c)?;
                let used_by = first_edition::used_by(c, id)?;
                if used_by.is_empty() {
                    first_edition::delete(c, id)?;
                    audit::record(c, Some(actor), "edition.deleted", &format!("edition {id}"), &name, now)?;
                }
                Ok(used_by)
            })
        })
        .await?;
    if !still_used.is_empty() {
        return refuse(&state, layout, edition, &still_used).await;
    }
    Ok(see_other("/admin/editions?done=edition-deleted"))
}

async fn refuse(
    state: &AppState,
    layout: Layout,
    edition: first_edition::FirstEdition,
    used_by: &[String],
) -> Result<HttpResponse, AppError> {
    let mut errors = FormErrors::default();
    errors.form(format!(
        "{} cannot be deleted: {} {} created from it ({}). Meetings keep their edition.",
        edition.name,
        used_by.len(),
        if used_by.len() == 1 { "meeting was" } else { "meetings were" },
        used_by.join(", ")
    ));
    let form = EditionForm::of(&edition);
    let status = errors.status();
    edit::render(state, layout, Some(edition), form, errors, status).await
}
