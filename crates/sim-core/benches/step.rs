//! `World::step` on the default 4000 u world with 100, 1,000 and 2,000 scripted players
//! that move, gather and fight. Run: `cargo bench -p sim-core --bench step`.
//!
//! Two groups: `step` is wall time (criterion's default); `step_cpu` is the bench
//! thread's own CPU time from `/proc/thread-self/schedstat`, which stays meaningful when
//! the shared 2-core machine is busy with other builds (wall time then mostly measures
//! waiting for a core).

use std::hint::black_box;
use std::time::Duration;

use criterion::measurement::{Measurement, ValueFormatter, WallTime};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use sim_core::bots::Bots;
use sim_core::{Content, GameConfig, World};

/// CPU time of the current thread in nanoseconds (Linux).
struct ThreadCpuTime;

fn thread_cpu_ns() -> u64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

impl Measurement for ThreadCpuTime {
    type Intermediate = u64;
    type Value = u64;
    fn start(&self) -> u64 {
        thread_cpu_ns()
    }
    fn end(&self, start: u64) -> u64 {
        thread_cpu_ns().saturating_sub(start)
    }
    fn add(&self, a: &u64, b: &u64) -> u64 {
        a + b
    }
    fn zero(&self) -> u64 {
        0
    }
    fn to_f64(&self, v: &u64) -> f64 {
        *v as f64
    }
    fn formatter(&self) -> &dyn ValueFormatter {
        // Values are nanoseconds, like wall time's, so its formatter fits.
        static WALL: WallTime = WallTime;
        WALL.formatter()
    }
}

fn step<M: Measurement>(c: &mut Criterion<M>, name: &str) {
    let mut group = c.benchmark_group(name);
    group.sample_size(20);
    group.measurement_time(Duration::from_secs(6));
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

fn wall(c: &mut Criterion) {
    step(c, "step");
}

fn cpu(c: &mut Criterion<ThreadCpuTime>) {
    step(c, "step_cpu");
}

criterion_group!(wall_time, wall);
criterion_group! {
    name = cpu_time;
    config = Criterion::default().with_measurement(ThreadCpuTime);
    targets = cpu
}
criterion_main!(wall_time, cpu_time);
