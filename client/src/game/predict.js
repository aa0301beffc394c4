// Client-side prediction of the player's own movement, reconciled against the server.
//
// Every input sent is also applied locally at once with the same rules the server uses
// (speed, sprint, world bounds, water), and kept until the server acknowledges its seq.
// When an authoritative position arrives with the last applied seq, the prediction
// restarts from it and replays the inputs the server has not applied yet. The visible
// jump is spread over a few frames (`smoothing`), unless it is large (a teleport).

/**
 * @typedef {object} MoveRules
 * @property {number} walkSpeed        u/s
 * @property {number} sprintMultiplier
 * @property {number} dt               seconds per tick (one input per tick)
 * @property {number} radius           player radius
 * @property {number} worldSize
 * @property {(x: number, y: number) => boolean} blocked  water or other obstacles
 */

/**
 * @typedef {{seq: number, moveX: number, moveY: number, sprint: boolean, speedFactor: number}} MoveInput
 */

/** Errors above this many units snap instead of smoothing (respawn, knockback, teleport). */
export const SNAP_DISTANCE = 160;

/**
 * One tick of movement from (x, y) under `rules`.
 * @param {MoveRules} rules
 * @param {number} x
 * @param {number} y
 * @param {MoveInput} input
 * @returns {{x: number, y: number}}
 */
export function stepMove(rules, x, y, input) {
  let mx = Number.isFinite(input.moveX) ? input.moveX : 0;
  let my = Number.isFinite(input.moveY) ? input.moveY : 0;
  const len = Math.hypot(mx, my);
  if (len > 1) {
    mx /= len;
    my /= len;
  }
  const speed = rules.walkSpeed * (input.sprint ? rules.sprintMultiplier : 1) * input.speedFactor;
  const r = rules.radius;
  const clampX = (/** @type {number} */ v) => Math.min(Math.max(v, r), rules.worldSize - r);
  const clampY = clampX;
  const nx = clampX(x + mx * speed * rules.dt);
  const ny = clampY(y + my * speed * rules.dt);
  if (!rules.blocked(nx, ny)) return { x: nx, y: ny };
  // Slide along the obstacle: try each axis alone.
  if (!rules.blocked(nx, y)) return { x: nx, y };
  if (!rules.blocked(x, ny)) return { x, y: ny };
  return { x, y };
}

export class Predictor {
  /** @param {MoveRules} rules */
  constructor(rules) {
    this.rules = rules;
    /** @type {MoveInput[]} inputs sent but not yet acknowledged */
    this.pending = [];
    this.x = 0;
    this.y = 0;
    /** Visual offset still to be smoothed away after a correction. */
    this.smoothX = 0;
    this.smoothY = 0;
    this.initialised = false;
    /** Size of the last correction, for the debug overlay. */
    this.lastError = 0;
  }

  /**
   * Applies an input locally and remembers it for replay.
   * @param {MoveInput} input
   */
  apply(input) {
    if (!this.initialised) return;
    const p = stepMove(this.rules, this.x, this.y, input);
    this.x = p.x;
    this.y = p.y;
    this.pending.push(input);
    // A server that stops acknowledging must not make this grow without bound.
    if (this.pending.length > 200) this.pending.shift();
  }

  /**
   * Resets to the server's position after it applied inputs up to `ackedSeq`, then
   * replays the rest.
   * @param {number} serverX
   * @param {number} serverY
   * @param {number} ackedSeq
   */
  reconcile(serverX, serverY, ackedSeq) {
    const beforeX = this.x;
    const beforeY = this.y;
    this.pending = this.pending.filter((i) => seqAfter(i.seq, ackedSeq));
    let x = serverX;
    let y = serverY;
    for (const i of this.pending) {
      const p = stepMove(this.rules, x, y, i);
      x = p.x;
      y = p.y;
    }
    this.x = x;
    this.y = y;
    if (!this.initialised) {
      this.initialised = true;
      return;
    }
    const ex = beforeX + this.smoothX - x;
    const ey = beforeY + this.smoothY - y;
    this.lastError = Math.hypot(beforeX - x, beforeY - y);
    if (Math.hypot(ex, ey) > SNAP_DISTANCE) {
      this.smoothX = 0;
      this.smoothY = 0;
    } else {
      this.smoothX = ex;
      this.smoothY = ey;
    }
  }

  /**
   * Decays the visual correction; call once per frame.
   * @param {number} frameS seconds since the last frame
   */
  frame(frameS) {
    const k = Math.exp(-frameS * 12);
    this.smoothX *= k;
    this.smoothY *= k;
  }

  /** Where to draw the player. */
  get displayX() {
    return this.x + this.smoothX;
  }

  get displayY() {
    return this.y + this.smoothY;
  }

  /** Forgets the prediction (new connection, death). */
  reset() {
    this.pending = [];
    this.initialised = false;
    this.smoothX = 0;
    this.smoothY = 0;
  }
}

/**
 * Whether `a` comes after `b` in u32 sequence space (wrap-around safe).
 * @param {number} a
 * @param {number} b
 */
export function seqAfter(a, b) {
  const d = (a - b) >>> 0;
  return d !== 0 && d < 0x80000000;
}
