// The client's codec: binary frames (header + payload, zlib when flagged) and the JSON
// text form, both mapped to the client's message model (messages.js). Layout and
// numbering follow crates/protocol/PROTOCOL.md; test/codec.test.js checks every golden
// vector of the protocol crate decodes and re-encodes byte for byte.

import { DecodeError, Reader, Writer } from './wire.js';
import { CLIENT_TYPES, SERVER_TYPES, getClientBody, getServerBody, putClientBody, putServerBody } from './binary.js';
import { emptyInput } from './messages.js';

/** @typedef {import('./messages.js').ServerMessage} ServerMessage */
/** @typedef {import('./messages.js').ClientMessage} ClientMessage */
/** @typedef {import('./messages.js').EntityState} EntityState */
/** @typedef {import('./messages.js').PlayerInfo} PlayerInfo */
/** @typedef {import('./messages.js').GameEvent} GameEvent */

export const MAGIC = [0x53, 0x54, 0x41, 0x52]; // "STAR"
export const HEADER_LEN = 12;
export const FLAG_DEFLATE = 1;
/** Versions this client speaks; the handshake lists them. */
export const PROTOCOL_VERSIONS = [1];
export const CURRENT_VERSION = 1;
/** Largest frame accepted from the server, and largest payloads after inflating. */
export const MAX_SERVER_FRAME = 128 * 1024;
export const MAX_SNAPSHOT_PAYLOAD = 32 * 1024;
/** Positions travel in whole world units. */
export const POS_SCALE = 1;

// ---------------------------------------------------------------- frames

/**
 * Reads and checks a frame header.
 * @param {Uint8Array} f
 * @param {number} maxFrame
 */
export function readHeader(f, maxFrame) {
  if (f.length > maxFrame) throw new DecodeError(`frame of ${f.length} bytes exceeds the limit of ${maxFrame}`);
  if (f.length < HEADER_LEN) throw new DecodeError(`frame of ${f.length} bytes is shorter than the ${HEADER_LEN}-byte header`);
  for (let i = 0; i < 4; i++) {
    if (f[i] !== MAGIC[i]) throw new DecodeError(`bad magic ${Array.from(f.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join('')}`);
  }
  const version = f[4] | (f[5] << 8);
  const type = f[6];
  const length = (f[7] | (f[8] << 8) | (f[9] << 16) | (f[10] << 24)) >>> 0;
  const flags = f[11];
  if (type !== CLIENT_TYPES.handshake && !PROTOCOL_VERSIONS.includes(version)) {
    throw new DecodeError(`unsupported protocol version ${version} (this client speaks ${PROTOCOL_VERSIONS.join(', ')})`);
  }
  if (length !== f.length) throw new DecodeError(`header says ${length} bytes, frame has ${f.length}`);
  if (flags & ~FLAG_DEFLATE) throw new DecodeError(`unknown flags 0x${flags.toString(16)}`);
  return { version, type, length, flags };
}

/**
 * @param {number} type
 * @param {Uint8Array} payload
 * @param {number} flags
 * @param {number} version
 */
function frame(type, payload, flags = 0, version = CURRENT_VERSION) {
  const out = new Uint8Array(HEADER_LEN + payload.length);
  out.set(MAGIC, 0);
  out[4] = version & 0xff;
  out[5] = version >> 8;
  out[6] = type;
  const n = out.length;
  out[7] = n & 0xff;
  out[8] = (n >> 8) & 0xff;
  out[9] = (n >> 16) & 0xff;
  out[10] = (n >>> 24) & 0xff;
  out[11] = flags;
  out.set(payload, HEADER_LEN);
  return out;
}

/** @param {number} type */
function maxServerPayload(type) {
  return type === SERVER_TYPES.snapshot || type === SERVER_TYPES.delta ? MAX_SNAPSHOT_PAYLOAD : MAX_SERVER_FRAME;
}

/**
 * Inflates a zlib payload, refusing to produce more than `max` bytes.
 * @param {Uint8Array} data
 * @param {number} max
 * @returns {Promise<Uint8Array>}
 */
export async function inflate(data, max) {
  const ds = new DecompressionStream('deflate');
  const writer = ds.writable.getWriter();
  writer.write(new Uint8Array(data)).catch(() => {});
  writer.close().catch(() => {});
  const reader = ds.readable.getReader();
  /** @type {Uint8Array[]} */
  const parts = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > max) {
        reader.cancel().catch(() => {});
        throw new DecodeError(`inflated payload exceeds ${max} bytes`);
      }
      parts.push(value);
    }
  } catch (e) {
    if (e instanceof DecodeError) throw e;
    throw new DecodeError(`bad zlib payload: ${e instanceof Error ? e.message : String(e)}`);
  }
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/**
 * Decodes a server frame into its wire object (a Promise when the payload is compressed).
 * @param {Uint8Array} f
 * @returns {any | Promise<any>}
 */
export function decodeServerFrame(f) {
  const h = readHeader(f, MAX_SERVER_FRAME);
  const max = maxServerPayload(h.type);
  const payload = f.subarray(HEADER_LEN);
  const parse = (/** @type {Uint8Array} */ p) => {
    if (p.length > max) throw new DecodeError(`payload of ${p.length} bytes exceeds ${max} for this message type`);
    const r = new Reader(p);
    const m = getServerBody(h.type, r);
    r.finish();
    return m;
  };
  if (h.flags & FLAG_DEFLATE) return inflate(payload, max).then(parse);
  return parse(payload);
}

/**
 * Decodes a client frame (the tests use this to check the golden vectors).
 * @param {Uint8Array} f
 * @param {number} [maxFrame]
 */
export function decodeClientFrame(f, maxFrame = 8 * 1024) {
  const h = readHeader(f, maxFrame);
  if (h.flags & FLAG_DEFLATE) throw new DecodeError('compressed client frames are not used');
  const r = new Reader(f.subarray(HEADER_LEN));
  const m = getClientBody(h.type, r);
  r.finish();
  return m;
}

/**
 * @param {any} wire a client wire object
 * @param {number} [version]
 */
export function encodeClientFrame(wire, version = CURRENT_VERSION) {
  const w = new Writer();
  putClientBody(wire, w);
  const type = CLIENT_TYPES[/** @type {keyof typeof CLIENT_TYPES} */ (wire.type)];
  if (type === undefined) throw new RangeError(`unknown client message ${wire.type}`);
  return frame(type, w.bytesOut(), 0, version);
}

/**
 * Encodes a server wire object uncompressed (for tests and tools).
 * @param {any} wire
 * @param {number} [version]
 */
export function encodeServerFrame(wire, version = CURRENT_VERSION) {
  const w = new Writer();
  putServerBody(wire, w);
  const type = SERVER_TYPES[/** @type {keyof typeof SERVER_TYPES} */ (wire.type)];
  if (type === undefined) throw new RangeError(`unknown server message ${wire.type}`);
  return frame(type, w.bytesOut(), 0, version);
}

// ---------------------------------------------------------------- wire ↔ model

/**
 * @param {unknown} v
 * @param {string} field
 * @returns {number}
 */
function num(v, field) {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new DecodeError(`${field} is not a number`);
  return v;
}

/**
 * @param {unknown} v
 * @param {string} field
 * @returns {string}
 */
function str(v, field) {
  if (typeof v !== 'string') throw new DecodeError(`${field} is not a string`);
  return v;
}

/**
 * @param {unknown} v
 * @param {string} field
 * @returns {any[]}
 */
function arr(v, field) {
  if (!Array.isArray(v)) throw new DecodeError(`${field} is not a list`);
  return v;
}

/**
 * @param {unknown} v
 * @param {string} field
 * @returns {any}
 */
function obj(v, field) {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new DecodeError(`${field} is not an object`);
  return v;
}

const KIND_NUM = /** @type {Record<string, number>} */ ({ Player: 0, Node: 1, Creature: 2, Structure: 3, LootBag: 4, Projectile: 5 });

/** @param {number} a 1/256 turns */
const angleFromWire = (a) => (a / 256) * Math.PI * 2;

/** Reject codes in words, as sim-core's RejectReason Display. */
export const REJECT_TEXT = /** @type {Record<string, string>} */ ({
  unknown: 'no such thing',
  missing_item: 'not enough materials',
  no_station: 'the required station is not nearby',
  out_of_reach: 'out of reach',
  cooldown: 'not ready yet',
  inventory_full: 'inventory is full',
  blocked_placement: 'cannot build there',
  tool_too_weak: 'a better tool is needed',
  busy: 'already crafting',
  dead: 'you are dead',
  empty_chat: 'empty message',
  chat_rate_limited: 'you are sending messages too fast',
  team_unavailable: 'team action not possible',
  wrong_item: 'that item cannot be used like that',
  not_owner: 'that belongs to someone else',
});

/**
 * @param {any} e
 * @returns {EntityState}
 */
function entityFromWire(e) {
  obj(e, 'entity');
  const kind = KIND_NUM[e.kind];
  if (kind === undefined) throw new DecodeError(`unknown entity kind ${String(e.kind)}`);
  return {
    id: num(e.id, 'entity.id'),
    kind,
    subtype: num(e.subtype, 'entity.subtype'),
    x: num(e.x, 'entity.x') / POS_SCALE,
    y: num(e.y, 'entity.y') / POS_SCALE,
    angle: angleFromWire(num(e.angle, 'entity.angle')),
    health: num(e.health, 'entity.health'),
    flags: num(e.flags, 'entity.flags'),
  };
}

/**
 * @param {number} id
 * @param {any} p
 * @returns {PlayerInfo}
 */
function playerFromWire(id, p) {
  obj(p, 'player');
  return { id, name: str(p.name, 'player.name'), level: num(p.level, 'player.level'), team: p.team === null || p.team === undefined ? null : num(p.team, 'player.team') };
}

/** @param {any} s */
function stackFromWire(s) {
  if (s === null || s === undefined) return null;
  obj(s, 'stack');
  return { item: num(s.item, 'stack.item'), count: num(s.count, 'stack.count'), durability: num(s.durability, 'stack.durability') };
}

/**
 * @param {any} e
 * @returns {GameEvent}
 */
function eventFromWire(e) {
  obj(e, 'event');
  switch (e.kind) {
    case 'chat':
      return { kind: 'chat', from: num(e.from, 'chat.from'), name: str(e.name, 'chat.name'), channel: e.channel === 'Team' ? 'team' : 'global', text: str(e.text, 'chat.text') };
    case 'hit':
      return { kind: 'hit', attacker: num(e.attacker, 'hit.attacker'), target: num(e.target, 'hit.target'), damage: num(e.damage, 'hit.damage') / 10, x: num(e.x, 'hit.x') / POS_SCALE, y: num(e.y, 'hit.y') / POS_SCALE };
    case 'death':
      return { kind: 'death', victim: num(e.victim, 'death.victim'), killer: e.killer == null ? null : num(e.killer, 'death.killer'), x: num(e.x, 'death.x') / POS_SCALE, y: num(e.y, 'death.y') / POS_SCALE };
    case 'gathered':
      return { kind: 'gathered', item: num(e.item, 'gathered.item'), count: num(e.count, 'gathered.count') };
    case 'craft_started':
      return { kind: 'craft_started', recipe: num(e.recipe, 'craft.recipe'), ticks: num(e.ticks, 'craft.ticks') };
    case 'crafted':
    case 'craft_cancelled':
      return { kind: e.kind, recipe: num(e.recipe, 'craft.recipe') };
    case 'level_up':
      return { kind: 'level_up', level: num(e.level, 'level_up.level') };
    case 'respawned':
      return { kind: 'respawned', x: num(e.x, 'respawned.x') / POS_SCALE, y: num(e.y, 'respawned.y') / POS_SCALE };
    case 'rejected':
      return { kind: 'rejected', reason: REJECT_TEXT[str(e.code, 'rejected.code')] ?? String(e.code).replace(/_/g, ' ') };
    case 'structure_placed':
      return { kind: 'structure_placed', entity: num(e.entity, 'structure_placed.entity'), item: num(e.item, 'structure_placed.item') };
    case 'consumed':
      return { kind: 'consumed', item: e.item == null ? null : num(e.item, 'consumed.item') };
    case 'team_changed':
      return { kind: 'team_changed', player: num(e.player, 'team_changed.player'), team: e.team == null ? null : num(e.team, 'team_changed.team') };
    default:
      throw new DecodeError(`unknown event kind ${String(e.kind)}`);
  }
}

/**
 * Maps a server wire object (from either codec) to the client's model.
 * @param {any} m
 * @returns {ServerMessage}
 */
export function serverFromWire(m) {
  obj(m, 'message');
  switch (m.type) {
    case 'handshake_ack': {
      const w = obj(m.world, 'ack.world');
      const tickRate = num(m.tick_rate, 'ack.tick_rate');
      if (tickRate <= 0) throw new DecodeError('ack.tick_rate must be positive');
      return {
        type: 'handshake_ack',
        version: num(m.version, 'ack.version'),
        tickRate,
        serverTick: num(m.server_tick, 'ack.server_tick'),
        playerId: num(m.player, 'ack.player'),
        sessionId: str(m.session_id, 'ack.session_id'),
        resumeToken: str(m.resume_token, 'ack.resume_token'),
        world: {
          worldSize: num(w.world_size, 'world.world_size'),
          viewW: num(w.view_width, 'world.view_width'),
          viewH: num(w.view_height, 'world.view_height'),
          gridSize: num(w.build_cell, 'world.build_cell') || 40,
          snapshotInterval: Math.max(1, num(w.snapshot_interval, 'world.snapshot_interval')),
          dayLengthS: num(w.day_length_ticks, 'world.day_length_ticks') / tickRate,
          daylightS: num(w.daylight_ticks, 'world.daylight_ticks') / tickRate,
        },
      };
    }
    case 'content': {
      const items = arr(m.items, 'content.items').map((i) => ({ name: str(i.name, 'item.name'), kind: str(i.kind, 'item.kind') }));
      const recipes = arr(m.recipes, 'content.recipes').map((r) => ({
        name: str(r.name, 'recipe.name'),
        output: num(r.output, 'recipe.output'),
        count: num(r.count, 'recipe.count'),
        timeTicks: num(r.time_ticks, 'recipe.time_ticks'),
        station: r.station === null || r.station === undefined ? null : num(r.station, 'recipe.station'),
        inputs: arr(r.inputs, 'recipe.inputs').map((i) => ({ item: num(i.item, 'input.item'), count: num(i.count, 'input.count') })),
      }));
      return { type: 'content', items, recipes };
    }
    case 'world_map': {
      const cells = arr(m.cells, 'map.cells');
      const cols = num(m.cols, 'map.cols');
      const rows = num(m.rows, 'map.rows');
      if (cells.length !== cols * rows) throw new DecodeError(`map of ${cols}x${rows} has ${cells.length} cells`);
      return { type: 'world_map', cellSize: num(m.cell_size, 'map.cell_size'), cols, rows, biomes: Uint8Array.from(cells) };
    }
    case 'snapshot': {
      const list = arr(m.entities, 'snapshot.entities');
      return {
        type: 'snapshot',
        tick: num(m.tick, 'snapshot.tick'),
        ackSeq: num(m.last_input_seq, 'snapshot.last_input_seq'),
        entities: list.map(entityFromWire),
        players: list.filter((e) => e.player).map((e) => playerFromWire(e.id, e.player)),
      };
    }
    case 'delta': {
      const entered = arr(m.entered, 'delta.entered');
      const changed = arr(m.changed, 'delta.changed');
      return {
        type: 'delta',
        tick: num(m.tick, 'delta.tick'),
        baseTick: num(m.base_tick, 'delta.base_tick'),
        ackSeq: num(m.last_input_seq, 'delta.last_input_seq'),
        removed: arr(m.removed, 'delta.removed').map((id) => num(id, 'delta.removed')),
        entered: entered.map(entityFromWire),
        changed: changed.map((c) => {
          /** @type {import('./messages.js').EntityChange} */
          const out = { id: num(c.id, 'change.id') };
          if (c.moved != null) {
            const mv = arr(c.moved, 'change.moved');
            out.dx = num(mv[0], 'change.dx') / POS_SCALE;
            out.dy = num(mv[1], 'change.dy') / POS_SCALE;
          }
          if (c.angle != null) out.angle = angleFromWire(num(c.angle, 'change.angle'));
          if (c.health != null) out.health = num(c.health, 'change.health');
          if (c.flags != null) out.flags = num(c.flags, 'change.flags');
          if (c.subtype != null) out.subtype = num(c.subtype, 'change.subtype');
          return out;
        }),
        players: [...entered, ...changed].filter((e) => e.player).map((e) => playerFromWire(e.id, e.player)),
      };
    }
    case 'private': {
      const c = m.crafting == null ? null : obj(m.crafting, 'private.crafting');
      return {
        type: 'private',
        tick: num(m.tick, 'private.tick'),
        state: {
          entity: num(m.entity, 'private.entity'),
          health: num(m.health, 'private.health'),
          hunger: num(m.hunger, 'private.hunger'),
          thirst: num(m.thirst, 'private.thirst'),
          stamina: num(m.stamina, 'private.stamina'),
          dead: m.dead === true,
          selectedSlot: num(m.selected_slot, 'private.selected_slot'),
          inventory: arr(m.inventory, 'private.inventory').map(stackFromWire),
          equipment: arr(m.equipment, 'private.equipment').map(stackFromWire),
          crafting: c ? { recipe: num(c.recipe, 'crafting.recipe'), ticksLeft: num(c.ticks_left, 'crafting.ticks_left') } : null,
          xp: num(m.xp, 'private.xp'),
          level: num(m.level, 'private.level'),
          chest: m.chest == null ? null : { entity: num(obj(m.chest, 'private.chest').entity, 'chest.entity'), slots: arr(m.chest.slots, 'chest.slots').map(stackFromWire) },
        },
      };
    }
    case 'events':
      return { type: 'events', tick: num(m.tick, 'events.tick'), events: arr(m.events, 'events').map(eventFromWire) };
    case 'leaderboard':
      return {
        type: 'leaderboard',
        rows: arr(m.entries, 'leaderboard').map((e) => ({ id: num(e.player, 'leader.player'), name: str(e.name, 'leader.name'), level: num(e.level, 'leader.level'), score: num(e.score, 'leader.score') })),
      };
    case 'ping':
    case 'pong':
      return { type: m.type, nonce: num(m.nonce, 'ping.nonce') };
    case 'error':
      return { type: 'error', code: str(m.code, 'error.code'), message: str(m.message, 'error.message'), fatal: m.severity === 'fatal' };
    case 'disconnect':
      return { type: 'disconnect', reason: str(m.reason, 'disconnect.reason'), message: str(m.message, 'disconnect.message') };
    default:
      throw new DecodeError(`unknown message type ${JSON.stringify(m.type)}`);
  }
}

/** @param {number} v */
function moveToWire(v) {
  if (!Number.isFinite(v)) return 0;
  return Math.round(Math.max(-1, Math.min(1, v)) * 127);
}

/** @param {number} a radians */
function aimToWire(a) {
  if (!Number.isFinite(a)) return 0;
  const t = Math.round((a / (Math.PI * 2)) * 65536);
  return ((t % 65536) + 65536) % 65536;
}

/**
 * Maps a client model message to its wire object.
 * @param {ClientMessage} m
 * @returns {any}
 */
export function clientToWire(m) {
  switch (m.type) {
    case 'handshake':
      return {
        type: 'handshake',
        versions: m.versions,
        client: m.client,
        auth: m.token ? { kind: 'token', token: m.token } : { kind: 'guest', name: m.guestName },
        resume_token: m.resumeToken,
      };
    case 'input': {
      const i = { ...emptyInput(0), ...m };
      return {
        type: 'input',
        seq: i.seq >>> 0,
        ack_tick: Math.max(0, Math.floor(i.ackTick)),
        move_x: moveToWire(i.moveX),
        move_y: moveToWire(i.moveY),
        aim: aimToWire(i.aim),
        sprint: i.sprint,
        primary: i.primary,
        secondary: i.secondary,
        interact: i.interact,
        cancel_craft: i.cancelCraft,
        select_slot: i.selectSlot,
        craft: i.craft,
        build: i.build ? { slot: i.build.slot, cell_x: i.build.cellX, cell_y: i.build.cellY } : null,
        drop_slot: i.dropSlot,
        equip_slot: i.equipSlot,
        chat: i.chat ? { channel: i.chat.channel === 'team' ? 'Team' : 'Global', text: i.chat.text } : null,
        team: i.team === 'leave' ? 'Leave' : i.team && 'create' in i.team ? { Create: i.team.create } : i.team && 'join' in i.team ? { Join: i.team.join } : null,
        chest_put: i.chestPut,
        chest_take: i.chestTake,
      };
    }
    case 'ping':
    case 'pong':
      return { type: m.type, nonce: m.nonce >>> 0 };
    case 'disconnect':
      return { type: 'disconnect', reason: 'client_quit', message: m.message };
  }
}

// ---------------------------------------------------------------- the two codecs

/**
 * Binary frames (the default).
 * @type {import('../net/connection.js').Codec}
 */
export const binaryCodec = {
  encode(m) {
    return encodeClientFrame(clientToWire(m));
  },
  decode(data) {
    if (typeof data === 'string') return serverFromWire(parseJson(data));
    const wire = decodeServerFrame(new Uint8Array(data));
    return wire instanceof Promise ? wire.then(serverFromWire) : serverFromWire(wire);
  },
};

/**
 * Text frames with the same messages as compact JSON (`?codec=json`), for debugging.
 * @type {import('../net/connection.js').Codec}
 */
export const jsonCodec = {
  encode(m) {
    return JSON.stringify(clientToWire(m));
  },
  decode(data) {
    if (typeof data !== 'string') return binaryCodec.decode(data);
    return serverFromWire(parseJson(data));
  },
};

/** @param {string} text */
function parseJson(text) {
  if (text.length > MAX_SERVER_FRAME * 4) throw new DecodeError(`JSON message of ${text.length} characters is too large`);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new DecodeError(`bad JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
}
