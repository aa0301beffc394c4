//! The JSON form of the same messages, for WebSocket text frames: compact, one object
//! per frame, with a `type` field naming the message (`"input"`, `"snapshot"`, ...).

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::codec::Validate;
use crate::{DecodeError, EncodeError};

/// Serialises `msg` as compact JSON after checking its limits.
pub fn to_json<M: Serialize + Validate>(msg: &M) -> Result<String, EncodeError> {
    msg.validate()?;
    serde_json::to_string(msg).map_err(|e| EncodeError::InvalidValue {
        field: "json",
        problem: if e.is_data() {
            "not representable"
        } else {
            "serialisation failed"
        },
    })
}

/// Parses a text frame of at most `max_bytes` and checks the same limits as the binary
/// decoder.
pub fn from_json<M: DeserializeOwned + Validate>(
    text: &str,
    max_bytes: usize,
) -> Result<M, DecodeError> {
    if text.len() > max_bytes {
        return Err(DecodeError::TooLarge {
            len: text.len(),
            max: max_bytes,
        });
    }
    let msg: M = serde_json::from_str(text).map_err(|e| DecodeError::Json(e.to_string()))?;
    msg.validate()?;
    Ok(msg)
}
