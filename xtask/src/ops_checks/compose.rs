//! `docker-compose config` on every combination of the compose files, then checks of the
//! resolved configuration (what the validator cannot know: our ports, healthchecks, limits).

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};
use serde_json::Value;

use super::tools::{Tools, capture, expect_failure};
use crate::cmd;

/// Every variable of the seed's .env, with test values.
const TEST_ENV: &str = "\
SERVER_HOST=0.0.0.0
SERVER_PORT=8080
SERVER_WS_PORT=8081
SERVER_ENV=production
DB_HOST=postgres
DB_PORT=5432
DB_NAME=game_db
DB_USER=game_user
DB_PASSWORD=check_password
DB_SSL=false
DB_POOL_SIZE=20
GAME_TICK_RATE=20
GAME_MAX_PLAYERS=100
GAME_WORLD_SIZE=4000
GAME_RESOURCE_RESPAWN_MIN=300
GAME_RESOURCE_RESPAWN_MAX=900
JWT_SECRET=check_secret_check_secret_check_secret
JWT_EXPIRES_IN=24h
RATE_LIMIT_WINDOW=60
RATE_LIMIT_MAX=100
SESSION_TIMEOUT=86400
LOG_LEVEL=info
LOG_FORMAT=json
LOG_FILE=/var/log/game/server.log
LOG_MAX_SIZE=100MB
LOG_MAX_FILES=10
SIMULATION_WORKERS=4
NETWORK_WORKERS=2
COMPRESSION_LEVEL=6
";

/// One combination: a name, the override files after the base (or a standalone file), and
/// whether the monitoring profile is on.
struct Combo {
    name: &'static str,
    files: &'static [&'static str],
    monitoring: bool,
}

const COMBOS: &[Combo] = &[
    Combo {
        name: "base",
        files: &["docker-compose.yml"],
        monitoring: false,
    },
    Combo {
        name: "base+monitoring",
        files: &["docker-compose.yml"],
        monitoring: true,
    },
    Combo {
        name: "dev",
        files: &["docker-compose.yml", "docker-compose.dev.yml"],
        monitoring: false,
    },
    Combo {
        name: "prod",
        files: &["docker-compose.yml", "docker-compose.prod.yml"],
        monitoring: false,
    },
    Combo {
        name: "prod+monitoring",
        files: &["docker-compose.yml", "docker-compose.prod.yml"],
        monitoring: true,
    },
    Combo {
        name: "test",
        files: &["docker-compose.test.yml"],
        monitoring: false,
    },
];

fn compose_command(env_file: &Path, combo: &Combo) -> Command {
    let root = cmd::root();
    let mut command = Command::new("docker-compose");
    command
        .current_dir(&root)
        .args(["-p", "kindling", "--env-file"])
        .arg(env_file);
    for file in combo.files {
        command.arg("-f").arg(root.join("ops/compose").join(file));
    }
    if combo.monitoring {
        command.args(["--profile", "monitoring"]);
    }
    command.arg("config");
    command
}

/// Validates every combination and checks what each must contain.
pub fn check(tools: &Tools) -> Result<String> {
    let env_file = tools.scratch.join("compose-check.env");
    std::fs::write(&env_file, TEST_ENV)?;
    let mut env_files: Vec<PathBuf> = vec![env_file.clone()];
    let example = cmd::root().join("ops/config/.env.example");
    if example.exists() {
        // The documented example must give a valid stack as it is.
        env_files.push(example);
    }
    for env in &env_files {
        for combo in COMBOS {
            let resolved = capture(&mut compose_command(env, combo)).with_context(|| {
                format!("compose combination {} with {}", combo.name, env.display())
            })?;
            let out = tools.scratch.join(format!("compose-{}.yml", combo.name));
            std::fs::write(&out, &resolved)?;
            let docs = tools.yaml_documents(&out)?;
            let config = docs
                .first()
                .context("docker-compose config printed nothing")?;
            check_resolved(combo, config)
                .with_context(|| format!("compose combination {}", combo.name))?;
        }
    }

    // Negative control: without the required secrets the stack must refuse to resolve.
    let no_secrets = tools.scratch.join("compose-no-secrets.env");
    let without: String = TEST_ENV
        .lines()
        .filter(|l| !l.starts_with("DB_PASSWORD=") && !l.starts_with("JWT_SECRET="))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&no_secrets, without)?;
    let (_, text) = expect_failure(&mut compose_command(&no_secrets, &COMBOS[0]))?;
    if !text.contains("set DB_PASSWORD") && !text.contains("set JWT_SECRET") {
        bail!("a stack without DB_PASSWORD/JWT_SECRET failed, but not with our message: {text}");
    }
    Ok(format!(
        "{} combinations x {} env file(s) valid; missing secrets refused",
        COMBOS.len(),
        env_files.len()
    ))
}

fn service<'a>(config: &'a Value, name: &str) -> Result<&'a Value> {
    config["services"]
        .get(name)
        .with_context(|| format!("service {name} missing"))
}

fn publishes(server: &Value, container_port: u64) -> bool {
    server["ports"].as_array().is_some_and(|ports| {
        ports.iter().any(|p| match p {
            Value::String(s) => {
                let s = s.split('/').next().unwrap_or("");
                s.rsplit(':').next() == Some(&container_port.to_string())
            }
            other => other["target"].as_u64() == Some(container_port),
        })
    })
}

fn check_resolved(combo: &Combo, config: &Value) -> Result<()> {
    if combo.name == "test" {
        let tests = service(config, "tests")?;
        let db = service(config, "postgres-test")?;
        if !tests["environment"]["TEST_DATABASE_URL"]
            .as_str()
            .is_some_and(|u| u.contains("@postgres-test:5432/"))
        {
            bail!("tests must get TEST_DATABASE_URL pointing at postgres-test");
        }
        if db["tmpfs"].is_null() {
            bail!("postgres-test must keep its data on tmpfs (throwaway)");
        }
        if db["healthcheck"].is_null() {
            bail!("postgres-test needs a healthcheck");
        }
        return Ok(());
    }
    let server = service(config, "rust-server")?;
    let postgres = service(config, "postgres")?;
    for port in [8080, 8081, 9090] {
        if !publishes(server, port) {
            bail!("rust-server does not publish container port {port}");
        }
    }
    if !postgres["image"]
        .as_str()
        .is_some_and(|i| i.starts_with("postgres:15"))
    {
        bail!("postgres must run postgres:15");
    }
    if server["depends_on"]["postgres"]["condition"].as_str() != Some("service_healthy") {
        bail!("rust-server must wait for a healthy postgres");
    }
    for (name, svc) in [("rust-server", server), ("postgres", postgres)] {
        if svc["healthcheck"]["test"].is_null() {
            bail!("{name} has no healthcheck");
        }
    }
    let init_mount = postgres["volumes"].as_array().is_some_and(|v| {
        v.iter()
            .any(|m| m.to_string().contains("docker-entrypoint-initdb.d"))
    });
    if init_mount {
        bail!("migrations must not be mounted into postgres' init folder: the server runs them");
    }
    if combo.name.starts_with("prod") {
        let deploy = &server["deploy"];
        if deploy["resources"]["limits"]["memory"].is_null()
            || deploy["restart_policy"]["condition"].is_null()
        {
            bail!("prod: rust-server needs resource limits and a restart policy");
        }
        if server["environment"]["SERVER_ENV"].as_str() != Some("production") {
            bail!("prod: SERVER_ENV must be production");
        }
    }
    // docker-compose 1.x prints profile services in any case; what matters is that they
    // belong to the monitoring profile, so a plain `up` does not start them.
    for name in [
        "prometheus",
        "grafana",
        "postgres-exporter",
        "node-exporter",
    ] {
        match config["services"].get(name) {
            Some(svc) => {
                let in_profile = svc["profiles"]
                    .as_array()
                    .is_some_and(|p| p.iter().any(|p| p == "monitoring"));
                if !in_profile {
                    bail!("{name} must only run with the monitoring profile");
                }
            }
            None if combo.monitoring => bail!("{name} missing from the monitoring profile"),
            None => {}
        }
    }
    Ok(())
}
