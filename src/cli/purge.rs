//! `csirt-meet purge`: delete the dietary and accessibility answers, the answers to
//! sensitive registration questions and the security-log
//! rows that are due now (the server also does it once a day), and say how many.

use crate::{clock::Clock, config::Settings, privacy};

pub fn run(settings: Settings) -> anyhow::Result<()> {
    let db = super::open_database(&settings)?;
    let days = settings.privacy.purge_answers_after_days;
    let now = Clock::system().now_naive();
    let done = privacy::purge(&mut *db.get()?, days, now)?;
    let months = settings.privacy.security_log_months;
    let deleted = privacy::purge_security_log(&mut *db.get()?, months, now)?;
    println!(
        "Cleared the dietary and accessibility answers of {} registration{} \
         (meetings that ended on or before {}; answers are kept {days} days).",
        done.cleared,
        if done.cleared == 1 { "" } else { "s" },
        done.ended_by
    );
    println!(
        "Deleted {} answer{} to sensitive registration questions.",
        done.answers,
        if done.answers == 1 { "" } else { "s" }
    );
    println!(
        "Deleted {deleted} security-log row{} older than {months} months.",
        if deleted == 1 { "" } else { "s" }
    );
    Ok(())
}
