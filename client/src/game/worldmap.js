// The world's biome grid (sent once after the handshake): drawing, minimap and the
// water test that client-side prediction uses.

/** Biome names by id, in sim-core's order; the world_map message may override them. */
export const DEFAULT_BIOMES = ['water', 'forest', 'meadow', 'desert', 'mountains', 'snow'];

/** Fill colours by biome name. */
export const BIOME_COLORS = /** @type {Record<string, string>} */ ({
  water: '#2f6f9f',
  meadow: '#6fa84a',
  forest: '#3f7d3a',
  desert: '#d8c27a',
  mountains: '#8a8578',
  snow: '#e8eef2',
  swamp: '#4f6b45',
  beach: '#e3d29a',
});

export class WorldMap {
  /**
   * @param {number} cellSize   world units per cell
   * @param {number} cols
   * @param {number} rows
   * @param {Uint8Array} biomes row-major biome ids
   * @param {string[]} [names]  biome names by id
   */
  constructor(cellSize, cols, rows, biomes, names = DEFAULT_BIOMES) {
    if (!(cellSize > 0) || cols <= 0 || rows <= 0 || biomes.length !== cols * rows) {
      throw new Error(`world map of ${cols}x${rows} cells does not match ${biomes.length} bytes`);
    }
    this.cellSize = cellSize;
    this.cols = cols;
    this.rows = rows;
    this.biomes = biomes;
    this.names = names;
    this.waterId = names.indexOf('water');
  }

  /**
   * The biome name at a world position ('water' outside the map).
   * @param {number} x
   * @param {number} y
   */
  biomeAt(x, y) {
    const id = this.idAt(x, y);
    return id < 0 ? 'water' : (this.names[id] ?? 'meadow');
  }

  /**
   * @param {number} x
   * @param {number} y
   */
  idAt(x, y) {
    const c = Math.floor(x / this.cellSize);
    const r = Math.floor(y / this.cellSize);
    if (c < 0 || r < 0 || c >= this.cols || r >= this.rows) return -1;
    return this.biomes[r * this.cols + c];
  }

  /**
   * Whether a position is in water (walking there is blocked).
   * @param {number} x
   * @param {number} y
   */
  isWater(x, y) {
    const id = this.idAt(x, y);
    return id >= 0 && id === this.waterId;
  }

  /**
   * RGBA pixels, one per cell, for an ImageData.
   * @returns {Uint8ClampedArray<ArrayBuffer>}
   */
  pixels() {
    const out = new Uint8ClampedArray(new ArrayBuffer(this.cols * this.rows * 4));
    const rgb = this.names.map((n) => hexToRgb(BIOME_COLORS[n] ?? '#6fa84a'));
    for (let i = 0; i < this.biomes.length; i++) {
      const c = rgb[this.biomes[i]] ?? rgb[0] ?? [0, 0, 0];
      out[i * 4] = c[0];
      out[i * 4 + 1] = c[1];
      out[i * 4 + 2] = c[2];
      out[i * 4 + 3] = 255;
    }
    return out;
  }
}

/**
 * @param {string} hex '#rrggbb'
 * @returns {[number, number, number]}
 */
export function hexToRgb(hex) {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}
