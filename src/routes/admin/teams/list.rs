//! `GET /admin/teams`: the registry, with what needs attention first (suspended teams,
//! teams without an email domain), a search by name and a country filter, 50 teams a page.

use std::collections::HashMap;

use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};

use crate::{
    error::AppError,
    models::team,
    render::{Layout, page},
    startup::AppState,
};

#[derive(Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    country: String,
    /// A string so that a bad page number shows the first page instead of an error.
    #[serde(default)]
    page: String,
}

/// Rows per page, as in the review queue.
const PER_PAGE: usize = 50;

#[derive(Serialize)]
struct TeamRow {
    id: i64,
    short_name: String,
    name: String,
    country_code: String,
    website: String,
    domains: Vec<String>,
    suspended: bool,
    cap: Option<i32>,
}

#[derive(Serialize)]
struct TeamsPage {
    title: &'static str,
    layout: Layout,
    q: String,
    country: String,
    countries: Vec<String>,
    teams: Vec<TeamRow>,
    /// The teams the search found, over all pages.
    found: usize,
    page: usize,
    pages: usize,
    /// Every registered team, whatever the filter.
    total: usize,
    suspended: usize,
    without_domain: usize,
    filtered: bool,
}

pub async fn show(
    state: web::Data<AppState>,
    layout: Layout,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let ListQuery { q, country, page: asked } = query.into_inner();
    let (q, country) = (q.trim().to_owned(), country.trim().to_ascii_uppercase());
    let (search, filter) = (q.clone(), country.clone());
    let (all, found, pairs, countries) = state
        .db
        .query(move |c| {
            Ok((
                team::list(c, "", None)?,
                team::list(c, &search, Some(&filter))?,
                team::all_domains(c)?,
                team::countries(c)?,
            ))
        })
        .await?;
    let mut domains: HashMap<i64, Vec<String>> = HashMap::new();
    for (team_id, domain) in pairs {
        domains.entry(team_id).or_default().push(domain);
    }
    let found_count = found.len();
    let pages = found_count.div_ceil(PER_PAGE).max(1);
    let shown = asked.trim().parse::<usize>().ok().filter(|p| (1..=pages).contains(p)).unwrap_or(1);
    let teams: Vec<TeamRow> = found
        .into_iter()
        .skip((shown - 1) * PER_PAGE)
        .take(PER_PAGE)
        .map(|t| TeamRow {
            domains: domains.get(&t.id).cloned().unwrap_or_default(),
            suspended: t.status == team::SUSPENDED,
            cap: t.cap_override,
            id: t.id,
            short_name: t.short_name,
            name: t.name,
            country_code: t.country_code,
            website: t.website,
        })
        .collect();
    let data = TeamsPage {
        title: "Teams",
        layout,
        filtered: !q.is_empty() || !country.is_empty(),
        total: all.len(),
        suspended: all.iter().filter(|t| t.status == team::SUSPENDED).count(),
        without_domain: all.iter().filter(|t| !domains.contains_key(&t.id)).count(),
        q,
        country,
        countries,
        teams,
        found: found_count,
        page: shown,
        pages,
    };
    page(&state.tera, "pages/admin/teams.html", &data)
}
