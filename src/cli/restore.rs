//! `csirt-meet restore FILE`: fill an empty SQLite database from a backup, then apply this
//! version's pending migrations (`db::backup`). On PostgreSQL it points at `pg_restore`.

use std::path::{Path, PathBuf};

use crate::{
    config::Settings,
    db::{DbConnection, backup, known_versions, run_migrations},
};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// A file written by `csirt-meet backup`
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
}

pub fn run(settings: Settings, args: Args) -> anyhow::Result<()> {
    let path = super::sqlite_path(
        &settings,
        "restore fills a SQLite database; on PostgreSQL use pg_restore (README, \"Backup\")",
    )?;
    // Connecting creates the file; a refused restore leaves no empty database behind.
    let existed = Path::new(&path).exists();
    let (db, _) = super::connect(&settings)?;
    let mut conn = db.get()?;
    let DbConnection::Sqlite(sqlite) = &mut **conn else {
        anyhow::bail!("the configured database is not SQLite");
    };
    let contents = match backup::restore(sqlite, &args.file, &known_versions()?) {
        Ok(contents) => contents,
        Err(refused) => {
            drop(conn);
            drop(db);
            if !existed {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{path}{suffix}"));
                }
            }
            return Err(refused);
        }
    };
    println!("Restored {}: {} tables, {} rows.", args.file.display(), contents.tables, contents.rows);
    for name in run_migrations(&mut conn)?.applied {
        println!("applied {name}");
    }
    Ok(())
}
