//! The rows that both secret addresses of a registration keep, its calendar feed
//! (`feed_token`) and its schedule for conference apps (`schedule_token`): one active per
//! registration, only the SHA-256 stored, replaced by revoking the old row. One macro
//! writes the row type and its four queries for either table, so the two kinds cannot
//! drift apart; what each address opens (`access`) stays in its own module.

/// `registration_token!(table, Type)`: the row type `Type` of `table` and `replace`,
/// `revoke_all`, `revoke_registrations_of` and `active_for` over it.
macro_rules! registration_token {
    ($table:ident, $row:ident) => {
        #[derive(Queryable, Selectable, Clone)]
        #[diesel(table_name = $table)]
        pub struct $row {
            pub id: i64,
            pub registration_id: i64,
            pub token_hash: String,
            pub created_at: NaiveDateTime,
            pub revoked_at: Option<NaiveDateTime>,
        }

        crate::domain::redact::debug_redacted!($row { id, registration_id, created_at, revoked_at } secret: { token_hash });

        /// Revokes the registration's active token, if any, and stores a new one.
        pub fn replace(
            conn: &mut DbConnection,
            registration_id: i64,
            hash: &str,
            now: NaiveDateTime,
        ) -> QueryResult<()> {
            revoke_all(conn, registration_id, now)?;
            diesel::insert_into($table::table)
                .values((
                    $table::registration_id.eq(registration_id),
                    $table::token_hash.eq(hash),
                    $table::created_at.eq(now),
                ))
                .execute(conn)?;
            Ok(())
        }

        /// Revokes the registration's active token; returns how many stopped (0 or 1).
        pub fn revoke_all(conn: &mut DbConnection, registration_id: i64, now: NaiveDateTime) -> QueryResult<usize> {
            diesel::update(
                $table::table.filter($table::registration_id.eq(registration_id)).filter($table::revoked_at.is_null()),
            )
            .set($table::revoked_at.eq(Some(now)))
            .execute(conn)
        }

        /// Revokes the active tokens of every registration of the user; returns how many
        /// stopped.
        pub fn revoke_registrations_of(conn: &mut DbConnection, user_id: i64, now: NaiveDateTime) -> QueryResult<usize> {
            let theirs = registrations::table.filter(registrations::user_id.eq(user_id)).select(registrations::id);
            diesel::update($table::table.filter($table::registration_id.eq_any(theirs)).filter($table::revoked_at.is_null()))
                .set($table::revoked_at.eq(Some(now)))
                .execute(conn)
        }

        /// The registration's active token, if it has one.
        pub fn active_for(conn: &mut DbConnection, registration_id: i64) -> QueryResult<Option<$row>> {
            $table::table
                .filter($table::registration_id.eq(registration_id))
                .filter($table::revoked_at.is_null())
                .select($row::as_select())
                .first(conn)
                .optional()
        }
    };
}

pub(crate) use registration_token;
