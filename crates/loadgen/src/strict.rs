//! The correctness checks of a CI smoke run (`--strict`): not speed, only that the
//! swarm played without trouble.

use crate::Report;

/// Every way the run fell short of "all bots connected, no protocol errors, no drops".
pub fn strict_problems(r: &Report) -> Vec<String> {
    let mut problems = Vec::new();
    if r.bots.connected != r.bots_requested {
        problems.push(format!(
            "{} of {} bots connected",
            r.bots.connected, r.bots_requested
        ));
    }
    if r.errors.protocol > 0 {
        problems.push(format!("{} protocol errors", r.errors.protocol));
    }
    if r.errors.server > 0 {
        problems.push(format!(
            "{} error messages from the server",
            r.errors.server
        ));
    }
    if r.bots.dropped > 0 {
        problems.push(format!("{} unexpected disconnects", r.bots.dropped));
    }
    if r.bots.peak_connected < r.bots_requested as u64 {
        problems.push(format!(
            "at most {} bots were connected at once",
            r.bots.peak_connected
        ));
    }
    if r.server_healthy_after != Some(true) {
        problems.push("the server's /health did not answer 200 after the run".into());
    }
    if r.messages_per_s.inbound <= 0.0 {
        problems.push("the bots received no messages in the steady window".into());
    }
    problems
}
