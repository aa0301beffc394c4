//! Leaderboards on both backends: order, ties, guests and banned accounts left out.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use persistence::Ranking;
use sim_core::PlayerProgress;

on_both_backends!(rankings, |_test_db, db| {
    let store = db.progress();
    // (name, level, xp, kills)
    let players = [
        ("alpha", 5, 500, 1),
        ("bravo", 9, 100, 3),
        ("charlie", 9, 900, 0),
        ("delta", 2, 50, 40),
        ("echo", 9, 900, 7),
    ];
    for (name, level, xp, kills) in players {
        let account = db
            .accounts()
            .register(name, "password1", None)
            .await
            .unwrap();
        let progress = PlayerProgress {
            level,
            xp,
            kills,
            ..PlayerProgress::default()
        };
        store.save(account.id, &progress).await.unwrap();
    }
    let guest = db.accounts().create_guest().await.unwrap();
    store
        .save(
            guest.id,
            &PlayerProgress {
                level: 99,
                kills: 999,
                ..PlayerProgress::default()
            },
        )
        .await
        .unwrap();
    let banned = db
        .accounts()
        .register("banned", "password1", None)
        .await
        .unwrap();
    store
        .save(
            banned.id,
            &PlayerProgress {
                level: 98,
                kills: 998,
                ..PlayerProgress::default()
            },
        )
        .await
        .unwrap();
    db.accounts()
        .ban(banned.id, None, Some("cheating"))
        .await
        .unwrap();

    let boards = db.leaderboards();
    let by_level = boards.top(Ranking::Level, 10).await.unwrap();
    let names: Vec<&str> = by_level.iter().map(|e| e.username.as_str()).collect();
    // Level, then xp, then the older account.
    assert_eq!(names, ["charlie", "echo", "bravo", "alpha", "delta"]);
    assert_eq!(
        by_level.iter().map(|e| e.rank).collect::<Vec<_>>(),
        [1, 2, 3, 4, 5]
    );
    assert_eq!((by_level[0].level, by_level[0].xp), (9, 900));

    let by_kills = boards.top(Ranking::Kills, 3).await.unwrap();
    let names: Vec<&str> = by_kills.iter().map(|e| e.username.as_str()).collect();
    assert_eq!(names, ["delta", "echo", "bravo"]);
    assert_eq!(by_kills[0].kills, 40);

    assert!(boards.top(Ranking::Kills, 0).await.unwrap().is_empty());
    assert_eq!(boards.top(Ranking::Level, 10_000).await.unwrap().len(), 5);

    // The ban ending puts the account back on the board.
    db.accounts().unban(banned.id).await.unwrap();
    assert_eq!(
        boards.top(Ranking::Kills, 1).await.unwrap()[0].username,
        "banned"
    );
});
