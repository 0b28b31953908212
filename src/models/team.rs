//! The registry of recognized national CSIRTs and the email domains that prove membership.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use crate::{
    db::{
        DbConnection,
        schema::{team_domains, teams},
    },
    domain::states::TeamStatus,
};

#[derive(Queryable, Selectable, Debug, Clone, Serialize)]
#[diesel(table_name = teams)]
pub struct Team {
    pub id: i64,
    pub name: String,
    pub short_name: String,
    pub country_code: String,
    pub website: String,
    pub status: TeamStatus,
    pub cap_override: Option<i32>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// What an organizer or an import sets on a team.
#[derive(Debug, Clone)]
pub struct TeamFields {
    pub name: String,
    pub short_name: String,
    pub country_code: String,
    pub website: String,
    pub cap_override: Option<i32>,
    pub domains: Vec<String>,
}

/// Teams matching `search` (name or short name) and `country`, by country then name.
pub fn list(conn: &mut DbConnection, search: &str, country: Option<&str>) -> QueryResult<Vec<Team>> {
    let mut query =
        teams::table.select(Team::as_select()).order((teams::country_code, teams::name)).into_boxed();
    let search = search.trim().to_lowercase();
    if !search.is_empty() {
        // Portable case-insensitive match (ILIKE is PostgreSQL only): names are matched
        // on their lower-case form.
        let pattern = format!("%{}%", search.replace(['%', '_'], ""));
        query = query.filter(
            diesel::dsl::sql::<diesel::sql_types::Bool>("(lower(teams.name) LIKE ")
                .bind::<diesel::sql_types::Text, _>(pattern.clone())
                .sql(" OR lower(teams.short_name) LIKE ")
                .bind::<diesel::sql_types::Text, _>(pattern)
                .sql(")"),
        );
    }
    if let Some(country) = country.filter(|c| !c.is_empty()) {
        query = query.filter(teams::country_code.eq(country.to_uppercase()));
    }
    query.load(conn)
}

pub fn find(conn: &mut DbConnection, id: i64) -> QueryResult<Team> {
    teams::table.find(id).select(Team::as_select()).first(conn)
}

pub fn by_short_name(conn: &mut DbConnection, short_name: &str) -> QueryResult<Option<Team>> {
    teams::table.filter(teams::short_name.eq(short_name)).select(Team::as_select()).first(conn).optional()
}

pub fn domains(conn: &mut DbConnection, team_id: i64) -> QueryResult<Vec<String>> {
    team_domains::table
        .filter(team_domains::team_id.eq(team_id))
        .order(team_domains::domain)
        .select(team_domains::domain)
        .load(conn)
}

/// Every (team id, domain) pair, for list pages.
pub fn all_domains(conn: &mut DbConnection) -> QueryResult<Vec<(i64, String)>> {
    team_domains::table
        .order(team_domains::domain)
        .select((team_domains::team_id, team_domains::domain))
        .load(conn)
}

/// The team that owns `domain`, if any (another team's domain cannot be reused).
pub fn owner_of_domain(conn: &mut DbConnection, domain: &str) -> QueryResult<Option<i64>> {
    team_domains::table
        .filter(team_domains::domain.eq(domain))
        .select(team_domains::team_id)
        .first(conn)
        .optional()
}

/// Creates the team or, when its short name exists, updates it; returns (id, created).
pub fn upsert(conn: &mut DbConnection, fields: &TeamFields, now: NaiveDateTime) -> QueryResult<(i64, bool)> {
    let existing = by_short_name(conn, &fields.short_name)?;
    let (id, created) = match existing {
        Some(team) => {
            update(conn, team.id, fields, now)?;
            (team.id, false)
        }
        None => {
            diesel::insert_into(teams::table)
                .values((
                    teams::name.eq(&fields.name),
                    teams::short_name.eq(&fields.short_name),
                    teams::country_code.eq(&fields.country_code),
                    teams::website.eq(&fields.website),
                    teams::cap_override.eq(fields.cap_override),
                    teams::created_at.eq(now),
                    teams::updated_at.eq(now),
                ))
                .execute(conn)?;
            let team = by_short_name(conn, &fields.short_name)?.ok_or(diesel::result::Error::NotFound)?;
            (team.id, true)
        }
    };
    replace_domains(conn, id, &fields.domains)?;
    Ok((id, created))
}

pub fn update(
    conn: &mut DbConnection,
    id: i64,
    fields: &TeamFields,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(teams::table.find(id))
        .set((
            teams::name.eq(&fields.name),
            teams::short_name.eq(&fields.short_name),
            teams::country_code.eq(&fields.country_code),
            teams::website.eq(&fields.website),
            teams::cap_override.eq(fields.cap_override),
            teams::updated_at.eq(now),
        ))
        .execute(conn)
}

pub fn replace_domains(conn: &mut DbConnection, id: i64, domains: &[String]) -> QueryResult<()> {
    diesel::delete(team_domains::table.filter(team_domains::team_id.eq(id))).execute(conn)?;
    for domain in domains {
        diesel::insert_into(team_domains::table)
            .values((team_domains::team_id.eq(id), team_domains::domain.eq(domain)))
            .execute(conn)?;
    }
    Ok(())
}

pub fn set_status(
    conn: &mut DbConnection,
    id: i64,
    status: TeamStatus,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(teams::table.find(id))
        .set((teams::status.eq(status), teams::updated_at.eq(now)))
        .execute(conn)
}

/// The countries present in the registry, for the filter.
pub fn countries(conn: &mut DbConnection) -> QueryResult<Vec<String>> {
    teams::table.select(teams::country_code).distinct().order(teams::country_code).load(conn)
}
