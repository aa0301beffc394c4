//! The browser client's chores: its npm packages and fonts (setup), its type check, unit
//! tests and page-weight budget (`client` step), and the end-to-end run in Chromium
//! against the real server (`e2e` step).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::cmd;

/// Most bytes of JavaScript, CSS and HTML the page may load, uncompressed.
const PAGE_BUDGET_BYTES: u64 = 300 * 1024;

/// A font for canvas and HUD text: headless Chromium on a bare Debian has none.
const FONT_FILE: &str = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
const FONT_PACKAGE: &str = "fonts-dejavu-core";

fn client_dir() -> PathBuf {
    cmd::root().join("client")
}

/// Installs the font the client's e2e screenshots need and the npm packages (`npm ci`)
/// when `package-lock.json` is newer than the installed tree.
pub fn setup() -> Result<()> {
    if !Path::new(FONT_FILE).exists() {
        eprintln!("setup: installing {FONT_PACKAGE}");
        cmd::run("apt-get", &["update", "-qq"])?;
        cmd::run(
            "apt-get",
            &[
                "install",
                "-y",
                "-qq",
                "--no-install-recommends",
                FONT_PACKAGE,
            ],
        )?;
    }
    let dir = client_dir();
    let lock = dir.join("package-lock.json");
    let installed = dir.join("node_modules/.package-lock.json");
    let fresh = match (modified(&lock), modified(&installed)) {
        (Some(l), Some(i)) => i >= l,
        _ => false,
    };
    if fresh {
        eprintln!("setup: client npm packages up to date");
        return Ok(());
    }
    cmd::run_in(&dir, "npm", &["ci", "--no-audit", "--no-fund"])
}

fn modified(p: &Path) -> Option<std::time::SystemTime> {
    std::fs::metadata(p).and_then(|m| m.modified()).ok()
}

/// Type-checks the JavaScript (tsc --checkJs), runs the unit tests (node --test) and
/// checks the page weight.
pub fn unit() -> Result<()> {
    let dir = client_dir();
    cmd::run_in(&dir, "npm", &["run", "--silent", "typecheck"])?;
    cmd::run_in(&dir, "npm", &["test", "--silent"])?;
    page_weight(&dir)
}

/// Sums what the browser loads (index.html, style.css, src/**/*.js) against the budget.
fn page_weight(dir: &Path) -> Result<()> {
    let mut total = 0;
    for f in ["index.html", "style.css"] {
        total += std::fs::metadata(dir.join(f))
            .with_context(|| format!("client/{f} is missing"))?
            .len();
    }
    total += js_bytes(&dir.join("src"))?;
    eprintln!(
        "client: page weight {:.1} KiB of {} KiB (uncompressed JS+CSS+HTML)",
        total as f64 / 1024.0,
        PAGE_BUDGET_BYTES / 1024
    );
    if total > PAGE_BUDGET_BYTES {
        bail!(
            "the client weighs {total} bytes, over the {PAGE_BUDGET_BYTES}-byte budget of issue #6"
        );
    }
    Ok(())
}

fn js_bytes(dir: &Path) -> Result<u64> {
    let mut total = 0;
    for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let path = entry?.path();
        if path.is_dir() {
            total += js_bytes(&path)?;
        } else if path.extension().is_some_and(|e| e == "js") {
            total += std::fs::metadata(&path)?.len();
        }
    }
    Ok(total)
}

/// Builds the server and runs the Playwright end-to-end test in headless Chromium.
pub fn e2e() -> Result<()> {
    cmd::run("cargo", &["build", "-p", "server"])?;
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| cmd::root().join("target"));
    let bin = target.join("debug").join("server");
    if !bin.exists() {
        bail!("cargo built no server binary at {}", bin.display());
    }
    eprintln!("$ npm run e2e (KINDLING_SERVER_BIN={})", bin.display());
    let status = std::process::Command::new("npm")
        .args(["run", "--silent", "e2e"])
        .current_dir(client_dir())
        .env("KINDLING_SERVER_BIN", &bin)
        .status()
        .context("could not start npm: is Node.js installed?")?;
    if !status.success() {
        bail!(
            "the end-to-end test failed ({status}); see test-output/ for the server log and screenshot"
        );
    }
    Ok(())
}
