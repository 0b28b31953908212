//! The meeting days: who is expected at the door (every registration of the meeting with
//! its badge name, team and country) and who arrived on which day (`checkins`, one row
//! per registration and meeting day).

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::{
    db::{
        DbConnection,
        schema::{checkins, registrations, teams, users},
    },
    domain::registration::Status,
};

/// A person registered for the meeting, as the door sees them.
#[derive(Queryable, Debug, Clone)]
pub struct Expected {
    pub registration_id: i64,
    pub status: Status,
    pub name: String,
    pub badge_name: Option<String>,
    pub team: String,
    pub country: String,
}

/// Every registration of the meeting, by team country and name (names compared as
/// stored; callers that show a list sort it again where case matters).
pub fn expected(conn: &mut DbConnection, meeting_id: i64) -> QueryResult<Vec<Expected>> {
    registrations::table
        .inner_join(users::table)
        .inner_join(teams::table)
        .filter(registrations::meeting_id.eq(meeting_id))
        .order((teams::country_code, users::name, registrations::id))
        .select((
            registrations::id,
            registrations::status,
            users::name,
            registrations::badge_name,
            teams::name,
            teams::country_code,
        ))
        .load(conn)
}

/// Marks the registration arrived on `day`; `false` when it already was (another organizer
/// was quicker). `ON CONFLICT DO NOTHING` on the key (registration, day) rather than a
/// caught unique violation, which would abort the caller's transaction on PostgreSQL.
pub fn arrive(
    conn: &mut DbConnection,
    registration_id: i64,
    day: NaiveDate,
    by: i64,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let row = (
        checkins::registration_id.eq(registration_id),
        checkins::day.eq(day),
        checkins::checked_in_by.eq(Some(by)),
        checkins::checked_in_at.eq(now),
    );
    let insert = diesel::insert_into(checkins::table).values(row).on_conflict_do_nothing();
    let inserted = match conn {
        DbConnection::Sqlite(c) => insert.execute(c)?,
        DbConnection::Postgresql(c) => insert.execute(c)?,
    };
    Ok(inserted == 1)
}

/// Removes the registration's check-in of `day`; `false` when there was none.
pub fn undo(conn: &mut DbConnection, registration_id: i64, day: NaiveDate) -> QueryResult<bool> {
    let gone = diesel::delete(checkins::table.find((registration_id, day))).execute(conn)?;
    Ok(gone == 1)
}

/// Every check-in of the meeting's registrations: (registration, day, when).
pub fn of_meeting(
    conn: &mut DbConnection,
    meeting_id: i64,
) -> QueryResult<Vec<(i64, NaiveDate, NaiveDateTime)>> {
    checkins::table
        .inner_join(registrations::table)
        .filter(registrations::meeting_id.eq(meeting_id))
        .select((checkins::registration_id, checkins::day, checkins::checked_in_at))
        .load(conn)
}

/// The days these registrations were marked arrived: (registration, day), by day.
pub fn days_of(conn: &mut DbConnection, registration_ids: &[i64]) -> QueryResult<Vec<(i64, NaiveDate)>> {
    checkins::table
        .filter(checkins::registration_id.eq_any(registration_ids))
        .order(checkins::day)
        .select((checkins::registration_id, checkins::day))
        .load(conn)
}
