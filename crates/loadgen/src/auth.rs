//! Getting a token over HTTP, as the browser does before it opens the WebSocket:
//! `POST /api/v1/auth/guest` or `/register`.

use std::time::Duration;

use crate::{LoadgenError, http};

/// How a bot identifies itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthMode {
    /// A guest token from `POST /api/v1/auth/guest`.
    HttpGuest,
    /// A new account from `POST /api/v1/auth/register`.
    Register,
    /// No HTTP at all: `Auth::Guest` in the WebSocket handshake.
    HandshakeGuest,
}

/// Asks the server for a token (`None` in [`AuthMode::HandshakeGuest`]). Any answer but
/// 200/201 — a 429 from the per-IP auth rate limit included — is an error naming the
/// status and the server's error body; the caller backs off and tries again.
pub async fn token(
    http_base: &str,
    mode: AuthMode,
    name: &str,
) -> Result<Option<String>, LoadgenError> {
    let (path, body) = match mode {
        AuthMode::HandshakeGuest => return Ok(None),
        AuthMode::HttpGuest => ("/api/v1/auth/guest", serde_json::json!({ "name": name })),
        AuthMode::Register => (
            "/api/v1/auth/register",
            serde_json::json!({ "username": name, "password": format!("pw-{name}-loadgen") }),
        ),
    };
    let url = format!("{}{path}", http_base.trim_end_matches('/'));
    let resp = http::post_json(&url, &body).await?;
    let json: serde_json::Value =
        serde_json::from_slice(&resp.body).map_err(|e| LoadgenError::Http {
            url: url.clone(),
            message: format!("status {}, body is not JSON: {e}", resp.status),
        })?;
    if resp.status != 200 && resp.status != 201 {
        return Err(LoadgenError::Http {
            url,
            message: format!("status {}: {json}", resp.status),
        });
    }
    json.get("token")
        .and_then(|t| t.as_str())
        .map(|t| Some(t.to_owned()))
        .ok_or_else(|| LoadgenError::Http {
            url,
            message: "answer has no \"token\"".into(),
        })
}

/// Waits until `GET {http}/health` answers 200, for at most `limit`.
pub async fn wait_healthy(http_base: &str, limit: Duration) -> Result<(), LoadgenError> {
    let url = format!("{}/health", http_base.trim_end_matches('/'));
    let deadline = tokio::time::Instant::now() + limit;
    loop {
        match http::get(&url).await {
            Ok(r) if r.status == 200 => return Ok(()),
            Ok(r) if tokio::time::Instant::now() >= deadline => {
                return Err(LoadgenError::Timeout(format!(
                    "{url} answered {}",
                    r.status
                )));
            }
            Err(e) if tokio::time::Instant::now() >= deadline => return Err(e),
            _ => tokio::time::sleep(Duration::from_millis(200)).await,
        }
    }
}
