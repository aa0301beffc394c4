//! The autosave queue: batching, newest-wins, and surviving a real database outage
//! (a PostgreSQL reached through a proxy that the test unplugs and plugs back).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use persistence::{AccountId, Database, DatabaseConfig, RetryPolicy, SaveQueue};
use sim_core::PlayerProgress;

use common::proxy::Proxy;

fn progress(xp: u64) -> PlayerProgress {
    PlayerProgress {
        xp,
        kills: (xp % 1000) as u32,
        ..PlayerProgress::default()
    }
}

const FAST_RETRY: RetryPolicy = RetryPolicy {
    initial_backoff: Duration::from_millis(20),
    max_backoff: Duration::from_millis(200),
};

async fn register(db: &Database, n: usize) -> Vec<AccountId> {
    let mut ids = Vec::new();
    // Guests skip argon2, which keeps account setup quick.
    for _ in 0..n {
        ids.push(db.accounts().create_guest().await.unwrap().id);
    }
    ids
}

on_both_backends!(flush_saves_everything_in_one_batch, |test_db, db| {
    let ids = register(&db, 40).await;
    let queue = SaveQueue::new(&db, FAST_RETRY);
    assert!(queue.is_empty());
    for (i, id) in ids.iter().enumerate() {
        queue.mark_dirty(*id, progress(i as u64));
    }
    // Marking again replaces: only the newest progress is saved.
    queue.mark_dirty(ids[0], progress(777));
    assert_eq!(queue.len(), 40);
    assert_eq!(queue.queued(ids[0]).unwrap().xp, 777);

    let outcome = queue.flush().await.unwrap();
    assert_eq!((outcome.saved, outcome.attempts), (40, 1));
    assert!(queue.is_empty());
    assert_eq!(
        test_db.count("SELECT count(*) AS n FROM player_progress"),
        40
    );
    assert_eq!(db.progress().load(ids[0]).await.unwrap().unwrap().xp, 777);
    assert_eq!(db.progress().load(ids[39]).await.unwrap().unwrap().xp, 39);

    // Nothing queued: a flush is a no-op.
    assert_eq!(queue.flush().await.unwrap().saved, 0);

    // Marking players again with what was saved costs no database work; changed ones are
    // written. The database is checked to hold the newest values.
    for (i, id) in ids.iter().enumerate().skip(1) {
        queue.mark_dirty(*id, progress(i as u64));
    }
    queue.mark_dirty(ids[0], progress(778));
    queue.mark_dirty(ids[1], progress(1_001));
    let outcome = queue.flush().await.unwrap();
    assert_eq!((outcome.saved, outcome.unchanged), (2, 38));
    assert!(queue.is_empty());
    assert_eq!(db.progress().load(ids[0]).await.unwrap().unwrap().xp, 778);
    assert_eq!(db.progress().load(ids[1]).await.unwrap().unwrap().xp, 1_001);
});

/// On SQLite a flush writes as many players per transaction as one statement takes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sqlite_flush_saves_more_players_than_one_statement_takes() {
    let test_db = common::TestDb::sqlite("flush_batches");
    let db = test_db.connect().await;
    let batch = db.progress().rows_per_statement();
    assert_eq!(batch, persistence::SQLITE_ROWS_PER_STATEMENT);
    let n = batch * 2 + 10;
    let ids = register(&db, n).await;
    let queue = SaveQueue::new(&db, FAST_RETRY);
    for (i, id) in ids.iter().enumerate() {
        queue.mark_dirty(*id, progress(i as u64));
    }
    let outcome = queue.flush().await.unwrap();
    assert_eq!((outcome.saved, outcome.unchanged), (n, 0));
    assert!(queue.is_empty());
    assert_eq!(
        test_db.count("SELECT count(*) AS n FROM player_progress"),
        n as i64
    );
    for i in [0, batch - 1, batch, n - 1] {
        assert_eq!(
            db.progress().load(ids[i]).await.unwrap().unwrap().xp,
            i as u64
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nothing_is_lost_while_postgres_is_down() {
    let test_db = common::TestDb::postgres("outage");
    let direct = test_db.connect().await;
    let ids = register(&direct, 300).await;

    let common::TestDb::Postgres { url, .. } = &test_db else {
        unreachable!()
    };
    let proxy = Proxy::start(common::host_port(url)).await;
    let mut config =
        DatabaseConfig::from_url(&common::with_host(url, &proxy.addr.to_string())).unwrap();
    config.pool_size = 4;
    config.connect_timeout = Duration::from_secs(2);
    let through_proxy = Database::connect(&config).await.unwrap();
    let queue = Arc::new(SaveQueue::new(&through_proxy, FAST_RETRY));

    // A first autosave while all is well.
    for (i, id) in ids.iter().enumerate().take(100) {
        queue.mark_dirty(*id, progress(i as u64));
    }
    assert_eq!(queue.flush().await.unwrap().saved, 100);

    // The database goes away: open connections are cut, new ones refused.
    proxy.set_up(false);
    for (i, id) in ids.iter().enumerate() {
        queue.mark_dirty(*id, progress(10_000 + i as u64));
    }
    let err = queue.flush().await.unwrap_err();
    assert!(err.is_transient(), "{err:?}");
    assert_eq!(queue.len(), 300, "a failed flush keeps everything");

    // Keep retrying in the background; meanwhile the game keeps marking players.
    let retrying = tokio::spawn({
        let queue = queue.clone();
        async move { queue.flush_with_retry(None).await }
    });
    let refused = proxy.refused();
    proxy.wait_refused(refused + 2).await;
    for (i, id) in ids.iter().enumerate().take(50) {
        queue.mark_dirty(*id, progress(20_000 + i as u64));
    }
    assert!(!retrying.is_finished());

    // A bounded retry gives up with the error and still keeps everything.
    let deadline = Some(Instant::now() + Duration::from_millis(300));
    assert!(queue.flush_with_retry(deadline).await.is_err());
    assert_eq!(queue.len(), 300);

    // The database comes back: the retrying flush gets through.
    proxy.set_up(true);
    let outcome = retrying.await.unwrap().unwrap();
    assert!(outcome.attempts >= 2, "{outcome:?}");
    // Whatever the retry did not take is saved by the next flush; then nothing is left.
    queue.flush().await.unwrap();
    assert!(queue.is_empty());

    // Every row arrived with the newest value, checked on a direct connection.
    assert_eq!(
        test_db.count("SELECT count(*) AS n FROM player_progress"),
        300
    );
    for (i, id) in ids.iter().enumerate() {
        let want = if i < 50 { 20_000 } else { 10_000 } + i as u64;
        let got = direct.progress().load(*id).await.unwrap().unwrap().xp;
        assert_eq!(got, want, "player {i}");
    }
    through_proxy.close();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn autosave_runs_until_shutdown_and_reports_attempts() {
    let test_db = common::TestDb::sqlite("autosave");
    let db = test_db.connect().await;
    let ids = register(&db, 5).await;
    let queue = Arc::new(SaveQueue::new(&db, FAST_RETRY));
    for id in &ids {
        queue.mark_dirty(*id, progress(1));
    }
    let (saved_tx, mut saved_rx) = tokio::sync::mpsc::unbounded_channel();
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn({
        let queue = queue.clone();
        async move {
            queue
                .run_autosave(
                    Duration::from_millis(10),
                    async {
                        let _ = stop_rx.await;
                    },
                    move |result| {
                        let _ = saved_tx.send(result.as_ref().map(|o| o.saved).unwrap_or(0));
                    },
                )
                .await;
        }
    });
    // Wait for the autosave that carries our five players.
    while saved_rx.recv().await.unwrap() != 5 {}
    assert!(queue.is_empty());
    stop_tx.send(()).unwrap();
    task.await.unwrap();
    assert_eq!(
        test_db.count("SELECT count(*) AS n FROM player_progress"),
        5
    );
}
