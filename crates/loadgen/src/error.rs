//! The one error type of the load generator.

/// Everything that can go wrong while preparing, running or reporting a load test.
#[derive(Debug, thiserror::Error)]
pub enum LoadgenError {
    /// A command-line value or URL is unusable.
    #[error("invalid argument: {0}")]
    InvalidArgument(String),
    /// A TCP/HTTP exchange failed.
    #[error("HTTP {url}: {message}")]
    Http {
        /// The URL asked.
        url: String,
        /// What went wrong.
        message: String,
    },
    /// The WebSocket could not be opened or broke.
    #[error("WebSocket: {0}")]
    WebSocket(String),
    /// The server sent something the protocol does not allow, or the bot could not encode.
    #[error("protocol: {0}")]
    Protocol(String),
    /// The server refused us with an error message.
    #[error("server refused: {0}")]
    Refused(String),
    /// Something did not happen in time.
    #[error("timed out: {0}")]
    Timeout(String),
    /// A Prometheus text exposition line could not be read.
    #[error("metrics line {line}: {message}")]
    MetricsParse {
        /// 1-based line number.
        line: usize,
        /// What was wrong with it.
        message: String,
    },
    /// `/proc/<pid>` could not be read or understood.
    #[error("/proc/{pid}: {message}")]
    Proc {
        /// The process asked about.
        pid: u32,
        /// What went wrong.
        message: String,
    },
    /// Writing the report failed.
    #[error("report {path}: {message}")]
    Report {
        /// The file being written.
        path: String,
        /// What went wrong.
        message: String,
    },
}
