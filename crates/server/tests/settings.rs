//! Configuration loading: the examples, every seed variable, and the error messages.
#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly by design.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

use server::settings::{
    ByteSize, CONFIG_FILES, ENV_KEYS, Environment, LogFormat, Seconds, Settings, Sources,
};

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A fresh, empty directory under the system temp dir.
fn temp_dir() -> PathBuf {
    static N: AtomicU32 = AtomicU32::new(0);
    let dir = std::env::temp_dir().join(format!(
        "kindling-settings-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn sources(dir: &Path, vars: &[(&str, &str)]) -> Sources {
    Sources {
        config_dir: dir.to_owned(),
        vars: vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect(),
    }
}

fn examples_dir() -> PathBuf {
    let dir = temp_dir();
    for name in CONFIG_FILES {
        let from = repo_root()
            .join("ops/config")
            .join(format!("{name}.example"));
        std::fs::copy(&from, dir.join(name)).unwrap_or_else(|e| panic!("{}: {e}", from.display()));
    }
    dir
}

fn example_env() -> BTreeMap<String, String> {
    Sources::vars_from_dotenv(&repo_root().join("ops/config/.env.example")).unwrap()
}

#[test]
fn examples_load_unchanged_and_only_the_example_secret_is_refused() {
    let dir = examples_dir();
    let src = Sources {
        config_dir: dir,
        vars: example_env(),
    };
    let s = Settings::load_unvalidated(&src).unwrap();
    assert_eq!(s.server.environment, Environment::Production);
    assert_eq!(s.server.port, 8080);
    assert_eq!(s.server.ws_port, 8081);
    assert_eq!(s.server.worker_threads, 4);
    assert_eq!(s.network.max_message_size, ByteSize(8192));
    assert_eq!(s.network.ping_interval, Seconds::secs(30));
    assert_eq!(
        s.cors.allowed_origins,
        vec!["https://game.example.com".to_owned()]
    );
    assert_eq!(s.database.host.as_deref(), Some("postgres"));
    assert_eq!(s.database.url, None, "an empty DATABASE_URL means unset");
    assert_eq!(s.game.tick_rate, 20);
    assert_eq!(s.game.world_size, 4000.0);
    assert_eq!(s.logging.format, LogFormat::Json);
    assert_eq!(s.logging.max_size, ByteSize(100_000_000));
    assert_eq!(s.security.jwt_expires_in, Seconds::secs(86_400));
    assert_eq!(s.performance.simulation_workers, 4);
    let problems = s.problems();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].contains("JWT_SECRET is the example value"),
        "{problems:?}"
    );
    assert!(Settings::load(&src).is_err());

    let mut vars = example_env();
    vars.insert(
        "JWT_SECRET".into(),
        "0123456789abcdef0123456789abcdef-real".into(),
    );
    let ok = Settings::load(&Sources {
        config_dir: src.config_dir.clone(),
        vars,
    })
    .unwrap();
    assert_eq!(ok.security.rate_limit_max, 100);
}

#[test]
fn every_seed_variable_is_documented_and_mapped() {
    let documented = example_env();
    for (var, _) in ENV_KEYS.iter().filter(|(v, _)| *v != "METRICS_ADDR") {
        assert!(
            documented.contains_key(*var),
            "{var} missing from .env.example"
        );
    }
    for var in documented.keys() {
        assert!(
            ENV_KEYS.iter().any(|(v, _)| v == var),
            "{var} in .env.example is not read by the server"
        );
    }
}

#[test]
fn missing_files_give_the_defaults() {
    let s = Settings::load(&sources(&temp_dir(), &[])).unwrap();
    assert_eq!(s.server.port, 8080);
    assert_eq!(s.server.ws_port, 8081);
    assert_eq!(s.metrics.address.to_string(), "0.0.0.0:9090");
    assert_eq!(s.server.environment, Environment::Development);
    assert_eq!(s.worlds.autosave_interval, Seconds::secs(30));
}

#[test]
fn each_variable_overrides_files() {
    let dir = temp_dir();
    std::fs::write(dir.join("server.toml"), "[server]\nport = 1000\n").unwrap();
    let s = Settings::load(&sources(
        &dir,
        &[
            ("SERVER_HOST", "127.0.0.1"),
            ("SERVER_PORT", "9000"),
            ("SERVER_WS_PORT", "9001"),
            ("SERVER_ENV", "test"),
            ("DB_HOST", "db"),
            ("DB_PORT", "5433"),
            ("DB_NAME", "n"),
            ("DB_USER", "u"),
            ("DB_PASSWORD", "p"),
            ("DB_SSL", "true"),
            ("DB_POOL_SIZE", "3"),
            ("DATABASE_URL", "postgres://u:p@db/n"),
            ("GAME_TICK_RATE", "30"),
            ("GAME_MAX_PLAYERS", "7"),
            ("GAME_WORLD_SIZE", "2000"),
            ("GAME_RESOURCE_RESPAWN_MIN", "10"),
            ("GAME_RESOURCE_RESPAWN_MAX", "20"),
            ("JWT_SECRET", "s"),
            ("JWT_EXPIRES_IN", "2h"),
            ("RATE_LIMIT_WINDOW", "30"),
            ("RATE_LIMIT_MAX", "5"),
            ("SESSION_TIMEOUT", "600"),
            ("LOG_LEVEL", "debug"),
            ("LOG_FORMAT", "pretty"),
            ("LOG_FILE", "/tmp/x.log"),
            ("LOG_MAX_SIZE", "1MiB"),
            ("LOG_MAX_FILES", "2"),
            ("SIMULATION_WORKERS", "2"),
            ("NETWORK_WORKERS", "3"),
            ("COMPRESSION_LEVEL", "1"),
            ("METRICS_ADDR", "127.0.0.1:9999"),
        ],
    ))
    .unwrap();
    assert_eq!(s.server.host, "127.0.0.1");
    assert_eq!((s.server.port, s.server.ws_port), (9000, 9001));
    assert_eq!(s.server.environment, Environment::Test);
    assert_eq!(s.database.host.as_deref(), Some("db"));
    assert_eq!(
        (s.database.port, s.database.pool_size, s.database.ssl),
        (5433, 3, true)
    );
    assert_eq!(
        (s.database.name.as_str(), s.database.user.as_str()),
        ("n", "u")
    );
    assert_eq!(s.database.password.as_ref().map(|p| p.expose()), Some("p"));
    assert!(
        !format!("{s:?}").contains("\"p\""),
        "secrets must not show in Debug"
    );
    assert_eq!(s.database.url.as_deref(), Some("postgres://u:p@db/n"));
    assert_eq!((s.game.tick_rate, s.game.max_players), (30, 7));
    assert_eq!(s.game.world_size, 2000.0);
    assert_eq!(
        (s.game.resource_respawn_min_s, s.game.resource_respawn_max_s),
        (10.0, 20.0)
    );
    assert_eq!(
        s.security.jwt_secret.as_ref().map(|p| p.expose()),
        Some("s")
    );
    assert_eq!(s.security.jwt_expires_in, Seconds::secs(7200));
    assert_eq!(s.security.rate_limit_window, Seconds::secs(30));
    assert_eq!(s.security.rate_limit_max, 5);
    assert_eq!(s.security.session_timeout, Seconds::secs(600));
    assert_eq!(s.logging.level, "debug");
    assert_eq!(s.logging.format, LogFormat::Pretty);
    assert_eq!(s.logging.file.as_deref(), Some(Path::new("/tmp/x.log")));
    assert_eq!(
        (s.logging.max_size, s.logging.max_files),
        (ByteSize(1 << 20), 2)
    );
    assert_eq!(s.performance.simulation_workers, 2);
    assert_eq!(s.performance.network_workers, 3);
    assert_eq!(s.performance.compression_level, 1);
    assert_eq!(s.metrics.address.to_string(), "127.0.0.1:9999");
}

fn load_err(files: &[(&str, &str)], vars: &[(&str, &str)]) -> String {
    let dir = temp_dir();
    for (name, text) in files {
        std::fs::write(dir.join(name), text).unwrap();
    }
    format!("{:#}", Settings::load(&sources(&dir, vars)).unwrap_err())
}

#[test]
fn unknown_keys_are_named() {
    let e = load_err(&[("server.toml", "[server]\nprot = 1\n")], &[]);
    assert!(
        e.contains("unknown field `prot`") && e.contains("server"),
        "{e}"
    );
    let e = load_err(&[("game.toml", "[gmae]\ntick_rate = 1\n")], &[]);
    assert!(e.contains("unknown field `gmae`"), "{e}");
}

#[test]
fn the_tick_priority_is_a_named_choice() {
    let s = Settings::load(&sources(&temp_dir(), &[])).unwrap();
    assert_eq!(s.worlds.tick_priority, server::game::TickPriority::Realtime);
    let dir = temp_dir();
    std::fs::write(
        dir.join("game.toml"),
        "[worlds]\ntick_priority = \"normal\"\n",
    )
    .unwrap();
    let s = Settings::load(&sources(&dir, &[])).unwrap();
    assert_eq!(s.worlds.tick_priority, server::game::TickPriority::Normal);
    let e = load_err(&[("game.toml", "[worlds]\ntick_priority = \"max\"\n")], &[]);
    assert!(
        e.contains("\"max\"") && e.contains("\"realtime\", \"high\" or \"normal\""),
        "{e}"
    );
}

#[test]
fn a_broken_file_is_an_error_naming_the_file_and_line() {
    let e = load_err(
        &[("logging.toml", "[logging]\nlevel = \"info\"\nformat = \n")],
        &[],
    );
    assert!(e.contains("logging.toml") && e.contains("line 3"), "{e}");
}

#[test]
fn every_problem_gets_its_own_message() {
    let e = load_err(
        &[],
        &[
            ("SERVER_PORT", "8081"),
            ("GAME_TICK_RATE", "0"),
            ("COMPRESSION_LEVEL", "12"),
            ("SERVER_ENV", "production"),
        ],
    );
    assert!(
        e.contains("server.port and server.ws_port are both 8081"),
        "{e}"
    );
    assert!(e.contains("tick_rate must be 1..=240, got 0"), "{e}");
    assert!(
        e.contains("COMPRESSION_LEVEL) must be 0..=9, got 12"),
        "{e}"
    );
    assert!(
        e.contains("JWT_SECRET is not set; it is required when SERVER_ENV=production"),
        "{e}"
    );
    assert_eq!(e.matches("\n  - ").count(), 4, "{e}");
}

#[test]
fn bad_units_and_types_name_the_variable() {
    let e = load_err(&[], &[("JWT_EXPIRES_IN", "24 hours")]);
    assert!(
        e.contains("JWT_EXPIRES_IN") && e.contains("unknown duration unit"),
        "{e}"
    );
    let e = load_err(&[], &[("LOG_MAX_SIZE", "100 parsecs")]);
    assert!(
        e.contains("LOG_MAX_SIZE") && e.contains("unknown size unit"),
        "{e}"
    );
    let e = load_err(&[], &[("GAME_TICK_RATE", "fast")]);
    assert!(e.contains("GAME_TICK_RATE"), "{e}");
    let e = load_err(&[], &[("LOG_FORMAT", "xml")]);
    assert!(e.contains("LOG_FORMAT"), "{e}");
}

#[test]
fn print_config_masks_secrets() {
    let s = Settings::load(&sources(
        &temp_dir(),
        &[
            ("JWT_SECRET", "super-secret-jwt-key"),
            ("DB_PASSWORD", "hunter2"),
            ("DATABASE_URL", "postgres://u:pw-in-url@db/n"),
        ],
    ))
    .unwrap();
    let text = s.to_masked_toml().unwrap();
    for secret in ["super-secret-jwt-key", "hunter2", "pw-in-url"] {
        assert!(!text.contains(secret), "{secret} leaked:\n{text}");
    }
    assert!(text.contains("postgres://u:********@db/n"), "{text}");
    // The printed configuration loads back (secrets aside) into the same settings.
    let dir = temp_dir();
    std::fs::write(dir.join("server.toml"), &text).unwrap();
    let back = Settings::load_unvalidated(&sources(&dir, &[])).unwrap();
    assert_eq!(back.server.port, s.server.port);
    assert_eq!(back.logging.max_size, s.logging.max_size);
}
