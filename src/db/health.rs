//! Whether the database takes writes: which errors mean it refused one (locked too long,
//! disk full, read-only, gone), and when that last happened, for `/healthz`. Reads keep
//! working through such failures; nothing here writes.

use std::sync::{Mutex, PoisonError};

use chrono::{DateTime, Utc};
use diesel::result::{DatabaseErrorKind, Error};

use crate::clock::Clock;

/// What SQLite and PostgreSQL say when they cannot take a write now, as opposed to a
/// write that is wrong (a constraint, a bug). Neither driver gives diesel a code for
/// these, so the message decides.
const REFUSED: [&str; 10] = [
    "database is locked",                                  // SQLite: busy_timeout passed
    "database table is locked",                            // SQLite: shared-cache lock
    "database or disk is full",                            // SQLite: no space
    "attempt to write a readonly database",                // SQLite: read-only file or mount
    "disk i/o error",                                      // SQLite: the file system failed
    "lock timeout",                                        // PostgreSQL: lock_timeout passed (55P03)
    "could not extend file",                               // PostgreSQL: no space
    "no space left on device",                             // PostgreSQL: no space (WAL)
    "the database system is",                              // PostgreSQL: shutting down, starting, in recovery
    "terminating connection due to administrator command", // PostgreSQL: restart
];

/// Whether `e` means the database could not take a write just now (a request may try
/// again later), rather than that the write itself was wrong.
pub fn refused(e: &Error) -> bool {
    match e {
        Error::DatabaseError(
            DatabaseErrorKind::ReadOnlyTransaction | DatabaseErrorKind::ClosedConnection,
            _,
        ) => true,
        Error::DatabaseError(_, info) => {
            let message = info.message().to_lowercase();
            REFUSED.iter().any(|m| message.contains(m))
        }
        _ => false,
    }
}

/// When the database last refused a write of this instance.
#[derive(Debug, Default)]
pub struct WriteHealth {
    clock: Clock,
    last_refusal: Mutex<Option<DateTime<Utc>>>,
}

impl WriteHealth {
    pub fn new(clock: Clock) -> Self {
        Self { clock, last_refusal: Mutex::default() }
    }

    /// Notes `e` if it is a refused write.
    pub fn note(&self, e: &Error) {
        if refused(e) {
            *self.last_refusal.lock().unwrap_or_else(PoisonError::into_inner) = Some(self.clock.now());
        }
    }

    /// Whether a write was refused within the last `window` seconds.
    pub fn refused_within(&self, window_secs: u64) -> bool {
        let last = *self.last_refusal.lock().unwrap_or_else(PoisonError::into_inner);
        last.is_some_and(|at| self.clock.now() - at < chrono::Duration::seconds(window_secs as i64))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn database_error(kind: DatabaseErrorKind, message: &str) -> Error {
        Error::DatabaseError(kind, Box::new(message.to_owned()))
    }

    #[test]
    fn locks_full_disks_and_read_only_databases_are_refused_writes() {
        for message in [
            "database is locked",
            "database or disk is full",
            "attempt to write a readonly database",
            "canceling statement due to lock timeout",
            "could not extend file \"base/16384/2619\": No space left on device",
            "the database system is shutting down",
        ] {
            assert!(refused(&database_error(DatabaseErrorKind::Unknown, message)), "{message}");
        }
        assert!(refused(&database_error(DatabaseErrorKind::ReadOnlyTransaction, "cannot execute UPDATE")));
    }

    #[test]
    fn wrong_writes_are_not_refusals() {
        assert!(!refused(&database_error(DatabaseErrorKind::UniqueViolation, "duplicate key")));
        assert!(!refused(&database_error(DatabaseErrorKind::Unknown, "no such column: nme")));
        assert!(!refused(&database_error(DatabaseErrorKind::CheckViolation, "CHECK constraint failed")));
        assert!(!refused(&Error::NotFound));
    }

    #[test]
    fn a_refusal_counts_for_the_window_then_no_longer() {
        let clock = Clock::fixed(DateTime::from_timestamp(1_780_000_000, 0).expect("valid time"));
        let health = WriteHealth::new(clock.clone());
        assert!(!health.refused_within(30));
        health.note(&database_error(DatabaseErrorKind::UniqueViolation, "duplicate key"));
        assert!(!health.refused_within(30), "a wrong write says nothing about the database");
        health.note(&database_error(DatabaseErrorKind::Unknown, "database is locked"));
        assert!(health.refused_within(30));
        clock.advance(chrono::Duration::seconds(29));
        assert!(health.refused_within(30));
        clock.advance(chrono::Duration::seconds(1));
        assert!(!health.refused_within(30));
        assert!(!health.refused_within(0), "a window of 0 turns it off");
    }
}
