//! GET `/meetings/{slug}/sessions/{id}.ics`: one session of the latest release as a
//! calendar file, under the same TLP rule as feeds and invites (docs/CALENDAR.md T1): the
//! file leaves the app, into whatever calendar the attendee imports it. A single event
//! without feed properties (D1): an imported copy never updates, so the page points to the
//! feed and the invites, which do.
//!
//! GET `/meetings/{slug}/days/{date}.ics` (issue 18, point 5): the sessions of the latest
//! release that start on that day in the meeting's zone, as one file to import, each event
//! as the feed writes it, under the same T1 rule. A date that is not `YYYY-MM-DD`, or that
//! is neither a meeting day nor a day with sessions, or a meeting without a release: 404.

use actix_web::{HttpResponse, http::header, web};

use super::reader;
use crate::{
    auth::guard::SignedIn, calendar, delivery, error::AppError, models::agenda::release, render::Layout,
    state::AppState,
};

pub async fn ics(
    state: web::Data<AppState>,
    layout: Layout,
    who: SignedIn,
    path: web::Path<(String, i64)>,
) -> Result<HttpResponse, AppError> {
    let (slug, id) = path.into_inner();
    let r = match reader(&state, layout, &who, slug).await? {
        Ok(r) => r,
        Err(refused) => return Ok(refused),
    };
    let meeting_id = r.meeting().id;
    let (_, sessions) = state.db.query(move |c| release::latest_sessions(c, meeting_id)).await?;
    let s =
        sessions.into_iter().find(|s| s.session_id == id && !s.is_cancelled()).ok_or(AppError::NotFound)?;
    let event = delivery::objects::session(&s).map_err(|e| AppError::Unexpected(e.into()))?;
    let body = calendar::download(&event);
    Ok(HttpResponse::Ok()
        .content_type("text/calendar; charset=utf-8")
        .insert_header((header::CONTENT_DISPOSITION, "attachment; filename=\"session.ics\""))
        .body(body))
}

pub async fn day(
    state: web::Data<AppState>,
    layout: Layout,
    who: SignedIn,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (slug, date) = path.into_inner();
    // Only the canonical spelling (2027-02-06, not 2027-2-6): one address per day.
    let date = chrono::NaiveDate::parse_from_str(&date, "%Y-%m-%d")
        .ok()
        .filter(|d| d.format("%Y-%m-%d").to_string() == date)
        .ok_or(AppError::NotFound)?;
    let r = match reader(&state, layout, &who, slug).await? {
        Ok(r) => r,
        Err(refused) => return Ok(refused),
    };
    let meeting = r.meeting().clone();
    let body = state
        .db
        .run(move |c| Ok::<_, AppError>(delivery::schedule::day(c, &meeting, date)?))
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(HttpResponse::Ok()
        .content_type("text/calendar; charset=utf-8")
        .insert_header((header::CONTENT_DISPOSITION, format!("attachment; filename=\"agenda-{date}.ics\"")))
        .body(body))
}
