//! World checkpoints on both backends.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use persistence::PersistenceError;
use sim_core::WorldCheckpoint;

/// Built from JSON because sim-core exports only the checkpoint type itself.
fn checkpoint(tick: u64) -> WorldCheckpoint {
    serde_json::from_value(serde_json::json!({
        "version": 1,
        "seed": u64::MAX - 1,
        "tick": tick,
        "nodes": [{ "index": 7, "amount": 0, "respawn_tick": tick + 600 }],
        "structures": [{
            "item": "wooden_wall",
            "cell_x": -3,
            "cell_y": 12,
            "health": 80.0,
            "owner": "alice",
            "contents": [null, { "item": "wood", "count": 5, "durability": null }],
        }],
    }))
    .unwrap()
}

on_both_backends!(save_and_load_latest, |test_db, db| {
    let worlds = db.worlds();
    assert!(worlds.load_latest("main").await.unwrap().is_none());
    for tick in [100, 200, 300, 400, 500] {
        worlds.save("main", &checkpoint(tick)).await.unwrap();
    }
    worlds.save("other", &checkpoint(1)).await.unwrap();
    let latest = worlds.load_latest("main").await.unwrap().unwrap();
    assert_eq!(latest.world_id, "main");
    assert_eq!(latest.checkpoint, checkpoint(500));
    assert_eq!(latest.checkpoint.seed, u64::MAX - 1);
    assert_eq!(
        worlds
            .load_latest("other")
            .await
            .unwrap()
            .unwrap()
            .checkpoint
            .tick,
        1
    );
    // Only the newest few are kept per world.
    assert_eq!(
        test_db.count("SELECT count(*) AS n FROM world_snapshots WHERE world_id = 'main'"),
        3
    );

    for bad in ["", &"w".repeat(65), "tab\there"] {
        assert!(matches!(
            worlds.save(bad, &checkpoint(1)).await,
            Err(PersistenceError::InvalidWorldId(_))
        ));
    }

    test_db.execute("UPDATE world_snapshots SET state = '[1,2' WHERE world_id = 'other'");
    assert!(matches!(
        worlds.load_latest("other").await,
        Err(PersistenceError::CorruptRow {
            table: "world_snapshots",
            ..
        })
    ));
    test_db.execute("UPDATE world_snapshots SET format_version = 2 WHERE world_id = 'other'");
    assert!(matches!(
        worlds.load_latest("other").await,
        Err(PersistenceError::UnsupportedFormat { .. })
    ));
});
