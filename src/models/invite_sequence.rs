//! The mailbox side of docs/CALENDAR.md S7: per attendee (registration) and calendar UID,
//! the last SEQUENCE sent and whether their calendar holds the object now (a REQUEST not
//! yet followed by a CANCEL).

use diesel::prelude::*;

use crate::db::{DbConnection, schema::invite_sequences};

/// The SEQUENCE of the next message to this attendee about `uid`: above every earlier
/// message to them, never below the object's own; `held` records what the message leaves
/// in their calendar (true for a REQUEST, false for a CANCEL).
pub fn next(
    conn: &mut DbConnection,
    registration_id: i64,
    uid: &str,
    own: i32,
    held: bool,
) -> QueryResult<i32> {
    let key = (registration_id, uid);
    let last: Option<i32> =
        invite_sequences::table.find(key).select(invite_sequences::sequence).first(conn).optional()?;
    let sequence = last.map_or(own, |l| (l + 1).max(own));
    if last.is_some() {
        diesel::update(invite_sequences::table.find(key))
            .set((invite_sequences::sequence.eq(sequence), invite_sequences::held.eq(held)))
            .execute(conn)?;
    } else {
        diesel::insert_into(invite_sequences::table)
            .values((
                invite_sequences::registration_id.eq(registration_id),
                invite_sequences::uid.eq(uid),
                invite_sequences::sequence.eq(sequence),
                invite_sequences::held.eq(held),
            ))
            .execute(conn)?;
    }
    Ok(sequence)
}

/// The registrations whose calendars hold `uid`.
pub fn holders(conn: &mut DbConnection, uid: &str) -> QueryResult<Vec<i64>> {
    invite_sequences::table
        .filter(invite_sequences::uid.eq(uid))
        .filter(invite_sequences::held.eq(true))
        .select(invite_sequences::registration_id)
        .load(conn)
}

/// The UIDs a registration's calendar holds.
pub fn held_by(conn: &mut DbConnection, registration_id: i64) -> QueryResult<Vec<String>> {
    invite_sequences::table
        .filter(invite_sequences::registration_id.eq(registration_id))
        .filter(invite_sequences::held.eq(true))
        .select(invite_sequences::uid)
        .load(conn)
}
