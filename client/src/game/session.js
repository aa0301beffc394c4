// One game session: the connection, the replicated world, prediction, input and the
// frame loop, glued together. Everything that decides something lives in the small
// modules this file imports; this one wires them.

import { EntityKind, Flag, emptyInput } from '../protocol/messages.js';
import { Connection } from '../net/connection.js';
import { ClientWorld, MissingBaselineError } from './world.js';
import { TickClock, sampleTrack } from './interp.js';
import { Predictor } from './predict.js';
import { Controls } from './controls.js';
import { WorldMap } from './worldmap.js';
import { craftOptions, stationsNear, displayName } from './crafting.js';
import { ghostAt } from './build.js';
import { darkness, PLAYER_LIGHT, CAMPFIRE_LIGHT, TORCH_LIGHT } from './daynight.js';
import { Renderer } from '../render/renderer.js';
import { Minimap } from '../render/minimap.js';
import { Hud, el, HOTBAR_SLOTS } from '../ui/hud.js';
import { bannerText, duration, teamCommand } from '../ui/model.js';
import { bindInput } from '../ui/bindings.js';
import { leaderboard } from '../net/api.js';

/** @typedef {import('../protocol/messages.js').ServerMessage} ServerMessage */
/** @typedef {import('../protocol/messages.js').ClientMessage} ClientMessage */
/** @typedef {import('../protocol/messages.js').InputMsg} InputMsg */
/** @typedef {import('../protocol/messages.js').WorldInfo} WorldInfo */
/** @typedef {import('../protocol/messages.js').PrivateState} PrivateState */
/** @typedef {import('../protocol/messages.js').GameEvent} GameEvent */
/** @typedef {import('../net/connection.js').Codec} Codec */
/** @typedef {import('../render/renderer.js').Drawable} Drawable */
/** @typedef {import('../render/renderer.js').Scene} Scene */

/** Protocol versions this client speaks, best first. */
export const PROTOCOL_VERSIONS = [1];

/** Other entities are drawn this many snapshot intervals in the past, so one late or
 * lost update still finds a later sample to interpolate toward. */
export const INTERP_DELAY_SNAPSHOTS = 2;

/** `equip_slot` values 200, 201, 202 take off the head, body and hand item (PROTOCOL.md). */
const UNEQUIP_FIRST = 200;

/** Where in the server's tick (0..1) inputs are aimed to arrive. */
const INPUT_PHASE = 0.5;

/** Used until the handshake_ack brings the real numbers. */
const DEFAULT_WORLD = /** @type {WorldInfo} */ ({
  worldSize: 4000,
  viewW: 1600,
  viewH: 1000,
  dayLengthS: 1200,
  daylightS: 480,
  playerRadius: 24,
  walkSpeed: 200,
  sprintMultiplier: 1.5,
  gridSize: 40,
  snapshotInterval: 1,
  items: [],
  recipes: [],
  // Names by subtype, in the order of sim-core's content/nodes.toml and creatures.toml
  // (the protocol sends item and recipe tables, not these).
  nodeKinds: ['tree', 'rock', 'bush', 'fiber_plant', 'ore', 'cactus'],
  creatureKinds: ['rabbit', 'wolf', 'scorpion', 'bear'],
});

/**
 * @typedef {object} SessionOptions
 * @property {string} wsUrl
 * @property {Codec} codec
 * @property {string} token
 * @property {string} name
 * @property {string | null} world
 * @property {string | null} resumeToken  from an earlier page load
 * @property {(screen: 'game' | 'dead') => void} onScreen
 * @property {(message: string) => void} onFatal  back to the title with this message
 * @property {(token: string) => void} onResumeToken
 */

export class GameSession {
  /** @param {SessionOptions} opts */
  constructor(opts) {
    this.opts = opts;
    this.world = new ClientWorld();
    /** @type {WorldInfo} */
    this.info = DEFAULT_WORLD;
    this.tickRate = 20;
    this.clock = new TickClock(this.tickRate);
    /** @type {WorldMap | null} */
    this.map = null;
    this.predictor = new Predictor(this.#rules());
    this.controls = new Controls();
    this.renderer = new Renderer(/** @type {HTMLCanvasElement} */ (el('game')));
    this.minimap = new Minimap(/** @type {HTMLCanvasElement} */ (el('minimap')));
    this.hud = new Hud({
      onSlot: (s) => this.pickSlot(s),
      onEquip: (s) => this.queue({ equipSlot: s }),
      onUnequip: (i) => this.queue({ equipSlot: UNEQUIP_FIRST + i }),
      onCraft: (r) => this.queue({ craft: r }),
      onChestPut: (s) => this.queue({ chestPut: s }),
      onChestTake: (s) => this.queue({ chestTake: s }),
    });
    /** @type {PrivateState | null} */
    this.me = null;
    this.entityId = -1;
    this.playerId = -1;
    this.resumeToken = opts.resumeToken;
    this.seq = 0;
    /** @type {Partial<InputMsg>} one-shot actions for the next input */
    this.pending = {};
    this.buildMode = false;
    this.craftOpen = false;
    this.invOpen = false;
    this.chatOpen = false;
    /** @type {{name: string, score: number, level: number}[]} */
    this.leaders = [];
    /** When the last live leaderboard arrived (performance.now ms). */
    this.liveLeadersAt = -Infinity;
    this.ping = 0;
    this.pingNonce = 0;
    /** @type {Map<number, number>} nonce → sent at */
    this.pingSent = new Map();
    this.fps = 0;
    this.frames = 0;
    this.fpsAt = performance.now();
    this.lastFrame = performance.now();
    /** Seconds the last frame's work took (not counting the wait for vsync). */
    this.lastWork = 0;
    this.joinedAt = performance.now();
    /** @type {{killer: string | null}} */
    this.lastDeath = { killer: null };
    this.alive = true;
    this.running = false;
    /** @type {string[]} problems reported (bad messages), for the e2e check and debugging */
    this.problems = [];
    /** @type {Scene | null} */
    this.scene = null;
    this.craftStart = { recipe: -1, ticks: 1 };
    /** @type {{x: number, y: number, text: string, born: number, mine: boolean}[]} recent hits */
    this.floaters = [];
    /** The last input seq the server reported applied (snapshot/delta header). */
    this.ackSeq = 0;
    this.conn = new Connection(opts.wsUrl, opts.codec, {
      onMessage: (m) => this.#onMessage(m),
      onState: (s, d) => this.#onConnState(s, d),
      onProblem: (p) => this.#onProblem(p),
      handshake: () => this.#handshake(),
    });
    /** @type {(() => void)[]} */
    this.unbind = [];
  }

  start() {
    this.running = true;
    this.unbind.push(bindInput(this));
    this.renderer.resize();
    this.conn.start();
    const frame = () => {
      if (!this.running) return;
      this.#frame();
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
    this.#scheduleInput();
    this.pingTimer = setInterval(() => this.#sendPing(), 2000);
    this.#pollLeaders();
    this.leaderTimer = setInterval(() => this.#pollLeaders(), 15_000);
  }

  /** The stored leaderboard over all accounts, shown while no live one arrives. */
  async #pollLeaders() {
    if (performance.now() - this.liveLeadersAt < 20_000) return;
    try {
      const rows = await leaderboard('');
      if (performance.now() - this.liveLeadersAt < 20_000) return;
      this.hud.setLeaderboard(rows.map((r) => ({ name: r.name, score: r.level, level: r.level })), this.opts.name, 'Top levels');
    } catch {
      // The HUD keeps what it showed; the connection banner reports real outages.
    }
  }

  stop() {
    this.running = false;
    this.conn.stop();
    clearTimeout(this.inputTimer);
    clearInterval(this.pingTimer);
    clearInterval(this.leaderTimer);
    for (const u of this.unbind) u();
    this.unbind = [];
  }

  /**
   * Adds one-shot actions to the next input.
   * @param {Partial<InputMsg>} actions
   */
  queue(actions) {
    Object.assign(this.pending, actions);
  }

  /** @returns {import('./predict.js').MoveRules} */
  #rules() {
    return {
      walkSpeed: this.info.walkSpeed,
      sprintMultiplier: this.info.sprintMultiplier,
      dt: 1 / this.tickRate,
      radius: this.info.playerRadius,
      worldSize: this.info.worldSize,
      blocked: (x, y) => this.#blocked(x, y),
    };
  }

  /**
   * Water and solid structures block walking (as on the server).
   * @param {number} x
   * @param {number} y
   */
  #blocked(x, y) {
    if (this.map?.isWater(x, y)) return true;
    const r = this.info.playerRadius;
    const half = this.info.gridSize / 2;
    for (const e of this.world.entities.values()) {
      if (e.kind !== EntityKind.Structure) continue;
      const name = this.info.items[e.subtype]?.name ?? '';
      if (!name.includes('wall') && !(name.includes('door') && !(e.flags & Flag.Inactive))) continue;
      const dx = Math.max(Math.abs(e.x - x) - half, 0);
      const dy = Math.max(Math.abs(e.y - y) - half, 0);
      if (dx * dx + dy * dy < r * r) return true;
    }
    return false;
  }

  /** @returns {ClientMessage} */
  #handshake() {
    return {
      type: 'handshake',
      versions: PROTOCOL_VERSIONS,
      client: 'kindling-web/0.1.0',
      token: this.opts.token,
      guestName: this.opts.name || null,
      resumeToken: this.resumeToken,
    };
  }

  /**
   * @param {'connecting' | 'open' | 'lost' | 'closed'} state
   * @param {string} detail
   */
  #onConnState(state, detail) {
    this.hud.banner(bannerText(state, detail, this.conn.everOpened));
    if (state === 'closed' && this.running) {
      this.stop();
      this.opts.onFatal(detail ? `Disconnected: ${detail}` : 'Disconnected from the server.');
    }
  }

  /** @param {string} problem */
  #onProblem(problem) {
    this.problems.push(problem);
    console.warn(`kindling: ${problem}`);
    this.hud.banner(`${problem} — reconnecting…`, true);
  }

  /** @param {ServerMessage} m */
  #onMessage(m) {
    switch (m.type) {
      case 'handshake_ack':
        return this.#onAck(m);
      case 'world_map':
        this.map = new WorldMap(m.cellSize, m.cols, m.rows, m.biomes);
        this.renderer.setMap(this.map);
        this.minimap.setMap(this.map);
        return;
      case 'content':
        this.info = { ...this.info, items: m.items, recipes: m.recipes };
        this.hud.cache.clear();
        return;
      case 'snapshot':
        this.world.applySnapshot(m.tick, m.entities, m.players);
        return this.#afterWorldUpdate(m.ackSeq);
      case 'delta':
        try {
          this.world.applyDelta(m.tick, m.baseTick, m.removed, m.entered, m.changed, m.players);
        } catch (e) {
          // Our ack stops advancing, so the server falls back to a full snapshot.
          if (e instanceof MissingBaselineError) return;
          throw e;
        }
        return this.#afterWorldUpdate(m.ackSeq);
      case 'private':
        return this.#onPrivate(m.state);
      case 'events':
        for (const e of m.events) this.#onEvent(e);
        return;
      case 'leaderboard':
        this.liveLeadersAt = performance.now();
        this.leaders = m.rows;
        this.hud.setLeaderboard(m.rows, this.opts.name, 'Leaderboard');
        return;
      case 'ping':
        this.conn.send({ type: 'pong', nonce: m.nonce });
        return;
      case 'pong': {
        const sent = this.pingSent.get(m.nonce);
        if (sent !== undefined) {
          this.ping = performance.now() - sent;
          this.pingSent.delete(m.nonce);
        }
        return;
      }
      case 'error':
        if (m.fatal) {
          this.stop();
          this.opts.onFatal(m.message);
        } else this.hud.toast(m.message, 'bad');
        return;
      case 'disconnect':
        this.hud.chat('', `Server closed the connection: ${m.message || m.reason.replace(/_/g, ' ')}`, 'system');
        if (m.reason === 'banned' || m.reason === 'kicked' || m.reason === 'auth_failed' || m.reason === 'replaced') {
          this.stop();
          this.opts.onFatal(m.message || m.reason.replace(/_/g, ' '));
        }
        return;
    }
  }

  /** @param {Extract<ServerMessage, {type: 'handshake_ack'}>} m */
  #onAck(m) {
    this.info = { ...this.info, ...m.world };
    this.tickRate = m.tickRate;
    this.clock = new TickClock(m.tickRate);
    this.clock.observe(m.serverTick, performance.now());
    this.playerId = m.playerId;
    // The protocol's player id is the player's entity id.
    this.entityId = m.playerId;
    this.resumeToken = m.resumeToken;
    this.opts.onResumeToken(m.resumeToken);
    this.world.reset();
    this.predictor = new Predictor(this.#rules());
    clearTimeout(this.inputTimer);
    this.#scheduleInput();
    this.hud.banner(null);
    this.opts.onScreen(this.me?.dead ? 'dead' : 'game');
  }

  /** @param {number} ackSeq the last input the server applied before this tick */
  #afterWorldUpdate(ackSeq) {
    this.clock.observe(this.world.tick, performance.now());
    this.ackSeq = ackSeq;
    this.#reconcile();
  }

  /** @param {PrivateState} p */
  #onPrivate(p) {
    const wasDead = this.me?.dead ?? false;
    this.me = p;
    this.entityId = p.entity;
    this.hud.setMeters(p);
    this.hud.setInventory(p, this.info.items);
    this.hud.setChest(p, this.info.items);
    if (p.dead && !wasDead) {
      this.alive = false;
      this.predictor.reset();
      this.#showDeath(p);
      this.opts.onScreen('dead');
    } else if (!p.dead && wasDead) {
      // The world respawns the player after a short delay; the death screen stays until
      // the player has read it and clicks Respawn.
      this.alive = true;
      this.joinedAt = performance.now();
      this.predictor.reset();
      const b = /** @type {HTMLButtonElement} */ (el('respawn'));
      b.disabled = false;
      b.textContent = 'Respawn';
    }
  }

  #reconcile() {
    const own = this.world.entities.get(this.entityId);
    if (!own || !this.me || this.me.dead) return;
    this.predictor.reconcile(own.x, own.y, this.ackSeq);
  }

  /** @param {GameEvent} e */
  #onEvent(e) {
    switch (e.kind) {
      case 'chat':
        this.hud.chat(e.name, e.text, e.channel);
        return;
      case 'hit':
        this.floaters.push({ x: e.x, y: e.y, text: `-${Math.max(1, Math.round(e.damage))}`, born: performance.now(), mine: e.target === this.entityId });
        if (this.floaters.length > 40) this.floaters.shift();
        return;
      case 'gathered':
        this.hud.toast(`+${e.count} ${displayName(this.info.items[e.item]?.name ?? '?')}`, 'good');
        return;
      case 'craft_started':
        this.craftStart = { recipe: e.recipe, ticks: Math.max(1, e.ticks) };
        return;
      case 'crafted':
        this.hud.toast(`Crafted ${displayName(this.info.recipes[e.recipe]?.name ?? '?')}`, 'good');
        return;
      case 'craft_cancelled':
        this.hud.toast('Crafting cancelled — materials returned', 'bad');
        return;
      case 'level_up':
        this.hud.toast(`Level ${e.level}!`, 'good');
        return;
      case 'rejected':
        this.hud.toast(capitalise(e.reason), 'bad');
        return;
      case 'structure_placed':
        this.hud.toast(`Placed ${displayName(this.info.items[e.item]?.name ?? 'structure')}`, 'good');
        return;
      case 'consumed':
        this.hud.toast(e.item === null ? 'Drank water' : `Ate ${displayName(this.info.items[e.item]?.name ?? 'something')}`, 'good');
        return;
      case 'team_changed': {
        const who = e.player === this.entityId ? 'You' : this.world.players.get(e.player)?.name ?? 'A player';
        this.hud.chat('', e.team === null ? `${who} left the team` : `${who} joined team ${e.team}`, 'system');
        return;
      }
      case 'death':
        if (e.victim === this.entityId) {
          const k = e.killer === null ? null : this.world.players.get(e.killer)?.name ?? this.#kindName(e.killer);
          this.lastDeath = { killer: k };
        }
        return;
      default:
        return;
    }
  }

  /** @param {number} id */
  #kindName(id) {
    const ent = this.world.entities.get(id);
    if (ent?.kind === EntityKind.Creature) return displayName(this.info.creatureKinds[ent.subtype] ?? 'a creature');
    return null;
  }

  /** @param {PrivateState} p */
  #showDeath(p) {
    const b = /** @type {HTMLButtonElement} */ (el('respawn'));
    b.disabled = true;
    b.textContent = 'Respawning…';
    el('death-cause').textContent = this.lastDeath.killer ? `Killed by ${this.lastDeath.killer}` : 'The wild got you.';
    const stats = [
      ['Survived', duration((performance.now() - this.joinedAt) / 1000)],
      ['Level', String(p.level)],
      ['Experience', String(p.xp)],
    ];
    el('death-stats').replaceChildren(
      ...stats.flatMap(([k, v]) => {
        const dt = document.createElement('dt');
        dt.textContent = k;
        const dd = document.createElement('dd');
        dd.textContent = v;
        return [dt, dd];
      }),
    );
  }

  /** The death screen's button: back to the game once the world has respawned us. */
  respawn() {
    if (this.alive) this.opts.onScreen('game');
  }

  #sendPing() {
    const nonce = (this.pingNonce = (this.pingNonce + 1) >>> 0);
    this.pingSent.set(nonce, performance.now());
    if (this.pingSent.size > 8) this.pingSent.delete(/** @type {number} */ (this.pingSent.keys().next().value));
    this.conn.send({ type: 'ping', nonce });
  }

  /**
   * Sends one input per server tick, timed to arrive mid-tick. The server queues inputs
   * and applies one per tick, so a steady one-per-tick rhythm keeps that queue short and
   * the predicted steps in line with the server's.
   */
  #scheduleInput() {
    const tickMs = 1000 / this.tickRate;
    const now = performance.now();
    let wait = tickMs;
    if (this.clock.offset !== null) {
      const phase = this.clock.now(now) % 1;
      wait = ((INPUT_PHASE - phase + 1) % 1) * tickMs;
      if (wait < tickMs * 0.25) wait += tickMs; // never two sends in one tick
    }
    this.inputTimer = setTimeout(() => {
      if (!this.running) return;
      this.#sendInput();
      this.#scheduleInput();
    }, wait);
  }

  /** Builds and sends this tick's input, and predicts it locally. */
  #sendInput() {
    if (this.conn.state !== 'open') return;
    this.seq = (this.seq + 1) >>> 0;
    const input = emptyInput(this.seq);
    const typing = this.chatOpen;
    const mv = typing ? { x: 0, y: 0 } : this.controls.move();
    input.moveX = mv.x;
    input.moveY = mv.y;
    input.sprint = !typing && this.controls.sprinting();
    input.aim = this.aim();
    input.ackTick = this.world.tick;
    input.primary = !typing && !this.buildMode && this.controls.attacking() && !this.overUi;
    input.secondary = !typing && this.controls.rightDown;
    Object.assign(input, this.pending);
    this.pending = {};
    if (!this.conn.send(input)) return;
    if (this.alive && this.me) {
      const hungry = Math.min(this.me.hunger, this.me.thirst) < 50 && Math.min(this.me.hunger, this.me.thirst) >= 25;
      const canSprint = input.sprint && this.me.stamina > 0;
      this.predictor.apply({ seq: input.seq, moveX: input.moveX, moveY: input.moveY, sprint: canSprint, speedFactor: hungry ? 0.8 : 1 });
    }
  }

  /** Aim angle from the player on screen to the mouse (or the stick). */
  aim() {
    if (this.controls.stick && Math.hypot(this.controls.stick.x, this.controls.stick.y) > 0.2) {
      return Math.atan2(this.controls.stick.y, this.controls.stick.x);
    }
    const r = this.renderer;
    const cx = r.canvas.clientWidth / 2;
    const cy = r.canvas.clientHeight / 2;
    return Math.atan2(this.controls.mouseY - cy, this.controls.mouseX - cx);
  }

  /**
   * Selects a slot; a tool, weapon or armour there is also put on (the hand item is what
   * swings), as players of the genre expect from the hotbar.
   * @param {number} slot
   */
  pickSlot(slot) {
    const stack = this.me?.inventory[slot];
    const kind = stack ? this.info.items[stack.item]?.kind : undefined;
    if (kind === 'tool' || kind === 'weapon' || kind === 'armor') this.queue({ selectSlot: slot, equipSlot: slot });
    else this.queue({ selectSlot: slot });
  }

  /** The structure item to place in build mode: the selected slot if it is one, else the first. */
  buildSlot() {
    if (!this.me) return -1;
    const inv = this.me.inventory;
    const isStructure = (/** @type {number} */ i) => {
      const s = inv[i];
      return !!s && this.info.items[s.item]?.kind === 'structure';
    };
    if (isStructure(this.me.selectedSlot)) return this.me.selectedSlot;
    for (let i = 0; i < inv.length; i++) if (isStructure(i)) return i;
    return -1;
  }

  #frame() {
    const now = performance.now();
    const dt = Math.min(0.1, (now - this.lastFrame) / 1000);
    this.lastFrame = now;
    this.frames += 1;
    if (now - this.fpsAt >= 1000) {
      this.fps = (this.frames * 1000) / (now - this.fpsAt);
      this.frames = 0;
      this.fpsAt = now;
    }
    if (!this.renderer.adapt(this.lastWork, dt)) this.renderer.resize();
    this.predictor.frame(dt);
    const scene = this.#scene(now);
    this.scene = scene;
    this.renderer.draw(scene);
    if (this.frames % 6 === 0) this.#slowHud(scene);
    this.#updateCrafting();
    this.lastWork = (performance.now() - now) / 1000;
  }

  /**
   * Builds the scene for this frame: interpolated entities, the predicted player.
   * @param {number} now
   * @returns {Scene}
   */
  #scene(now) {
    const renderTick = this.clock.now(now) - INTERP_DELAY_SNAPSHOTS * this.info.snapshotInterval;
    const ownEntity = this.world.entities.get(this.entityId);
    const predicted = this.predictor.initialised && this.alive;
    const meX = predicted ? this.predictor.displayX : (ownEntity?.x ?? this.info.worldSize / 2);
    const meY = predicted ? this.predictor.displayY : (ownEntity?.y ?? this.info.worldSize / 2);
    const myTeam = this.world.players.get(this.entityId)?.team ?? null;
    /** @type {Drawable[]} */
    const things = [];
    /** @type {{x: number, y: number, r: number}[]} */
    const lights = [];
    const heldName = this.#heldName();
    for (const e of this.world.entities.values()) {
      const me = e.id === this.entityId;
      if (me && this.me?.dead) continue;
      let x = e.x;
      let y = e.y;
      let angle = e.angle;
      if (me) {
        x = meX;
        y = meY;
        angle = this.aim();
      } else if (e.kind === EntityKind.Player || e.kind === EntityKind.Creature || e.kind === EntityKind.Projectile) {
        const track = this.world.tracks.get(e.id);
        const p = track ? sampleTrack(track, renderTick) : null;
        if (p) {
          x = p.x;
          y = p.y;
          angle = p.angle;
        }
      }
      const info = e.kind === EntityKind.Player ? this.world.players.get(e.id) : undefined;
      const name = this.#nameOf(e.kind, e.subtype);
      things.push({
        id: e.id,
        kind: e.kind,
        name,
        x,
        y,
        angle,
        health: e.health,
        flags: e.flags,
        label: info ? info.name : e.kind === EntityKind.Player ? '' : null,
        held: me ? heldName : null,
        me,
        mate: myTeam !== null && info?.team === myTeam,
      });
      if (e.kind === EntityKind.Structure && name === 'campfire') lights.push({ x, y, r: CAMPFIRE_LIGHT });
    }
    lights.push({ x: meX, y: meY, r: heldName?.includes('torch') ? TORCH_LIGHT : PLAYER_LIGHT });
    const scale = this.renderer.scaleFor(this.info.viewW, this.info.viewH);
    /** @type {Scene} */
    const scene = {
      camX: meX,
      camY: meY,
      scale,
      worldSize: this.info.worldSize,
      grid: this.info.gridSize,
      things,
      ghost: null,
      darkness: darkness(this.world.tick / this.tickRate, this.info.dayLengthS, this.info.daylightS),
      lights,
      timeS: now / 1000,
      floaters: this.#liveFloaters(now),
    };
    if (this.buildMode && this.buildSlot() >= 0) {
      const w = this.renderer.toWorld(scene, this.controls.mouseX, this.controls.mouseY);
      scene.ghost = ghostAt(w.x, w.y, meX, meY, this.info.gridSize, this.world.entities.values(), (gx, gy) => this.map?.isWater(gx, gy) ?? false, this.info.playerRadius, this.info.worldSize);
    }
    return scene;
  }

  /**
   * Damage numbers younger than their lifetime, with their age as 0..1.
   * @param {number} now
   */
  #liveFloaters(now) {
    const life = 900;
    this.floaters = this.floaters.filter((f) => now - f.born < life);
    return this.floaters.map((f) => ({ x: f.x, y: f.y, text: f.text, mine: f.mine, age: (now - f.born) / life }));
  }

  #heldName() {
    const hand = this.me?.equipment[2];
    if (hand) return this.info.items[hand.item]?.name ?? null;
    const sel = this.me ? this.me.inventory[this.me.selectedSlot] : null;
    const def = sel ? this.info.items[sel.item] : undefined;
    return def && (def.kind === 'tool' || def.kind === 'weapon') ? def.name : null;
  }

  /**
   * @param {number} kind
   * @param {number} subtype
   */
  #nameOf(kind, subtype) {
    switch (kind) {
      case EntityKind.Node:
        return this.info.nodeKinds[subtype] ?? 'node';
      case EntityKind.Creature:
        return this.info.creatureKinds[subtype] ?? 'creature';
      case EntityKind.Structure:
        return this.info.items[subtype]?.name ?? 'structure';
      default:
        return '';
    }
  }

  /** @param {Scene} scene */
  #slowHud(scene) {
    const vw = this.renderer.canvas.width / scene.scale;
    const vh = this.renderer.canvas.height / scene.scale;
    /** @type {{x: number, y: number, name: string}[]} */
    const mates = scene.things.filter((t) => t.mate && !t.me).map((t) => ({ x: t.x, y: t.y, name: t.label ?? '' }));
    this.minimap.draw(this.info.worldSize, { x: scene.camX, y: scene.camY, angle: this.aim() }, mates, { x: scene.camX - vw / 2, y: scene.camY - vh / 2, w: vw, h: vh });
    this.hud.debug(
      [
        `FPS ${this.fps.toFixed(0)}  ping ${this.ping.toFixed(0)} ms  res ${Math.round(this.renderer.quality * 100)}%`,
        `tick ${this.world.tick}  entities ${this.world.entities.size}`,
        `pos ${scene.camX.toFixed(0)},${scene.camY.toFixed(0)}  pending ${this.predictor.pending.length}  err ${this.predictor.lastError.toFixed(1)}`,
        `in ${(this.conn.bytesIn / 1024).toFixed(0)} KiB  out ${(this.conn.bytesOut / 1024).toFixed(0)} KiB`,
      ].join('\n'),
    );
  }

  #updateCrafting() {
    const me = this.me;
    if (!me) return;
    const crafting = me.crafting;
    if (crafting) {
      const recipe = this.info.recipes[crafting.recipe];
      const total = this.craftStart.recipe === crafting.recipe ? this.craftStart.ticks : Math.max(1, recipe?.timeTicks ?? 1);
      this.hud.setCrafting({ name: recipe?.name ?? '?', progress: Math.max(0, Math.min(1, 1 - crafting.ticksLeft / total)) });
    } else this.hud.setCrafting(null);
    if (!this.craftOpen || this.frames % 10 !== 0) return;
    const own = this.world.entities.get(this.entityId);
    const stations = stationsNear(this.world.entities.values(), this.info.items, this.predictor.x || own?.x || 0, this.predictor.y || own?.y || 0);
    this.hud.setCraftOptions(craftOptions(this.info.recipes, this.info.items, me.inventory, stations, crafting ? { recipe: crafting.recipe } : null), this.info.items, this.tickRate);
  }

  /** @param {boolean} open */
  setCraftOpen(open) {
    this.craftOpen = open;
    el('craft-menu').hidden = !open;
    if (open) this.hud.cache.delete('craft');
  }

  /** @param {boolean} open */
  setBuildMode(open) {
    if (open && this.buildSlot() < 0) {
      this.hud.toast('Nothing to build — craft a workbench, campfire or wall first', 'bad');
      open = false;
    }
    this.buildMode = open;
    el('build-hint').hidden = !open;
  }

  /** @param {boolean} open */
  setChatOpen(open) {
    this.chatOpen = open;
    const form = el('chat-form');
    form.hidden = !open;
    const input = /** @type {HTMLInputElement} */ (el('chat-input'));
    if (open) {
      this.controls.releaseAll();
      input.focus();
    } else input.blur();
  }

  /** Sends what is typed in the chat box (or runs a /team command) and closes it. */
  sendChat() {
    const input = /** @type {HTMLInputElement} */ (el('chat-input'));
    const channel = /** @type {HTMLSelectElement} */ (el('chat-channel')).value === 'team' ? 'team' : 'global';
    const text = input.value.trim();
    input.value = '';
    this.setChatOpen(false);
    if (!text) return;
    const cmd = teamCommand(text, this.world.players.values());
    if (cmd === null) this.queue({ chat: { channel, text } });
    else if (typeof cmd === 'string' && cmd !== 'leave') this.hud.chat('', cmd, 'system');
    else this.queue({ team: cmd });
  }

  /**
   * Does what a key or button asks.
   * @param {import('./controls.js').KeyAction} a
   */
  action(a) {
    switch (a.kind) {
      case 'slot':
        if (a.slot < HOTBAR_SLOTS) this.pickSlot(a.slot);
        return;
      case 'interact':
        this.queue({ interact: true });
        return;
      case 'craft':
        this.setCraftOpen(!this.craftOpen);
        return;
      case 'build':
        this.setBuildMode(!this.buildMode);
        return;
      case 'inventory':
        this.invOpen = !this.invOpen;
        el('inventory').hidden = !this.invOpen;
        return;
      case 'drop':
        if (this.me) this.queue({ dropSlot: this.me.selectedSlot });
        return;
      case 'chat':
        this.setChatOpen(true);
        return;
      case 'debug':
        el('debug').hidden = !el('debug').hidden;
        this.hud.cache.delete('debug');
        return;
      case 'escape':
        this.setCraftOpen(false);
        this.setBuildMode(false);
        this.invOpen = false;
        el('inventory').hidden = true;
        return;
      default:
        return;
    }
  }

  /** Places the selected structure at the cursor's grid cell, if the ghost allows it. */
  place() {
    const slot = this.buildSlot();
    const scene = this.scene;
    if (slot < 0 || !scene) return;
    const w = this.renderer.toWorld(scene, this.controls.mouseX, this.controls.mouseY);
    const g = ghostAt(w.x, w.y, scene.camX, scene.camY, this.info.gridSize, this.world.entities.values(), (x, y) => this.map?.isWater(x, y) ?? false, this.info.playerRadius, this.info.worldSize);
    if (!g.ok) {
      this.hud.toast(`Cannot build there (${g.reason})`, 'bad');
      return;
    }
    this.queue({ build: { slot, cellX: g.cellX, cellY: g.cellY } });
  }

  /** Whether the pointer is over a HUD element (clicks there do not swing). */
  get overUi() {
    return false;
  }

  /**
   * Where a world position is on screen, in CSS pixels (for tests and tooltips).
   * @param {number} x
   * @param {number} y
   */
  screenPoint(x, y) {
    const s = this.scene;
    const r = this.renderer;
    if (!s) return null;
    return {
      x: ((x - s.camX) * s.scale + r.canvas.width / 2) / r.dpr,
      y: ((y - s.camY) * s.scale + r.canvas.height / 2) / r.dpr,
    };
  }

  /** A plain summary for tests and the debug console. */
  debugState() {
    const own = this.world.entities.get(this.entityId);
    return {
      tick: this.world.tick,
      entityId: this.entityId,
      x: this.predictor.initialised ? this.predictor.x : own?.x ?? null,
      y: this.predictor.initialised ? this.predictor.y : own?.y ?? null,
      dead: this.me?.dead ?? null,
      fps: this.fps,
      ping: this.ping,
      quality: this.renderer.quality,
      problems: [...this.problems],
      conn: this.conn.state,
      entities: [...this.world.entities.values()].map((e) => ({ id: e.id, kind: e.kind, name: this.#nameOf(e.kind, e.subtype), x: e.x, y: e.y, flags: e.flags })),
      inventory: (this.me?.inventory ?? []).map((s) => (s ? { item: this.info.items[s.item]?.name ?? '?', count: s.count } : null)),
      recipes: this.info.recipes.map((r) => r.name),
    };
  }
}

/** @param {string} s */
function capitalise(s) {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
