//! Logs and metrics.
//!
//! # Layout
//! - `logging`: the tracing subscriber (LOG_LEVEL, LOG_FORMAT, LOG_FILE).
//! - `rotate`: the size-rotated log file (LOG_MAX_SIZE, LOG_MAX_FILES).
//! - `metrics`: installing the Prometheus recorder; the names themselves live in
//!   `net_gateway::metrics`, the one place every metric is named and described.

mod logging;
mod metrics;
mod rotate;

pub use logging::init as init_logging;
pub use metrics::install as install_metrics;
pub use rotate::RotatingFile;
