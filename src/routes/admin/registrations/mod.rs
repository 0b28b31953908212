//! `/admin/meetings/{slug}/registrations`: the review queue (those that need a decision
//! first), filtered by status, team and country, searched by name and address, up to 300
//! compact rows a page with each registration's vetting evidence (`models::evidence`, a
//! fixed number of queries) with where it stands with the team's points of contact
//! (endorsed, declined, waiting, not asked), and each team's approved count against its cap. No row holds a
//! form: decisions are taken on a registration's own page (`detail`, then `decision`) or
//! on the checked rows (`bulk`), both through `transition`.

use actix_web::{HttpResponse, web};
use serde::Serialize;

mod ask;
mod bulk;
mod decision;
mod detail;
mod export;
mod second_factor;
mod transition;
mod view;

pub use bulk::bulk;
pub use decision::decide;
pub use detail::show;
pub use export::csv;
pub use second_factor::reset_second_factor;
pub use view::Filter;

use crate::{
    auth::guard::Reviewer,
    domain::{
        endorsement::{Mode as EndorsementMode, Standing},
        evidence::Evidence,
        registration::{self as rules, Status},
    },
    error::AppError,
    models::{endorsement, evidence, meeting, registration},
    render::{Layout, page_with_status},
    routes::{
        admin::listing::{Column, Pager, QUEUE_PER_PAGE},
        form_errors::FormErrors,
    },
    state::AppState,
};

/// One compact line of the queue: no form, a link to the registration's own page.
#[derive(Serialize)]
struct Row {
    id: i64,
    name: String,
    email: String,
    team: String,
    country: String,
    status: Status,
    label: &'static str,
    registered: String,
    evidence: Evidence,
    /// Where it stands with the team's contacts: its word and its line.
    endorsement: &'static str,
    endorsement_summary: String,
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
    /// Of `total`, those that wait for a decision (shown first).
    waiting: usize,
    columns: Vec<Column>,
    pager: Pager,
    teams: Vec<TeamCount>,
    outcome: Outcome,
    /// The meeting's endorsement mode (off, recommended, required).
    endorsement: EndorsementMode,
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
    let asked = filter.clone();
    // A fixed number of queries whatever the queue's length: the meeting, its
    // registrations, and the evidence of the shown page (`models::evidence::load`).
    let (m, all, (page, pages), shown, (loaded, standings)) = state
        .db
        .query(move |c| {
            let m = meeting::by_slug(c, &slug)?;
            let all = registration::for_meeting(c, m.id, None)?;
            let mut kept: Vec<_> = all.iter().filter(|r| asked.keeps(r)).cloned().collect();
            asked.sort(&mut kept);
            let (page, pages) = asked.page_of(kept.len());
            let total = kept.len();
            let shown: Vec<_> =
                kept.into_iter().skip((page - 1) * QUEUE_PER_PAGE).take(QUEUE_PER_PAGE).collect();
            let loaded = evidence::load(c, &m, &shown)?;
            let ids: Vec<i64> = shown.iter().map(|r| r.registration.id).collect();
            let standings = endorsement::standings(c, &ids)?;
            Ok((m, all, (page, pages), (total, shown), (loaded, standings)))
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
    let waiting = all.iter().filter(|r| r.registration.status.needs_decision() && filter.keeps(r)).count();
    let (total, shown) = shown;
    let rows = shown
        .into_iter()
        .map(|r| {
            let status = r.registration.status;
            let standing = standings.get(&r.registration.id).unwrap_or(&Standing::NotAsked);
            Row {
                endorsement: standing.word(),
                endorsement_summary: standing.summary(),
                id: r.registration.id,
                evidence: loaded.evidence(&r),
                name: r.name,
                email: r.email,
                team: r.team_name,
                country: r.team_country,
                status,
                label: status.label(),
                registered: r.registration.created_at.format("%a %-d %b %Y").to_string(),
            }
        })
        .collect();
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
        waiting,
        teams,
        outcome,
        endorsement: m.endorsement,
    };
    page_with_status(status, &state.tera, "pages/admin/registrations.html", &data)
}

pub async fn list(
    state: web::Data<AppState>,
    layout: Layout,
    _who: Reviewer,
    path: web::Path<String>,
    query: web::Query<Filter>,
) -> Result<HttpResponse, AppError> {
    render(&state, layout, path.into_inner(), query.into_inner(), Outcome::default()).await
}
