//! The registry of recognized national CSIRTs and the email domains that prove membership.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use crate::{
    db::{
        DbConnection,
        schema::{team_domains, teams},
    },
    domain::{endorsement::Contact, states::TeamStatus, team_import::TeamRow},
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
    /// An import took `domains` from the website: the new ones are stored unconfirmed.
    /// Otherwise (an organizer typed or listed them) new ones are confirmed. A domain the
    /// team has already keeps its state either way.
    pub derived_domains: bool,
    /// An exported registry states every domain's state: those listed here are stored
    /// unconfirmed and the other `domains` confirmed, whatever they were. `None`: as
    /// `derived_domains` says.
    pub unconfirmed_domains: Option<Vec<String>>,
    /// The points of contact to store, in order; `None` keeps the team's (an import
    /// without the column, the API).
    pub contacts: Option<Vec<Contact>>,
}

impl TeamFields {
    /// The fields an imported row sets; `cap_override`, the team's, stays unless the row
    /// has a cap column.
    pub fn from_row(row: &TeamRow, cap_override: Option<i32>) -> Self {
        let names = |domains: &[crate::domain::team_domain::TeamDomain]| -> Vec<String> {
            domains.iter().map(|d| d.as_str().to_owned()).collect()
        };
        Self {
            name: row.name.clone(),
            short_name: row.short_name.clone(),
            country_code: row.country_code.clone(),
            website: row.website.clone(),
            cap_override: row.cap_override.unwrap_or(cap_override),
            domains: names(&row.email_domains),
            derived_domains: row.domains_derived,
            unconfirmed_domains: row.domains_stated.then(|| names(&row.unconfirmed_domains)),
            contacts: row.contacts.clone(),
        }
    }
}

/// A stored email domain of a team. An unconfirmed one (taken from the website by an
/// import) proves nothing until an organizer confirms it.
#[derive(Queryable, Selectable, Debug, Clone, Serialize)]
#[diesel(table_name = team_domains)]
pub struct StoredDomain {
    pub id: i64,
    pub team_id: i64,
    pub domain: String,
    pub confirmed: bool,
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

/// The teams after the id `after` by id, at most `limit`: a page of the API's list.
pub fn page(conn: &mut DbConnection, after: Option<i64>, limit: i64) -> QueryResult<Vec<Team>> {
    teams::table
        .filter(teams::id.gt(after.unwrap_or(0)))
        .order(teams::id)
        .limit(limit)
        .select(Team::as_select())
        .load(conn)
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

/// The team's domains with their state, by domain.
pub fn stored_domains(conn: &mut DbConnection, team_id: i64) -> QueryResult<Vec<StoredDomain>> {
    team_domains::table
        .filter(team_domains::team_id.eq(team_id))
        .order(team_domains::domain)
        .select(StoredDomain::as_select())
        .load(conn)
}

/// The domains of the teams `ids` with their state, by domain.
pub fn domains_of(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<Vec<StoredDomain>> {
    team_domains::table
        .filter(team_domains::team_id.eq_any(ids))
        .order(team_domains::domain)
        .select(StoredDomain::as_select())
        .load(conn)
}

/// Every confirmed (team id, domain) pair: the domains an address proves membership with
/// at self-registration.
pub fn confirmed_domains(conn: &mut DbConnection) -> QueryResult<Vec<(i64, String)>> {
    team_domains::table
        .filter(team_domains::confirmed.eq(true))
        .order(team_domains::domain)
        .select((team_domains::team_id, team_domains::domain))
        .load(conn)
}

/// Confirms the team's unconfirmed `domain`; `false` when it has no such domain waiting.
pub fn confirm_domain(conn: &mut DbConnection, team_id: i64, domain: &str) -> QueryResult<bool> {
    let changed = diesel::update(
        team_domains::table
            .filter(team_domains::team_id.eq(team_id))
            .filter(team_domains::domain.eq(domain))
            .filter(team_domains::confirmed.eq(false)),
    )
    .set(team_domains::confirmed.eq(true))
    .execute(conn)?;
    Ok(changed == 1)
}

/// Every (team id, domain) pair, confirmed or not (no domain may belong to two teams).
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
    replace_domains(conn, id, &fields.domains, !fields.derived_domains)?;
    if let Some(contacts) = &fields.contacts {
        super::team_contact::replace(conn, id, contacts)?;
    }
    if let Some(unconfirmed) = &fields.unconfirmed_domains {
        let of_team = team_domains::table.filter(team_domains::team_id.eq(id));
        diesel::update(of_team.filter(team_domains::domain.ne_all(unconfirmed)))
            .set(team_domains::confirmed.eq(true))
            .execute(conn)?;
        diesel::update(of_team.filter(team_domains::domain.eq_any(unconfirmed)))
            .set(team_domains::confirmed.eq(false))
            .execute(conn)?;
    }
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

/// Makes `domains` the team's: the others go, those it has keep their state, new ones are
/// stored `confirmed` or not.
pub fn replace_domains(
    conn: &mut DbConnection,
    id: i64,
    domains: &[String],
    confirmed: bool,
) -> QueryResult<()> {
    diesel::delete(
        team_domains::table.filter(team_domains::team_id.eq(id)).filter(team_domains::domain.ne_all(domains)),
    )
    .execute(conn)?;
    let kept: Vec<String> = stored_domains(conn, id)?.into_iter().map(|d| d.domain).collect();
    for domain in domains.iter().filter(|d| !kept.contains(d)) {
        diesel::insert_into(team_domains::table)
            .values((
                team_domains::team_id.eq(id),
                team_domains::domain.eq(domain),
                team_domains::confirmed.eq(confirmed),
            ))
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
