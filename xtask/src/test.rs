//! `cargo xtask test`: every check of the project, in order, stopping at the first failure.

use anyhow::{Result, bail};

use crate::{client, cmd, fuzz, postgres, setup};

/// One named step of the test run.
struct Step {
    name: &'static str,
    run: fn() -> Result<()>,
}

const STEPS: &[Step] = &[
    Step {
        name: "setup",
        run: setup::run,
    },
    Step {
        name: "fmt",
        run: || cmd::run("cargo", &["fmt", "--all", "--", "--check"]),
    },
    Step {
        name: "clippy",
        run: || {
            cmd::run(
                "cargo",
                &[
                    "clippy",
                    "--workspace",
                    "--all-targets",
                    "--",
                    "-D",
                    "warnings",
                ],
            )
        },
    },
    Step {
        name: "cargo-test",
        // With TEST_DATABASE_URL set to a PostgreSQL found or started for the run.
        run: postgres::cargo_test,
    },
    Step {
        name: "fuzz",
        run: || fuzz::run(&[]),
    },
    Step {
        name: "client",
        run: client::unit,
    },
    Step {
        name: "e2e",
        run: client::e2e,
    },
];

/// Runs all steps, or only those named in `args` (e.g. `cargo xtask test clippy`).
pub fn run(args: &[String]) -> Result<()> {
    for name in args {
        if !STEPS.iter().any(|s| s.name == name) {
            let names: Vec<&str> = STEPS.iter().map(|s| s.name).collect();
            bail!("unknown step {name:?}; steps are: {}", names.join(", "));
        }
    }
    for step in STEPS
        .iter()
        .filter(|s| args.is_empty() || args.iter().any(|a| a == s.name))
    {
        eprintln!("== xtask test: {} ==", step.name);
        (step.run)().map_err(|e| e.context(format!("step {} failed", step.name)))?;
    }
    eprintln!("== xtask test: all steps passed ==");
    Ok(())
}
