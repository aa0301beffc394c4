//! Autosave of 2,500 players in one batched upsert (target: ≤ 50 ms on local PostgreSQL).
//!
//! Run: `cargo bench -p persistence --bench autosave` (PostgreSQL from TEST_DATABASE_URL,
//! default postgres://postgres@127.0.0.1:5432/postgres; a database of its own is created
//! and dropped). Every iteration changes every player, so each one really updates 2,500 rows.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::sync::atomic::{AtomicU64, Ordering};

use criterion::{Criterion, criterion_group, criterion_main};
use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection};
use persistence::{AccountId, Database, DatabaseConfig, RetryPolicy, SaveQueue};
use sim_core::{PlayerProgress, SavedStack, Vec2};

const PLAYERS: usize = 2_500;

fn admin_url() -> String {
    std::env::var("TEST_DATABASE_URL")
        .ok()
        .filter(|u| !u.trim().is_empty())
        .unwrap_or_else(|| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

fn with_database(url: &str, name: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap();
    let host = rest.split(['/', '?']).next().unwrap();
    format!("{scheme}://{host}/{name}")
}

/// A realistic mid-game player: a full hotbar-sized inventory and some equipment.
fn progress(i: usize, round: u64) -> PlayerProgress {
    let stack = |item: &str, count: u32, durability: Option<u32>| {
        Some(SavedStack {
            item: item.to_owned(),
            count,
            durability,
        })
    };
    PlayerProgress {
        xp: round * 10 + i as u64,
        level: 1 + (i % 30) as u32,
        position: Some(Vec2 {
            x: (i % 4000) as f32,
            y: round as f32,
        }),
        inventory: vec![
            stack("wood", 37, None),
            stack("stone", 12, None),
            stack("stone_pickaxe", 1, Some(88)),
            None,
            stack("berries", 5, None),
            stack("campfire", 1, None),
            None,
            stack("wooden_wall", 9, None),
        ],
        equipment: vec![
            None,
            stack("leather_armor", 1, Some(40)),
            stack("stone_sword", 1, Some(61)),
        ],
        kills: (i % 17) as u32,
        deaths: (i % 5) as u32,
        playtime_s: 3_600 + round,
        gathered: 500 + round,
        crafted: 20,
        ..PlayerProgress::default()
    }
}

/// The benchmark's own database, dropped at the end even if the benchmark panics.
struct BenchDb {
    admin: String,
    name: String,
}

impl Drop for BenchDb {
    fn drop(&mut self) {
        if let Ok(mut conn) = PgConnection::establish(&self.admin) {
            let _ = conn.batch_execute(&format!(
                "DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)",
                self.name
            ));
        }
    }
}

fn autosave(c: &mut Criterion) {
    let admin = admin_url();
    let name = format!("kindling_bench_{}", std::process::id());
    PgConnection::establish(&admin)
        .unwrap_or_else(|e| panic!("the benchmark needs PostgreSQL at {admin}: {e}"))
        .batch_execute(&format!("CREATE DATABASE \"{name}\""))
        .unwrap();
    let _bench_db = BenchDb {
        admin: admin.clone(),
        name: name.clone(),
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    // The pool drops connections on the runtime's blocking threads, also at the end.
    let _runtime = rt.enter();
    let db = rt.block_on(async {
        Database::connect(&DatabaseConfig::from_url(&with_database(&admin, &name)).unwrap())
            .await
            .unwrap()
    });
    let ids: Vec<AccountId> = rt.block_on(async {
        let mut ids = Vec::with_capacity(PLAYERS);
        for _ in 0..PLAYERS {
            ids.push(db.accounts().create_guest().await.unwrap().id);
        }
        ids
    });
    let store = db.progress();
    let round = AtomicU64::new(0);
    // First save inserts; every measured one updates existing rows.
    let first: Vec<_> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| (*id, progress(i, 0)))
        .collect();
    rt.block_on(store.save_many(&first)).unwrap();

    let mut group = c.benchmark_group("autosave_postgres");
    group.sample_size(30);
    group.bench_function("save_many_2500_players", |b| {
        b.iter_batched(
            || {
                let r = round.fetch_add(1, Ordering::Relaxed) + 1;
                ids.iter()
                    .enumerate()
                    .map(|(i, id)| (*id, progress(i, r)))
                    .collect::<Vec<_>>()
            },
            |batch| {
                let report = rt.block_on(store.save_many(&batch)).unwrap();
                assert_eq!(report.saved, PLAYERS);
                black_box(report)
            },
            criterion::BatchSize::LargeInput,
        );
    });
    let queue = SaveQueue::new(&db, RetryPolicy::default());
    group.bench_function("save_queue_mark_and_flush_2500_players", |b| {
        b.iter(|| {
            let r = round.fetch_add(1, Ordering::Relaxed) + 1;
            for (i, id) in ids.iter().enumerate() {
                queue.mark_dirty(*id, progress(i, r));
            }
            let outcome = rt.block_on(queue.flush()).unwrap();
            assert_eq!(outcome.saved, PLAYERS);
            black_box(outcome)
        });
    });
    group.finish();

    db.close();
}

criterion_group!(benches, autosave);
criterion_main!(benches);
