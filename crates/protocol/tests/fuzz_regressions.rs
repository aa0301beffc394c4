#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Every input in `tests/fuzz_regressions/` (crashes the fuzzer once found, plus
//! hand-made nasty seeds) is rejected cleanly by every decoder — or, if it decodes,
//! round-trips.

use protocol::*;

#[test]
fn regression_inputs_are_rejected_or_round_trip() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_regressions");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "md") {
            continue;
        }
        let data = std::fs::read(&path).unwrap();
        if let Ok(m) = decode::<ClientMessage>(&data, &DecodeLimits::default()) {
            let again = encode(&m, &EncodeOptions::default()).unwrap();
            assert_eq!(
                decode::<ClientMessage>(&again, &DecodeLimits::default()).unwrap(),
                m
            );
        }
        if let Ok(m) = decode::<ServerMessage>(&data, &DecodeLimits::server()) {
            let again = encode(&m, &EncodeOptions::default()).unwrap();
            assert_eq!(
                decode::<ServerMessage>(&again, &DecodeLimits::server()).unwrap(),
                m
            );
        }
        if let Ok(text) = std::str::from_utf8(&data) {
            assert!(
                from_json::<ClientMessage>(text, 1 << 20).is_err(),
                "{}",
                path.display()
            );
        }
        checked += 1;
    }
    assert!(checked >= 4, "the hand-made seeds are there");
    let bomb = std::fs::read(dir.join("deflate-bomb")).unwrap();
    assert!(matches!(
        decode::<ServerMessage>(&bomb, &DecodeLimits::server()),
        Err(DecodeError::TooLarge { .. })
    ));
}
