//! Embedded migrations, one folder per backend, kept in step (a test compares the
//! resulting schemas).

use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use super::DbConnection;

const SQLITE: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// What a migration run did.
#[derive(Debug)]
pub struct Migrated {
    pub applied: Vec<String>,
}

/// Applies every pending migration of the connected backend.
pub fn run_migrations(conn: &mut DbConnection) -> anyhow::Result<Migrated> {
    let applied = match conn {
        DbConnection::Sqlite(c) => c.run_pending_migrations(SQLITE),
        DbConnection::Postgresql(c) => c.run_pending_migrations(POSTGRES),
    }
    .map_err(|e| anyhow::anyhow!("applying migrations: {e}"))?;
    Ok(Migrated { applied: applied.iter().map(ToString::to_string).collect() })
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
        DbConnection::Sqlite(c) => before(c, SQLITE, stop),
        DbConnection::Postgresql(c) => before(c, POSTGRES, stop),
    }
    .map_err(|e| anyhow::anyhow!("applying migrations before {stop}: {e}"))?;
    Ok(Migrated { applied })
}
