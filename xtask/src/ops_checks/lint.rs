//! The linters: shellcheck, hadolint, yamllint, and the scripts' own usage contract.

use std::process::Command;

use anyhow::{Context, Result, bail};

use super::tools::{Tools, capture, expect_failure, files_in, files_under};
use crate::cmd;

/// shellcheck on every shell script of the ops kit (following sourced files).
pub fn shellcheck(_tools: &Tools) -> Result<String> {
    let root = cmd::root();
    let scripts = files_under(&root.join("ops"), &|n| n.ends_with(".sh"))?;
    if scripts.is_empty() {
        bail!("no shell scripts found under ops/");
    }
    capture(
        Command::new("shellcheck")
            .args(["-x", "--severity=style"])
            .args(&scripts)
            .current_dir(&root),
    )?;
    Ok(format!("{} scripts clean", scripts.len()))
}

/// hadolint on every Dockerfile.
pub fn hadolint(tools: &Tools) -> Result<String> {
    let dockerfiles = files_in(&cmd::root().join("ops/docker"), |n| {
        n.starts_with("Dockerfile") && !n.ends_with(".dockerignore")
    })?;
    if dockerfiles.len() < 3 {
        bail!("expected Dockerfile, Dockerfile.dev and Dockerfile.prod in ops/docker");
    }
    capture(tools.venv("hadolint").args(&dockerfiles))?;
    for name in ["Dockerfile", "Dockerfile.prod"] {
        release_image_rules(&std::fs::read_to_string(
            cmd::root().join("ops/docker").join(name),
        )?)
        .with_context(|| format!("ops/docker/{name}"))?;
    }
    Ok(format!(
        "{} Dockerfiles clean; release images multi-stage, non-root, healthchecked",
        dockerfiles.len()
    ))
}

/// What hadolint does not know about our release images.
fn release_image_rules(text: &str) -> Result<()> {
    let instructions: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    let stages = instructions
        .iter()
        .filter(|l| l.starts_with("FROM "))
        .count();
    if stages < 3 {
        bail!("expected a multi-stage build (client, Rust, runtime), found {stages} stages");
    }
    let last_from = instructions
        .iter()
        .rev()
        .find(|l| l.starts_with("FROM "))
        .copied()
        .unwrap_or_default();
    if last_from.contains("bullseye") || instructions.iter().any(|l| l.contains("libssl1.1")) {
        bail!("the runtime must not use bullseye/libssl1.1 (out of support)");
    }
    let has = |prefix: &str| instructions.iter().any(|l| l.starts_with(prefix));
    for needed in [
        "USER 10001",
        "EXPOSE 8080 8081 9090",
        "HEALTHCHECK ",
        "ENTRYPOINT [\"/app/entrypoint.sh\"]",
    ] {
        if !has(needed) {
            bail!("missing `{needed}`");
        }
    }
    if instructions
        .iter()
        .any(|l| l.starts_with("COPY") && l.contains(".env"))
    {
        bail!("an .env file must never be copied into an image");
    }
    if !text.contains("cargo chef cook") {
        bail!("the Rust stage must cache dependencies (cargo chef cook)");
    }
    Ok(())
}

/// yamllint (strict: warnings fail too) on all YAML of ops/ and the CI workflow.
pub fn yamllint(tools: &Tools) -> Result<String> {
    let root = cmd::root();
    let count = files_under(&root.join("ops"), &|n| {
        n.ends_with(".yml") || n.ends_with(".yaml")
    })?
    .len();
    capture(
        tools
            .venv("yamllint")
            .args(["--strict", "-c", "ops/.yamllint.yml", "ops", ".github"])
            .current_dir(&root),
    )?;
    Ok(format!("{count} YAML files under ops/ + .github clean"))
}

/// Every script answers `--help` with its usage (exit 0) and an unknown option with exit 2.
pub fn script_usage(_tools: &Tools) -> Result<String> {
    let root = cmd::root();
    let scripts = files_in(&root.join("ops/scripts"), |n| {
        n.ends_with(".sh") && n != "lib.sh"
    })?;
    for script in &scripts {
        let help = capture(Command::new(script).arg("--help").current_dir(&root))?;
        if !help.contains("Usage:") {
            bail!("{} --help prints no 'Usage:' line", script.display());
        }
        let (code, text) = expect_failure(
            Command::new(script)
                .arg("--no-such-option")
                .current_dir(&root),
        )?;
        if code != Some(2) || !text.contains("error:") {
            bail!(
                "{} with an unknown option: expected exit 2 and an error line, got {code:?}: {text}",
                script.display()
            );
        }
        let source = std::fs::read_to_string(script)?;
        if !source.contains("set -euo pipefail") {
            bail!("{} lacks `set -euo pipefail`", script.display());
        }
    }
    Ok(format!(
        "{} scripts: --help, bad-option exit 2, strict mode",
        scripts.len()
    ))
}
