// Keyboard, mouse and touch turned into one control state; the game samples it once per
// tick to build the input it sends. Pure key handling lives in `keyAction` (tested).

/**
 * What a key does in the game (not while typing in chat).
 * @typedef {{kind: 'move', dx: number, dy: number}
 *  | {kind: 'sprint'}
 *  | {kind: 'slot', slot: number}
 *  | {kind: 'interact'} | {kind: 'craft'} | {kind: 'build'} | {kind: 'chat'}
 *  | {kind: 'inventory'} | {kind: 'debug'} | {kind: 'escape'} | {kind: 'drop'}} KeyAction
 */

/**
 * Maps a KeyboardEvent.code to its action, or null.
 * @param {string} code
 * @returns {KeyAction | null}
 */
export function keyAction(code) {
  switch (code) {
    case 'KeyW':
    case 'ArrowUp':
      return { kind: 'move', dx: 0, dy: -1 };
    case 'KeyS':
    case 'ArrowDown':
      return { kind: 'move', dx: 0, dy: 1 };
    case 'KeyA':
    case 'ArrowLeft':
      return { kind: 'move', dx: -1, dy: 0 };
    case 'KeyD':
    case 'ArrowRight':
      return { kind: 'move', dx: 1, dy: 0 };
    case 'ShiftLeft':
    case 'ShiftRight':
      return { kind: 'sprint' };
    case 'KeyE':
      return { kind: 'interact' };
    case 'KeyC':
      return { kind: 'craft' };
    case 'KeyB':
      return { kind: 'build' };
    case 'KeyI':
    case 'Tab':
      return { kind: 'inventory' };
    case 'KeyQ':
      return { kind: 'drop' };
    case 'Enter':
      return { kind: 'chat' };
    case 'F3':
    case 'Backquote':
      return { kind: 'debug' };
    case 'Escape':
      return { kind: 'escape' };
    default: {
      const m = /^Digit([0-9])$/.exec(code);
      if (m) return { kind: 'slot', slot: m[1] === '0' ? 9 : Number(m[1]) - 1 };
      return null;
    }
  }
}

/**
 * The movement vector from the set of held movement keys (length ≤ 1).
 * @param {Set<string>} held KeyboardEvent.code values
 */
export function moveVector(held) {
  let x = 0;
  let y = 0;
  for (const code of held) {
    const a = keyAction(code);
    if (a && a.kind === 'move') {
      x += a.dx;
      y += a.dy;
    }
  }
  x = Math.sign(x);
  y = Math.sign(y);
  const len = Math.hypot(x, y);
  return len > 0 ? { x: x / len, y: y / len } : { x: 0, y: 0 };
}

/** Live state of every input device. */
export class Controls {
  constructor() {
    /** @type {Set<string>} */
    this.held = new Set();
    /** Mouse position in canvas pixels. */
    this.mouseX = 0;
    this.mouseY = 0;
    this.mouseDown = false;
    this.rightDown = false;
    /** Virtual stick vector from touch (length ≤ 1), null when not touching. */
    /** @type {{x: number, y: number} | null} */
    this.stick = null;
    this.touchAttack = false;
    this.touchSprint = false;
  }

  /** Releases everything, e.g. when the window loses focus. */
  releaseAll() {
    this.held.clear();
    this.mouseDown = false;
    this.rightDown = false;
    this.stick = null;
    this.touchAttack = false;
  }

  /** The movement vector from keys or the touch stick. */
  move() {
    if (this.stick && Math.hypot(this.stick.x, this.stick.y) > 0.15) return this.stick;
    return moveVector(this.held);
  }

  sprinting() {
    return this.held.has('ShiftLeft') || this.held.has('ShiftRight') || this.touchSprint;
  }

  attacking() {
    return this.mouseDown || this.touchAttack;
  }
}
