// Entity interpolation: other entities are drawn a little in the past, between the two
// snapshots that surround the render time, so 20 Hz updates look smooth at 60 FPS.

/** How many samples one entity keeps (a bit more than a second at 20 Hz). */
export const TRACK_LEN = 24;

/** How far past the newest sample a track may extrapolate, in ticks, before it holds still. */
export const MAX_EXTRAPOLATE_TICKS = 2;

/**
 * @typedef {{tick: number, x: number, y: number, angle: number}} Sample
 * @typedef {{samples: Sample[]}} Track
 */

/** @returns {Track} */
export function newTrack() {
  return { samples: [] };
}

/**
 * Adds a sample; samples stay ordered by tick, a repeated tick replaces its sample.
 * @param {Track} track
 * @param {Sample} sample
 */
export function pushSample(track, sample) {
  const s = track.samples;
  const last = s[s.length - 1];
  if (last && sample.tick <= last.tick) {
    if (sample.tick === last.tick) s[s.length - 1] = sample;
    // An older sample than the newest arrives only after a reconnect; start over.
    else s.splice(0, s.length, sample);
    return;
  }
  s.push(sample);
  if (s.length > TRACK_LEN) s.shift();
}

/**
 * Shortest-path interpolation between two angles.
 * @param {number} a
 * @param {number} b
 * @param {number} t
 */
export function lerpAngle(a, b, t) {
  let d = (b - a) % (2 * Math.PI);
  if (d > Math.PI) d -= 2 * Math.PI;
  if (d < -Math.PI) d += 2 * Math.PI;
  return a + d * t;
}

/**
 * The entity's position at (fractional) tick `t`.
 * @param {Track} track
 * @param {number} t
 * @returns {{x: number, y: number, angle: number} | null}
 */
export function sampleTrack(track, t) {
  const s = track.samples;
  if (s.length === 0) return null;
  const first = s[0];
  if (t <= first.tick) return { x: first.x, y: first.y, angle: first.angle };
  for (let i = s.length - 1; i > 0; i--) {
    const a = s[i - 1];
    const b = s[i];
    if (t >= a.tick && t <= b.tick) {
      const k = (t - a.tick) / (b.tick - a.tick);
      return { x: a.x + (b.x - a.x) * k, y: a.y + (b.y - a.y) * k, angle: lerpAngle(a.angle, b.angle, k) };
    }
  }
  // Past the newest sample: extrapolate a little along the last motion, then hold.
  const b = s[s.length - 1];
  const a = s.length > 1 ? s[s.length - 2] : b;
  const span = b.tick - a.tick;
  if (span <= 0) return { x: b.x, y: b.y, angle: b.angle };
  const ahead = Math.min(t - b.tick, MAX_EXTRAPOLATE_TICKS);
  const k = ahead / span;
  return { x: b.x + (b.x - a.x) * k, y: b.y + (b.y - a.y) * k, angle: b.angle };
}

/**
 * Estimates the server's current tick from snapshot arrivals, so rendering can run at a
 * steady delay behind it regardless of network jitter.
 */
export class TickClock {
  /** @param {number} tickRate */
  constructor(tickRate) {
    this.tickRate = tickRate;
    /** @type {number | null} server tick minus local tick estimate */
    this.offset = null;
  }

  /**
   * Records that `tick` arrived at local time `nowMs`.
   * @param {number} tick
   * @param {number} nowMs
   */
  observe(tick, nowMs) {
    const local = (nowMs * this.tickRate) / 1000;
    const sample = tick - local;
    if (this.offset === null || Math.abs(sample - this.offset) > this.tickRate) {
      // First sample, or a jump of more than a second (tab was hidden, reconnect): reset.
      this.offset = sample;
    } else if (sample > this.offset) {
      // Earliest-arriving packets carry the least delay: follow them up quickly...
      this.offset += (sample - this.offset) * 0.5;
    } else {
      // ...and drift down slowly so one late packet does not pull the clock back.
      this.offset += (sample - this.offset) * 0.02;
    }
  }

  /**
   * The estimated server tick at local time `nowMs` (fractional).
   * @param {number} nowMs
   */
  now(nowMs) {
    return (nowMs * this.tickRate) / 1000 + (this.offset ?? 0);
  }
}
