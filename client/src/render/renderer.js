// Draws one frame of the world on the main canvas: ground, entities in layers, names and
// health bars, the build ghost, then night with light around the player and campfires.

import { EntityKind, Flag } from '../protocol/messages.js';
import * as S from './sprites.js';

/** @typedef {import('../game/worldmap.js').WorldMap} WorldMap */
/** @typedef {import('../game/build.js').Ghost} Ghost */

/**
 * One thing to draw, already interpolated.
 * @typedef {object} Drawable
 * @property {number} id
 * @property {number} kind
 * @property {string} name     content name (node kind, creature kind, structure item)
 * @property {number} x
 * @property {number} y
 * @property {number} angle
 * @property {number} health   percent
 * @property {number} flags
 * @property {string | null} label   player name
 * @property {string | null} held    held item name (players)
 * @property {boolean} me
 * @property {boolean} mate     in my team
 */

/**
 * @typedef {object} Scene
 * @property {number} camX   world position at the screen centre
 * @property {number} camY
 * @property {number} scale  pixels per world unit
 * @property {number} worldSize
 * @property {number} grid
 * @property {Drawable[]} things
 * @property {Ghost | null} ghost
 * @property {number} darkness 0 (day) .. 1 (darkest night)
 * @property {{x: number, y: number, r: number}[]} lights
 * @property {number} timeS  seconds, for animation
 * @property {{x: number, y: number, text: string, age: number, mine: boolean}[]} floaters
 *   damage numbers rising from hits; age 0..1
 */

/** Whether the half-resolution night layer is smoothed when stretched. */
const NIGHT_SMOOTH = false;

/** Radius of a tree's canopy in world units (the trunk blocks at 30). */
const CANOPY = 50;

/** Side of a cached ground tile in pixels. */
const TILE_PX = 512;

/** The order things are drawn in: ground-level first, canopies and projectiles last. */
const LAYER = /** @type {Record<number, number>} */ ({
  [EntityKind.Structure]: 1,
  [EntityKind.Node]: 2,
  [EntityKind.LootBag]: 3,
  [EntityKind.Creature]: 4,
  [EntityKind.Player]: 5,
  [EntityKind.Projectile]: 6,
});

export class Renderer {
  /** @param {HTMLCanvasElement} canvas */
  constructor(canvas) {
    this.canvas = canvas;
    const ctx = canvas.getContext('2d', { alpha: false });
    if (!ctx) throw new Error('this browser has no 2D canvas');
    this.ctx = ctx;
    /** @type {HTMLCanvasElement | null} the biome map, one pixel per cell */
    this.ground = null;
    this.groundCell = 1;
    this.night = document.createElement('canvas');
    const nctx = this.night.getContext('2d');
    if (!nctx) throw new Error('this browser has no 2D canvas');
    this.nctx = nctx;
    this.dpr = 1;
    /** @type {Map<string, HTMLCanvasElement>} pre-rendered sprites at `spriteScale` */
    this.sprites = new Map();
    this.spriteScale = 0;
    /** @type {Map<string, HTMLCanvasElement>} ground tiles at `tileScale` */
    this.tiles = new Map();
    this.tileScale = 0;
    /** Resolution factor (0.5..1) lowered when frames take too long; see `adapt`. */
    this.quality = 1;
    this.slowFor = 0;
    this.fastFor = 0;
  }

  /**
   * Adaptive resolution: after two seconds of frames too slow for about 45 FPS draw
   * fewer pixels (the browser scales the canvas up), after five seconds of
   * cheap frames draw more again.
   * @param {number} workS seconds spent producing the last frame
   * @param {number} frameS seconds since the previous frame
   * @returns {boolean} whether the quality changed
   */
  adapt(workS, frameS) {
    const q = this.quality;
    // Slow: the frame's own work was long, or frames came late (rasterising the canvas
    // happens after our code, so missed frames are the honest signal).
    if (workS > 0.02 || frameS > 0.024) {
      this.slowFor += frameS;
      this.fastFor = 0;
    } else if (workS < 0.008) {
      this.fastFor += frameS;
      this.slowFor = 0;
    }
    if (this.slowFor > 2 && q > 0.5) this.quality = Math.max(0.5, q - 0.125);
    else if (this.fastFor > 5 && q < 1) this.quality = Math.min(1, q + 0.125);
    else return false;
    this.slowFor = 0;
    this.fastFor = 0;
    this.resize();
    return true;
  }

  /**
   * A cached bitmap of a vector sprite: software-rendered canvases (headless, no GPU)
   * draw a bitmap far faster than the paths it came from.
   * @param {string} key
   * @param {number} r half size in world units
   * @param {number} scale
   * @param {(c: CanvasRenderingContext2D) => void} draw
   */
  #sprite(key, r, scale, draw) {
    if (scale !== this.spriteScale) {
      this.sprites.clear();
      this.spriteScale = scale;
    }
    let s = this.sprites.get(key);
    if (!s) {
      s = document.createElement('canvas');
      const px = Math.max(2, Math.ceil(2 * r * scale));
      s.width = px;
      s.height = px;
      const c = s.getContext('2d');
      if (c) {
        c.scale(px / (2 * r), px / (2 * r));
        c.translate(r, r);
        draw(c);
      }
      this.sprites.set(key, s);
    }
    return s;
  }

  /**
   * Draws a cached sprite centred on (x, y) in world coordinates, rotated by `angle`.
   * @param {string} key
   * @param {number} r
   * @param {number} x
   * @param {number} y
   * @param {number} angle
   * @param {number} scale
   * @param {(c: CanvasRenderingContext2D) => void} draw
   */
  #blit(key, r, x, y, angle, scale, draw) {
    const img = this.#sprite(key, r, scale, draw);
    const c = this.ctx;
    if (angle === 0) {
      c.drawImage(img, x - r, y - r, 2 * r, 2 * r);
      return;
    }
    c.save();
    c.translate(x, y);
    c.rotate(angle);
    c.drawImage(img, -r, -r, 2 * r, 2 * r);
    c.restore();
  }

  /** Matches the canvas to its CSS size; call on resize. */
  resize() {
    this.dpr = Math.min(window.devicePixelRatio || 1, 2) * this.quality;
    const w = Math.round(this.canvas.clientWidth * this.dpr);
    const h = Math.round(this.canvas.clientHeight * this.dpr);
    if (this.canvas.width !== w || this.canvas.height !== h) {
      this.canvas.width = w;
      this.canvas.height = h;
      // The night layer is drawn at half resolution: it is all soft gradients.
      this.night.width = Math.max(1, w >> 1);
      this.night.height = Math.max(1, h >> 1);
    }
  }

  /** @param {WorldMap} map */
  setMap(map) {
    const g = document.createElement('canvas');
    g.width = map.cols;
    g.height = map.rows;
    const gctx = g.getContext('2d');
    if (!gctx) return;
    gctx.putImageData(new ImageData(map.pixels(), map.cols, map.rows), 0, 0);
    this.ground = g;
    this.groundCell = map.cellSize;
    this.tiles.clear();
  }

  /**
   * Pixels per world unit so that the replicated view fills the screen.
   * @param {number} viewW
   * @param {number} viewH
   */
  scaleFor(viewW, viewH) {
    return Math.max(this.canvas.width / viewW, this.canvas.height / viewH);
  }

  /**
   * Screen pixel → world position.
   * @param {Scene} s
   * @param {number} px CSS pixels
   * @param {number} py
   */
  toWorld(s, px, py) {
    return {
      x: s.camX + (px * this.dpr - this.canvas.width / 2) / s.scale,
      y: s.camY + (py * this.dpr - this.canvas.height / 2) / s.scale,
    };
  }

  /** @param {Scene} s */
  draw(s) {
    const c = this.ctx;
    const W = this.canvas.width;
    const H = this.canvas.height;
    c.setTransform(1, 0, 0, 1, 0, 0);
    c.fillStyle = '#234d6b';
    c.fillRect(0, 0, W, H);
    c.setTransform(s.scale, 0, 0, s.scale, W / 2 - s.camX * s.scale, H / 2 - s.camY * s.scale);
    this.#groundTiles(s, W, H);

    const things = s.things.slice().sort((a, b) => (LAYER[a.kind] ?? 0) - (LAYER[b.kind] ?? 0) || a.y - b.y);
    for (const t of things) this.#thing(t, s);
    // Canopies after everything on the ground.
    // A canopy over a player turns see-through so nobody is lost under the trees.
    const people = things.filter((t) => t.kind === EntityKind.Player);
    for (const t of things) {
      if (t.kind !== EntityKind.Node || t.name !== 'tree' || (t.flags & Flag.Inactive) !== 0) continue;
      const v = t.id % 4;
      const over = people.some((p) => Math.abs(p.x - t.x) < CANOPY && Math.abs(p.y - t.y) < CANOPY && Math.hypot(p.x - t.x, p.y - t.y) < CANOPY);
      if (over) c.globalAlpha = 0.45;
      this.#blit(`top:${v}`, 56, t.x, t.y, 0, s.scale, (g) => S.nodeTop(g, 'tree', v, false));
      if (over) c.globalAlpha = 1;
    }
    if (s.ghost) this.#ghost(s.ghost, s.grid);
    for (const t of things) this.#labels(t);
    this.#floaters(s);
    this.#night(s, W, H);
  }

  /**
   * The ground from cached tiles: the biome bitmap upscaled with the building grid baked
   * in, rendered once per tile and scale, then copied 1:1 every frame (a scaled,
   * smoothed full-screen draw per frame costs several milliseconds without a GPU).
   * @param {Scene} s
   * @param {number} W
   * @param {number} H
   */
  #groundTiles(s, W, H) {
    const c = this.ctx;
    const tw = TILE_PX / s.scale;
    if (s.scale !== this.tileScale) {
      this.tiles.clear();
      this.tileScale = s.scale;
    }
    const x0 = Math.floor((s.camX - W / 2 / s.scale) / tw);
    const y0 = Math.floor((s.camY - H / 2 / s.scale) / tw);
    const x1 = Math.floor((s.camX + W / 2 / s.scale) / tw);
    const y1 = Math.floor((s.camY + H / 2 / s.scale) / tw);
    for (let ty = y0; ty <= y1; ty++) {
      for (let tx = x0; tx <= x1; tx++) {
        const key = `${tx},${ty}`;
        let tile = this.tiles.get(key);
        if (!tile) {
          tile = this.#renderTile(s, tx, ty, tw);
          if (this.tiles.size > 96) this.tiles.clear();
          this.tiles.set(key, tile);
        }
        // Snap to whole pixels so tiles meet without seams.
        const px = Math.round((tx * tw - s.camX) * s.scale + W / 2);
        const py = Math.round((ty * tw - s.camY) * s.scale + H / 2);
        c.setTransform(1, 0, 0, 1, 0, 0);
        c.drawImage(tile, px, py);
      }
    }
    c.setTransform(s.scale, 0, 0, s.scale, W / 2 - s.camX * s.scale, H / 2 - s.camY * s.scale);
  }

  /**
   * @param {Scene} s
   * @param {number} tx
   * @param {number} ty
   * @param {number} tw tile side in world units
   */
  #renderTile(s, tx, ty, tw) {
    const tile = document.createElement('canvas');
    tile.width = TILE_PX;
    tile.height = TILE_PX;
    const g = tile.getContext('2d', { alpha: false });
    if (!g) return tile;
    g.setTransform(s.scale, 0, 0, s.scale, -tx * tw * s.scale, -ty * tw * s.scale);
    const saved = this.ctx;
    this.ctx = g;
    const view = { ...s, camX: (tx + 0.5) * tw, camY: (ty + 0.5) * tw };
    g.fillStyle = '#234d6b';
    g.fillRect(tx * tw, ty * tw, tw, tw);
    this.#ground(view, TILE_PX, TILE_PX);
    this.#grid(view, TILE_PX, TILE_PX);
    this.ctx = saved;
    return tile;
  }

  /**
   * @param {Scene} s
   * @param {number} W
   * @param {number} H
   */
  #ground(s, W, H) {
    const c = this.ctx;
    if (this.ground) {
      // Only the visible part of the biome bitmap, one source pixel per cell.
      const cell = this.groundCell;
      const x0 = Math.max(0, Math.floor((s.camX - W / 2 / s.scale) / cell) - 1);
      const y0 = Math.max(0, Math.floor((s.camY - H / 2 / s.scale) / cell) - 1);
      const x1 = Math.min(this.ground.width, Math.ceil((s.camX + W / 2 / s.scale) / cell) + 1);
      const y1 = Math.min(this.ground.height, Math.ceil((s.camY + H / 2 / s.scale) / cell) + 1);
      c.imageSmoothingEnabled = true;
      if (x1 > x0 && y1 > y0) c.drawImage(this.ground, x0, y0, x1 - x0, y1 - y0, x0 * cell, y0 * cell, (x1 - x0) * cell, (y1 - y0) * cell);
    } else {
      c.fillStyle = '#6fa84a';
      c.fillRect(0, 0, s.worldSize, s.worldSize);
    }
    // The world's edge.
    c.strokeStyle = 'rgba(0,0,0,0.5)';
    c.lineWidth = 8;
    c.strokeRect(0, 0, s.worldSize, s.worldSize);
    void W;
    void H;
  }

  /**
   * A faint building grid, the genre's look, only where it is on screen.
   * @param {Scene} s
   * @param {number} W
   * @param {number} H
   */
  #grid(s, W, H) {
    const c = this.ctx;
    const g = s.grid * 2;
    const x0 = Math.floor((s.camX - W / 2 / s.scale) / g) * g;
    const y0 = Math.floor((s.camY - H / 2 / s.scale) / g) * g;
    const x1 = s.camX + W / 2 / s.scale;
    const y1 = s.camY + H / 2 / s.scale;
    c.beginPath();
    for (let x = x0; x <= x1; x += g) {
      c.moveTo(x, y0);
      c.lineTo(x, y1);
    }
    for (let y = y0; y <= y1; y += g) {
      c.moveTo(x0, y);
      c.lineTo(x1, y);
    }
    c.strokeStyle = 'rgba(0,0,0,0.06)';
    c.lineWidth = 2;
    c.stroke();
  }

  /**
   * @param {Drawable} t
   * @param {Scene} s
   */
  #thing(t, s) {
    const c = this.ctx;
    const hurt = (t.flags & Flag.Hurt) !== 0;
    const inactive = (t.flags & Flag.Inactive) !== 0;
    const k = s.scale;
    switch (t.kind) {
      case EntityKind.Node: {
        const v = t.id % 4;
        this.#blit(`n:${t.name}:${v}:${inactive}`, 40, t.x, t.y, 0, k, (g) => S.nodeBase(g, t.name, v, inactive));
        return;
      }
      case EntityKind.Structure:
        if (t.name === 'campfire' || t.name === 'furnace') break; // animated flames
        this.#blit(`s:${t.name}:${inactive}`, s.grid * 0.75, t.x, t.y, 0, k, (g) => S.structure(g, t.name, s.grid, 0, inactive));
        return;
      case EntityKind.LootBag:
        this.#blit('loot', 26, t.x, t.y, 0, k, (g) => S.lootBag(g));
        return;
      case EntityKind.Creature:
        this.#blit(`c:${t.name}:${hurt}`, t.name === 'bear' ? 56 : 40, t.x, t.y, t.angle, k, (g) => S.creature(g, t.name, hurt));
        return;
      case EntityKind.Projectile:
        this.#blit('arrow', 24, t.x, t.y, t.angle, k, (g) => S.arrow(g));
        return;
      default:
        break;
    }
    c.save();
    c.translate(t.x, t.y);
    switch (t.kind) {
      case EntityKind.Structure:
        S.structure(c, t.name, s.grid, s.timeS, inactive);
        break;
      case EntityKind.Player: {
        c.rotate(t.angle);
        const acting = (t.flags & Flag.Acting) !== 0;
        S.player(c, t.me ? 28 : S.hueOf(t.label ?? ''), t.held, acting, hurt, (s.timeS * 4) % 1);
        break;
      }
      default:
        c.fillStyle = '#f0f';
        c.fillRect(-8, -8, 16, 16);
    }
    c.restore();
  }

  /** @param {Drawable} t */
  #labels(t) {
    const c = this.ctx;
    const isPlayer = t.kind === EntityKind.Player;
    const hurtable = isPlayer || t.kind === EntityKind.Creature || t.kind === EntityKind.Structure;
    if (isPlayer && t.label) {
      c.font = 'bold 15px "DejaVu Sans", sans-serif';
      c.textAlign = 'center';
      c.lineWidth = 4;
      c.strokeStyle = 'rgba(0,0,0,0.7)';
      c.strokeText(t.label, t.x, t.y - 44);
      c.fillStyle = t.me ? '#ffd37a' : t.mate ? '#9fd3ff' : '#ffffff';
      c.fillText(t.label, t.x, t.y - 44);
    }
    if (hurtable && t.health < 100 && !(t.me && isPlayer)) {
      const w = 44;
      c.fillStyle = 'rgba(0,0,0,0.6)';
      c.fillRect(t.x - w / 2 - 1, t.y - 38, w + 2, 7);
      c.fillStyle = t.health > 50 ? '#6fd36a' : t.health > 25 ? '#e8c04a' : '#e8584a';
      c.fillRect(t.x - w / 2, t.y - 37, (w * Math.max(0, t.health)) / 100, 5);
    }
  }

  /**
   * Damage numbers: rise and fade over their lifetime.
   * @param {Scene} s
   */
  #floaters(s) {
    const c = this.ctx;
    c.font = 'bold 18px "DejaVu Sans", sans-serif';
    c.textAlign = 'center';
    c.lineWidth = 4;
    for (const f of s.floaters) {
      c.globalAlpha = Math.max(0, 1 - f.age);
      const y = f.y - 30 - f.age * 40;
      c.strokeStyle = 'rgba(0,0,0,0.75)';
      c.strokeText(f.text, f.x, y);
      c.fillStyle = f.mine ? '#ff6b5e' : '#ffe28a';
      c.fillText(f.text, f.x, y);
    }
    c.globalAlpha = 1;
  }

  /**
   * @param {Ghost} g
   * @param {number} grid
   */
  #ghost(g, grid) {
    const c = this.ctx;
    c.fillStyle = g.ok ? 'rgba(120, 230, 120, 0.35)' : 'rgba(240, 90, 80, 0.35)';
    c.strokeStyle = g.ok ? 'rgba(120, 230, 120, 0.9)' : 'rgba(240, 90, 80, 0.9)';
    c.lineWidth = 3;
    c.fillRect(g.x - grid / 2, g.y - grid / 2, grid, grid);
    c.strokeRect(g.x - grid / 2, g.y - grid / 2, grid, grid);
  }

  /**
   * Night: a dark layer with soft holes of light, composited over the world.
   * @param {Scene} s
   * @param {number} W
   * @param {number} H
   */
  #night(s, W, H) {
    if (s.darkness <= 0.01) return;
    const n = this.nctx;
    const k = this.night.width / W;
    n.globalCompositeOperation = 'source-over';
    n.clearRect(0, 0, this.night.width, this.night.height);
    n.fillStyle = `rgba(8, 12, 38, ${0.88 * s.darkness})`;
    n.fillRect(0, 0, this.night.width, this.night.height);
    n.globalCompositeOperation = 'destination-out';
    for (const l of s.lights) {
      const x = ((l.x - s.camX) * s.scale + W / 2) * k;
      const y = ((l.y - s.camY) * s.scale + H / 2) * k;
      const r = l.r * s.scale * k;
      if (x < -r || y < -r || x > this.night.width + r || y > this.night.height + r) continue;
      const grad = n.createRadialGradient(x, y, r * 0.15, x, y, r);
      grad.addColorStop(0, 'rgba(0,0,0,1)');
      grad.addColorStop(0.6, 'rgba(0,0,0,0.7)');
      grad.addColorStop(1, 'rgba(0,0,0,0)');
      n.fillStyle = grad;
      n.fillRect(x - r, y - r, 2 * r, 2 * r);
    }
    const c = this.ctx;
    c.setTransform(1, 0, 0, 1, 0, 0);
    c.imageSmoothingEnabled = NIGHT_SMOOTH;
    c.drawImage(this.night, 0, 0, W, H);
    c.imageSmoothingEnabled = true;
  }
}
