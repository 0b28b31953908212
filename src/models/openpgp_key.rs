//! An account's OpenPGP public key (issue 19, point 2): one per account, added, replaced and
//! removed by the person on `/me`, read by the attendee directory (for those who opted in to
//! share it) and by encrypted announcements (for every recipient who has one). The checks a
//! key passes before it is stored are `domain::openpgp`'s; this module only keeps the row.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::{DbConnection, schema::openpgp_keys};

#[derive(Queryable, Selectable, Insertable, Debug, Clone, PartialEq, Eq)]
#[diesel(table_name = openpgp_keys)]
pub struct OpenPgpKey {
    pub user_id: i64,
    /// The version 4 fingerprint: 40 upper-case hex digits.
    pub fingerprint: String,
    /// The public key as ASCII armor.
    pub armored: String,
    /// When the key stops being usable for encryption, if it has an expiry.
    pub expires_at: Option<NaiveDateTime>,
    pub added_at: NaiveDateTime,
}

/// The account's key, if it has one.
pub fn of_user(conn: &mut DbConnection, user_id: i64) -> QueryResult<Option<OpenPgpKey>> {
    openpgp_keys::table.find(user_id).select(OpenPgpKey::as_select()).first(conn).optional()
}

/// The keys of these accounts, by account (accounts without a key are absent).
pub fn of_users(conn: &mut DbConnection, user_ids: &[i64]) -> QueryResult<HashMap<i64, OpenPgpKey>> {
    let mut keys = HashMap::with_capacity(user_ids.len());
    // One query per thousand ids keeps below every backend's bound-parameter limit.
    for ids in user_ids.chunks(1000) {
        let rows = openpgp_keys::table
            .filter(openpgp_keys::user_id.eq_any(ids))
            .select(OpenPgpKey::as_select())
            .load(conn)?;
        keys.extend(rows.into_iter().map(|k| (k.user_id, k)));
    }
    Ok(keys)
}

/// Stores the account's key, replacing the one it had (run it in a transaction: it deletes,
/// then inserts).
pub fn put(conn: &mut DbConnection, key: &OpenPgpKey) -> QueryResult<()> {
    diesel::delete(openpgp_keys::table.find(key.user_id)).execute(conn)?;
    diesel::insert_into(openpgp_keys::table).values(key).execute(conn)?;
    Ok(())
}

/// Removes the account's key; `false` when it had none.
pub fn remove(conn: &mut DbConnection, user_id: i64) -> QueryResult<bool> {
    Ok(diesel::delete(openpgp_keys::table.find(user_id)).execute(conn)? > 0)
}
