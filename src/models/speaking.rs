//! Who speaks in a session, for the pages that show speakers their own sessions' feedback.
//! Speakers are free text on sessions today; an accepted proposal links its session to
//! the accounts of its proposer and confirmed co-speakers, so the check goes through
//! proposals. When sessions hold their speakers as accounts, only [`is_speaker`] changes.

use diesel::prelude::*;

use crate::db::{
    DbConnection,
    schema::{proposal_speakers, proposals, registrations},
};

/// Whether the account `user_id` speaks in the (draft or released) session `session_id`:
/// it made the proposal the session was created from, or co-speaks on it and confirmed.
pub fn is_speaker(conn: &mut DbConnection, user_id: i64, session_id: i64) -> QueryResult<bool> {
    let own = registrations::table.filter(registrations::user_id.eq(user_id)).select(registrations::id);
    let proposed: i64 = proposals::table
        .filter(proposals::session_id.eq(session_id))
        .filter(proposals::registration_id.eq_any(own))
        .count()
        .get_result(conn)?;
    if proposed > 0 {
        return Ok(true);
    }
    let own = registrations::table.filter(registrations::user_id.eq(user_id)).select(registrations::id);
    let of_session = proposals::table.filter(proposals::session_id.eq(session_id)).select(proposals::id);
    let co_speaks: i64 = proposal_speakers::table
        .filter(proposal_speakers::proposal_id.eq_any(of_session))
        .filter(proposal_speakers::registration_id.eq_any(own))
        .filter(proposal_speakers::confirmed_at.is_not_null())
        .count()
        .get_result(conn)?;
    Ok(co_speaks > 0)
}
