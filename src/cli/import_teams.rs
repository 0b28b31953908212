//! `csirt-meet import-teams FILE`: the registry from a CSV file, as the web import does it:
//! every row in one transaction, or none when any row is refused.

use std::path::PathBuf;

use anyhow::Context as _;

use crate::{
    clock::Clock,
    config::Settings,
    domain::team_import,
    models::team_registry::{ImportError, import_rows},
};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// CSV file with the columns name, short_name, country_code, website_domain and,
    /// optionally, email_domains (separated by ";"); teams are matched by short_name
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
}

pub fn run(settings: Settings, args: Args) -> anyhow::Result<()> {
    let file = args.file.display();
    let input = std::fs::read(&args.file).with_context(|| format!("reading {file}"))?;
    let rows = team_import::parse(&input, &settings.registry.free_mail_domains)
        .with_context(|| format!("{file} was refused"))?;
    let db = super::open_database(&settings)?;
    let now = Clock::system().now_naive();
    let done = match import_rows(&mut *db.get()?, &rows, None, "command line", now) {
        Ok(done) => done,
        Err(ImportError::Refused(report)) => {
            return Err(anyhow::Error::new(report).context(format!("{file} was refused")));
        }
        Err(ImportError::Database(e)) => return Err(e).context("storing the teams"),
    };
    println!(
        "Imported {} teams from {file}: {} created, {} updated.",
        rows.len(),
        done.created,
        done.updated
    );
    let notes: Vec<_> = rows.iter().filter_map(|r| r.note.as_ref().map(|n| (&r.short_name, n))).collect();
    if !notes.is_empty() {
        println!("Notes:");
    }
    for (short_name, note) in notes {
        println!("  {short_name}: {note}");
    }
    let derived: Vec<_> = rows.iter().filter(|r| r.domains_derived && !r.email_domains.is_empty()).collect();
    if !derived.is_empty() {
        println!(
            "Email domains taken from the website, unconfirmed until an organizer confirms them on \
             the team's page (a domain confirmed before stays confirmed):"
        );
    }
    for r in derived {
        let domains: Vec<&str> = r.email_domains.iter().map(|d| d.as_str()).collect();
        println!("  {}: {}", r.short_name, domains.join(", "));
    }
    Ok(())
}
