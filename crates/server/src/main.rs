//! The `server` binary: parses the command line and hands over to the library.

use std::process::ExitCode;

use clap::Parser;
use server::cli::{Cli, Command};
use server::settings::{Settings, Sources};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<()> {
    let sources = Sources::from_process(cli.config_dir.clone())?;
    match cli.command.unwrap_or(Command::Run) {
        Command::PrintConfig => {
            let settings = Settings::load_unvalidated(&sources)?;
            print!("{}", settings.to_masked_toml()?);
            for p in settings.problems() {
                eprintln!("warning: {p}");
            }
            Ok(())
        }
        Command::Migrate { .. } | Command::Run => {
            let _settings = Settings::load(&sources)?;
            anyhow::bail!("not wired yet")
        }
    }
}
