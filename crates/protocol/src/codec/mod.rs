//! The binary codec: frame header, optional deflate, and the payload of every message.

pub(crate) mod frame;
pub(crate) mod reader;
pub(crate) mod writer;

use crate::{DecodeError, EncodeError};
use reader::Reader;
use writer::Writer;

/// A value with a binary payload form (no header).
pub(crate) trait Body: Sized {
    fn put(&self, w: &mut Writer<'_>);
    fn get(r: &mut Reader<'_>) -> Result<Self, DecodeError>;
}

/// Checks the limits the decoder enforces, so that what we encode the peer accepts.
pub trait Validate {
    /// `Ok` when every string, list and value is within the wire's limits.
    fn validate(&self) -> Result<(), EncodeError>;
}

pub(crate) fn check_len(field: &'static str, len: usize, max: usize) -> Result<(), EncodeError> {
    if len > max {
        Err(EncodeError::LimitExceeded { field, len, max })
    } else {
        Ok(())
    }
}

pub(crate) fn check_ascending(
    field: &'static str,
    ids: impl Iterator<Item = u32>,
) -> Result<(), EncodeError> {
    let mut prev: Option<u32> = None;
    for id in ids {
        if prev.is_some_and(|p| id <= p) {
            return Err(EncodeError::InvalidValue {
                field,
                problem: "ids must be strictly ascending",
            });
        }
        prev = Some(id);
    }
    Ok(())
}

/// Optional values: a presence byte (0 or 1) then the value.
pub(crate) fn put_opt<T>(w: &mut Writer<'_>, v: &Option<T>, f: impl FnOnce(&mut Writer<'_>, &T)) {
    match v {
        None => w.u8(0),
        Some(x) => {
            w.u8(1);
            f(w, x);
        }
    }
}

pub(crate) fn get_opt<T>(
    r: &mut Reader<'_>,
    field: &'static str,
    f: impl FnOnce(&mut Reader<'_>) -> Result<T, DecodeError>,
) -> Result<Option<T>, DecodeError> {
    if r.bool(field)? {
        Ok(Some(f(r)?))
    } else {
        Ok(None)
    }
}
