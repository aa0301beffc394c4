//! Choosing and opening the database: URL schemes, the seed's DB_* parts, SQLite paths that
//! must never silently become a new empty database, and unreachable servers.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use persistence::{Backend, Database, DatabaseConfig, DatabaseTarget, PersistenceError};

fn env(pairs: &[(&str, &str)]) -> DatabaseConfig {
    let map: HashMap<String, String> = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    DatabaseConfig::from_lookup(|k| map.get(k).cloned()).unwrap()
}

fn env_err(pairs: &[(&str, &str)]) -> PersistenceError {
    let map: HashMap<String, String> = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    DatabaseConfig::from_lookup(|k| map.get(k).cloned()).unwrap_err()
}

fn pg_url(config: &DatabaseConfig) -> String {
    match &config.target {
        DatabaseTarget::Postgres { url } => url.clone(),
        other => panic!("expected PostgreSQL, got {other:?}"),
    }
}

#[test]
fn no_settings_means_the_sqlite_default_under_data() {
    let config = env(&[]);
    assert_eq!(config, DatabaseConfig::default_sqlite());
    assert_eq!(
        config.target,
        DatabaseTarget::Sqlite {
            path: "./data/kindling.db".into(),
            create_if_missing: true,
            create_dir: true,
        }
    );
    assert_eq!(config.pool_size, 10);
    // Empty values count as unset.
    assert_eq!(
        env(&[("DATABASE_URL", " "), ("DB_HOST", "")]).backend(),
        Backend::Sqlite
    );
}

#[test]
fn the_url_scheme_chooses_the_backend() {
    for url in [
        "postgres://u@h/db",
        "postgresql://u@h:5433/db?sslmode=require",
    ] {
        assert_eq!(
            DatabaseConfig::from_url(url).unwrap().backend(),
            Backend::Postgres
        );
    }
    for (url, path, create) in [
        ("sqlite://data/x.db", "data/x.db", true),
        ("sqlite:///var/lib/k/x.db?mode=rw", "/var/lib/k/x.db", false),
        ("sqlite:x.db?mode=rwc", "x.db", true),
        ("./relative/file.db", "./relative/file.db", true),
        ("/abs/file.sqlite", "/abs/file.sqlite", true),
    ] {
        assert_eq!(
            DatabaseConfig::from_url(url).unwrap().target,
            DatabaseTarget::Sqlite {
                path: path.into(),
                create_if_missing: create,
                create_dir: false,
            },
            "{url}"
        );
    }
}

#[test]
fn unknown_schemes_and_unusable_urls_are_clear_errors() {
    for (url, scheme) in [
        ("mysql://u@h/db", "mysql"),
        ("redis://h", "redis"),
        ("mongodb+srv:x", "mongodb+srv"),
    ] {
        match DatabaseConfig::from_url(url) {
            Err(PersistenceError::UnknownScheme { scheme: s }) => assert_eq!(s, scheme),
            other => panic!("{url}: {other:?}"),
        }
    }
    for url in [
        "",
        ":memory:",
        "sqlite::memory:",
        "sqlite://",
        "postgres://",
        "sqlite://x.db?cache=shared",
    ] {
        let err = DatabaseConfig::from_url(url).unwrap_err();
        assert!(matches!(err, PersistenceError::Config(_)), "{url}: {err:?}");
    }
    let msg = DatabaseConfig::from_url("mysql://u:secret@h/db")
        .unwrap_err()
        .to_string();
    assert!(
        msg.contains("postgres://") && !msg.contains("secret"),
        "{msg}"
    );
}

#[test]
fn db_parts_build_a_postgres_url() {
    let config = env(&[
        ("DB_HOST", "db.internal"),
        ("DB_PORT", "6543"),
        ("DB_NAME", "game_db"),
        ("DB_USER", "game_user"),
        ("DB_PASSWORD", "p@ss:w/rd"),
        ("DB_SSL", "true"),
        ("DB_POOL_SIZE", "20"),
    ]);
    assert_eq!(
        pg_url(&config),
        "postgres://game_user:p%40ss%3Aw%2Frd@db.internal:6543/game_db?sslmode=require"
    );
    assert_eq!(config.pool_size, 20);
    // Debug output and redaction never show the password.
    assert!(!format!("{config:?}").contains("p%40ss"));
    assert!(config.target.redacted().contains(":***@"));

    let config = env(&[("DB_HOST", "::1"), ("DB_SSL", "false")]);
    assert_eq!(
        pg_url(&config),
        "postgres://game_user@[::1]:5432/game_db?sslmode=disable"
    );
    // DATABASE_URL wins over the parts.
    let config = env(&[("DATABASE_URL", "postgres://a@b/c"), ("DB_HOST", "ignored")]);
    assert_eq!(pg_url(&config), "postgres://a@b/c");
}

#[test]
fn bad_db_settings_are_named() {
    let msg = env_err(&[("DB_HOST", "h"), ("DB_PORT", "70000")]).to_string();
    assert!(msg.contains("DB_PORT"), "{msg}");
    let msg = env_err(&[("DB_HOST", "h"), ("DB_SSL", "maybe")]).to_string();
    assert!(msg.contains("DB_SSL"), "{msg}");
    for size in ["0", "-1", "lots", "1001"] {
        let msg = env_err(&[("DB_POOL_SIZE", size)]).to_string();
        assert!(msg.contains("DB_POOL_SIZE"), "{size}: {msg}");
    }
}

#[tokio::test]
async fn a_sqlite_path_in_a_missing_directory_is_refused_and_nothing_is_created() {
    let scratch = common::TestDb::sqlite("missing_dir");
    let dir = scratch.sqlite_path().parent().unwrap().join("no_such_dir");
    let path = dir.join("game.db");
    let config = DatabaseConfig::from_url(path.to_str().unwrap()).unwrap();
    match Database::connect(&config).await {
        Err(PersistenceError::SqliteDirectoryMissing { dir: d, .. }) => assert_eq!(d, dir),
        other => panic!("{other:?}"),
    }
    assert!(!dir.exists());
}

#[tokio::test]
async fn a_missing_sqlite_file_with_mode_rw_is_refused_and_not_created() {
    let scratch = common::TestDb::sqlite("missing_file");
    let path = scratch.sqlite_path();
    let config = DatabaseConfig::from_url(&format!("sqlite://{}?mode=rw", path.display())).unwrap();
    match Database::connect(&config).await {
        Err(PersistenceError::SqliteFileMissing { path: p }) => assert_eq!(p, path),
        other => panic!("{other:?}"),
    }
    assert!(!path.exists());
    // With creation allowed the same path works, and afterwards mode=rw opens it.
    let db = Database::connect(&DatabaseConfig::from_url(path.to_str().unwrap()).unwrap())
        .await
        .unwrap();
    db.accounts().create_guest().await.unwrap();
    db.close();
    let db = Database::connect(&config).await.unwrap();
    db.ping().await.unwrap();
}

#[tokio::test]
async fn a_closed_postgres_port_is_a_clear_connect_error() {
    // A port that was free a moment ago: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut config =
        DatabaseConfig::from_url(&format!("postgres://u:secret@127.0.0.1:{port}/x")).unwrap();
    config.connect_timeout = Duration::from_secs(3);
    let err = Database::connect(&config).await.unwrap_err();
    let msg = err.to_string();
    assert!(matches!(err, PersistenceError::Connect { .. }), "{err:?}");
    assert!(
        msg.contains(&format!("127.0.0.1:{port}")) && !msg.contains("secret"),
        "{msg}"
    );
    assert!(err.is_transient());
}

#[tokio::test]
async fn a_silent_server_times_out_within_the_bound() {
    // Accepts TCP connections and never says a word, like a firewalled or hung host.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let hold = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    let mut config = DatabaseConfig::from_url(&format!("postgres://u@{addr}/x")).unwrap();
    config.connect_timeout = Duration::from_secs(1);
    let started = Instant::now();
    let err = Database::connect(&config).await.unwrap_err();
    assert!(
        matches!(
            err,
            PersistenceError::Timeout { .. } | PersistenceError::Connect { .. }
        ),
        "{err:?}"
    );
    // libpq's own timeout is at least 2 s; the pool gives up after 1 s.
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    hold.abort();
}

#[tokio::test]
async fn a_missing_postgres_database_is_a_clear_error() {
    let url = common::with_database(&common::admin_url(), "kt_this_database_does_not_exist");
    let err = Database::connect(&DatabaseConfig::from_url(&url).unwrap())
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("kt_this_database_does_not_exist"),
        "{err}"
    );
}
