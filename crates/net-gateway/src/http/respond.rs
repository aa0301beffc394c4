//! Building responses: JSON bodies, the error shape, status metrics.

use bytes::Bytes;
use http_body_util::Full;
use hyper::header::{CONTENT_TYPE, HeaderValue, RETRY_AFTER};
use hyper::{Response, StatusCode};
use serde::Serialize;

use crate::ApiError;

/// The body type of every answer.
pub type Body = Full<Bytes>;

/// A JSON answer with `status`.
pub fn json<T: Serialize>(status: u16, value: &T) -> Response<Body> {
    match serde_json::to_vec(value) {
        Ok(bytes) => with_body(status, "application/json", Bytes::from(bytes)),
        Err(e) => {
            tracing::error!(error = %e, "serializing a response failed");
            error(&ApiError::internal())
        }
    }
}

/// The one error shape: `{ "error": { "code", "message" } }`, plus `Retry-After`.
pub fn error(e: &ApiError) -> Response<Body> {
    let mut res = with_body(e.status, "application/json", Bytes::from(e.to_json()));
    if let Some(secs) = e.retry_after
        && let Ok(v) = HeaderValue::from_str(&secs.to_string())
    {
        res.headers_mut().insert(RETRY_AFTER, v);
    }
    res
}

/// An empty answer.
pub fn empty(status: u16) -> Response<Body> {
    let mut res = Response::new(Full::new(Bytes::new()));
    *res.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    res
}

/// An answer with a body and content type.
pub fn with_body(status: u16, content_type: &'static str, body: Bytes) -> Response<Body> {
    let mut res = Response::new(Full::new(body));
    *res.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    res.headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    res
}
