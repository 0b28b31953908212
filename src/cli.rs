//! The command line: `csirt-meet [--config FILE] [COMMAND]`; with no command it serves.

mod backup;
mod copy_database;
mod create_organizer;
mod demo;
mod demo_agenda;
mod import_teams;
mod mail_retry;
mod mail_status;
mod migrate;
mod purge;
mod remind;
mod restore;
mod send_mail;
mod send_test_mail;
mod serve;

use std::{path::PathBuf, process::ExitCode, time::Duration};

use anyhow::Context as _;
use clap::{Parser, Subcommand};

use crate::{
    config::Settings,
    db::{DatabaseUrl, Db, run_migrations},
    telemetry,
};

#[derive(Debug, Parser)]
#[command(
    name = "csirt-meet",
    version,
    about = "Invitation-only meeting system for the Annual Technical Meeting of CSIRTs with National Responsibility"
)]
pub struct Cli {
    /// Settings file to read instead of config/local.toml (see config/default.toml)
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the web application (the default); applies pending migrations first
    Serve,
    /// Apply pending database migrations and exit
    Migrate,
    /// Deliver every due message in the outbox once, then exit (for cron or operations)
    SendMail,
    /// Show the outbox: messages by status, the oldest pending, the latest errors
    MailStatus,
    /// Make failed messages due again
    MailRetry(mail_retry::Args),
    /// Queue a test message to ADDRESS and deliver it now, to check the mail setup
    SendTestMail(send_test_mail::Args),
    /// Create an organizer account (password from a prompt or standard input)
    CreateOrganizer(create_organizer::Args),
    /// Load a clearly marked demo meeting, the national CSIRT registry and demo accounts
    Demo,
    /// Import or update recognized teams from a CSV file
    ImportTeams(import_teams::Args),
    /// Delete dietary and accessibility answers of meetings past the privacy limit
    Purge,
    /// Queue the reminders due now before a meeting (the server does it by itself)
    Remind,
    /// Write a consistent copy of the SQLite database to a new FILE, also while the server runs
    Backup(backup::Args),
    /// Fill an empty SQLite database from a backup FILE
    Restore(restore::Args),
    /// Copy the SQLite database into an empty PostgreSQL database, in one transaction
    CopyDatabase(copy_database::Args),
}

/// Loads settings, sets up logging and runs the command. Exit code 2 for bad settings,
/// 1 for any other failure.
pub fn run(cli: Cli) -> ExitCode {
    let settings = match Settings::load(cli.config.as_deref()) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("csirt-meet: configuration error: {e}");
            return ExitCode::from(2);
        }
    };
    telemetry::init(&settings.log.filter);
    let result = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve::run(settings),
        Command::Migrate => migrate::run(settings),
        Command::SendMail => send_mail::run(settings),
        Command::MailStatus => mail_status::run(settings),
        Command::MailRetry(args) => mail_retry::run(settings, args),
        Command::SendTestMail(args) => send_test_mail::run(settings, args),
        Command::CreateOrganizer(args) => create_organizer::run(settings, args),
        Command::Demo => demo::run(settings),
        Command::ImportTeams(args) => import_teams::run(settings, args),
        Command::Purge => purge::run(settings),
        Command::Remind => remind::run(settings),
        Command::Backup(args) => backup::run(settings, args),
        Command::Restore(args) => restore::run(settings, args),
        Command::CopyDatabase(args) => copy_database::run(settings, args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("csirt-meet: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Connects to the configured database (one connection is enough for a command).
fn connect(settings: &Settings) -> anyhow::Result<(Db, &'static str)> {
    let url = DatabaseUrl::parse(&settings.database.url).context("database.url")?;
    let (timeout, lock_timeout) = (
        Duration::from_secs(settings.database.connect_timeout_secs),
        Duration::from_millis(settings.database.lock_timeout_ms),
    );
    let db = Db::connect_with(&url, 2, timeout, lock_timeout, crate::clock::Clock::system())
        .with_context(|| format!("connecting to the {} database", url.backend()))?;
    Ok((db, url.backend()))
}

/// The path of the configured SQLite database, or `refusal` when it is PostgreSQL.
fn sqlite_path(settings: &Settings, refusal: &str) -> anyhow::Result<String> {
    match DatabaseUrl::parse(&settings.database.url).context("database.url")? {
        DatabaseUrl::Sqlite(path) => Ok(path),
        DatabaseUrl::Postgres(_) => anyhow::bail!("{refusal}"),
    }
}

/// [`sqlite_path`] of a database that must exist already (connecting would create it).
fn existing_sqlite(settings: &Settings, refusal: &str) -> anyhow::Result<String> {
    let path = sqlite_path(settings, refusal)?;
    if !std::path::Path::new(&path).is_file() {
        anyhow::bail!("there is no SQLite database at {path} (database.url)");
    }
    Ok(path)
}

/// Connects and applies pending migrations, so every command works on a new database.
fn open_database(settings: &Settings) -> anyhow::Result<Db> {
    let (db, _) = connect(settings)?;
    run_migrations(&mut *db.get()?)?;
    Ok(db)
}

/// A runtime for the async parts of a command (mail delivery).
fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread().enable_all().build().context("starting the async runtime")
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory as _;

    use super::*;

    #[test]
    fn the_cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn no_command_means_serve() {
        let cli = Cli::try_parse_from(["csirt-meet"]).expect("parses");
        assert!(cli.command.is_none());
        let cli = Cli::try_parse_from(["csirt-meet", "migrate", "--config", "x.toml"]).expect("parses");
        assert!(matches!(cli.command, Some(Command::Migrate)));
        assert_eq!(cli.config.as_deref(), Some(std::path::Path::new("x.toml")));
        let cli = Cli::try_parse_from(["csirt-meet", "mail-retry", "--failed"]).expect("parses");
        assert!(matches!(cli.command, Some(Command::MailRetry(a)) if a.failed && a.ids.is_empty()));
        assert!(Cli::try_parse_from(["csirt-meet", "mail-retry"]).is_err(), "needs ids or --failed");
        assert!(Cli::try_parse_from(["csirt-meet", "mail-retry", "3", "--failed"]).is_err());
        let cli =
            Cli::try_parse_from(["csirt-meet", "copy-database", "--to", "postgres://h/db"]).expect("parses");
        assert!(matches!(cli.command, Some(Command::CopyDatabase(a)) if a.to == "postgres://h/db"));
        assert!(Cli::try_parse_from(["csirt-meet", "copy-database"]).is_err(), "needs --to");
        assert!(Cli::try_parse_from(["csirt-meet", "backup"]).is_err(), "needs a file");
    }
}
