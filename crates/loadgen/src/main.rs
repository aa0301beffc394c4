//! `loadgen`: a swarm of bots against a Kindling server, then a report. See `--help`.

use std::process::ExitCode;

use clap::Parser;
use loadgen::{Args, Report};

/// mimalloc: per-thread free lists for the many small buffers and reuse of the large
/// per-tick arrays without returning their pages to the kernel each time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args = Args::parse();
    if let Err(e) = args.validate() {
        eprintln!("loadgen: {e}");
        return ExitCode::from(2);
    }
    // One runtime for every bot; the default worker count is one per core.
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("loadgen: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let command = std::env::args().collect::<Vec<_>>().join(" ");
    let report = match runtime.block_on(loadgen::run(&args, command)) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("loadgen: {e}");
            return ExitCode::FAILURE;
        }
    };
    eprintln!(
        "loadgen: report written to {}",
        args.out.join("report.md").display()
    );
    print_summary(&report);
    if args.strict {
        let problems = loadgen::strict_problems(&report);
        if !problems.is_empty() {
            for p in &problems {
                eprintln!("loadgen: FAILED: {p}");
            }
            return ExitCode::FAILURE;
        }
        eprintln!("loadgen: strict checks passed");
    }
    ExitCode::SUCCESS
}

fn print_summary(r: &Report) {
    let opt = |v: Option<f64>| v.map_or_else(|| "n/a".to_owned(), |v| format!("{v:.2}"));
    println!(
        "bots connected {}/{} failed {} drops {} protocol errors {} | tick p50/p99 {}/{} ms | KiB/s/client in p50 {} | server CPU {} cores",
        r.bots.connected,
        r.bots_requested,
        r.bots.failed,
        r.bots.dropped,
        r.errors.protocol,
        opt(r.server.tick_p50_ms),
        opt(r.server.tick_p99_ms),
        opt(r.bytes_per_client_per_s.inbound.map(|s| s.p50 / 1024.0)),
        opt(r.server.cpu_cores_mean),
    );
}
