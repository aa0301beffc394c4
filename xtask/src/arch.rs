//! Architecture invariants, checked from `cargo tree`: the simulation stays pure and the
//! wire protocol stays free of storage and runtime.

use anyhow::{Result, bail};

use crate::cmd;

/// Crates that mean I/O, a runtime or a database: none may reach `sim-core`.
const IO_CRATES: &[&str] = &[
    "tokio",
    "hyper",
    "hyper-util",
    "diesel",
    "deadpool",
    "deadpool-diesel",
    "tungstenite",
    "tokio-tungstenite",
    "mio",
    "socket2",
    "libsqlite3-sys",
    "pq-sys",
    "reqwest",
    "metrics",
    "tracing",
];

/// Crates `protocol` must not reach.
const PROTOCOL_FORBIDDEN: &[&str] = &[
    "tokio",
    "diesel",
    "deadpool-diesel",
    "libsqlite3-sys",
    "pq-sys",
    "hyper",
    "mio",
];

/// Checks every rule and reports all violations at once.
pub fn run() -> Result<()> {
    let mut violations = Vec::new();
    violations.extend(forbidden_deps("sim-core", IO_CRATES)?);
    violations.extend(forbidden_deps("protocol", PROTOCOL_FORBIDDEN)?);
    if violations.is_empty() {
        eprintln!("architecture invariants hold");
        Ok(())
    } else {
        bail!(
            "architecture invariants broken:\n  {}",
            violations.join("\n  ")
        )
    }
}

/// The names of `forbidden` crates that `package` depends on, even transitively
/// (normal dependencies only: tests and benches may use anything).
pub fn forbidden_deps(package: &str, forbidden: &[&str]) -> Result<Vec<String>> {
    let tree = cmd::output(
        "cargo",
        &[
            "tree", "-p", package, "-e", "normal", "--prefix", "none", "--format", "{p}",
        ],
    )?;
    let mut found = Vec::new();
    for line in tree.lines() {
        let name = line.split_whitespace().next().unwrap_or("");
        if forbidden.contains(&name) {
            let msg = format!("{package} depends on {name} ({})", line.trim());
            if !found.contains(&msg) {
                found.push(msg);
            }
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invariants_hold() {
        run().expect("architecture invariants");
    }

    #[test]
    fn the_check_sees_a_real_dependency() {
        // A positive control: the server does depend on tokio, so the check must find it.
        let found = forbidden_deps("server", &["tokio"]).expect("cargo tree runs");
        assert!(!found.is_empty(), "forbidden_deps missed server -> tokio");
    }
}
