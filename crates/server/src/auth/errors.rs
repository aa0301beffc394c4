//! Storage errors as the API shows them: a stable code, a safe message, and the cause
//! logged (never sent) when it is the server's fault.

use net_gateway::ApiError;
use persistence::PersistenceError;

/// Maps a persistence error to the API's error.
pub fn api_error(e: PersistenceError) -> ApiError {
    match e {
        PersistenceError::InvalidUsername(_) => {
            ApiError::new(400, "invalid_username", e.to_string())
        }
        PersistenceError::InvalidPassword(_) => {
            ApiError::new(400, "invalid_password", e.to_string())
        }
        PersistenceError::InvalidEmail(_) => ApiError::new(400, "invalid_email", e.to_string()),
        PersistenceError::UsernameTaken(_) => ApiError::new(409, "username_taken", e.to_string()),
        PersistenceError::InvalidCredentials => {
            ApiError::new(401, "invalid_credentials", e.to_string())
        }
        PersistenceError::Banned { .. } => ApiError::new(403, "banned", e.to_string()),
        PersistenceError::NotFound { .. } => ApiError::new(404, "not_found", "no such account"),
        e if e.is_transient() => {
            tracing::warn!(error = %e, "database unavailable");
            ApiError::unavailable("the database is unavailable; try again shortly")
        }
        e => {
            tracing::error!(error = %e, "storage operation failed");
            ApiError::internal()
        }
    }
}
