//! Draft sessions an accepted proposal created that no organizer has placed yet. Their
//! times are a placeholder (the meeting's first morning), so a release leaves them out and
//! the conflict check ignores them; saving one in the editor places it.

use diesel::prelude::*;

use crate::db::{
    DbConnection,
    schema::{sessions, unscheduled_sessions},
};

pub fn mark(conn: &mut DbConnection, session_id: i64) -> QueryResult<usize> {
    diesel::insert_into(unscheduled_sessions::table)
        .values(unscheduled_sessions::session_id.eq(session_id))
        .execute(conn)
}

/// The session is placed: from now on it is published and checked like any other.
pub fn placed(conn: &mut DbConnection, session_id: i64) -> QueryResult<usize> {
    diesel::delete(unscheduled_sessions::table.find(session_id)).execute(conn)
}

/// The ids of the meeting's sessions not yet placed.
pub fn of_meeting(conn: &mut DbConnection, meeting_id: i64) -> QueryResult<Vec<i64>> {
    unscheduled_sessions::table
        .inner_join(sessions::table)
        .filter(sessions::meeting_id.eq(meeting_id))
        .select(unscheduled_sessions::session_id)
        .load(conn)
}
