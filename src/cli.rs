//! The command line: `csirt-meet [--config FILE] [COMMAND]`; with no command it serves.

mod migrate;
mod serve;

use std::{path::PathBuf, process::ExitCode};

use clap::{Parser, Subcommand};

use crate::{config::Settings, telemetry};

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
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("csirt-meet: {e:#}");
            ExitCode::FAILURE
        }
    }
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
    }
}
