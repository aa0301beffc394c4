// The server's REST API (/api/v1): guest and account sign-in, worlds, leaderboard.
// Every failure becomes an ApiError with a message a player can read.

export class ApiError extends Error {
  /**
   * @param {string} code    stable machine code from the server, or 'unreachable'
   * @param {string} message for people
   * @param {number} status  HTTP status, 0 when the server could not be reached
   */
  constructor(code, message, status) {
    super(message);
    this.code = code;
    this.status = status;
  }
}

/**
 * @typedef {object} Session
 * @property {string} token
 * @property {string} name
 * @property {boolean} guest
 */

/**
 * @typedef {object} WorldEntry
 * @property {string} id
 * @property {string} name
 * @property {number} players
 * @property {number} capacity
 */

/** Friendly words for the server's error codes. */
const MESSAGES = /** @type {Record<string, string>} */ ({
  invalid_credentials: 'Wrong username or password.',
  bad_credentials: 'Wrong username or password.',
  username_taken: 'That name is already taken.',
  invalid_username: 'Names are 3–32 letters, digits or _.',
  weak_password: 'That password is too short.',
  banned: 'This account is banned.',
  rate_limited: 'Too many attempts — wait a moment and try again.',
  world_full: 'That world is full — pick another one.',
});

/**
 * Calls the API and returns the parsed JSON body.
 * @param {string} base   e.g. '' (same origin) or 'http://127.0.0.1:8080'
 * @param {string} path   e.g. '/api/v1/worlds'
 * @param {{method?: string, body?: unknown, token?: string | null}} [opts]
 * @returns {Promise<any>}
 */
export async function call(base, path, opts = {}) {
  /** @type {Record<string, string>} */
  const headers = { accept: 'application/json' };
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let res;
  try {
    res = await fetch(base + path, {
      method: opts.method ?? (opts.body === undefined ? 'GET' : 'POST'),
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    });
  } catch {
    throw new ApiError('unreachable', 'Cannot reach the server. Is it running? Retrying may help.', 0);
  }
  const text = await res.text();
  /** @type {any} */
  let body = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  if (!res.ok) {
    const err = body && typeof body === 'object' ? (body.error ?? body) : {};
    const code = typeof err.code === 'string' ? err.code : `http_${res.status}`;
    const message = MESSAGES[code] ?? (typeof err.message === 'string' ? err.message : `Server answered ${res.status}.`);
    throw new ApiError(code, message, res.status);
  }
  return body;
}

/**
 * Reads a session out of an auth response, whatever its exact nesting.
 * @param {any} body
 * @param {boolean} guest
 * @returns {Session}
 */
export function sessionFrom(body, guest) {
  const token = body?.token ?? body?.access_token ?? body?.session?.token;
  if (typeof token !== 'string' || !token) throw new ApiError('bad_response', 'The server sent no session token.', 200);
  const name = body?.account?.username ?? body?.player?.username ?? body?.username ?? body?.name ?? 'guest';
  return { token, name: String(name), guest };
}

/**
 * @param {string} base
 * @param {string | null} name  preferred guest name
 */
export async function guest(base, name) {
  return sessionFrom(await call(base, '/api/v1/auth/guest', { body: name ? { name } : {} }), true);
}

/**
 * @param {string} base
 * @param {string} username
 * @param {string} password
 */
export async function login(base, username, password) {
  return sessionFrom(await call(base, '/api/v1/auth/login', { body: { username, password } }), false);
}

/**
 * @param {string} base
 * @param {string} username
 * @param {string} password
 */
export async function register(base, username, password) {
  const body = await call(base, '/api/v1/auth/register', { body: { username, password } });
  // Some servers answer register with the account only; log in to get a session then.
  if (body && (body.token || body.access_token)) return sessionFrom(body, false);
  return login(base, username, password);
}

/**
 * @param {string} base
 * @param {string} token
 */
export async function logout(base, token) {
  await call(base, '/api/v1/auth/logout', { body: {}, token });
}

/**
 * The worlds with their player counts, plus the WebSocket port when the server tells it.
 * @param {string} base
 * @returns {Promise<{worlds: WorldEntry[], wsPort: number | null, wsUrl: string | null}>}
 */
export async function worlds(base) {
  const body = await call(base, '/api/v1/worlds');
  const list = Array.isArray(body) ? body : Array.isArray(body?.worlds) ? body.worlds : [];
  /** @type {WorldEntry[]} */
  const out = list.map((/** @type {any} */ w, /** @type {number} */ i) => ({
    id: String(w.id ?? w.name ?? i),
    name: String(w.name ?? w.id ?? `World ${i + 1}`),
    players: Number(w.players ?? w.players_online ?? w.online ?? 0),
    capacity: Number(w.capacity ?? w.max_players ?? 0),
  }));
  const wsPort = Number(body?.ws_port ?? body?.websocket_port ?? NaN);
  const wsUrl = typeof body?.ws_url === 'string' ? body.ws_url : null;
  return { worlds: out, wsPort: Number.isFinite(wsPort) && wsPort > 0 ? wsPort : null, wsUrl };
}

/**
 * @param {string} base
 * @returns {Promise<{name: string, level: number, xp: number, kills: number}[]>}
 */
export async function leaderboard(base) {
  const body = await call(base, '/api/v1/leaderboard');
  const list = Array.isArray(body) ? body : Array.isArray(body?.entries) ? body.entries : Array.isArray(body?.leaderboard) ? body.leaderboard : [];
  return list.map((/** @type {any} */ r) => ({
    name: String(r.username ?? r.name ?? '?'),
    level: Number(r.level ?? 0),
    xp: Number(r.xp ?? 0),
    kills: Number(r.kills ?? 0),
  }));
}
