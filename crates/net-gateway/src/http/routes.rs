//! The HTTP routes: health, readiness, the REST API and the client files.

use std::net::SocketAddr;
use std::sync::Arc;

use bytes::Bytes;
use http_body_util::{BodyExt, Limited};
use hyper::body::Incoming;
use hyper::header::{AUTHORIZATION, CACHE_CONTROL, HeaderValue, ORIGIN, USER_AGENT};
use hyper::{Method, Request, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::cors::Cors;
use super::rate_limit::RateLimiter;
use super::respond::{self, Body};
use super::static_files::StaticFiles;
use crate::api::{AuthApi, ClientInfo, Credentials, GuestRequest, LeaderboardKind};
use crate::{ApiError, metrics as m};

/// Everything the routes need besides the request.
pub struct HttpState<A> {
    /// Accounts, sessions and worlds.
    pub api: A,
    /// `[cors]`.
    pub cors: Cors,
    /// Per-IP counters.
    pub limiter: RateLimiter,
    /// API requests per IP per window.
    pub rate_limit_max: u32,
    /// Login/register/guest requests per IP per window.
    pub auth_rate_limit_max: u32,
    /// Largest request body accepted, in bytes.
    pub max_body_bytes: usize,
    /// The browser client.
    pub static_files: StaticFiles,
    /// The WebSocket listener's port, told to the client by `/api/v1/worlds`; 0 = not told.
    pub ws_port: u16,
}

/// Longest leaderboard a client may ask for.
pub const LEADERBOARD_MAX: u32 = 100;

/// Answers one request.
pub async fn handle<A: AuthApi>(
    state: Arc<HttpState<A>>,
    req: Request<Incoming>,
    peer: SocketAddr,
) -> Response<Body> {
    let origin = req.headers().get(ORIGIN).cloned();
    let preflight = req.method() == Method::OPTIONS;
    let mut res = if preflight {
        respond::empty(204)
    } else {
        match route(&state, req, peer).await {
            Ok(res) => res,
            Err(e) => {
                if e.status >= 500 {
                    tracing::warn!(code = e.code, message = %e.message, "request failed");
                }
                respond::error(&e)
            }
        }
    };
    state
        .cors
        .apply(origin.as_ref(), preflight, res.headers_mut());
    let class = match res.status().as_u16() {
        200..=299 => "2xx",
        300..=399 => "3xx",
        400..=499 => "4xx",
        _ => "5xx",
    };
    metrics::counter!(m::HTTP_REQUESTS_TOTAL, "status" => class).increment(1);
    res
}

async fn route<A: AuthApi>(
    state: &HttpState<A>,
    req: Request<Incoming>,
    peer: SocketAddr,
) -> Result<Response<Body>, ApiError> {
    let path = req.uri().path().to_owned();
    let method = req.method().clone();
    match (&method, path.as_str()) {
        (&Method::GET, "/health") => Ok(respond::json(200, &Status { status: "ok" })),
        (&Method::GET, "/ready") => {
            let r = state.api.readiness().await;
            Ok(respond::json(if r.ready() { 200 } else { 503 }, &r))
        }
        (_, p) if p.starts_with("/api/") => {
            limit(state, peer, "api", state.rate_limit_max)?;
            api(state, req, peer, &method, &path).await
        }
        (&Method::GET | &Method::HEAD, _) => match state.static_files.get(&path).await {
            Some(file) => {
                let mut res =
                    respond::with_body(200, file.content_type, Bytes::from(file.body.into_owned()));
                res.headers_mut()
                    .insert(CACHE_CONTROL, HeaderValue::from_static(file.cache_control));
                Ok(res)
            }
            None => Err(ApiError::not_found(format!("no such page: {path}"))),
        },
        _ => Err(ApiError::new(
            405,
            "method_not_allowed",
            format!("{method} is not allowed here"),
        )),
    }
}

fn limit<A>(
    state: &HttpState<A>,
    peer: SocketAddr,
    scope: &'static str,
    max: u32,
) -> Result<(), ApiError> {
    state.limiter.check(peer.ip(), scope, max).map_err(|wait| {
        metrics::counter!(m::RATE_LIMITED_TOTAL, "scope" => scope).increment(1);
        ApiError::rate_limited(wait)
    })
}

async fn api<A: AuthApi>(
    state: &HttpState<A>,
    req: Request<Incoming>,
    peer: SocketAddr,
    method: &Method,
    path: &str,
) -> Result<Response<Body>, ApiError> {
    let client = ClientInfo {
        ip: peer.ip(),
        user_agent: req
            .headers()
            .get(USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(|s| s.chars().take(256).collect()),
    };
    let token = bearer(&req);
    match (method, path) {
        (&Method::POST, "/api/v1/auth/register") => {
            limit(state, peer, "auth", state.auth_rate_limit_max)?;
            let creds: Credentials = read_json(state, req).await?;
            Ok(respond::json(
                201,
                &state.api.register(creds, client).await?,
            ))
        }
        (&Method::POST, "/api/v1/auth/login") => {
            limit(state, peer, "auth", state.auth_rate_limit_max)?;
            let creds: Credentials = read_json(state, req).await?;
            Ok(respond::json(200, &state.api.login(creds, client).await?))
        }
        (&Method::POST, "/api/v1/auth/guest") => {
            limit(state, peer, "auth", state.auth_rate_limit_max)?;
            let body = read_body(state, req).await?;
            let request: GuestRequest = if body.iter().all(u8::is_ascii_whitespace) {
                GuestRequest::default()
            } else {
                parse_json(&body)?
            };
            Ok(respond::json(200, &state.api.guest(request, client).await?))
        }
        (&Method::POST, "/api/v1/auth/logout") => {
            let token = token.ok_or_else(missing_token)?;
            state.api.logout(&token).await?;
            Ok(respond::empty(204))
        }
        (&Method::GET, "/api/v1/me") => {
            let token = token.ok_or_else(missing_token)?;
            let who = state.api.authenticate(&token).await?;
            Ok(respond::json(200, &state.api.me(&who).await?))
        }
        (&Method::GET, "/api/v1/leaderboard") => {
            let (kind, limit) = leaderboard_query(req.uri().query().unwrap_or(""))?;
            let rows = state.api.leaderboard(kind, limit).await?;
            Ok(respond::json(
                200,
                &Leaderboard {
                    kind,
                    entries: rows,
                },
            ))
        }
        (&Method::GET, "/api/v1/worlds") => Ok(respond::json(
            200,
            &Worlds {
                worlds: state.api.worlds(),
                ws_port: (state.ws_port != 0).then_some(state.ws_port),
            },
        )),
        (_, p) if KNOWN_API.contains(&p) => Err(ApiError::new(
            405,
            "method_not_allowed",
            format!("{method} is not allowed on {p}"),
        )),
        _ => Err(ApiError::not_found(format!("no such endpoint: {path}"))),
    }
}

const KNOWN_API: &[&str] = &[
    "/api/v1/auth/register",
    "/api/v1/auth/login",
    "/api/v1/auth/guest",
    "/api/v1/auth/logout",
    "/api/v1/me",
    "/api/v1/leaderboard",
    "/api/v1/worlds",
];

fn missing_token() -> ApiError {
    ApiError::unauthorized("missing Authorization: Bearer <token> header")
}

fn bearer<B>(req: &Request<B>) -> Option<String> {
    let value = req.headers().get(AUTHORIZATION)?.to_str().ok()?;
    let token = value
        .strip_prefix("Bearer ")
        .or_else(|| value.strip_prefix("bearer "))?;
    Some(token.trim().to_owned())
}

async fn read_body<A>(state: &HttpState<A>, req: Request<Incoming>) -> Result<Bytes, ApiError> {
    let too_large = || {
        ApiError::new(
            413,
            "payload_too_large",
            format!("request body over {} bytes", state.max_body_bytes),
        )
    };
    if let Some(len) = req
        .headers()
        .get(hyper::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok())
        && len > state.max_body_bytes
    {
        return Err(too_large());
    }
    let limited = Limited::new(req.into_body(), state.max_body_bytes);
    match limited.collect().await {
        Ok(body) => Ok(body.to_bytes()),
        Err(e) if e.is::<http_body_util::LengthLimitError>() => Err(too_large()),
        Err(_) => Err(ApiError::bad_request("could not read the request body")),
    }
}

async fn read_json<A, T: DeserializeOwned>(
    state: &HttpState<A>,
    req: Request<Incoming>,
) -> Result<T, ApiError> {
    let body = read_body(state, req).await?;
    parse_json(&body)
}

fn parse_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(body)
        .map_err(|e| ApiError::new(400, "invalid_json", format!("invalid JSON body: {e}")))
}

fn leaderboard_query(query: &str) -> Result<(LeaderboardKind, u32), ApiError> {
    let mut kind = LeaderboardKind::Level;
    let mut limit = 10;
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        match k {
            "by" => {
                kind = match v {
                    "level" => LeaderboardKind::Level,
                    "kills" => LeaderboardKind::Kills,
                    _ => return Err(ApiError::bad_request("by must be level or kills")),
                }
            }
            "limit" => {
                limit = v
                    .parse::<u32>()
                    .ok()
                    .filter(|n| (1..=LEADERBOARD_MAX).contains(n))
                    .ok_or_else(|| {
                        ApiError::bad_request(format!("limit must be 1..={LEADERBOARD_MAX}"))
                    })?;
            }
            _ => {
                return Err(ApiError::bad_request(format!(
                    "unknown query parameter {k:?}"
                )));
            }
        }
    }
    Ok((kind, limit))
}

#[derive(Serialize)]
struct Status {
    status: &'static str,
}

#[derive(Serialize)]
struct Leaderboard {
    kind: LeaderboardKind,
    entries: Vec<crate::api::LeaderboardEntry>,
}

#[derive(Serialize)]
struct Worlds {
    worlds: Vec<crate::api::WorldInfo>,
    /// Where the page connects to play (it is served from another port).
    #[serde(skip_serializing_if = "Option::is_none")]
    ws_port: Option<u16>,
}
