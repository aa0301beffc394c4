//! Per-IP fixed-window rate limits.
//!
//! A fixed window is enough for an API whose limits are "N per minute": it is cheap (one
//! map entry per active IP and scope) and its worst case (2N at a window edge) is
//! acceptable. Entries older than a window are pruned as the map grows.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Entries kept before expired ones are swept.
const SWEEP_AT: usize = 10_000;

/// (IP, scope) → (start of the current window, requests in it).
type Windows = HashMap<(IpAddr, &'static str), (Instant, u32)>;

/// Counts requests per (IP, scope) in fixed windows.
#[derive(Debug)]
pub struct RateLimiter {
    window: Duration,
    counts: Mutex<Windows>,
}

impl RateLimiter {
    /// A limiter with windows of `window`.
    pub fn new(window: Duration) -> Self {
        Self {
            window: window.max(Duration::from_millis(1)),
            counts: Mutex::new(HashMap::new()),
        }
    }

    /// Counts one request from `ip` in `scope`; `Err(seconds)` to wait when over `max`.
    pub fn check(&self, ip: IpAddr, scope: &'static str, max: u32) -> Result<(), u64> {
        self.check_at(ip, scope, max, Instant::now())
    }

    /// [`RateLimiter::check`] at a given instant (monotonic per caller).
    pub fn check_at(
        &self,
        ip: IpAddr,
        scope: &'static str,
        max: u32,
        now: Instant,
    ) -> Result<(), u64> {
        let Ok(mut counts) = self.counts.lock() else {
            // A poisoned lock means a panic elsewhere; failing open keeps the API up.
            return Ok(());
        };
        if counts.len() >= SWEEP_AT {
            let window = self.window;
            counts.retain(|_, (start, _)| now.duration_since(*start) < window);
        }
        let entry = counts.entry((ip, scope)).or_insert((now, 0));
        if now.duration_since(entry.0) >= self.window {
            *entry = (now, 0);
        }
        if entry.1 >= max {
            let left = self.window.saturating_sub(now.duration_since(entry.0));
            return Err(left.as_secs() + u64::from(left.subsec_nanos() > 0));
        }
        entry.1 += 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_per_ip_and_scope() {
        let rl = RateLimiter::new(Duration::from_secs(60));
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        let b: IpAddr = "10.0.0.2".parse().unwrap();
        for _ in 0..3 {
            assert!(rl.check(a, "api", 3).is_ok());
        }
        let wait = rl.check(a, "api", 3).unwrap_err();
        assert!((59..=60).contains(&wait), "{wait}");
        assert!(rl.check(b, "api", 3).is_ok(), "other IPs are not affected");
        assert!(rl.check(a, "auth", 3).is_ok(), "scopes are separate");
    }

    #[test]
    fn a_new_window_resets_the_count() {
        let rl = RateLimiter::new(Duration::from_secs(10));
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        let t0 = Instant::now();
        assert!(rl.check_at(a, "api", 1, t0).is_ok());
        assert_eq!(
            rl.check_at(a, "api", 1, t0 + Duration::from_secs(4)),
            Err(6)
        );
        assert!(
            rl.check_at(a, "api", 1, t0 + Duration::from_secs(10))
                .is_ok()
        );
    }
}
