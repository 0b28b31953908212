//! The database: SQLite (embedded, the default) or PostgreSQL, chosen at run time by the
//! URL, behind one connection type. Every query runs on the blocking thread pool through
//! [`Db::run`], never on an async worker, with one exception: [`Db::read`], the reads of
//! the pages read most, which on SQLite run where they are asked for.

pub mod backup;
pub mod catalogue;
pub mod copy;
mod health;
mod migrations;
mod pool;
pub mod schema;
mod trip;

use std::{sync::Arc, time::Duration};

use diesel::r2d2::Pool;
use tokio::sync::Semaphore;

use self::trip::{Leg, Trip};
use crate::clock::Clock;

pub use health::{WriteHealth, refused};
pub use migrations::{
    Migrated, UnknownSchema, known_prefix, known_versions, run_migrations, run_migrations_before,
};
pub use pool::{ConnectError, ConnectionManager, DEFAULT_LOCK_TIMEOUT, Pooled};

/// One connection to either backend.
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Postgresql(diesel::PgConnection),
    Sqlite(diesel::SqliteConnection),
}

/// Which backend a URL names, with what the driver needs to connect.
#[derive(Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    /// A file path (the `sqlite://` prefix removed).
    Sqlite(String),
    Postgres(String),
}

/// A PostgreSQL URL may hold a password: its scheme and host only.
impl std::fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Sqlite(path) => f.debug_tuple("Sqlite").field(path).finish(),
            Self::Postgres(url) => f.debug_tuple("Postgres").field(&crate::domain::redact::url(url)).finish(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DatabaseUrlError {
    #[error("is empty")]
    Empty,
    #[error("unsupported scheme {0:?}: use sqlite://PATH, a file path, or postgres://…")]
    Scheme(String),
}

impl DatabaseUrl {
    pub fn parse(raw: &str) -> Result<Self, DatabaseUrlError> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Err(DatabaseUrlError::Empty);
        }
        if raw.starts_with("postgres://") || raw.starts_with("postgresql://") {
            return Ok(Self::Postgres(raw.to_owned()));
        }
        if let Some(path) = raw.strip_prefix("sqlite://") {
            return if path.is_empty() {
                Err(DatabaseUrlError::Empty)
            } else {
                Ok(Self::Sqlite(path.to_owned()))
            };
        }
        match raw.split_once("://") {
            Some((scheme, _)) => Err(DatabaseUrlError::Scheme(scheme.to_owned())),
            None => Ok(Self::Sqlite(raw.to_owned())),
        }
    }

    pub fn backend(&self) -> &'static str {
        match self {
            Self::Sqlite(_) => "SQLite",
            Self::Postgres(_) => "PostgreSQL",
        }
    }
}

/// Failures of [`Db::run`] before or around the query itself.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("no database connection available")]
    Pool(#[source] r2d2::Error),
    #[error("no database connection available: every one was busy for {0:?}")]
    Busy(Duration),
    #[error("the database task did not finish")]
    Task(#[source] tokio::task::JoinError),
    #[error("database query failed")]
    Query(#[from] diesel::result::Error),
}

/// A pool and its turns: a task waits for a turn (first come, first served) before it goes
/// to a blocking thread for a connection, so at most [`SPARE_TURNS`] more tasks wait there
/// than the pool has connections. Without turns, under 64 connections, 64 blocking threads
/// raced inside r2d2 for 10 connections and some requests lost again and again (`/me` on
/// PostgreSQL: p50 10 ms, p99 68 to 83 ms; with turns 11 ms and 18 ms, bench/README.md).
#[derive(Clone)]
struct Queue {
    pool: Pool<ConnectionManager>,
    turns: Arc<Semaphore>,
}

/// Turns beyond the pool's size: a connection given back finds a thread already waiting
/// for it (with none spare, the hand-over from one turn to the next left connections idle
/// and cost a seventh of the agenda's throughput; with the pool's size again, the tail of
/// the race came back).
const SPARE_TURNS: usize = 2;

impl Queue {
    fn new(pool: Pool<ConnectionManager>) -> Self {
        let turns = Arc::new(Semaphore::new(pool.max_size() as usize + SPARE_TURNS));
        Self { pool, turns }
    }

    /// Runs `f` on the blocking thread pool with a connection, in turn; `site` names the
    /// caller's closure in the log of a slow trip.
    async fn run<T, E, F>(&self, site: &'static str, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
    {
        // The turn and the connection within the pool's connection timeout, together: a
        // database that is down or saturated answers each request with 503 in time
        // (`/healthz` included), however long the queue.
        let wait = self.pool.connection_timeout();
        let asked = std::time::Instant::now();
        let deadline = tokio::time::Instant::now() + wait;
        let turn = match tokio::time::timeout_at(deadline, self.turns.clone().acquire_owned()).await {
            Ok(Ok(turn)) => turn,
            // The turns are never closed; a closed queue is as busy as a full one.
            Ok(Err(_)) | Err(_) => return Err(DbError::Busy(wait).into()),
        };
        let turn_waited = asked.elapsed();
        let pool = self.pool.clone();
        let mut trip = Trip::begun(site, asked, turn_waited);
        tokio::task::spawn_blocking(move || {
            let _turn = turn;
            trip.mark(Leg::Thread);
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            let mut conn = pool.get_timeout(left).map_err(DbError::Pool)?;
            trip.mark(Leg::Connection);
            let result = f(&mut conn);
            trip.mark(Leg::Query);
            trip.report();
            result
        })
        .await
        .map_err(DbError::Task)?
    }
}

/// The connection pool, cheap to clone.
#[derive(Clone)]
pub struct Db {
    queue: Queue,
    /// When a write of this instance was last refused (shared by every clone).
    health: Arc<WriteHealth>,
    /// SQLite: query-only connections with which [`Db::read`] runs on the calling thread.
    readers: Option<Queue>,
}

/// The query-only connections of a SQLite database (a request holds one for
/// microseconds, and only one thread per core serves requests).
const READERS: u32 = 4;

impl Db {
    /// Builds the pool and opens a first connection, so a wrong URL or an unreachable
    /// server is reported at start-up with the driver's own message.
    pub fn connect(url: &DatabaseUrl, size: u32, timeout: Duration) -> Result<Self, r2d2::Error> {
        Self::connect_with(url, size, timeout, DEFAULT_LOCK_TIMEOUT, Clock::system())
    }

    /// [`Db::connect`] with how long a write waits for a lock, and the clock that dates
    /// refused writes.
    pub fn connect_with(
        url: &DatabaseUrl,
        size: u32,
        timeout: Duration,
        lock_timeout: Duration,
        clock: Clock,
    ) -> Result<Self, r2d2::Error> {
        let pool = Pool::builder()
            .max_size(size)
            .min_idle(Some(1))
            .connection_timeout(timeout)
            .build(ConnectionManager::new(url.clone(), lock_timeout))?;
        // Reads on the calling thread only where they never wait for a writer: SQLite in
        // WAL mode (a file system without shared memory keeps the rollback journal).
        let readers = match url {
            DatabaseUrl::Sqlite(_) if in_wal_mode(&pool)? => Some(Queue::new(
                Pool::builder()
                    .max_size(READERS)
                    .min_idle(Some(READERS))
                    .connection_timeout(timeout)
                    .build(ConnectionManager::new(url.clone(), lock_timeout).query_only())?,
            )),
            _ => None,
        };
        Ok(Self { queue: Queue::new(pool), health: Arc::new(WriteHealth::new(clock)), readers })
    }

    /// When writes were last refused; [`Db::query`] notes refusals by itself, callers of
    /// [`Db::run`] and of best-effort writes note theirs with [`WriteHealth::note`].
    pub fn health(&self) -> &WriteHealth {
        &self.health
    }

    /// Runs `f` with a pooled connection on the blocking thread pool.
    pub async fn run<T, E, F>(&self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
    {
        self.queue.run(std::any::type_name::<F>(), f).await
    }

    /// [`Db::run`] for the common case of a closure that returns diesel's `QueryResult`.
    pub async fn query<T, F>(&self, f: F) -> Result<T, DbError>
    where
        F: FnOnce(&mut DbConnection) -> diesel::QueryResult<T> + Send + 'static,
        T: Send + 'static,
    {
        let result =
            self.queue.run(std::any::type_name::<F>(), move |conn| f(conn).map_err(DbError::Query)).await;
        if let Err(DbError::Query(e)) = &result {
            self.health.note(e);
        }
        result
    }

    /// [`Db::run`] for a closure that only reads: the session of every signed-in request
    /// and the pages read most (issue 16). On SQLite, with a connection idle, it runs on
    /// the calling thread: a read of a WAL database never waits for a writer, and the trip
    /// to a blocking thread and back costs more than the read; under load those trips were
    /// the agenda's slowest answers (bench/README.md). Those connections are query-only,
    /// so a closure that writes fails (and its tests with it) instead of holding the
    /// server's thread while it waits for the write lock. On PostgreSQL (a network round
    /// trip) this is [`Db::run`]; on SQLite with every such connection busy, it waits for
    /// one on the blocking pool.
    pub async fn read<T, E, F>(&self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
    {
        self.read_at(std::any::type_name::<F>(), f).await
    }

    async fn read_at<T, E, F>(&self, site: &'static str, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
    {
        let Some(readers) = &self.readers else { return self.queue.run(site, f).await };
        if let Some(mut conn) = readers.pool.try_get() {
            return f(&mut conn);
        }
        readers.run(site, f).await
    }

    /// [`Db::read`] for a closure that returns diesel's `QueryResult`.
    pub async fn read_query<T, F>(&self, f: F) -> Result<T, DbError>
    where
        F: FnOnce(&mut DbConnection) -> diesel::QueryResult<T> + Send + 'static,
        T: Send + 'static,
    {
        // Not noted for `/healthz`: a read refused is no write refused (a closure that
        // wrote by mistake would read as one).
        self.read_at(std::any::type_name::<F>(), move |conn| f(conn).map_err(DbError::Query)).await
    }

    /// A connection for synchronous callers (CLI commands, test set-up).
    pub fn get(&self) -> Result<r2d2::PooledConnection<ConnectionManager>, DbError> {
        self.queue.pool.get().map_err(DbError::Pool)
    }
}

fn in_wal_mode(pool: &Pool<ConnectionManager>) -> Result<bool, r2d2::Error> {
    use diesel::RunQueryDsl as _;
    #[derive(diesel::QueryableByName)]
    struct Mode {
        #[diesel(sql_type = diesel::sql_types::Text)]
        journal_mode: String,
    }
    let mode = diesel::sql_query("PRAGMA journal_mode").get_result::<Mode>(&mut **pool.get()?);
    Ok(mode.is_ok_and(|m| m.journal_mode.eq_ignore_ascii_case("wal")))
}

/// A transaction that may write, on either backend. On SQLite it begins IMMEDIATE (taking
/// the write lock at once): a deferred transaction that reads and then writes fails with
/// "database is locked" when another connection wrote in between, whatever busy_timeout
/// says. Every transaction that writes goes through here.
pub fn transaction<T, E>(
    conn: &mut DbConnection,
    f: impl FnOnce(&mut DbConnection) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<diesel::result::Error>,
{
    use diesel::{
        Connection as _,
        connection::{AnsiTransactionManager, TransactionManager as _},
    };
    if let DbConnection::Postgresql(_) = conn {
        return conn.transaction(f);
    }
    if let DbConnection::Sqlite(c) = conn {
        AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE")?;
    }
    let result = f(conn);
    if let DbConnection::Sqlite(c) = conn {
        match &result {
            Ok(_) => {
                if let Err(e) = AnsiTransactionManager::commit_transaction(c) {
                    let _ = AnsiTransactionManager::rollback_transaction(c);
                    return Err(e.into());
                }
            }
            Err(_) => AnsiTransactionManager::rollback_transaction(c)?,
        }
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_choose_their_backend() {
        assert_eq!(
            DatabaseUrl::parse("sqlite://var/a.db").expect("valid"),
            DatabaseUrl::Sqlite("var/a.db".into())
        );
        assert_eq!(DatabaseUrl::parse("/tmp/a.db").expect("valid"), DatabaseUrl::Sqlite("/tmp/a.db".into()));
        assert_eq!(
            DatabaseUrl::parse("postgres://u@h/db").expect("valid"),
            DatabaseUrl::Postgres("postgres://u@h/db".into())
        );
        assert!(matches!(
            DatabaseUrl::parse("mysql://h/db"),
            Err(DatabaseUrlError::Scheme(s)) if s == "mysql"
        ));
        assert!(matches!(DatabaseUrl::parse(" "), Err(DatabaseUrlError::Empty)));
        assert!(matches!(DatabaseUrl::parse("sqlite://"), Err(DatabaseUrlError::Empty)));
    }

    /// `Db::read` on SQLite runs on the calling thread with a query-only connection: it
    /// sees what was committed, and a write fails at once instead of waiting for the lock.
    #[tokio::test]
    async fn a_read_on_sqlite_sees_committed_rows_and_cannot_write() {
        use diesel::{RunQueryDsl as _, connection::SimpleConnection as _, sql_query};
        let folder = tempfile::tempdir().expect("a folder");
        let url = DatabaseUrl::parse(&folder.path().join("t.db").display().to_string()).expect("valid");
        let db = Db::connect(&url, 2, Duration::from_secs(5)).expect("connects");
        db.query(|c| c.batch_execute("CREATE TABLE t (n INTEGER); INSERT INTO t VALUES (1);").map(|()| 0))
            .await
            .expect("written");
        #[derive(diesel::QueryableByName)]
        struct Row {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        let thread = std::thread::current().id();
        let (seen, same_thread) = db
            .read_query(move |c| {
                let rows = sql_query("SELECT n FROM t").load::<Row>(c)?;
                Ok((rows.iter().map(|r| r.n).collect::<Vec<_>>(), std::thread::current().id() == thread))
            })
            .await
            .expect("read");
        assert!(same_thread, "a read with an idle connection stays on its thread");
        assert_eq!(seen, [1], "the committed row");
        let refused = db.read_query(|c| sql_query("INSERT INTO t VALUES (2)").execute(c)).await;
        let message = refused.expect_err("a read may not write").to_string();
        let cause = format!("{:?}", db.read_query(|c| sql_query("DELETE FROM t").execute(c)).await);
        assert!(message.contains("query failed") && cause.contains("readonly"), "{message} / {cause}");
        let rows = |db: Db| async move {
            db.read_query(|c| sql_query("SELECT n FROM t ORDER BY n").load::<Row>(c))
                .await
                .expect("read")
                .iter()
                .map(|r| r.n)
                .collect::<Vec<_>>()
        };
        assert_eq!(rows(db.clone()).await, [1], "neither the insert nor the delete was written");
        db.query(|c| c.batch_execute("INSERT INTO t VALUES (3)").map(|()| 0))
            .await
            .expect("the usual way writes");
        assert_eq!(rows(db.clone()).await, [1, 3]);
    }
}

#[cfg(test)]
mod debug_tests {
    use super::DatabaseUrl;

    #[test]
    fn a_postgres_url_prints_without_its_password() {
        let url = DatabaseUrl::parse("postgres://app:CANARY@db.example.org/meet").expect("valid");
        assert_eq!(format!("{url:?}"), r#"Postgres("postgres://db.example.org/[redacted]")"#);
        let file = DatabaseUrl::parse("sqlite://var/csirt-meet.db").expect("valid");
        assert_eq!(format!("{file:?}"), r#"Sqlite("var/csirt-meet.db")"#);
    }
}
