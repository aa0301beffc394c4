//! Fuzzes the binary and JSON decoders of both directions: nothing may panic, and
//! whatever decodes must encode again and decode to the same message.

#![no_main]

use libfuzzer_sys::fuzz_target;
use protocol::{
    ClientMessage, DecodeLimits, EncodeOptions, ServerMessage, decode, encode, from_json,
};

fuzz_target!(|data: &[u8]| {
    if let Ok(msg) = decode::<ClientMessage>(data, &DecodeLimits::default()) {
        let again = encode(&msg, &EncodeOptions::default()).expect("decoded messages encode");
        let back: ClientMessage =
            decode(&again, &DecodeLimits::default()).expect("encoded messages decode");
        assert_eq!(back, msg);
    }
    if let Ok(msg) = decode::<ServerMessage>(data, &DecodeLimits::server()) {
        let again = encode(&msg, &EncodeOptions::default()).expect("decoded messages encode");
        let back: ServerMessage =
            decode(&again, &DecodeLimits::server()).expect("encoded messages decode");
        assert_eq!(back, msg);
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = from_json::<ClientMessage>(text, 8192);
        let _ = from_json::<ServerMessage>(text, 1 << 20);
    }
});
