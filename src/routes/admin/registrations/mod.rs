//! `/admin/meetings/{slug}/registrations`: the review queue (pending first), filtered by
//! status, team and country, with each team's approved count against its cap; decisions
//! one at a time (`decision`) or on the checked rows (`bulk`), both through `transition`.

use actix_web::{HttpResponse, web};
use serde::Serialize;

mod ask;
mod bulk;
mod decision;
mod export;
mod page;
mod second_factor;
mod transition;
mod view;

pub use bulk::bulk;
pub use decision::decide;
pub use export::csv;
pub use page::show;
pub use second_factor::reset_second_factor;
pub use view::Filter;

use crate::{
    auth::guard::Organizer,
    domain::registration::{self as rules, Status},
    error::AppError,
    models::{meeting, registration, user},
    render::{Layout, page_with_status},
    routes::{
        admin::listing::{Column, PER_PAGE, Pager},
        form_errors::FormErrors,
    },
    state::AppState,
};

#[derive(Serialize)]
struct Row {
    id: i64,
    name: String,
    email: String,
    team: String,
    country: String,
    role_title: String,
    status: Status,
    label: &'static str,
    reason: Option<String>,
    registered: String,
    /// The person has a second factor an organizer may reset (members only).
    second_factor: bool,
}

#[derive(Serialize)]
struct TeamCount {
    id: i64,
    team: String,
    approved: i64,
    cap: i64,
}

#[derive(Serialize)]
struct QueuePage {
    title: String,
    layout: Layout,
    meeting: String,
    slug: String,
    filter: Filter,
    statuses: Vec<(&'static str, &'static str)>,
    countries: Vec<String>,
    rows: Vec<Row>,
    total: usize,
    columns: Vec<Column>,
    pager: Pager,
    teams: Vec<TeamCount>,
    outcome: Outcome,
}

/// What the last form did, when it did not redirect: refusals, the registrations to offer
/// to waitlist instead (refused at the cap), the report of a bulk decision, and what the
/// bulk form held.
#[derive(Serialize, Default)]
pub(super) struct Outcome {
    errors: FormErrors,
    offer_waitlist: Vec<i64>,
    report: Option<bulk::Report>,
    bulk: bulk::Typed,
}

impl Outcome {
    /// A refusal of the whole form.
    fn error(message: &str) -> Self {
        let mut errors = FormErrors::default();
        errors.form(message);
        Self { errors, ..Self::default() }
    }
}

async fn render(
    state: &AppState,
    layout: Layout,
    slug: String,
    filter: Filter,
    outcome: Outcome,
) -> Result<HttpResponse, AppError> {
    let filter = filter.clean();
    let (m, all, with_second_factor) = state
        .db
        .query(move |c| {
            let m = meeting::by_slug(c, &slug)?;
            let rows = registration::for_meeting(c, m.id, None)?;
            let ids: Vec<i64> = rows.iter().map(|r| r.registration.user_id).collect();
            Ok((m, rows, user::members_with_second_factor(c, &ids)?))
        })
        .await?;
    let mut teams: Vec<TeamCount> = Vec::new();
    let mut countries: Vec<String> = Vec::new();
    for r in &all {
        if !teams.iter().any(|t| t.id == r.registration.team_id) {
            let cap = rules::effective_cap(r.team_cap, m.default_cap);
            teams.push(TeamCount { id: r.registration.team_id, team: r.team_name.clone(), approved: 0, cap });
        }
        if !countries.contains(&r.team_country) {
            countries.push(r.team_country.clone());
        }
        if r.registration.status == Status::Approved
            && let Some(t) = teams.iter_mut().find(|t| t.id == r.registration.team_id)
        {
            t.approved += 1;
        }
    }
    teams.sort_by(|a, b| a.team.cmp(&b.team));
    countries.sort();
    let mut kept: Vec<_> = all.into_iter().filter(|r| filter.keeps(r)).collect();
    filter.sort(&mut kept);
    let total = kept.len();
    let (page, pages) = filter.page_of(total);
    let mut rows = Vec::new();
    for r in kept.into_iter().skip((page - 1) * PER_PAGE).take(PER_PAGE) {
        let status = r.registration.status;
        rows.push(Row {
            id: r.registration.id,
            name: r.name,
            email: r.email,
            team: r.team_name,
            country: r.team_country,
            role_title: r.registration.role_title,
            status,
            label: status.label(),
            reason: r.registration.reason,
            registered: r.registration.created_at.format("%a %-d %b %Y").to_string(),
            second_factor: with_second_factor.contains(&r.registration.user_id),
        });
    }
    let status = outcome.errors.status();
    let data = QueuePage {
        title: format!("Registrations · {}", m.title),
        layout,
        meeting: m.title.clone(),
        slug: m.slug,
        columns: filter.columns(),
        pager: filter.pager(page, pages),
        filter,
        statuses: Status::ALL.iter().map(|s| (s.as_str(), s.label())).collect(),
        countries,
        rows,
        total,
        teams,
        outcome,
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
    render(&state, layout, path.into_inner(), query.into_inner(), Outcome::default()).await
}
