//! `server print-config`: the effective settings as TOML, secrets masked.

use anyhow::{Context, Result};

use super::Settings;
use super::secret::Secret;

const MASK: &str = Secret::MASK;

impl Settings {
    /// A copy with every secret replaced by a mask (JWT secret, database password and
    /// the password inside a database URL).
    pub fn masked(&self) -> Settings {
        let mut s = self.clone();
        if s.security.jwt_secret.is_some() {
            s.security.jwt_secret = Some(Secret::new(MASK));
        }
        if s.database.password.is_some() {
            s.database.password = Some(Secret::new(MASK));
        }
        if let Some(url) = &s.database.url {
            s.database.url = Some(mask_url_password(url));
        }
        s
    }

    /// The masked settings as TOML text.
    pub fn to_masked_toml(&self) -> Result<String> {
        toml::to_string_pretty(&self.masked()).context("rendering settings as TOML")
    }
}

/// `postgres://user:pw@host/db` → `postgres://user:********@host/db`.
pub fn mask_url_password(url: &str) -> String {
    let Some(scheme_end) = url.find("://") else {
        return url.to_owned();
    };
    let rest = &url[scheme_end + 3..];
    let Some(at) = rest.find('@') else {
        return url.to_owned();
    };
    let userinfo = &rest[..at];
    match userinfo.find(':') {
        Some(colon) => format!(
            "{}{}:{MASK}{}",
            &url[..scheme_end + 3],
            &userinfo[..colon],
            &rest[at..]
        ),
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_passwords_are_masked() {
        assert_eq!(
            mask_url_password("postgres://u:hunter2@db:5432/x"),
            "postgres://u:********@db:5432/x"
        );
        assert_eq!(mask_url_password("postgres://u@db/x"), "postgres://u@db/x");
        assert_eq!(
            mask_url_password("sqlite://data/k.db"),
            "sqlite://data/k.db"
        );
    }
}
