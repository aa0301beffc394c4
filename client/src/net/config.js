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
