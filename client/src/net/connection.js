// The WebSocket session: handshake, message dispatch, ping, and automatic reconnection
// with the resume token after a drop. A message that fails to decode is reported and
// the connection is restarted; it never throws into the page.

/** @typedef {import('../protocol/messages.js').ServerMessage} ServerMessage */
/** @typedef {import('../protocol/messages.js').ClientMessage} ClientMessage */

/**
 * @typedef {object} Codec
 * @property {(msg: ClientMessage) => ArrayBuffer | Uint8Array | string} encode
 * @property {(data: ArrayBuffer | string) => ServerMessage | Promise<ServerMessage>} decode  a Promise when the frame is compressed
 */

/**
 * @typedef {'connecting' | 'open' | 'lost' | 'closed'} ConnState
 */

/**
 * @typedef {object} ConnectionHooks
 * @property {(msg: ServerMessage) => void} onMessage
 * @property {(state: ConnState, detail: string) => void} onState
 * @property {(problem: string) => void} onProblem  a bad frame or a handler error
 * @property {() => ClientMessage} handshake       built fresh for each (re)connect
 */

/** Reconnect delays in ms; the last one repeats. */
export const BACKOFF_MS = [250, 500, 1000, 2000, 4000];

/** How many reconnect attempts before giving up and going back to the title screen. */
export const MAX_RECONNECTS = 12;

export class Connection {
  /**
   * @param {string} url
   * @param {Codec} codec
   * @param {ConnectionHooks} hooks
   */
  constructor(url, codec, hooks) {
    this.url = url;
    this.codec = codec;
    this.hooks = hooks;
    /** @type {WebSocket | null} */
    this.ws = null;
    /** @type {ConnState} */
    this.state = 'closed';
    this.attempts = 0;
    this.wanted = false;
    /** Set once the server accepted a handshake: later drops are worth resuming. */
    this.everOpened = false;
    /** @type {ReturnType<typeof setTimeout> | null} */
    this.retryTimer = null;
    this.bytesIn = 0;
    this.bytesOut = 0;
    /** Ordered processing of asynchronously decoded (compressed) frames. */
    /** @type {Promise<void>} */
    this.chain = Promise.resolve();
    this.inflight = 0;
  }

  start() {
    this.wanted = true;
    this.#open();
  }

  /** Closes for good (leaving the game). */
  stop() {
    this.wanted = false;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.ws?.close(1000, 'bye');
    this.ws = null;
    this.#setState('closed', 'left');
  }

  /**
   * Drops the socket and reconnects (after a protocol problem).
   * @param {string} why
   */
  restart(why) {
    this.ws?.close(4000, why.slice(0, 100));
    this.#lost(why);
  }

  /** @param {ClientMessage} msg */
  send(msg) {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) return false;
    const data = this.codec.encode(msg);
    this.bytesOut += typeof data === 'string' ? data.length : data.byteLength;
    ws.send(data);
    return true;
  }

  #open() {
    this.#setState('connecting', this.attempts ? `attempt ${this.attempts + 1}` : '');
    let ws;
    try {
      ws = new WebSocket(this.url);
    } catch (e) {
      this.#lost(`cannot open ${this.url}: ${String(e)}`);
      return;
    }
    ws.binaryType = 'arraybuffer';
    this.ws = ws;
    ws.onopen = () => {
      if (this.ws !== ws) return;
      this.send(this.hooks.handshake());
    };
    ws.onmessage = (ev) => {
      if (this.ws !== ws) return;
      const data = /** @type {ArrayBuffer | string} */ (ev.data);
      this.bytesIn += typeof data === 'string' ? data.length : data.byteLength;
      /** @type {ServerMessage | Promise<ServerMessage>} */
      let decoded;
      try {
        decoded = this.codec.decode(data);
      } catch (e) {
        this.#bad(ws, `bad message from server: ${errorText(e)}`);
        return;
      }
      if (decoded instanceof Promise || this.inflight) {
        // Compressed frames decode asynchronously; keep messages in arrival order.
        this.inflight += 1;
        this.chain = this.chain
          .then(() => decoded)
          .then(
            (m) => this.#deliver(ws, m),
            (e) => this.#bad(ws, `bad message from server: ${errorText(e)}`),
          )
          .finally(() => {
            this.inflight -= 1;
          });
      } else this.#deliver(ws, decoded);
    };
    ws.onclose = (ev) => {
      if (this.ws !== ws) return;
      this.#lost(ev.reason || `connection closed (${ev.code})`);
    };
    // onerror is always followed by onclose; the close carries what we can tell.
    ws.onerror = () => {};
  }

  /**
   * @param {WebSocket} ws
   * @param {string} problem
   */
  #bad(ws, problem) {
    if (this.ws !== ws) return;
    this.hooks.onProblem(problem);
    this.restart('bad message');
  }

  /**
   * @param {WebSocket} ws
   * @param {ServerMessage} msg
   */
  #deliver(ws, msg) {
    if (this.ws !== ws) return;
    if (msg.type === 'handshake_ack') {
      this.attempts = 0;
      this.everOpened = true;
      this.#setState('open', '');
    }
    try {
      this.hooks.onMessage(msg);
    } catch (e) {
      this.#bad(ws, `could not apply ${msg.type}: ${errorText(e)}`);
    }
  }

  /** @param {string} why */
  #lost(why) {
    this.ws = null;
    if (!this.wanted) return;
    if (this.attempts >= MAX_RECONNECTS) {
      this.wanted = false;
      this.#setState('closed', why);
      return;
    }
    this.#setState('lost', why);
    const delay = BACKOFF_MS[Math.min(this.attempts, BACKOFF_MS.length - 1)];
    this.attempts += 1;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (this.wanted) this.#open();
    }, delay);
  }

  /**
   * @param {ConnState} state
   * @param {string} detail
   */
  #setState(state, detail) {
    this.state = state;
    this.hooks.onState(state, detail);
  }
}

/** @param {unknown} e */
export function errorText(e) {
  return e instanceof Error ? e.message : String(e);
}
