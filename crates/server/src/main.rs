//! The `server` binary: parses the command line, loads the settings, and runs the
//! server, a migration command or `print-config`.
//!
//! Memory comes from jemalloc, with the settings `.cargo/config.toml` compiles in (two
//! arenas, freed pages returned within 200 ms by a background thread). Against glibc's
//! malloc with 1,000 bots it cut the tick's p99 from ~4.9 to ~3.0 ms and the resident
//! memory per connection by ~13 % (BENCHMARKS.md, "The allocator").

use std::process::ExitCode;

#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

use anyhow::{Context, Result};
use clap::Parser;
use persistence::{Database, migrations};
use server::cli::{Cli, Command, MigrateAction};
use server::settings::{Settings, Sources};
use server::{app, telemetry};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<()> {
    let sources = Sources::from_process(cli.config_dir.clone())?;
    match cli.command.unwrap_or(Command::Run) {
        Command::PrintConfig => {
            let settings = Settings::load_unvalidated(&sources)?;
            print!("{}", settings.to_masked_toml()?);
            for p in settings.problems() {
                eprintln!("warning: {p}");
            }
            Ok(())
        }
        Command::Migrate { action } => {
            // Migrations need only the database settings, so a missing JWT secret does
            // not stop them (the entrypoint runs them before the server).
            let settings = Settings::load_unvalidated(&sources)?;
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            rt.block_on(migrate(&settings, action.unwrap_or(MigrateAction::Up)))
        }
        Command::Run => {
            let settings = Settings::load(&sources)?;
            telemetry::init_logging(&settings.logging)?;
            let workers = network_workers(&settings);
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(workers)
                .thread_name("net")
                .thread_keep_alive(BLOCKING_KEEP_ALIVE)
                .enable_all()
                .build()
                .context("starting the network runtime")?;
            rt.block_on(serve(settings))
        }
    }
}

/// How long an idle thread of the blocking pool (database calls, password hashing)
/// waits for more work before it exits (tokio's default is 10 s). A burst — a crowd
/// signing up, an autosave — starts many; each idle one keeps the memory it freed in
/// its allocator cache until it exits: ~0.3 MiB a thread, 8 MiB for 12 s after each
/// autosave with 2,000 bots (BENCHMARKS.md).
const BLOCKING_KEEP_ALIVE: std::time::Duration = std::time::Duration::from_secs(1);

/// Tokio workers: `NETWORK_WORKERS`, else `[server] worker_threads`, else the cores
/// the world threads leave: each world's tick thread gets a core of its own so that
/// socket work cannot delay a tick (at least one worker).
fn network_workers(settings: &Settings) -> usize {
    match (
        settings.performance.network_workers,
        settings.server.worker_threads,
    ) {
        (0, 0) => {
            let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
            cores.saturating_sub(settings.worlds.count as usize).max(1)
        }
        (0, w) => w as usize,
        (n, _) => n as usize,
    }
}

async fn serve(settings: Settings) -> Result<()> {
    let db_config = server::database::config(&settings.database)?;
    tracing::info!(database = %db_config.target.redacted(), "connecting to the database");
    let db = Database::connect(&db_config)
        .await
        .context("opening the database")?;
    let listeners = app::Listeners::bind(&settings).await?;
    app::serve(settings, listeners, db, shutdown_signal()).await
}

async fn migrate(settings: &Settings, action: MigrateAction) -> Result<()> {
    let db_config = server::database::config(&settings.database)?;
    let db = Database::open_unmigrated(&db_config)
        .await
        .context("opening the database")?;
    match action {
        MigrateAction::Up => {
            let applied = migrations::run_pending(&db).await?;
            if applied.is_empty() {
                println!("no pending migrations");
            }
            for m in applied {
                println!("applied {m}");
            }
        }
        MigrateAction::Down { n } => {
            for m in migrations::revert(&db, n as usize).await? {
                println!("reverted {m}");
            }
        }
        MigrateAction::Status => {
            let status = migrations::status(&db).await?;
            for m in &status.applied {
                println!("applied  {m}");
            }
            for m in &status.pending {
                println!("pending  {m}");
            }
        }
    }
    db.close();
    Ok(())
}

/// Completes on the first SIGTERM or ctrl-c; a second one exits at once.
async fn shutdown_signal() {
    wait_for_signal().await;
    tracing::info!("signal received; shutting down gracefully (send it again to exit at once)");
    tokio::spawn(async {
        wait_for_signal().await;
        eprintln!("second signal: exiting immediately");
        std::process::exit(130);
    });
}

async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = term.recv() => {}
                    _ = tokio::signal::ctrl_c() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
