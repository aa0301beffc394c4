// Day and night from the server tick: how dark the screen is and how far light reaches.

/** Seconds over which dusk darkens and dawn brightens. */
export const TWILIGHT_S = 45;

/**
 * Darkness 0 (full day) .. 1 (deep night). The cycle starts at sunrise: day is
 * [0, daylight), night is [daylight, dayLength), with twilight inside the night's edges.
 * @param {number} timeS   world time in seconds (tick / tick rate)
 * @param {number} dayLengthS
 * @param {number} daylightS
 */
export function darkness(timeS, dayLengthS, daylightS) {
  if (!(dayLengthS > 0) || daylightS >= dayLengthS) return 0;
  const t = ((timeS % dayLengthS) + dayLengthS) % dayLengthS;
  if (t < daylightS) return 0;
  const intoNight = t - daylightS;
  const left = dayLengthS - t;
  const edge = Math.min(TWILIGHT_S, (dayLengthS - daylightS) / 2);
  return Math.min(1, intoNight / edge, left / edge);
}

/** Light radius around the player at night, in world units. */
export const PLAYER_LIGHT = 260;
/** Light radius of a campfire, a bit more than its warmth range. */
export const CAMPFIRE_LIGHT = 320;
/** Light of a held torch. */
export const TORCH_LIGHT = 420;
