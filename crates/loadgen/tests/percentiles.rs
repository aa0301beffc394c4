//! Nearest-rank percentiles and summaries.

use loadgen::Summary;
use loadgen::percentile::nearest_rank;

#[test]
fn nearest_rank_matches_the_textbook_definition() {
    // The classic example: 5 samples, p30 = 20, p40 = 20, p50 = 35, p100 = 50.
    let s = [15.0, 20.0, 35.0, 40.0, 50.0];
    assert_eq!(nearest_rank(&s, 0.05), Some(15.0));
    assert_eq!(nearest_rank(&s, 0.30), Some(20.0));
    assert_eq!(nearest_rank(&s, 0.40), Some(20.0));
    assert_eq!(nearest_rank(&s, 0.50), Some(35.0));
    assert_eq!(nearest_rank(&s, 1.0), Some(50.0));
    assert_eq!(nearest_rank(&s, 0.0), Some(15.0));
}

#[test]
fn out_of_range_quantiles_and_empty_input_are_none() {
    assert_eq!(nearest_rank(&[], 0.5), None);
    assert_eq!(nearest_rank(&[1.0], 1.5), None);
    assert_eq!(nearest_rank(&[1.0], -0.1), None);
    assert_eq!(nearest_rank(&[1.0], f64::NAN), None);
    assert_eq!(Summary::of(&[]), None);
    assert_eq!(Summary::of(&[f64::NAN]), None);
}

#[test]
fn summary_of_one_to_a_thousand() {
    // Unsorted input on purpose: 1000, 999, …, 1.
    let samples: Vec<f64> = (1..=1000).rev().map(f64::from).collect();
    let s = Summary::of(&samples).expect("samples");
    assert_eq!(s.count, 1000);
    assert_eq!(s.min, 1.0);
    assert_eq!(s.max, 1000.0);
    assert_eq!(s.p50, 500.0);
    assert_eq!(s.p95, 950.0);
    assert_eq!(s.p99, 990.0);
    assert!((s.mean - 500.5).abs() < 1e-9);
}

#[test]
fn summary_ignores_nan_samples() {
    let s = Summary::of(&[3.0, f64::NAN, 1.0, 2.0]).expect("samples");
    assert_eq!((s.count, s.min, s.p50, s.max), (3, 1.0, 2.0, 3.0));
}
