//! Replication cost and bandwidth (issue #3 targets):
//! - encode cost per client per tick, dense (~100 movers in view) and idle scenes;
//! - encoding for 1,000 clients per tick (frame capture + every replica + encode);
//! - deflate vs not on these payloads.
//!
//! Bytes per client per second are not a timing: they are computed once at start-up
//! by simulating 10 s of play and printed (`KINDLING_BENCH_BYTES_ONLY=1` prints them
//! and skips the timings).
//!
//! `cargo bench -p protocol --bench replication`

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::hint::black_box;

/// The server's allocator, so allocation costs what it costs in the server.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

use criterion::measurement::{Measurement, ValueFormatter};
use criterion::{BatchSize, Criterion, Throughput};
use protocol::*;
use sim_core::{Content, GameConfig, PlayerId, PlayerInput, PlayerProgress, Vec2, World};

/// CPU time of the benchmark thread (from `/proc/thread-self/schedstat`), not wall
/// time: this machine is shared by several builds at once, and wall time would measure
/// their load. The kernel updates the counter at scheduler ticks, so samples are kept
/// long (see `config`).
struct CpuTime;

fn thread_cpu_ns() -> u64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

impl Measurement for CpuTime {
    type Intermediate = u64;
    type Value = u64;
    fn start(&self) -> u64 {
        thread_cpu_ns()
    }
    fn end(&self, i: u64) -> u64 {
        thread_cpu_ns().saturating_sub(i)
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
        &NsFormatter
    }
}

struct NsFormatter;

impl ValueFormatter for NsFormatter {
    fn scale_values(&self, ns: f64, values: &mut [f64]) -> &'static str {
        let (factor, unit) = if ns < 1e3 {
            (1.0, "ns cpu")
        } else if ns < 1e6 {
            (1e-3, "µs cpu")
        } else {
            (1e-6, "ms cpu")
        };
        values.iter_mut().for_each(|v| *v *= factor);
        unit
    }
    fn scale_throughputs(&self, _: f64, t: &Throughput, values: &mut [f64]) -> &'static str {
        if let Throughput::Elements(n) = t {
            values.iter_mut().for_each(|v| *v /= *n as f64);
        }
        "ns cpu/elem"
    }
    fn scale_for_machines(&self, _: &mut [f64]) -> &'static str {
        "ns"
    }
}

fn config() -> Criterion<CpuTime> {
    Criterion::default()
        .with_measurement(CpuTime)
        .sample_size(20)
        .measurement_time(std::time::Duration::from_secs(8))
        .configure_from_args()
}

const TICK_RATE: u64 = 20;
/// Acks reach the server this many ticks after the message left (150 ms at 20 Hz).
const ACK_LAG: usize = 3;

struct Scene {
    world: World,
    capture: FrameCapture,
    /// The last step's frame captured on its own (no chain), for the fallback's cost.
    last_unchained: Option<TickFrame>,
    players: Vec<PlayerId>,
    moving: bool,
}

impl Scene {
    /// `n` players on a disc of `radius` around the world centre.
    /// Idle scenes also spawn no creatures, so that nothing in view moves.
    fn disc(n: usize, radius: f32, moving: bool) -> Self {
        Self::place(n, moving, |i| {
            let a = i as f32 * 2.399;
            let r = radius * ((i as f32 + 0.5) / n as f32).sqrt();
            Vec2::new(2000.0 + r * a.cos(), 2000.0 + r * a.sin())
        })
    }

    /// `n` players spread evenly over the whole 4000-unit world.
    fn spread(n: usize) -> Self {
        let side = (n as f32).sqrt().ceil() as usize;
        Self::place(n, true, |i| {
            let step = 4000.0 / side as f32;
            Vec2::new(
                step * (i % side) as f32 + step / 2.0,
                step * (i / side) as f32 + step / 2.0,
            )
        })
    }

    fn place(n: usize, moving: bool, at: impl Fn(usize) -> Vec2) -> Self {
        let mut config = GameConfig {
            max_players: 5000,
            ..GameConfig::default()
        };
        if !moving {
            config.creature_spawn_interval_s = 1e9;
        }
        let mut world = World::new(config, Content::builtin().unwrap(), 1).unwrap();
        let players = (0..n)
            .map(|i| {
                let progress = PlayerProgress {
                    position: Some(at(i)),
                    ..PlayerProgress::default()
                };
                world.join(&format!("player{i}"), Some(progress)).unwrap()
            })
            .collect();
        Self {
            world,
            capture: FrameCapture::new(),
            last_unchained: None,
            players,
            moving,
        }
    }

    /// Steps the world: movers walk in circles (always moving and turning).
    fn step(&mut self) -> TickFrame {
        let tick = self.world.tick();
        let inputs: Vec<(PlayerId, PlayerInput)> = if self.moving {
            self.players
                .iter()
                .enumerate()
                .map(|(i, p)| {
                    let a = tick as f32 * 0.1 + i as f32;
                    (
                        *p,
                        PlayerInput {
                            seq: tick as u32,
                            move_x: a.cos(),
                            move_y: a.sin(),
                            aim: a,
                            ..PlayerInput::default()
                        },
                    )
                })
                .collect()
        } else {
            Vec::new()
        };
        let out = self.world.step(&inputs);
        self.last_unchained = Some(TickFrame::capture(&self.world, &out));
        self.capture.capture(&self.world, &out)
    }
}

/// A client: its replica and, per tick, the newest view it had (acked `ACK_LAG` ticks later).
#[derive(Clone)]
struct Client {
    replica: ClientReplica,
    received: Vec<u64>,
}

impl Client {
    fn new(p: PlayerId) -> Self {
        Self {
            replica: ClientReplica::new(p, ReplicationConfig::default()),
            received: Vec::new(),
        }
    }

    /// One tick: update, encode with `opts` into `buf`, deliver acks; returns bytes.
    fn tick(
        &mut self,
        frame: &TickFrame,
        world: &World,
        opts: &EncodeOptions,
        msgs: &mut Vec<ServerMessage>,
        buf: &mut Vec<u8>,
    ) -> usize {
        msgs.clear();
        buf.clear();
        self.replica.update(frame, world, msgs);
        let mut newest = self.received.last().copied().unwrap_or(0);
        for m in msgs.iter() {
            encode_into(m, opts, buf).unwrap();
            match m {
                ServerMessage::Snapshot(Snapshot { tick, .. })
                | ServerMessage::Delta(Delta { tick, .. }) => newest = *tick,
                ServerMessage::PackedDelta(p) => newest = p.tick(),
                _ => {}
            }
        }
        // One entry per tick: the newest view the client has; its ack arrives later.
        self.received.push(newest);
        if self.received.len() > ACK_LAG {
            let t = self.received[self.received.len() - 1 - ACK_LAG];
            if t > 0 {
                self.replica.ack(t);
            }
        }
        buf.len()
    }
}

fn policies() -> Vec<(&'static str, Compression)> {
    vec![
        ("off", Compression::OFF),
        ("level 6, >= 256 B (default)", Compression::level(6)),
        (
            "level 6, >= 1024 B",
            Compression {
                level: 6,
                min_size: 1024,
            },
        ),
        (
            "level 6, always",
            Compression {
                level: 6,
                min_size: 0,
            },
        ),
        (
            "level 1, always",
            Compression {
                level: 1,
                min_size: 0,
            },
        ),
    ]
}

/// Bytes per second of the observed clients over 10 simulated seconds (after 2 s of
/// warm-up), sorted.
fn bytes_per_second(moving: bool, policy: Compression) -> Vec<f64> {
    let mut scene = Scene::disc(100, 450.0, moving);
    let observed: Vec<PlayerId> = scene.players.iter().step_by(5).copied().collect();
    let mut clients: Vec<Client> = observed.iter().map(|p| Client::new(*p)).collect();
    let mut totals = vec![0usize; clients.len()];
    let opts = EncodeOptions {
        compression: policy,
        ..EncodeOptions::default()
    };
    let (mut msgs, mut buf) = (Vec::new(), Vec::new());
    let warmup = 2 * TICK_RATE;
    for t in 0..warmup + 10 * TICK_RATE {
        let frame = scene.step();
        for (c, total) in clients.iter_mut().zip(&mut totals) {
            let n = c.tick(&frame, &scene.world, &opts, &mut msgs, &mut buf);
            if t >= warmup {
                *total += n;
            }
        }
    }
    let mut out: Vec<f64> = totals.iter().map(|b| *b as f64 / 10.0).collect();
    out.sort_by(f64::total_cmp);
    out
}

fn print_bandwidth() {
    println!(
        "bytes per client per second (100 players in view plus the world's nodes; creatures \
         in the dense scene only; 20 Hz, snapshots every 2 ticks, acks 3 ticks late):"
    );
    for moving in [true, false] {
        for (name, policy) in policies() {
            let v = bytes_per_second(moving, policy);
            println!(
                "  {:6} {:30} median {:8.1} B/s ({:.2} KiB/s)  min {:8.1}  max {:8.1}",
                if moving { "dense" } else { "idle" },
                name,
                v[v.len() / 2],
                v[v.len() / 2] / 1024.0,
                v[0],
                v[v.len() - 1]
            );
        }
    }
}

/// A client in steady state at the tick before `frame`.
fn steady(moving: bool) -> (Scene, Client, TickFrame) {
    let mut scene = Scene::disc(100, 450.0, moving);
    let mut client = Client::new(scene.players[0]);
    let (mut msgs, mut buf) = (Vec::new(), Vec::new());
    let opts = EncodeOptions::default();
    for _ in 0..60 {
        let frame = scene.step();
        client.tick(&frame, &scene.world, &opts, &mut msgs, &mut buf);
    }
    // The next frame is a send tick of this client (ids are spread over 2 ticks).
    let mut frame = scene.step();
    if (frame.tick() + u64::from(scene.players[0].0)) % 2 == 1 {
        client.tick(&frame, &scene.world, &opts, &mut msgs, &mut buf);
        frame = scene.step();
    }
    (scene, client, frame)
}

fn per_client(c: &mut Criterion<CpuTime>) {
    let mut g = c.benchmark_group("encode_per_client_tick");
    for moving in [true, false] {
        let (scene, client, frame) = steady(moving);
        for (name, policy) in [
            ("raw", Compression::OFF),
            ("deflate6", Compression::level(6)),
        ] {
            let opts = EncodeOptions {
                compression: policy,
                ..EncodeOptions::default()
            };
            let id = format!("{}_{}", if moving { "dense" } else { "idle" }, name);
            g.bench_function(id, |b| {
                b.iter_batched(
                    || (client.clone(), Vec::new(), Vec::with_capacity(4096)),
                    |(mut cl, mut msgs, mut buf)| {
                        black_box(cl.tick(&frame, &scene.world, &opts, &mut msgs, &mut buf))
                    },
                    BatchSize::SmallInput,
                )
            });
        }
    }
    g.finish();
}

fn thousand_clients(c: &mut Criterion<CpuTime>) {
    let mut g = c.benchmark_group("thousand_clients");
    let mut scene = Scene::spread(1000);
    let mut clients: Vec<Client> = scene.players.iter().map(|p| Client::new(*p)).collect();
    let opts = EncodeOptions {
        compression: Compression::level(6),
        ..EncodeOptions::default()
    };
    let (mut msgs, mut buf) = (Vec::new(), Vec::new());
    for _ in 0..20 {
        let frame = scene.step();
        for cl in &mut clients {
            cl.tick(&frame, &scene.world, &opts, &mut msgs, &mut buf);
        }
    }
    let in_view: usize = clients
        .iter()
        .take(50)
        .map(|cl| {
            let r = cl.replica.view_rect();
            scene
                .players
                .iter()
                .filter(|p| r.contains(scene.world.entity_view(p.entity()).unwrap().pos))
                .count()
        })
        .sum();
    println!("1000 clients: {} players in view on average", in_view / 50);
    let first = scene.step();
    let first_unchained = scene.last_unchained.take().unwrap();
    let next = [first, scene.step()];
    // The same two ticks as frames of their own: every client falls back to comparing
    // whole views (what a server that calls `TickFrame::capture` gets).
    let unchained = [first_unchained, scene.last_unchained.take().unwrap()];
    // Two ticks, so that both halves of the clients (snapshot_interval = 2) send once:
    // the time per tick is half of this.
    for (name, compression) in [
        ("raw", Compression::OFF),
        ("deflate1", Compression::level(1)),
        ("deflate6", Compression::level(6)),
    ] {
        let opts = EncodeOptions {
            compression,
            ..EncodeOptions::default()
        };
        let id = format!("update_encode_two_ticks_{name}");
        bench_ticks(&mut g, &id, &clients, &next, &scene.world, &opts);
    }
    // Once per tick, chained to the previous frame (each iteration is a later tick of
    // the same world, so every entity is compared with the previous frame).
    let opts = EncodeOptions::default();
    let id = "update_encode_two_ticks_raw_unchained";
    bench_ticks(&mut g, id, &clients, &unchained, &scene.world, &opts);
    g.bench_function("frame_capture", |b| {
        let mut out = sim_core::StepOutput {
            tick: scene.world.tick(),
            events: Vec::new(),
        };
        b.iter(|| {
            out.tick += 1;
            black_box(scene.capture.capture(&scene.world, &out))
        })
    });
    g.finish();
}

/// 1,000 clients among 4,000 players spread over the world: each view holds ~700
/// players and the nodes, over `MAX_SNAPSHOT_ENTITIES`, so every view is cut to its
/// nearest entities and each send takes the full comparison (a cut view has no
/// change-driven path): the cost a server meets once its world is crowded.
fn thousand_crowded_clients(c: &mut Criterion<CpuTime>) {
    let mut g = c.benchmark_group("thousand_crowded_clients");
    let mut scene = Scene::spread(4000);
    let mut clients: Vec<Client> = scene
        .players
        .iter()
        .take(1000)
        .map(|p| Client::new(*p))
        .collect();
    let opts = EncodeOptions::default();
    let (mut msgs, mut buf) = (Vec::new(), Vec::new());
    for _ in 0..10 {
        let frame = scene.step();
        for cl in &mut clients {
            cl.tick(&frame, &scene.world, &opts, &mut msgs, &mut buf);
        }
    }
    let next = [scene.step(), scene.step()];
    bench_ticks(
        &mut g,
        "update_encode_two_ticks_raw",
        &clients,
        &next,
        &scene.world,
        &opts,
    );
    g.finish();
}

/// Benchmarks `clients` (cloned for each iteration) updating and encoding `frames` in
/// turn. The replicas go back to criterion, which drops them outside the timing (a
/// server keeps its replicas).
fn bench_ticks(
    g: &mut criterion::BenchmarkGroup<'_, CpuTime>,
    id: &str,
    clients: &[Client],
    frames: &[TickFrame],
    world: &World,
    opts: &EncodeOptions,
) {
    let (mut msgs, mut buf) = (Vec::new(), Vec::new());
    g.bench_function(id, |b| {
        b.iter_batched(
            || clients.to_vec(),
            |mut cls| {
                let mut total = 0;
                for frame in frames {
                    for cl in &mut cls {
                        total += cl.tick(frame, world, opts, &mut msgs, &mut buf);
                    }
                }
                (black_box(total), cls)
            },
            BatchSize::LargeInput,
        )
    });
}

fn main() {
    print_bandwidth();
    if std::env::var_os("KINDLING_BENCH_BYTES_ONLY").is_some() {
        return;
    }
    let mut c = config();
    per_client(&mut c);
    thousand_clients(&mut c);
    thousand_crowded_clients(&mut c);
    c.final_summary();
}
