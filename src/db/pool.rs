//! An r2d2 manager that picks the backend from the URL and keeps the driver's real error
//! (the derived `MultiConnection::establish` tries every backend and throws errors away).

use std::path::Path;

use diesel::{Connection, connection::SimpleConnection};

use super::{DatabaseUrl, DbConnection};

/// Set on every SQLite connection: WAL lets readers work during a write, foreign keys are
/// off by default in SQLite, and busy_timeout makes a writer wait instead of failing.
const SQLITE_PRAGMAS: &str = "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
     PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;";

pub struct ConnectionManager {
    url: DatabaseUrl,
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
    pub fn new(url: DatabaseUrl) -> Self {
        Self { url }
    }
}

impl r2d2::ManageConnection for ConnectionManager {
    type Connection = DbConnection;
    type Error = ConnectError;

    fn connect(&self) -> Result<DbConnection, ConnectError> {
        match &self.url {
            DatabaseUrl::Postgres(url) => Ok(DbConnection::Postgresql(diesel::PgConnection::establish(url)?)),
            DatabaseUrl::Sqlite(path) => {
                if let Some(folder) = Path::new(path).parent().filter(|p| !p.as_os_str().is_empty()) {
                    std::fs::create_dir_all(folder).map_err(|source| ConnectError::Folder {
                        path: folder.display().to_string(),
                        source,
                    })?;
                }
                let mut conn = diesel::SqliteConnection::establish(path)?;
                conn.batch_execute(SQLITE_PRAGMAS)?;
                Ok(DbConnection::Sqlite(conn))
            }
        }
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), ConnectError> {
        Ok(conn.batch_execute("SELECT 1")?)
    }

    fn has_broken(&self, _conn: &mut DbConnection) -> bool {
        false
    }
}
