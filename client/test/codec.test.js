// The codec against the protocol crate's golden vectors (crates/protocol/tests/vectors):
// every frame decodes to the message in its .json twin, re-encodes byte for byte, and
// the JSON text form maps to the same client model as the binary one.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import {
  decodeServerFrame, decodeClientFrame, encodeServerFrame, encodeClientFrame, serverFromWire, clientToWire,
  binaryCodec, jsonCodec, HEADER_LEN, FLAG_DEFLATE, inflate,
} from '../src/protocol/codec.js';
import { DecodeError } from '../src/protocol/wire.js';
import { emptyInput } from '../src/protocol/messages.js';

const VECTORS = fileURLToPath(new URL('../../crates/protocol/tests/vectors/', import.meta.url));
const names = readdirSync(VECTORS).filter((f) => f.endsWith('.hex')).map((f) => f.slice(0, -4)).sort();

/** @param {string} hex */
const bytes = (hex) => Uint8Array.from(Buffer.from(hex.trim(), 'hex'));
/** @param {Uint8Array} b */
const hex = (b) => Buffer.from(b).toString('hex');
/** JSON text of a wire object, with u64 BigInts written as plain numbers (as serde does). */
/** @param {any} v */
const jsonText = (v) => JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? `@@${x}@@` : x)).replace(/"@@(\d+)@@"/g, '$1');

test('the protocol crate ships vectors for every message type', () => {
  const types = new Set(names.map((n) => n.split('_').slice(0, 2).join('_')));
  for (const t of ['client_handshake', 'client_input', 'client_ping', 'client_pong', 'client_disconnect', 'server_handshake', 'server_content', 'server_world', 'server_snapshot', 'server_delta', 'server_private', 'server_events', 'server_ping', 'server_pong', 'server_error', 'server_disconnect', 'server_leaderboard']) {
    assert.ok(types.has(t), `no vector for ${t} in ${VECTORS}`);
  }
});

for (const name of names) {
  test(`golden vector ${name}`, async () => {
    const frame = bytes(readFileSync(`${VECTORS}${name}.hex`, 'utf8'));
    const golden = readFileSync(`${VECTORS}${name}.json`, 'utf8').trim();
    if (name.startsWith('client_')) {
      const wire = decodeClientFrame(frame);
      assert.equal(jsonText(wire), golden, 'decodes to its JSON twin');
      assert.equal(hex(encodeClientFrame(wire)), hex(frame), 're-encodes byte for byte');
      return;
    }
    const decoded = decodeServerFrame(frame);
    const wire = decoded instanceof Promise ? await decoded : decoded;
    assert.equal(jsonText(wire), golden, 'decodes to its JSON twin');
    const again = encodeServerFrame(wire);
    if (frame[11] & FLAG_DEFLATE) {
      // Compressed bytes are not canonical; the uncompressed payload is.
      const inflated = await inflate(frame.subarray(HEADER_LEN), 1 << 20);
      assert.equal(hex(again.subarray(HEADER_LEN)), hex(inflated), 're-encodes the payload byte for byte');
      assert.deepEqual(again.subarray(4, 7), frame.subarray(4, 7));
    } else {
      assert.equal(hex(again), hex(frame), 're-encodes byte for byte');
    }
    // Both codecs give the client the same model.
    const viaBinary = await binaryCodec.decode(frame.slice().buffer);
    const viaJson = await jsonCodec.decode(golden);
    assert.deepEqual(viaBinary, viaJson);
    assert.equal(viaBinary.type, serverFromWire(wire).type);
  });
}

test('the model of a snapshot and a delta is in world units and radians', async () => {
  const snap = await binaryCodec.decode(bytes(readFileSync(`${VECTORS}server_delta.hex`, 'utf8')).slice().buffer);
  assert.equal(snap.type, 'delta');
  if (snap.type !== 'delta') return;
  assert.equal(snap.baseTick, 998);
  assert.equal(snap.ackSeq, 57);
  assert.deepEqual(snap.entered[0], { id: 18, kind: 0, subtype: 0, x: -20, y: 4000, angle: Math.PI / 2, health: 100, flags: 2 });
  assert.deepEqual(snap.changed[0], { id: 17, dx: 20, dy: -3, angle: (70 / 256) * Math.PI * 2 });
  assert.deepEqual(snap.players.map((p) => p.name), ['p18', 'x']);
});

test('inputs from the model quantise as the protocol says', () => {
  const i = { ...emptyInput(9), moveX: 0.5, moveY: -2, aim: Math.PI, chat: /** @type {const} */ ({ channel: 'team', text: 'hi' }), build: { slot: 3, cellX: -1, cellY: 4 } };
  const wire = clientToWire(i);
  assert.equal(wire.move_x, 64);
  assert.equal(wire.move_y, -127);
  assert.equal(wire.aim, 32768);
  assert.deepEqual(wire.chat, { channel: 'Team', text: 'hi' });
  assert.deepEqual(wire.build, { slot: 3, cell_x: -1, cell_y: 4 });
  const frame = /** @type {Uint8Array} */ (binaryCodec.encode(i));
  assert.deepEqual(decodeClientFrame(frame), wire);
  assert.equal(clientToWire({ ...i, aim: -Math.PI / 2 }).aim, 49152);
  const hs = clientToWire({ type: 'handshake', versions: [1], client: 'kindling-web/test', token: null, guestName: 'ann', resumeToken: null });
  assert.deepEqual(hs.auth, { kind: 'guest', name: 'ann' });
});

test('a compressed frame inflates; a zip bomb is refused', async () => {
  const plain = encodeServerFrame({ type: 'world_map', cell_size: 50, cols: 100, rows: 100, cells: new Array(10000).fill(2) });
  const packed = deflateSync(plain.subarray(HEADER_LEN));
  const frame = new Uint8Array(HEADER_LEN + packed.length);
  frame.set(plain.subarray(0, HEADER_LEN));
  frame.set(packed, HEADER_LEN);
  new DataView(frame.buffer).setUint32(7, frame.length, true);
  frame[11] = FLAG_DEFLATE;
  const m = await binaryCodec.decode(frame.buffer);
  assert.equal(m.type, 'world_map');
  if (m.type === 'world_map') assert.equal(m.biomes.length, 10000);

  const bomb = deflateSync(Buffer.alloc(200_000));
  const bf = new Uint8Array(HEADER_LEN + bomb.length);
  bf.set(plain.subarray(0, HEADER_LEN));
  bf.set(bomb, HEADER_LEN);
  new DataView(bf.buffer).setUint32(7, bf.length, true);
  bf[11] = FLAG_DEFLATE;
  await assert.rejects(async () => binaryCodec.decode(bf.buffer), /exceeds/);
  bf[HEADER_LEN + 3] ^= 0xff;
  await assert.rejects(async () => binaryCodec.decode(bf.buffer), DecodeError);
});

test('malformed frames are errors with a reason, never crashes', () => {
  const ok = bytes(readFileSync(`${VECTORS}server_snapshot.hex`, 'utf8'));
  /** @param {Uint8Array} f */
  const dec = (f) => () => binaryCodec.decode(f.slice().buffer);
  assert.throws(dec(ok.subarray(0, 5)), /shorter than/);
  const badMagic = ok.slice();
  badMagic[0] = 0;
  assert.throws(dec(badMagic), /bad magic/);
  const badVersion = ok.slice();
  badVersion[4] = 9;
  assert.throws(dec(badVersion), /unsupported protocol version 9/);
  const badLen = ok.slice();
  badLen[7] += 1;
  assert.throws(dec(badLen), /header says/);
  const badFlags = ok.slice();
  badFlags[11] = 4;
  assert.throws(dec(badFlags), /unknown flags/);
  const badType = ok.slice();
  badType[6] = 0xee;
  assert.throws(dec(badType), /unknown message type/);
  // Every truncation of a valid frame (with the length fixed up) is a clean DecodeError.
  for (let n = HEADER_LEN; n < ok.length; n++) {
    const t = ok.slice(0, n);
    new DataView(t.buffer).setUint32(7, n, true);
    assert.throws(dec(t), DecodeError, `truncated to ${n}`);
  }
  // Random garbage after a valid header never throws anything but DecodeError.
  let seed = 42;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 0xff;
  for (let i = 0; i < 2000; i++) {
    const n = HEADER_LEN + (rnd() % 64);
    const f = new Uint8Array(n);
    f.set(ok.subarray(0, HEADER_LEN));
    f[6] = 0x81 + (rnd() % 12);
    for (let j = HEADER_LEN; j < n; j++) f[j] = rnd();
    new DataView(f.buffer).setUint32(7, n, true);
    try {
      const r = binaryCodec.decode(f.buffer);
      if (r instanceof Promise) r.catch(() => {});
    } catch (e) {
      assert.ok(e instanceof DecodeError, `frame ${hex(f)} threw ${String(e)}`);
    }
  }
  assert.throws(() => jsonCodec.decode('{"type":"snapshot","tick":"x","last_input_seq":0,"entities":[]}'), /tick is not a number/);
  assert.throws(() => jsonCodec.decode('{nope'), /bad JSON/);
  assert.throws(() => jsonCodec.decode('{"type":"warp"}'), /unknown message type/);
});
