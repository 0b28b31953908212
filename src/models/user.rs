//! Accounts: organizers and members. Emails are stored normalized (see `domain::email`).

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use crate::{
    db::{
        DbConnection,
        schema::{recovery_codes, users, web_sessions},
    },
    domain::states::Role,
};

/// The stored hash of an account that has no password: a self-registration whose address
/// is not proven yet. `users.password_hash` is NOT NULL on both backends and SQLite cannot
/// drop that constraint without rebuilding a table most others point at, so a marker takes
/// the place of NULL. It is never a PHC string (those start with `$`), so it could never
/// verify even if it reached the hasher; [`User::credential`] keeps it from getting there.
pub const NO_PASSWORD: &str = "!";

#[derive(Queryable, Selectable, Clone, Serialize)]
#[diesel(table_name = users)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
    #[serde(skip)]
    pub password_hash: String,
    pub email_verified_at: Option<NaiveDateTime>,
    #[serde(skip)]
    pub totp_secret: Option<String>,
    pub totp_enabled_at: Option<NaiveDateTime>,
    #[serde(skip)]
    pub totp_last_step: Option<i64>,
    pub totp_failures: i32,
    pub totp_locked_until: Option<NaiveDateTime>,
    pub failed_logins: i32,
    pub login_locked_until: Option<NaiveDateTime>,
    pub disabled_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
}

crate::domain::redact::debug_redacted!(User { id, email, name, role, email_verified_at, totp_enabled_at, totp_last_step, totp_failures, totp_locked_until, failed_logins, login_locked_until, disabled_at, created_at } secret: { password_hash, totp_secret });

impl User {
    pub fn is_organizer(&self) -> bool {
        self.role == Role::Organizer
    }

    /// Organizers and reviewers: they decide registrations and read every agenda.
    pub fn reviews(&self) -> bool {
        matches!(self.role, Role::Organizer | Role::Reviewer)
    }

    /// Whoever sees other people's registrations must sign in with a second step.
    pub fn needs_second_factor(&self) -> bool {
        self.reviews()
    }

    /// Where this person starts after signing in.
    pub fn home_path(&self) -> &'static str {
        match self.role {
            Role::Organizer => "/admin",
            Role::Reviewer => "/review",
            Role::Member => "/me",
        }
    }

    pub fn has_second_factor(&self) -> bool {
        self.totp_enabled_at.is_some()
    }

    /// Whether someone used a link sent to the address (confirmation, invitation, setup).
    pub fn is_proven(&self) -> bool {
        self.email_verified_at.is_some()
    }

    /// The hash a password is checked against, if any password can open this account: only
    /// a proven address has one, so a password chosen by whoever typed someone else's
    /// address never works. Callers check against the dummy hash when there is none, so the
    /// answer and its timing are those of a wrong password.
    pub fn credential(&self) -> Option<&str> {
        (self.is_proven() && self.password_hash != NO_PASSWORD).then_some(self.password_hash.as_str())
    }
}

#[derive(Insertable)]
#[diesel(table_name = users)]
pub struct NewUser<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub role: Role,
    pub password_hash: &'a str,
    pub email_verified_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
}

crate::domain::redact::debug_redacted!(NewUser<'a> { email, name, role, email_verified_at, created_at } secret: { password_hash });

pub fn insert(conn: &mut DbConnection, user: &NewUser<'_>) -> QueryResult<User> {
    diesel::insert_into(users::table).values(user).execute(conn)?;
    by_email(conn, user.email)?.ok_or(diesel::result::Error::NotFound)
}

pub fn find(conn: &mut DbConnection, id: i64) -> QueryResult<User> {
    users::table.find(id).select(User::as_select()).first(conn)
}

pub fn by_email(conn: &mut DbConnection, email: &str) -> QueryResult<Option<User>> {
    users::table.filter(users::email.eq(email)).select(User::as_select()).first(conn).optional()
}

pub fn organizers(conn: &mut DbConnection) -> QueryResult<Vec<User>> {
    users::table
        .filter(users::role.eq(Role::Organizer))
        .order(users::name)
        .select(User::as_select())
        .load(conn)
}

/// Organizers and reviewers, by name: the accounts `/admin/organizers` manages.
pub fn staff(conn: &mut DbConnection) -> QueryResult<Vec<User>> {
    users::table
        .filter(users::role.eq_any([Role::Organizer, Role::Reviewer]))
        .order(users::name)
        .select(User::as_select())
        .load(conn)
}

/// "Name <email>" of each of these accounts that exists, by id (one query for a page).
pub fn labels(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<std::collections::BTreeMap<i64, String>> {
    let rows: Vec<(i64, String, String)> = users::table
        .filter(users::id.eq_any(ids))
        .select((users::id, users::name, users::email))
        .load(conn)?;
    Ok(rows.into_iter().map(|(id, name, email)| (id, format!("{name} <{email}>"))).collect())
}

/// Which of these accounts are members with a second factor (one query for a page).
pub fn members_with_second_factor(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<Vec<i64>> {
    users::table
        .filter(users::id.eq_any(ids))
        .filter(users::role.eq(Role::Member))
        .filter(users::totp_enabled_at.is_not_null())
        .select(users::id)
        .load(conn)
}

/// Serialises changes to organizer accounts until the caller's transaction ends, so two
/// organizers disabling each other cannot both pass the "another stays active" check (on
/// PostgreSQL; SQLite's `db::transaction` holds the write lock from BEGIN). Rows are locked
/// in id order, the same order for everyone; `FOR NO KEY UPDATE` leaves alone the
/// key-share locks that inserting rows which point at a user (audit rows, sessions) takes.
pub fn lock_organizers(conn: &mut DbConnection) -> QueryResult<()> {
    if let DbConnection::Postgresql(c) = conn {
        let _: Vec<i64> = users::table
            .filter(users::role.eq(Role::Organizer))
            .order(users::id)
            .select(users::id)
            .for_no_key_update()
            .load(c)?;
    }
    Ok(())
}

/// Active (not disabled) organizers other than `except`.
pub fn other_active_organizers(conn: &mut DbConnection, except: i64) -> QueryResult<i64> {
    users::table
        .filter(users::role.eq(Role::Organizer))
        .filter(users::disabled_at.is_null())
        .filter(users::id.ne(except))
        .count()
        .get_result(conn)
}

pub fn any_organizer(conn: &mut DbConnection) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(users::table.filter(users::role.eq(Role::Organizer)))).get_result(conn)
}

pub fn set_password(conn: &mut DbConnection, id: i64, hash: &str) -> QueryResult<usize> {
    diesel::update(users::table.find(id))
        .set((
            users::password_hash.eq(hash),
            users::failed_logins.eq(0),
            users::login_locked_until.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)
}

/// Counts a failed sign-in; returns the new count.
/// Counts a failed sign-in and, when given, sets the wait. A failure never clears a wait
/// that a parallel failure set.
pub fn record_failed_login(
    conn: &mut DbConnection,
    id: i64,
    locked_until: Option<NaiveDateTime>,
) -> QueryResult<usize> {
    let counted = diesel::update(users::table.find(id))
        .set(users::failed_logins.eq(users::failed_logins + 1))
        .execute(conn)?;
    if let Some(until) = locked_until {
        diesel::update(users::table.find(id)).set(users::login_locked_until.eq(until)).execute(conn)?;
    }
    Ok(counted)
}

pub fn clear_failed_logins(conn: &mut DbConnection, id: i64) -> QueryResult<usize> {
    diesel::update(users::table.find(id))
        .set((users::failed_logins.eq(0), users::login_locked_until.eq(None::<NaiveDateTime>)))
        .execute(conn)
}

pub fn set_disabled(conn: &mut DbConnection, id: i64, at: Option<NaiveDateTime>) -> QueryResult<usize> {
    diesel::update(users::table.find(id)).set(users::disabled_at.eq(at)).execute(conn)
}

/// Stores a secret that is not in force until confirmed with a code.
pub fn set_pending_totp(conn: &mut DbConnection, id: i64, secret: &str) -> QueryResult<usize> {
    diesel::update(users::table.find(id).filter(users::totp_enabled_at.is_null()))
        .set(users::totp_secret.eq(secret))
        .execute(conn)
}

pub fn enable_totp(conn: &mut DbConnection, id: i64, step: i64, at: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(users::table.find(id))
        .set((users::totp_enabled_at.eq(at), users::totp_last_step.eq(step), users::totp_failures.eq(0)))
        .execute(conn)
}

/// Accepts a code's step only if it is later than every step accepted before, so two
/// parallel submissions of one code cannot both pass; `true` when accepted.
pub fn accept_totp_step(conn: &mut DbConnection, id: i64, step: i64) -> QueryResult<bool> {
    let accepted = diesel::update(
        users::table.find(id).filter(users::totp_last_step.is_null().or(users::totp_last_step.lt(step))),
    )
    .set(users::totp_last_step.eq(step))
    .execute(conn)?;
    Ok(accepted == 1)
}

/// The second step passed: the count of wrong codes starts again.
pub fn clear_totp_failures(conn: &mut DbConnection, id: i64) -> QueryResult<usize> {
    diesel::update(users::table.find(id))
        .set((users::totp_failures.eq(0), users::totp_locked_until.eq(None::<NaiveDateTime>)))
        .execute(conn)
}

/// Counts a wrong code and, when given, sets the pause (a failure never clears one).
pub fn totp_failed(
    conn: &mut DbConnection,
    id: i64,
    locked_until: Option<NaiveDateTime>,
) -> QueryResult<usize> {
    let counted = diesel::update(users::table.find(id))
        .set(users::totp_failures.eq(users::totp_failures + 1))
        .execute(conn)?;
    if let Some(until) = locked_until {
        diesel::update(users::table.find(id)).set(users::totp_locked_until.eq(until)).execute(conn)?;
    }
    Ok(counted)
}

/// Removes the second factor and its recovery codes (an organizer lost their device).
pub fn reset_totp(conn: &mut DbConnection, id: i64) -> QueryResult<()> {
    diesel::update(users::table.find(id))
        .set((
            users::totp_secret.eq(None::<String>),
            users::totp_enabled_at.eq(None::<NaiveDateTime>),
            users::totp_last_step.eq(None::<i64>),
            users::totp_failures.eq(0),
            users::totp_locked_until.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)?;
    diesel::delete(recovery_codes::table.filter(recovery_codes::user_id.eq(id))).execute(conn)?;
    Ok(())
}

/// Replaces the recovery codes with new ones (hashes only).
pub fn replace_recovery_codes(conn: &mut DbConnection, id: i64, hashes: &[String]) -> QueryResult<()> {
    diesel::delete(recovery_codes::table.filter(recovery_codes::user_id.eq(id))).execute(conn)?;
    for hash in hashes {
        diesel::insert_into(recovery_codes::table)
            .values((recovery_codes::user_id.eq(id), recovery_codes::code_hash.eq(hash)))
            .execute(conn)?;
    }
    Ok(())
}

/// Spends a recovery code; `true` when it existed and was unused.
pub fn use_recovery_code(
    conn: &mut DbConnection,
    id: i64,
    hash: &str,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    let spent = diesel::update(
        recovery_codes::table
            .filter(recovery_codes::user_id.eq(id))
            .filter(recovery_codes::code_hash.eq(hash))
            .filter(recovery_codes::used_at.is_null()),
    )
    .set(recovery_codes::used_at.eq(at))
    .execute(conn)?;
    Ok(spent == 1)
}

pub fn unused_recovery_codes(conn: &mut DbConnection, id: i64) -> QueryResult<i64> {
    recovery_codes::table
        .filter(recovery_codes::user_id.eq(id))
        .filter(recovery_codes::used_at.is_null())
        .count()
        .get_result(conn)
}

/// Ends every session of the user, on every instance (sessions live in the database).
pub fn end_sessions(conn: &mut DbConnection, id: i64) -> QueryResult<usize> {
    diesel::delete(web_sessions::table.filter(web_sessions::user_id.eq(id))).execute(conn)
}

/// The address is proven (the person used a link sent to it).
pub fn mark_verified(conn: &mut DbConnection, id: i64, at: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(users::table.find(id).filter(users::email_verified_at.is_null()))
        .set(users::email_verified_at.eq(at))
        .execute(conn)
}

/// Removes the account at `email` if its address was never proven: it is only a
/// self-registration waiting for its confirmation, with no password, and whatever proves
/// the address (a new registration's link, an invitation, an organizer invitation) replaces
/// it. Its registrations, links and sessions go with it (the foreign keys cascade).
pub fn replace_unproven(conn: &mut DbConnection, email: &str) -> QueryResult<usize> {
    diesel::delete(users::table.filter(users::email.eq(email)).filter(users::email_verified_at.is_null()))
        .execute(conn)
}

/// Deletes the account; its sessions, tokens, codes and registrations go with it (the
/// foreign keys cascade), and the audit rows it wrote keep no link to it.
pub fn delete(conn: &mut DbConnection, id: i64) -> QueryResult<usize> {
    diesel::delete(users::table.find(id)).execute(conn)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account(password_hash: &str, proven: bool) -> User {
        let at = chrono::DateTime::UNIX_EPOCH.naive_utc();
        User {
            password_hash: password_hash.into(),
            email_verified_at: proven.then_some(at),
            totp_secret: None,
            ..crate::models::debug_tests::user_holding("")
        }
    }

    #[test]
    fn only_a_proven_address_with_a_password_has_a_credential() {
        let phc = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2g";
        assert_eq!(account(phc, true).credential(), Some(phc));
        assert_eq!(account(phc, false).credential(), None, "a password typed before the proof");
        assert_eq!(account(NO_PASSWORD, true).credential(), None);
        assert_eq!(account(NO_PASSWORD, false).credential(), None);
    }

    #[test]
    fn the_no_password_marker_is_never_a_password_hash() {
        assert!(!NO_PASSWORD.starts_with('$'));
        assert!(!crate::credentials::password::verify("", NO_PASSWORD));
        assert!(!crate::credentials::password::verify(NO_PASSWORD, NO_PASSWORD));
    }
}
