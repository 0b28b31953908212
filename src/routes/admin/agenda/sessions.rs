//! Sessions of the draft: the form (new and edit), saving under the conflict rules, and
//! cancelling or reinstating. Nothing here reaches attendees before a release.

use actix_web::{HttpResponse, web};
use chrono_tz::Tz;
use serde::Serialize;

use super::{Draft, form::SessionForm, meeting_and_zone, window};
use crate::{
    auth::guard::Organizer,
    db,
    domain::{
        agenda::{
            Kind, SessionStatus,
            conflicts::{self, Problem, Slot},
        },
        tlp::{self, Tlp},
    },
    error::AppError,
    models::{
        agenda::{
            room::Room,
            session::{self, SessionFields},
            track::Track,
            unscheduled,
        },
        audit,
        meeting::{self, Meeting},
    },
    render::{Layout, page_with_status, see_other},
    routes::{
        confirm::{self, Ask, Confirm},
        form_errors::FormErrors,
    },
    state::AppState,
};

#[derive(Serialize)]
struct FormPage {
    title: String,
    layout: Layout,
    meeting: Meeting,
    session_id: Option<i64>,
    form: SessionForm,
    errors: FormErrors,
    tracks: Vec<Track>,
    rooms: Vec<Room>,
    kinds: Vec<(&'static str, &'static str)>,
    labels: Vec<&'static str>,
    days: Vec<String>,
    zone: String,
    /// From an accepted proposal and not yet placed: its minutes (the form's times are
    /// left empty for the organizer to choose, rather than showing the placeholder's).
    unplaced: Option<i64>,
}

fn form_page(
    state: &AppState,
    layout: Layout,
    m: Meeting,
    draft: Draft,
    session_id: Option<i64>,
    form: SessionForm,
    errors: FormErrors,
) -> Result<HttpResponse, AppError> {
    let status = errors.status();
    let unplaced = session_id
        .filter(|id| draft.unscheduled.contains(id))
        .and_then(|id| draft.sessions.iter().find(|s| s.id == id))
        .map(|s| (s.ends_at - s.starts_at).num_minutes());
    let data = FormPage {
        unplaced,
        title: if session_id.is_some() { "Edit a session".into() } else { "Add a session".into() },
        layout,
        session_id,
        form,
        errors,
        tracks: draft.tracks,
        rooms: draft.rooms,
        kinds: Kind::ALL.iter().map(|k| (k.as_str(), k.label())).collect(),
        labels: Tlp::ALL.iter().map(|t| t.as_str()).collect(),
        days: m.first_day.iter_days().take_while(|d| *d <= m.last_day).map(|d| d.to_string()).collect(),
        zone: m.time_zone.clone(),
        meeting: m,
    };
    page_with_status(status, &state.tera, "pages/admin/agenda_session.html", &data)
}

/// Where each refusal is shown on the form.
fn field_of(p: &Problem) -> &'static str {
    match p {
        Problem::EndsBeforeStart => "ends",
        Problem::OutsideDays => "day",
        Problem::RoomTaken { .. } => "room",
        Problem::SpeakerBusy { .. } => "speakers",
    }
}

/// Saves a new (`editing` None) or existing session unless a refused conflict stands in the
/// way; the check and the write share one transaction, so two organizers cannot both book
/// a room. Returns the refusals, or nothing when saved.
fn save(
    c: &mut db::DbConnection,
    m: &Meeting,
    zone: Tz,
    editing: Option<i64>,
    parsed: &(SessionFields, Vec<(String, String)>),
    actor: i64,
    now: chrono::NaiveDateTime,
) -> diesel::QueryResult<FormErrors> {
    db::transaction(c, |c| {
        meeting::lock(c, m.id)?;
        let draft = Draft::read(c, m.id)?;
        let (f, speakers) = parsed;
        let candidate = Slot {
            id: editing.unwrap_or(0),
            title: &f.title,
            room: f.room_id,
            starts_at: f.starts_at,
            ends_at: f.ends_at,
            speakers: speakers.iter().map(|(name, _)| name.as_str()).collect(),
            cancelled: draft
                .sessions
                .iter()
                .any(|s| Some(s.id) == editing && s.status == SessionStatus::Cancelled),
        };
        let mut errors = FormErrors::default();
        for p in
            conflicts::check(&candidate, &draft.slots(), window(m, zone)).iter().filter(|p| p.is_refusal())
        {
            errors.field(field_of(p), p.message());
        }
        if !errors.is_empty() {
            return Ok(errors);
        }
        let id = match editing {
            Some(id) => {
                session::update(c, id, f, speakers, now)?;
                // Saved in the editor: placed, so the next release publishes it.
                unscheduled::placed(c, id)?;
                id
            }
            None => session::insert(c, m.id, f, speakers, &uuid::Uuid::new_v4().to_string(), now)?,
        };
        let action = if editing.is_some() { "session.updated" } else { "session.created" };
        // By id and label only: the log is read by every organizer for years and leaves in
        // their data export, so it never holds a title (T1).
        audit::record(c, Some(actor), action, &format!("{}/session/{id}", m.slug), f.tlp.as_str(), now)?;
        Ok(FormErrors::default())
    })
}

pub async fn new(
    state: web::Data<AppState>,
    layout: Layout,
    _who: Organizer,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let (m, _) = meeting_and_zone(&state, path.into_inner()).await?;
    let draft = Draft::load(&state, m.id).await?;
    let form = SessionForm::blank(m.first_day);
    form_page(&state, layout, m, draft, None, form, FormErrors::default())
}

pub async fn edit(
    state: web::Data<AppState>,
    layout: Layout,
    _who: Organizer,
    path: web::Path<(String, i64)>,
) -> Result<HttpResponse, AppError> {
    let (slug, id) = path.into_inner();
    let (m, zone) = meeting_and_zone(&state, slug).await?;
    let draft = Draft::load(&state, m.id).await?;
    let s = draft.sessions.iter().find(|s| s.id == id).ok_or(AppError::NotFound)?;
    let speakers: Vec<_> = draft.speakers.iter().filter(|sp| sp.session_id == id).cloned().collect();
    let mut form = SessionForm::from_session(s, &speakers, zone);
    if draft.unscheduled.contains(&id) {
        // Its times are a placeholder: the organizer chooses them (saving places it).
        (form.starts, form.ends) = (String::new(), String::new());
    }
    form_page(&state, layout, m, draft, Some(id), form, FormErrors::default())
}

async fn submit(
    state: &AppState,
    layout: Layout,
    who: Organizer,
    slug: String,
    editing: Option<i64>,
    form: SessionForm,
) -> Result<HttpResponse, AppError> {
    let (m, zone) = meeting_and_zone(state, slug).await?;
    let draft = Draft::load(state, m.id).await?;
    if let Some(id) = editing
        && !draft.sessions.iter().any(|s| s.id == id)
    {
        return Err(AppError::NotFound);
    }
    let parsed = match form.parse(zone, &draft.tracks, &draft.rooms) {
        Ok(parsed) => parsed,
        Err(errors) => return form_page(state, layout, m, draft, editing, form, errors),
    };
    let (actor, now, meeting) = (who.0.user.id, state.clock.now_naive(), m.clone());
    let errors = state.db.query(move |c| save(c, &meeting, zone, editing, &parsed, actor, now)).await?;
    if !errors.is_empty() {
        return form_page(state, layout, m, draft, editing, form, errors);
    }
    Ok(see_other(&format!("/admin/meetings/{}/agenda?done=session-saved", m.slug)))
}

pub async fn create(
    state: web::Data<AppState>,
    layout: Layout,
    who: Organizer,
    path: web::Path<String>,
    form: web::Form<SessionForm>,
) -> Result<HttpResponse, AppError> {
    submit(&state, layout, who, path.into_inner(), None, form.into_inner()).await
}

pub async fn update(
    state: web::Data<AppState>,
    layout: Layout,
    who: Organizer,
    path: web::Path<(String, i64)>,
    form: web::Form<SessionForm>,
) -> Result<HttpResponse, AppError> {
    let (slug, id) = path.into_inner();
    submit(&state, layout, who, slug, Some(id), form.into_inner()).await
}

async fn set_status(
    state: &AppState,
    who: Organizer,
    slug: String,
    id: i64,
    status: SessionStatus,
) -> Result<HttpResponse, AppError> {
    let (m, zone) = meeting_and_zone(state, slug).await?;
    let (actor, now, meeting) = (who.0.user.id, state.clock.now_naive(), m.clone());
    let refused = state
        .db
        .query(move |c| {
            db::transaction(c, |c| {
                meeting::lock(c, meeting.id)?;
                let s = session::find(c, meeting.id, id)?;
                if status == SessionStatus::Scheduled {
                    // Back on the agenda only where its room is still free.
                    let draft = Draft::read(c, meeting.id)?;
                    let mut slot = draft.slot(&s);
                    slot.cancelled = false;
                    let problems = conflicts::check(&slot, &draft.slots(), window(&meeting, zone));
                    if let Some(p) = problems.iter().find(|p| p.is_refusal()) {
                        return Ok(Some(p.message()));
                    }
                }
                session::set_status(c, s.id, status, now)?;
                audit::record(
                    c,
                    Some(actor),
                    &format!("session.{status}"),
                    &format!("{}/session/{id}", meeting.slug),
                    s.tlp.as_str(),
                    now,
                )?;
                Ok(None)
            })
        })
        .await?;
    let done = match (refused, status) {
        (Some(_), _) => "session-not-reinstated",
        (None, SessionStatus::Cancelled) => "session-cancelled",
        (None, _) => "session-reinstated",
    };
    Ok(see_other(&format!("/admin/meetings/{}/agenda?done={done}", m.slug)))
}

/// Cancels a session of the draft, after a confirmation page that names it.
pub async fn cancel(
    state: web::Data<AppState>,
    layout: Layout,
    who: Organizer,
    path: web::Path<(String, i64)>,
    form: web::Form<Confirm>,
) -> Result<HttpResponse, AppError> {
    let (slug, id) = path.into_inner();
    if !form.given() {
        let (m, _) = meeting_and_zone(&state, slug).await?;
        let meeting_id = m.id;
        let s = state.db.query(move |c| session::find(c, meeting_id, id)).await?;
        let named = |title: &str| format!("Cancel the session \u{201c}{title}\u{201d}?");
        return confirm::ask(
            &state,
            layout,
            Ask {
                title: named(&s.title),
                // The browser keeps page titles in its history and syncs them (T1).
                page_title: Some(named(tlp::title_outside(s.tlp, &s.title))),
                happens: "The session is cancelled in the draft. Attendees see the change after you publish."
                    .into(),
                receives: "People who picked it receive a cancellation when you publish.".into(),
                action: format!("/admin/meetings/{}/agenda/sessions/{id}/cancel", m.slug),
                button: "Cancel the session",
                back: format!("/admin/meetings/{}/agenda", m.slug),
                ..Ask::default()
            },
        );
    }
    set_status(&state, who, slug, id, SessionStatus::Cancelled).await
}

pub async fn reinstate(
    state: web::Data<AppState>,
    who: Organizer,
    path: web::Path<(String, i64)>,
) -> Result<HttpResponse, AppError> {
    let (slug, id) = path.into_inner();
    set_status(&state, who, slug, id, SessionStatus::Scheduled).await
}
