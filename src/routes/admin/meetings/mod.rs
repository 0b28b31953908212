//! `/admin/meetings`: the yearly meetings and their co-located FIRST conference; a
//! meeting's own page is the organizer's hub for it ([`hub`]) above its form. A new
//! meeting is proposed after a FIRST edition and created from it ([`create`]), or carried
//! from an earlier meeting, whose attendees are then proposed for invitation ([`returning`]).

mod create;
mod form;
mod hub;
mod returning;

pub use create::{create, new};
pub use form::day;
pub use returning::{invite as invite_returning, show as returning};

use actix_web::{HttpResponse, web};
use serde::Serialize;

use crate::{
    auth::guard::Organizer,
    db,
    delivery::invites,
    domain::colocation::DateRange,
    domain::states::MeetingStatus,
    error::AppError,
    models::{
        audit,
        first_edition::{self, FirstEdition},
        meeting::{self, Meeting, MeetingFields},
    },
    render::{Layout, page, page_with_status, see_other},
    routes::{
        admin::zone_options::zone_options,
        confirm::{self, Ask, Confirm},
        form_errors::FormErrors,
    },
    state::AppState,
};
use form::{MeetingForm, warnings};
use hub::Hub;

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
    errors: FormErrors,
    warnings: Vec<String>,
    meeting: Option<Meeting>,
    hub: Option<Hub>,
    max_gap_days: i64,
    /// The editions a new meeting can be proposed after.
    editions: Vec<EditionChoice>,
    /// The edition the form's meeting is (or is to be) created from.
    edition: Option<EditionChoice>,
    zones: Vec<String>,
    conference_zones: Vec<String>,
}

/// An edition as the form names it.
#[derive(Serialize)]
struct EditionChoice {
    id: String,
    label: String,
}

impl EditionChoice {
    fn of(e: &FirstEdition) -> Self {
        let days = DateRange::new(e.first_day, e.last_day).map(|d| d.to_string()).unwrap_or_default();
        EditionChoice {
            id: e.id.to_string(),
            label: format!("{}, {} ({days}, {})", e.name, e.city, e.time_zone),
        }
    }
}

pub async fn list(
    state: web::Data<AppState>,
    layout: Layout,
    _who: Organizer,
) -> Result<HttpResponse, AppError> {
    let meetings = state.db.query(meeting::list).await?;
    page(&state.tera, "pages/admin/meetings.html", &ListPage { title: "Meetings", layout, meetings })
}

/// The meeting form page (with the hub for a stored meeting): empty errors mean 200,
/// otherwise 422.
async fn form_page(
    state: &AppState,
    layout: Layout,
    form: MeetingForm,
    errors: FormErrors,
    warnings: Vec<String>,
    meeting: Option<Meeting>,
) -> Result<HttpResponse, AppError> {
    let status = errors.status();
    let title = meeting.as_ref().map_or_else(|| "Create a meeting".to_owned(), |m| m.title.clone());
    let max_gap_days = state.settings.registry.max_gap_days;
    let hub = match &meeting {
        Some(m) => Some(Hub::load(state, m).await?),
        None => None,
    };
    let all = state.db.query(first_edition::list).await?;
    let edition = all.iter().find(|e| e.id.to_string() == form.edition).map(EditionChoice::of);
    let editions = all.iter().rev().map(EditionChoice::of).collect();
    let (zones, conference_zones) = (zone_options(&form.time_zone), zone_options(&form.conference_time_zone));
    let data = FormPage {
        title,
        layout,
        form,
        errors,
        warnings,
        meeting,
        hub,
        max_gap_days,
        editions,
        edition,
        zones,
        conference_zones,
    };
    page_with_status(status, &state.tera, "pages/admin/meeting_form.html", &data)
}

/// The form's fields, or its problems, a taken short name included.
async fn validate(
    state: &AppState,
    form: &MeetingForm,
    except: Option<i64>,
) -> Result<Result<MeetingFields, FormErrors>, AppError> {
    let mut fields = form.parse(state.settings.registry.max_gap_days);
    if let Ok(f) = &fields {
        let slug = f.slug.clone();
        if state.db.query(move |c| meeting::slug_taken(c, &slug, except)).await? {
            let mut errors = FormErrors::default();
            errors.field("slug", "Another meeting uses this short name.");
            fields = Err(errors);
        }
    }
    Ok(fields)
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
    form_page(&state, layout, form, FormErrors::default(), warnings, Some(m)).await
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
    let fields = match validate(&state, &form, Some(before.id)).await? {
        Ok(fields) => fields,
        Err(errors) => return form_page(&state, layout, form, errors, Vec::new(), Some(before)).await,
    };
    let (actor, now, st) = (who.0.user.id, state.clock.now_naive(), state.clone());
    let saved = state
        .db
        .run(move |c| {
            db::transaction(c, |c| -> Result<_, AppError> {
                // Read again under the write lock: a parallel edit must not lose a SEQUENCE bump.
                let current = meeting::by_slug(c, &before.slug)?;
                let m = meeting::update(c, &current, &fields, now)?;
                audit::record(c, Some(actor), "meeting.updated", &m.slug, "", now)?;
                invites::after_meeting_change(c, &st.composer, &current)?;
                Ok(m)
            })
        })
        .await?;
    state.mail_queued();
    Ok(see_other(&format!("/admin/meetings/{}?done=meeting-saved", saved.slug)))
}

async fn set_status(
    state: &web::Data<AppState>,
    who: Organizer,
    slug: String,
    status: MeetingStatus,
) -> Result<HttpResponse, AppError> {
    let before = load(state, slug).await?;
    let (actor, now, st) = (who.0.user.id, state.clock.now_naive(), state.clone());
    let slug = before.slug.clone();
    state
        .db
        .run(move |c| {
            db::transaction(c, |c| -> Result<_, AppError> {
                let current = meeting::by_slug(c, &before.slug)?;
                meeting::set_status(c, &current, status, now)?;
                audit::record(c, Some(actor), &format!("meeting.{status}"), &before.slug, "", now)?;
                Ok(invites::after_meeting_change(c, &st.composer, &current)?)
            })
        })
        .await?;
    state.mail_queued();
    Ok(see_other(&format!("/admin/meetings/{slug}?done=meeting-{status}")))
}

/// Cancels the meeting, after a confirmation page: attendees' calendars hear of it.
pub async fn cancel(
    state: web::Data<AppState>,
    layout: Layout,
    who: Organizer,
    path: web::Path<String>,
    form: web::Form<Confirm>,
) -> Result<HttpResponse, AppError> {
    if !form.given() {
        let m = load(&state, path.into_inner()).await?;
        return confirm::ask(
            &state,
            layout,
            Ask {
                title: format!("Cancel {}?", m.title),
                happens: "The meeting is marked cancelled. You can open it again later.".into(),
                receives: "Every approved attendee receives a cancellation for their calendar.".into(),
                action: format!("/admin/meetings/{}/cancel", m.slug),
                button: "Cancel this meeting",
                back: format!("/admin/meetings/{}", m.slug),
                ..Ask::default()
            },
        );
    }
    set_status(&state, who, path.into_inner(), MeetingStatus::Cancelled).await
}

pub async fn reopen(
    state: web::Data<AppState>,
    who: Organizer,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    set_status(&state, who, path.into_inner(), MeetingStatus::Open).await
}
