//! `csirt-meet send-mail`: deliver what is due once, with a progress bar on a terminal and
//! one plain line per message otherwise.

use std::io::IsTerminal as _;

use indicatif::{ProgressBar, ProgressStyle};

use crate::{
    clock::Clock,
    config::Settings,
    email::{domain_of, transport::Transport},
    outbox::{Outcome, Worker},
};

pub fn run(settings: Settings) -> anyhow::Result<()> {
    let db = super::open_database(&settings)?;
    let bar = std::io::stdout().is_terminal().then(|| {
        let bar = ProgressBar::new_spinner();
        bar.set_style(
            ProgressStyle::with_template("{spinner} {pos} messages done {msg}").expect("valid template"),
        );
        bar
    });
    // The SMTP connections are opened and closed inside the runtime.
    let report = super::runtime()?.block_on(async {
        let transport = Transport::from_settings(&settings.mail)?;
        let worker = Worker::new(db, transport, settings.mail.clone(), Clock::system());
        let report = worker
            .drain_with(|row, outcome| match &bar {
                Some(bar) => bar.inc(1),
                None => println!("{} #{} to {}", word(outcome), row.id, domain_of(&row.recipient)),
            })
            .await?;
        Ok::<_, anyhow::Error>(report)
    })?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    println!(
        "{} sent, {} to retry later, {} failed, {} reminders withheld",
        report.sent, report.retried, report.failed, report.withheld
    );
    if report.rate_limited {
        println!("Stopped at the limit of mail.rate_per_minute; run again for the rest.");
    }
    Ok(())
}

fn word(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Sent => "sent",
        Outcome::Retry => "retry",
        Outcome::Failed => "failed",
        Outcome::Withheld => "withheld",
    }
}
