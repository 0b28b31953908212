//! `csirt-meet remind`: queue the reminders due now before a meeting (the worker of
//! `serve` does it before each drain) and say how many; `send-mail` or `serve` delivers
//! them. Running it twice, or beside `serve`, queues each reminder once.

use std::sync::Arc;

use anyhow::Context as _;

use crate::{attendance::reminders, clock::Clock, config::Settings, email::Composer, render};

pub fn run(settings: Settings) -> anyhow::Result<()> {
    let db = super::open_database(&settings)?;
    let tera = render::load_templates(&settings.server.templates_dir)?;
    let composer = Composer::new(Arc::new(tera), &settings, Clock::system());
    let queued = reminders::queue_due(&mut *db.get()?, &composer)
        .map_err(|e| anyhow::anyhow!(crate::error::chain(&e)))
        .context("queueing the due reminders")?;
    println!(
        "Queued {queued} reminder{}; `csirt-meet send-mail` or the server delivers them.",
        if queued == 1 { "" } else { "s" }
    );
    Ok(())
}
