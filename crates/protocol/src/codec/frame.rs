//! The frame around every binary message: a 12-byte header, then the payload,
//! optionally zlib-deflated.
//!
//! ```text
//! offset size field
//! 0      4    magic, the ASCII bytes "STAR"
//! 4      2    protocol version, u16 little-endian
//! 6      1    message type
//! 7      4    frame length including this header, u32 little-endian
//! 11     1    flags: bit 0 = payload is zlib-compressed; other bits must be 0
//! ```

use std::cell::RefCell;
use std::io::Read;

use crate::codec::Validate;
use crate::codec::reader::Reader;
use crate::codec::writer::Writer;
use crate::limits::DecodeLimits;
use crate::msg::client::ClientMessage;
use crate::msg::server::ServerMessage;
use crate::version::{CURRENT_VERSION, PROTOCOL_VERSIONS};
use crate::{DecodeError, EncodeError};

/// The four bytes every frame starts with.
pub const MAGIC: [u8; 4] = *b"STAR";
/// Size of the frame header.
pub const HEADER_LEN: usize = 12;
/// Header flag: the payload is zlib-compressed (RFC 1950).
pub const FLAG_DEFLATE: u8 = 1;
/// Types whose layout is frozen across versions (handshake, error), decoded whatever
/// the header version, so that version negotiation can answer any peer.
pub const VERSIONLESS_TYPES: [u8; 2] = [0x01, 0x8a];

/// The decoded frame header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FrameHeader {
    /// Protocol version.
    pub version: u16,
    /// Message type.
    pub type_id: u8,
    /// Frame length including the header.
    pub length: u32,
    /// Flag bits.
    pub flags: u8,
}

/// When to deflate a payload: at `level` (0 = never, 1..=9 as zlib) and only when the
/// payload has at least `min_size` bytes (small payloads grow or save nothing).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Compression {
    /// zlib level 0..=9 (`COMPRESSION_LEVEL`); 0 turns compression off.
    pub level: u32,
    /// Payloads shorter than this are sent as they are.
    pub min_size: usize,
}

impl Compression {
    /// Never compress.
    pub const OFF: Compression = Compression {
        level: 0,
        min_size: usize::MAX,
    };
    /// The payload size from which deflate pays on our messages (see BENCHMARKS.md):
    /// snapshots, content tables and the map. The per-tick deltas, events and private
    /// state stay below it — deflate would save them ~20 % of their bytes for ~5× the
    /// CPU of making them, which is what limits a crowded server.
    pub const DEFAULT_MIN_SIZE: usize = 2048;

    /// Compression at `level` for payloads of at least [`Self::DEFAULT_MIN_SIZE`] bytes.
    pub fn level(level: u32) -> Self {
        Self {
            level: level.min(9),
            min_size: Self::DEFAULT_MIN_SIZE,
        }
    }
}

/// How to encode a frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EncodeOptions {
    /// Protocol version written in the header.
    pub version: u16,
    /// Whether to deflate.
    pub compression: Compression,
}

impl Default for EncodeOptions {
    fn default() -> Self {
        Self {
            version: CURRENT_VERSION,
            compression: Compression::OFF,
        }
    }
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for crate::ClientMessage {}
    impl Sealed for crate::ServerMessage {}
}

/// A message type of one direction: [`ClientMessage`] or [`ServerMessage`].
pub trait WireMessage: Sized + Validate + sealed::Sealed {
    /// Its type byte.
    fn type_id(&self) -> u8;
    /// Largest payload (uncompressed) of a message with this type byte.
    fn max_payload(type_id: u8, limits: &DecodeLimits) -> usize;
    /// Appends the payload (no header, uncompressed) to `out`.
    fn write_payload(&self, out: &mut Vec<u8>);
    /// Decodes a whole payload (no header, uncompressed) of type `type_id`.
    fn read_payload(type_id: u8, payload: &[u8]) -> Result<Self, DecodeError>;
}

impl WireMessage for ClientMessage {
    fn type_id(&self) -> u8 {
        ClientMessage::type_id(self)
    }
    fn max_payload(_: u8, limits: &DecodeLimits) -> usize {
        limits.max_frame_bytes.saturating_sub(HEADER_LEN)
    }
    fn write_payload(&self, out: &mut Vec<u8>) {
        ClientMessage::put_body(self, &mut Writer::new(out))
    }
    fn read_payload(type_id: u8, payload: &[u8]) -> Result<Self, DecodeError> {
        let mut r = Reader::new(payload);
        let msg = ClientMessage::get_body(type_id, &mut r)?;
        r.finish()?;
        Ok(msg)
    }
}

impl WireMessage for ServerMessage {
    fn type_id(&self) -> u8 {
        ServerMessage::type_id(self)
    }
    fn max_payload(type_id: u8, _: &DecodeLimits) -> usize {
        ServerMessage::max_payload(type_id)
    }
    fn write_payload(&self, out: &mut Vec<u8>) {
        ServerMessage::put_body(self, &mut Writer::new(out))
    }
    fn read_payload(type_id: u8, payload: &[u8]) -> Result<Self, DecodeError> {
        let mut r = Reader::new(payload);
        let msg = ServerMessage::get_body(type_id, &mut r)?;
        r.finish()?;
        Ok(msg)
    }
}

/// Encodes `msg` as one binary frame.
pub fn encode<M: WireMessage>(msg: &M, opts: &EncodeOptions) -> Result<Vec<u8>, EncodeError> {
    let mut out = Vec::with_capacity(64);
    encode_into(msg, opts, &mut out)?;
    Ok(out)
}

/// Appends one binary frame for `msg` to `out` (reuse `out` to avoid allocations).
/// On error `out` is left as it was.
pub fn encode_into<M: WireMessage>(
    msg: &M,
    opts: &EncodeOptions,
    out: &mut Vec<u8>,
) -> Result<(), EncodeError> {
    msg.validate()?;
    let start = out.len();
    out.extend_from_slice(&MAGIC);
    out.extend_from_slice(&opts.version.to_le_bytes());
    out.push(msg.type_id());
    out.extend_from_slice(&[0, 0, 0, 0, 0]);
    msg.write_payload(out);
    let payload_len = out.len() - start - HEADER_LEN;
    let max = M::max_payload(msg.type_id(), &DecodeLimits::default());
    if payload_len > max {
        out.truncate(start);
        return Err(EncodeError::LimitExceeded {
            field: "payload",
            len: payload_len,
            max,
        });
    }
    let mut flags = 0;
    let c = opts.compression;
    if c.level > 0 && payload_len >= c.min_size {
        let packed = deflate(&out[start + HEADER_LEN..], c.level);
        let packed = match packed {
            Ok(p) => p,
            Err(e) => {
                out.truncate(start);
                return Err(e);
            }
        };
        if packed.len() < payload_len {
            out.truncate(start + HEADER_LEN);
            out.extend_from_slice(&packed);
            flags |= FLAG_DEFLATE;
        }
    }
    let total = out.len() - start;
    let Ok(total32) = u32::try_from(total) else {
        out.truncate(start);
        return Err(EncodeError::LimitExceeded {
            field: "frame",
            len: total,
            max: u32::MAX as usize,
        });
    };
    out[start + 7..start + 11].copy_from_slice(&total32.to_le_bytes());
    out[start + 11] = flags;
    Ok(())
}

thread_local! {
    /// One zlib compressor per thread, reset between messages: creating one allocates
    /// and clears ~300 KiB of tables, which costs more than compressing a delta.
    static DEFLATER: RefCell<Option<(u32, flate2::Compress)>> = const { RefCell::new(None) };
}

/// `body` zlib-compressed at `level`.
fn deflate(body: &[u8], level: u32) -> Result<Vec<u8>, EncodeError> {
    let level = level.min(9);
    DEFLATER.with(|cell| {
        let mut slot = cell.borrow_mut();
        let fresh = || {
            (
                level,
                flate2::Compress::new(flate2::Compression::new(level), true),
            )
        };
        let (lvl, z) = slot.get_or_insert_with(fresh);
        if *lvl != level {
            *lvl = level;
            *z = fresh().1;
        }
        z.reset();
        // zlib's bound for incompressible input: a little over the input size.
        let mut packed = Vec::with_capacity(body.len() + body.len() / 1000 + 64);
        let status = z
            .compress_vec(body, &mut packed, flate2::FlushCompress::Finish)
            .map_err(|e| EncodeError::Compress(e.to_string()))?;
        if status != flate2::Status::StreamEnd {
            return Err(EncodeError::Compress("output buffer too small".into()));
        }
        Ok(packed)
    })
}

/// Reads and checks the header of `frame` without decoding the payload.
pub fn peek_header(frame: &[u8], limits: &DecodeLimits) -> Result<FrameHeader, DecodeError> {
    if frame.len() > limits.max_frame_bytes {
        return Err(DecodeError::TooLarge {
            len: frame.len(),
            max: limits.max_frame_bytes,
        });
    }
    if frame.len() < HEADER_LEN {
        return Err(DecodeError::ShortFrame {
            len: frame.len(),
            header: HEADER_LEN,
        });
    }
    let magic = [frame[0], frame[1], frame[2], frame[3]];
    if magic != MAGIC {
        return Err(DecodeError::BadMagic(magic));
    }
    let header = FrameHeader {
        version: u16::from_le_bytes([frame[4], frame[5]]),
        type_id: frame[6],
        length: u32::from_le_bytes([frame[7], frame[8], frame[9], frame[10]]),
        flags: frame[11],
    };
    if !VERSIONLESS_TYPES.contains(&header.type_id) && !PROTOCOL_VERSIONS.contains(&header.version)
    {
        return Err(DecodeError::UnsupportedVersion {
            got: header.version,
            supported: PROTOCOL_VERSIONS,
        });
    }
    if header.length as usize != frame.len() {
        return Err(DecodeError::LengthMismatch {
            header: header.length as usize,
            actual: frame.len(),
        });
    }
    if header.flags & !FLAG_DEFLATE != 0 {
        return Err(DecodeError::UnknownFlags(header.flags));
    }
    Ok(header)
}

/// Decodes one binary frame into a message of direction `M`.
pub fn decode<M: WireMessage>(frame: &[u8], limits: &DecodeLimits) -> Result<M, DecodeError> {
    decode_with_header(frame, limits).map(|(_, m)| m)
}

/// Decodes one binary frame and also returns its header (e.g. for the version used).
pub fn decode_with_header<M: WireMessage>(
    frame: &[u8],
    limits: &DecodeLimits,
) -> Result<(FrameHeader, M), DecodeError> {
    let header = peek_header(frame, limits)?;
    let payload = &frame[HEADER_LEN..];
    let max = M::max_payload(header.type_id, limits);
    let inflated;
    let body = if header.flags & FLAG_DEFLATE != 0 {
        inflated = inflate(payload, max)?;
        &inflated[..]
    } else {
        if payload.len() > max {
            return Err(DecodeError::TooLarge {
                len: payload.len(),
                max,
            });
        }
        payload
    };
    Ok((header, M::read_payload(header.type_id, body)?))
}

/// Inflates at most `max` bytes; more is an error, not an allocation.
fn inflate(payload: &[u8], max: usize) -> Result<Vec<u8>, DecodeError> {
    let mut out = Vec::with_capacity(payload.len().saturating_mul(4).min(max));
    flate2::read::ZlibDecoder::new(payload)
        .take(max as u64 + 1)
        .read_to_end(&mut out)
        .map_err(|e| DecodeError::Decompress(e.to_string()))?;
    if out.len() > max {
        return Err(DecodeError::TooLarge {
            len: out.len(),
            max,
        });
    }
    Ok(out)
}
