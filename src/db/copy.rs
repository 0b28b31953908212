//! The copy of a SQLite database into an empty PostgreSQL database (`csirt-meet
//! copy-database`). The tables come from SQLite's catalogue in dependency order
//! (`catalogue`), so a table a migration adds is copied without a list to keep. The source
//! is read in one read transaction (a consistent snapshot); the target is written in one
//! transaction: its migrations if it has none, every row with its id, the identity
//! sequences moved past the copied ids, and each table's count compared with the source's.
//! Any refusal or failure rolls the whole target back.
//!
//! Rows travel as JSON: SQLite writes a batch with `json_object`, PostgreSQL reads it with
//! `json_populate_recordset`, which converts each value with the target column's own input
//! function (timestamps, dates, booleans from 0/1). Binary columns go as `\x` and hex, the
//! input form of `bytea`.

use std::collections::BTreeSet;

use anyhow::{Context as _, bail};
use diesel::{
    Connection as _, PgConnection, QueryableByName, RunQueryDsl as _, SqliteConnection, sql_query,
    sql_types::{BigInt, Nullable, Text},
};

use super::{
    DbConnection,
    catalogue::{self, MIGRATIONS_TABLE, Table, quoted},
    migrations::{known_prefix, run_migrations},
};

/// At most this many rows per statement, and this many of a table with binary columns
/// (a material's chunk is up to 256 KiB, twice that as hex).
const BATCH: i64 = 500;
const BINARY_BATCH: i64 = 8;

/// What a copy did.
#[derive(Debug)]
pub struct Copied {
    /// Each table with its rows, in the order copied.
    pub tables: Vec<(String, i64)>,
    /// The migrations applied to the target first.
    pub migrated: Vec<String>,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

#[derive(QueryableByName)]
struct Name {
    #[diesel(sql_type = Text)]
    name: String,
}

#[derive(QueryableByName)]
struct Version {
    #[diesel(sql_type = Text)]
    version: String,
}

#[derive(QueryableByName)]
struct TargetColumn {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    data_type: String,
    #[diesel(sql_type = Nullable<Text>)]
    sequence: Option<String>,
}

#[derive(QueryableByName)]
struct Batch {
    #[diesel(sql_type = Text)]
    rows: String,
}

fn source_count(conn: &mut SqliteConnection, table: &str) -> diesel::QueryResult<i64> {
    Ok(sql_query(format!("SELECT count(*) AS n FROM {}", quoted(table))).get_result::<Count>(conn)?.n)
}

fn target_count(conn: &mut PgConnection, table: &str) -> diesel::QueryResult<i64> {
    Ok(sql_query(format!("SELECT count(*) AS n FROM {}", quoted(table))).get_result::<Count>(conn)?.n)
}

/// Copies every table of `source` (migrated to exactly the `known` versions) into
/// `target`, a PostgreSQL database without rows.
pub fn to_postgres(
    source: &mut SqliteConnection,
    target: &mut DbConnection,
    known: &[String],
) -> anyhow::Result<Copied> {
    if !matches!(target, DbConnection::Postgresql(_)) {
        bail!("the target must be a PostgreSQL database");
    }
    source.transaction(|source| {
        let applied: Vec<String> = sql_query(format!("SELECT version FROM {MIGRATIONS_TABLE}"))
            .load::<Version>(source)?
            .into_iter()
            .map(|v| v.version)
            .collect();
        if known_prefix(&applied, known).context("the SQLite database")? != known.len() {
            bail!("the SQLite database has pending migrations: run `csirt-meet migrate` first");
        }
        let tables = catalogue::tables(source, "main")?;
        let mut counts = Vec::with_capacity(tables.len());
        for table in &tables {
            counts.push(source_count(source, &table.name)?);
        }
        // One transaction on the target: the migrations run inside it (diesel nests theirs as
        // savepoints), so a refusal or failure leaves no table behind either.
        target.transaction(|target| {
            refuse_rows(postgres(target)?)?;
            let history = target_history(postgres(target)?)?;
            if !history.is_empty() {
                known_prefix(&history, known).context("the target database")?;
            }
            let migrated = run_migrations(target)?.applied;
            let pg = postgres(target)?;
            let mut copied = Vec::with_capacity(tables.len());
            for (table, expected) in tables.iter().zip(&counts) {
                copy_table(source, pg, table, *expected)
                    .with_context(|| format!("copying {}", table.name))?;
                copied.push((table.name.clone(), *expected));
            }
            for (table, expected) in tables.iter().zip(&counts) {
                let found = target_count(pg, &table.name)?;
                if found != *expected {
                    bail!("{}: {found} rows in PostgreSQL, {expected} in SQLite", table.name);
                }
            }
            Ok(Copied { tables: copied, migrated })
        })
    })
}

fn postgres(conn: &mut DbConnection) -> anyhow::Result<&mut PgConnection> {
    match conn {
        DbConnection::Postgresql(pg) => Ok(pg),
        DbConnection::Sqlite(_) => bail!("the target must be a PostgreSQL database"),
    }
}

/// The migrations applied to the target (none when it has no history table).
fn target_history(pg: &mut PgConnection) -> anyhow::Result<Vec<String>> {
    let exists = sql_query(format!(
        "SELECT count(*) AS n FROM information_schema.tables \
         WHERE table_schema = current_schema() AND table_name = '{MIGRATIONS_TABLE}'"
    ))
    .get_result::<Count>(pg)?
    .n > 0;
    if !exists {
        return Ok(Vec::new());
    }
    let versions =
        sql_query(format!("SELECT version::text AS version FROM {MIGRATIONS_TABLE}")).load::<Version>(pg)?;
    Ok(versions.into_iter().map(|v| v.version).collect())
}

/// Refuses a target with any row in any of its tables (diesel's migration history aside).
fn refuse_rows(pg: &mut PgConnection) -> anyhow::Result<()> {
    let tables: Vec<Name> = sql_query(
        "SELECT table_name::text AS name FROM information_schema.tables \
         WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name",
    )
    .load(pg)?;
    let mut full = Vec::new();
    for Name { name } in tables.into_iter().filter(|t| t.name != MIGRATIONS_TABLE) {
        let rows = target_count(pg, &name)?;
        if rows > 0 {
            full.push(format!("{name} ({rows} row{})", if rows == 1 { "" } else { "s" }));
        }
    }
    if !full.is_empty() {
        bail!("the target database is not empty: {}; copy only into a new, empty database", full.join(", "));
    }
    Ok(())
}

/// Copies one table in batches and moves its identity sequences past the copied ids.
fn copy_table(
    source: &mut SqliteConnection,
    pg: &mut PgConnection,
    table: &Table,
    rows: i64,
) -> anyhow::Result<()> {
    let target: Vec<TargetColumn> = sql_query(
        "SELECT column_name::text AS name, data_type::text AS data_type, \
         pg_get_serial_sequence(quote_ident(table_name::text), column_name::text)::text AS sequence \
         FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1",
    )
    .bind::<Text, _>(&table.name)
    .load(pg)?;
    let theirs: BTreeSet<&str> = target.iter().map(|c| c.name.as_str()).collect();
    let ours: BTreeSet<&str> = table.columns.iter().map(String::as_str).collect();
    if theirs != ours {
        bail!(
            "the PostgreSQL table does not have the same columns (SQLite: {ours:?}, PostgreSQL: {theirs:?})"
        );
    }
    let binary = |column: &str| target.iter().any(|c| c.name == column && c.data_type == "bytea");
    let fields: Vec<String> = table
        .columns
        .iter()
        .map(|c| {
            let value = if binary(c) { format!("'\\x' || hex({})", quoted(c)) } else { quoted(c) };
            format!("'{}', {value}", c.replace('\'', "''"))
        })
        .collect();
    let batch = if table.columns.iter().any(|c| binary(c)) { BINARY_BATCH } else { BATCH };
    let read = format!(
        "SELECT json_group_array(json_object({})) AS rows FROM \
         (SELECT * FROM {} ORDER BY {} LIMIT ? OFFSET ?)",
        fields.join(", "),
        quoted(&table.name),
        table.order_by()
    );
    let columns = table.columns.iter().map(|c| quoted(c)).collect::<Vec<_>>().join(", ");
    let write = format!(
        "INSERT INTO {name} ({columns}) OVERRIDING SYSTEM VALUE \
         SELECT {columns} FROM json_populate_recordset(NULL::{name}, $1::json)",
        name = quoted(&table.name)
    );
    let mut offset = 0;
    while offset < rows {
        let Batch { rows: json } =
            sql_query(&read).bind::<BigInt, _>(batch).bind::<BigInt, _>(offset).get_result(source)?;
        sql_query(&write).bind::<Text, _>(json).execute(pg)?;
        offset += batch;
    }
    for column in &target {
        if let Some(sequence) = &column.sequence {
            sql_query(format!(
                "SELECT setval($1::regclass, COALESCE((SELECT max({c}) FROM {t}), 0) + 1, false)",
                c = quoted(&column.name),
                t = quoted(&table.name)
            ))
            .bind::<Text, _>(sequence)
            .execute(pg)?;
        }
    }
    Ok(())
}
