// Build mode: which grid cell the ghost sits on and whether placing there looks allowed.
// The server decides; this only spares the player obviously refused clicks.

import { EntityKind } from '../protocol/messages.js';

/** @typedef {import('../protocol/messages.js').EntityState} EntityState */

/** How far a cell's centre may be from the player (sim-core's `build_reach` is 160). */
export const BUILD_REACH = 155;

/** The part of a resource node that blocks building (sim-core keeps nodes to their cell). */
export const NODE_FOOTPRINT = 10;

/**
 * The grid cell under a world position.
 * @param {number} x
 * @param {number} y
 * @param {number} grid cell size
 */
export function cellAt(x, y, grid) {
  return { cellX: Math.floor(x / grid), cellY: Math.floor(y / grid) };
}

/**
 * @typedef {object} Ghost
 * @property {number} cellX
 * @property {number} cellY
 * @property {number} x  cell centre
 * @property {number} y
 * @property {boolean} ok
 * @property {string} reason empty when ok
 */

/**
 * Where the placement ghost goes for a cursor at (cx, cy) and whether it fits.
 * @param {number} cx cursor world x
 * @param {number} cy cursor world y
 * @param {number} px player x
 * @param {number} py player y
 * @param {number} grid
 * @param {Iterable<EntityState>} entities
 * @param {(x: number, y: number) => boolean} isWater
 * @param {number} playerRadius
 * @param {number} worldSize
 * @returns {Ghost}
 */
export function ghostAt(cx, cy, px, py, grid, entities, isWater, playerRadius, worldSize) {
  const { cellX, cellY } = cellAt(cx, cy, grid);
  const x = (cellX + 0.5) * grid;
  const y = (cellY + 0.5) * grid;
  const g = { cellX, cellY, x, y, ok: true, reason: '' };
  if (Math.hypot(x - px, y - py) > BUILD_REACH) return { ...g, ok: false, reason: 'too far' };
  if (isWater(x, y)) return { ...g, ok: false, reason: 'water' };
  if (x < 0 || y < 0 || x > worldSize || y > worldSize) return { ...g, ok: false, reason: 'outside the world' };
  const half = grid / 2;
  for (const e of entities) {
    const r = e.kind === EntityKind.Player ? playerRadius : e.kind === EntityKind.Node ? NODE_FOOTPRINT : e.kind === EntityKind.Creature ? 20 : e.kind === EntityKind.Structure ? half - 1 : 0;
    if (r === 0) continue;
    const dx = Math.max(Math.abs(e.x - x) - half, 0);
    const dy = Math.max(Math.abs(e.y - y) - half, 0);
    if (Math.hypot(dx, dy) < r) return { ...g, ok: false, reason: 'blocked' };
  }
  return g;
}
