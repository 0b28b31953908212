//! Backup and restore of the SQLite database. A backup is SQLite's `VACUUM INTO`: one read
//! transaction, so a consistent copy while the server goes on writing (WAL lets both run),
//! written to a new file. (The online backup API would need `unsafe` calls into
//! libsqlite3-sys, which the crate forbids; diesel does not wrap it.) A restore fills an
//! empty database from such a file in one transaction: the file's schema and rows, then
//! this binary's pending migrations.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};
use diesel::{
    Connection as _, QueryableByName, RunQueryDsl as _, SqliteConnection,
    connection::SimpleConnection as _,
    sql_query,
    sql_types::{BigInt, Text},
};

use super::{
    catalogue::{self, MIGRATIONS_TABLE, quoted},
    migrations::known_prefix,
};

/// What a backup file holds.
#[derive(Debug)]
pub struct Contents {
    pub tables: usize,
    pub rows: i64,
    /// How many of this binary's migrations it has.
    pub migrations: usize,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

#[derive(QueryableByName)]
struct Version {
    #[diesel(sql_type = Text)]
    version: String,
}

#[derive(QueryableByName)]
struct Check {
    #[diesel(sql_type = Text)]
    quick_check: String,
}

#[derive(QueryableByName)]
struct Entry {
    #[diesel(sql_type = Text)]
    kind: String,
    #[diesel(sql_type = Text)]
    sql: String,
}

#[derive(QueryableByName)]
struct File {
    #[diesel(sql_type = Text)]
    file: String,
}

fn count(conn: &mut SqliteConnection, schema: &str, table: &str) -> diesel::QueryResult<i64> {
    let sql = format!("SELECT count(*) AS n FROM {}.{}", quoted(schema), quoted(table));
    Ok(sql_query(sql).get_result::<Count>(conn)?.n)
}

/// Writes a consistent copy of the connected database to `to`, which must not exist, and
/// checks the copy.
pub fn backup(conn: &mut SqliteConnection, to: &Path, known: &[String]) -> anyhow::Result<Contents> {
    if to.symlink_metadata().is_ok() {
        bail!("{} exists already: a backup never overwrites a file, name a new one", to.display());
    }
    let target = to.to_str().with_context(|| format!("{} is not a UTF-8 path", to.display()))?;
    // The copy holds password and token hashes and second-factor secrets: made readable by
    // its owner alone before a byte is written (VACUUM INTO fills an existing empty file).
    create_private(to).with_context(|| format!("creating the backup {}", to.display()))?;
    // SQLite refuses an existing non-empty file itself too, should one appear meanwhile.
    sql_query("VACUUM INTO ?")
        .bind::<Text, _>(target)
        .execute(conn)
        .with_context(|| format!("writing the backup to {}", to.display()))?;
    let mut copy = SqliteConnection::establish(target)
        .with_context(|| format!("opening the backup {} to check it", to.display()))?;
    inspect(&mut copy, "main", known).with_context(|| format!("checking the backup {}", to.display()))
}

/// Creates `path`, which must not exist, empty and readable by its owner alone.
fn create_private(path: &Path) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path).map(drop)
}

/// Checks a database (`schema` of `conn`) as a backup: intact, with a migration history
/// this binary knows; counts its tables and rows.
fn inspect(conn: &mut SqliteConnection, schema: &str, known: &[String]) -> anyhow::Result<Contents> {
    let checks: Vec<Check> = sql_query(format!("PRAGMA {}.quick_check", quoted(schema)))
        .load(conn)
        .context("it is not a SQLite database")?;
    let problems: Vec<String> = checks.into_iter().map(|c| c.quick_check).filter(|c| c != "ok").collect();
    if !problems.is_empty() {
        bail!("the file is damaged: {}", problems.join("; "));
    }
    let has_history = sql_query(format!(
        "SELECT count(*) AS n FROM {}.sqlite_master WHERE type = 'table' AND name = '{MIGRATIONS_TABLE}'",
        quoted(schema)
    ))
    .get_result::<Count>(conn)?
    .n > 0;
    let applied: Vec<String> = if has_history {
        sql_query(format!("SELECT version FROM {}.{MIGRATIONS_TABLE}", quoted(schema)))
            .load::<Version>(conn)?
            .into_iter()
            .map(|v| v.version)
            .collect()
    } else {
        Vec::new()
    };
    let migrations = known_prefix(&applied, known)?;
    let tables = catalogue::tables(conn, schema)?;
    let mut rows = 0;
    for table in &tables {
        rows += count(conn, schema, &table.name)?;
    }
    Ok(Contents { tables: tables.len(), rows, migrations })
}

/// The file of the connection's main database (empty for an in-memory one).
pub(super) fn main_file(conn: &mut SqliteConnection) -> anyhow::Result<PathBuf> {
    let file =
        sql_query("SELECT file FROM pragma_database_list WHERE name = 'main'").get_result::<File>(conn)?;
    Ok(PathBuf::from(file.file))
}

/// Fills the connected database, which must hold no row, from the backup `from`: its
/// schema and rows in one transaction, so a refusal or failure leaves the database as it
/// was. The caller applies this binary's pending migrations afterwards.
pub fn restore(conn: &mut SqliteConnection, from: &Path, known: &[String]) -> anyhow::Result<Contents> {
    let from = std::fs::canonicalize(from).with_context(|| format!("reading {}", from.display()))?;
    if !from.is_file() {
        bail!("{} is not a file", from.display());
    }
    let here = main_file(conn)?;
    if std::fs::canonicalize(&here).is_ok_and(|h| h == from) {
        bail!("{} is the configured database itself", from.display());
    }
    for table in catalogue::tables(conn, "main")? {
        let rows = count(conn, "main", &table.name)?;
        if rows > 0 {
            bail!(
                "the database {} is not empty ({rows} row{} in {}): restore only into an empty database \
                 (a new file, or one that was only migrated); nothing was changed",
                here.display(),
                if rows == 1 { "" } else { "s" },
                table.name
            );
        }
    }
    let path = from.to_str().with_context(|| format!("{} is not a UTF-8 path", from.display()))?;
    sql_query("ATTACH DATABASE ? AS backup")
        .bind::<Text, _>(path)
        .execute(conn)
        .with_context(|| format!("{} cannot be opened as a SQLite database", from.display()))?;
    let restored = inspect(conn, "backup", known)
        .with_context(|| format!("{} cannot be restored", from.display()))
        .and_then(|contents| {
            conn.immediate_transaction(|c| replace_from_backup(c).map(|()| contents))
                .with_context(|| format!("restoring {}; nothing was changed", from.display()))
        });
    conn.batch_execute("DETACH DATABASE backup").context("detaching the backup")?;
    restored
}

/// Inside the restore's transaction: drops the (empty) schema of `main`, creates the
/// backup's, copies every row and checks the counts.
fn replace_from_backup(conn: &mut SqliteConnection) -> anyhow::Result<()> {
    // Checked at commit: rows go in by dependency order anyway.
    conn.batch_execute("PRAGMA defer_foreign_keys = ON")?;
    let existing: Vec<Entry> = sql_query(
        "SELECT type AS kind, name AS sql FROM main.sqlite_master \
         WHERE type IN ('view', 'trigger', 'table') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' \
         ORDER BY CASE type WHEN 'table' THEN 1 ELSE 0 END",
    )
    .load(conn)?;
    // A table is dropped before those it references: dropping one whose parent is gone
    // fails while foreign keys are on (a database that was only migrated has them all).
    let mut children_first: Vec<String> =
        catalogue::tables(conn, "main")?.into_iter().map(|t| t.name).collect();
    children_first.reverse();
    let (tables, others): (Vec<Entry>, Vec<Entry>) = existing.into_iter().partition(|e| e.kind == "table");
    let rest: Vec<String> =
        tables.into_iter().map(|e| e.sql).filter(|name| !children_first.contains(name)).collect();
    for Entry { kind, sql: name } in others {
        let kind = if kind == "view" { "VIEW" } else { "TRIGGER" };
        conn.batch_execute(&format!("DROP {kind} IF EXISTS main.{}", quoted(&name)))?;
    }
    for name in children_first.into_iter().chain(rest) {
        conn.batch_execute(&format!("DROP TABLE IF EXISTS main.{}", quoted(&name)))?;
    }
    let schema: Vec<Entry> = sql_query(
        "SELECT type AS kind, sql FROM backup.sqlite_master \
         WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' \
         ORDER BY CASE type WHEN 'table' THEN 0 WHEN 'index' THEN 1 ELSE 2 END, rowid",
    )
    .load(conn)?;
    let (tables, rest): (Vec<Entry>, Vec<Entry>) = schema.into_iter().partition(|e| e.kind == "table");
    for entry in &tables {
        conn.batch_execute(&entry.sql)?;
    }
    let mut copied = catalogue::tables(conn, "backup")?;
    let history = catalogue::Table {
        name: MIGRATIONS_TABLE.to_owned(),
        columns: Vec::new(),
        primary_key: Vec::new(),
        references: Default::default(),
    };
    copied.push(history);
    for table in &copied {
        let name = quoted(&table.name);
        conn.batch_execute(&format!("INSERT INTO main.{name} SELECT * FROM backup.{name}"))?;
    }
    let has_sequences = sql_query(
        "SELECT count(*) AS n FROM backup.sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'",
    )
    .get_result::<Count>(conn)?
    .n > 0;
    if has_sequences {
        conn.batch_execute(
            "DELETE FROM main.sqlite_sequence; \
             INSERT INTO main.sqlite_sequence (name, seq) SELECT name, seq FROM backup.sqlite_sequence;",
        )?;
    }
    for entry in &rest {
        conn.batch_execute(&entry.sql)?;
    }
    for table in &copied {
        let (here, there) = (count(conn, "main", &table.name)?, count(conn, "backup", &table.name)?);
        if here != there {
            bail!("{}: {here} rows restored of {there}", table.name);
        }
    }
    Ok(())
}
