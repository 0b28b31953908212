//! `/admin/editions/new` and `/admin/editions/{id}`: the edition form, to add a FIRST
//! edition or change one. Meetings created from an edition keep their own copy.

use actix_web::{HttpResponse, http::StatusCode, web};
use chrono::NaiveDateTime;
use diesel::QueryResult;
use serde::Serialize;

use super::form::{EditionForm, overlap};
use crate::{
    auth::guard::Organizer,
    db::{self, DbConnection},
    error::AppError,
    models::{
        audit,
        first_edition::{self, EditionFields, FirstEdition},
    },
    render::{Layout, page_with_status, see_other},
    routes::{admin::zone_options::zone_options, form_errors::FormErrors},
    state::AppState,
};

#[derive(Serialize)]
struct EditionPage {
    title: String,
    layout: Layout,
    /// `None` when adding an edition.
    edition: Option<FirstEdition>,
    /// The titles of the meetings created from it.
    used_by: Vec<String>,
    form: EditionForm,
    errors: FormErrors,
    zones: Vec<String>,
}

/// The edition page; `status` is 200 for a fresh form, 422 for one with messages and for
/// a refused deletion too (the error pages take over 409).
pub(super) async fn render(
    state: &AppState,
    layout: Layout,
    edition: Option<FirstEdition>,
    form: EditionForm,
    errors: FormErrors,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let title = edition.as_ref().map_or_else(|| "Add a FIRST edition".to_owned(), |e| e.name.clone());
    let used_by = match &edition {
        Some(e) => {
            let id = e.id;
            state.db.query(move |c| first_edition::used_by(c, id)).await?
        }
        None => Vec::new(),
    };
    let zones = zone_options(&form.time_zone);
    let data = EditionPage { title, layout, edition, used_by, form, errors, zones };
    page_with_status(status, &state.tera, "pages/admin/edition_form.html", &data)
}

pub async fn new(state: web::Data<AppState>, layout: Layout) -> Result<HttpResponse, AppError> {
    render(&state, layout, None, EditionForm::default(), FormErrors::default(), StatusCode::OK).await
}

pub async fn show(
    state: web::Data<AppState>,
    layout: Layout,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let edition = state.db.query(move |c| first_edition::find(c, id)).await?;
    let form = EditionForm::of(&edition);
    render(&state, layout, Some(edition), form, FormErrors::default(), StatusCode::OK).await
}

pub async fn create(
    state: web::Data<AppState>,
    layout: Layout,
    who: Organizer,
    form: web::Form<EditionForm>,
) -> Result<HttpResponse, AppError> {
    save(&state, layout, who.0.user.id, None, form.into_inner()).await
}

pub async fn update(
    state: web::Data<AppState>,
    layout: Layout,
    who: Organizer,
    path: web::Path<i64>,
    form: web::Form<EditionForm>,
) -> Result<HttpResponse, AppError> {
    save(&state, layout, who.0.user.id, Some(path.into_inner()), form.into_inner()).await
}

async fn save(
    state: &AppState,
    layout: Layout,
    actor: i64,
    id: Option<i64>,
    form: EditionForm,
) -> Result<HttpResponse, AppError> {
    let edition = match id {
        Some(id) => Some(state.db.query(move |c| first_edition::find(c, id)).await?),
        None => None,
    };
    let fields = match form.parse() {
        Ok(fields) => fields,
        Err(errors) => {
            let status = errors.status();
            return render(state, layout, edition, form, errors, status).await;
        }
    };
    let now = state.clock.now_naive();
    let stored = state.db.query(move |c| db::transaction(c, |c| store(c, id, &fields, actor, now))).await?;
    match stored {
        Ok(_) if id.is_some() => Ok(see_other("/admin/editions?done=edition-saved")),
        Ok(_) => Ok(see_other("/admin/editions?done=edition-added")),
        Err(errors) => {
            let status = errors.status();
            render(state, layout, edition, form, errors, status).await
        }
    }
}

/// Writes the edition and its audit row, unless its days overlap another edition: then
/// nothing is written and the message comes back.
fn store(
    c: &mut DbConnection,
    id: Option<i64>,
    fields: &EditionFields,
    actor: i64,
    now: NaiveDateTime,
) -> QueryResult<Result<i64, FormErrors>> {
    first_edition::lock(c)?;
    if let Some(errors) = overlap(fields, id, &first_edition::list(c)?) {
        return Ok(Err(errors));
    }
    let (id, action) = match id {
        Some(id) => {
            first_edition::update(c, id, fields, now)?;
            (id, "edition.updated")
        }
        None => (first_edition::insert(c, fields, now)?, "edition.created"),
    };
    audit::record(c, Some(actor), action, &format!("edition {id}"), &fields.name, now)?;
    Ok(Ok(id))
}
