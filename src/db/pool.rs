//! An r2d2 manager that picks the backend from the URL and keeps the driver's real error
//! (the derived `MultiConnection::establish` tries every backend and throws errors away).

use std::{
    ops::{Deref, DerefMut},
    path::Path,
    time::{Duration, Instant},
};

use diesel::{Connection, connection::SimpleConnection, r2d2::R2D2Connection as _};

use super::{DatabaseUrl, DbConnection};

/// Set on every SQLite connection: WAL lets readers work during a write, foreign keys are
/// off by default in SQLite (busy_timeout, set beside them, makes a writer wait instead of
/// failing at once).
const SQLITE_PRAGMAS: &str =
    "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;";

/// The longest a query-only connection waits for a lock.
const READER_WAIT: Duration = Duration::from_millis(100);

/// A PostgreSQL connection given back to the pool this recently is not asked whether it is
/// still there when it is next taken (HikariCP's bypass window has the same length): under
/// load every connection is taken again within microseconds, and the question was two of a
/// signed-in page's eleven round trips (issue 16). One that failed when last used is not
/// given back at all ([`ConnectionManager::has_broken`]).
const RECENTLY_USED: Duration = Duration::from_millis(500);

/// How long a write waits for another writer's lock unless configured.
pub const DEFAULT_LOCK_TIMEOUT: Duration = Duration::from_secs(5);

pub struct ConnectionManager {
    url: DatabaseUrl,
    /// How long a statement waits for a lock before it fails: SQLite's busy_timeout,
    /// PostgreSQL's lock_timeout (without one a PostgreSQL write waits forever).
    lock_timeout: Duration,
    /// SQLite connections that refuse every write (`PRAGMA query_only`), for `Db::read`.
    query_only: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error(transparent)]
    Connection(#[from] diesel::ConnectionError),
    #[error(transparent)]
    Query(#[from] diesel::result::Error),
    #[error("cannot create the database folder {path}")]
    Folder {
        path: String,
        #[source]
        source: std::io::Error,
    },
}

impl ConnectionManager {
    pub fn new(url: DatabaseUrl, lock_timeout: Duration) -> Self {
        Self { url, lock_timeout, query_only: false }
    }

    /// SQLite connections that only read: a write fails at once ("attempt to write a
    /// readonly database") instead of waiting for the lock. Set once per connection, since
    /// changing it expires every statement the connection has prepared.
    pub fn query_only(self) -> Self {
        Self { query_only: true, ..self }
    }
}

/// A pooled connection (a [`DbConnection`] wherever one is asked for), with when it was
/// last given back.
pub struct Pooled {
    conn: DbConnection,
    given_back: Instant,
}

impl Deref for Pooled {
    type Target = DbConnection;

    fn deref(&self) -> &DbConnection {
        &self.conn
    }
}

impl DerefMut for Pooled {
    fn deref_mut(&mut self) -> &mut DbConnection {
        &mut self.conn
    }
}

impl r2d2::ManageConnection for ConnectionManager {
    type Connection = Pooled;
    type Error = ConnectError;

    fn connect(&self) -> Result<Pooled, ConnectError> {
        Ok(Pooled { conn: self.open()?, given_back: Instant::now() })
    }

    /// Run on every check-out. A PostgreSQL server can restart or drop the connection, so
    /// one that has been idle is asked; an open SQLite file stays valid as long as the
    /// connection does, so the question would only cost a statement per request.
    fn is_valid(&self, pooled: &mut Pooled) -> Result<(), ConnectError> {
        match &mut pooled.conn {
            DbConnection::Postgresql(c) if pooled.given_back.elapsed() >= RECENTLY_USED => {
                Ok(c.batch_execute("SELECT 1")?)
            }
            _ => Ok(()),
        }
    }

    /// Run on every return: a connection whose server went away (libpq no longer knows its
    /// transaction state) or that is left inside a transaction is dropped, not reused.
    fn has_broken(&self, pooled: &mut Pooled) -> bool {
        pooled.given_back = Instant::now();
        pooled.conn.is_broken()
    }
}

impl ConnectionManager {
    fn open(&self) -> Result<DbConnection, ConnectError> {
        match &self.url {
            DatabaseUrl::Postgres(url) => {
                let mut conn = diesel::PgConnection::establish(url)?;
                conn.batch_execute(&format!("SET lock_timeout = {}", self.lock_timeout.as_millis()))?;
                Ok(DbConnection::Postgresql(conn))
            }
            DatabaseUrl::Sqlite(path) => {
                if let Some(folder) = Path::new(path).parent().filter(|p| !p.as_os_str().is_empty()) {
                    std::fs::create_dir_all(folder).map_err(|source| ConnectError::Folder {
                        path: folder.display().to_string(),
                        source,
                    })?;
                }
                let mut conn = diesel::SqliteConnection::establish(path)?;
                conn.batch_execute(SQLITE_PRAGMAS)?;
                // A query-only connection reads on a thread that serves requests: in WAL
                // mode it waits for nothing but a recovery after a crash, and then briefly.
                let wait =
                    if self.query_only { self.lock_timeout.min(READER_WAIT) } else { self.lock_timeout };
                conn.batch_execute(&format!("PRAGMA busy_timeout = {};", wait.as_millis()))?;
                if self.query_only {
                    conn.batch_execute("PRAGMA query_only = 1;")?;
                }
                Ok(DbConnection::Sqlite(conn))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use diesel::{RunQueryDsl as _, sql_query, sql_types::Text};

    use super::*;

    #[derive(diesel::QueryableByName)]
    struct CompileOption {
        #[diesel(sql_type = Text)]
        compile_options: String,
    }

    /// Without the query planner stability guarantee, every run of a cached statement with
    /// `LIMIT ?` (diesel's `.first()`) parses its SQL again (.cargo/config.toml says why).
    #[test]
    fn the_bundled_sqlite_plans_without_looking_at_bound_values() {
        let mut conn = diesel::SqliteConnection::establish(":memory:").expect("an in-memory database");
        let options: Vec<CompileOption> = sql_query("SELECT compile_options FROM pragma_compile_options")
            .load(&mut conn)
            .expect("the options");
        assert!(
            options.iter().any(|o| o.compile_options == "ENABLE_QPSG"),
            "SQLite was built without SQLITE_ENABLE_QPSG: is LIBSQLITE3_FLAGS of .cargo/config.toml set?"
        );
    }
}
