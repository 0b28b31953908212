//! `csirt-meet copy-database --to postgres://…`: the configured SQLite database into an
//! empty PostgreSQL database, in one transaction on the target (`db::copy`). Only that
//! direction.

use std::time::Duration;

use anyhow::{Context as _, bail};
use diesel::{Connection as _, connection::SimpleConnection as _};

use crate::{
    config::Settings,
    db::{DatabaseUrl, DbConnection, copy, known_versions},
    domain::redact,
};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The PostgreSQL database to fill (postgres://USER:PASSWORD@HOST:PORT/NAME); it must
    /// exist and hold no rows
    #[arg(long, value_name = "URL")]
    pub to: String,
}

pub fn run(settings: Settings, args: Args) -> anyhow::Result<()> {
    super::existing_sqlite(
        &settings,
        "copy-database copies from a SQLite database to PostgreSQL; the configured database is already PostgreSQL",
    )?;
    let DatabaseUrl::Postgres(to) = DatabaseUrl::parse(&args.to).context("--to")? else {
        bail!("--to must be a postgres:// URL: copy-database copies from SQLite to PostgreSQL only");
    };
    let shown = redact::url(&to);
    let mut target = connect(&to, Duration::from_secs(settings.database.connect_timeout_secs))
        .with_context(|| format!("cannot connect to the target database {shown}; nothing was copied"))?;
    let source = super::open_database(&settings)?;
    let mut source = source.get()?;
    let DbConnection::Sqlite(source) = &mut **source else {
        bail!("the configured database is not SQLite");
    };
    let copied = copy::to_postgres(source, &mut target, &known_versions()?)
        .with_context(|| format!("nothing was copied to {shown}"))?;
    if !copied.migrated.is_empty() {
        println!("Applied {} migrations to {shown}.", copied.migrated.len());
    }
    for (table, rows) in &copied.tables {
        println!("{table}: {rows} row{}", if *rows == 1 { "" } else { "s" });
    }
    let rows: i64 = copied.tables.iter().map(|(_, rows)| rows).sum();
    println!(
        "Copied {} tables, {rows} rows, to {shown}. Point database.url at it and start the server.",
        copied.tables.len()
    );
    Ok(())
}

/// A connection to the target, giving up after `timeout` (libpq's `connect_timeout`,
/// unless the URL sets its own).
fn connect(url: &str, timeout: Duration) -> anyhow::Result<DbConnection> {
    let url = if url.contains("connect_timeout=") {
        url.to_owned()
    } else {
        let separator = if url.contains('?') { '&' } else { '?' };
        format!("{url}{separator}connect_timeout={}", timeout.as_secs().max(1))
    };
    let mut conn = diesel::PgConnection::establish(&url)?;
    conn.batch_execute("SET lock_timeout = '10s'")?;
    Ok(DbConnection::Postgresql(conn))
}
