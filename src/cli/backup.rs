//! `csirt-meet backup FILE`: a consistent copy of the SQLite database, also while the
//! server runs (`db::backup`). On PostgreSQL it points at `pg_dump`.

use std::path::PathBuf;

use crate::{
    config::Settings,
    db::{DbConnection, backup, known_versions},
};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The new file to write (an existing file is refused, never overwritten)
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
}

pub fn run(settings: Settings, args: Args) -> anyhow::Result<()> {
    super::existing_sqlite(
        &settings,
        "backup copies a SQLite database; on PostgreSQL use pg_dump (README, \"Backup\")",
    )?;
    let (db, _) = super::connect(&settings)?;
    let mut conn = db.get()?;
    let DbConnection::Sqlite(conn) = &mut **conn else {
        anyhow::bail!("the configured database is not SQLite");
    };
    let contents = backup::backup(conn, &args.file, &known_versions()?)?;
    println!(
        "Backed up to {}: {} tables, {} rows, {} migrations.",
        args.file.display(),
        contents.tables,
        contents.rows,
        contents.migrations
    );
    Ok(())
}
