//! Project chores, run as `cargo xtask <task>` (aliased in `.cargo/config.toml`).
//!
//! Tasks:
//! - `setup`: installs the system tools and npm packages the tests need (idempotent).
//! - `test`: the whole test suite — formatting, clippy, architecture, every crate's
//!   tests and every other check the project has. This is the README's test command.
//! - `arch`: the architecture invariants alone (which crate may depend on what).
//! - `fuzz [SECONDS]`: fuzz the protocol decoder (default 60 s; installs cargo-fuzz).
//! - `postgres`: shows which PostgreSQL the tests would use (see `postgres.rs`).

mod arch;
mod client;
mod cmd;
mod fuzz;
mod postgres;
mod setup;
mod test;

use anyhow::{Result, bail};

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let task = args.first().map(String::as_str).unwrap_or("help");
    let rest = &args[args.len().min(1)..];
    match task {
        "setup" => setup::run(),
        "test" => test::run(rest),
        "arch" => arch::run(),
        "fuzz" => fuzz::run(rest),
        "postgres" => postgres::run(),
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
  fuzz    fuzz the protocol decoder [SECONDS, default 60] (installs cargo-fuzz)
  postgres  show the PostgreSQL the tests use (TEST_DATABASE_URL, 127.0.0.1:5432 or a throwaway cluster)";
