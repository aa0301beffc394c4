// The heads-up display: DOM elements over the canvas, updated only when their values change.

import { slotView, xpForLevel } from './model.js';
import { displayName, sortOptions } from '../game/crafting.js';

/** @typedef {import('../protocol/messages.js').PrivateState} PrivateState */
/** @typedef {import('../protocol/messages.js').ItemDef} ItemDef */
/** @typedef {import('../protocol/messages.js').RecipeDef} RecipeDef */
/** @typedef {import('../game/crafting.js').CraftOption} CraftOption */

/**
 * @param {string} id
 * @returns {HTMLElement}
 */
export function el(id) {
  const e = document.getElementById(id);
  if (!e) throw new Error(`page is missing #${id}`);
  return e;
}

/** Hotbar size: the first slots of the inventory. */
export const HOTBAR_SLOTS = 8;

/** Slots shown in the inventory panel at least (GAME.md: 16, +8 with a backpack). */
export const INVENTORY_SLOTS = 16;

/**
 * @template T
 * @param {(T | null)[]} list
 * @param {number} n
 * @returns {(T | null)[]}
 */
function pad(list, n) {
  return list.length >= n ? list : [...list, ...new Array(n - list.length).fill(null)];
}

export class Hud {
  /**
   * @param {{onSlot: (slot: number) => void, onEquip: (slot: number) => void, onUnequip: (index: number) => void,
   *   onCraft: (recipe: number) => void,
   *   onChestPut: (slot: number) => void, onChestTake: (slot: number) => void}} actions
   */
  constructor(actions) {
    this.actions = actions;
    this.root = el('hud');
    /** @type {Map<string, string>} last rendered text per key, to skip unchanged DOM writes */
    this.cache = new Map();
    this.meters = ['health', 'hunger', 'thirst', 'stamina'].map((name) => {
      const m = /** @type {HTMLElement} */ (this.root.querySelector(`.meter.${name}`));
      return { name, root: m, bar: /** @type {HTMLElement} */ (m.querySelector('i')), value: /** @type {HTMLElement} */ (m.querySelector('b')) };
    });
    this.chatLog = el('chat-log');
    this.toasts = el('toasts');
  }

  /**
   * @param {string} key
   * @param {string} value
   */
  #changed(key, value) {
    if (this.cache.get(key) === value) return false;
    this.cache.set(key, value);
    return true;
  }

  /** @param {PrivateState} p */
  setMeters(p) {
    for (const m of this.meters) {
      const v = Math.round(/** @type {number} */ (p[/** @type {'health'} */ (m.name)]));
      if (!this.#changed(`m-${m.name}`, String(v))) continue;
      m.bar.style.transform = `scaleX(${Math.max(0, Math.min(100, v)) / 100})`;
      m.value.textContent = String(v);
      m.root.classList.toggle('low', v < 25);
    }
    const lv = `Level ${p.level} · ${p.xp} / ${xpForLevel(p.level + 1)} XP`;
    if (this.#changed('level', lv)) el('level').textContent = lv;
  }

  /**
   * @param {PrivateState} p
   * @param {ItemDef[]} items
   */
  setInventory(p, items) {
    const key = JSON.stringify([p.inventory, p.equipment, p.selectedSlot]);
    if (!this.#changed('inv', key)) return;
    // Always show a full hotbar and backpack, even before the first items arrive.
    fillSlots(el('hotbar'), pad(p.inventory.slice(0, HOTBAR_SLOTS), HOTBAR_SLOTS), items, 0, p.selectedSlot, true, this.actions.onSlot);
    fillSlots(el('inv-grid'), pad(p.inventory, INVENTORY_SLOTS), items, 0, p.selectedSlot, false, this.actions.onEquip);
    fillSlots(el('equip-grid'), p.equipment, items, 0, -1, false, this.actions.onUnequip);
  }

  /**
   * The open chest, or none: its slots and the player's, for moving stacks between them.
   * @param {PrivateState} p
   * @param {ItemDef[]} items
   */
  setChest(p, items) {
    const box = el('chest');
    box.hidden = !p.chest;
    if (!p.chest) {
      this.cache.delete('chest');
      return;
    }
    const key = JSON.stringify([p.chest, p.inventory]);
    if (!this.#changed('chest', key)) return;
    fillSlots(el('chest-grid'), p.chest.slots, items, 0, -1, false, this.actions.onChestTake);
    fillSlots(el('chest-inv-grid'), pad(p.inventory, INVENTORY_SLOTS), items, 0, -1, false, this.actions.onChestPut);
  }

  /**
   * @param {CraftOption[]} options
   * @param {ItemDef[]} items
   * @param {number} tickRate
   */
  setCraftOptions(options, items, tickRate) {
    const sorted = sortOptions(options);
    const key = JSON.stringify(sorted.map((o) => [o.index, o.reasons]));
    if (!this.#changed('craft', key)) return;
    const list = el('recipes');
    list.replaceChildren(
      ...sorted.map((o) => {
        const li = document.createElement('li');
        const b = document.createElement('button');
        b.type = 'button';
        b.className = o.ok ? 'ok' : 'no';
        b.dataset.recipe = o.recipe.name;
        const out = items[o.recipe.output]?.name ?? o.recipe.name;
        const ins = o.recipe.inputs.map((i) => `${i.count} ${displayName(items[i.item]?.name ?? '?')}`).join(', ');
        const station = o.recipe.station === null ? '' : ` · at ${displayName(items[o.recipe.station]?.name ?? '?')}`;
        b.append(
          span('out', `${displayName(out)}${o.recipe.count > 1 ? ` ×${o.recipe.count}` : ''}`),
          span('ins', `${+(o.recipe.timeTicks / tickRate).toFixed(1)} s`),
          span('ins', ins + station),
        );
        if (!o.ok) b.append(span('why', o.reasons.join('; ')));
        b.addEventListener('click', () => this.actions.onCraft(o.index));
        li.append(b);
        return li;
      }),
    );
  }

  /**
   * @param {{name: string, progress: number} | null} c
   */
  setCrafting(c) {
    const box = el('crafting-progress');
    box.hidden = !c;
    if (!c) return;
    /** @type {HTMLElement} */ (box.querySelector('span')).textContent = `Crafting ${displayName(c.name)}…`;
    /** @type {HTMLElement} */ (box.querySelector('i')).style.transform = `scaleX(${c.progress})`;
  }

  /**
   * @param {{name: string, score: number, level: number}[]} rows
   * @param {string} me
   * @param {string} title
   */
  setLeaderboard(rows, me, title) {
    const key = JSON.stringify(rows);
    if (!this.#changed('lb', key + me + title)) return;
    /** @type {HTMLElement} */ (el('leaderboard').querySelector('h4')).textContent = title;
    const ol = /** @type {HTMLElement} */ (el('leaderboard').querySelector('ol'));
    if (rows.length === 0) {
      const li = document.createElement('li');
      li.className = 'muted';
      li.textContent = 'nobody yet';
      ol.replaceChildren(li);
      return;
    }
    ol.replaceChildren(
      ...rows.slice(0, 10).map((r) => {
        const li = document.createElement('li');
        li.textContent = r.name;
        const s = document.createElement('span');
        s.textContent = String(r.score);
        li.append(s);
        if (r.name === me) li.className = 'me';
        return li;
      }),
    );
  }

  /**
   * @param {string} name
   * @param {string} text
   * @param {'global' | 'team' | 'system'} channel
   */
  chat(name, text, channel) {
    const li = document.createElement('li');
    li.className = channel;
    if (channel !== 'system') {
      const b = document.createElement('b');
      b.textContent = `${channel === 'team' ? '[team] ' : ''}${name}: `;
      li.append(b);
    }
    li.append(document.createTextNode(text));
    this.chatLog.append(li);
    while (this.chatLog.children.length > 40) this.chatLog.firstElementChild?.remove();
  }

  /**
   * @param {string} text
   * @param {'good' | 'bad' | ''} [tone]
   */
  toast(text, tone = '') {
    const d = document.createElement('div');
    d.textContent = text;
    d.className = tone;
    this.toasts.append(d);
    while (this.toasts.children.length > 4) this.toasts.firstElementChild?.remove();
    setTimeout(() => d.remove(), 2400);
  }

  /** @param {string | null} text */
  banner(text, problem = false) {
    const b = el('banner');
    b.hidden = !text;
    b.classList.toggle('problem', problem);
    if (text && this.#changed('banner', text)) b.textContent = text;
    if (!text) this.cache.delete('banner');
  }

  /** @param {string} text */
  debug(text) {
    const d = el('debug');
    if (!d.hidden && this.#changed('debug', text)) d.textContent = text;
  }
}

/**
 * @param {string} cls
 * @param {string} text
 */
function span(cls, text) {
  const s = document.createElement('span');
  s.className = cls;
  s.textContent = text;
  return s;
}

/**
 * @param {HTMLElement} root
 * @param {(import('../protocol/messages.js').ItemStack | null)[]} stacks
 * @param {ItemDef[]} items
 * @param {number} first slot index of stacks[0]
 * @param {number} selected
 * @param {boolean} keys show number keys
 * @param {(slot: number) => void} onClick
 */
function fillSlots(root, stacks, items, first, selected, keys, onClick) {
  root.replaceChildren(
    ...stacks.map((stack, i) => {
      const slot = first + i;
      const d = document.createElement('div');
      d.className = 'slot' + (slot === selected ? ' selected' : '');
      d.dataset.slot = String(slot);
      if (keys) d.append(span('key', String(i + 1)));
      const v = slotView(stack, items);
      if (!v.empty) {
        d.dataset.item = v.name;
        d.title = v.name;
        const icon = document.createElement('div');
        icon.className = 'icon';
        icon.style.background = v.color;
        d.append(icon, span('name', v.name));
        if (v.count) d.append(span('count', v.count));
        if (v.durability !== null) {
          const bar = document.createElement('div');
          bar.className = 'dura';
          const fill = document.createElement('i');
          fill.style.width = `${Math.round(v.durability * 100)}%`;
          fill.style.background = v.durability > 0.3 ? '' : '#e8584a';
          bar.append(fill);
          d.append(bar);
        }
      }
      d.addEventListener('click', () => onClick(slot));
      return d;
    }),
  );
}
