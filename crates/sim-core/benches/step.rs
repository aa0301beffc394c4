//! `World::step` on the default 4000 u world with 100, 1,000 and 2,000 scripted players
//! that move, gather and fight. Run: `cargo bench -p sim-core --bench step`.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use sim_core::bots::Bots;
use sim_core::{Content, GameConfig, World};

fn step(c: &mut Criterion) {
    let mut group = c.benchmark_group("step");
    group.sample_size(20);
    group.measurement_time(std::time::Duration::from_secs(8));
    for players in [100usize, 1_000, 2_000] {
        let config = GameConfig {
            max_players: players as u32,
            ..GameConfig::default()
        };
        let Ok(content) = Content::builtin() else {
            return;
        };
        let Ok(mut world) = World::new(config, content, 2024) else {
            return;
        };
        let mut bots = Bots::join(&mut world, players, 7);
        // Warm up: creatures spawn, nodes deplete, fights start.
        for _ in 0..200 {
            let tick = world.tick();
            world.step(bots.inputs(tick));
        }
        group.bench_with_input(BenchmarkId::from_parameter(players), &players, |b, _| {
            b.iter(|| {
                let tick = world.tick();
                black_box(world.step(bots.inputs(tick)));
            });
        });
    }
    group.finish();
}

criterion_group!(benches, step);
criterion_main!(benches);
