//! Player progress on both backends: round trips, batched upserts, and rows this build
//! cannot read (typed errors, never panics).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use persistence::{AccountId, PersistenceError};
use sim_core::{PlayerProgress, SavedStack, Vec2};

fn sample(seed: u32) -> PlayerProgress {
    PlayerProgress {
        xp: u64::from(seed) * 100 + 7,
        level: 1 + seed % 40,
        position: Some(Vec2 {
            x: 100.5 + seed as f32,
            y: 2000.25,
        }),
        health: 75.5,
        hunger: 40.0,
        thirst: 12.25,
        stamina: 100.0,
        inventory: vec![
            Some(SavedStack {
                item: "wood".into(),
                count: seed + 1,
                durability: None,
            }),
            None,
            Some(SavedStack {
                item: "stone_pickaxe".into(),
                count: 1,
                durability: Some(57),
            }),
        ],
        equipment: vec![
            None,
            None,
            Some(SavedStack {
                item: "wooden_sword".into(),
                count: 1,
                durability: Some(3),
            }),
        ],
        team: seed.is_multiple_of(2).then(|| "wolves".to_owned()),
        playtime_s: 3600 + u64::from(seed),
        deaths: seed % 7,
        kills: seed % 11,
        gathered: 1234,
        crafted: 56,
        ..PlayerProgress::default()
    }
}

on_both_backends!(round_trip, |_test_db, db| {
    let account = db
        .accounts()
        .register("saver", "password1", None)
        .await
        .unwrap();
    let store = db.progress();
    assert!(store.load(account.id).await.unwrap().is_none());

    let first = sample(3);
    let report = store.save(account.id, &first).await.unwrap();
    assert_eq!(report.saved, 1);
    assert_eq!(store.load(account.id).await.unwrap().unwrap(), first);

    // Saving again updates in place; no position means "spawn anywhere".
    let second = PlayerProgress {
        position: None,
        team: None,
        xp: u64::MAX,
        ..sample(4)
    };
    store.save(account.id, &second).await.unwrap();
    let loaded = store.load(account.id).await.unwrap().unwrap();
    // u64 counters beyond the column's range saturate rather than wrap.
    assert_eq!(loaded.xp, i64::MAX as u64);
    assert_eq!(
        loaded,
        PlayerProgress {
            xp: i64::MAX as u64,
            ..second
        }
    );
});

on_both_backends!(batched_upsert, |test_db, db| {
    // More players than one SQLite statement holds, so chunking is exercised there.
    let ids: Vec<i64> = (1..=1_203).collect();
    let values: Vec<String> = ids
        .iter()
        .map(|i| format!("('p{i:05}', false, '2026-01-01 00:00:00')"))
        .collect();
    test_db.execute(&format!(
        "INSERT INTO players (username, is_guest, created_at) VALUES {}",
        values.join(", ")
    ));
    let batch: Vec<(AccountId, PlayerProgress)> = ids
        .iter()
        .map(|&id| (AccountId(id), sample(id as u32)))
        .collect();
    let store = db.progress();
    let report = store.save_many(&batch).await.unwrap();
    assert_eq!(report.saved, batch.len());
    assert!(report.unknown_accounts.is_empty());
    assert_eq!(
        test_db.count("SELECT count(*) AS n FROM player_progress"),
        1_203
    );

    // Second save of everyone updates; duplicates in one batch: the last one wins;
    // an account that does not exist is reported and does not block the others.
    let mut again: Vec<(AccountId, PlayerProgress)> = ids
        .iter()
        .map(|&id| (AccountId(id), sample(id as u32 + 1)))
        .collect();
    again.push((AccountId(5), sample(999)));
    again.push((AccountId(99_999), sample(1)));
    let report = store.save_many(&again).await.unwrap();
    assert_eq!(report.saved, 1_203);
    assert_eq!(report.unknown_accounts, vec![AccountId(99_999)]);
    assert_eq!(
        store.load(AccountId(5)).await.unwrap().unwrap(),
        sample(999)
    );
    assert_eq!(
        store.load(AccountId(1_000)).await.unwrap().unwrap(),
        sample(1_001)
    );
    assert_eq!(
        test_db.count("SELECT count(*) AS n FROM player_progress"),
        1_203
    );
    assert!(store.save_many::<PlayerProgress>(&[]).await.unwrap().saved == 0);
});

on_both_backends!(unreadable_rows_are_typed_errors, |test_db, db| {
    let store = db.progress();
    let mut accounts = Vec::new();
    for name in [
        "broken_json",
        "newer_row",
        "negative",
        "bad_level",
        "drifted",
    ] {
        let account = db
            .accounts()
            .register(name, "password1", None)
            .await
            .unwrap();
        store.save(account.id, &sample(1)).await.unwrap();
        accounts.push(account.id);
    }
    let [broken, newer, negative, bad_level, drifted] = accounts[..] else {
        unreachable!()
    };
    test_db.execute(&format!(
        "UPDATE player_progress SET inventory = '{{not json' WHERE player_id = {broken}"
    ));
    test_db.execute(&format!(
        "UPDATE player_progress SET format_version = 99 WHERE player_id = {newer}"
    ));
    test_db.execute(&format!(
        "UPDATE player_progress SET kills = -5 WHERE player_id = {negative}"
    ));
    test_db.execute(&format!(
        "UPDATE player_progress SET level = 0 WHERE player_id = {bad_level}"
    ));
    test_db.execute(&format!(
        "UPDATE player_progress SET health = 250, pos_y = NULL WHERE player_id = {drifted}"
    ));

    match store.load(broken).await {
        Err(PersistenceError::CorruptRow { table, key, reason }) => {
            assert_eq!(table, "player_progress");
            assert_eq!(key, broken.to_string());
            assert!(reason.contains("inventory"), "{reason}");
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        store.load(newer).await,
        Err(PersistenceError::UnsupportedFormat {
            found: 99,
            supported: 1,
            ..
        })
    ));
    assert!(matches!(
        store.load(negative).await,
        Err(PersistenceError::CorruptRow { .. })
    ));
    assert!(matches!(
        store.load(bad_level).await,
        Err(PersistenceError::CorruptRow { .. })
    ));
    // Small drift is repaired safely: meters clamp, a half position means "spawn anywhere".
    let repaired = store.load(drifted).await.unwrap().unwrap();
    assert_eq!(repaired.health, 100.0);
    assert_eq!(repaired.position, None);

    // A good save over a broken row repairs it.
    store.save(broken, &sample(2)).await.unwrap();
    assert_eq!(store.load(broken).await.unwrap().unwrap(), sample(2));
});

/// Saves `n` players (accounts 1..=n, already created) and one unknown account in one
/// batch bigger than a statement of `per_statement` rows, and checks every chunk landed.
async fn save_beyond_one_statement(
    test_db: &common::TestDb,
    db: &persistence::Database,
    n: i64,
    per_statement: i64,
) {
    let mut batch: Vec<(AccountId, PlayerProgress)> = (1..=n)
        .map(|id| (AccountId(id), sample(id as u32)))
        .collect();
    batch.push((AccountId(n + 1), sample(0)));
    let report = db.progress().save_many(&batch).await.unwrap();
    assert_eq!(report.saved, n as usize);
    assert_eq!(report.unknown_accounts, vec![AccountId(n + 1)]);
    assert_eq!(
        test_db.count("SELECT count(*) AS n FROM player_progress"),
        n
    );
    for id in [1, per_statement + 1, n] {
        assert_eq!(
            db.progress().load(AccountId(id)).await.unwrap().unwrap(),
            sample(id as u32)
        );
    }
}

/// More rows than one PostgreSQL statement takes: several chunks in one transaction.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_batches_beyond_one_statement() {
    let test_db = common::TestDb::postgres("many_chunks");
    let db = test_db.connect().await;
    let per_statement = persistence::POSTGRES_ROWS_PER_STATEMENT as i64;
    let n = per_statement + 50;
    test_db.execute(&format!(
        "INSERT INTO players (username, is_guest, created_at) \
         SELECT 'c' || lpad(g::text, 6, '0'), false, now() FROM generate_series(1, {n}) g"
    ));
    save_beyond_one_statement(&test_db, &db, n, per_statement).await;
}

/// More rows than one SQLite statement takes: several chunks in one transaction.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_batches_beyond_one_statement() {
    let test_db = common::TestDb::sqlite("many_chunks");
    let db = test_db.connect().await;
    let per_statement = persistence::SQLITE_ROWS_PER_STATEMENT as i64;
    let n = per_statement * 2 + 50;
    test_db.execute(&format!(
        "WITH RECURSIVE g(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM g WHERE x < {n}) \
         INSERT INTO players (username, is_guest, created_at) \
         SELECT printf('c%06d', x), false, CURRENT_TIMESTAMP FROM g"
    ));
    save_beyond_one_statement(&test_db, &db, n, per_statement).await;
}
