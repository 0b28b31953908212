//! `/admin/meetings`: the yearly meetings and their co-located FIRST conference.

mod form;

use actix_web::{HttpResponse, http::StatusCode, web};
use serde::Serialize;

use crate::{
    auth::guard::{Organizer, see_other},
    db,
    error::AppError,
    models::{
        audit,
        meeting::{self, CANCELLED, Meeting, OPEN},
    },
    render::{Layout, page, page_with_status},
    startup::AppState,
};
use form::{Errors, MeetingForm, warnings};

#[derive(Serialize)]
struct ListPage {
    title: &'static str,
    layout: Layout,
    meetings: Vec<Meeting>,
}

#[derive(Serialize)]
struct FormPage {
    title: String,
    layout: Layout,
    form: MeetingForm,
    errors: Errors,
    warnings: Vec<String>,
    meeting: Option<Meeting>,
    max_gap_days: i64,
}

pub async fn list(
    state: web::Data<AppState>,
    layout: Layout,
    _who: Organizer,
) -> Result<HttpResponse, AppError> {
    let meetings = state.db.query(meeting::list).await?;
    page(&state.tera, "pages/admin/meetings.html", &ListPage { title: "Meetings", layout, meetings })
}

fn form_page(state: &AppState, status: StatusCode, data: &FormPage) -> Result<HttpResponse, AppError> {
    page_with_status(status, &state.tera, "pages/admin/meeting_form.html", data)
}

pub async fn new(
    state: web::Data<AppState>,
    layout: Layout,
    _who: Organizer,
) -> Result<HttpResponse, AppError> {
    let form = MeetingForm::proposal(state.clock.now().date_naive());
    let data = FormPage {
        title: "Create a meeting".into(),
        layout,
        form,
        errors: Errors::new(),
        warnings: Vec::new(),
        meeting: None,
        max_gap_days: state.settings.registry.max_gap_days,
    };
    form_page(&state, StatusCode::OK, &data)
}

pub async fn create(
    state: web::Data<AppState>,
    layout: Layout,
    who: Organizer,
    form: web::Form<MeetingForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let mut errors = Errors::new();
    let fields = form.parse(state.settings.registry.max_gap_days).map_err(|e| errors = e).ok();
    let taken = match &fields {
        Some(f) => {
            let slug = f.slug.clone();
            state.db.query(move |c| meeting::slug_taken(c, &slug, None)).await?
        }
        None => false,
    };
    if taken {
        errors.insert("slug", "Another meeting uses this short name.".into());
    }
    let (Some(fields), true) = (fields, errors.is_empty()) else {
        let data = FormPage {
            title: "Create a meeting".into(),
            layout,
            form,
            errors,
            warnings: Vec::new(),
            meeting: None,
            max_gap_days: state.settings.registry.max_gap_days,
        };
        return form_page(&state, StatusCode::UNPROCESSABLE_ENTITY, &data);
    };
    let (actor, now) = (who.0.user.id, state.clock.now_naive());
    let uids = (uuid::Uuid::new_v4().to_string(), uuid::Uuid::new_v4().to_string());
    let created = state
        .db
        .query(move |c| {
            db::transaction(c, |c| {
                let m = meeting::insert(c, &fields, (&uids.0, &uids.1), false, now)?;
                audit::record(c, Some(actor), "meeting.created", &m.slug, "", now)?;
                Ok(m)
            })
        })
        .await?;
    Ok(see_other(&format!("/admin/meetings/{}?done=meeting-saved", created.slug)))
}

async fn load(state: &AppState, slug: String) -> Result<Meeting, AppError> {
    Ok(state.db.query(move |c| meeting::by_slug(c, &slug)).await?)
}

pub async fn show(
    state: web::Data<AppState>,
    layout: Layout,
    _who: Organizer,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let m = load(&state, path.into_inner()).await?;
    let form = MeetingForm::from_meeting(&m);
    let warnings = form.parse(i64::MAX).map(|f| warnings(&f)).unwrap_or_default();
    let data = FormPage {
        title: m.title.clone(),
        layout,
        form,
        errors: Errors::new(),
        warnings,
        meeting: Some(m),
        max_gap_days: state.settings.registry.max_gap_days,
    };
    form_page(&state, StatusCode::OK, &data)
}

pub async fn update(
    state: web::Data<AppState>,
    layout: Layout,
    who: Organizer,
    path: web::Path<String>,
    form: web::Form<MeetingForm>,
) -> Result<HttpResponse, AppError> {
    let before = load(&state, path.into_inner()).await?;
    let form = form.into_inner();
    let mut errors = Errors::new();
    let fields = form.parse(state.settings.registry.max_gap_days).map_err(|e| errors = e).ok();
    if let Some(f) = &fields {
        let (slug, id) = (f.slug.clone(), before.id);
        if state.db.query(move |c| meeting::slug_taken(c, &slug, Some(id))).await? {
            errors.insert("slug", "Another meeting uses this short name.".into());
        }
    }
    let (Some(fields), true) = (fields, errors.is_empty()) else {
        let data = FormPage {
            title: before.title.clone(),
            layout,
            form,
            errors,
            warnings: Vec::new(),
            meeting: Some(before),
            max_gap_days: state.settings.registry.max_gap_days,
        };
        return form_page(&state, StatusCode::UNPROCESSABLE_ENTITY, &data);
    };
    let (actor, now) = (who.0.user.id, state.clock.now_naive());
    let saved = state
        .db
        .query(move |c| {
            db::transaction(c, |c| {
                // Read again under the write lock: a parallel edit must not lose a SEQUENCE bump.
                let current = meeting::by_slug(c, &before.slug)?;
                let m = meeting::update(c, &current, &fields, now)?;
                audit::record(c, Some(actor), "meeting.updated", &m.slug, "", now)?;
                Ok(m)
            })
        })
        .await?;
    Ok(see_other(&format!("/admin/meetings/{}?done=meeting-saved", saved.slug)))
}

async fn set_status(
    state: &AppState,
    who: Organizer,
    slug: String,
    status: &'static str,
) -> Result<HttpResponse, AppError> {
    let before = load(state, slug).await?;
    let (actor, now) = (who.0.user.id, state.clock.now_naive());
    let slug = before.slug.clone();
    state
        .db
        .query(move |c| {
            db::transaction(c, |c| {
                let current = meeting::by_slug(c, &before.slug)?;
                meeting::set_status(c, &current, status, now)?;
                audit::record(c, Some(actor), &format!("meeting.{status}"), &before.slug, "", now)
            })
        })
        .await?;
    Ok(see_other(&format!("/admin/meetings/{slug}?done=meeting-{status}")))
}

pub async fn cancel(
    state: web::Data<AppState>,
    who: Organizer,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    set_status(&state, who, path.into_inner(), CANCELLED).await
}

pub async fn reopen(
    state: web::Data<AppState>,
    who: Organizer,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    set_status(&state, who, path.into_inner(), OPEN).await
}
