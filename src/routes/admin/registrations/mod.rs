//! `/admin/meetings/{slug}/registrations`: the review queue (pending first) with each
//! team's approved count against its cap, and the organizer's decision on one registration.
//! A decision, its audit row and its email commit together; approvals never pass the cap.

use actix_web::{HttpResponse, http::StatusCode, web};
use serde::{Deserialize, Serialize};

mod decision;

pub use decision::decide;

use crate::{
    auth::guard::Organizer,
    domain::registration::{self as rules, Status},
    error::AppError,
    models::{meeting, registration},
    render::{Layout, page_with_status},
    startup::AppState,
};

#[derive(Serialize)]
struct Row {
    id: i64,
    name: String,
    email: String,
    team: String,
    role_title: String,
    status: Status,
    label: &'static str,
    reason: Option<String>,
}

#[derive(Serialize)]
struct TeamCount {
    team: String,
    approved: i64,
    cap: i64,
}

#[derive(Serialize)]
struct QueuePage {
    title: String,
    layout: Layout,
    slug: String,
    filter: String,
    statuses: Vec<(&'static str, &'static str)>,
    rows: Vec<Row>,
    teams: Vec<TeamCount>,
    errors: Vec<String>,
    /// The registration an approval was refused for at the cap: offer to waitlist it.
    offer_waitlist: Option<i64>,
}

#[derive(Deserialize)]
pub struct Filter {
    #[serde(default)]
    status: String,
}

pub(super) async fn render(
    state: &AppState,
    layout: Layout,
    slug: String,
    filter: String,
    errors: Vec<String>,
    offer_waitlist: Option<i64>,
) -> Result<HttpResponse, AppError> {
    let (m, all) = state
        .db
        .query(move |c| {
            let m = meeting::by_slug(c, &slug)?;
            let rows = registration::for_meeting(c, m.id, None)?;
            Ok((m, rows))
        })
        .await?;
    let mut teams: Vec<TeamCount> = Vec::new();
    for r in &all {
        if !teams.iter().any(|t| t.team == r.team_name) {
            let cap = rules::effective_cap(r.team_cap, m.default_cap);
            teams.push(TeamCount { team: r.team_name.clone(), approved: 0, cap });
        }
        if r.registration.status == Status::Approved.as_str()
            && let Some(t) = teams.iter_mut().find(|t| t.team == r.team_name)
        {
            t.approved += 1;
        }
    }
    teams.sort_by(|a, b| a.team.cmp(&b.team));
    let mut rows = Vec::new();
    // Unconfirmed addresses stay out of the default view: organizers review a registration
    // only once its address is proven (they can still ask for that status explicitly).
    let shown = |status: &str| match filter.as_str() {
        "" => status != Status::PendingVerification.as_str(),
        wanted => status == wanted,
    };
    for r in all.into_iter().filter(|r| shown(&r.registration.status)) {
        let status = r.registration.status.parse::<Status>().map_err(|e| AppError::Unexpected(e.into()))?;
        rows.push(Row {
            id: r.registration.id,
            name: r.name,
            email: r.email,
            team: r.team_name,
            role_title: r.registration.role_title,
            status,
            label: status.label(),
            reason: r.registration.reason,
        });
    }
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let data = QueuePage {
        title: format!("Registrations · {}", m.title),
        layout,
        slug: m.slug,
        filter,
        statuses: Status::ALL.iter().map(|s| (s.as_str(), s.label())).collect(),
        rows,
        teams,
        errors,
        offer_waitlist,
    };
    page_with_status(status, &state.tera, "pages/admin/registrations.html", &data)
}

pub async fn list(
    state: web::Data<AppState>,
    layout: Layout,
    _who: Organizer,
    path: web::Path<String>,
    query: web::Query<Filter>,
) -> Result<HttpResponse, AppError> {
    let filter = query.into_inner().status;
    let filter = if filter.parse::<Status>().is_ok() { filter } else { String::new() };
    render(&state, layout, path.into_inner(), filter, Vec::new(), None).await
}
