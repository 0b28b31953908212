//! The registry list one page at a time: the search, the country filter, the sort and
//! the paging all run in SQL, so a registry of thousands of teams loads 50 rows.

use diesel::{dsl::count_star, prelude::*};

use crate::{
    db::{
        DbConnection,
        schema::{team_domains, teams},
    },
    domain::states::TeamStatus,
    models::team::Team,
};

diesel::define_sql_function! {
    /// SQL `lower()`: names sort without regard to case on both backends.
    fn lower(text: diesel::sql_types::Text) -> diesel::sql_types::Text;
}

type Backend = <DbConnection as Connection>::Backend;

/// The column the list is sorted by. `Default` is the registry's own order: by country,
/// then by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Order {
    #[default]
    Default,
    ShortName,
    Name,
    Country,
    Status,
    Cap,
}

/// What the list shows: a search in names and short names, a country, a sort, a page.
#[derive(Debug, Clone, Default)]
pub struct Query {
    pub search: String,
    pub country: String,
    pub order: Order,
    pub descending: bool,
}

/// The teams `query` finds, without order or paging.
fn found<'a>(query: &Query) -> teams::BoxedQuery<'a, Backend> {
    let mut found = teams::table.into_boxed();
    let search = query.search.trim().to_lowercase();
    if !search.is_empty() {
        // Portable case-insensitive match (ILIKE is PostgreSQL only); `%`, `_` and `\` are
        // matched as themselves ("CERT_FR" finds CERT_FR).
        let literal = search.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
        let pattern = format!("%{literal}%");
        found = found.filter(
            lower(teams::name)
                .like(pattern.clone())
                .escape('\\')
                .or(lower(teams::short_name).like(pattern).escape('\\')),
        );
    }
    if !query.country.is_empty() {
        found = found.filter(teams::country_code.eq(query.country.to_uppercase()));
    }
    found
}

/// How many teams `query` finds, over all pages.
pub fn count(conn: &mut DbConnection, query: &Query) -> QueryResult<i64> {
    found(query).select(count_star()).get_result(conn)
}

/// One page of the teams `query` finds, in its order. Ties fall back to the name and then
/// the id, so that every row has one place and paging never shows a team twice. A team
/// without its own cap (the meeting's default) comes after the teams with one.
pub fn page(conn: &mut DbConnection, query: &Query, offset: i64, limit: i64) -> QueryResult<Vec<Team>> {
    let rows = found(query);
    let desc = query.descending;
    macro_rules! by {
        ($rows:expr, $column:expr) => {
            if desc { $rows.then_order_by($column.desc()) } else { $rows.then_order_by($column.asc()) }
        };
    }
    let rows = match query.order {
        Order::Default => rows.then_order_by(teams::country_code.asc()),
        Order::ShortName => by!(rows, lower(teams::short_name)),
        Order::Name => by!(rows, lower(teams::name)),
        Order::Country => by!(rows, teams::country_code),
        Order::Status => by!(rows, teams::status),
        Order::Cap => by!(rows.then_order_by(teams::cap_override.is_null().asc()), teams::cap_override),
    };
    let rows = rows.then_order_by(lower(teams::name).asc()).then_order_by(teams::id.asc());
    rows.select(Team::as_select()).offset(offset).limit(limit).load(conn)
}

/// The registry's totals whatever the filter: (teams, suspended, without an email domain).
pub fn totals(conn: &mut DbConnection) -> QueryResult<(i64, i64, i64)> {
    let all = teams::table.count().get_result(conn)?;
    let suspended = teams::table.filter(teams::status.eq(TeamStatus::Suspended)).count().get_result(conn)?;
    let with_domain = team_domains::table.filter(team_domains::team_id.eq(teams::id));
    let without_domain =
        teams::table.filter(diesel::dsl::not(diesel::dsl::exists(with_domain))).count().get_result(conn)?;
    Ok((all, suspended, without_domain))
}
