//! The tables as diesel sees them. One schema serves both backends: every column uses a
//! type both PostgreSQL and SQLite map the same way (timestamps are UTC `TIMESTAMP`s).
//! Kept in step with `migrations/{postgres,sqlite}` by the migration tests.

diesel::table! {
    players (id) {
        id -> BigInt,
        username -> Text,
        email -> Nullable<Text>,
        password_hash -> Nullable<Text>,
        is_guest -> Bool,
        created_at -> Timestamp,
        last_login_at -> Nullable<Timestamp>,
        banned_until -> Nullable<Timestamp>,
        ban_reason -> Nullable<Text>,
    }
}

diesel::table! {
    sessions (id) {
        id -> Text,
        player_id -> BigInt,
        token_hash -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        ip -> Nullable<Text>,
        user_agent -> Nullable<Text>,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    player_progress (player_id) {
        player_id -> BigInt,
        format_version -> Integer,
        level -> Integer,
        xp -> BigInt,
        kills -> BigInt,
        deaths -> BigInt,
        playtime_s -> BigInt,
        gathered -> BigInt,
        crafted -> BigInt,
        pos_x -> Nullable<Double>,
        pos_y -> Nullable<Double>,
        health -> Double,
        hunger -> Double,
        thirst -> Double,
        stamina -> Double,
        inventory -> Text,
        equipment -> Text,
        team -> Nullable<Text>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    world_snapshots (id) {
        id -> BigInt,
        world_id -> Text,
        tick -> BigInt,
        seed -> BigInt,
        format_version -> Integer,
        state -> Text,
        saved_at -> Timestamp,
    }
}

diesel::joinable!(sessions -> players (player_id));
diesel::joinable!(player_progress -> players (player_id));
diesel::allow_tables_to_appear_in_same_query!(players, sessions, player_progress, world_snapshots);

#[diesel::declare_sql_function]
extern "SQL" {
    /// SQL `lower(text)`, present in both backends; usernames compare case-insensitively.
    fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text;
}
