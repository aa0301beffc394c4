// The connection's failure handling, with a scripted WebSocket (node has no browser
// socket; the real one is exercised by the end-to-end test): a bad frame is reported
// and the session reconnects with the resume token; drops back off and finally give up.

import { test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { Connection, BACKOFF_MS, MAX_RECONNECTS } from '../src/net/connection.js';
import { binaryCodec, encodeServerFrame } from '../src/protocol/codec.js';

/** Every socket the code under test opened, newest last. */
/** @type {FakeSocket[]} */
let sockets = [];

class FakeSocket {
  static OPEN = 1;
  /** @param {string} url */
  constructor(url) {
    this.url = url;
    this.readyState = 0;
    /** @type {unknown[]} */
    this.sent = [];
    this.binaryType = 'blob';
    /** @type {((ev: any) => void) | null} */ this.onopen = null;
    /** @type {((ev: any) => void) | null} */ this.onmessage = null;
    /** @type {((ev: any) => void) | null} */ this.onclose = null;
    /** @type {((ev: any) => void) | null} */ this.onerror = null;
    this.closedWith = /** @type {number | null} */ (null);
    sockets.push(this);
  }
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  /** @param {ArrayBuffer | string} data */
  receive(data) {
    this.onmessage?.({ data });
  }
  /** @param {unknown} d */
  send(d) {
    this.sent.push(d);
  }
  /** @param {number} code */
  close(code) {
    this.closedWith = code;
    this.readyState = 3;
  }
  /** The server side goes away. */
  drop() {
    this.readyState = 3;
    this.onclose?.({ code: 1006, reason: '' });
  }
}

/** @type {any} */
const g = globalThis;
beforeEach((t) => {
  sockets = [];
  g.WebSocket = FakeSocket;
  /** @type {import('node:test').TestContext} */ (t).mock.timers.enable({ apis: ['setTimeout'] });
});
afterEach(() => {
  delete g.WebSocket;
});

/** @param {any} wire */
const frame = (wire) => encodeServerFrame(wire).slice().buffer;
const ack = (/** @type {string} */ token) => frame({
  type: 'handshake_ack', version: 1, session_id: 's', player: 7, tick_rate: 20, server_tick: 5,
  world: { world_size: 4000, view_width: 1600, view_height: 1000, snapshot_interval: 2, build_cell: 40, day_length_ticks: 24000, daylight_ticks: 9600, content_version: 1n },
  resume_token: token,
});

function harness() {
  /** @type {string[]} */
  const problems = [];
  /** @type {string[]} */
  const states = [];
  /** @type {any[]} */
  const got = [];
  let resume = /** @type {string | null} */ (null);
  const conn = new Connection('ws://test/', binaryCodec, {
    onMessage: (m) => {
      got.push(m);
      if (m.type === 'handshake_ack') resume = m.resumeToken;
      if (m.type === 'pong') throw new Error('handler bug');
    },
    onState: (s) => states.push(s),
    onProblem: (p) => problems.push(p),
    handshake: () => ({ type: 'handshake', versions: [1], client: 't', token: 'jwt', guestName: null, resumeToken: resume }),
  });
  return { conn, problems, states, got };
}

test('a frame that does not decode is reported, the socket dropped, and the session resumed', (t) => {
  const h = harness();
  h.conn.start();
  sockets[0].open();
  assert.equal(sockets[0].sent.length, 1, 'handshake sent on open');
  sockets[0].receive(ack('r1'));
  assert.equal(h.conn.state, 'open');
  sockets[0].receive(new Uint8Array([1, 2, 3]).buffer);
  assert.match(h.problems[0], /bad message from server: .*shorter than/);
  assert.equal(sockets[0].closedWith, 4000);
  assert.equal(h.conn.state, 'lost');
  t.mock.timers.tick(BACKOFF_MS[0]);
  assert.equal(sockets.length, 2, 'reconnected after the first backoff');
  sockets[1].open();
  // The handshake of the new socket carries the resume token.
  const sent = /** @type {Uint8Array} */ (sockets[1].sent[0]);
  assert.ok(Buffer.from(sent).includes(Buffer.from('r1')), 'resume token in the new handshake');
  // Messages from the dead socket are ignored.
  sockets[0].receive(ack('stale'));
  assert.equal(h.got.filter((m) => m.type === 'handshake_ack').length, 1);
});

test('an exception in a message handler is reported like a bad frame, never thrown', () => {
  const h = harness();
  h.conn.start();
  sockets[0].open();
  sockets[0].receive(ack('r'));
  assert.doesNotThrow(() => sockets[0].receive(frame({ type: 'pong', nonce: 3 })));
  assert.match(h.problems[0], /could not apply pong: handler bug/);
  assert.equal(h.conn.state, 'lost');
});

test('drops back off, and after too many failed attempts the session gives up', (t) => {
  const h = harness();
  h.conn.start();
  for (let i = 0; i < MAX_RECONNECTS; i++) {
    sockets.at(-1)?.drop();
    t.mock.timers.tick(BACKOFF_MS[Math.min(i, BACKOFF_MS.length - 1)]);
  }
  assert.equal(sockets.length, MAX_RECONNECTS + 1);
  sockets.at(-1)?.drop();
  assert.equal(h.conn.state, 'closed');
  assert.equal(h.states.at(-1), 'closed');
  t.mock.timers.tick(60_000);
  assert.equal(sockets.length, MAX_RECONNECTS + 1, 'no more attempts');
});

test('a successful handshake resets the backoff; stop() closes for good', (t) => {
  const h = harness();
  h.conn.start();
  sockets[0].drop();
  t.mock.timers.tick(BACKOFF_MS[0]);
  sockets[1].open();
  sockets[1].receive(ack('x'));
  assert.equal(h.conn.attempts, 0);
  h.conn.stop();
  assert.equal(sockets[1].closedWith, 1000);
  sockets[1].drop();
  t.mock.timers.tick(60_000);
  assert.equal(sockets.length, 2);
  assert.equal(h.conn.state, 'closed');
});
