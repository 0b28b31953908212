//! The FIRST conference editions organizers keep (`/admin/editions`), filled from the
//! shipped file whenever the table is empty (`seed_if_empty`, at start-up).

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use crate::{
    db::{
        DbConnection,
        schema::{first_editions, meetings},
    },
    domain::first_conferences,
};

#[derive(Queryable, Selectable, Debug, Clone, Serialize)]
#[diesel(table_name = first_editions)]
pub struct FirstEdition {
    pub id: i64,
    pub name: String,
    pub city: String,
    pub country: String,
    pub time_zone: String,
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// What an organizer sets on an edition (validated by the caller).
#[derive(Insertable, AsChangeset, Debug, Clone, PartialEq, Eq)]
#[diesel(table_name = first_editions)]
pub struct EditionFields {
    pub name: String,
    pub city: String,
    pub country: String,
    pub time_zone: String,
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
}

/// Every edition, oldest first.
pub fn list(conn: &mut DbConnection) -> QueryResult<Vec<FirstEdition>> {
    first_editions::table
        .order((first_editions::first_day.asc(), first_editions::id.asc()))
        .select(FirstEdition::as_select())
        .load(conn)
}

pub fn find(conn: &mut DbConnection, id: i64) -> QueryResult<FirstEdition> {
    first_editions::table.find(id).select(FirstEdition::as_select()).first(conn)
}

/// The first edition that has not ended by `today`: the one a new meeting goes next to.
pub fn next(conn: &mut DbConnection, today: NaiveDate) -> QueryResult<Option<FirstEdition>> {
    first_editions::table
        .filter(first_editions::last_day.ge(today))
        .order(first_editions::first_day.asc())
        .select(FirstEdition::as_select())
        .first(conn)
        .optional()
}

pub fn insert(conn: &mut DbConnection, f: &EditionFields, now: NaiveDateTime) -> QueryResult<i64> {
    diesel::insert_into(first_editions::table)
        .values((f, first_editions::created_at.eq(now), first_editions::updated_at.eq(now)))
        .execute(conn)?;
    // Editions never share a day (checked under `lock`), so the first day finds the row.
    first_editions::table
        .filter(first_editions::first_day.eq(f.first_day))
        .order(first_editions::id.desc())
        .select(first_editions::id)
        .first(conn)
}

/// Serialises writes of editions until the caller's transaction ends, so the overlap check
/// and the write see the same editions (SQLite's `db::transaction` holds the write lock
/// from BEGIN; PostgreSQL needs the table's).
pub fn lock(conn: &mut DbConnection) -> QueryResult<()> {
    if let DbConnection::Postgresql(c) = conn {
        diesel::sql_query("LOCK TABLE first_editions IN SHARE ROW EXCLUSIVE MODE").execute(c)?;
    }
    Ok(())
}

pub fn update(conn: &mut DbConnection, id: i64, f: &EditionFields, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(first_editions::table.find(id)).set((f, first_editions::updated_at.eq(now))).execute(conn)
}

pub fn delete(conn: &mut DbConnection, id: i64) -> QueryResult<usize> {
    diesel::delete(first_editions::table.find(id)).execute(conn)
}

/// The titles of the meetings created from the edition, which keep it from being deleted.
pub fn used_by(conn: &mut DbConnection, id: i64) -> QueryResult<Vec<String>> {
    meetings::table
        .filter(meetings::edition_id.eq(id))
        .order(meetings::first_day.asc())
        .select(meetings::title)
        .load(conn)
}

/// How many meetings each edition was created from, by edition id.
pub fn use_counts(conn: &mut DbConnection) -> QueryResult<Vec<(i64, i64)>> {
    let rows: Vec<(Option<i64>, i64)> = meetings::table
        .filter(meetings::edition_id.is_not_null())
        .group_by(meetings::edition_id)
        .select((meetings::edition_id, diesel::dsl::count_star()))
        .load(conn)?;
    Ok(rows.into_iter().filter_map(|(id, n)| Some((id?, n))).collect())
}

/// Fills the table from the shipped file when it holds no edition; returns how many rows
/// were written (0 when it had some). Under [`lock`], so two instances starting together
/// write the seed once.
pub fn seed_if_empty(conn: &mut DbConnection, now: NaiveDateTime) -> QueryResult<usize> {
    crate::db::transaction(conn, |conn| {
        lock(conn)?;
        let count: i64 = first_editions::table.count().get_result(conn)?;
        if count > 0 {
            return Ok(0);
        }
        let seed = first_conferences::seed();
        for e in &seed {
            let fields = EditionFields {
                name: e.name.clone(),
                city: e.city.clone(),
                country: e.country.clone(),
                time_zone: e.time_zone.clone(),
                first_day: e.first_day,
                last_day: e.last_day,
            };
            insert(conn, &fields, now)?;
        }
        Ok(seed.len())
    })
}
