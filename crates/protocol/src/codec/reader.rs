//! Reading primitive values from a payload without panicking and without allocating
//! more than the remaining bytes could justify.

use crate::DecodeError;

/// A cursor over a payload; every read names the field it is for, so errors are precise.
pub(crate) struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(data: &'a [u8]) -> Self {
        Self { data, pos: 0 }
    }

    pub(crate) fn remaining(&self) -> usize {
        self.data.len() - self.pos
    }

    /// Ok when every byte was consumed.
    pub(crate) fn finish(&self) -> Result<(), DecodeError> {
        match self.remaining() {
            0 => Ok(()),
            n => Err(DecodeError::TrailingBytes(n)),
        }
    }

    pub(crate) fn take(&mut self, n: usize, field: &'static str) -> Result<&'a [u8], DecodeError> {
        if self.remaining() < n {
            return Err(DecodeError::Truncated(field));
        }
        let s = &self.data[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }

    pub(crate) fn u8(&mut self, field: &'static str) -> Result<u8, DecodeError> {
        Ok(self.take(1, field)?[0])
    }

    pub(crate) fn bool(&mut self, field: &'static str) -> Result<bool, DecodeError> {
        match self.u8(field)? {
            0 => Ok(false),
            1 => Ok(true),
            v => Err(DecodeError::InvalidValue {
                field,
                value: u64::from(v),
            }),
        }
    }

    pub(crate) fn u16(&mut self, field: &'static str) -> Result<u16, DecodeError> {
        let b = self.take(2, field)?;
        Ok(u16::from_le_bytes([b[0], b[1]]))
    }

    pub(crate) fn u64_fixed(&mut self, field: &'static str) -> Result<u64, DecodeError> {
        let b = self.take(8, field)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Ok(u64::from_le_bytes(a))
    }

    /// LEB128, at most 10 bytes, minimal (no trailing zero groups), no bits past 64.
    pub(crate) fn var(&mut self, field: &'static str) -> Result<u64, DecodeError> {
        let mut v: u64 = 0;
        for i in 0..10 {
            let b = self.u8(field)?;
            let part = u64::from(b & 0x7f);
            if i == 9 && b > 1 {
                return Err(DecodeError::BadVarint(field));
            }
            v |= part << (7 * i);
            if b & 0x80 == 0 {
                if b == 0 && i > 0 {
                    return Err(DecodeError::BadVarint(field));
                }
                return Ok(v);
            }
        }
        Err(DecodeError::BadVarint(field))
    }

    pub(crate) fn var_u32(&mut self, field: &'static str) -> Result<u32, DecodeError> {
        let v = self.var(field)?;
        u32::try_from(v).map_err(|_| DecodeError::InvalidValue { field, value: v })
    }

    pub(crate) fn var_u16(&mut self, field: &'static str) -> Result<u16, DecodeError> {
        let v = self.var(field)?;
        u16::try_from(v).map_err(|_| DecodeError::InvalidValue { field, value: v })
    }

    pub(crate) fn svar(&mut self, field: &'static str) -> Result<i64, DecodeError> {
        let u = self.var(field)?;
        Ok(((u >> 1) as i64) ^ -((u & 1) as i64))
    }

    pub(crate) fn svar_i32(&mut self, field: &'static str) -> Result<i32, DecodeError> {
        let v = self.svar(field)?;
        i32::try_from(v).map_err(|_| DecodeError::InvalidValue {
            field,
            value: v as u64,
        })
    }

    /// A count prefix, checked against `max` and against the bytes left (each element
    /// takes at least `min_elem` bytes), so a lying count cannot make us allocate.
    pub(crate) fn count(
        &mut self,
        field: &'static str,
        max: usize,
        min_elem: usize,
    ) -> Result<usize, DecodeError> {
        let n = self.var(field)?;
        let n = usize::try_from(n).unwrap_or(usize::MAX);
        if n > max {
            return Err(DecodeError::LimitExceeded { field, len: n, max });
        }
        if n.saturating_mul(min_elem) > self.remaining() {
            return Err(DecodeError::Truncated(field));
        }
        Ok(n)
    }

    pub(crate) fn str(&mut self, field: &'static str, max: usize) -> Result<String, DecodeError> {
        let n = self.count(field, max, 1)?;
        let b = self.take(n, field)?;
        std::str::from_utf8(b)
            .map(str::to_owned)
            .map_err(|_| DecodeError::InvalidUtf8(field))
    }

    /// The inverse of [`crate::codec::writer::Writer::id_gap`].
    pub(crate) fn id_gap(
        &mut self,
        prev: Option<u32>,
        field: &'static str,
    ) -> Result<u32, DecodeError> {
        let v = self.var_u32(field)?;
        match prev {
            None => Ok(v),
            Some(p) => {
                p.checked_add(1)
                    .and_then(|x| x.checked_add(v))
                    .ok_or(DecodeError::InvalidValue {
                        field,
                        value: u64::from(v),
                    })
            }
        }
    }
}
