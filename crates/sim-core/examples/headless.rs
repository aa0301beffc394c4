//! Runs a seeded world with scripted bots and prints the final state hash and timing:
//! `cargo run -p sim-core --example headless -- --players N --ticks T --seed S`.

use std::time::Instant;

use sim_core::bots::Bots;
use sim_core::{Content, GameConfig, World};

fn arg(args: &[String], name: &str, default: u64) -> Result<u64, String> {
    match args.iter().position(|a| a == name) {
        None => Ok(default),
        Some(i) => args
            .get(i + 1)
            .ok_or_else(|| format!("{name} needs a value"))?
            .parse()
            .map_err(|e| format!("{name}: {e}")),
    }
}

fn run() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "--help" || a == "-h") {
        println!("usage: headless [--players N] [--ticks T] [--seed S]");
        return Ok(());
    }
    let players = arg(&args, "--players", 100)? as usize;
    let ticks = arg(&args, "--ticks", 1000)?;
    let seed = arg(&args, "--seed", 1)?;
    let config = GameConfig {
        max_players: players.max(1) as u32,
        ..GameConfig::default()
    };
    let content = Content::builtin().map_err(|e| e.to_string())?;
    let started = Instant::now();
    let mut world = World::new(config, content, seed).map_err(|e| e.to_string())?;
    let mut bots = Bots::join(&mut world, players, seed);
    let setup = started.elapsed();
    let mut slowest = std::time::Duration::ZERO;
    let mut events = 0usize;
    let mut deaths = 0usize;
    let run_start = Instant::now();
    for _ in 0..ticks {
        let t = Instant::now();
        let tick = world.tick();
        let out = world.step(bots.inputs(tick));
        events += out.events.len();
        deaths += out
            .events
            .iter()
            .filter(|e| matches!(e, sim_core::Event::Death { .. }))
            .count();
        slowest = slowest.max(t.elapsed());
    }
    let total = run_start.elapsed();
    println!("seed {seed}, {} players, {ticks} ticks", bots.ids().len());
    println!(
        "final tick {} state hash {:016x}",
        world.tick(),
        world.state_hash()
    );
    println!(
        "entities {} (nodes {}, creatures {}, structures {}), events {events}, deaths {deaths}",
        world.entity_count(),
        world.node_count(),
        world.creature_count(),
        world.structure_count()
    );
    println!(
        "setup {:.1} ms, run {:.1} ms, mean {:.3} ms/tick, slowest {:.3} ms",
        setup.as_secs_f64() * 1e3,
        total.as_secs_f64() * 1e3,
        total.as_secs_f64() * 1e3 / ticks.max(1) as f64,
        slowest.as_secs_f64() * 1e3
    );
    Ok(())
}

fn main() {
    if let Err(e) = run() {
        eprintln!("headless: {e}");
        std::process::exit(2);
    }
}
