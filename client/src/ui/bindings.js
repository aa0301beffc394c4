// Keyboard, mouse and touch events wired to a game session (and unwired on leaving).

import { keyAction } from '../game/controls.js';
import { bindTouch } from './touch.js';
import { el } from './hud.js';

/**
 * What the bindings drive: the session's controls and its player-facing actions.
 * @typedef {object} Bindable
 * @property {import('../game/controls.js').Controls} controls
 * @property {{canvas: HTMLCanvasElement}} renderer
 * @property {boolean} chatOpen
 * @property {boolean} buildMode
 * @property {() => void} sendChat
 * @property {(open: boolean) => void} setChatOpen
 * @property {(a: import('../game/controls.js').KeyAction) => void} action
 * @property {() => void} place
 */

/**
 * Listens for input on the window, the canvas, the chat box and the touch controls.
 * @param {Bindable} s
 * @returns {() => void} removes every listener again
 */
export function bindInput(s) {
  /** @type {(() => void)[]} */
  const undo = [];
  const canvas = s.renderer.canvas;
  /**
   * @template {keyof WindowEventMap} K
   * @param {EventTarget} target
   * @param {K} type
   * @param {(ev: WindowEventMap[K]) => void} fn
   */
  const on = (target, type, fn) => {
    const h = /** @type {EventListener} */ (fn);
    target.addEventListener(type, h);
    undo.push(() => target.removeEventListener(type, h));
  };
  on(window, 'keydown', (ev) => {
    if (s.chatOpen) {
      if (ev.key === 'Enter') {
        ev.preventDefault();
        s.sendChat();
      } else if (ev.key === 'Escape') s.setChatOpen(false);
      return;
    }
    if (ev.target instanceof HTMLInputElement) return;
    const a = keyAction(ev.code);
    if (!a) return;
    if (a.kind === 'move' || a.kind === 'sprint') {
      s.controls.held.add(ev.code);
      if (a.kind === 'move') ev.preventDefault();
      return;
    }
    if (ev.repeat) return;
    ev.preventDefault();
    s.action(a);
  });
  on(window, 'keyup', (ev) => {
    s.controls.held.delete(ev.code);
  });
  on(window, 'blur', () => s.controls.releaseAll());
  on(canvas, 'mousemove', (ev) => {
    s.controls.mouseX = ev.clientX;
    s.controls.mouseY = ev.clientY;
  });
  on(canvas, 'mousedown', (ev) => {
    s.controls.mouseX = ev.clientX;
    s.controls.mouseY = ev.clientY;
    if (ev.button === 2) {
      s.controls.rightDown = true;
      return;
    }
    if (ev.button !== 0) return;
    if (s.buildMode) s.place();
    else s.controls.mouseDown = true;
  });
  on(window, 'mouseup', (ev) => {
    if (ev.button === 2) s.controls.rightDown = false;
    if (ev.button === 0) s.controls.mouseDown = false;
  });
  on(canvas, 'contextmenu', (ev) => ev.preventDefault());
  on(el('chat-form'), 'submit', (ev) => {
    ev.preventDefault();
    s.sendChat();
  });
  undo.push(
    bindTouch(s.controls, {
      interact: () => s.action({ kind: 'interact' }),
      craft: () => s.action({ kind: 'craft' }),
      build: () => s.action({ kind: 'build' }),
      chat: () => s.action({ kind: 'chat' }),
      tapWorld: (x, y) => {
        s.controls.mouseX = x;
        s.controls.mouseY = y;
        if (s.buildMode) s.place();
      },
    }),
  );
  return () => undo.forEach((u) => u());
}
