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
