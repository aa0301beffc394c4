//! What sim-core reads out survives the database: a player's progress after playing, and a
//! world's checkpoint after bots have gathered from it, on both backends.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use persistence::{RetryPolicy, SaveQueue};
use sim_core::bots::Bots;
use sim_core::{Content, GameConfig, World};

fn world(seed: u64) -> World {
    World::new(GameConfig::default(), Content::builtin().unwrap(), seed).unwrap()
}

/// A world where bots have played for a while, so nodes are depleted and players changed.
fn played_world(seed: u64, ticks: u64) -> (World, Bots) {
    let mut w = world(seed);
    let mut bots = Bots::join(&mut w, 20, seed);
    for _ in 0..ticks {
        let inputs = bots.inputs(w.tick()).to_vec();
        w.step(&inputs);
    }
    (w, bots)
}

on_both_backends!(
    progress_survives_leave_save_load_and_rejoin,
    |_test_db, db| {
        let (mut w, bots) = played_world(11, 600);
        let queue = SaveQueue::new(&db, RetryPolicy::default());
        let mut saved = Vec::new();
        for id in bots.ids() {
            let account = db.accounts().create_guest().await.unwrap();
            let progress = w.leave(*id).unwrap();
            queue.mark_dirty(account.id, progress.clone());
            saved.push((account, progress));
        }
        assert_eq!(queue.flush().await.unwrap().saved, saved.len());
        assert!(
            saved.iter().any(|(_, p)| p.gathered > 0),
            "bots gathered something"
        );
        assert!(
            saved
                .iter()
                .any(|(_, p)| p.health > 0.0 && p.inventory.iter().any(Option::is_some)),
            "some players leave alive with items"
        );

        let mut again = world(11);
        for (account, progress) in &saved {
            let loaded = db.progress().load(account.id).await.unwrap().unwrap();
            assert_eq!(&loaded, progress, "{}", account.username);
            let id = again.join(&account.username, Some(loaded)).unwrap();
            let rejoined = again.progress(id).unwrap();
            // (A player who left dead comes back with sim-core's starter kit instead.)
            if progress.health > 0.0 {
                assert_eq!(rejoined.inventory, progress.inventory);
                assert_eq!(rejoined.equipment, progress.equipment);
            }
            assert_eq!(
                (rejoined.xp, rejoined.kills, rejoined.gathered),
                (progress.xp, progress.kills, progress.gathered)
            );
        }
    }
);

on_both_backends!(
    world_checkpoint_restores_into_a_fresh_world,
    |_test_db, db| {
        let (w, _bots) = played_world(23, 600);
        let checkpoint = w.checkpoint();
        assert!(!checkpoint.nodes.is_empty(), "bots depleted some nodes");
        db.worlds().save("main", &checkpoint).await.unwrap();

        let stored = db.worlds().load_latest("main").await.unwrap().unwrap();
        assert_eq!(stored.checkpoint, checkpoint);
        let mut restarted = world(23);
        restarted.restore(&stored.checkpoint).unwrap();
        assert_eq!(restarted.tick(), w.tick());
        assert_eq!(restarted.checkpoint(), checkpoint);
    }
);
