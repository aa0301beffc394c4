//! Leaderboards over all accounts, read from the indexed statistics columns of
//! `player_progress`. Guests and currently banned accounts are left out.

use diesel::prelude::*;

use crate::accounts::AccountId;
use crate::clock;
use crate::database::{Database, with_conn};
use crate::error::{PersistenceError, Result};
use crate::schema::{player_progress, players};

/// Most entries one leaderboard query returns.
pub const MAX_ENTRIES: usize = 100;

/// What a leaderboard ranks by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ranking {
    /// Level, then experience.
    Level,
    /// Kills.
    Kills,
}

/// One line of a leaderboard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeaderboardEntry {
    /// 1-based position.
    pub rank: u32,
    /// The account.
    pub account_id: AccountId,
    /// Its name.
    pub username: String,
    /// Level.
    pub level: u32,
    /// Experience.
    pub xp: u64,
    /// Kills.
    pub kills: u32,
    /// Deaths.
    pub deaths: u32,
}

type EntryRow = (i64, String, i32, i64, i64, i64);

/// The leaderboards (from [`Database::leaderboards`]).
#[derive(Debug, Clone)]
pub struct Leaderboards {
    db: Database,
}

impl Leaderboards {
    pub(crate) fn new(db: Database) -> Self {
        Self { db }
    }

    /// The top `limit` (at most [`MAX_ENTRIES`]) non-guest, non-banned accounts by `ranking`.
    /// Ties go to the older account.
    pub async fn top(&self, ranking: Ranking, limit: usize) -> Result<Vec<LeaderboardEntry>> {
        let limit = i64::try_from(limit.min(MAX_ENTRIES)).unwrap_or(0);
        if limit == 0 {
            return Ok(Vec::new());
        }
        let now = clock::now();
        let rows: Vec<EntryRow> = with_conn!(&self.db, conn => {
            let query = player_progress::table
                .inner_join(players::table)
                .filter(players::is_guest.eq(false))
                .filter(players::banned_until.is_null().or(players::banned_until.le(now)))
                .select((
                    players::id,
                    players::username,
                    player_progress::level,
                    player_progress::xp,
                    player_progress::kills,
                    player_progress::deaths,
                ))
                .limit(limit);
            match ranking {
                Ranking::Level => query
                    .order((
                        player_progress::level.desc(),
                        player_progress::xp.desc(),
                        players::id.asc(),
                    ))
                    .load(conn),
                Ranking::Kills => query
                    .order((player_progress::kills.desc(), players::id.asc()))
                    .load(conn),
            }
            .map_err(PersistenceError::from)
        })?;
        Ok(rows
            .into_iter()
            .zip(1u32..)
            .map(
                |((id, username, level, xp, kills, deaths), rank)| LeaderboardEntry {
                    rank,
                    account_id: AccountId(id),
                    username,
                    // A leaderboard shows what it can: out-of-range values read as 0.
                    level: u32::try_from(level).unwrap_or(0),
                    xp: u64::try_from(xp).unwrap_or(0),
                    kills: u32::try_from(kills).unwrap_or(0),
                    deaths: u32::try_from(deaths).unwrap_or(0),
                },
            )
            .collect())
    }
}
