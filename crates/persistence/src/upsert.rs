//! The batched progress upsert, one statement per chunk on each backend:
//! `INSERT INTO player_progress (…) VALUES (…), (…), … ON CONFLICT (player_id) DO UPDATE
//! SET col = excluded.col, …`. diesel builds it for PostgreSQL; its SQLite backend does not
//! support batch inserts with ON CONFLICT, so there the same text is built by hand with
//! bound parameters (never interpolated values).

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Double, Integer, Nullable, Text, Timestamp};
use diesel::sqlite::Sqlite;
use diesel::upsert::excluded;
use diesel::{PgConnection, SqliteConnection};

use crate::progress::ProgressRow;
use crate::schema::player_progress as pp;

/// The columns of `player_progress`, in the order rows are bound.
pub(crate) const PROGRESS_COLUMNS: [&str; 19] = [
    "player_id",
    "format_version",
    "level",
    "xp",
    "kills",
    "deaths",
    "playtime_s",
    "gathered",
    "crafted",
    "pos_x",
    "pos_y",
    "health",
    "hunger",
    "thirst",
    "stamina",
    "inventory",
    "equipment",
    "team",
    "updated_at",
];

/// One batched upsert of progress rows on a connection of either backend.
pub(crate) trait UpsertProgress {
    /// Writes `rows` (distinct player ids) in one statement; returns rows affected.
    fn upsert_progress(&mut self, rows: &[ProgressRow]) -> QueryResult<usize>;
}

impl UpsertProgress for PgConnection {
    fn upsert_progress(&mut self, rows: &[ProgressRow]) -> QueryResult<usize> {
        diesel::insert_into(pp::table)
            .values(rows)
            .on_conflict(pp::player_id)
            .do_update()
            .set((
                pp::format_version.eq(excluded(pp::format_version)),
                pp::level.eq(excluded(pp::level)),
                pp::xp.eq(excluded(pp::xp)),
                pp::kills.eq(excluded(pp::kills)),
                pp::deaths.eq(excluded(pp::deaths)),
                pp::playtime_s.eq(excluded(pp::playtime_s)),
                pp::gathered.eq(excluded(pp::gathered)),
                pp::crafted.eq(excluded(pp::crafted)),
                pp::pos_x.eq(excluded(pp::pos_x)),
                pp::pos_y.eq(excluded(pp::pos_y)),
                pp::health.eq(excluded(pp::health)),
                pp::hunger.eq(excluded(pp::hunger)),
                pp::thirst.eq(excluded(pp::thirst)),
                pp::stamina.eq(excluded(pp::stamina)),
                pp::inventory.eq(excluded(pp::inventory)),
                pp::equipment.eq(excluded(pp::equipment)),
                pp::team.eq(excluded(pp::team)),
                pp::updated_at.eq(excluded(pp::updated_at)),
            ))
            .execute(self)
    }
}

/// The statement text for `rows` rows, with `?` placeholders.
fn sqlite_upsert_sql(rows: usize) -> String {
    let one_row = format!("({})", vec!["?"; PROGRESS_COLUMNS.len()].join(", "));
    let updates: Vec<String> = PROGRESS_COLUMNS[1..]
        .iter()
        .map(|c| format!("{c} = excluded.{c}"))
        .collect();
    format!(
        "INSERT INTO player_progress ({}) VALUES {} ON CONFLICT (player_id) DO UPDATE SET {}",
        PROGRESS_COLUMNS.join(", "),
        vec![one_row; rows].join(", "),
        updates.join(", ")
    )
}

impl UpsertProgress for SqliteConnection {
    fn upsert_progress(&mut self, rows: &[ProgressRow]) -> QueryResult<usize> {
        if rows.is_empty() {
            return Ok(0);
        }
        let mut query = diesel::sql_query(sqlite_upsert_sql(rows.len())).into_boxed::<Sqlite>();
        // Bind order must follow PROGRESS_COLUMNS.
        for r in rows {
            query = query
                .bind::<BigInt, _>(r.player_id)
                .bind::<Integer, _>(r.format_version)
                .bind::<Integer, _>(r.level)
                .bind::<BigInt, _>(r.xp)
                .bind::<BigInt, _>(r.kills)
                .bind::<BigInt, _>(r.deaths)
                .bind::<BigInt, _>(r.playtime_s)
                .bind::<BigInt, _>(r.gathered)
                .bind::<BigInt, _>(r.crafted)
                .bind::<Nullable<Double>, _>(r.pos_x)
                .bind::<Nullable<Double>, _>(r.pos_y)
                .bind::<Double, _>(r.health)
                .bind::<Double, _>(r.hunger)
                .bind::<Double, _>(r.thirst)
                .bind::<Double, _>(r.stamina)
                .bind::<Text, _>(r.inventory.clone())
                .bind::<Text, _>(r.equipment.clone())
                .bind::<Nullable<Text>, _>(r.team.clone())
                .bind::<Timestamp, _>(r.updated_at);
        }
        query.execute(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_statement_has_one_placeholder_per_value() {
        let sql = sqlite_upsert_sql(3);
        assert_eq!(sql.matches('?').count(), 3 * PROGRESS_COLUMNS.len());
        assert!(sql.contains(
            "ON CONFLICT (player_id) DO UPDATE SET format_version = excluded.format_version"
        ));
        assert!(!sql.contains("player_id = excluded.player_id"));
    }
}
