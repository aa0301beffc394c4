//! tracing setup: a filter from LOG_LEVEL, JSON or pretty lines on stdout, and
//! optionally the same lines in a size-rotated file.

use std::sync::Mutex;

use anyhow::{Context, Result};
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer, fmt};

use super::rotate::RotatingFile;
use crate::settings::{LogFormat, LoggingSection};

/// Installs the global subscriber. Call once, early in `main`.
///
/// Events are written synchronously (one `write` per line), so nothing is buffered that a
/// shutdown could lose; that is what "flush logs" amounts to at exit.
pub fn init(cfg: &LoggingSection) -> Result<()> {
    let filter = EnvFilter::try_new(&cfg.level)
        .with_context(|| format!("LOG_LEVEL {:?} is not a log filter", cfg.level))?;
    let stdout = match cfg.format {
        LogFormat::Json => fmt::layer().json().with_current_span(true).boxed(),
        LogFormat::Pretty => fmt::layer().with_target(true).boxed(),
    };
    let file = match &cfg.file {
        None => None,
        Some(path) => {
            let writer = RotatingFile::open(path, cfg.max_size.0, cfg.max_files)
                .with_context(|| format!("opening log file {}", path.display()))?;
            let writer = Mutex::new(writer);
            Some(match cfg.format {
                LogFormat::Json => fmt::layer().json().with_writer(writer).boxed(),
                LogFormat::Pretty => fmt::layer().with_ansi(false).with_writer(writer).boxed(),
            })
        }
    };
    tracing_subscriber::registry()
        .with(filter)
        .with(stdout)
        .with(file)
        .try_init()
        .context("installing the log subscriber")?;
    Ok(())
}
