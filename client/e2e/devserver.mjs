// A stand-in game server for working on the client's look and for the rendering
// benchmark: serves client/ over HTTP and speaks the real binary protocol (through the
// client's own codec) over a minimal WebSocket, with a scripted world of nodes,
// creatures and wandering players. It is NOT the game: the end-to-end test runs the real
// server binary. Usage: node e2e/devserver.mjs [--port 8090] [--ws 8091] [--movers 100]

import { createServer } from 'node:http';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeServerFrame, decodeClientFrame } from '../src/protocol/codec.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TYPES = /** @type {Record<string, string>} */ ({ '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json' });

/** Content in sim-core's order (content/items.toml, recipes.toml). */
const ITEMS = [
  ['wood', 'resource'], ['stone', 'resource'], ['stick', 'resource'], ['fiber', 'resource'], ['metal_ore', 'resource'],
  ['coal', 'resource'], ['metal_bar', 'resource'], ['hide', 'resource'], ['berries', 'food'], ['raw_meat', 'food'],
  ['cooked_meat', 'food'], ['cactus_flesh', 'food'], ['cactus_water', 'food'], ['stone_axe', 'tool'], ['stone_pickaxe', 'tool'],
  ['metal_axe', 'tool'], ['metal_pickaxe', 'tool'], ['wooden_sword', 'weapon'], ['spear', 'weapon'], ['metal_sword', 'weapon'],
  ['bow', 'weapon'], ['arrows', 'ammo'], ['torch', 'tool'], ['backpack', 'misc'], ['leather_armor', 'armor'], ['metal_armor', 'armor'],
  ['workbench', 'structure'], ['campfire', 'structure'], ['furnace', 'structure'], ['anvil', 'structure'], ['wooden_wall', 'structure'],
  ['stone_wall', 'structure'], ['wooden_door', 'structure'], ['chest', 'structure'],
].map(([name, kind]) => ({ name, kind }));
const idx = (/** @type {string} */ n) => ITEMS.findIndex((i) => i.name === n);
const RECIPES = [
  ['stick', { wood: 1 }, 2, 20, null], ['stone_axe', { wood: 3, stone: 2 }, 1, 40, null], ['stone_pickaxe', { wood: 3, stone: 3 }, 1, 40, null],
  ['wooden_sword', { wood: 5 }, 1, 40, null], ['torch', { stick: 1, fiber: 1 }, 1, 20, null], ['workbench', { wood: 10, stone: 5 }, 1, 60, null],
  ['campfire', { stone: 10, wood: 5 }, 1, 40, null], ['wooden_wall', { wood: 10 }, 1, 40, 'workbench'], ['chest', { wood: 20 }, 1, 60, 'workbench'],
  ['furnace', { stone: 20, wood: 10 }, 1, 80, 'workbench'],
].map(([name, ins, count, ticks, station]) => ({
  name, output: idx(/** @type {string} */ (name)), count, time_ticks: ticks, station: station ? idx(/** @type {string} */ (station)) : null, xp: 1,
  inputs: Object.entries(/** @type {Record<string, number>} */ (ins)).map(([k, c]) => ({ item: idx(k), count: c })),
}));

const args = process.argv.slice(2);
const opt = (/** @type {string} */ k, /** @type {number} */ d) => {
  const i = args.indexOf(k);
  return i >= 0 ? Number(args[i + 1]) : d;
};
const HTTP_PORT = opt('--port', 8090);
const WS_PORT = opt('--ws', 8091);
const MOVERS = opt('--movers', 100);
const NODES = opt('--nodes', 2500);
const START_TICK = opt('--tick', 1000);
const SIZE = 4000;
const CELL = 50;
const COLS = SIZE / CELL;

let seed = 7;
const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 0x100000000);
const noise = (/** @type {number} */ x, /** @type {number} */ y) => Math.sin(x * 0.0021) + Math.cos(y * 0.0017) + 0.5 * Math.sin((x + y) * 0.004);
/** @type {number[]} */
const cells = [];
for (let r = 0; r < COLS; r++) {
  for (let c = 0; c < COLS; c++) {
    const x = c * CELL;
    const y = r * CELL;
    const n = noise(x, y);
    const river = Math.abs(y - 1200 - 300 * Math.sin(x / 600)) < 70;
    cells.push(river || n < -1.3 ? 0 : n > 1.4 ? 5 : n > 0.9 ? 4 : y > 3000 && n < 0 ? 3 : n > 0 ? 1 : 2);
  }
}
const biomeAt = (/** @type {number} */ x, /** @type {number} */ y) => cells[Math.floor(y / CELL) * COLS + Math.floor(x / CELL)] ?? 0;

/** @type {any[]} */
const entities = [];
let nextId = 10;
for (let i = 0; i < NODES; i++) {
  const x = 40 + rnd() * (SIZE - 80);
  const y = 40 + rnd() * (SIZE - 80);
  const b = biomeAt(x, y);
  if (b === 0) continue;
  const sub = b === 1 ? (rnd() < 0.7 ? 0 : 2) : b === 2 ? [0, 2, 3, 1][Math.floor(rnd() * 4)] : b === 3 ? (rnd() < 0.7 ? 5 : 1) : rnd() < 0.6 ? 1 : 4;
  entities.push({ id: nextId++, kind: 'Node', subtype: sub, x: Math.round(x * 2), y: Math.round(y * 2), angle: 0, health: 100, flags: 0, player: null });
}
const start = { x: 1000, y: 1700 };
/** @type {{e: any, a: number}[]} */
const movers = [];
for (let i = 0; i < MOVERS; i++) {
  const player = i % 4 === 0;
  const e = {
    id: nextId++, kind: player ? 'Player' : 'Creature', subtype: player ? 0 : i % 4, x: Math.round((start.x + (rnd() - 0.5) * 1400) * 2), y: Math.round((start.y + (rnd() - 0.5) * 900) * 2),
    angle: 0, health: 40 + Math.floor(rnd() * 61), flags: 0, player: player ? { name: `bot${i}`, level: 1 + (i % 7), team: null } : null,
  };
  entities.push(e);
  movers.push({ e, a: rnd() * Math.PI * 2 });
}
entities.push({ id: nextId++, kind: 'Structure', subtype: idx('campfire'), x: (start.x + 120) * 2, y: (start.y + 60) * 2, angle: 0, health: 100, flags: 0, player: null });
entities.push({ id: nextId++, kind: 'Structure', subtype: idx('workbench'), x: (start.x - 140) * 2, y: (start.y + 20) * 2, angle: 0, health: 100, flags: 0, player: null });
for (let i = 0; i < 5; i++) entities.push({ id: nextId++, kind: 'Structure', subtype: idx('wooden_wall'), x: (start.x - 100 + i * 40) * 2, y: (start.y - 180) * 2, angle: 0, health: 100, flags: 0, player: null });
entities.push({ id: nextId++, kind: 'LootBag', subtype: 0, x: (start.x + 200) * 2, y: (start.y - 80) * 2, angle: 0, health: 100, flags: 0, player: null });

createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  if (url.pathname === '/api/v1/worlds') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ worlds: [{ id: 'world-1', players: 1, capacity: 100 }], ws_port: WS_PORT }));
    return;
  }
  if (url.pathname === '/api/v1/leaderboard') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ kind: 'level', entries: [{ rank: 1, username: 'bot4', level: 7, xp: 1840, kills: 3 }] }));
    return;
  }
  if (url.pathname === '/api/v1/auth/guest') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ token: 'dev', expires_at: 0, account: { id: 1, username: 'Wanderer', guest: true, level: 1, xp: 0 } }));
    return;
  }
  const path = normalize(join(ROOT, url.pathname === '/' ? 'index.html' : url.pathname));
  if (!path.startsWith(ROOT) || path.includes('node_modules')) {
    res.writeHead(404).end();
    return;
  }
  try {
    const body = await readFile(path);
    res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' });
    res.end(body);
  } catch {
    res.writeHead(404).end();
  }
}).listen(HTTP_PORT, '127.0.0.1');

const ws = createServer();
ws.on('upgrade', (req, socket) => {
  const key = req.headers['sec-websocket-key'];
  const accept = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
  socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
  const send = (/** @type {any} */ m) => {
    const p = encodeServerFrame(m);
    const len = p.length;
    const head = len < 126 ? Buffer.from([0x82, len]) : len < 65536 ? Buffer.from([0x82, 126, len >> 8, len & 255]) : Buffer.concat([Buffer.from([0x82, 127, 0, 0, 0, 0]), Buffer.from([len >>> 24, (len >> 16) & 255, (len >> 8) & 255, len & 255])]);
    if (!socket.destroyed) socket.write(Buffer.concat([head, p]));
  };
  const me = { id: nextId++, kind: 'Player', subtype: 0, x: start.x * 2, y: start.y * 2, angle: 0, health: 100, flags: 0, player: { name: 'Wanderer', level: 3, team: null } };
  entities.push(me);
  let lastSeq = 0;
  let tick = START_TICK;
  const inv = [{ item: idx('wood'), count: 23, durability: 0 }, { item: idx('stone'), count: 8, durability: 0 }, { item: idx('stone_axe'), count: 1, durability: 64 }, { item: idx('berries'), count: 5, durability: 0 }, { item: idx('workbench'), count: 1, durability: 0 }, null, null, null, null, null, null, null, null, null, null, null];
  let buf = Buffer.alloc(0);
  socket.on('data', (d) => {
    buf = Buffer.concat([buf, d]);
    while (buf.length >= 6) {
      let len = buf[1] & 127;
      let off = 2;
      if (len === 126) {
        len = buf.readUInt16BE(2);
        off = 4;
      }
      if (buf.length < off + 4 + len) return;
      const mask = buf.subarray(off, off + 4);
      const data = Buffer.from(buf.subarray(off + 4, off + 4 + len)).map((b, i) => b ^ mask[i % 4]);
      const op = buf[0] & 15;
      buf = buf.subarray(off + 4 + len);
      if (op === 8) return socket.end();
      if (op !== 2) continue;
      const m = decodeClientFrame(new Uint8Array(data));
      if (m.type === 'handshake') {
        send({ type: 'handshake_ack', version: 1, session_id: 'dev', player: me.id, tick_rate: 20, server_tick: tick, world: { world_size: SIZE, view_width: 1600, view_height: 1000, snapshot_interval: 2, build_cell: 40, day_length_ticks: 24000, daylight_ticks: 9600, content_version: 1n }, resume_token: 'dev-resume' });
        send({ type: 'content', items: ITEMS, recipes: RECIPES });
        send({ type: 'world_map', cell_size: CELL, cols: COLS, rows: COLS, cells });
        send({ type: 'events', tick, events: [{ kind: 'chat', from: 0, name: 'bot4', channel: 'Global', text: 'anyone seen wolves near the river?' }, { kind: 'chat', from: 0, name: 'bot8', channel: 'Global', text: 'campfire is up east of spawn' }] });
      } else if (m.type === 'input') {
        lastSeq = m.seq;
        const speed = 200 * (m.sprint ? 1.5 : 1) * 0.05 * 2;
        const nx = me.x + (m.move_x / 127) * speed;
        const ny = me.y + (m.move_y / 127) * speed;
        if (biomeAt(nx / 2, ny / 2) !== 0) {
          me.x = Math.round(nx);
          me.y = Math.round(ny);
        }
        me.angle = Math.round((m.aim / 65536) * 256) % 256;
        me.flags = m.primary ? 1 : 0;
        if (m.chat) send({ type: 'events', tick, events: [{ kind: 'chat', from: me.id, name: 'Wanderer', channel: m.chat.channel, text: m.chat.text }] });
      } else if (m.type === 'ping') send({ type: 'pong', nonce: m.nonce });
    }
  });
  const timer = setInterval(() => {
    tick += 1;
    for (const mv of movers) {
      mv.a += (Math.sin(tick * 0.05 + mv.e.id) * 0.15);
      const nx = mv.e.x + Math.cos(mv.a) * 12;
      const ny = mv.e.y + Math.sin(mv.a) * 12;
      if (biomeAt(nx / 2, ny / 2) === 0 || nx < 100 || ny < 100 || nx > SIZE * 2 - 100 || ny > SIZE * 2 - 100) mv.a += Math.PI;
      else {
        mv.e.x = Math.round(nx);
        mv.e.y = Math.round(ny);
      }
      mv.e.angle = Math.round((mv.a / (Math.PI * 2)) * 256) & 255;
      mv.e.flags = (tick + mv.e.id) % 40 < 6 ? 1 : 0;
    }
    if (tick % 15 === 0) {
      const near = movers.filter((m) => Math.abs(m.e.x - me.x) < 1200 && Math.abs(m.e.y - me.y) < 800);
      const v = near[tick % Math.max(1, near.length)];
      if (v) send({ type: 'events', tick, events: [{ kind: 'hit', attacker: me.id, target: v.e.id, damage: 80 + (tick % 70), x: v.e.x, y: v.e.y }] });
    }
    if (tick % 2) return;
    const view = entities.filter((e) => Math.abs(e.x - me.x) < 1900 && Math.abs(e.y - me.y) < 1200).sort((a, b) => a.id - b.id).slice(0, 1024);
    send({ type: 'snapshot', tick, last_input_seq: lastSeq, entities: view });
    if (tick % 20 === 0) {
      send({ type: 'private', tick, entity: me.id, health: 86, hunger: 71, thirst: 54, stamina: 92, dead: false, selected_slot: 2, inventory: inv, equipment: [null, null, inv[2]], crafting: null, xp: 420, level: 3 });
      send({ type: 'leaderboard', entries: [{ player: 1, name: 'bot4', level: 7, score: 1840 }, { player: 2, name: 'Wanderer', level: 3, score: 420 }, { player: 3, name: 'bot12', level: 2, score: 210 }] });
    }
  }, 50);
  socket.on('close', () => {
    clearInterval(timer);
    entities.splice(entities.indexOf(me), 1);
  });
  socket.on('error', () => clearInterval(timer));
});
ws.listen(WS_PORT, '127.0.0.1');
console.log(`devserver: http://127.0.0.1:${HTTP_PORT}/ (WebSocket ${WS_PORT}, ${MOVERS} movers)`);
