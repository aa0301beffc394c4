//! A minimal HTTP/1.1 client on hyper for the few calls the bots make: auth, /health
//! and /metrics. One connection per request keeps it simple; these are rare calls.

use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::{Method, Request, Uri};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

use crate::LoadgenError;

/// How long one request may take, connect to last byte.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// A response: status code and body.
#[derive(Debug, Clone)]
pub struct Response {
    /// HTTP status code.
    pub status: u16,
    /// The whole body.
    pub body: Bytes,
}

/// `GET url`.
pub async fn get(url: &str) -> Result<Response, LoadgenError> {
    request(Method::GET, url, None).await
}

/// `POST url` with a JSON body.
pub async fn post_json(url: &str, body: &serde_json::Value) -> Result<Response, LoadgenError> {
    request(Method::POST, url, Some(body.to_string())).await
}

async fn request(
    method: Method,
    url: &str,
    body: Option<String>,
) -> Result<Response, LoadgenError> {
    let err = |message: String| LoadgenError::Http {
        url: url.to_owned(),
        message,
    };
    let fut = async {
        let uri: Uri = url.parse().map_err(|e| err(format!("bad URL: {e}")))?;
        if uri.scheme_str() != Some("http") {
            return Err(err("only http:// is supported".into()));
        }
        let host = uri.host().ok_or_else(|| err("URL has no host".into()))?;
        let port = uri.port_u16().unwrap_or(80);
        let stream = TcpStream::connect((host, port))
            .await
            .map_err(|e| err(format!("connect: {e}")))?;
        let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
            .await
            .map_err(|e| err(format!("handshake: {e}")))?;
        // The connection task ends when the response is read and `sender` is dropped.
        tokio::spawn(conn);
        let path = uri.path_and_query().map_or("/", |p| p.as_str());
        let mut builder = Request::builder()
            .method(method)
            .uri(path)
            .header(hyper::header::HOST, format!("{host}:{port}"))
            .header(hyper::header::USER_AGENT, "kindling-loadgen");
        if body.is_some() {
            builder = builder.header(hyper::header::CONTENT_TYPE, "application/json");
        }
        let req = builder
            .body(Full::new(Bytes::from(body.unwrap_or_default())))
            .map_err(|e| err(format!("request: {e}")))?;
        let resp = sender
            .send_request(req)
            .await
            .map_err(|e| err(format!("send: {e}")))?;
        let status = resp.status().as_u16();
        let body = resp
            .into_body()
            .collect()
            .await
            .map_err(|e| err(format!("body: {e}")))?
            .to_bytes();
        Ok(Response { status, body })
    };
    tokio::time::timeout(REQUEST_TIMEOUT, fut)
        .await
        .map_err(|_| err(format!("no answer within {REQUEST_TIMEOUT:?}")))?
}
