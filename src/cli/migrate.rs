//! `csirt-meet migrate`: apply pending migrations, then exit.

use crate::{config::Settings, db::run_migrations};

pub fn run(settings: Settings) -> anyhow::Result<()> {
    let (db, backend) = super::connect(&settings)?;
    let migrated = run_migrations(&mut *db.get()?)?;
    if migrated.applied.is_empty() {
        println!("The {backend} database is up to date.");
    }
    for name in &migrated.applied {
        println!("applied {name}");
    }
    Ok(())
}
