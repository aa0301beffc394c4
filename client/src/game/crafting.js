// What the player can craft where they stand, and why not: the crafting menu's logic,
// kept free of the DOM so it is unit-tested.

import { EntityKind } from '../protocol/messages.js';

/** @typedef {import('../protocol/messages.js').RecipeDef} RecipeDef */
/** @typedef {import('../protocol/messages.js').ItemDef} ItemDef */
/** @typedef {import('../protocol/messages.js').ItemStack} ItemStack */
/** @typedef {import('../protocol/messages.js').EntityState} EntityState */

/** A station must be this close (world units) to craft at it (GAME.md). */
export const STATION_RANGE = 150;

/**
 * @typedef {object} CraftOption
 * @property {number} index      recipe index
 * @property {RecipeDef} recipe
 * @property {boolean} ok
 * @property {string[]} reasons  why not, in words ("needs 3 more wood", "needs a workbench nearby")
 */

/**
 * Counts of each item index across the inventory.
 * @param {(ItemStack | null)[]} inventory
 * @returns {Map<number, number>}
 */
export function itemCounts(inventory) {
  const counts = new Map();
  for (const s of inventory) {
    if (s) counts.set(s.item, (counts.get(s.item) ?? 0) + s.count);
  }
  return counts;
}

/**
 * The stations within range of (x, y), by name.
 * @param {Iterable<EntityState>} entities
 * @param {ItemDef[]} items
 * @param {number} x
 * @param {number} y
 * @returns {Set<string>}
 */
export function stationsNear(entities, items, x, y) {
  const out = new Set();
  for (const e of entities) {
    if (e.kind !== EntityKind.Structure) continue;
    if (Math.hypot(e.x - x, e.y - y) > STATION_RANGE) continue;
    const def = items[e.subtype];
    if (def) out.add(def.name);
  }
  return out;
}

/**
 * Every recipe with whether it can be crafted now and why not.
 * @param {RecipeDef[]} recipes
 * @param {ItemDef[]} items
 * @param {(ItemStack | null)[]} inventory
 * @param {Set<string>} stations
 * @param {{recipe: number} | null} crafting the craft in progress, if any
 * @returns {CraftOption[]}
 */
export function craftOptions(recipes, items, inventory, stations, crafting) {
  const counts = itemCounts(inventory);
  return recipes.map((recipe, index) => {
    /** @type {string[]} */
    const reasons = [];
    for (const input of recipe.inputs) {
      const have = counts.get(input.item) ?? 0;
      if (have < input.count) {
        const name = items[input.item]?.name ?? `item ${input.item}`;
        reasons.push(`needs ${input.count - have} more ${displayName(name)}`);
      }
    }
    const station = recipe.station === null ? null : (items[recipe.station]?.name ?? `item ${recipe.station}`);
    if (station !== null && !stations.has(station)) {
      reasons.push(`needs a ${displayName(station)} nearby`);
    }
    if (crafting) reasons.push('already crafting');
    return { index, recipe, ok: reasons.length === 0, reasons };
  });
}

/**
 * Sorts options for the menu: craftable first, then by fewest missing things, stable.
 * @param {CraftOption[]} options
 */
export function sortOptions(options) {
  return [...options].sort((a, b) => Number(b.ok) - Number(a.ok) || a.reasons.length - b.reasons.length || a.index - b.index);
}

/**
 * 'stone_axe' → 'stone axe'.
 * @param {string} name
 */
export function displayName(name) {
  return name.replace(/_/g, ' ');
}
