//! `cargo xtask bots`: the load generator (`crates/loadgen`) and its CI smoke run.
//!
//! - `cargo xtask bots [--debug] <loadgen flags>`: builds and runs `loadgen` (release
//!   unless `--debug`) with the given flags, e.g. `--bots 1000 --duration 60`.
//! - `cargo xtask bots smoke` (also the `bots` step of `cargo xtask test`): builds the
//!   server and loadgen (debug), starts the server on free loopback ports with SQLite
//!   in a temporary directory, plays 50 bots for 10 s, requires every bot to connect
//!   with no protocol error, no drop and /health still OK, then stops the server with
//!   SIGTERM and requires a clean exit.
//! - `cargo xtask bots bench [N…] [-- <loadgen flags>]`: the performance runs of
//!   BENCHMARKS.md (release builds, a fresh server per swarm size, 60 s each).

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::cmd;

/// Bots and seconds of the smoke run.
const SMOKE_BOTS: &str = "50";
const SMOKE_SECONDS: &str = "10";
/// How long the server may take to come up, and to exit after SIGTERM.
const START_TIMEOUT: Duration = Duration::from_secs(60);
const STOP_TIMEOUT: Duration = Duration::from_secs(30);

/// Entry point of `cargo xtask bots …`.
pub fn run(args: &[String]) -> Result<()> {
    match args.first().map(String::as_str) {
        Some("smoke") => smoke(),
        Some("bench") => bench(&args[1..]),
        _ => forward(args),
    }
}

/// Runs loadgen with the caller's flags.
fn forward(args: &[String]) -> Result<()> {
    let debug = args.iter().any(|a| a == "--debug");
    let mut cargo: Vec<&str> = vec!["run", "--quiet", "-p", "loadgen"];
    if !debug {
        cargo.push("--release");
    }
    cargo.push("--");
    cargo.extend(args.iter().map(String::as_str).filter(|a| *a != "--debug"));
    cmd::run("cargo", &cargo)
}

/// The CI smoke run.
pub fn smoke() -> Result<()> {
    cmd::run("cargo", &["build", "-p", "server", "-p", "loadgen"])?;
    let bin_dir = target_dir().join("debug");
    let out = cmd::root().join("target/loadgen/smoke");
    let server = Server::start(&bin_dir, "smoke")?;
    let result = server.loadgen(
        &bin_dir,
        &out,
        &[
            "--bots",
            SMOKE_BOTS,
            "--duration",
            SMOKE_SECONDS,
            "--ramp",
            "2",
            "--label",
            "CI smoke (debug build)",
            "--strict",
            "--quiet",
        ],
    );
    if let Err(e) = result {
        server.guard.dump_log();
        return Err(e.context(format!("the smoke run failed; report in {}", out.display())));
    }
    server.finish()?;
    eprintln!("bots smoke: passed (report in {})", out.display());
    Ok(())
}

/// `cargo xtask bots bench [N…]`: for each swarm size (default 100 500 1000 2000), a
/// fresh release server on the default world and an 80 s run (20 s ramp, then 60 s
/// steady); reports in `target/loadgen/bench-N/`. Extra loadgen flags follow `--`.
pub fn bench(args: &[String]) -> Result<()> {
    let split = args.iter().position(|a| a == "--").unwrap_or(args.len());
    let mut sizes: Vec<&str> = args[..split].iter().map(String::as_str).collect();
    if sizes.is_empty() {
        sizes = vec!["100", "500", "1000", "2000"];
    }
    let extra: Vec<&str> = args
        .get(split + 1..)
        .unwrap_or(&[])
        .iter()
        .map(String::as_str)
        .collect();
    cmd::run(
        "cargo",
        &["build", "--release", "-p", "server", "-p", "loadgen"],
    )?;
    let bin_dir = target_dir().join("release");
    for n in sizes {
        let out = cmd::root().join(format!("target/loadgen/bench-{n}"));
        let server = Server::start(&bin_dir, &format!("bench-{n}"))?;
        let label = format!("release, {n} bots");
        let mut flags = vec![
            "--bots",
            n,
            "--duration",
            "80",
            "--ramp",
            "20",
            "--label",
            &label,
            "--quiet",
        ];
        flags.extend(extra.iter().copied());
        let result = server.loadgen(&bin_dir, &out, &flags);
        server.finish()?;
        result?;
    }
    Ok(())
}

/// A server on free loopback ports with its own SQLite file and config directory.
struct Server {
    guard: ServerGuard,
    work: PathBuf,
    http_port: u16,
    ws_port: u16,
    metrics_port: u16,
}

impl Server {
    fn start(bin_dir: &Path, name: &str) -> Result<Server> {
        let work =
            std::env::temp_dir().join(format!("kindling-bots-{name}-{}", std::process::id()));
        // A previous run with the same pid may have left files; start clean.
        let _ = std::fs::remove_dir_all(&work);
        std::fs::create_dir_all(work.join("config"))?;
        std::fs::create_dir_all(work.join("data"))?;
        // A swarm signs up from one address within seconds: lift the per-IP limits
        // (10 sign-ups a minute by default), which are not what these runs measure.
        // Room for the biggest swarm: 1,000 connections and 100 players per world are
        // the defaults.
        std::fs::write(
            work.join("config/server.toml"),
            "[server]\nmax_connections = 5000\n",
        )?;
        std::fs::write(
            work.join("config/security.toml"),
            "[security]\nrate_limit_max = 1000000\nauth_rate_limit_max = 1000000\n",
        )?;
        let http_port = free_port()?;
        let ws_port = free_port()?;
        let metrics_port = free_port()?;
        eprintln!(
            "bots: server on http {http_port}, ws {ws_port}, metrics {metrics_port}, files in {}",
            work.display()
        );
        let log = std::fs::File::create(work.join("server.log"))?;
        let child = Command::new(bin_dir.join("server"))
            .current_dir(&work)
            .env("KINDLING_CONFIG_DIR", work.join("config"))
            .env("SERVER_HOST", "127.0.0.1")
            .env("SERVER_PORT", http_port.to_string())
            .env("SERVER_WS_PORT", ws_port.to_string())
            .env("METRICS_ADDR", format!("127.0.0.1:{metrics_port}"))
            .env("SERVER_ENV", "development")
            .env("GAME_MAX_PLAYERS", "5000")
            .env_remove("DATABASE_URL")
            .env_remove("DB_HOST")
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .context("starting the server binary")?;
        let mut guard = ServerGuard {
            child: Some(child),
            log: work.join("server.log"),
        };
        wait_for_health(&mut guard, http_port)?;
        Ok(Server {
            guard,
            work,
            http_port,
            ws_port,
            metrics_port,
        })
    }

    /// Runs loadgen against this server with `flags` plus the addresses and pid, at a
    /// lower scheduling priority (`nice -n 10`): the bots stand for clients on other
    /// machines, so on a shared box they take the CPU the server leaves.
    fn loadgen(&self, bin_dir: &Path, out: &Path, flags: &[&str]) -> Result<()> {
        let loadgen = bin_dir.join("loadgen");
        let mut args: Vec<String> = vec![
            "-n".into(),
            "10".into(),
            loadgen
                .to_str()
                .context("non-UTF-8 target path")?
                .to_owned(),
        ];
        args.extend(flags.iter().map(|s| (*s).to_owned()));
        args.extend([
            "--server".into(),
            format!("ws://127.0.0.1:{}", self.ws_port),
            "--http".into(),
            format!("http://127.0.0.1:{}", self.http_port),
            "--metrics".into(),
            format!("http://127.0.0.1:{}/metrics", self.metrics_port),
            "--server-pid".into(),
            self.guard.pid().to_string(),
            "--out".into(),
            out.to_str().context("non-UTF-8 output path")?.to_owned(),
        ]);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        cmd::run("nice", &args)
    }

    /// Checks /health, stops the server with SIGTERM and removes its files.
    fn finish(mut self) -> Result<()> {
        let status = health(self.http_port).context("/health after the run")?;
        if status != 200 {
            self.guard.dump_log();
            bail!("/health answered {status} after the run");
        }
        self.guard.terminate()?;
        let _ = std::fs::remove_dir_all(&self.work);
        Ok(())
    }
}

/// The server process, killed if the smoke run ends early for any reason.
struct ServerGuard {
    child: Option<Child>,
    log: PathBuf,
}

impl ServerGuard {
    fn pid(&self) -> u32 {
        self.child.as_ref().map_or(0, Child::id)
    }

    /// Whether the server has exited (with its status).
    fn exited(&mut self) -> Option<std::process::ExitStatus> {
        self.child
            .as_mut()
            .and_then(|c| c.try_wait().ok().flatten())
    }

    /// SIGTERM, then wait for a zero exit status.
    fn terminate(&mut self) -> Result<()> {
        let Some(mut child) = self.child.take() else {
            return Ok(());
        };
        cmd::run("kill", &["-TERM", &child.id().to_string()])?;
        let deadline = Instant::now() + STOP_TIMEOUT;
        loop {
            if let Some(status) = child.try_wait()? {
                if !status.success() {
                    self.dump_log();
                    bail!("the server exited with {status} after SIGTERM");
                }
                return Ok(());
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                let _ = child.wait();
                self.dump_log();
                bail!("the server did not exit within {STOP_TIMEOUT:?} of SIGTERM");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn dump_log(&self) {
        if let Ok(text) = std::fs::read_to_string(&self.log) {
            let tail: Vec<&str> = text.lines().rev().take(40).collect();
            eprintln!("--- last lines of {} ---", self.log.display());
            for line in tail.iter().rev() {
                eprintln!("{line}");
            }
        }
    }
}

impl Drop for ServerGuard {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Polls /health until it answers 200, failing early if the server exits.
fn wait_for_health(server: &mut ServerGuard, port: u16) -> Result<()> {
    let deadline = Instant::now() + START_TIMEOUT;
    loop {
        if let Some(status) = server.exited() {
            server.dump_log();
            bail!("the server exited during start-up with {status}");
        }
        if matches!(health(port), Ok(200)) {
            return Ok(());
        }
        if Instant::now() > deadline {
            server.dump_log();
            bail!("the server's /health did not answer 200 within {START_TIMEOUT:?}");
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// `GET /health` over a plain HTTP/1.0 exchange; returns the status code.
fn health(port: u16) -> Result<u16> {
    let mut s = TcpStream::connect(("127.0.0.1", port))?;
    s.set_read_timeout(Some(Duration::from_secs(5)))?;
    s.write_all(b"GET /health HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")?;
    let mut answer = String::new();
    s.read_to_string(&mut answer)?;
    answer
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .with_context(|| format!("not an HTTP answer: {:?}", answer.lines().next()))
}

/// A port nobody listens on right now (the OS picks it; released before use).
fn free_port() -> Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map_or_else(|| cmd::root().join("target"), |p| absolute(&p))
}

fn absolute(p: &Path) -> PathBuf {
    if p.is_absolute() {
        p.to_path_buf()
    } else {
        cmd::root().join(p)
    }
}
