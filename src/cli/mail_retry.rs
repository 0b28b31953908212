//! `csirt-meet mail-retry ID… | --failed`: make failed messages due again.

use crate::{config::Settings, models::outbox};

#[derive(Debug, clap::Args)]
#[group(required = true, multiple = false)]
pub struct Args {
    /// Outbox ids of failed messages (see mail-status)
    pub ids: Vec<i64>,
    /// Every failed message
    #[arg(long)]
    pub failed: bool,
}

pub fn run(settings: Settings, args: Args) -> anyhow::Result<()> {
    let db = super::open_database(&settings)?;
    let ids = (!args.failed).then_some(args.ids.as_slice());
    let retried = crate::db::transaction(&mut *db.get()?, |c| outbox::retry_failed(c, ids))?;
    for id in ids.unwrap_or_default().iter().filter(|id| !retried.contains(id)) {
        println!("#{id} is not a failed message; left as it is");
    }
    println!("{} message(s) due again; `csirt-meet send-mail` or the server delivers them", retried.len());
    Ok(())
}
