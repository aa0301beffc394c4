//! Draws from the world's seeded RNG, written out by hand so the numbers depend only on
//! ChaCha8's output stream, not on a library's sampling algorithm.

use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// Uniform in [0, 1).
pub(crate) fn unit(rng: &mut ChaCha8Rng) -> f32 {
    (rng.next_u32() >> 8) as f32 / (1u32 << 24) as f32
}

/// Uniform in [lo, hi).
pub(crate) fn range_f32(rng: &mut ChaCha8Rng, lo: f32, hi: f32) -> f32 {
    lo + (hi - lo) * unit(rng)
}

/// Uniform in lo..=hi (lo when hi < lo).
pub(crate) fn range_u64(rng: &mut ChaCha8Rng, lo: u64, hi: u64) -> u64 {
    if hi <= lo {
        return lo;
    }
    let span = hi - lo + 1;
    // Modulo bias is below 2^-40 for the spans used here (ticks, counts).
    lo + rng.next_u64() % span
}
