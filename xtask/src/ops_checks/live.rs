//! The real server binary under the ops kit: started by `startup.sh`, watched by
//! `monitor.sh`, its /metrics linted by `promtool check metrics`, stopped by `shutdown.sh`
//! (SQLite in a temporary folder); and `entrypoint.sh` + `migrate.sh` against a throwaway
//! PostgreSQL database, followed by the backup round trip on the server's own schema.
//!
//! Every process started here is ended by its own pid, also when a check fails.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use super::database::{Postgres, Throwaway, fingerprint, round_trip};
use super::monitoring::GAME_METRICS;
use super::tools::{Tools, capture, expect_failure};
use crate::cmd;

/// How long the server may take to answer /health after start (debug build, busy machine).
const START_TIMEOUT: Duration = Duration::from_secs(60);
/// How long the server may take to save and exit after SIGTERM.
const STOP_TIMEOUT: Duration = Duration::from_secs(30);

/// The counters whose names the seed fixed without promtool's `_total` suffix.
const SEED_COUNTERS_WITHOUT_TOTAL: &[&str] =
    &["game_network_bytes_received", "game_network_bytes_sent"];

/// Builds the server (debug) and returns the binary's path.
fn server_binary() -> Result<PathBuf> {
    cmd::run("cargo", &["build", "--quiet", "-p", "server"])?;
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| cmd::root().join("target"));
    let bin = target.join("debug").join("server");
    if !bin.exists() {
        bail!("cargo build -p server produced no {}", bin.display());
    }
    Ok(bin)
}

fn free_port() -> Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// Ports and environment of one server instance.
struct Instance {
    http: u16,
    metrics: u16,
    dir: PathBuf,
}

impl Instance {
    fn new(tools: &Tools, label: &str) -> Result<Instance> {
        let dir = tools.scratch.join(format!("server-{label}"));
        std::fs::create_dir_all(dir.join("config"))?;
        Ok(Instance {
            http: free_port()?,
            metrics: free_port()?,
            dir,
        })
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.http)
    }

    fn metrics_url(&self) -> String {
        format!("http://127.0.0.1:{}/metrics", self.metrics)
    }

    /// The server's environment: loopback, free ports, an empty config folder, no .env
    /// from the repository (the working directory is the instance's folder).
    fn configure(&self, command: &mut Command, server_bin: &Path) -> Result<()> {
        command
            .current_dir(&self.dir)
            .env("SERVER_BIN", server_bin)
            .env("ENV_FILE", "/dev/null")
            .env("SERVER_HOST", "127.0.0.1")
            .env("SERVER_PORT", self.http.to_string())
            .env("SERVER_WS_PORT", free_port()?.to_string())
            .env("METRICS_ADDR", format!("127.0.0.1:{}", self.metrics))
            .env("METRICS_PORT", self.metrics.to_string())
            .env("KINDLING_CONFIG_DIR", self.dir.join("config"))
            .env("SERVER_ENV", "development")
            .env("JWT_SECRET", "ops-check-secret-ops-check-secret-0123456789")
            .env("LOG_FORMAT", "json")
            .env("LOG_FILE", "")
            .env("PID_FILE", self.dir.join("server.pid"))
            .env("SERVER_LOG", self.dir.join("server.out"))
            .env_remove("DB_HOST")
            .env_remove("RUST_LOG");
        Ok(())
    }

    fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(self.dir.join("server.out")).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(20)..].join("\n")
    }
}

/// HTTP status of a GET (0 when nothing answers).
fn status(url: &str) -> u16 {
    Command::new("curl")
        .args([
            "-s",
            "-o",
            "/dev/null",
            "-w",
            "%{http_code}",
            "--max-time",
            "2",
            url,
        ])
        .stdin(Stdio::null())
        .output()
        .ok()
        .and_then(|o| String::from_utf8_lossy(&o.stdout).trim().parse().ok())
        .unwrap_or(0)
}

/// Polls `ready` until it holds or `timeout` passes.
fn wait_for(what: &str, timeout: Duration, mut ready: impl FnMut() -> Result<bool>) -> Result<()> {
    let deadline = Instant::now() + timeout;
    loop {
        if ready()? {
            return Ok(());
        }
        if Instant::now() >= deadline {
            bail!("timed out after {timeout:?} waiting for {what}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// A process started here, killed (by its pid) if still running when dropped.
struct Owned(Child);

impl Drop for Owned {
    fn drop(&mut self) {
        if let Ok(None) = self.0.try_wait() {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
}

/// The pid in a pid file written by startup.sh, to end that server if a check fails.
struct PidFile(PathBuf);

impl Drop for PidFile {
    fn drop(&mut self) {
        if let Ok(pid) = std::fs::read_to_string(&self.0) {
            let pid = pid.trim();
            if !pid.is_empty() && pid.chars().all(|c| c.is_ascii_digit()) {
                let _ = Command::new("kill").args(["-KILL", pid]).status();
            }
        }
    }
}

/// startup.sh -> monitor.sh -> promtool check metrics -> shutdown.sh, on SQLite.
pub fn lifecycle(tools: &Tools) -> Result<String> {
    let bin = server_binary()?;
    let root = cmd::root();
    let instance = Instance::new(tools, "sqlite")?;
    let script = |name: &str| -> Result<Command> {
        let mut command = Command::new(root.join("ops/scripts").join(name));
        instance.configure(&mut command, &bin)?;
        command.env(
            "DATABASE_URL",
            format!("sqlite://{}", instance.dir.join("kindling.db").display()),
        );
        Ok(command)
    };
    let _guard = PidFile(instance.dir.join("server.pid"));
    capture(script("startup.sh")?.args(["--target", "local", "--timeout", "60"]))
        .with_context(|| format!("startup.sh; server output:\n{}", instance.log_tail()))?;

    // Let a few ticks happen so the tick histogram has data: wait for it in /metrics.
    wait_for("tick metrics", START_TIMEOUT, || {
        Ok(scrape(&instance.metrics_url()).is_ok_and(|m| m.contains("game_tick_duration_seconds")))
    })?;
    let report = capture(script("monitor.sh")?.args([
        "--target",
        "local",
        "--url",
        &instance.url(""),
        "--metrics-url",
        &instance.metrics_url(),
    ]))
    .context("monitor.sh against a healthy server")?;
    for expected in [
        "health:          ok",
        "ready:           ok",
        "players online:  0",
    ] {
        if !report.contains(expected) {
            bail!("monitor.sh output lacks {expected:?}:\n{report}");
        }
    }
    if report.contains("tick p95:        n/a") {
        bail!("monitor.sh found no tick p95:\n{report}");
    }

    let metrics = scrape(&instance.metrics_url())?;
    let lint = lint_metrics(tools, &metrics)?;

    // A second start is refused while the first server runs.
    let (code, text) = expect_failure(script("startup.sh")?.args(["--target", "local"]))?;
    if code != Some(1) || !text.contains("already running") {
        bail!("a second startup.sh should refuse with 'already running', got {code:?}: {text}");
    }

    capture(script("shutdown.sh")?.args(["--target", "local", "--grace", "30"]))
        .with_context(|| format!("shutdown.sh; server output:\n{}", instance.log_tail()))?;
    if status(&instance.url("/health")) != 0 {
        bail!("the server still answers after shutdown.sh");
    }
    // Stopped: monitor.sh reports it (exit 1), a second shutdown.sh says nothing runs.
    let (code, text) = expect_failure(script("monitor.sh")?.args([
        "--target",
        "local",
        "--url",
        &instance.url(""),
        "--metrics-url",
        &instance.metrics_url(),
    ]))?;
    if code != Some(1) || !text.contains("health:          FAILING") {
        bail!("monitor.sh on a stopped server: expected exit 1 and FAILING, got {code:?}: {text}");
    }
    let (code, text) = expect_failure(script("shutdown.sh")?.args(["--target", "local"]))?;
    if code != Some(1) || !text.contains("no pid file") {
        bail!("shutdown.sh with nothing running: expected a clear error, got {code:?}: {text}");
    }
    let p95 = report
        .lines()
        .find(|l| l.starts_with("tick p95"))
        .unwrap_or("")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    Ok(format!(
        "started (a second start refused), monitored ({p95}), {lint}, stopped gracefully, seen stopped"
    ))
}

fn scrape(url: &str) -> Result<String> {
    capture(Command::new("curl").args(["-fsS", "--max-time", "5", url]))
}

/// `promtool check metrics` on a live scrape; only the seed's two counters without `_total`
/// are accepted as lint findings. Also: every `game_*` metric is one the dashboards and
/// alerts know, and the tick duration is a histogram (the queries use its buckets).
fn lint_metrics(tools: &Tools, metrics: &str) -> Result<String> {
    let file = tools.scratch.join("metrics.prom");
    std::fs::write(&file, metrics)?;
    let out = Command::new("sh")
        .arg("-c")
        .arg("promtool check metrics < \"$1\" 2>&1")
        .arg("sh")
        .arg(&file)
        .output()?;
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let problems: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .filter(|l| {
            !SEED_COUNTERS_WITHOUT_TOTAL.iter().any(|c| {
                l.starts_with(&format!(
                    "{c} counter metrics should have \"_total\" suffix"
                ))
            })
        })
        .collect();
    match out.status.code() {
        Some(0) | Some(3) if problems.is_empty() => {}
        _ => bail!(
            "promtool check metrics ({}):\n{}",
            out.status,
            problems.join("\n")
        ),
    }
    let mut seen = std::collections::BTreeSet::new();
    for line in metrics.lines() {
        if let Some(rest) = line.strip_prefix("# TYPE ") {
            let mut parts = rest.split_whitespace();
            let (Some(name), Some(kind)) = (parts.next(), parts.next()) else {
                continue;
            };
            if name.starts_with("game_") {
                if !GAME_METRICS.contains(&name) {
                    bail!("the server exports {name}, which the dashboard and alerts do not know");
                }
                if (name == "game_tick_duration_seconds" || name == "game_db_save_seconds")
                    && kind != "histogram"
                {
                    bail!(
                        "{name} is a {kind}; the dashboard and alerts need a histogram (buckets)"
                    );
                }
                seen.insert(name.to_string());
            }
        }
    }
    for needed in ["game_players_online", "game_tick_duration_seconds"] {
        if !seen.contains(needed) {
            bail!("/metrics has no {needed}");
        }
    }
    Ok(format!(
        "promtool check metrics clean ({} game metrics)",
        seen.len()
    ))
}

/// entrypoint.sh for real on PostgreSQL (wait, migrate up, exec: SIGTERM reaches the server
/// and it exits 0), migrate.sh status/down 1/up, then backup -> drop -> restore of the
/// server's own schema with a registered account in it.
pub fn entrypoint_and_migrations(tools: &Tools) -> Result<String> {
    let bin = server_binary()?;
    let root = cmd::root();
    let pg = Postgres::from_env()?;
    let db = Throwaway::create(&pg, "server")?;
    let instance = Instance::new(tools, "postgres")?;
    let url = pg.url(&db.name);

    let log = std::fs::File::create(instance.dir.join("server.out"))?;
    let mut entry = Command::new(root.join("ops/docker/entrypoint.sh"));
    instance.configure(&mut entry, &bin)?;
    entry
        .arg("run")
        .env("DATABASE_URL", &url)
        .env("DB_WAIT_TIMEOUT", "10")
        .stdin(Stdio::null())
        .stdout(log.try_clone()?)
        .stderr(log);
    let mut server = Owned(entry.spawn().context("starting entrypoint.sh")?);
    wait_for("the server's /health", START_TIMEOUT, || {
        if let Some(code) = server.0.try_wait()? {
            bail!(
                "entrypoint.sh exited with {code} before the server was healthy:\n{}",
                instance.log_tail()
            );
        }
        Ok(status(&instance.url("/health")) == 200)
    })?;
    let tables = pg.psql(
        &db.name,
        "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'",
    )?;
    if tables.trim().parse::<u32>().unwrap_or(0) < 3 {
        bail!("entrypoint.sh started the server but the migrations created no tables");
    }
    let body = r#"{"username":"ops_check_user","password":"correct-horse-battery-9"}"#;
    let registered = capture(Command::new("curl").args([
        "-sS",
        "-o",
        "/dev/null",
        "-w",
        "%{http_code}",
        "-H",
        "content-type: application/json",
        "--data",
        body,
        &instance.url("/api/v1/auth/register"),
    ]))?;
    if !registered.starts_with('2') {
        bail!("registering an account answered HTTP {registered}");
    }

    // SIGTERM to the pid we started: it is the server itself (exec), so it saves and exits 0.
    let pid = server.0.id().to_string();
    capture(Command::new("kill").args(["-TERM", &pid]))?;
    let deadline = Instant::now() + STOP_TIMEOUT;
    let exit = loop {
        if let Some(exit) = server.0.try_wait()? {
            break exit;
        }
        if Instant::now() >= deadline {
            bail!("the server did not exit within {STOP_TIMEOUT:?} of SIGTERM");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    if !exit.success() {
        bail!(
            "after SIGTERM the server exited with {exit} (the entrypoint must exec it):\n{}",
            instance.log_tail()
        );
    }
    let players = pg.psql(
        &db.name,
        "SELECT count(*) FROM players WHERE username = 'ops_check_user'",
    )?;
    if players.trim() != "1" {
        bail!("the registered account is not in the players table");
    }

    // migrate.sh: status, down 1 (status changes), up (status as before).
    let migrate = |args: &[&str]| -> Result<String> {
        let mut command = Command::new(root.join("ops/scripts/migrate.sh"));
        instance.configure(&mut command, &bin)?;
        command
            .env("DATABASE_URL", &url)
            .args(["--target", "local"])
            .args(args);
        capture(&mut command)
    };
    let status_before = migrate(&["status"])?;
    let schema_before = fingerprint(&pg, &db.name)?;
    migrate(&["down", "1"])?;
    let status_down = migrate(&["status"])?;
    if status_down == status_before {
        bail!("migrate.sh down 1 changed nothing in `migrate status`:\n{status_down}");
    }
    migrate(&["up"])?;
    let status_after = migrate(&["status"])?;
    if status_after != status_before {
        bail!(
            "after down 1 + up, status differs:\nbefore:\n{status_before}\nafter:\n{status_after}"
        );
    }
    let migrations = status_before
        .lines()
        .filter(|l| !l.trim().is_empty())
        .count();
    let kept = if fingerprint(&pg, &db.name)? == schema_before {
        "data intact"
    } else {
        "last migration's data reset"
    };

    let trip = round_trip(tools, &pg, &db)?;
    Ok(format!(
        "entrypoint migrated + exec'd (SIGTERM -> exit 0), account saved; migrate.sh status/down/up over {migrations} status lines ({kept}); {trip}"
    ))
}
