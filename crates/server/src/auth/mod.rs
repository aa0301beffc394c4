//! Authentication: session tokens and the [`net_gateway::AuthApi`] implementation over
//! persistence.
//!
//! # Layout
//! - `jwt`: HS256 tokens carrying the account and session id.
//! - `service`: [`AuthService`], the HTTP API's accounts, sessions and leaderboards.
//! - `errors`: storage errors mapped to the API's stable codes.

mod errors;
mod jwt;
mod service;

pub use errors::api_error;
pub use jwt::{Claims, TokenError, TokenKeys};
pub use service::AuthService;
