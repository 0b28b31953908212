use clap::Parser;

fn main() -> std::process::ExitCode {
    csirt_meet::cli::run(csirt_meet::cli::Cli::parse())
}
