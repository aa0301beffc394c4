//! Finding a PostgreSQL for the tests, so the PostgreSQL tests always run and never skip.
//!
//! In order: `TEST_DATABASE_URL` if set; else a server on 127.0.0.1:5432 that lets a
//! known role create databases; else a throwaway cluster under the target directory when
//! PostgreSQL's binaries (initdb, pg_ctl) are installed; else a clear error saying what to
//! install. The URL found is passed to `cargo test` as `TEST_DATABASE_URL`.
//! `KINDLING_TEST_PG=cluster` skips the first two, to exercise the throwaway cluster.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use anyhow::{Context, Result, bail};

use crate::cmd;

/// Roles tried on a local server, in order (Debian's superuser, then a root role).
const LOCAL_ROLES: &[&str] = &["postgres", "root"];

const INSTALL_HINT: &str = "the PostgreSQL tests need a PostgreSQL server and found none.\n\
  Do one of:\n\
  - install PostgreSQL: `apt-get install postgresql` (Debian/Ubuntu; its initdb and pg_ctl\n\
    let the tests start a throwaway cluster under target/), or\n\
  - start a server on 127.0.0.1:5432 whose `postgres` role may log in without a password\n\
    from 127.0.0.1 and create databases, or\n\
  - set TEST_DATABASE_URL=postgres://USER[:PASSWORD]@HOST:PORT/postgres (a role with CREATEDB).";

/// A PostgreSQL the tests can use; a throwaway cluster is stopped when this is dropped.
pub struct TestPostgres {
    /// Admin URL of the server (the tests create and drop their own databases there).
    pub url: String,
    cluster: Option<Cluster>,
}

struct Cluster {
    bin: PathBuf,
    data: PathBuf,
    run_as: Option<String>,
}

impl Drop for TestPostgres {
    fn drop(&mut self) {
        if let Some(c) = &self.cluster {
            let data = c.data.display().to_string();
            let _ = pg_command(c, "pg_ctl", &["-D", &data, "-m", "fast", "-w", "stop"]).status();
        }
    }
}

/// `cargo test --workspace` with `TEST_DATABASE_URL` pointing at a PostgreSQL.
pub fn cargo_test() -> Result<()> {
    let pg = find()?;
    eprintln!(
        "$ TEST_DATABASE_URL={} cargo test --workspace",
        redact(&pg.url)
    );
    let status = Command::new("cargo")
        .args(["test", "--workspace"])
        .env("TEST_DATABASE_URL", &pg.url)
        .current_dir(cmd::root())
        .status()
        .context("could not start cargo")?;
    if !status.success() {
        bail!("cargo test --workspace failed with {status}");
    }
    Ok(())
}

/// Finds (or starts) a PostgreSQL for the tests.
pub fn find() -> Result<TestPostgres> {
    let forced_cluster = std::env::var("KINDLING_TEST_PG").is_ok_and(|v| v == "cluster");
    if !forced_cluster {
        if let Some(url) = std::env::var("TEST_DATABASE_URL")
            .ok()
            .filter(|u| !u.trim().is_empty())
        {
            if cmd::have("psql") && !can_create_databases(&url) {
                bail!(
                    "TEST_DATABASE_URL={} does not accept connections or its role cannot create databases",
                    redact(&url)
                );
            }
            eprintln!("postgres: using TEST_DATABASE_URL");
            return Ok(TestPostgres { url, cluster: None });
        }
        if let Some(url) = local_server() {
            eprintln!(
                "postgres: using the server on 127.0.0.1:5432 ({})",
                redact(&url)
            );
            return Ok(TestPostgres { url, cluster: None });
        }
    }
    if let Some(bin) = binaries() {
        return start_cluster(&bin);
    }
    bail!(INSTALL_HINT)
}

fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if url[s + 3..at].contains(':') => {
            let colon = s + 3 + url[s + 3..at].find(':').unwrap_or(0);
            format!("{}:***{}", &url[..colon], &url[at..])
        }
        _ => url.to_owned(),
    }
}

/// The admin URL of a server on 127.0.0.1:5432 that one of [`LOCAL_ROLES`] can use.
fn local_server() -> Option<String> {
    let addr = SocketAddr::from(([127, 0, 0, 1], 5432));
    TcpStream::connect_timeout(&addr, Duration::from_secs(2)).ok()?;
    let candidates = LOCAL_ROLES
        .iter()
        .map(|role| format!("postgres://{role}@127.0.0.1:5432/postgres"));
    if !cmd::have("psql") {
        // Without psql we cannot ask; the tests' own default is the first role.
        return candidates.into_iter().next();
    }
    candidates.into_iter().find(|url| can_create_databases(url))
}

/// Whether `url` connects and its role may create databases.
fn can_create_databases(url: &str) -> bool {
    Command::new("psql")
        .args([
            url,
            "-XtAc",
            "SELECT rolcreatedb OR rolsuper FROM pg_roles WHERE rolname = current_user",
        ])
        .env("PGCONNECT_TIMEOUT", "5")
        .output()
        .is_ok_and(|o| o.status.success() && String::from_utf8_lossy(&o.stdout).trim() == "t")
}

/// The directory holding initdb and pg_ctl: the PATH first, then Debian's versioned
/// directories, newest version first.
fn binaries() -> Option<PathBuf> {
    if cmd::have("initdb") && cmd::have("pg_ctl") {
        let out = cmd::output("sh", &["-c", "command -v pg_ctl"]).ok()?;
        let pg_ctl = std::fs::canonicalize(out.trim()).ok()?;
        return pg_ctl.parent().map(Path::to_path_buf);
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let version = e.file_name().to_str()?.parse::<u32>().ok()?;
            let bin = e.path().join("bin");
            (bin.join("initdb").is_file() && bin.join("pg_ctl").is_file()).then_some((version, bin))
        })
        .collect();
    versions.sort();
    versions.pop().map(|(_, bin)| bin)
}

fn pg_command(cluster: &Cluster, tool: &str, args: &[&str]) -> Command {
    let program = cluster.bin.join(tool);
    match &cluster.run_as {
        // PostgreSQL refuses to run as root; run it as an unprivileged user instead.
        Some(user) => {
            let mut c = Command::new("runuser");
            c.args(["-u", user, "--"]).arg(program).args(args);
            c
        }
        None => {
            let mut c = Command::new(program);
            c.args(args);
            c
        }
    }
}

fn is_root() -> bool {
    cmd::output("id", &["-u"]).is_ok_and(|uid| uid.trim() == "0")
}

/// Initialises (once) and starts a cluster under `<target>/kindling-test-postgres` on a
/// free port, with trust authentication for local connections only.
fn start_cluster(bin: &Path) -> Result<TestPostgres> {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| cmd::root().join("target"));
    let data = target.join("kindling-test-postgres");
    let run_as = if is_root() {
        let user = if cmd::output("id", &["-u", "postgres"]).is_ok() {
            "postgres"
        } else {
            "nobody"
        };
        Some(user.to_owned())
    } else {
        None
    };
    let cluster = Cluster {
        bin: bin.to_path_buf(),
        data: data.clone(),
        run_as: run_as.clone(),
    };
    let data_str = data.display().to_string();
    // A cluster left running by an interrupted run would hold the directory: stop it.
    if data.join("postmaster.pid").exists() {
        let _ = pg_command(
            &cluster,
            "pg_ctl",
            &["-D", &data_str, "-m", "immediate", "stop"],
        )
        .status();
    }
    if !data.join("PG_VERSION").exists() {
        std::fs::create_dir_all(&data).with_context(|| format!("creating {data_str}"))?;
        if let Some(user) = &run_as {
            cmd::run("chown", &[user, &data_str])?;
        }
        eprintln!("postgres: initialising a throwaway cluster in {data_str}");
        let status = pg_command(
            &cluster,
            "initdb",
            &[
                "-D",
                &data_str,
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--no-sync",
            ],
        )
        .stdout(std::process::Stdio::null())
        .status()
        .context("could not run initdb")?;
        if !status.success() {
            bail!("initdb failed with {status}");
        }
    }
    let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let options = format!("-p {port} -k {data_str} -c listen_addresses=127.0.0.1 -c fsync=off");
    let log = data.join("server.log").display().to_string();
    eprintln!("postgres: starting the throwaway cluster on 127.0.0.1:{port}");
    let status = pg_command(
        &cluster,
        "pg_ctl",
        &["-D", &data_str, "-o", &options, "-l", &log, "-w", "start"],
    )
    .status()
    .context("could not run pg_ctl")?;
    if !status.success() {
        bail!("pg_ctl start failed with {status}; see {log}");
    }
    Ok(TestPostgres {
        url: format!("postgres://postgres@127.0.0.1:{port}/postgres"),
        cluster: Some(cluster),
    })
}

/// `cargo xtask postgres`: prints the PostgreSQL the tests would use (and, for a throwaway
/// cluster, proves it accepts connections before stopping it).
pub fn run() -> Result<()> {
    let pg = find()?;
    if cmd::have("psql") && !can_create_databases(&pg.url) {
        bail!("{} does not accept connections", redact(&pg.url));
    }
    println!("TEST_DATABASE_URL={}", redact(&pg.url));
    Ok(())
}
