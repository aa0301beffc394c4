// The client's copy of the replicated world: the entities in view by tick, applied from
// full snapshots and from deltas against an earlier (acknowledged) tick.

import { newTrack, pushSample } from './interp.js';

/** @typedef {import('../protocol/messages.js').EntityState} EntityState */
/** @typedef {import('../protocol/messages.js').PlayerInfo} PlayerInfo */
/** @typedef {import('../protocol/messages.js').EntityChange} EntityChange */
/** @typedef {import('./interp.js').Track} Track */

/** How many past ticks are kept as possible delta baselines (about 3 s at 20 Hz). */
export const BASELINES_KEPT = 64;

/**
 * Player infos remembered at most. The server sends a player's name, level and team once
 * per connection (and when they change): a player walking back into view comes without
 * them, so they are kept after the player leaves the view (the oldest go past this).
 */
export const PLAYERS_KEPT = 4096;

/** A delta names a baseline this client no longer (or never) had. */
export class MissingBaselineError extends Error {
  /** @param {number} baseTick */
  constructor(baseTick) {
    super(`delta against tick ${baseTick}, which this client does not hold`);
    this.baseTick = baseTick;
  }
}

export class ClientWorld {
  constructor() {
    /** @type {Map<number, Map<number, EntityState>>} entity states by tick */
    this.baselines = new Map();
    /** @type {Map<number, EntityState>} the newest state */
    this.entities = new Map();
    /** @type {Map<number, Track>} interpolation tracks by entity id */
    this.tracks = new Map();
    /** @type {Map<number, PlayerInfo>} every player info received, in view or not */
    this.players = new Map();
    /** The newest applied tick; the client acknowledges it in its inputs. */
    this.tick = 0;
  }

  /** Forgets everything, e.g. before resuming on a new connection. */
  reset() {
    this.baselines.clear();
    this.entities = new Map();
    this.tracks.clear();
    this.tick = 0;
  }

  /**
   * Applies a full snapshot.
   * @param {number} tick
   * @param {EntityState[]} entities
   * @param {PlayerInfo[]} players
   */
  applySnapshot(tick, entities, players) {
    this.#notePlayers(players);
    const next = new Map();
    for (const e of entities) next.set(e.id, e);
    this.#commit(tick, next);
  }

  /**
   * Remembers player infos, newest last (the oldest are forgotten past PLAYERS_KEPT).
   * @param {PlayerInfo[]} players
   */
  #notePlayers(players) {
    for (const p of players) {
      this.players.delete(p.id);
      this.players.set(p.id, p);
    }
    for (const id of this.players.keys()) {
      if (this.players.size <= PLAYERS_KEPT) break;
      this.players.delete(id);
    }
  }

  /**
   * Applies a delta against `baseTick`: entities removed, entered (complete) and changed
   * (only the fields that differ; a move is relative to the baseline position).
   * @param {number} tick
   * @param {number} baseTick
   * @param {number[]} removed
   * @param {EntityState[]} entered
   * @param {EntityChange[]} changed
   * @param {PlayerInfo[]} players
   */
  applyDelta(tick, baseTick, removed, entered, changed, players) {
    // Names first: the server counts them as known even if this delta is refused.
    this.#notePlayers(players);
    const base = this.baselines.get(baseTick);
    if (!base) throw new MissingBaselineError(baseTick);
    const next = new Map(base);
    for (const id of removed) next.delete(id);
    for (const e of entered) next.set(e.id, e);
    for (const c of changed) {
      const old = next.get(c.id);
      if (!old) throw new Error(`delta changes entity ${c.id}, which tick ${baseTick} does not have`);
      next.set(c.id, {
        ...old,
        x: old.x + (c.dx ?? 0),
        y: old.y + (c.dy ?? 0),
        angle: c.angle ?? old.angle,
        health: c.health ?? old.health,
        flags: c.flags ?? old.flags,
        subtype: c.subtype ?? old.subtype,
      });
    }
    this.#commit(tick, next);
  }

  /**
   * @param {number} tick
   * @param {Map<number, EntityState>} next
   */
  #commit(tick, next) {
    if (tick < this.tick) return; // stale (reordered) update: the newer state already won
    this.baselines.set(tick, next);
    for (const t of this.baselines.keys()) {
      if (t <= tick - BASELINES_KEPT) this.baselines.delete(t);
    }
    for (const id of this.tracks.keys()) {
      if (!next.has(id)) this.tracks.delete(id);
    }
    for (const e of next.values()) {
      let track = this.tracks.get(e.id);
      if (!track) {
        track = newTrack();
        this.tracks.set(e.id, track);
      }
      pushSample(track, { tick, x: e.x, y: e.y, angle: e.angle });
    }
    this.entities = next;
    this.tick = tick;
  }
}

