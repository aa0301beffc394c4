//! A whole run: ramp the swarm up, sample once a second, stop it, build the report.

use std::io::IsTerminal;
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::ValueEnum;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sim_core::Content;
use tokio::sync::watch;
use tokio::task::JoinSet;

use crate::auth::AuthMode;
use crate::bot::{self, BotPlan, Shared};
use crate::brain::Knowledge;
use crate::counters::Counters;
use crate::report::{Report, RunInfo};
use crate::sampler::{self, INTERVAL};
use crate::{Args, BotOutcome, LoadgenError, status};

/// How long to wait for the server's /health before giving up.
const HEALTH_WAIT: Duration = Duration::from_secs(30);
/// How long bots get to say goodbye after the run ends.
const STOP_GRACE: Duration = Duration::from_secs(10);

/// Runs the load test described by `args` and returns its report (also written to
/// `args.out`).
pub async fn run(args: &Args, command: String) -> Result<Report, LoadgenError> {
    args.validate()?;
    let content = Content::builtin()
        .map_err(|e| LoadgenError::InvalidArgument(format!("game content: {e}")))?;
    crate::auth::wait_healthy(&args.http, HEALTH_WAIT).await?;
    let counters = Arc::new(Counters::default());
    let start = Instant::now();
    let shared = Arc::new(Shared {
        ws_url: args.server.clone(),
        http_base: args.http.clone(),
        counters: counters.clone(),
        knowledge: Arc::new(Knowledge::from_content(&content)),
        json: args.json,
        pvp: args.pvp,
        seed: args.seed,
        start,
        duration: args.duration(),
    });
    let (stop_tx, stop_rx) = watch::channel(false);
    let mut timeline =
        vec![sampler::sample(start, &counters, &args.metrics, args.server_pid).await];

    // Spawn bots evenly over the ramp, sampling in between.
    let mut rng = ChaCha8Rng::seed_from_u64(args.seed);
    let mut bots = JoinSet::new();
    let ramp = Duration::from_secs_f64(args.ramp);
    let end = start + args.duration();
    let mut next_sample = start + INTERVAL;
    let overwrite = !args.quiet && std::io::stderr().is_terminal();
    for index in 0..args.bots {
        let due = start + ramp.mul_f64(index as f64 / args.bots as f64);
        while Instant::now() < due {
            let wake = due.min(next_sample);
            tokio::time::sleep_until(wake.into()).await;
            if Instant::now() >= next_sample {
                sample_and_show(args, start, &counters, &mut timeline, overwrite).await;
                next_sample = next_interval(next_sample);
            }
        }
        let auth = if rng.random_bool(args.register) {
            AuthMode::Register
        } else if args.ws_guest {
            AuthMode::HandshakeGuest
        } else {
            AuthMode::HttpGuest
        };
        let plan = BotPlan {
            index,
            auth,
            churns: rng.random_bool(args.churn),
        };
        bots.spawn(bot::run(shared.clone(), plan, stop_rx.clone()));
    }
    while Instant::now() < end {
        tokio::time::sleep_until(next_sample.min(end).into()).await;
        if Instant::now() >= next_sample {
            sample_and_show(args, start, &counters, &mut timeline, overwrite).await;
            next_sample = next_interval(next_sample);
        }
    }
    // The last sample is taken while every bot is still playing (unless the regular
    // one was just taken: a sliver of an interval makes noisy rates).
    if timeline
        .last()
        .is_none_or(|p| start.elapsed().as_secs_f64() - p.t > 0.5)
    {
        sample_and_show(args, start, &counters, &mut timeline, overwrite).await;
    }
    if overwrite {
        eprintln!();
    }
    let _ = stop_tx.send(true);
    let mut outcomes: Vec<BotOutcome> = Vec::with_capacity(args.bots);
    let collect = async {
        while let Some(done) = bots.join_next().await {
            if let Ok(o) = done {
                outcomes.push(o);
            }
        }
    };
    if tokio::time::timeout(STOP_GRACE, collect).await.is_err() {
        eprintln!("loadgen: some bots did not stop within {STOP_GRACE:?}; they are left out");
    }
    outcomes.sort_by_key(|o| o.index);

    let health_url = format!("{}/health", args.http.trim_end_matches('/'));
    let healthy_after = crate::http::get(&health_url)
        .await
        .is_ok_and(|r| r.status == 200);
    let mut report = Report::build(
        RunInfo {
            label: args.label.clone(),
            command,
            bots: args.bots,
            duration_s: args.duration,
            ramp_s: args.ramp,
            churn: args.churn,
            pvp: args
                .pvp
                .to_possible_value()
                .map_or_else(String::new, |v| v.get_name().to_owned()),
        },
        &outcomes,
        &counters,
        timeline,
    );
    report.server_healthy_after = Some(healthy_after);
    report.write(&args.out)?;
    if let Some(err) = outcomes.iter().find_map(|o| o.last_error.as_ref()) {
        eprintln!("loadgen: an example of the errors bots saw: {err}");
    }
    Ok(report)
}

/// The next sampling moment after one was taken: one interval on, or one interval from
/// now when a slow scrape (an overloaded server) made us late — catching up with a
/// burst of back-to-back samples would give slivers of intervals and noisy rates.
fn next_interval(previous: Instant) -> Instant {
    (previous + INTERVAL).max(Instant::now() + INTERVAL / 2)
}

async fn sample_and_show(
    args: &Args,
    start: Instant,
    counters: &Arc<Counters>,
    timeline: &mut Vec<sampler::Point>,
    overwrite: bool,
) {
    let point = sampler::sample(start, counters, &args.metrics, args.server_pid).await;
    if !args.quiet
        && let Some(prev) = timeline.last()
    {
        let text = status::line(
            args.bots,
            prev,
            &point,
            Counters::get(&counters.connect_failures),
            Counters::get(&counters.server_errors),
        );
        status::show(&text, overwrite);
    }
    timeline.push(point);
}
