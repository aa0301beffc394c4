//! Percentiles over measured samples (nearest-rank, the definition most load tools use).

use serde::{Deserialize, Serialize};

/// The `q`-quantile (0.0..=1.0) of already sorted samples by the nearest-rank method:
/// the smallest sample such that at least `q` of all samples are ≤ it.
/// `None` for no samples or a `q` outside 0..=1 (or NaN).
pub fn nearest_rank(sorted: &[f64], q: f64) -> Option<f64> {
    if sorted.is_empty() || !(0.0..=1.0).contains(&q) {
        return None;
    }
    let n = sorted.len();
    // rank = ceil(q * n), at least 1; computed in f64 and clamped so rounding cannot
    // step past the end.
    let rank = ((q * n as f64).ceil() as usize).clamp(1, n);
    sorted.get(rank - 1).copied()
}

/// Count, mean and the usual percentiles of a set of samples.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Summary {
    /// Number of samples.
    pub count: usize,
    /// Smallest sample.
    pub min: f64,
    /// Arithmetic mean.
    pub mean: f64,
    /// Median.
    pub p50: f64,
    /// 95th percentile.
    pub p95: f64,
    /// 99th percentile.
    pub p99: f64,
    /// Largest sample.
    pub max: f64,
}

impl Summary {
    /// Summarises `samples` (any order; NaN samples are ignored). `None` when empty.
    pub fn of(samples: &[f64]) -> Option<Summary> {
        let mut sorted: Vec<f64> = samples.iter().copied().filter(|v| !v.is_nan()).collect();
        if sorted.is_empty() {
            return None;
        }
        sorted.sort_by(f64::total_cmp);
        let count = sorted.len();
        let mean = sorted.iter().sum::<f64>() / count as f64;
        Some(Summary {
            count,
            min: sorted[0],
            mean,
            p50: nearest_rank(&sorted, 0.50)?,
            p95: nearest_rank(&sorted, 0.95)?,
            p99: nearest_rank(&sorted, 0.99)?,
            max: sorted[count - 1],
        })
    }
}
