//! `GET /admin/teams`: the registry, with what needs attention first (suspended teams,
//! teams without an email domain), a search by name, a country filter and sortable
//! columns, 50 teams a page. Only the shown page is loaded (see `models::team_page`).

use std::collections::HashMap;

use actix_web::{HttpResponse, web};
use serde::Serialize;

use super::view::Filter;
use crate::{
    domain::states::TeamStatus,
    error::AppError,
    models::{
        team::{self, StoredDomain},
        team_page,
    },
    render::{Layout, page},
    routes::admin::listing::{Column, PER_PAGE, Pager},
    state::AppState,
};

#[derive(Serialize)]
struct TeamRow {
    id: i64,
    short_name: String,
    name: String,
    country_code: String,
    website: String,
    domains: Vec<StoredDomain>,
    suspended: bool,
    cap: Option<i32>,
}

#[derive(Serialize)]
struct TeamsPage {
    title: &'static str,
    layout: Layout,
    q: String,
    country: String,
    /// The sort, kept by the search form.
    sort: String,
    dir: String,
    columns: Vec<Column>,
    countries: Vec<String>,
    teams: Vec<TeamRow>,
    /// The teams the search found, over all pages.
    found: usize,
    pager: Pager,
    /// Every registered team, whatever the filter.
    total: usize,
    suspended: usize,
    without_domain: usize,
    filtered: bool,
}

pub async fn show(
    state: web::Data<AppState>,
    layout: Layout,
    query: web::Query<Filter>,
) -> Result<HttpResponse, AppError> {
    let filter = query.into_inner().clean();
    let asked = filter.clone();
    let (found, (page_no, pages), rows, domains, totals, countries) = state
        .db
        .query(move |c| {
            let wanted = asked.query();
            let found = usize::try_from(team_page::count(c, &wanted)?).unwrap_or(0);
            let (page_no, pages) = asked.page_of(found);
            let offset = i64::try_from((page_no - 1) * PER_PAGE).unwrap_or(0);
            let rows = team_page::page(c, &wanted, offset, PER_PAGE as i64)?;
            let ids: Vec<i64> = rows.iter().map(|t| t.id).collect();
            let domains = team::domains_of(c, &ids)?;
            Ok((found, (page_no, pages), rows, domains, team_page::totals(c)?, team::countries(c)?))
        })
        .await?;
    let mut by_team: HashMap<i64, Vec<StoredDomain>> = HashMap::new();
    for domain in domains {
        by_team.entry(domain.team_id).or_default().push(domain);
    }
    let teams = rows
        .into_iter()
        .map(|t| TeamRow {
            domains: by_team.remove(&t.id).unwrap_or_default(),
            suspended: t.status == TeamStatus::Suspended,
            cap: t.cap_override,
            id: t.id,
            short_name: t.short_name,
            name: t.name,
            country_code: t.country_code,
            website: t.website,
        })
        .collect();
    let (total, suspended, without_domain) = totals;
    let count = |n: i64| usize::try_from(n).unwrap_or(0);
    let data = TeamsPage {
        title: "Teams",
        layout,
        filtered: filter.filtered(),
        columns: filter.columns(),
        total: count(total),
        suspended: count(suspended),
        without_domain: count(without_domain),
        countries,
        teams,
        found,
        pager: filter.pager(page_no, pages),
        q: filter.q,
        country: filter.country,
        sort: filter.list.sort,
        dir: filter.list.dir,
    };
    page(&state.tera, "pages/admin/teams.html", &data)
}
