//! `cargo xtask test ops`: every file of the ops kit checked by the field's own tools, and
//! the scripts run for real against PostgreSQL.
//!
//! All checks run, even after one fails, and the failures are reported together with the
//! time each check took.
//!
//! Layout:
//! - `tools`: where the checkers come from (Debian, a pinned PyPI venv) and how to call them
//! - `lint`: shellcheck, hadolint, yamllint, the scripts' usage contract
//! - `compose`: `docker-compose config` on every combination + the resolved stack's rules
//! - `monitoring`: promtool config/rules/unit tests, the Grafana dashboard's structure
//! - `deployment`: Kubernetes schemas and pod rules, Ansible, Terraform (HCL2)
//! - `database`: backup -> drop -> restore on the real PostgreSQL, entrypoint wait bound
//! - `live`: the real server under startup/monitor/shutdown.sh (promtool check metrics on
//!   its /metrics), entrypoint.sh and migrate.sh against PostgreSQL

mod compose;
mod database;
mod deployment;
mod lint;
mod live;
mod monitoring;
mod tools;

use std::time::Instant;

use anyhow::{Result, bail};

pub use tools::setup_python_tools;

type Check = fn(&tools::Tools) -> Result<String>;

/// The checks, in the order they run.
const CHECKS: &[(&str, Check)] = &[
    ("shellcheck", lint::shellcheck),
    ("script usage", lint::script_usage),
    ("hadolint", lint::hadolint),
    ("yamllint", lint::yamllint),
    ("docker-compose config", compose::check),
    ("promtool", monitoring::prometheus),
    ("grafana dashboard", monitoring::dashboard),
    ("kubernetes", deployment::kubernetes),
    ("ansible", deployment::ansible),
    ("terraform", deployment::terraform),
    ("entrypoint wait", database::entrypoint_timeout),
    ("entrypoint flow", database::entrypoint_flow),
    ("backup/restore round trip", database::backup_restore),
    ("server lifecycle (scripts)", live::lifecycle),
    ("entrypoint + migrate.sh", live::entrypoint_and_migrations),
];

/// Runs every check; fails listing each failed one.
pub fn run() -> Result<()> {
    let started = Instant::now();
    let tools = tools::Tools::locate()?;
    let mut failed = Vec::new();
    for (name, check) in CHECKS {
        let t = Instant::now();
        match check(&tools) {
            Ok(summary) => {
                eprintln!(
                    "  ok   {name:<26} {:>6.1}s  {summary}",
                    t.elapsed().as_secs_f64()
                )
            }
            Err(err) => {
                eprintln!(
                    "  FAIL {name:<26} {:>6.1}s  {err:#}",
                    t.elapsed().as_secs_f64()
                );
                failed.push(*name);
            }
        }
    }
    eprintln!("ops checks took {:.1}s", started.elapsed().as_secs_f64());
    eprintln!(
        "ops: {} passed, {} failed",
        CHECKS.len() - failed.len(),
        failed.len()
    );
    if !failed.is_empty() {
        bail!("ops checks failed: {}", failed.join(", "));
    }
    Ok(())
}
