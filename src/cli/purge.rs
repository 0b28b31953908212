//! `csirt-meet purge`: delete the dietary and accessibility answers that are due now (the
//! server also does it once a day), and say how many registrations it cleared.

use crate::{clock::Clock, config::Settings, privacy};

pub fn run(settings: Settings) -> anyhow::Result<()> {
    let db = super::open_database(&settings)?;
    let days = settings.privacy.purge_answers_after_days;
    let done = privacy::purge(&mut *db.get()?, days, Clock::system().now_naive())?;
    println!(
        "Cleared the dietary and accessibility answers of {} registration{} \
         (meetings that ended on or before {}; answers are kept {days} days).",
        done.cleared,
        if done.cleared == 1 { "" } else { "s" },
        done.ended_by
    );
    Ok(())
}
