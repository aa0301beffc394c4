//! Errors of building a world; a running tick never returns one.

use thiserror::Error;

/// Why a world or its content could not be built.
#[derive(Debug, Error, PartialEq)]
pub enum SimError {
    /// A content file failed to parse.
    #[error("content file {file}: {message}")]
    ContentParse {
        /// Which file.
        file: String,
        /// The parser's message.
        message: String,
    },
    /// Content parsed but is inconsistent (unknown item, negative amount, ...).
    #[error("content is invalid: {0}")]
    ContentInvalid(String),
    /// A configuration value is out of range.
    #[error("game config is invalid: {0}")]
    ConfigInvalid(String),
    /// A checkpoint could not be applied to this world.
    #[error("checkpoint does not fit this world: {0}")]
    CheckpointMismatch(String),
}
