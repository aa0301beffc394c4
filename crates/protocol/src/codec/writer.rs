//! Appending primitive values to a payload: fixed little-endian integers, LEB128
//! varints, zigzag signed varints and length-prefixed UTF-8 strings.

/// Appends wire primitives to a byte buffer. Writing cannot fail: limits are checked
/// by [`crate::Validate`] before a message is written.
pub(crate) struct Writer<'a> {
    buf: &'a mut Vec<u8>,
}

impl<'a> Writer<'a> {
    pub(crate) fn new(buf: &'a mut Vec<u8>) -> Self {
        Self { buf }
    }

    pub(crate) fn u8(&mut self, v: u8) {
        self.buf.push(v);
    }

    pub(crate) fn u16(&mut self, v: u16) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }

    pub(crate) fn u64_fixed(&mut self, v: u64) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }

    /// Unsigned LEB128: seven bits per byte, low bits first, high bit = more follows.
    pub(crate) fn var(&mut self, mut v: u64) {
        while v >= 0x80 {
            self.buf.push((v as u8) | 0x80);
            v >>= 7;
        }
        self.buf.push(v as u8);
    }

    /// Zigzag (0, -1, 1, -2, ... → 0, 1, 2, 3, ...) then LEB128.
    pub(crate) fn svar(&mut self, v: i64) {
        self.var(((v << 1) ^ (v >> 63)) as u64);
    }

    pub(crate) fn str(&mut self, s: &str) {
        self.var(s.len() as u64);
        self.buf.extend_from_slice(s.as_bytes());
    }

    pub(crate) fn bytes(&mut self, b: &[u8]) {
        self.buf.extend_from_slice(b);
    }

    /// Ascending ids as the first id then each gap minus one (strictly ascending
    /// lists are checked by validation).
    pub(crate) fn id_gap(&mut self, prev: Option<u32>, id: u32) {
        match prev {
            None => self.var(u64::from(id)),
            Some(p) => self.var(u64::from(id.wrapping_sub(p).wrapping_sub(1))),
        }
    }
}
