//! The batched progress upsert, one statement per chunk on each backend:
//! `INSERT INTO player_progress (…) … ON CONFLICT (player_id) DO UPDATE SET col =
//! excluded.col, …`. PostgreSQL gets the rows as one array per column (`UNNEST`); SQLite,
//! whose diesel backend has no batch insert with ON CONFLICT, gets a VALUES list built here
//! with bound parameters. Values are always bound, never interpolated into the text.

use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Double, Integer, Nullable, Text, Timestamp};
use diesel::sqlite::Sqlite;
use diesel::{PgConnection, SqliteConnection};

use crate::progress::ProgressRow;
use crate::schema::players;

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
    /// Writes `rows` (distinct player ids) in one statement, skipping rows whose account
    /// does not exist (so one deleted account cannot fail everybody's save); returns the
    /// player ids written.
    fn upsert_progress(&mut self, rows: &[ProgressRow]) -> QueryResult<Vec<i64>>;
}

/// `RETURNING player_id` rows.
#[derive(QueryableByName)]
struct Written {
    #[diesel(sql_type = BigInt)]
    player_id: i64,
}

/// PostgreSQL: the rows go in as 19 arrays (one per column) that `UNNEST` zips back into
/// rows, so the statement text and its parameter count stay the same for any batch size:
/// cheap to parse and plan, unlike a VALUES list with tens of thousands of parameters.
const POSTGRES_UPSERT: &str = "\
INSERT INTO player_progress (player_id, format_version, level, xp, kills, deaths, playtime_s, \
gathered, crafted, pos_x, pos_y, health, hunger, thirst, stamina, inventory, equipment, team, \
updated_at) \
SELECT u.* FROM UNNEST($1::int8[], $2::int4[], $3::int4[], $4::int8[], $5::int8[], \
$6::int8[], $7::int8[], $8::int8[], $9::int8[], $10::float8[], $11::float8[], $12::float8[], \
$13::float8[], $14::float8[], $15::float8[], $16::text[], $17::text[], $18::text[], \
$19::timestamp[]) AS u (player_id) \
WHERE EXISTS (SELECT 1 FROM players p WHERE p.id = u.player_id) \
ON CONFLICT (player_id) DO UPDATE SET format_version = excluded.format_version, \
level = excluded.level, xp = excluded.xp, kills = excluded.kills, deaths = excluded.deaths, \
playtime_s = excluded.playtime_s, gathered = excluded.gathered, crafted = excluded.crafted, \
pos_x = excluded.pos_x, pos_y = excluded.pos_y, health = excluded.health, \
hunger = excluded.hunger, thirst = excluded.thirst, stamina = excluded.stamina, \
inventory = excluded.inventory, equipment = excluded.equipment, team = excluded.team, \
updated_at = excluded.updated_at \
RETURNING player_id";

impl UpsertProgress for PgConnection {
    fn upsert_progress(&mut self, rows: &[ProgressRow]) -> QueryResult<Vec<i64>> {
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        fn column<'a, T>(rows: &'a [ProgressRow], f: impl Fn(&'a ProgressRow) -> T) -> Vec<T> {
            rows.iter().map(f).collect()
        }
        diesel::sql_query(POSTGRES_UPSERT)
            .bind::<Array<BigInt>, _>(column(rows, |r| r.player_id))
            .bind::<Array<Integer>, _>(column(rows, |r| r.format_version))
            .bind::<Array<Integer>, _>(column(rows, |r| r.level))
            .bind::<Array<BigInt>, _>(column(rows, |r| r.xp))
            .bind::<Array<BigInt>, _>(column(rows, |r| r.kills))
            .bind::<Array<BigInt>, _>(column(rows, |r| r.deaths))
            .bind::<Array<BigInt>, _>(column(rows, |r| r.playtime_s))
            .bind::<Array<BigInt>, _>(column(rows, |r| r.gathered))
            .bind::<Array<BigInt>, _>(column(rows, |r| r.crafted))
            .bind::<Array<Nullable<Double>>, _>(column(rows, |r| r.pos_x))
            .bind::<Array<Nullable<Double>>, _>(column(rows, |r| r.pos_y))
            .bind::<Array<Double>, _>(column(rows, |r| r.health))
            .bind::<Array<Double>, _>(column(rows, |r| r.hunger))
            .bind::<Array<Double>, _>(column(rows, |r| r.thirst))
            .bind::<Array<Double>, _>(column(rows, |r| r.stamina))
            .bind::<Array<Text>, _>(column(rows, |r| r.inventory.as_str()))
            .bind::<Array<Text>, _>(column(rows, |r| r.equipment.as_str()))
            .bind::<Array<Nullable<Text>>, _>(column(rows, |r| r.team.as_deref()))
            .bind::<Array<Timestamp>, _>(column(rows, |r| r.updated_at))
            .load::<Written>(self)
            .map(|written| written.into_iter().map(|w| w.player_id).collect())
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
    fn upsert_progress(&mut self, rows: &[ProgressRow]) -> QueryResult<Vec<i64>> {
        // SQLite checks the accounts first (cheap: no network between the two), so the
        // VALUES list holds only rows that can be written.
        let ids: Vec<i64> = rows.iter().map(|r| r.player_id).collect();
        let mut existing: Vec<i64> = players::table
            .filter(players::id.eq_any(&ids))
            .select(players::id)
            .load(self)?;
        existing.sort_unstable();
        let rows: Vec<&ProgressRow> = rows
            .iter()
            .filter(|r| existing.binary_search(&r.player_id).is_ok())
            .collect();
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let mut query = diesel::sql_query(sqlite_upsert_sql(rows.len())).into_boxed::<Sqlite>();
        // Bind order must follow PROGRESS_COLUMNS.
        for r in &rows {
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
        query.execute(self)?;
        Ok(existing)
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

    #[test]
    fn postgres_statement_names_every_column_once_with_one_array_each() {
        for column in PROGRESS_COLUMNS {
            assert!(POSTGRES_UPSERT.contains(column), "{column}");
        }
        assert!(POSTGRES_UPSERT.contains(&format!("${}::", PROGRESS_COLUMNS.len())));
        assert!(!POSTGRES_UPSERT.contains(&format!("${}", PROGRESS_COLUMNS.len() + 1)));
    }
}
