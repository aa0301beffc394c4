//! The command line.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// Kindling: a server-authoritative multiplayer survival game server.
///
/// Settings come from built-in defaults, then `server.toml`, `game.toml`, `logging.toml`
/// and `security.toml` in the configuration directory, then a `.env` file, then the
/// environment (SERVER_PORT, DATABASE_URL, JWT_SECRET, …; see ops/config/.env.example).
#[derive(Debug, Parser)]
#[command(name = "server", version, about, long_about = None)]
pub struct Cli {
    /// Directory holding the TOML configuration files.
    #[arg(
        long,
        global = true,
        env = "KINDLING_CONFIG_DIR",
        default_value = "config"
    )]
    pub config_dir: PathBuf,
    /// What to do; without a command the server runs.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the game server (the default).
    Run,
    /// Apply, revert or list database migrations, then exit.
    Migrate {
        /// What to do with the migrations (default: up).
        #[command(subcommand)]
        action: Option<MigrateAction>,
    },
    /// Print the effective configuration as TOML with secrets masked, then exit.
    PrintConfig,
}

/// `server migrate` actions.
#[derive(Debug, Clone, Copy, Subcommand)]
pub enum MigrateAction {
    /// Apply every pending migration.
    Up,
    /// Revert the last N applied migrations.
    Down {
        /// How many to revert.
        #[arg(default_value_t = 1)]
        n: u32,
    },
    /// List migrations and whether each is applied.
    Status,
}
