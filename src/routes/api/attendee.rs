//! The attendee scope: the caller's registrations, the released agenda of a meeting they
//! are approved for (under the TLP rule for output that leaves the app, docs/CALENDAR.md
//! T1), and their picks, added and removed through `attendance::pick` as the agenda's
//! buttons do.

use actix_web::{HttpResponse, web};
use chrono::{DateTime, Utc};
use diesel::OptionalExtension as _;
use serde::Serialize;
use utoipa::ToSchema;

use super::{caller::Attendee, error::ApiError};
use crate::{
    attendance, db,
    domain::{registration::Status, tlp},
    models::{
        agenda::{pick, release},
        meeting::{self, Meeting},
        registration,
    },
    render::problem::Problem,
    state::AppState,
};

/// One of the caller's registrations.
#[derive(Serialize, ToSchema)]
pub struct MyRegistration {
    id: i64,
    /// The meeting's slug.
    meeting: String,
    meeting_title: String,
    team: String,
    #[schema(example = "approved")]
    status: &'static str,
    role_title: String,
    /// The name on the badge; null: the account's name.
    badge_name: Option<String>,
    /// Whether the person agreed to be on the attendee list.
    listed: bool,
    /// While a freed place is offered: when the offer ends.
    offer_expires_at: Option<DateTime<Utc>>,
}

#[derive(Serialize, ToSchema)]
pub struct MyRegistrations {
    items: Vec<MyRegistration>,
}

/// The caller's registrations, newest meeting first (one per meeting: never paged).
#[utoipa::path(
    get,
    path = "/api/v1/me/registrations",
    operation_id = "my_registrations",
    tag = "attendee",
    responses(
        (status = 200, description = "The caller's registrations", body = MyRegistrations),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a token with the attendee scope", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests with this token", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn registrations(state: web::Data<AppState>, who: Attendee) -> Result<HttpResponse, ApiError> {
    let user_id = who.0.user.id;
    let rows = state.db.query(move |c| registration::for_user(c, user_id)).await?;
    let items = rows
        .into_iter()
        .map(|(r, m, team)| MyRegistration {
            id: r.id,
            meeting: m.slug,
            meeting_title: m.title,
            team,
            status: r.status.as_str(),
            role_title: r.role_title,
            badge_name: r.badge_name,
            listed: r.consent_listed,
            offer_expires_at: r.offer_expires_at.map(|at| at.and_utc()),
        })
        .collect();
    Ok(HttpResponse::Ok().json(MyRegistrations { items }))
}

/// The meeting of `slug` and the caller's approved registration for it: 404 for an unknown
/// meeting, 403 for anyone not approved for it.
async fn approved(state: &AppState, who: &Attendee, slug: String) -> Result<(Meeting, i64), ApiError> {
    let user_id = who.0.user.id;
    let found = state
        .db
        .query(move |c| {
            let Some(m) = meeting::by_slug(c, &slug).optional()? else { return Ok(None) };
            let r = registration::of_user_for_meeting(c, m.id, user_id)?;
            Ok(Some((m, r)))
        })
        .await?;
    let Some((m, r)) = found else { return Err(ApiError::not_found()) };
    match r {
        Some(r) if r.status == Status::Approved => Ok((m, r.id)),
        _ => Err(ApiError::Forbidden("Only approved attendees of this meeting may do this.".into())),
    }
}

/// A session of the released agenda, as much of it as may leave the app (T1): a TLP:RED
/// session's title is the placeholder, with no kind, abstract or speakers; TLP:AMBER and
/// TLP:AMBER+STRICT keep the title only; TLP:CLEAR and TLP:GREEN everything.
#[derive(Serialize, ToSchema)]
pub struct AgendaSession {
    /// The session's id (for picks).
    id: i64,
    title: String,
    /// Only for TLP:CLEAR and TLP:GREEN.
    #[serde(rename = "abstract")]
    abstract_text: Option<String>,
    /// Null for TLP:RED.
    kind: Option<String>,
    track: Option<String>,
    room: Option<String>,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    #[schema(example = "TLP:GREEN")]
    tlp: &'static str,
    #[schema(example = "scheduled")]
    status: &'static str,
    /// "Name (Team)"; empty unless TLP:CLEAR or TLP:GREEN.
    speakers: Vec<String>,
    /// Whether the caller picked it.
    picked: bool,
}

#[derive(Serialize, ToSchema)]
pub struct Agenda {
    meeting: String,
    /// The release's number; null before the first release.
    release: Option<i32>,
    release_name: Option<String>,
    published_at: Option<DateTime<Utc>>,
    sessions: Vec<AgendaSession>,
}

/// The latest released agenda of a meeting the caller is approved for.
#[utoipa::path(
    get,
    path = "/api/v1/meetings/{slug}/agenda",
    tag = "attendee",
    params(("slug" = String, Path, description = "The meeting's slug")),
    responses(
        (status = 200, description = "The released agenda (under the TLP rule)", body = Agenda),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an approved attendee, or not the attendee scope", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such meeting", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests with this token", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn agenda(
    state: web::Data<AppState>,
    who: Attendee,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let (m, reg) = approved(&state, &who, path.into_inner()).await?;
    let meeting_id = m.id;
    let ((latest, sessions), picks) = state
        .db
        .query(move |c| Ok((release::latest_sessions(c, meeting_id)?, pick::for_registration(c, reg)?)))
        .await?;
    let sessions = sessions
        .iter()
        .map(|s| {
            let outside = tlp::outside(s.tlp, &s.title, &s.abstract_text);
            let speakers = if outside.abstract_text.is_some() { s.speaker_list() } else { Vec::new() };
            AgendaSession {
                id: s.session_id,
                title: outside.title.to_owned(),
                abstract_text: outside.abstract_text.map(str::to_owned),
                kind: outside.kind.then(|| s.kind.as_str().to_owned()),
                track: s.track.clone(),
                room: s.room.clone(),
                starts_at: s.starts_at.and_utc(),
                ends_at: s.ends_at.and_utc(),
                tlp: s.tlp.as_str(),
                status: s.status.as_str(),
                speakers,
                picked: picks.contains(&s.session_id),
            }
        })
        .collect();
    Ok(HttpResponse::Ok().json(Agenda {
        meeting: m.slug,
        release: latest.as_ref().map(|r| r.number),
        release_name: latest.as_ref().map(|r| r.name.clone()),
        published_at: latest.as_ref().map(|r| r.published_at.and_utc()),
        sessions,
    }))
}

/// A pick after the change.
#[derive(Serialize, ToSchema)]
pub struct PickOut {
    session: i64,
    picked: bool,
    /// Whether this request changed it (false: it already was so).
    changed: bool,
}

async fn change(
    state: web::Data<AppState>,
    who: Attendee,
    (slug, session): (String, i64),
    add: bool,
) -> Result<HttpResponse, ApiError> {
    let (m, reg) = approved(&state, &who, slug).await?;
    let (meeting_id, st) = (m.id, state.clone());
    let changed = state
        .db
        .run(move |c| {
            db::transaction(c, |c| attendance::pick(c, &st.composer, (meeting_id, reg), session, add))
        })
        .await
        .map_err(|e| match e {
            crate::error::AppError::NotFound => {
                ApiError::NotFound("The latest release of this meeting has no such session.".into())
            }
            e => ApiError::Failed(e),
        })?
        .map_err(|refused| ApiError::Conflict(refused.to_string()))?;
    if changed {
        state.mail_queued();
    }
    Ok(HttpResponse::Ok().json(PickOut { session, picked: add, changed }))
}

/// Adds a session of the released agenda to the caller's agenda (its invite follows as
/// the caller's calendar choices say).
#[utoipa::path(
    put,
    path = "/api/v1/meetings/{slug}/picks/{session}",
    tag = "attendee",
    params(("slug" = String, Path, description = "The meeting's slug"), ("session" = i64, Path, description = "A session id of the released agenda")),
    responses(
        (status = 200, description = "Picked", body = PickOut),
        (status = 409, description = "A session of a kind nobody picks (everyone attends it)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an approved attendee, or not the attendee scope", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such meeting or released session", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests with this token", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn add_pick(
    state: web::Data<AppState>,
    who: Attendee,
    path: web::Path<(String, i64)>,
) -> Result<HttpResponse, ApiError> {
    change(state, who, path.into_inner(), true).await
}

/// Takes a session off the caller's agenda.
#[utoipa::path(
    delete,
    path = "/api/v1/meetings/{slug}/picks/{session}",
    tag = "attendee",
    params(("slug" = String, Path, description = "The meeting's slug"), ("session" = i64, Path, description = "A session id of the released agenda")),
    responses(
        (status = 200, description = "Not picked", body = PickOut),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an approved attendee, or not the attendee scope", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such meeting or released session", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests with this token", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn remove_pick(
    state: web::Data<AppState>,
    who: Attendee,
    path: web::Path<(String, i64)>,
) -> Result<HttpResponse, ApiError> {
    change(state, who, path.into_inner(), false).await
}
