//! Embedded migrations, one folder per backend, kept in step (a test compares the
//! resulting schemas).
//!
//! Several instances on one PostgreSQL database may start at once, each applying what is
//! pending: a session advisory lock lets one migrate while the others wait, then find
//! nothing left to do. On SQLite (which serves one instance, but a `migrate` may start
//! beside a `serve`, or a restart overlap the old process) an exclusive lock on a file
//! beside the database does the same.

use diesel::migration::MigrationSource;
use diesel::{RunQueryDsl as _, sql_types::BigInt};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use super::DbConnection;

const SQLITE: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// What a migration run did.
#[derive(Debug)]
pub struct Migrated {
    pub applied: Vec<String>,
}

/// The key of the PostgreSQL advisory lock held while migrating ("csirtmig" in ASCII).
const MIGRATION_LOCK: i64 = 0x6373_6972_746d_6967;

/// Applies every pending migration of the connected backend.
pub fn run_migrations(conn: &mut DbConnection) -> anyhow::Result<Migrated> {
    fn pending<DB: diesel::backend::Backend>(
        c: &mut impl MigrationHarness<DB>,
        source: EmbeddedMigrations,
    ) -> Result<Vec<String>, String> {
        let applied = c.run_pending_migrations(source).map_err(|e| e.to_string())?;
        Ok(applied.iter().map(ToString::to_string).collect())
    }
    let applied = match conn {
        DbConnection::Sqlite(c) => one_file_at_a_time(c, |c| pending(c, SQLITE))?,
        DbConnection::Postgresql(c) => one_at_a_time(c, |c| pending(c, POSTGRES))?,
    }
    .map_err(|e| anyhow::anyhow!("applying migrations: {e}"))?;
    Ok(Migrated { applied })
}

/// Runs `f` holding the migration lock of the database: another process migrating waits
/// here until it is done. The lock belongs to the session, so it is released also when `f`
/// fails (and by PostgreSQL if the process dies).
fn one_at_a_time<T>(
    c: &mut diesel::PgConnection,
    f: impl FnOnce(&mut diesel::PgConnection) -> T,
) -> anyhow::Result<T> {
    let lock = |c: &mut diesel::PgConnection, sql: &str| {
        diesel::sql_query(sql).bind::<BigInt, _>(MIGRATION_LOCK).execute(c).map(drop)
    };
    lock(c, "SELECT pg_advisory_lock($1)").map_err(|e| anyhow::anyhow!("taking the migration lock: {e}"))?;
    let done = f(c);
    lock(c, "SELECT pg_advisory_unlock($1)")
        .map_err(|e| anyhow::anyhow!("releasing the migration lock: {e}"))?;
    Ok(done)
}

/// [`one_at_a_time`] for SQLite, whose own locks cannot span a migration run (a migration
/// that rebuilds tables opens its own transaction): an exclusive lock on
/// `<database>-migrations.lock`, released when the file is closed (or the process dies).
/// Without it, two processes starting at once on a new file both found every migration
/// pending, and the second failed with "table teams already exists". An in-memory
/// database has no file and no other process.
fn one_file_at_a_time<T>(
    c: &mut diesel::SqliteConnection,
    f: impl FnOnce(&mut diesel::SqliteConnection) -> T,
) -> anyhow::Result<T> {
    use anyhow::Context as _;
    let database = super::backup::main_file(c)?;
    let _lock = if database.as_os_str().is_empty() {
        None
    } else {
        let mut path = database.into_os_string();
        path.push("-migrations.lock");
        let path = std::path::PathBuf::from(path);
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .with_context(|| format!("opening the migration lock {}", path.display()))?;
        file.lock().with_context(|| format!("taking the migration lock {}", path.display()))?;
        Some(file)
    };
    Ok(f(c))
}

/// Applies the pending migrations whose folder name sorts before `stop` (folder names
/// start with their date), and no later one: the database as an install from before
/// `stop` has it. Upgrade tests fill it with old data, then call [`run_migrations`].
pub fn run_migrations_before(conn: &mut DbConnection, stop: &str) -> anyhow::Result<Migrated> {
    fn before<DB: diesel::backend::Backend>(
        c: &mut impl MigrationHarness<DB>,
        source: EmbeddedMigrations,
        stop: &str,
    ) -> diesel::migration::Result<Vec<String>> {
        let mut applied = Vec::new();
        for m in c.pending_migrations(source)? {
            let name = m.name().to_string();
            if name.as_str() >= stop {
                break;
            }
            c.run_migration(&*m)?;
            applied.push(name);
        }
        Ok(applied)
    }
    let applied = match conn {
        DbConnection::Sqlite(c) => {
            one_file_at_a_time(c, |c| before(c, SQLITE, stop).map_err(|e| e.to_string()))?
        }
        DbConnection::Postgresql(c) => {
            one_at_a_time(c, |c| before(c, POSTGRES, stop).map_err(|e| e.to_string()))?
        }
    }
    .map_err(|e| anyhow::anyhow!("applying migrations before {stop}: {e}"))?;
    Ok(Migrated { applied })
}

/// The versions of this binary's migrations (what diesel writes in
/// `__diesel_schema_migrations`: the folder name's date digits), oldest first. Both
/// backends have the same folders (`tests/api/schema.rs`), so the SQLite list serves both.
pub fn known_versions() -> anyhow::Result<Vec<String>> {
    let migrations = MigrationSource::<diesel::sqlite::Sqlite>::migrations(&SQLITE)
        .map_err(|e| anyhow::anyhow!("reading the embedded migrations: {e}"))?;
    let mut versions: Vec<String> = migrations.iter().map(|m| m.name().version().to_string()).collect();
    versions.sort();
    Ok(versions)
}

/// A database whose migration history this binary does not know.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum UnknownSchema {
    #[error("it has no migration history: it is not a csirt-meet database")]
    NoHistory,
    #[error("its migration {0} is unknown to this version of csirt-meet (written by a newer version?)")]
    Unknown(String),
    #[error("its migrations skip {missing}, which this version applies before {applied}")]
    Gap { missing: String, applied: String },
}

/// Checks that the `applied` versions of a database are the first of `known` (in any
/// order), so this binary can read the database and migrate it further. Returns how many
/// are applied.
pub fn known_prefix(applied: &[String], known: &[String]) -> Result<usize, UnknownSchema> {
    if applied.is_empty() {
        return Err(UnknownSchema::NoHistory);
    }
    let mut sorted = applied.to_vec();
    sorted.sort();
    if let Some(unknown) = sorted.iter().find(|v| !known.contains(v)) {
        return Err(UnknownSchema::Unknown(unknown.clone()));
    }
    for (position, version) in sorted.iter().enumerate() {
        if known[position] != *version {
            return Err(UnknownSchema::Gap { missing: known[position].clone(), applied: version.clone() });
        }
    }
    Ok(sorted.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn the_embedded_versions_are_the_folder_dates_in_order() {
        let known = known_versions().expect("embedded");
        assert_eq!(known.first().map(String::as_str), Some("20261126000001"));
        assert!(known.windows(2).all(|w| w[0] < w[1]), "{known:?}");
    }

    #[test]
    fn on_sqlite_a_second_process_waits_for_the_one_that_migrates() {
        use diesel::Connection as _;
        let folder = tempfile::tempdir().expect("a folder");
        let database = folder.path().join("meet.db");
        // Another process migrating holds the lock (flock: a second open conflicts, also
        // in one process).
        let other = std::fs::File::create(folder.path().join("meet.db-migrations.lock")).expect("lock file");
        other.lock().expect("the other process's lock");
        let (done, finished) = std::sync::mpsc::channel();
        let path = database.to_str().expect("a UTF-8 path").to_owned();
        std::thread::spawn(move || {
            let mut conn = DbConnection::Sqlite(diesel::SqliteConnection::establish(&path).expect("opens"));
            let _ = done.send(run_migrations(&mut conn).map(|m| m.applied.len()).map_err(|e| e.to_string()));
        });
        let wait = std::time::Duration::from_millis(300);
        assert!(finished.recv_timeout(wait).is_err(), "migrated while another process held the lock");
        drop(other);
        let applied =
            finished.recv_timeout(std::time::Duration::from_secs(30)).expect("migrates once it is free");
        assert_eq!(applied, Ok(known_versions().expect("embedded").len()));
    }

    #[test]
    fn a_history_must_be_a_prefix_of_the_known_migrations() {
        let known = v(&["1", "2", "3"]);
        assert_eq!(known_prefix(&v(&["2", "1"]), &known), Ok(2));
        assert_eq!(known_prefix(&known, &known), Ok(3));
        assert_eq!(known_prefix(&[], &known), Err(UnknownSchema::NoHistory));
        assert_eq!(known_prefix(&v(&["1", "4"]), &known), Err(UnknownSchema::Unknown("4".into())));
        assert_eq!(
            known_prefix(&v(&["1", "3"]), &known),
            Err(UnknownSchema::Gap { missing: "2".into(), applied: "3".into() })
        );
    }
}
