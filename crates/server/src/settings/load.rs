//! Loading: built-in defaults → the four TOML files → `.env` → environment variables.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use config::{Config, File, FileFormat};

use super::Settings;
use super::env::ENV_KEYS;

/// The files read from the configuration directory, in merge order.
pub const CONFIG_FILES: &[&str] = &["server.toml", "game.toml", "logging.toml", "security.toml"];

/// Where settings come from: a directory of TOML files and a set of variables.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    /// Directory holding `server.toml`, `game.toml`, `logging.toml`, `security.toml`;
    /// missing files are fine.
    pub config_dir: PathBuf,
    /// Environment variables (the process's, merged over a `.env` file's).
    pub vars: BTreeMap<String, String>,
}

impl Sources {
    /// The process environment with a `.env` file in the working directory (if any)
    /// underneath it: a variable set in the process wins over `.env`, as dotenv does.
    pub fn from_process(config_dir: PathBuf) -> Result<Self> {
        let mut vars = BTreeMap::new();
        match dotenvy::from_path_iter(".env") {
            Ok(iter) => {
                for item in iter {
                    let (k, v) = item.context("reading .env")?;
                    vars.insert(k, v);
                }
            }
            Err(e) if e.not_found() => {}
            Err(e) => return Err(e).context("reading .env"),
        }
        for (k, v) in std::env::vars() {
            vars.insert(k, v);
        }
        Ok(Self { config_dir, vars })
    }

    /// Reads variables from a dotenv-format file (used to test `.env.example`).
    pub fn vars_from_dotenv(path: &Path) -> Result<BTreeMap<String, String>> {
        let mut vars = BTreeMap::new();
        let iter =
            dotenvy::from_path_iter(path).with_context(|| format!("reading {}", path.display()))?;
        for item in iter {
            let (k, v) = item.with_context(|| format!("parsing {}", path.display()))?;
            vars.insert(k, v);
        }
        Ok(vars)
    }
}

impl Settings {
    /// Loads and validates the settings; every problem is listed in the error, one per
    /// line.
    pub fn load(sources: &Sources) -> Result<Settings> {
        let settings = Self::load_unvalidated(sources)?;
        let problems = settings.problems();
        if !problems.is_empty() {
            bail!("invalid configuration:\n  - {}", problems.join("\n  - "));
        }
        Ok(settings)
    }

    /// Loads the layers without the cross-field checks of [`Settings::problems`].
    pub fn load_unvalidated(sources: &Sources) -> Result<Settings> {
        let mut builder = Config::builder();
        for name in CONFIG_FILES {
            let path = sources.config_dir.join(name);
            if path.exists() {
                let text = std::fs::read_to_string(&path)
                    .with_context(|| format!("reading {}", path.display()))?;
                // Parse once ourselves so a syntax error names the file and line.
                toml::from_str::<toml::Table>(&text)
                    .with_context(|| format!("{} is not valid TOML", path.display()))?;
                builder = builder.add_source(File::from_str(&text, FileFormat::Toml));
            }
        }
        for (var, key) in ENV_KEYS {
            if let Some(value) = sources.vars.get(*var) {
                // An empty variable (`LOG_FILE=`) means "not set", as in the seed's compose files.
                if value.is_empty() {
                    continue;
                }
                builder = builder
                    .set_override(*key, value.as_str())
                    .with_context(|| format!("applying {var}"))?;
            }
        }
        let merged = builder.build().context("merging configuration")?;
        merged.try_deserialize::<Settings>().map_err(|e| {
            let text = e.to_string();
            match env_hint(&text) {
                Some(var) if sources.vars.contains_key(var) => anyhow::anyhow!(
                    "invalid configuration: {text} (set by environment variable {var} or the files in {})",
                    sources.config_dir.display()
                ),
                _ => anyhow::anyhow!(
                    "invalid configuration: {text} (in the files in {})",
                    sources.config_dir.display()
                ),
            }
        })
    }
}

/// Names the environment variable behind a key mentioned in an error, if any.
fn env_hint(message: &str) -> Option<&'static str> {
    ENV_KEYS
        .iter()
        .find(|(_, key)| message.contains(&format!("`{key}`")))
        .map(|(var, _)| *var)
}
