//! Authentication: session tokens and the [`net_gateway::AuthApi`] implementation over
//! persistence.
//!
//! # Layout
//! - `jwt`: HS256 tokens carrying the account and session id.

mod jwt;

pub use jwt::{Claims, TokenError, TokenKeys};
