//! `cargo xtask fuzz [SECONDS]` (and the `fuzz` step of `cargo xtask test`): fuzzes the
//! protocol decoder with cargo-fuzz (libFuzzer) for a bounded time.
//!
//! cargo-fuzz needs nightly compiler flags; `RUSTC_BOOTSTRAP=1` lets the stable
//! toolchain accept them, so no second toolchain is needed. The corpus is seeded from
//! the golden vectors. A crash fails the run and leaves the input under
//! `fuzz/artifacts/decode/`: copy it to `crates/protocol/tests/fuzz_regressions/` so
//! the regression test keeps it fixed.

use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::cmd;

/// Default run length of the CI step, in seconds (`KINDLING_FUZZ_SECONDS` overrides).
const DEFAULT_SECONDS: u64 = 60;

/// Installs cargo-fuzz if missing, seeds the corpus and fuzzes for `seconds`.
pub fn run(args: &[String]) -> Result<()> {
    let seconds = match args.first() {
        Some(s) => s
            .parse()
            .with_context(|| format!("fuzz seconds must be a number, got {s:?}"))?,
        None => std::env::var("KINDLING_FUZZ_SECONDS")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(DEFAULT_SECONDS),
    };
    if !cargo_fuzz_installed() {
        cmd::run("cargo", &["install", "cargo-fuzz", "--locked"])?;
    }
    let root = cmd::root();
    let corpus = root.join("fuzz/corpus/decode");
    seed_corpus(&root.join("crates/protocol/tests/vectors"), &corpus)?;
    seed_regressions(
        &root.join("crates/protocol/tests/fuzz_regressions"),
        &corpus,
    )?;
    let max_time = format!("-max_total_time={seconds}");
    let args = [
        "fuzz",
        "run",
        "decode",
        "--",
        max_time.as_str(),
        "-max_len=70000",
        "-rss_limit_mb=2048",
    ];
    eprintln!("$ RUSTC_BOOTSTRAP=1 cargo {}", args.join(" "));
    let status = Command::new("cargo")
        .args(args)
        .current_dir(root.join("fuzz"))
        .env("RUSTC_BOOTSTRAP", "1")
        .status()
        .context("could not start cargo fuzz")?;
    if !status.success() {
        bail!(
            "the decoder fuzzer failed ({status}); the input is under fuzz/artifacts/decode/ — \
             copy it to crates/protocol/tests/fuzz_regressions/ and fix the decoder"
        );
    }
    Ok(())
}

fn cargo_fuzz_installed() -> bool {
    Command::new("cargo")
        .args(["fuzz", "--version"])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

/// Writes every `*.hex` vector as a binary corpus file and every `*.json` as is.
fn seed_corpus(vectors: &Path, corpus: &Path) -> Result<()> {
    std::fs::create_dir_all(corpus)?;
    for entry in std::fs::read_dir(vectors).with_context(|| vectors.display().to_string())? {
        let path = entry?.path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        let text = std::fs::read_to_string(&path)?;
        let bytes = if name.ends_with(".hex") {
            decode_hex(text.trim()).with_context(|| path.display().to_string())?
        } else {
            text.into_bytes()
        };
        std::fs::write(corpus.join(format!("vector-{name}")), bytes)?;
    }
    Ok(())
}

fn seed_regressions(dir: &Path, corpus: &Path) -> Result<()> {
    for entry in std::fs::read_dir(dir).with_context(|| dir.display().to_string())? {
        let path = entry?.path();
        if let Some(name) = path.file_name().and_then(|n| n.to_str())
            && !name.ends_with(".md")
        {
            std::fs::copy(&path, corpus.join(format!("regression-{name}")))?;
        }
    }
    Ok(())
}

fn decode_hex(s: &str) -> Result<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        bail!("odd number of hex digits");
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).context("bad hex digit"))
        .collect()
}
