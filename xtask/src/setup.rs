//! `cargo xtask setup`: installs what the tests need on a fresh Debian machine.
//!
//! Idempotent: a tool already on the PATH is not installed again, so a warm machine
//! spends no time here.

use anyhow::Result;

use crate::{client, cmd};

/// (command that must be on the PATH, Debian package that provides it).
const DEBIAN_TOOLS: &[(&str, &str)] = &[
    ("pkg-config", "pkg-config"),
    // The server's allocator (jemalloc) builds with configure + make.
    ("make", "make"),
    // PostgreSQL for the persistence tests: psql to probe a server, the server package for
    // initdb/pg_ctl (a throwaway cluster when none runs on 127.0.0.1:5432).
    ("psql", "postgresql-client"),
    ("pg_ctlcluster", "postgresql"),
    ("node", "nodejs"),
    ("npm", "npm"),
    ("chromium", "chromium"),
    // The ops checks (xtask/src/ops_checks.rs); their PyPI tools go into a venv below.
    ("shellcheck", "shellcheck"),
    ("promtool", "prometheus"),
    ("docker-compose", "docker-compose"),
    ("pg_dump", "postgresql-client"),
    ("curl", "curl"),
];

/// Installs every missing tool in one `apt-get install`.
pub fn run() -> Result<()> {
    let missing: Vec<&str> = DEBIAN_TOOLS
        .iter()
        .filter(|(bin, _)| !cmd::have(bin))
        .map(|(_, pkg)| *pkg)
        .collect();
    if missing.is_empty() {
        eprintln!("setup: all system tools present");
    } else {
        eprintln!("setup: installing {}", missing.join(" "));
        cmd::run("apt-get", &["update", "-qq"])?;
        let mut args = vec!["install", "-y", "-qq", "--no-install-recommends"];
        args.extend(missing);
        cmd::run("apt-get", &args)?;
    }
    client::setup()?;
    crate::ops_checks::setup_python_tools()?;
    Ok(())
}
