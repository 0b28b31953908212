//! Embedded migrations, one folder per backend, kept in step (a test compares the
//! resulting schemas).
//!
//! Several instances on one PostgreSQL database may start at once, each applying what is
//! pending: a session advisory lock lets one migrate while the others wait, then find
//! nothing left to do. (SQLite serves one instance.)

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
        DbConnection::Sqlite(c) => pending(c, SQLITE),
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
        DbConnection::Sqlite(c) => before(c, SQLITE, stop).map_err(|e| e.to_string()),
        DbConnection::Postgresql(c) => {
            one_at_a_time(c, |c| before(c, POSTGRES, stop).map_err(|e| e.to_string()))?
        }
    }
    .map_err(|e| anyhow::anyhow!("applying migrations before {stop}: {e}"))?;
    Ok(Migrated { applied })
}
