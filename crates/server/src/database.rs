//! From `[database]` settings to persistence's configuration.

use anyhow::{Context, Result};
use persistence::{DatabaseConfig, DatabaseTarget, DbParts};

use crate::settings::DatabaseSection;

/// DATABASE_URL if set, else PostgreSQL from the DB_* parts if DB_HOST is set, else the
/// SQLite file (created with its directory on first start).
pub fn config(s: &DatabaseSection) -> Result<DatabaseConfig> {
    let mut config = if let Some(url) = s.url.as_deref() {
        DatabaseConfig::from_url(url).context("DATABASE_URL")?
    } else if let Some(host) = s.host.as_deref() {
        DatabaseConfig::from_parts(&DbParts {
            host: host.to_owned(),
            port: Some(s.port),
            name: Some(s.name.clone()),
            user: Some(s.user.clone()),
            password: s.password.as_ref().map(|p| p.expose().to_owned()),
            ssl: Some(s.ssl.to_string()),
        })
        .context("DB_HOST, DB_PORT, DB_NAME, DB_USER, DB_PASSWORD, DB_SSL")?
    } else {
        DatabaseConfig::with_target(DatabaseTarget::Sqlite {
            path: s.sqlite_path.clone(),
            create_if_missing: true,
            create_dir: true,
        })
    };
    config.pool_size = s.pool_size as usize;
    Ok(config)
}
