//! Reminders before a meeting: each meeting's days (`reminder_settings`, one row per
//! meeting once saved) and the reminders queued (`reminders`, one row per registration and
//! number of days, so that a reminder is queued once however many passes run at once).

use chrono::{NaiveDate, NaiveDateTime};
use diesel::{dsl::count_star, prelude::*};

use crate::{
    db::{
        DbConnection,
        schema::{meetings, registrations, reminder_settings, reminders},
    },
    domain::{registration::Status, states::MeetingStatus},
    models::meeting::Meeting,
};

/// The meeting's stored days ("7, 1"), if an organizer saved any.
pub fn days_for(conn: &mut DbConnection, meeting_id: i64) -> QueryResult<Option<String>> {
    reminder_settings::table.find(meeting_id).select(reminder_settings::days).first(conn).optional()
}

/// Stores the meeting's days (already checked), saved by `by` at `at`.
pub fn save_days(
    conn: &mut DbConnection,
    meeting_id: i64,
    days: &str,
    by: i64,
    at: NaiveDateTime,
) -> QueryResult<()> {
    let values = (
        reminder_settings::days.eq(days),
        reminder_settings::updated_by.eq(Some(by)),
        reminder_settings::updated_at.eq(at),
    );
    let updated = diesel::update(reminder_settings::table.find(meeting_id)).set(values).execute(conn)?;
    if updated == 0 {
        diesel::insert_into(reminder_settings::table)
            .values((reminder_settings::meeting_id.eq(meeting_id), values))
            .execute(conn)?;
    }
    Ok(())
}

/// The open meetings whose first day lies from `from` to `to`, with their stored days.
pub fn meetings_starting(
    conn: &mut DbConnection,
    from: NaiveDate,
    to: NaiveDate,
) -> QueryResult<Vec<(Meeting, Option<String>)>> {
    meetings::table
        .left_join(reminder_settings::table)
        .filter(meetings::status.eq(MeetingStatus::Open))
        .filter(meetings::first_day.ge(from))
        .filter(meetings::first_day.le(to))
        .order(meetings::id)
        .select((Meeting::as_select(), reminder_settings::days.nullable()))
        .load(conn)
}

/// The approved registrations of the meeting that have no reminder of `d` days yet.
pub fn not_reminded(conn: &mut DbConnection, meeting_id: i64, d: u32) -> QueryResult<Vec<i64>> {
    let d = d as i32;
    registrations::table
        .left_join(
            reminders::table
                .on(reminders::registration_id.eq(registrations::id).and(reminders::days_before.eq(d))),
        )
        .filter(registrations::meeting_id.eq(meeting_id))
        .filter(registrations::status.eq(Status::Approved))
        .filter(reminders::registration_id.nullable().is_null())
        .order(registrations::id)
        .select(registrations::id)
        .load(conn)
}

/// Marks the reminder of `d` days to registration `id` as queued; `false` when another
/// pass (perhaps on another instance) got there first. `ON CONFLICT DO NOTHING`, not a
/// caught unique violation, which would abort the transaction on PostgreSQL.
pub fn mark_queued(conn: &mut DbConnection, id: i64, d: u32, now: NaiveDateTime) -> QueryResult<bool> {
    let insert = diesel::insert_into(reminders::table)
        .values((
            reminders::registration_id.eq(id),
            reminders::days_before.eq(d as i32),
            reminders::queued_at.eq(now),
        ))
        .on_conflict_do_nothing();
    let inserted = match conn {
        DbConnection::Sqlite(c) => insert.execute(c)?,
        DbConnection::Postgresql(c) => insert.execute(c)?,
    };
    Ok(inserted == 1)
}

/// Forgets the reminder of `d` days to registration `id` (it was withheld at send time),
/// so that the person, approved again before the next reminder's time, gets it then.
pub fn forget(conn: &mut DbConnection, id: i64, d: u32) -> QueryResult<usize> {
    diesel::delete(reminders::table.find((id, d as i32))).execute(conn)
}

/// Whether registration `id` may still receive a reminder: approved, for an open meeting.
pub fn still_wanted(conn: &mut DbConnection, id: i64) -> QueryResult<bool> {
    let found: Option<(Status, MeetingStatus)> = registrations::table
        .inner_join(meetings::table)
        .filter(registrations::id.eq(id))
        .select((registrations::status, meetings::status))
        .first(conn)
        .optional()?;
    Ok(matches!(found, Some((Status::Approved, MeetingStatus::Open))))
}

/// How many reminders of each number of days were queued for the meeting, largest first.
pub fn queued_counts(conn: &mut DbConnection, meeting_id: i64) -> QueryResult<Vec<(i32, i64)>> {
    reminders::table
        .inner_join(registrations::table)
        .filter(registrations::meeting_id.eq(meeting_id))
        .group_by(reminders::days_before)
        .select((reminders::days_before, count_star()))
        .order(reminders::days_before.desc())
        .load(conn)
}
