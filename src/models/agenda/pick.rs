//! An attendee's picks ("my agenda") and the release they last saw.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::{
    DbConnection,
    schema::{agenda_picks, agenda_views, registrations},
};

pub fn for_registration(conn: &mut DbConnection, registration_id: i64) -> QueryResult<Vec<i64>> {
    agenda_picks::table
        .filter(agenda_picks::registration_id.eq(registration_id))
        .order(agenda_picks::session_id)
        .select(agenda_picks::session_id)
        .load(conn)
}

/// The release the attendee last saw and their picks (sorted), in one statement: the
/// agenda page reads both on every request (issue 16: on PostgreSQL each statement is a
/// round trip).
pub fn seen_and_picks(conn: &mut DbConnection, registration_id: i64) -> QueryResult<(Option<i32>, Vec<i64>)> {
    let rows: Vec<(Option<i32>, Option<i64>)> = registrations::table
        .left_join(agenda_views::table)
        .left_join(agenda_picks::table)
        .filter(registrations::id.eq(registration_id))
        .order(agenda_picks::session_id)
        .select((agenda_views::release_number.nullable(), agenda_picks::session_id.nullable()))
        .load(conn)?;
    let seen = rows.first().and_then(|(seen, _)| *seen);
    Ok((seen, rows.into_iter().filter_map(|(_, pick)| pick).collect()))
}

/// Adds a pick; true when it was not there yet.
pub fn add(
    conn: &mut DbConnection,
    registration_id: i64,
    session_id: i64,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let there: bool =
        diesel::select(diesel::dsl::exists(agenda_picks::table.find((registration_id, session_id))))
            .get_result(conn)?;
    if !there {
        diesel::insert_into(agenda_picks::table)
            .values((
                agenda_picks::registration_id.eq(registration_id),
                agenda_picks::session_id.eq(session_id),
                agenda_picks::created_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(!there)
}

/// Removes a pick; true when it was there.
pub fn remove(conn: &mut DbConnection, registration_id: i64, session_id: i64) -> QueryResult<bool> {
    Ok(diesel::delete(agenda_picks::table.find((registration_id, session_id))).execute(conn)? > 0)
}

/// The release number the attendee saw last, if any.
pub fn last_seen(conn: &mut DbConnection, registration_id: i64) -> QueryResult<Option<i32>> {
    agenda_views::table.find(registration_id).select(agenda_views::release_number).first(conn).optional()
}

/// Notes that the attendee saw release `number`; never moves back to an older one (an
/// instance whose agenda outline is up to a second old may still show the one before).
pub fn set_seen(conn: &mut DbConnection, registration_id: i64, number: i32) -> QueryResult<()> {
    match last_seen(conn, registration_id)? {
        Some(seen) if seen >= number => {}
        Some(_) => {
            diesel::update(agenda_views::table.find(registration_id))
                .set(agenda_views::release_number.eq(number))
                .execute(conn)?;
        }
        None => {
            diesel::insert_into(agenda_views::table)
                .values((
                    agenda_views::registration_id.eq(registration_id),
                    agenda_views::release_number.eq(number),
                ))
                .execute(conn)?;
        }
    }
    Ok(())
}

/// The registrations that picked a session.
pub fn pickers(conn: &mut DbConnection, session_id: i64) -> QueryResult<Vec<i64>> {
    agenda_picks::table
        .filter(agenda_picks::session_id.eq(session_id))
        .select(agenda_picks::registration_id)
        .load(conn)
}
