//! The outside guests told that they speak in a session (`delivery::speakers`): the
//! addresses, in lower case, that its last release sent the plain notice to. A guest no
//! longer listed at the next release is told they are taken off, then forgotten here.

use diesel::prelude::*;

use crate::db::{DbConnection, schema::guest_notices};

/// The addresses told that they speak in `session_id`.
pub fn told(conn: &mut DbConnection, session_id: i64) -> QueryResult<Vec<String>> {
    guest_notices::table
        .filter(guest_notices::session_id.eq(session_id))
        .order(guest_notices::email)
        .select(guest_notices::email)
        .load(conn)
}

/// After a release: `emails` (lower case, each once) are the guests told now.
pub fn replace(conn: &mut DbConnection, session_id: i64, emails: &[String]) -> QueryResult<()> {
    diesel::delete(guest_notices::table.filter(guest_notices::session_id.eq(session_id))).execute(conn)?;
    for email in emails {
        diesel::insert_into(guest_notices::table)
            .values((guest_notices::session_id.eq(session_id), guest_notices::email.eq(email)))
            .execute(conn)?;
    }
    Ok(())
}
