//! Who speaks in a session, for the pages that show speakers their own sessions' feedback
//! and let them add materials: a speaker held as an account (`session_speakers.registration_id`,
//! written when a proposal is accepted or an organizer ticks a registered person) whose
//! registration is approved. One who withdrew or was revoked stays on the session until an
//! organizer changes it, but no longer speaks for these pages. Outside guests (free text)
//! have no account and so no such page.

use diesel::prelude::*;

use crate::{
    db::{
        DbConnection,
        schema::{registrations, session_speakers},
    },
    domain::registration::Status,
};

/// Whether the account `user_id` speaks in the (draft or released) session `session_id`
/// with an approved registration.
pub fn is_speaker(conn: &mut DbConnection, user_id: i64, session_id: i64) -> QueryResult<bool> {
    let own = registrations::table
        .filter(registrations::user_id.eq(user_id))
        .filter(registrations::status.eq(Status::Approved))
        .select(registrations::id.nullable());
    let rows: i64 = session_speakers::table
        .filter(session_speakers::session_id.eq(session_id))
        .filter(session_speakers::registration_id.eq_any(own))
        .count()
        .get_result(conn)?;
    Ok(rows > 0)
}
