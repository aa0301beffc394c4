// Touch controls: a virtual stick (move), an attack button, sprint, and buttons for
// interact/craft/build/chat. Shown on touch devices only.

import { el } from './hud.js';

/** @typedef {import('../game/controls.js').Controls} Controls */

/**
 * Stick vector from a touch point relative to the stick's centre (length ≤ 1).
 * @param {number} dx pixels
 * @param {number} dy pixels
 * @param {number} radius pixels for full deflection
 */
export function stickVector(dx, dy, radius) {
  const len = Math.hypot(dx, dy);
  if (len === 0 || radius <= 0) return { x: 0, y: 0 };
  const k = Math.min(1, len / radius) / len;
  return { x: dx * k, y: dy * k };
}

/**
 * @param {Controls} controls
 * @param {{interact: () => void, craft: () => void, build: () => void, chat: () => void,
 *   tapWorld: (x: number, y: number) => void}} actions
 * @returns {() => void} unbinds everything
 */
export function bindTouch(controls, actions) {
  const touchy = 'ontouchstart' in window || (window.matchMedia && window.matchMedia('(pointer: coarse)').matches);
  if (!touchy) return () => {};
  el('touch').hidden = false;
  document.body.classList.add('touch');
  const stick = el('stick');
  const knob = el('stick-knob');
  /** @type {(() => void)[]} */
  const undo = [];
  /**
   * @param {HTMLElement} target
   * @param {string} type
   * @param {(ev: PointerEvent) => void} fn
   */
  const on = (target, type, fn) => {
    const h = /** @type {EventListener} */ (fn);
    target.addEventListener(type, h);
    undo.push(() => target.removeEventListener(type, h));
  };
  /** @type {number | null} */
  let stickPointer = null;
  const moveStick = (/** @type {PointerEvent} */ ev) => {
    const r = stick.getBoundingClientRect();
    const v = stickVector(ev.clientX - (r.left + r.width / 2), ev.clientY - (r.top + r.height / 2), r.width / 2);
    controls.stick = v;
    knob.style.transform = `translate(${v.x * r.width * 0.35}px, ${v.y * r.height * 0.35}px)`;
  };
  on(stick, 'pointerdown', (ev) => {
    stickPointer = ev.pointerId;
    stick.setPointerCapture(ev.pointerId);
    moveStick(ev);
  });
  on(stick, 'pointermove', (ev) => {
    if (ev.pointerId === stickPointer) moveStick(ev);
  });
  const endStick = (/** @type {PointerEvent} */ ev) => {
    if (ev.pointerId !== stickPointer) return;
    stickPointer = null;
    controls.stick = null;
    knob.style.transform = '';
  };
  on(stick, 'pointerup', endStick);
  on(stick, 'pointercancel', endStick);
  const hold = (/** @type {string} */ id, /** @type {(down: boolean) => void} */ set) => {
    const b = el(id);
    on(b, 'pointerdown', (ev) => {
      ev.preventDefault();
      set(true);
    });
    on(b, 'pointerup', () => set(false));
    on(b, 'pointercancel', () => set(false));
    on(b, 'pointerleave', () => set(false));
  };
  hold('t-attack', (d) => (controls.touchAttack = d));
  hold('t-sprint', (d) => (controls.touchSprint = d));
  const tap = (/** @type {string} */ id, /** @type {() => void} */ fn) => on(el(id), 'pointerup', () => fn());
  tap('t-interact', actions.interact);
  tap('t-craft', actions.craft);
  tap('t-build', actions.build);
  tap('t-chat', actions.chat);
  on(el('game'), 'pointerdown', (ev) => {
    if (ev.pointerType === 'touch') actions.tapWorld(ev.clientX, ev.clientY);
  });
  return () => undo.forEach((u) => u());
}
