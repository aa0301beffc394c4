//! The binary's command line: help, print-config with secrets masked, the migration
//! commands on a fresh SQLite file, and refusing to start with an example secret.
#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly by design.

use std::path::PathBuf;
use std::process::{Command, Output};

fn dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("kindling-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn server(dir: &PathBuf, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_server"));
    cmd.current_dir(dir)
        .env_clear()
        .env("KINDLING_CONFIG_DIR", dir)
        .args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn help_lists_the_commands() {
    let d = dir("help");
    let o = server(&d, &["--help"], &[]);
    assert!(o.status.success());
    for word in ["migrate", "print-config", "run", "--config-dir"] {
        assert!(text(&o).contains(word), "{word} missing:\n{}", text(&o));
    }
}

#[test]
fn print_config_masks_secrets_and_shows_overrides() {
    let d = dir("print");
    let o = server(
        &d,
        &["print-config"],
        &[
            ("JWT_SECRET", "a-very-secret-signing-key-0123456789"),
            ("DB_PASSWORD", "pw-123"),
            ("SERVER_PORT", "9999"),
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("port = 9999"), "{out}");
    assert!(
        !out.contains("a-very-secret") && !out.contains("pw-123"),
        "{out}"
    );
    assert!(out.contains("********"), "{out}");
}

#[test]
fn migrate_up_status_and_down_on_sqlite() {
    let d = dir("migrate");
    let url = format!("sqlite://{}", d.join("k.db").display());
    let env = [("DATABASE_URL", url.as_str())];
    let o = server(&d, &["migrate", "up"], &env);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("applied"), "{}", text(&o));
    let o = server(&d, &["migrate", "status"], &env);
    assert!(o.status.success(), "{}", text(&o));
    assert!(!text(&o).contains("pending"), "{}", text(&o));
    let o = server(&d, &["migrate", "down", "1"], &env);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("reverted"), "{}", text(&o));
    let o = server(&d, &["migrate", "status"], &env);
    assert_eq!(text(&o).matches("pending").count(), 1, "{}", text(&o));
}

#[test]
fn production_refuses_the_example_secret_and_names_every_problem() {
    let d = dir("refuse");
    std::fs::write(d.join("game.toml"), "[game]\ntick_rate = 0\n").unwrap();
    let o = server(
        &d,
        &[],
        &[
            ("SERVER_ENV", "production"),
            ("JWT_SECRET", "your_very_secure_random_string_here"),
        ],
    );
    assert!(!o.status.success());
    let t = text(&o);
    assert!(t.contains("JWT_SECRET is the example value"), "{t}");
    assert!(t.contains("tick_rate must be 1..=240, got 0"), "{t}");
    let o = server(
        &d,
        &[],
        &[
            ("SERVER_ENV", "production"),
            ("GAME_TICK_RATE", "20"),
            ("LOG_MAX_SIZE", "big"),
        ],
    );
    assert!(!o.status.success());
    assert!(text(&o).contains("LOG_MAX_SIZE"), "{}", text(&o));
}
