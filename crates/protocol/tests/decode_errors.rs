#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Malformed, truncated, oversized and unknown frames are precise errors, never panics.

mod samples;

use proptest::prelude::*;
use protocol::*;

fn frame(version: u16, type_id: u8, flags: u8, payload: &[u8]) -> Vec<u8> {
    let mut f = b"STAR".to_vec();
    f.extend_from_slice(&version.to_le_bytes());
    f.push(type_id);
    f.extend_from_slice(&((payload.len() + 12) as u32).to_le_bytes());
    f.push(flags);
    f.extend_from_slice(payload);
    f
}

fn client(bytes: &[u8]) -> Result<ClientMessage, DecodeError> {
    decode(bytes, &DecodeLimits::default())
}

fn ping_frame() -> Vec<u8> {
    encode(
        &ClientMessage::Ping(Ping { nonce: 5 }),
        &EncodeOptions::default(),
    )
    .unwrap()
}

#[test]
fn header_errors_are_precise() {
    assert_eq!(
        client(b"STA"),
        Err(DecodeError::ShortFrame { len: 3, header: 12 })
    );
    let mut f = ping_frame();
    f[0] = b'X';
    assert_eq!(client(&f), Err(DecodeError::BadMagic(*b"XTAR")));
    assert_eq!(
        client(&frame(9, 0x03, 0, &[5])),
        Err(DecodeError::UnsupportedVersion {
            got: 9,
            supported: PROTOCOL_VERSIONS
        })
    );
    let mut f = ping_frame();
    f[7] += 1;
    assert_eq!(
        client(&f),
        Err(DecodeError::LengthMismatch {
            header: 14,
            actual: 13
        })
    );
    assert_eq!(
        client(&frame(1, 0x03, 0x80, &[5])),
        Err(DecodeError::UnknownFlags(0x80))
    );
    assert_eq!(
        client(&frame(1, 0x84, 0, &[5])),
        Err(DecodeError::UnknownType(0x84))
    );
    assert_eq!(
        decode::<ServerMessage>(&frame(1, 0x02, 0, &[5]), &DecodeLimits::server()),
        Err(DecodeError::UnknownType(0x02))
    );
}

#[test]
fn handshake_of_an_unknown_version_still_decodes_for_negotiation() {
    let hs = samples::client_samples().remove(0).1;
    let mut f = encode(&hs, &EncodeOptions::default()).unwrap();
    f[4] = 77;
    let ClientMessage::Handshake(h) = client(&f).unwrap() else {
        panic!("not a handshake")
    };
    assert!(negotiate(&h.versions, PROTOCOL_VERSIONS).is_ok());
}

#[test]
fn payload_errors_name_the_field() {
    assert_eq!(
        client(&frame(1, 0x03, 0, &[])),
        Err(DecodeError::Truncated("ping.nonce"))
    );
    assert_eq!(
        client(&frame(1, 0x03, 0, &[5, 0])),
        Err(DecodeError::TrailingBytes(1))
    );
    assert_eq!(
        client(&frame(1, 0x03, 0, &[0x85, 0x00])),
        Err(DecodeError::BadVarint("ping.nonce")),
        "non-minimal varint"
    );
    assert_eq!(
        client(&frame(1, 0x03, 0, &[0xff; 11])),
        Err(DecodeError::BadVarint("ping.nonce"))
    );
    assert_eq!(
        client(&frame(1, 0x03, 0, &[0x80, 0x80, 0x80, 0x80, 0x10])),
        Err(DecodeError::InvalidValue {
            field: "ping.nonce",
            value: 1 << 32
        })
    );
    // A disconnect with an unknown reason and one with invalid UTF-8.
    assert_eq!(
        client(&frame(1, 0x05, 0, &[42, 0])),
        Err(DecodeError::InvalidValue {
            field: "disconnect.reason",
            value: 42
        })
    );
    assert_eq!(
        client(&frame(1, 0x05, 0, &[0, 2, 0xc3, 0x28])),
        Err(DecodeError::InvalidUtf8("disconnect.message"))
    );
    // A string longer than its limit, and a count that claims more than the frame holds.
    let mut long = vec![0, 0x81, 0x04];
    long.extend(std::iter::repeat_n(b'a', 513));
    assert_eq!(
        client(&frame(1, 0x05, 0, &long)),
        Err(DecodeError::LimitExceeded {
            field: "disconnect.message",
            len: 513,
            max: 512
        })
    );
    assert_eq!(
        client(&frame(1, 0x01, 0, &[16])),
        Err(DecodeError::Truncated("handshake.versions"))
    );
    assert_eq!(
        client(&frame(1, 0x01, 0, &[17])),
        Err(DecodeError::LimitExceeded {
            field: "handshake.versions",
            len: 17,
            max: 16
        })
    );
}

fn server(bytes: &[u8]) -> Result<ServerMessage, DecodeError> {
    decode(bytes, &DecodeLimits::default())
}

/// A delta of tick 10 against tick 9 with nothing removed or entered, then `changes`.
fn delta_with_changes(changes: &[u8]) -> Vec<u8> {
    let mut payload = vec![10, 1, 0, 0, 0];
    payload.extend_from_slice(changes);
    frame(1, 0x85, 0, &payload)
}

#[test]
fn grouped_changes_have_one_encoding() {
    // Two groups: angle changes of ids 3 and 5 (gap 1), then a health change of id 4.
    let ok = server(&delta_with_changes(&[
        2, 0x02, 2, 3, 7, 1, 8, 0x04, 1, 4, 50,
    ]))
    .unwrap();
    let ServerMessage::Delta(d) = &ok else {
        panic!("{ok:?}")
    };
    let ids: Vec<u32> = d.changed.iter().map(|c| c.id).collect();
    assert_eq!(ids, [3, 4, 5], "merged back by id");
    assert_eq!(
        (d.changed[1].health, d.changed[2].angle),
        (Some(50), Some(8))
    );
    assert_eq!(
        encode(&ok, &EncodeOptions::default()).unwrap(),
        delta_with_changes(&[2, 0x02, 2, 3, 7, 1, 8, 0x04, 1, 4, 50]),
        "re-encodes byte for byte"
    );
    let invalid = |field, value| Err(DecodeError::InvalidValue { field, value });
    assert_eq!(
        server(&delta_with_changes(&[2, 0x04, 1, 4, 50, 0x02, 1, 3, 7])),
        invalid("change.mask", 2),
        "groups out of mask order"
    );
    assert_eq!(
        server(&delta_with_changes(&[2, 0x02, 1, 3, 7, 0x02, 1, 5, 8])),
        invalid("change.mask", 2),
        "the same mask twice"
    );
    assert_eq!(
        server(&delta_with_changes(&[1, 0x00, 1, 3, 7])),
        invalid("change.mask", 0)
    );
    assert_eq!(
        server(&delta_with_changes(&[1, 0x42, 1, 3, 7])),
        invalid("change.mask", 0x42)
    );
    assert_eq!(
        server(&delta_with_changes(&[2, 0x02, 0, 0x04, 1, 4, 50, 0, 0])),
        invalid("delta.changed", 0),
        "an empty group"
    );
    assert_eq!(
        server(&delta_with_changes(&[2, 0x02, 1, 4, 7, 0x04, 1, 4, 50])),
        invalid("change.id", 4),
        "one entity in two groups"
    );
    assert_eq!(
        server(&delta_with_changes(&[64])),
        Err(DecodeError::LimitExceeded {
            field: "delta.changed",
            len: 64,
            max: 63
        })
    );
    assert_eq!(
        server(&delta_with_changes(&[1, 0x02, 9, 3, 7])),
        Err(DecodeError::Truncated("delta.changed")),
        "a count the frame cannot hold"
    );
}

#[test]
fn oversized_frames_are_refused_before_decoding() {
    let big = frame(1, 0x05, 0, &vec![0u8; 9000]);
    assert_eq!(
        client(&big),
        Err(DecodeError::TooLarge {
            len: 9012,
            max: 8192
        })
    );
    // The cap is configurable (server.toml max_message_size).
    assert_eq!(
        decode::<ClientMessage>(&ping_frame(), &DecodeLimits::client(12)),
        Err(DecodeError::TooLarge { len: 13, max: 12 })
    );
}

#[test]
fn a_deflate_bomb_is_cut_at_the_payload_limit() {
    use std::io::Write;
    let mut enc = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(&vec![0u8; 1 << 20]).unwrap();
    let packed = enc.finish().unwrap();
    let f = frame(1, 0x84, FLAG_DEFLATE, &packed);
    assert_eq!(
        decode::<ServerMessage>(&f, &DecodeLimits::server()),
        Err(DecodeError::TooLarge {
            len: 32769,
            max: 32768
        })
    );
    let f = frame(1, 0x84, FLAG_DEFLATE, &[1, 2, 3]);
    assert!(matches!(
        decode::<ServerMessage>(&f, &DecodeLimits::server()),
        Err(DecodeError::Decompress(_))
    ));
}

#[test]
fn encoding_refuses_what_decoding_would_refuse() {
    let msg = ClientMessage::Disconnect(Disconnect {
        reason: DisconnectReason::ClientQuit,
        message: "x".repeat(600),
    });
    assert!(matches!(
        encode(&msg, &EncodeOptions::default()),
        Err(EncodeError::LimitExceeded {
            field: "disconnect.message",
            ..
        })
    ));
    assert!(to_json(&msg).is_err());
    let unsorted = ServerMessage::Snapshot(Snapshot {
        tick: 1,
        last_input_seq: 0,
        entities: vec![samples::node_entity(5), samples::node_entity(4)],
    });
    assert!(encode(&unsorted, &EncodeOptions::default()).is_err());
}

#[test]
fn json_errors_are_precise() {
    let max = limits::MAX_CLIENT_MESSAGE_BYTES;
    assert!(matches!(
        from_json::<ClientMessage>("{", max),
        Err(DecodeError::Json(_))
    ));
    assert!(matches!(
        from_json::<ClientMessage>(r#"{"type":"warp"}"#, max),
        Err(DecodeError::Json(_))
    ));
    assert!(matches!(
        from_json::<ClientMessage>(r#"{"type":"ping","nonce":1,"extra":2}"#, max),
        Err(DecodeError::Json(_))
    ));
    let long = format!(
        r#"{{"type":"disconnect","reason":"client_quit","message":"{}"}}"#,
        "a".repeat(600)
    );
    assert_eq!(
        from_json::<ClientMessage>(&long, max),
        Err(DecodeError::LimitExceeded {
            field: "disconnect.message",
            len: 600,
            max: 512
        })
    );
    assert!(matches!(
        from_json::<ClientMessage>(&"[".repeat(9000), max),
        Err(DecodeError::TooLarge { .. })
    ));
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        let _ = decode::<ClientMessage>(&bytes, &DecodeLimits::default());
        let _ = decode::<ServerMessage>(&bytes, &DecodeLimits::server());
    }

    #[test]
    fn mutated_vectors_never_panic_and_valid_ones_round_trip(
        pick in 0usize..40, pos in any::<usize>(), byte in any::<u8>(), cut in any::<usize>()
    ) {
        let servers = samples::server_samples();
        let (_, msg, c) = &servers[pick % servers.len()];
        let f = encode(msg, &EncodeOptions { compression: *c, ..Default::default() }).unwrap();
        let mut m = f.clone();
        let i = pos % m.len();
        m[i] = byte;
        if let Ok(decoded) = decode::<ServerMessage>(&m, &DecodeLimits::server()) {
            // Whatever decodes must encode again and decode to the same message.
            let again = encode(&decoded, &EncodeOptions::default()).unwrap();
            prop_assert_eq!(decode::<ServerMessage>(&again, &DecodeLimits::server()).unwrap(), decoded);
        }
        let n = cut % f.len();
        prop_assert!(decode::<ServerMessage>(&f[..n], &DecodeLimits::server()).is_err());
    }
}
