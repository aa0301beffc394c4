//! Project chores, run as `cargo xtask <task>` (aliased in `.cargo/config.toml`).
//!
//! Tasks:
//! - `setup`: installs the system tools and npm packages the tests need (idempotent).
//! - `test`: the whole test suite — formatting, clippy, architecture, every crate's
//!   tests and every other check the project has. This is the README's test command.
//! - `arch`: the architecture invariants alone (which crate may depend on what).
//! - `bots`: the load generator (`cargo xtask bots --bots 1000 --duration 60`) and its
//!   smoke run (`cargo xtask bots smoke`).
//! - `fuzz [SECONDS]`: fuzz the protocol decoder (default 60 s; installs cargo-fuzz).
//! - `postgres`: shows which PostgreSQL the tests would use (see `postgres.rs`).
//! - `docker`: builds (and with `--push` pushes) the server images from `ops/docker/`.

mod arch;
mod bots;
mod client;
mod cmd;
mod docker;
mod fuzz;
mod ops_checks;
mod postgres;
mod setup;
mod test;

use anyhow::{Result, bail};

/// Prints an error as its message chain, never as a backtrace (even with RUST_BACKTRACE
/// set): every failure here is a message for a person.
fn main() -> std::process::ExitCode {
    match run() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn run() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let task = args.first().map(String::as_str).unwrap_or("help");
    let rest = &args[args.len().min(1)..];
    match task {
        "setup" => setup::run(),
        "test" => test::run(rest),
        "arch" => arch::run(),
        "bots" => bots::run(rest),
        "fuzz" => fuzz::run(rest),
        "postgres" => postgres::run(),
        "docker" => docker::run(rest),
        "help" | "--help" | "-h" => {
            println!("{}", USAGE);
            Ok(())
        }
        other => bail!("unknown task {other:?}\n\n{USAGE}"),
    }
}

const USAGE: &str = "usage: cargo xtask <task>

tasks:
  setup   install the system tools and npm packages the tests need
  test    run every check and test of the project (the README's test command)
  arch    check the architecture invariants (crate dependency rules)
  bots    run the load generator (flags as `loadgen --help`; `--debug` for a debug
          build), `bots smoke` for the CI smoke run, `bots bench [N…]` for the
          performance runs
  fuzz    fuzz the protocol decoder [SECONDS, default 60] (installs cargo-fuzz)
  postgres  show the PostgreSQL the tests use (TEST_DATABASE_URL, 127.0.0.1:5432 or a throwaway cluster)
  docker  build the server images [--push] [--tag T] [--variant default|prod|dev|all]";
