//! `csirt-meet mail-status`: the outbox at a glance.

use crate::{config::Settings, email::domain_of, models::outbox};

pub fn run(settings: Settings) -> anyhow::Result<()> {
    let db = super::open_database(&settings)?;
    let mut conn = db.get()?;
    let counts = outbox::counts(&mut conn)?;
    if counts.is_empty() {
        println!("The outbox is empty.");
    }
    for (status, count) in counts {
        println!("{status:>8}: {count}");
    }
    if let Some(row) = outbox::oldest_pending(&mut conn)? {
        println!(
            "oldest pending: #{} queued {} UTC, next attempt {} UTC, {} attempts",
            row.id, row.created_at, row.next_attempt_at, row.attempts
        );
    }
    let errors = outbox::recent_errors(&mut conn, 10)?;
    if !errors.is_empty() {
        println!("latest errors:");
    }
    for row in errors {
        let error = row.last_error.unwrap_or_default();
        println!(
            "  #{} {} to {} after {} attempts: {error}",
            row.id,
            row.status,
            domain_of(&row.recipient),
            row.attempts
        );
    }
    Ok(())
}
