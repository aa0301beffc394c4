//! Session tokens: HS256 JWTs carrying the account and the session id.
//!
//! The algorithm is pinned: a token whose header names any other algorithm (including
//! `none`) is refused. A valid signature is not enough: the session id inside is checked
//! against the sessions table on every use, so logout and bans take effect at once.

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

/// What a token says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// Account id, as a decimal string (JWT's `sub` is a string).
    pub sub: String,
    /// Session id (row in the sessions table).
    pub sid: String,
    /// Username at issue time.
    pub name: String,
    /// Guest account.
    pub guest: bool,
    /// Issued at, unix seconds.
    pub iat: i64,
    /// Expires at, unix seconds.
    pub exp: i64,
}

impl Claims {
    /// The account id in `sub`.
    pub fn account_id(&self) -> Result<i64, TokenError> {
        self.sub.parse().map_err(|_| TokenError::Invalid)
    }
}

/// Why a token was refused. The messages are safe to show a client.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    /// Past its `exp`.
    #[error("the token has expired; log in again")]
    Expired,
    /// Bad signature, wrong algorithm or not a JWT at all.
    #[error("the token is not valid")]
    Invalid,
}

/// Signs and checks tokens with one HS256 key.
#[derive(Clone)]
pub struct TokenKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
}

impl std::fmt::Debug for TokenKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenKeys(HS256, ********)")
    }
}

impl TokenKeys {
    /// Keys from a secret.
    pub fn new(secret: &[u8]) -> Self {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.algorithms = vec![Algorithm::HS256];
        validation.leeway = 0;
        validation.validate_exp = true;
        validation.required_spec_claims = ["exp", "sub"].iter().map(|s| (*s).to_owned()).collect();
        Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
        }
    }

    /// Signs `claims`.
    pub fn issue(&self, claims: &Claims) -> Result<String, TokenError> {
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), claims, &self.encoding)
            .map_err(|_| TokenError::Invalid)
    }

    /// Checks signature, algorithm and expiry.
    pub fn verify(&self, token: &str) -> Result<Claims, TokenError> {
        if token.len() > 4096 {
            return Err(TokenError::Invalid);
        }
        jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)
            .map(|d| d.claims)
            .map_err(|e| match e.kind() {
                jsonwebtoken::errors::ErrorKind::ExpiredSignature => TokenError::Expired,
                _ => TokenError::Invalid,
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims(exp_in: i64) -> Claims {
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        Claims {
            sub: "7".into(),
            sid: "s-1".into(),
            name: "alice".into(),
            guest: false,
            iat: now,
            exp: now + exp_in,
        }
    }

    #[test]
    fn round_trip_and_expiry() {
        let keys = TokenKeys::new(b"0123456789abcdef0123456789abcdef");
        let c = claims(60);
        let t = keys.issue(&c).unwrap();
        assert_eq!(keys.verify(&t).unwrap(), c);
        assert_eq!(c.account_id(), Ok(7));
        let old = keys.issue(&claims(-5)).unwrap();
        assert_eq!(keys.verify(&old), Err(TokenError::Expired));
    }

    #[test]
    fn other_keys_and_algorithms_are_refused() {
        let keys = TokenKeys::new(b"0123456789abcdef0123456789abcdef");
        let other = TokenKeys::new(b"another-key-another-key-another!!");
        let t = other.issue(&claims(60)).unwrap();
        assert_eq!(keys.verify(&t), Err(TokenError::Invalid));
        // alg=none with the same claims.
        let body = t.split('.').nth(1).unwrap();
        let none = format!("eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.{body}.");
        assert_eq!(keys.verify(&none), Err(TokenError::Invalid));
        assert_eq!(keys.verify("garbage"), Err(TokenError::Invalid));
    }
}
