//! Player progress (`sim_core::PlayerProgress`): load one, save many in one batched upsert.

use std::borrow::Borrow;
use std::collections::BTreeMap;

use diesel::prelude::*;
use sim_core::{PlayerProgress, SavedStack, Vec2};

use crate::accounts::AccountId;
use crate::clock;
use crate::config::Backend;
use crate::database::{Database, with_conn};
use crate::error::{PersistenceError, Result};
use crate::schema::player_progress;
use crate::upsert::UpsertProgress;

/// Rows per upsert statement on PostgreSQL, where the batch travels as one array per
/// column; the bound keeps one statement's memory modest.
pub const POSTGRES_ROWS_PER_STATEMENT: usize = 10_000;
/// Rows per upsert statement on SQLite (at most 32,766 bound parameters in 3.32+; a
/// row has 19). Kept small: SQLite compiles a statement to a program of about 1.5 KiB
/// per row, which at 1,000 rows held more memory during each autosave than the game
/// server's connections did; a few more statements cost it nothing measurable.
pub const SQLITE_ROWS_PER_STATEMENT: usize = 100;
/// Largest inventory or equipment JSON accepted from the database, so one bad row cannot
/// make the server allocate without bound.
pub const MAX_ITEMS_JSON_BYTES: usize = 1 << 20;

#[derive(Queryable, Selectable, Insertable, Debug, Clone)]
#[diesel(table_name = player_progress)]
pub(crate) struct ProgressRow {
    pub(crate) player_id: i64,
    pub(crate) format_version: i32,
    pub(crate) level: i32,
    pub(crate) xp: i64,
    pub(crate) kills: i64,
    pub(crate) deaths: i64,
    pub(crate) playtime_s: i64,
    pub(crate) gathered: i64,
    pub(crate) crafted: i64,
    pub(crate) pos_x: Option<f64>,
    pub(crate) pos_y: Option<f64>,
    pub(crate) health: f64,
    pub(crate) hunger: f64,
    pub(crate) thirst: f64,
    pub(crate) stamina: f64,
    pub(crate) inventory: String,
    pub(crate) equipment: String,
    pub(crate) team: Option<String>,
    pub(crate) updated_at: time::PrimitiveDateTime,
}

/// What a batched save did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SaveReport {
    /// Rows written.
    pub saved: usize,
    /// Accounts that no longer exist; their progress was dropped, not written, so one
    /// deleted account cannot block everybody else's saves.
    pub unknown_accounts: Vec<AccountId>,
}

fn saturating_i64(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

fn saturating_i32(v: u32) -> i32 {
    i32::try_from(v).unwrap_or(i32::MAX)
}

fn encode_items(what: &'static str, items: &[Option<SavedStack>]) -> Result<String> {
    serde_json::to_string(items).map_err(|e| PersistenceError::Encode {
        what,
        reason: e.to_string(),
    })
}

impl ProgressRow {
    fn from_progress(
        account: AccountId,
        p: &PlayerProgress,
        now: time::PrimitiveDateTime,
    ) -> Result<Self> {
        Ok(Self {
            player_id: account.0,
            // Rows are always written in the current layout, whatever `p.version` says.
            format_version: saturating_i32(PlayerProgress::VERSION),
            level: saturating_i32(p.level),
            xp: saturating_i64(p.xp),
            kills: i64::from(p.kills),
            deaths: i64::from(p.deaths),
            playtime_s: saturating_i64(p.playtime_s),
            gathered: saturating_i64(p.gathered),
            crafted: saturating_i64(p.crafted),
            pos_x: p.position.map(|v| f64::from(v.x)),
            pos_y: p.position.map(|v| f64::from(v.y)),
            health: f64::from(p.health),
            hunger: f64::from(p.hunger),
            thirst: f64::from(p.thirst),
            stamina: f64::from(p.stamina),
            inventory: encode_items("inventory", &p.inventory)?,
            equipment: encode_items("equipment", &p.equipment)?,
            team: p.team.clone(),
            updated_at: now,
        })
    }

    /// Reads a row back, refusing (with a typed error) what this build cannot trust.
    fn into_progress(self) -> Result<PlayerProgress> {
        let key = self.player_id.to_string();
        let corrupt = |reason: String| PersistenceError::corrupt("player_progress", &key, reason);
        let version = u32::try_from(self.format_version)
            .ok()
            .filter(|v| *v >= 1)
            .ok_or_else(|| corrupt(format!("format version {}", self.format_version)))?;
        if version > PlayerProgress::VERSION {
            return Err(PersistenceError::UnsupportedFormat {
                table: "player_progress",
                key: key.clone(),
                found: self.format_version,
                supported: PlayerProgress::VERSION,
            });
        }
        let count_u32 = |name: &str, v: i64| {
            u32::try_from(v).map_err(|_| corrupt(format!("{name} = {v} is out of range")))
        };
        let count_u64 = |name: &str, v: i64| {
            u64::try_from(v).map_err(|_| corrupt(format!("{name} = {v} is negative")))
        };
        let meter = |name: &str, v: f64| {
            if v.is_finite() {
                // Meters are 0..=100 in the game; clamp rather than reject small drift.
                Ok(v.clamp(0.0, 100.0) as f32)
            } else {
                Err(corrupt(format!("{name} is {v}")))
            }
        };
        let position = match (self.pos_x, self.pos_y) {
            (Some(x), Some(y)) if x.is_finite() && y.is_finite() => Some(Vec2 {
                x: x as f32,
                y: y as f32,
            }),
            // A half or non-finite position is useless: spawn somewhere safe instead.
            _ => None,
        };
        let items = |name: &str, text: &str| -> Result<Vec<Option<SavedStack>>> {
            if text.len() > MAX_ITEMS_JSON_BYTES {
                return Err(corrupt(format!("{name} JSON is {} bytes", text.len())));
            }
            serde_json::from_str(text).map_err(|e| corrupt(format!("{name} JSON: {e}")))
        };
        Ok(PlayerProgress {
            version: PlayerProgress::VERSION,
            xp: count_u64("xp", self.xp)?,
            level: u32::try_from(self.level)
                .ok()
                .filter(|l| *l >= 1)
                .ok_or_else(|| corrupt(format!("level = {}", self.level)))?,
            position,
            health: meter("health", self.health)?,
            hunger: meter("hunger", self.hunger)?,
            thirst: meter("thirst", self.thirst)?,
            stamina: meter("stamina", self.stamina)?,
            inventory: items("inventory", &self.inventory)?,
            equipment: items("equipment", &self.equipment)?,
            team: self.team,
            playtime_s: count_u64("playtime_s", self.playtime_s)?,
            deaths: count_u32("deaths", self.deaths)?,
            kills: count_u32("kills", self.kills)?,
            gathered: count_u64("gathered", self.gathered)?,
            crafted: count_u64("crafted", self.crafted)?,
        })
    }
}

/// The progress repository (from [`Database::progress`]).
#[derive(Debug, Clone)]
pub struct ProgressStore {
    db: Database,
}

impl ProgressStore {
    pub(crate) fn new(db: Database) -> Self {
        Self { db }
    }

    /// Players one upsert statement saves at most on this database
    /// ([`POSTGRES_ROWS_PER_STATEMENT`] or [`SQLITE_ROWS_PER_STATEMENT`]).
    pub fn rows_per_statement(&self) -> usize {
        match self.db.backend() {
            Backend::Postgres => POSTGRES_ROWS_PER_STATEMENT,
            Backend::Sqlite => SQLITE_ROWS_PER_STATEMENT,
        }
    }

    /// The saved progress of an account, `None` if it never saved. A row this build cannot
    /// read is [`PersistenceError::CorruptRow`] or [`PersistenceError::UnsupportedFormat`];
    /// the caller decides whether to start the player fresh.
    pub async fn load(&self, account: AccountId) -> Result<Option<PlayerProgress>> {
        let row: Option<ProgressRow> = with_conn!(&self.db, conn => {
            player_progress::table
                .find(account.0)
                .select(ProgressRow::as_select())
                .first(conn)
                .optional()
                .map_err(PersistenceError::from)
        })?;
        row.map(ProgressRow::into_progress).transpose()
    }

    /// Saves one player (see [`ProgressStore::save_many`]).
    pub async fn save(&self, account: AccountId, progress: &PlayerProgress) -> Result<SaveReport> {
        self.save_many(&[(account, progress.clone())]).await
    }

    /// Saves many players atomically: one `INSERT … ON CONFLICT (player_id) DO UPDATE` per
    /// chunk of up to [`POSTGRES_ROWS_PER_STATEMENT`] rows (SQLite:
    /// [`SQLITE_ROWS_PER_STATEMENT`]), several chunks in one transaction. If an account
    /// appears twice, its last entry wins; accounts that do not exist are skipped and
    /// reported.
    pub async fn save_many<P: Borrow<PlayerProgress>>(
        &self,
        batch: &[(AccountId, P)],
    ) -> Result<SaveReport> {
        if batch.is_empty() {
            return Ok(SaveReport::default());
        }
        let now = clock::now();
        // Deduplicate: one statement may not update the same row twice.
        let mut by_account: BTreeMap<i64, ProgressRow> = BTreeMap::new();
        for (account, progress) in batch {
            by_account.insert(
                account.0,
                ProgressRow::from_progress(*account, progress.borrow(), now)?,
            );
        }
        let batch_ids: Vec<i64> = by_account.keys().copied().collect();
        let chunk = self.rows_per_statement();
        let rows: Vec<ProgressRow> = by_account.into_values().collect();
        let written: Vec<i64> = with_conn!(&self.db, conn => {
            if rows.len() <= chunk {
                // One statement is atomic by itself; skip BEGIN/COMMIT round trips.
                UpsertProgress::upsert_progress(conn, &rows).map_err(PersistenceError::from)
            } else {
                conn.transaction(|conn| {
                    let mut written = Vec::with_capacity(rows.len());
                    for part in rows.chunks(chunk) {
                        written.extend(UpsertProgress::upsert_progress(conn, part)?);
                    }
                    Ok::<_, diesel::result::Error>(written)
                })
                .map_err(PersistenceError::from)
            }
        })?;
        let mut written = written;
        written.sort_unstable();
        let (saved, unknown): (Vec<i64>, Vec<i64>) = batch_ids
            .into_iter()
            .partition(|id| written.binary_search(id).is_ok());
        Ok(SaveReport {
            saved: saved.len(),
            unknown_accounts: unknown.into_iter().map(AccountId).collect(),
        })
    }
}
