// Starting the real server binary for a test: free ports on 127.0.0.1, SQLite in a
// temporary directory, output captured to a log file, stopped with SIGTERM.

import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync, rmSync, openSync, closeSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (client/e2e/lib → ../../..). */
export const REPO = resolve(fileURLToPath(new URL('../../..', import.meta.url)));

/** The server binary: $KINDLING_SERVER_BIN, else cargo's debug build in the target dir. */
export function serverBinary() {
  if (process.env.KINDLING_SERVER_BIN) return process.env.KINDLING_SERVER_BIN;
  const target = process.env.CARGO_TARGET_DIR ?? join(REPO, 'target');
  return join(target, 'debug', 'server');
}

/** A port the kernel just handed out on 127.0.0.1 (free when this returns). */
export function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => res(port));
    });
  });
}

/**
 * Polls `fn` until it returns a truthy value or `ms` pass (a condition, not a sleep).
 * @template T
 * @param {string} what
 * @param {() => Promise<T> | T} fn
 * @param {number} ms
 * @returns {Promise<T>}
 */
export async function until(what, fn, ms) {
  const end = Date.now() + ms;
  /** @type {unknown} */
  let last = null;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Starts the server; resolves once /health answers.
 * @param {string} logPath where its output goes
 * @param {{gameToml?: string}} [opts] contents of config/game.toml, if any
 */
export async function startServer(logPath, opts = {}) {
  const bin = serverBinary();
  if (!existsSync(bin)) throw new Error(`no server binary at ${bin}: run \`cargo build -p server\` first (or set KINDLING_SERVER_BIN)`);
  const dir = mkdtempSync(join(tmpdir(), 'kindling-e2e-'));
  if (opts.gameToml) writeFileSync(join(dir, 'game.toml'), opts.gameToml);
  const [http, ws, metrics] = [await freePort(), await freePort(), await freePort()];
  const log = openSync(logPath, 'w');
  const child = spawn(bin, ['run'], {
    cwd: REPO,
    stdio: ['ignore', log, log],
    env: {
      ...process.env,
      KINDLING_CONFIG_DIR: dir,
      SERVER_ENV: 'development',
      SERVER_HOST: '127.0.0.1',
      SERVER_PORT: String(http),
      SERVER_WS_PORT: String(ws),
      METRICS_ADDR: `127.0.0.1:${metrics}`,
      DATABASE_URL: `sqlite://${join(dir, 'kindling.db')}`,
      JWT_SECRET: 'e2e-test-secret-that-is-long-enough-0123456789',
      LOG_LEVEL: 'info',
      LOG_FORMAT: 'pretty',
    },
  });
  closeSync(log);
  /** @type {string | null} */
  let exited = null;
  child.on('exit', (code, signal) => {
    exited = `server exited with ${signal ?? code} (log: ${logPath})`;
  });
  const base = `http://127.0.0.1:${http}`;
  await until('the server to answer /health', async () => {
    if (exited) throw new Error(exited);
    const r = await fetch(`${base}/health`);
    return r.ok;
  }, 60_000).catch((e) => {
    child.kill('SIGKILL');
    throw e;
  });
  return {
    base,
    wsPort: ws,
    child,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const done = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await done;
        clearTimeout(t);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
