// UI state that does not need the DOM: which screen shows, how a slot reads, how a
// leaderboard row reads. Kept pure so the node tests cover it.

import { displayName } from '../game/crafting.js';

/** @typedef {import('../protocol/messages.js').ItemStack} ItemStack */
/** @typedef {import('../protocol/messages.js').ItemDef} ItemDef */

/**
 * @typedef {'title' | 'connecting' | 'game' | 'dead'} Screen
 * @typedef {{kind: 'play'} | {kind: 'joined'} | {kind: 'died'} | {kind: 'respawned'}
 *  | {kind: 'gave_up'} | {kind: 'quit'} | {kind: 'rejected'}} ScreenEvent
 */

/**
 * The next screen after an event. Connection drops do not change the screen: the game
 * stays visible under the connection-lost banner while it resumes.
 * @param {Screen} screen
 * @param {ScreenEvent} ev
 * @returns {Screen}
 */
export function nextScreen(screen, ev) {
  switch (ev.kind) {
    case 'play':
      return screen === 'title' ? 'connecting' : screen;
    case 'joined':
      return screen === 'connecting' || screen === 'title' ? 'game' : screen;
    case 'died':
      return screen === 'game' ? 'dead' : screen;
    case 'respawned':
      return screen === 'dead' ? 'game' : screen;
    case 'gave_up':
    case 'quit':
    case 'rejected':
      return 'title';
  }
}

/**
 * How one inventory slot reads.
 * @param {ItemStack | null} stack
 * @param {ItemDef[]} items
 * @returns {{empty: true} | {empty: false, name: string, count: string, durability: number | null, color: string}}
 */
export function slotView(stack, items) {
  if (!stack || stack.count <= 0) return { empty: true };
  const def = items[stack.item];
  const name = def ? displayName(def.name) : `item ${stack.item}`;
  const max = def ? maxDurability(def.name, stack.durability) : 0;
  const durability = max > 0 ? Math.max(0, Math.min(1, stack.durability / max)) : null;
  return { empty: false, name, count: stack.count > 1 ? String(stack.count) : '', durability, color: itemColor(def?.name ?? '', def?.kind ?? '') };
}

/** Full durability by item name, from sim-core's content/items.toml (not on the wire). */
export const MAX_DURABILITY = /** @type {Record<string, number>} */ ({
  stone_axe: 100,
  stone_pickaxe: 100,
  metal_axe: 250,
  metal_pickaxe: 250,
  wooden_sword: 80,
  spear: 100,
  metal_sword: 250,
  bow: 100,
  leather_armor: 150,
  metal_armor: 400,
});

/** Highest durability seen per item name, for content this client does not know. */
const seenDurability = new Map();

/**
 * Full durability of an item (0 when it has none).
 * @param {string} name
 * @param {number} current a durability just seen, which the maximum is at least
 */
export function maxDurability(name, current) {
  const known = MAX_DURABILITY[name];
  if (known) return Math.max(known, current);
  if (current <= 0) return seenDurability.get(name) ?? 0;
  const seen = Math.max(seenDurability.get(name) ?? 0, current);
  seenDurability.set(name, seen);
  return seen;
}

/**
 * A colour for an item's icon dot, by material or kind.
 * @param {string} name
 * @param {string} kind
 */
export function itemColor(name, kind) {
  if (name.includes('wood') || name.includes('stick')) return '#a0692f';
  if (name.includes('stone')) return '#9c9c9c';
  if (name.includes('metal') || name.includes('ore')) return '#c9d2dc';
  if (name.includes('berr')) return '#d6304a';
  if (name.includes('fiber')) return '#a9d46a';
  if (name.includes('meat')) return '#d9776a';
  if (name.includes('coal')) return '#333';
  if (kind === 'food') return '#e0a84f';
  if (kind === 'structure') return '#8a5a2b';
  return '#bbb';
}

/**
 * Turns a number of seconds into "3 min 20 s".
 * @param {number} s
 */
export function duration(s) {
  const t = Math.max(0, Math.round(s));
  const m = Math.floor(t / 60);
  return m > 0 ? `${m} min ${t % 60} s` : `${t} s`;
}

/**
 * Experience needed in total for level n (GAME.md: 100·n^1.5).
 * @param {number} n
 */
export function xpForLevel(n) {
  return Math.round(100 * Math.pow(n, 1.5));
}

/**
 * Text for the connection banner, or null when there is nothing to say.
 * @param {'connecting' | 'open' | 'lost' | 'closed'} state
 * @param {string} detail
 * @param {boolean} inGame
 */
export function bannerText(state, detail, inGame) {
  if (!inGame) return null;
  if (state === 'lost') return `Connection lost (${detail || 'no reason given'}) — reconnecting…`;
  if (state === 'connecting') return 'Reconnecting…';
  return null;
}

/**
 * Reads a team command typed in chat: `/team create NAME`, `/team join NAME` (a player in
 * view) or `/team leave`. Returns null for ordinary chat, the command to send, or a
 * string explaining what is wrong.
 * @param {string} text
 * @param {Iterable<{id: number, name: string}>} players
 * @returns {null | {create: string} | {join: number} | 'leave' | string}
 */
export function teamCommand(text, players) {
  const m = /^\/team(?:\s+(\S+))?(?:\s+(.+))?$/i.exec(text.trim());
  if (!m) return null;
  const verb = (m[1] ?? '').toLowerCase();
  const arg = (m[2] ?? '').trim();
  if (verb === 'leave') return 'leave';
  if (verb === 'create' && arg) return arg.length <= 32 ? { create: arg } : 'Team names are at most 32 characters.';
  if (verb === 'join' && arg) {
    for (const p of players) if (p.name.toLowerCase() === arg.toLowerCase()) return { join: p.id };
    return `No player called ${arg} in view.`;
  }
  return 'Team commands: /team create NAME, /team join PLAYER, /team leave';
}
