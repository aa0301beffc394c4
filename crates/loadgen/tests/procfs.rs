//! Reading CPU and RSS from /proc, on this very test process.

use loadgen::procfs::{parse_stat, parse_status_rss, sample};

#[test]
fn reads_this_process() {
    let me = std::process::id();
    // Burn a little CPU and touch 32 MiB so both readings move.
    let before = sample(me).expect("own /proc is readable");
    let block = vec![1u8; 32 << 20];
    let mut acc = 0u64;
    for round in 0..20u64 {
        for b in block.iter().step_by(64) {
            acc = acc.wrapping_add(u64::from(*b) ^ round);
        }
    }
    let after = sample(me).expect("own /proc is readable");
    assert!(acc > 0);
    assert!(
        after.rss_bytes >= before.rss_bytes + (30 << 20),
        "{before:?} {after:?}"
    );
    assert!(after.cpu_seconds >= before.cpu_seconds);
    assert!(after.threads >= 1);
    drop(block);
}

#[test]
fn a_missing_process_is_a_clear_error() {
    // PIDs are below 2^22 on Linux, so this one cannot exist.
    let err = sample(u32::MAX - 1).expect_err("no such pid").to_string();
    assert!(err.contains("cannot read"), "{err}");
}

#[test]
fn command_names_with_spaces_and_parentheses_are_skipped() {
    let stat = "1234 (my (odd) name) S 1 1234 1234 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 7 0 100 1000 300";
    let (cpu, threads) = parse_stat(stat).expect("parses");
    assert!((cpu - 3.0).abs() < 1e-9, "{cpu}");
    assert_eq!(threads, 7);
    assert!(parse_stat("1234 no parens").is_err());
    assert!(parse_stat("1 (x) S 1 2").is_err());
    assert_eq!(
        parse_status_rss("Name:\tx\nVmRSS:\t   2048 kB\n"),
        Ok(2048 * 1024)
    );
    assert!(parse_status_rss("Name:\tx\n").is_err());
}
