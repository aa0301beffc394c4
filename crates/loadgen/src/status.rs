//! The live status line on stderr: connected bots, message rates, errors, server tick.

use std::io::Write;

use crate::sampler::{Point, Rates};

/// Renders one status line from the last two samples.
pub fn line(bots: usize, prev: &Point, now: &Point, failures: u64, server_errors: u64) -> String {
    let r = Rates::between(prev, now);
    let tick = r
        .tick_p99_ms
        .map_or_else(|| "n/a".to_owned(), |v| format!("{v:.2} ms"));
    let cpu = r
        .cpu_cores
        .map_or_else(String::new, |v| format!(" | server CPU {:.0} %", v * 100.0));
    format!(
        "[{:>5.0}s] bots {}/{} | msg/s in {:.0} out {:.0} | KiB/s/bot in {:.2} out {:.2} | errors: protocol {} server {} drops {} failed {} | tick p99 {tick}{cpu}",
        now.t,
        now.connected,
        bots,
        r.msgs_in,
        r.msgs_out,
        r.bytes_in_per_bot / 1024.0,
        r.bytes_out_per_bot / 1024.0,
        now.protocol_errors,
        server_errors,
        now.drops,
        failures,
    )
}

/// Prints `text` over the previous status line (a terminal) or as a new line (a log).
pub fn show(text: &str, overwrite: bool) {
    let mut err = std::io::stderr().lock();
    let _ = if overwrite {
        write!(err, "\r\x1b[2K{text}")
    } else {
        writeln!(err, "{text}")
    };
    let _ = err.flush();
}
