// Measures the client in headless Chromium: frames per second with about 100 entities
// in view (by day and by night) and the page weight. Against the stand-in server
// (e2e/devserver.mjs) by default, whose scene is scripted and repeatable; pass
// `--url http://host:port/?ws=PORT` to measure against a running real server instead.
// Prints a Markdown table for BENCHMARKS.md. Usage: node e2e/bench.mjs [--seconds 10]

import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { launch } from './lib/browser.mjs';
import { freePort, until } from './lib/server.mjs';

const args = process.argv.slice(2);
const arg = (/** @type {string} */ k, /** @type {string} */ d) => {
  const i = args.indexOf(k);
  return i >= 0 ? args[i + 1] : d;
};
const SECONDS = Number(arg('--seconds', '10'));

/**
 * @param {number} tick server tick to start at (day or night)
 * @returns {Promise<{url: string, stop: () => void}>}
 */
async function devserver(tick) {
  const [http, ws] = [await freePort(), await freePort()];
  const child = spawn(process.execPath, [fileURLToPath(new URL('devserver.mjs', import.meta.url)), '--port', String(http), '--ws', String(ws), '--movers', '40', '--nodes', '700', '--tick', String(tick)], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${http}/`;
  await until('the stand-in server', async () => (await fetch(url)).ok, 10_000);
  return { url, stop: () => child.kill('SIGTERM') };
}

/**
 * @param {string} url
 * @param {string} label
 */
async function measure(url, label) {
  const b = await launch({ width: 1280, height: 800 });
  try {
    const page = await b.context.newPage();
    await page.goto(url);
    await until('the world list', () => page.locator('#world-list button').count(), 10_000);
    await page.click('#play-guest');
    await until('the game', () => page.evaluate(() => /** @type {any} */ (window).kindling?.debugState().conn === 'open'), 15_000);
    await page.waitForTimeout(8000); // warm caches; let adaptive resolution settle
    const r = await page.evaluate(async (seconds) => {
      const k = /** @type {any} */ (window).kindling;
      let frames = 0;
      let worst = 0;
      let last = performance.now();
      const t0 = last;
      await new Promise((done) => {
        const f = () => {
          const now = performance.now();
          worst = Math.max(worst, now - last);
          last = now;
          frames += 1;
          if (now - t0 < seconds * 1000) requestAnimationFrame(f);
          else done(null);
        };
        requestAnimationFrame(f);
      });
      const s = k.scene;
      const W = k.renderer.canvas.width / s.scale;
      const H = k.renderer.canvas.height / s.scale;
      const onScreen = s.things.filter((/** @type {any} */ t) => Math.abs(t.x - s.camX) < W / 2 + 40 && Math.abs(t.y - s.camY) < H / 2 + 40).length;
      let js = 0;
      let css = 0;
      let html = 0;
      const nav = /** @type {PerformanceNavigationTiming | undefined} */ (performance.getEntriesByType('navigation')[0]);
      html = nav?.decodedBodySize ?? 0;
      for (const e of /** @type {PerformanceResourceTiming[]} */ (performance.getEntriesByType('resource'))) {
        if (e.name.endsWith('.js')) js += e.decodedBodySize;
        else if (e.name.endsWith('.css')) css += e.decodedBodySize;
      }
      return { fps: (frames * 1000) / (performance.now() - t0), worstMs: worst, onScreen, replicated: k.world.entities.size, quality: k.renderer.quality, darkness: s.darkness, js, css, html };
    }, SECONDS);
    return { label, ...r };
  } finally {
    await b.close();
  }
}

const rows = [];
const given = arg('--url', '');
if (given) rows.push(await measure(given, 'real server'));
else {
  for (const [label, tick] of /** @type {[string, number][]} */ ([['day', 1000], ['night', 14000]])) {
    const s = await devserver(tick);
    try {
      rows.push(await measure(s.url, label));
    } finally {
      s.stop();
    }
  }
}
console.log(JSON.stringify(rows, null, 1));
console.log('\n| scene | entities on screen (replicated) | FPS | worst frame | resolution | JS + CSS + HTML |');
console.log('|---|---|---|---|---|---|');
for (const r of rows) {
  console.log(`| ${r.label} | ${r.onScreen} (${r.replicated}) | ${r.fps.toFixed(1)} | ${r.worstMs.toFixed(0)} ms | ${Math.round(r.quality * 100)} % | ${((r.js + r.css + r.html) / 1024).toFixed(1)} KiB (${(r.js / 1024).toFixed(1)} + ${(r.css / 1024).toFixed(1)} + ${(r.html / 1024).toFixed(1)}) |`);
}
