// Payloads of every message, binary form. Decoding yields "wire objects": exactly the
// shape the protocol crate's JSON form has (snake_case fields, serde's enum spellings),
// so the binary and the JSON codec share one mapping to the client's model (codec.js).

import { DecodeError, Reader, Writer } from './wire.js';

/** Limits from crates/protocol/src/limits.rs; the decoder enforces each where it reads. */
export const LIMITS = Object.freeze({
  versions: 16,
  name: 32,
  clientInfo: 64,
  token: 2048,
  sessionId: 64,
  chat: 800,
  text: 512,
  entities: 1024,
  events: 256,
  inventory: 64,
  items: 1024,
  recipes: 1024,
  recipeInputs: 16,
  mapCells: 65536,
  leaderboard: 32,
});

export const CLIENT_TYPES = Object.freeze({ handshake: 0x01, input: 0x02, ping: 0x03, pong: 0x04, disconnect: 0x05 });
export const SERVER_TYPES = Object.freeze({
  handshake_ack: 0x81,
  content: 0x82,
  world_map: 0x83,
  snapshot: 0x84,
  delta: 0x85,
  private: 0x86,
  events: 0x87,
  ping: 0x88,
  pong: 0x89,
  error: 0x8a,
  disconnect: 0x8b,
  leaderboard: 0x8c,
});

/** Serde spellings of the protocol's enums, by wire number. */
export const ENTITY_KINDS = ['Player', 'Node', 'Creature', 'Structure', 'LootBag', 'Projectile'];
export const ITEM_KINDS = ['resource', 'food', 'tool', 'weapon', 'armor', 'structure', 'ammo', 'misc'];
export const CHANNELS = ['Global', 'Team'];
export const REJECT_CODES = [
  'unknown', 'missing_item', 'no_station', 'out_of_reach', 'cooldown', 'inventory_full', 'blocked_placement',
  'tool_too_weak', 'busy', 'dead', 'empty_chat', 'chat_rate_limited', 'team_unavailable', 'wrong_item', 'not_owner',
];
export const DISCONNECT_REASONS = [
  'client_quit', 'server_shutdown', 'kicked', 'banned', 'timeout', 'rate_limited', 'protocol_violation',
  'replaced', 'auth_failed', 'world_full',
];
/** Error codes start at 1 on the wire. */
export const ERROR_CODES = [
  null, 'bad_message', 'unsupported_version', 'auth_failed', 'world_full', 'rate_limited', 'message_too_large',
  'not_allowed', 'resume_failed', 'handshake_timeout', 'banned', 'internal',
];
export const SEVERITIES = ['info', 'warning', 'fatal'];
const EVENT_KINDS = [
  'chat', 'hit', 'death', 'gathered', 'craft_started', 'crafted', 'craft_cancelled', 'level_up', 'respawned', 'rejected',
  'structure_placed', 'consumed', 'team_changed',
];

/**
 * An enum value by wire number.
 * @param {(string | null)[]} table
 * @param {number} v
 * @param {string} field
 */
function enumOf(table, v, field) {
  const s = table[v];
  if (s === undefined || s === null) throw new DecodeError(`invalid value ${v} for ${field}`);
  return s;
}

/**
 * The wire number of an enum value.
 * @param {(string | null)[]} table
 * @param {string} s
 * @param {string} field
 */
function numOf(table, s, field) {
  const i = table.indexOf(s);
  if (i < 0) throw new RangeError(`unknown ${field} ${JSON.stringify(s)}`);
  return i;
}

// ---------------------------------------------------------------- client → server

const BTN = { sprint: 1, primary: 2, secondary: 4, interact: 8, cancel_craft: 16 };
const OPT = { select_slot: 1, craft: 2, build: 4, drop_slot: 8, equip_slot: 16, chat: 32, team: 64 };
const OPT_MORE = 128;
const OPT2 = { chest_put: 1, chest_take: 2 };

/**
 * @param {number} type
 * @param {Reader} r
 * @returns {any}
 */
export function getClientBody(type, r) {
  switch (type) {
    case CLIENT_TYPES.handshake: {
      const n = r.count('handshake.versions', LIMITS.versions, 2);
      const versions = [];
      for (let i = 0; i < n; i++) versions.push(r.u16('handshake.versions'));
      const client = r.str('handshake.client', LIMITS.clientInfo);
      const kind = r.u8('auth.kind');
      let auth;
      if (kind === 0) auth = { kind: 'guest', name: r.opt('auth.name', (x) => x.str('auth.name', LIMITS.name)) };
      else if (kind === 1) auth = { kind: 'token', token: r.str('auth.token', LIMITS.token) };
      else throw new DecodeError(`invalid value ${kind} for auth.kind`);
      const resume_token = r.opt('handshake.resume_token', (x) => x.str('handshake.resume_token', LIMITS.token));
      return { type: 'handshake', versions, client, auth, resume_token };
    }
    case CLIENT_TYPES.input: {
      const seq = r.u32v('input.seq');
      const ack_tick = r.var('input.ack_tick');
      const buttons = r.u8('input.buttons');
      if (buttons & ~31) throw new DecodeError(`invalid value ${buttons} for input.buttons`);
      const move_x = (r.u8('input.move_x') << 24) >> 24;
      const move_y = (r.u8('input.move_y') << 24) >> 24;
      const aim = r.u16('input.aim');
      const opts = r.u8('input.opts');
      const m = {
        type: 'input',
        seq,
        ack_tick,
        move_x,
        move_y,
        aim,
        sprint: (buttons & BTN.sprint) !== 0,
        primary: (buttons & BTN.primary) !== 0,
        secondary: (buttons & BTN.secondary) !== 0,
        interact: (buttons & BTN.interact) !== 0,
        cancel_craft: (buttons & BTN.cancel_craft) !== 0,
        select_slot: opts & OPT.select_slot ? r.u8('input.select_slot') : null,
        craft: opts & OPT.craft ? r.u16v('input.craft') : null,
        build: opts & OPT.build ? { slot: r.u8('build.slot'), cell_x: r.i32s('build.cell_x'), cell_y: r.i32s('build.cell_y') } : null,
        drop_slot: opts & OPT.drop_slot ? r.u8('input.drop_slot') : null,
        equip_slot: opts & OPT.equip_slot ? r.u8('input.equip_slot') : null,
        chat: opts & OPT.chat ? { channel: enumOf(CHANNELS, r.u8('chat.channel'), 'chat.channel'), text: r.str('input.chat', LIMITS.chat) } : null,
        team: /** @type {any} */ (null),
        chest_put: /** @type {number | null} */ (null),
        chest_take: /** @type {number | null} */ (null),
      };
      if (opts & OPT.team) {
        const t = r.u8('team.kind');
        if (t === 0) m.team = { Create: r.str('input.team', LIMITS.name) };
        else if (t === 1) m.team = { Join: r.u32v('team.join') };
        else if (t === 2) m.team = 'Leave';
        else throw new DecodeError(`invalid value ${t} for team.kind`);
      }
      m.chest_put = null;
      m.chest_take = null;
      if (opts & OPT_MORE) {
        const o2 = r.u8('input.options2');
        if (o2 === 0 || o2 & ~3) throw new DecodeError(`invalid value ${o2} for input.options2`);
        if (o2 & OPT2.chest_put) m.chest_put = r.u8('input.chest_put');
        if (o2 & OPT2.chest_take) m.chest_take = r.u8('input.chest_take');
      }
      return m;
    }
    case CLIENT_TYPES.ping:
    case CLIENT_TYPES.pong:
      return { type: type === CLIENT_TYPES.ping ? 'ping' : 'pong', nonce: r.u32v('ping.nonce') };
    case CLIENT_TYPES.disconnect:
      return getDisconnect(r);
    default:
      throw new DecodeError(`unknown message type 0x${type.toString(16)}`);
  }
}

/**
 * @param {any} m wire object
 * @param {Writer} w
 */
export function putClientBody(m, w) {
  switch (m.type) {
    case 'handshake':
      w.var(m.versions.length);
      for (const v of m.versions) w.u16(v);
      w.str(m.client);
      if (m.auth.kind === 'guest') {
        w.u8(0);
        w.opt(m.auth.name, (x, n) => x.str(n));
      } else {
        w.u8(1);
        w.str(m.auth.token);
      }
      w.opt(m.resume_token, (x, t) => x.str(t));
      return;
    case 'input': {
      w.var(m.seq);
      w.var(m.ack_tick);
      let b = 0;
      for (const [k, bit] of Object.entries(BTN)) if (m[k]) b |= bit;
      w.u8(b);
      w.u8(m.move_x);
      w.u8(m.move_y);
      w.u16(m.aim);
      let o = 0;
      for (const [k, bit] of Object.entries(OPT)) if (m[k] !== null && m[k] !== undefined) o |= bit;
      let o2 = 0;
      for (const [k, bit] of Object.entries(OPT2)) if (m[k] !== null && m[k] !== undefined) o2 |= bit;
      if (o2) o |= OPT_MORE;
      w.u8(o);
      if (m.select_slot != null) w.u8(m.select_slot);
      if (m.craft != null) w.var(m.craft);
      if (m.build != null) {
        w.u8(m.build.slot);
        w.svar(m.build.cell_x);
        w.svar(m.build.cell_y);
      }
      if (m.drop_slot != null) w.u8(m.drop_slot);
      if (m.equip_slot != null) w.u8(m.equip_slot);
      if (m.chat != null) {
        w.u8(numOf(CHANNELS, m.chat.channel, 'chat channel'));
        w.str(m.chat.text);
      }
      if (m.team != null) {
        if (m.team === 'Leave') w.u8(2);
        else if ('Create' in m.team) {
          w.u8(0);
          w.str(m.team.Create);
        } else {
          w.u8(1);
          w.var(m.team.Join);
        }
      }
      if (o2) {
        w.u8(o2);
        if (m.chest_put != null) w.u8(m.chest_put);
        if (m.chest_take != null) w.u8(m.chest_take);
      }
      return;
    }
    case 'ping':
    case 'pong':
      w.var(m.nonce);
      return;
    case 'disconnect':
      putDisconnect(m, w);
      return;
    default:
      throw new RangeError(`cannot encode client message ${m.type}`);
  }
}

/** @param {Reader} r */
function getDisconnect(r) {
  return {
    type: 'disconnect',
    reason: enumOf(DISCONNECT_REASONS, r.u8('disconnect.reason'), 'disconnect.reason'),
    message: r.str('disconnect.message', LIMITS.text),
  };
}

/**
 * @param {any} m
 * @param {Writer} w
 */
function putDisconnect(m, w) {
  w.u8(numOf(DISCONNECT_REASONS, m.reason, 'disconnect reason'));
  w.str(m.message);
}

// ---------------------------------------------------------------- server → client

const KIND_PLAYER_BIT = 0x80;
/** Kind-byte bit: angle 0, health 100, flags 0, and those three bytes left out. */
const KIND_AT_REST_BIT = 0x40;
const CHANGE = { pos: 1, angle: 2, health: 4, flags: 8, subtype: 16, player: 32 };

/** @param {Reader} r */
function getPlayerInfo(r) {
  return {
    name: r.str('player.name', LIMITS.name),
    level: r.u32v('player.level'),
    team: r.opt('player.team', (x) => x.u32v('player.team')),
  };
}

/**
 * @param {any} p
 * @param {Writer} w
 */
function putPlayerInfo(p, w) {
  w.str(p.name);
  w.var(p.level);
  w.opt(p.team, (x, t) => x.var(t));
}

/**
 * @param {Reader} r
 * @param {string} field
 */
function getEntities(r, field) {
  const n = r.count(field, LIMITS.entities, 5);
  const out = [];
  /** @type {number | null} */
  let prev = null;
  for (let i = 0; i < n; i++) {
    const id = r.idGap(prev, 'entity.id');
    const kb = r.u8('entity.kind');
    const kind = enumOf(ENTITY_KINDS, kb & ~(KIND_PLAYER_BIT | KIND_AT_REST_BIT), 'entity.kind');
    const subtype = r.u16v('entity.subtype');
    const x = r.i32s('entity.x');
    const y = r.i32s('entity.y');
    const rest = (kb & KIND_AT_REST_BIT) !== 0;
    out.push({
      id,
      kind,
      subtype,
      x,
      y,
      angle: rest ? 0 : r.u8('entity.angle'),
      health: rest ? 100 : r.u8('entity.health'),
      flags: rest ? 0 : r.u8('entity.flags'),
      player: kb & KIND_PLAYER_BIT ? getPlayerInfo(r) : null,
    });
    prev = id;
  }
  return out;
}

/**
 * @param {any[]} list
 * @param {Writer} w
 */
function putEntities(list, w) {
  w.var(list.length);
  /** @type {number | null} */
  let prev = null;
  for (const e of list) {
    w.idGap(prev, e.id);
    const rest = e.angle === 0 && e.health === 100 && e.flags === 0;
    w.u8(numOf(ENTITY_KINDS, e.kind, 'entity kind') | (e.player ? KIND_PLAYER_BIT : 0) | (rest ? KIND_AT_REST_BIT : 0));
    w.var(e.subtype);
    w.svar(e.x);
    w.svar(e.y);
    if (!rest) {
      w.u8(e.angle);
      w.u8(e.health);
      w.u8(e.flags);
    }
    if (e.player) putPlayerInfo(e.player, w);
    prev = e.id;
  }
}

/** @param {Reader} r */
function getStack(r) {
  const tag = r.var('stack.item');
  if (tag === 0) return null;
  if (tag - 1 > 0xffff) throw new DecodeError(`invalid value ${tag} for stack.item`);
  return { item: tag - 1, count: r.u16v('stack.count'), durability: r.u16v('stack.durability') };
}

/**
 * @param {any} s
 * @param {Writer} w
 */
function putStack(s, w) {
  if (!s) {
    w.var(0);
    return;
  }
  w.var(s.item + 1);
  w.var(s.count);
  w.var(s.durability);
}

/**
 * @param {Reader} r
 * @returns {any}
 */
function getEvent(r) {
  const k = r.u8('event.kind');
  const kind = enumOf(EVENT_KINDS, k, 'event.kind');
  switch (kind) {
    case 'chat':
      return {
        kind,
        from: r.u32v('chat.from'),
        name: r.str('chat.name', LIMITS.name),
        channel: enumOf(CHANNELS, r.u8('chat.channel'), 'chat.channel'),
        text: r.str('chat.text', LIMITS.chat),
      };
    case 'hit':
      return { kind, attacker: r.u32v('hit.attacker'), target: r.u32v('hit.target'), damage: r.u32v('hit.damage'), x: r.i32s('hit.x'), y: r.i32s('hit.y') };
    case 'death':
      return { kind, victim: r.u32v('death.victim'), killer: r.opt('death.killer', (x) => x.u32v('death.killer')), x: r.i32s('death.x'), y: r.i32s('death.y') };
    case 'gathered':
      return { kind, item: r.u16v('gathered.item'), count: r.u32v('gathered.count') };
    case 'craft_started':
      return { kind, recipe: r.u16v('craft_started.recipe'), ticks: r.u32v('craft_started.ticks') };
    case 'crafted':
    case 'craft_cancelled':
      return { kind, recipe: r.u16v(`${kind}.recipe`) };
    case 'level_up':
      return { kind, player: r.u32v('level_up.player'), level: r.u32v('level_up.level') };
    case 'respawned':
      return { kind, player: r.u32v('respawned.player'), x: r.i32s('respawned.x'), y: r.i32s('respawned.y') };
    case 'structure_placed':
      return { kind, entity: r.u32v('structure_placed.entity'), item: r.u16v('structure_placed.item') };
    case 'consumed':
      return { kind, item: r.opt('consumed.item', (x) => x.u16v('consumed.item')) };
    case 'team_changed':
      return { kind, player: r.u32v('team_changed.player'), team: r.opt('team_changed.team', (x) => x.u32v('team_changed.team')) };
    default:
      return {
        kind,
        code: enumOf(REJECT_CODES, r.u8('rejected.code'), 'rejected.code'),
        item: r.opt('rejected.item', (x) => x.u16v('rejected.item')),
      };
  }
}

/**
 * @param {any} e
 * @param {Writer} w
 */
function putEvent(e, w) {
  w.u8(numOf(EVENT_KINDS, e.kind, 'event kind'));
  switch (e.kind) {
    case 'chat':
      w.var(e.from);
      w.str(e.name);
      w.u8(numOf(CHANNELS, e.channel, 'chat channel'));
      w.str(e.text);
      return;
    case 'hit':
      w.var(e.attacker);
      w.var(e.target);
      w.var(e.damage);
      w.svar(e.x);
      w.svar(e.y);
      return;
    case 'death':
      w.var(e.victim);
      w.opt(e.killer, (x, k) => x.var(k));
      w.svar(e.x);
      w.svar(e.y);
      return;
    case 'gathered':
      w.var(e.item);
      w.var(e.count);
      return;
    case 'craft_started':
      w.var(e.recipe);
      w.var(e.ticks);
      return;
    case 'crafted':
    case 'craft_cancelled':
      w.var(e.recipe);
      return;
    case 'level_up':
      w.var(e.player);
      w.var(e.level);
      return;
    case 'respawned':
      w.var(e.player);
      w.svar(e.x);
      w.svar(e.y);
      return;
    case 'structure_placed':
      w.var(e.entity);
      w.var(e.item);
      return;
    case 'consumed':
      w.opt(e.item, (x, i) => x.var(i));
      return;
    case 'team_changed':
      w.var(e.player);
      w.opt(e.team, (x, t) => x.var(t));
      return;
    default:
      w.u8(numOf(REJECT_CODES, e.code, 'reject code'));
      w.opt(e.item, (x, i) => x.var(i));
  }
}

/**
 * @param {number} type
 * @param {Reader} r
 * @returns {any}
 */
export function getServerBody(type, r) {
  switch (type) {
    case SERVER_TYPES.handshake_ack:
      return {
        type: 'handshake_ack',
        version: r.u16('ack.version'),
        session_id: r.str('ack.session_id', LIMITS.sessionId),
        player: r.u32v('ack.player'),
        tick_rate: r.u16v('ack.tick_rate'),
        server_tick: r.var('ack.server_tick'),
        world: {
          world_size: r.u32v('world.world_size'),
          view_width: r.u32v('world.view_width'),
          view_height: r.u32v('world.view_height'),
          snapshot_interval: r.u8('world.snapshot_interval'),
          build_cell: r.u16v('world.build_cell'),
          day_length_ticks: r.u32v('world.day_length_ticks'),
          daylight_ticks: r.u32v('world.daylight_ticks'),
          content_version: r.u64Fixed('world.content_version'),
        },
        resume_token: r.str('ack.resume_token', LIMITS.token),
      };
    case SERVER_TYPES.content: {
      const n = r.count('content.items', LIMITS.items, 2);
      const items = [];
      for (let i = 0; i < n; i++) items.push({ name: r.str('item.name', LIMITS.name), kind: enumOf(ITEM_KINDS, r.u8('item.kind'), 'item.kind') });
      const m = r.count('content.recipes', LIMITS.recipes, 7);
      const recipes = [];
      for (let i = 0; i < m; i++) {
        const name = r.str('recipe.name', LIMITS.name);
        const output = r.u16v('recipe.output');
        const count = r.u16v('recipe.count');
        const time_ticks = r.u32v('recipe.time_ticks');
        const station = r.opt('recipe.station', (x) => x.u16v('recipe.station'));
        const xp = r.u32v('recipe.xp');
        const k = r.count('recipe.inputs', LIMITS.recipeInputs, 2);
        const inputs = [];
        for (let j = 0; j < k; j++) inputs.push({ item: r.u16v('recipe.input.item'), count: r.u16v('recipe.input.count') });
        recipes.push({ name, output, count, time_ticks, station, xp, inputs });
      }
      return { type: 'content', items, recipes };
    }
    case SERVER_TYPES.world_map: {
      const cell_size = r.u16v('map.cell_size');
      const cols = r.u16v('map.cols');
      const rows = r.u16v('map.rows');
      if (cols * rows > LIMITS.mapCells) throw new DecodeError(`map.cells: ${cols * rows} cells, at most ${LIMITS.mapCells} allowed`);
      const cells = Array.from(r.take(cols * rows, 'map.cells'));
      return { type: 'world_map', cell_size, cols, rows, cells };
    }
    case SERVER_TYPES.snapshot:
      return { type: 'snapshot', tick: r.var('snapshot.tick'), last_input_seq: r.u32v('snapshot.last_input_seq'), entities: getEntities(r, 'snapshot.entities') };
    case SERVER_TYPES.delta: {
      const tick = r.var('delta.tick');
      const back = r.var('delta.base_back');
      if (back === 0 || back > tick) throw new DecodeError(`invalid value ${back} for delta.base_back`);
      const last_input_seq = r.u32v('delta.last_input_seq');
      const nr = r.count('delta.removed', LIMITS.entities, 1);
      const removed = [];
      /** @type {number | null} */
      let prev = null;
      for (let i = 0; i < nr; i++) {
        prev = r.idGap(prev, 'delta.removed');
        removed.push(prev);
      }
      const entered = getEntities(r, 'delta.entered');
      // Changes come in groups by mask (ascending), ids ascending within a group.
      const groups = r.count('delta.changed', 63, 4);
      const changed = [];
      let lastMask = 0;
      for (let g = 0; g < groups; g++) {
        const mask = r.u8('change.mask');
        if (mask <= lastMask || mask & 0xc0) throw new DecodeError(`invalid value ${mask} for change.mask`);
        lastMask = mask;
        const nc = r.count('delta.changed', LIMITS.entities - changed.length, 2);
        if (nc === 0) throw new DecodeError('invalid value 0 for delta.changed');
        prev = null;
        for (let i = 0; i < nc; i++) {
          const id = r.idGap(prev, 'change.id');
          changed.push({
            id,
            moved: mask & CHANGE.pos ? [r.i32s('change.dx'), r.i32s('change.dy')] : null,
            angle: mask & CHANGE.angle ? r.u8('change.angle') : null,
            health: mask & CHANGE.health ? r.u8('change.health') : null,
            flags: mask & CHANGE.flags ? r.u8('change.flags') : null,
            subtype: mask & CHANGE.subtype ? r.u16v('change.subtype') : null,
            player: mask & CHANGE.player ? getPlayerInfo(r) : null,
          });
          prev = id;
        }
      }
      changed.sort((a, b) => a.id - b.id);
      for (let i = 1; i < changed.length; i++) {
        if (changed[i].id === changed[i - 1].id) throw new DecodeError(`invalid value ${changed[i].id} for change.id`);
      }
      return { type: 'delta', tick, base_tick: tick - back, last_input_seq, removed, entered, changed };
    }
    case SERVER_TYPES.private: {
      const tick = r.var('private.tick');
      const entity = r.u32v('private.entity');
      const health = r.u8('private.health');
      const hunger = r.u8('private.hunger');
      const thirst = r.u8('private.thirst');
      const stamina = r.u8('private.stamina');
      const bits = r.u8('private.bits');
      if (bits & ~7) throw new DecodeError(`invalid value ${bits} for private.bits`);
      const selected_slot = r.u8('private.selected_slot');
      const n = r.count('private.inventory', LIMITS.inventory, 1);
      const inventory = [];
      for (let i = 0; i < n; i++) inventory.push(getStack(r));
      const equipment = [getStack(r), getStack(r), getStack(r)];
      const crafting = bits & 2 ? { recipe: r.u16v('private.crafting.recipe'), ticks_left: r.u32v('private.crafting.ticks_left') } : null;
      const xp = r.var('private.xp');
      const level = r.u32v('private.level');
      let chest = null;
      if (bits & 4) {
        const chestEntity = r.u32v('private.chest.entity');
        const k = r.count('private.chest.slots', LIMITS.inventory, 1);
        const slots = [];
        for (let i = 0; i < k; i++) slots.push(getStack(r));
        chest = { entity: chestEntity, slots };
      }
      return { type: 'private', tick, entity, health, hunger, thirst, stamina, dead: (bits & 1) !== 0, selected_slot, inventory, equipment, crafting, xp, level, chest };
    }
    case SERVER_TYPES.events: {
      const tick = r.var('events.tick');
      const n = r.count('events', LIMITS.events, 2);
      const events = [];
      for (let i = 0; i < n; i++) events.push(getEvent(r));
      return { type: 'events', tick, events };
    }
    case SERVER_TYPES.ping:
    case SERVER_TYPES.pong:
      return { type: type === SERVER_TYPES.ping ? 'ping' : 'pong', nonce: r.u32v('ping.nonce') };
    case SERVER_TYPES.error: {
      const code = enumOf(ERROR_CODES, r.u8('error.code'), 'error.code');
      const severity = enumOf(SEVERITIES, r.u8('error.severity'), 'error.severity');
      return { type: 'error', code, severity, message: r.str('error.message', LIMITS.text) };
    }
    case SERVER_TYPES.disconnect:
      return getDisconnect(r);
    case SERVER_TYPES.leaderboard: {
      const n = r.count('leaderboard', LIMITS.leaderboard, 4);
      const entries = [];
      for (let i = 0; i < n; i++) {
        entries.push({ player: r.u32v('leader.player'), name: r.str('leader.name', LIMITS.name), level: r.u32v('leader.level'), score: r.u32v('leader.score') });
      }
      return { type: 'leaderboard', entries };
    }
    default:
      throw new DecodeError(`unknown message type 0x${type.toString(16)}`);
  }
}

/**
 * @param {any} m wire object
 * @param {Writer} w
 */
export function putServerBody(m, w) {
  switch (m.type) {
    case 'handshake_ack': {
      w.u16(m.version);
      w.str(m.session_id);
      w.var(m.player);
      w.var(m.tick_rate);
      w.var(m.server_tick);
      const wi = m.world;
      w.var(wi.world_size);
      w.var(wi.view_width);
      w.var(wi.view_height);
      w.u8(wi.snapshot_interval);
      w.var(wi.build_cell);
      w.var(wi.day_length_ticks);
      w.var(wi.daylight_ticks);
      w.u64Fixed(BigInt(wi.content_version));
      w.str(m.resume_token);
      return;
    }
    case 'content':
      w.var(m.items.length);
      for (const i of m.items) {
        w.str(i.name);
        w.u8(numOf(ITEM_KINDS, i.kind, 'item kind'));
      }
      w.var(m.recipes.length);
      for (const rc of m.recipes) {
        w.str(rc.name);
        w.var(rc.output);
        w.var(rc.count);
        w.var(rc.time_ticks);
        w.opt(rc.station, (x, s) => x.var(s));
        w.var(rc.xp);
        w.var(rc.inputs.length);
        for (const i of rc.inputs) {
          w.var(i.item);
          w.var(i.count);
        }
      }
      return;
    case 'world_map':
      w.var(m.cell_size);
      w.var(m.cols);
      w.var(m.rows);
      w.bytes(m.cells);
      return;
    case 'snapshot':
      w.var(m.tick);
      w.var(m.last_input_seq);
      putEntities(m.entities, w);
      return;
    case 'delta': {
      w.var(m.tick);
      w.var(m.tick - m.base_tick);
      w.var(m.last_input_seq);
      w.var(m.removed.length);
      /** @type {number | null} */
      let prev = null;
      for (const id of m.removed) {
        w.idGap(prev, id);
        prev = id;
      }
      putEntities(m.entered, w);
      // Grouped by mask, ascending; ids ascending within each group.
      const masks = m.changed.map((/** @type {any} */ c) => {
        let mask = 0;
        if (c.moved != null) mask |= CHANGE.pos;
        if (c.angle != null) mask |= CHANGE.angle;
        if (c.health != null) mask |= CHANGE.health;
        if (c.flags != null) mask |= CHANGE.flags;
        if (c.subtype != null) mask |= CHANGE.subtype;
        if (c.player != null) mask |= CHANGE.player;
        return mask;
      });
      const used = [...new Set(masks)].sort((a, b) => a - b);
      w.var(used.length);
      for (const mask of used) {
        const group = m.changed.filter((/** @type {unknown} */ _, /** @type {number} */ i) => masks[i] === mask);
        w.u8(mask);
        w.var(group.length);
        prev = null;
        for (const c of group) {
          w.idGap(prev, c.id);
          if (c.moved != null) {
            w.svar(c.moved[0]);
            w.svar(c.moved[1]);
          }
          for (const v of [c.angle, c.health, c.flags]) if (v != null) w.u8(v);
          if (c.subtype != null) w.var(c.subtype);
          if (c.player != null) putPlayerInfo(c.player, w);
          prev = c.id;
        }
      }
      return;
    }
    case 'private':
      w.var(m.tick);
      w.var(m.entity);
      w.bytes([m.health, m.hunger, m.thirst, m.stamina]);
      w.u8((m.dead ? 1 : 0) | (m.crafting ? 2 : 0) | (m.chest ? 4 : 0));
      w.u8(m.selected_slot);
      w.var(m.inventory.length);
      for (const s of m.inventory) putStack(s, w);
      for (const s of m.equipment) putStack(s, w);
      if (m.crafting) {
        w.var(m.crafting.recipe);
        w.var(m.crafting.ticks_left);
      }
      w.var(m.xp);
      w.var(m.level);
      if (m.chest) {
        w.var(m.chest.entity);
        w.var(m.chest.slots.length);
        for (const s of m.chest.slots) putStack(s, w);
      }
      return;
    case 'events':
      w.var(m.tick);
      w.var(m.events.length);
      for (const e of m.events) putEvent(e, w);
      return;
    case 'ping':
    case 'pong':
      w.var(m.nonce);
      return;
    case 'error':
      w.u8(numOf(ERROR_CODES, m.code, 'error code'));
      w.u8(numOf(SEVERITIES, m.severity, 'severity'));
      w.str(m.message);
      return;
    case 'disconnect':
      putDisconnect(m, w);
      return;
    case 'leaderboard':
      w.var(m.entries.length);
      for (const e of m.entries) {
        w.var(e.player);
        w.str(e.name);
        w.var(e.level);
        w.var(e.score);
      }
      return;
    default:
      throw new RangeError(`cannot encode server message ${m.type}`);
  }
}

export { Reader, Writer, DecodeError };
