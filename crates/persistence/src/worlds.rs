//! World checkpoints (`sim_core::WorldCheckpoint` as JSON): save periodically, restore the
//! newest on start, keep a few older ones in case the newest is unreadable.

use diesel::prelude::*;
use sim_core::WorldCheckpoint;
use time::OffsetDateTime;

use crate::clock;
use crate::database::{Database, with_conn};
use crate::error::{PersistenceError, Result};
use crate::schema::world_snapshots;

/// Checkpoints kept per world; older ones are deleted when a new one is saved.
pub const KEEP_PER_WORLD: i64 = 3;
/// Layout of the `state` column: 1 = `sim_core::WorldCheckpoint` as JSON.
pub const STATE_FORMAT: u32 = 1;
/// Longest world id accepted.
pub const MAX_WORLD_ID_CHARS: usize = 64;

/// A checkpoint read back from the database.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredCheckpoint {
    /// The world it belongs to.
    pub world_id: String,
    /// When it was saved (UTC).
    pub saved_at: OffsetDateTime,
    /// The checkpoint itself.
    pub checkpoint: WorldCheckpoint,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = world_snapshots)]
struct SnapshotRow {
    id: i64,
    world_id: String,
    tick: i64,
    seed: i64,
    format_version: i32,
    state: String,
    saved_at: time::PrimitiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = world_snapshots)]
struct NewSnapshotRow {
    world_id: String,
    tick: i64,
    seed: i64,
    format_version: i32,
    state: String,
    saved_at: time::PrimitiveDateTime,
}

/// The u64 seed is stored bit for bit in a signed BIGINT.
fn seed_to_db(seed: u64) -> i64 {
    i64::from_ne_bytes(seed.to_ne_bytes())
}

fn seed_from_db(seed: i64) -> u64 {
    u64::from_ne_bytes(seed.to_ne_bytes())
}

impl SnapshotRow {
    fn into_checkpoint(self) -> Result<StoredCheckpoint> {
        let key = self.id.to_string();
        let corrupt = |reason: String| PersistenceError::corrupt("world_snapshots", &key, reason);
        let format = u32::try_from(self.format_version)
            .map_err(|_| corrupt(format!("format version {}", self.format_version)))?;
        if format > STATE_FORMAT {
            return Err(PersistenceError::UnsupportedFormat {
                table: "world_snapshots",
                key: key.clone(),
                found: self.format_version,
                supported: STATE_FORMAT,
            });
        }
        let mut checkpoint: WorldCheckpoint =
            serde_json::from_str(&self.state).map_err(|e| corrupt(format!("state JSON: {e}")))?;
        // The columns are authoritative: they are what the row was indexed and chosen by.
        checkpoint.seed = seed_from_db(self.seed);
        checkpoint.tick =
            u64::try_from(self.tick).map_err(|_| corrupt(format!("tick {}", self.tick)))?;
        Ok(StoredCheckpoint {
            world_id: self.world_id,
            saved_at: clock::from_db(self.saved_at),
            checkpoint,
        })
    }
}

fn validate_world_id(world_id: &str) -> Result<()> {
    let ok = !world_id.is_empty()
        && world_id.chars().count() <= MAX_WORLD_ID_CHARS
        && !world_id.chars().any(char::is_control);
    if ok {
        Ok(())
    } else {
        Err(PersistenceError::InvalidWorldId(world_id.to_owned()))
    }
}

/// The world checkpoint repository (from [`Database::worlds`]).
#[derive(Debug, Clone)]
pub struct WorldStore {
    db: Database,
}

impl WorldStore {
    pub(crate) fn new(db: Database) -> Self {
        Self { db }
    }

    /// Saves a checkpoint of `world_id` and deletes all but the newest
    /// [`KEEP_PER_WORLD`], in one transaction.
    pub async fn save(&self, world_id: &str, checkpoint: &WorldCheckpoint) -> Result<()> {
        validate_world_id(world_id)?;
        let state = serde_json::to_string(checkpoint).map_err(|e| PersistenceError::Encode {
            what: "world checkpoint",
            reason: e.to_string(),
        })?;
        let row = NewSnapshotRow {
            world_id: world_id.to_owned(),
            tick: i64::try_from(checkpoint.tick).unwrap_or(i64::MAX),
            seed: seed_to_db(checkpoint.seed),
            format_version: i32::try_from(STATE_FORMAT).unwrap_or(i32::MAX),
            state,
            saved_at: clock::now(),
        };
        with_conn!(&self.db, conn => {
            conn.transaction(|conn| {
                let world = row.world_id.clone();
                diesel::insert_into(world_snapshots::table).values(&row).execute(conn)?;
                let keep: Vec<i64> = world_snapshots::table
                    .filter(world_snapshots::world_id.eq(&world))
                    .order(world_snapshots::id.desc())
                    .limit(KEEP_PER_WORLD)
                    .select(world_snapshots::id)
                    .load(conn)?;
                diesel::delete(
                    world_snapshots::table
                        .filter(world_snapshots::world_id.eq(&world))
                        .filter(world_snapshots::id.ne_all(keep)),
                )
                .execute(conn)?;
                Ok::<_, diesel::result::Error>(())
            })
            .map_err(PersistenceError::from)
        })
    }

    /// The newest checkpoint of `world_id`, if any.
    pub async fn load_latest(&self, world_id: &str) -> Result<Option<StoredCheckpoint>> {
        let world = world_id.to_owned();
        let row: Option<SnapshotRow> = with_conn!(&self.db, conn => {
            world_snapshots::table
                .filter(world_snapshots::world_id.eq(world))
                .order(world_snapshots::id.desc())
                .select(SnapshotRow::as_select())
                .first(conn)
                .optional()
                .map_err(PersistenceError::from)
        })?;
        row.map(SnapshotRow::into_checkpoint).transpose()
    }
}
