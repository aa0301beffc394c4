//! The crate's errors: why a frame could not be decoded or a message not encoded.

/// Why bytes or text could not be turned into a message. Every variant names what was
/// wrong precisely enough to log it and answer the peer with an error message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// Fewer bytes than the 12-byte frame header.
    #[error("frame too short: {len} bytes, the header alone is {header} bytes")]
    ShortFrame {
        /// Bytes received.
        len: usize,
        /// Header size.
        header: usize,
    },
    /// The first four bytes are not `STAR`.
    #[error("bad magic {0:02x?}, expected \"STAR\"")]
    BadMagic([u8; 4]),
    /// The header names a protocol version this build does not speak.
    #[error("unsupported protocol version {got}; supported: {supported:?}")]
    UnsupportedVersion {
        /// Version in the header.
        got: u16,
        /// What this build supports.
        supported: &'static [u16],
    },
    /// The message type byte is unknown (or belongs to the other direction).
    #[error("unknown message type 0x{0:02x} for this direction")]
    UnknownType(u8),
    /// The header's length field disagrees with the frame's size.
    #[error("length field says {header} bytes but the frame has {actual}")]
    LengthMismatch {
        /// Length in the header.
        header: usize,
        /// Bytes in the frame.
        actual: usize,
    },
    /// The frame (or JSON text) is larger than allowed.
    #[error("message of {len} bytes exceeds the limit of {max}")]
    TooLarge {
        /// Size seen.
        len: usize,
        /// Limit.
        max: usize,
    },
    /// Reserved flag bits are set.
    #[error("unknown flag bits 0x{0:02x}")]
    UnknownFlags(u8),
    /// The compressed payload is corrupt.
    #[error("corrupt compressed payload: {0}")]
    Decompress(String),
    /// The payload ended inside a field.
    #[error("payload truncated in field `{0}`")]
    Truncated(&'static str),
    /// A varint is longer than its type allows or not minimally encoded.
    #[error("bad varint in field `{0}` (overflow or non-minimal encoding)")]
    BadVarint(&'static str),
    /// A string is not UTF-8.
    #[error("field `{0}` is not valid UTF-8")]
    InvalidUtf8(&'static str),
    /// A string or array is longer than its limit.
    #[error("field `{field}` has length {len}, limit {max}")]
    LimitExceeded {
        /// Which field.
        field: &'static str,
        /// Length seen.
        len: usize,
        /// Limit.
        max: usize,
    },
    /// A field holds a value outside its domain (unknown enum tag, bad bool, ...).
    #[error("field `{field}` has invalid value {value}")]
    InvalidValue {
        /// Which field.
        field: &'static str,
        /// The value seen.
        value: u64,
    },
    /// Bytes left over after the message.
    #[error("{0} trailing bytes after the message")]
    TrailingBytes(usize),
    /// The JSON text is malformed or does not match a message.
    #[error("bad JSON message: {0}")]
    Json(String),
}

/// Why a message could not be encoded: it breaks a limit the decoder would enforce,
/// so the peer would reject it anyway.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EncodeError {
    /// A string, array or the payload is over its limit.
    #[error("field `{field}` has length {len}, limit {max}")]
    LimitExceeded {
        /// Which field.
        field: &'static str,
        /// Length.
        len: usize,
        /// Limit.
        max: usize,
    },
    /// A field holds a value the wire cannot carry (e.g. unsorted ids).
    #[error("field `{field}`: {problem}")]
    InvalidValue {
        /// Which field.
        field: &'static str,
        /// What is wrong.
        problem: &'static str,
    },
    /// Compressing the payload failed.
    #[error("compression failed: {0}")]
    Compress(String),
}

impl From<EncodeError> for DecodeError {
    /// A decoded (JSON) message that breaks a limit is a decode error of the same field.
    fn from(e: EncodeError) -> Self {
        match e {
            EncodeError::LimitExceeded { field, len, max } => {
                DecodeError::LimitExceeded { field, len, max }
            }
            EncodeError::InvalidValue { field, problem } => {
                DecodeError::Json(format!("field `{field}`: {problem}"))
            }
            EncodeError::Compress(m) => DecodeError::Decompress(m),
        }
    }
}
