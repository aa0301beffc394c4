// Primitive values of the binary protocol (crates/protocol/PROTOCOL.md): little-endian
// fixed integers, LEB128 varints, zigzag signed varints, length-prefixed UTF-8 strings,
// and ids as gaps from the previous id. The reader never reads past its buffer and
// never allocates more than the remaining bytes could justify.

/** A frame or payload that does not follow the protocol. */
export class DecodeError extends Error {
  /** @param {string} message */
  constructor(message) {
    super(message);
    this.name = 'DecodeError';
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const utf8enc = new TextEncoder();

export class Reader {
  /** @param {Uint8Array} data */
  constructor(data) {
    this.data = data;
    this.pos = 0;
  }

  remaining() {
    return this.data.length - this.pos;
  }

  finish() {
    if (this.remaining() !== 0) throw new DecodeError(`${this.remaining()} trailing bytes after the message`);
  }

  /**
   * @param {number} n
   * @param {string} field
   */
  take(n, field) {
    if (this.remaining() < n) throw new DecodeError(`truncated at ${field}`);
    const s = this.data.subarray(this.pos, this.pos + n);
    this.pos += n;
    return s;
  }

  /** @param {string} field */
  u8(field) {
    if (this.pos >= this.data.length) throw new DecodeError(`truncated at ${field}`);
    return this.data[this.pos++];
  }

  /** @param {string} field */
  bool(field) {
    const v = this.u8(field);
    if (v > 1) throw new DecodeError(`invalid value ${v} for ${field}`);
    return v === 1;
  }

  /** @param {string} field */
  u16(field) {
    const b = this.take(2, field);
    return b[0] | (b[1] << 8);
  }

  /**
   * A fixed u64, as a decimal string (it may exceed JavaScript's exact integers).
   * @param {string} field
   */
  u64Fixed(field) {
    const b = this.take(8, field);
    let v = 0n;
    for (let i = 7; i >= 0; i--) v = (v << 8n) | BigInt(b[i]);
    return v;
  }

  /**
   * An unsigned LEB128 varint up to 2^53 (larger values are refused: no field of the
   * protocol legitimately carries one, and they would lose precision here).
   * @param {string} field
   */
  var(field) {
    let v = 0;
    let mul = 1;
    for (let i = 0; i < 10; i++) {
      const b = this.u8(field);
      v += (b & 0x7f) * mul;
      if ((b & 0x80) === 0) {
        if (b === 0 && i > 0) throw new DecodeError(`overlong varint at ${field}`);
        if (!Number.isSafeInteger(v)) throw new DecodeError(`varint too large at ${field}`);
        return v;
      }
      mul *= 128;
    }
    throw new DecodeError(`bad varint at ${field}`);
  }

  /**
   * @param {string} field
   * @param {number} max inclusive
   */
  varMax(field, max) {
    const v = this.var(field);
    if (v > max) throw new DecodeError(`invalid value ${v} for ${field}`);
    return v;
  }

  /** @param {string} field */
  u32v(field) {
    return this.varMax(field, 0xffffffff);
  }

  /** @param {string} field */
  u16v(field) {
    return this.varMax(field, 0xffff);
  }

  /** @param {string} field */
  svar(field) {
    const u = this.var(field);
    // zigzag: even → u/2, odd → -(u+1)/2; exact below 2^53.
    return u % 2 === 0 ? u / 2 : -(u + 1) / 2;
  }

  /** @param {string} field */
  i32s(field) {
    const v = this.svar(field);
    if (v < -0x80000000 || v > 0x7fffffff) throw new DecodeError(`invalid value ${v} for ${field}`);
    return v;
  }

  /**
   * A list length, refused when over `max` or when the rest could not hold it.
   * @param {string} field
   * @param {number} max
   * @param {number} minElem smallest encoded element, in bytes
   */
  count(field, max, minElem) {
    const n = this.var(field);
    if (n > max) throw new DecodeError(`${field}: ${n} items, at most ${max} allowed`);
    if (n * minElem > this.remaining()) throw new DecodeError(`truncated at ${field}`);
    return n;
  }

  /**
   * @param {string} field
   * @param {number} max bytes
   */
  str(field, max) {
    const n = this.count(field, max, 1);
    const b = this.take(n, field);
    try {
      return utf8.decode(b);
    } catch {
      throw new DecodeError(`invalid UTF-8 in ${field}`);
    }
  }

  /**
   * @param {number | null} prev
   * @param {string} field
   */
  idGap(prev, field) {
    const v = this.u32v(field);
    if (prev === null) return v;
    const id = prev + 1 + v;
    if (id > 0xffffffff) throw new DecodeError(`invalid value ${v} for ${field}`);
    return id;
  }

  /**
   * An optional value: a presence byte (0/1), then the value.
   * @template T
   * @param {string} field
   * @param {(r: Reader) => T} f
   * @returns {T | null}
   */
  opt(field, f) {
    return this.bool(field) ? f(this) : null;
  }
}

export class Writer {
  constructor() {
    /** @type {number[]} */
    this.buf = [];
  }

  /** @param {number} v */
  u8(v) {
    this.buf.push(v & 0xff);
  }

  /** @param {number} v */
  u16(v) {
    this.buf.push(v & 0xff, (v >> 8) & 0xff);
  }

  /** @param {bigint} v */
  u64Fixed(v) {
    for (let i = 0; i < 8; i++) {
      this.buf.push(Number(v & 0xffn));
      v >>= 8n;
    }
  }

  /** @param {number} v non-negative integer ≤ 2^53 */
  var(v) {
    if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`cannot encode ${v} as a varint`);
    while (v >= 0x80) {
      this.buf.push((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    this.buf.push(v);
  }

  /** @param {number} v */
  svar(v) {
    this.var(v >= 0 ? v * 2 : -v * 2 - 1);
  }

  /** @param {string} s */
  str(s) {
    const b = utf8enc.encode(s);
    this.var(b.length);
    for (const x of b) this.buf.push(x);
  }

  /** @param {ArrayLike<number>} b */
  bytes(b) {
    for (let i = 0; i < b.length; i++) this.buf.push(b[i]);
  }

  /**
   * @param {number | null} prev
   * @param {number} id
   */
  idGap(prev, id) {
    this.var(prev === null ? id : (id - prev - 1) >>> 0);
  }

  /**
   * @template T
   * @param {T | null | undefined} v
   * @param {(w: Writer, v: T) => void} f
   */
  opt(v, f) {
    if (v === null || v === undefined) this.u8(0);
    else {
      this.u8(1);
      f(this, v);
    }
  }

  bytesOut() {
    return Uint8Array.from(this.buf);
  }
}
