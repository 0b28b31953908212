//! A team's waitlist for a meeting and the offers made from it: who is next (in the order
//! people were waitlisted), a person's position, the move to `offered` and back, and the
//! offers whose deadline has passed. The rules live in `domain::registration`.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::{
    db::{
        DbConnection,
        schema::{meetings, registrations},
    },
    domain::registration::Status,
    models::registration::Registration,
};

/// The first waitlisted registration of the team for the meeting, leaving out `skip`.
pub fn next(
    conn: &mut DbConnection,
    meeting_id: i64,
    team_id: i64,
    skip: &[i64],
) -> QueryResult<Option<Registration>> {
    registrations::table
        .filter(registrations::meeting_id.eq(meeting_id))
        .filter(registrations::team_id.eq(team_id))
        .filter(registrations::status.eq(Status::Waitlisted))
        .filter(registrations::id.ne_all(skip))
        .order((registrations::waitlisted_at.asc(), registrations::id.asc()))
        .select(Registration::as_select())
        .first(conn)
        .optional()
}

/// Where the waitlisted registration `r` stands on its team's waitlist (1 is next).
pub fn position(conn: &mut DbConnection, r: &Registration) -> QueryResult<i64> {
    // Every move to `waitlisted` sets `waitlisted_at` (and the migration filled it in).
    let Some(at) = r.waitlisted_at else { return Ok(1) };
    let ahead: i64 = registrations::table
        .filter(registrations::meeting_id.eq(r.meeting_id))
        .filter(registrations::team_id.eq(r.team_id))
        .filter(registrations::status.eq(Status::Waitlisted))
        .filter(
            registrations::waitlisted_at
                .lt(at)
                .or(registrations::waitlisted_at.eq(at).and(registrations::id.lt(r.id))),
        )
        .count()
        .get_result(conn)?;
    Ok(ahead + 1)
}

/// Offers the place to the waitlisted registration `id` until `deadline`; `false` if it was
/// no longer waitlisted.
pub fn offer(
    conn: &mut DbConnection,
    id: i64,
    deadline: NaiveDateTime,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let moved =
        diesel::update(registrations::table.find(id).filter(registrations::status.eq(Status::Waitlisted)))
            .set((
                registrations::status.eq(Status::Offered),
                registrations::offer_expires_at.eq(Some(deadline)),
                registrations::updated_at.eq(now),
            ))
            .execute(conn)?;
    Ok(moved == 1)
}

/// An offer that ran out: the registration goes back to the end of its team's waitlist.
pub fn back_to_waitlist(conn: &mut DbConnection, id: i64, now: NaiveDateTime) -> QueryResult<bool> {
    let moved =
        diesel::update(registrations::table.find(id).filter(registrations::status.eq(Status::Offered)))
            .set((
                registrations::status.eq(Status::Waitlisted),
                registrations::waitlisted_at.eq(Some(now)),
                registrations::offer_expires_at.eq(None::<NaiveDateTime>),
                registrations::updated_at.eq(now),
            ))
            .execute(conn)?;
    Ok(moved == 1)
}

/// The open offers whose deadline is `now` or earlier.
pub fn due(conn: &mut DbConnection, now: NaiveDateTime) -> QueryResult<Vec<i64>> {
    registrations::table
        .filter(registrations::status.eq(Status::Offered))
        .filter(registrations::offer_expires_at.le(now))
        .order(registrations::offer_expires_at.asc())
        .select(registrations::id)
        .load(conn)
}

/// The meetings, last day `today` or later, where the team has someone waitlisted.
pub fn meetings_waiting(
    conn: &mut DbConnection,
    team_id: i64,
    today: chrono::NaiveDate,
) -> QueryResult<Vec<i64>> {
    registrations::table
        .inner_join(meetings::table)
        .filter(registrations::team_id.eq(team_id))
        .filter(registrations::status.eq(Status::Waitlisted))
        .filter(meetings::last_day.ge(today))
        .select(registrations::meeting_id)
        .distinct()
        .load(conn)
}
