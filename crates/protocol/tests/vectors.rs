#![allow(clippy::unwrap_used, clippy::expect_used)]

//! Golden vectors: every message type as hex (binary frame) and JSON, decoded and
//! re-encoded byte for byte. The browser client's codec is tested against the same
//! files. Regenerate after an intended change with
//! `KINDLING_REGEN_VECTORS=1 cargo test -p protocol --test vectors`.

mod samples;

use std::path::PathBuf;

use protocol::*;

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/vectors")
}

fn regen() -> bool {
    std::env::var_os("KINDLING_REGEN_VECTORS").is_some()
}

fn read(name: &str) -> String {
    let path = dir().join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (regenerate with KINDLING_REGEN_VECTORS=1)",
            path.display()
        )
    })
}

fn write(name: &str, text: &str) {
    std::fs::write(dir().join(name), text).unwrap();
}

fn check_binary<M>(stem: &str, msg: &M, bytes: Vec<u8>, limits: &DecodeLimits, canonical: bool)
where
    M: WireMessage + std::fmt::Debug + PartialEq,
{
    let file = format!("{stem}.hex");
    if regen() {
        write(&file, &format!("{}\n", hex::encode(&bytes)));
    }
    let golden = hex::decode(read(&file).trim()).unwrap();
    let decoded: M = decode(&golden, limits).unwrap_or_else(|e| panic!("{file}: {e}"));
    assert_eq!(&decoded, msg, "{file} decodes to the sample");
    if canonical {
        assert_eq!(
            hex::encode(&bytes),
            hex::encode(&golden),
            "{file} re-encodes byte for byte"
        );
    }
}

fn check_json<M>(stem: &str, msg: &M, max: usize)
where
    M: serde::Serialize + serde::de::DeserializeOwned + Validate + std::fmt::Debug + PartialEq,
{
    let file = format!("{stem}.json");
    let text = to_json(msg).unwrap();
    if regen() {
        write(&file, &format!("{text}\n"));
    }
    let golden = read(&file);
    let decoded: M = from_json(golden.trim_end(), max).unwrap_or_else(|e| panic!("{file}: {e}"));
    assert_eq!(&decoded, msg, "{file} decodes to the sample");
    assert_eq!(
        to_json(&decoded).unwrap(),
        golden.trim_end(),
        "{file} re-encodes exactly"
    );
}

#[test]
fn client_messages_match_their_golden_vectors() {
    for (stem, msg) in samples::client_samples() {
        let bytes = encode(&msg, &EncodeOptions::default()).unwrap();
        check_binary(stem, &msg, bytes, &DecodeLimits::default(), true);
        check_json(stem, &msg, limits::MAX_CLIENT_MESSAGE_BYTES);
    }
}

#[test]
fn server_messages_match_their_golden_vectors() {
    for (stem, msg, compression) in samples::server_samples() {
        let opts = EncodeOptions {
            compression,
            ..EncodeOptions::default()
        };
        let bytes = encode(&msg, &opts).unwrap();
        // zlib output may differ between deflate implementations; compressed vectors
        // pin the decoding, uncompressed ones the exact bytes.
        let canonical = compression == Compression::OFF;
        check_binary(stem, &msg, bytes, &DecodeLimits::server(), canonical);
        check_json(stem, &msg, 1 << 20);
    }
}

#[test]
fn every_message_type_has_a_vector() {
    let mut client: Vec<u8> = samples::client_samples()
        .iter()
        .map(|(_, m)| m.type_id())
        .collect();
    client.dedup();
    assert_eq!(client, vec![1, 2, 3, 4, 5]);
    let mut server: Vec<u8> = samples::server_samples()
        .iter()
        .map(|(_, m, _)| m.type_id())
        .collect();
    server.sort();
    server.dedup();
    assert_eq!(server, (0x81..=0x8c).collect::<Vec<u8>>());
}

#[test]
fn compressed_vector_is_really_compressed() {
    let golden = hex::decode(read("server_world_map_deflate.hex").trim()).unwrap();
    assert_eq!(golden[11] & FLAG_DEFLATE, FLAG_DEFLATE);
    assert!(
        golden.len() < 6400 / 4,
        "deflate pays on the map: {} bytes",
        golden.len()
    );
}
