//! Errors: [`ApiError`] is what a client sees (one JSON shape with a stable code);
//! [`GatewayError`] is what the server's operator sees when a listener fails.

use std::fmt;

use serde::Serialize;

/// A failure the gateway reports to a client, over HTTP as
/// `{ "error": { "code": "...", "message": "..." } }` and over WebSocket as an error
/// message with the same code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// HTTP status.
    pub status: u16,
    /// Stable machine-readable code, e.g. `invalid_credentials`.
    pub code: &'static str,
    /// Human-readable explanation.
    pub message: String,
    /// Seconds to wait before retrying (sent as `Retry-After`).
    pub retry_after: Option<u64>,
}

impl ApiError {
    /// An error with a status, code and message.
    pub fn new(status: u16, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            retry_after: None,
        }
    }

    /// 400 `bad_request`.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(400, "bad_request", message)
    }

    /// 401 `unauthorized`.
    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(401, "unauthorized", message)
    }

    /// 404 `not_found`.
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(404, "not_found", message)
    }

    /// 429 `rate_limited` with a `Retry-After`.
    pub fn rate_limited(retry_after: u64) -> Self {
        Self {
            retry_after: Some(retry_after.max(1)),
            ..Self::new(
                429,
                "rate_limited",
                format!("too many requests; retry in {} s", retry_after.max(1)),
            )
        }
    }

    /// 500 `internal` with a message that reveals nothing of the cause (log it instead).
    pub fn internal() -> Self {
        Self::new(500, "internal", "internal server error")
    }

    /// 503 `unavailable`.
    pub fn unavailable(message: impl Into<String>) -> Self {
        Self::new(503, "unavailable", message)
    }

    /// The JSON body of this error.
    pub fn to_json(&self) -> String {
        #[derive(Serialize)]
        struct Body<'a> {
            error: Inner<'a>,
        }
        #[derive(Serialize)]
        struct Inner<'a> {
            code: &'a str,
            message: &'a str,
        }
        serde_json::to_string(&Body {
            error: Inner {
                code: self.code,
                message: &self.message,
            },
        })
        .unwrap_or_else(|_| {
            r#"{"error":{"code":"internal","message":"internal server error"}}"#.to_owned()
        })
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({}): {}", self.code, self.status, self.message)
    }
}

impl std::error::Error for ApiError {}

/// Why a listener stopped.
#[derive(Debug, thiserror::Error)]
pub enum GatewayError {
    /// Accepting a connection failed repeatedly.
    #[error("accepting connections on {addr} failed: {source}")]
    Accept {
        /// The listener's address.
        addr: String,
        /// The last error.
        source: std::io::Error,
    },
    /// The listener's own address could not be read.
    #[error("listener address: {0}")]
    LocalAddr(std::io::Error),
}
