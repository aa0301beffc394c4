// Where the game's WebSocket lives. The server serves the page over HTTP on one port and
// plays over WebSocket on another (SERVER_WS_PORT, default 8081).

/** The WebSocket port when nothing else says. */
export const DEFAULT_WS_PORT = 8081;

/**
 * The WebSocket URL, by precedence: `?ws=` (a full ws:// URL or a port), the server's own
 * word (/api/v1/worlds), the page's `<meta name="kindling-ws-port">`, then 8081.
 * @param {{protocol: string, hostname: string}} loc
 * @param {URLSearchParams} params
 * @param {string | null} metaPort
 * @param {number | null} serverPort
 * @param {string | null} serverUrl
 */
export function wsUrlFor(loc, params, metaPort, serverPort, serverUrl) {
  const scheme = loc.protocol === 'https:' ? 'wss:' : 'ws:';
  const host = loc.hostname.includes(':') ? `[${loc.hostname}]` : loc.hostname;
  const q = params.get('ws');
  if (q) {
    if (/^wss?:\/\//.test(q)) return q;
    if (/^\d{1,5}$/.test(q)) return `${scheme}//${host}:${q}/`;
  }
  if (serverUrl && /^wss?:\/\//.test(serverUrl)) return serverUrl;
  if (serverPort) return `${scheme}//${host}:${serverPort}/`;
  if (metaPort && /^\d{1,5}$/.test(metaPort)) return `${scheme}//${host}:${metaPort}/`;
  return `${scheme}//${host}:${DEFAULT_WS_PORT}/`;
}

/**
 * The WebSocket URL with the chosen world (`?world=ID`), which the server reads to pick
 * the world to join.
 * @param {string} url
 * @param {string | null} world
 */
export function withWorld(url, world) {
  if (!world) return url;
  const u = new URL(url);
  u.searchParams.set('world', world);
  return u.toString();
}
