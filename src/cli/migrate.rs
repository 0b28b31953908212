//! `csirt-meet migrate`: apply pending migrations, then exit.

use std::time::Duration;

use anyhow::Context as _;

use crate::{
    config::Settings,
    db::{DatabaseUrl, Db, run_migrations},
};

pub fn run(settings: Settings) -> anyhow::Result<()> {
    let url = DatabaseUrl::parse(&settings.database.url).context("database.url")?;
    let db = Db::connect(&url, 1, Duration::from_secs(settings.database.connect_timeout_secs))
        .with_context(|| format!("connecting to the {} database", url.backend()))?;
    let mut conn = db.get()?;
    let migrated = run_migrations(&mut conn)?;
    if migrated.applied.is_empty() {
        println!("The {} database is up to date.", url.backend());
    } else {
        for name in &migrated.applied {
            println!("applied {name}");
        }
    }
    Ok(())
}
