//! GET `/admin/teams.csv`: the whole registry as the file the team import reads, every
//! column it holds (status, own cap, domains confirmed or not, points of contact), so that it can be kept
//! aside and imported back unchanged (`domain::team_export`).

use actix_web::{HttpResponse, web};
use anyhow::Context as _;

use crate::{
    auth::guard::Organizer,
    domain::team_export::{RegistryRow, write},
    error::AppError,
    models::{team, team_contact},
    render::attachment,
    state::AppState,
};

pub async fn csv(state: web::Data<AppState>, _who: Organizer) -> Result<HttpResponse, AppError> {
    let (mut teams, domains, contacts) = state
        .db
        .query(|c| {
            let teams = team::list(c, "", None)?;
            let ids: Vec<i64> = teams.iter().map(|t| t.id).collect();
            Ok((teams, team::domains_of(c, &ids)?, team_contact::of_teams(c, &ids)?))
        })
        .await?;
    // The list's order, made total so that two registries with the same teams give the
    // same file.
    teams.sort_by(|a, b| {
        (&a.country_code, &a.name, &a.short_name).cmp(&(&b.country_code, &b.name, &b.short_name))
    });
    let rows: Vec<RegistryRow> = teams
        .into_iter()
        .map(|t| RegistryRow {
            domains: domains
                .iter()
                .filter(|d| d.team_id == t.id)
                .map(|d| (d.domain.clone(), d.confirmed))
                .collect(),
            contacts: contacts
                .iter()
                .filter(|p| p.team_id == t.id)
                .map(|p| (p.name.clone(), p.email.clone()))
                .collect(),
            name: t.name,
            short_name: t.short_name,
            country_code: t.country_code,
            website: t.website,
            status: t.status,
            cap_override: t.cap_override,
        })
        .collect();
    let body = write(&rows).context("writing the registry CSV")?;
    Ok(attachment("text/csv; charset=utf-8", "teams.csv", body))
}
