// The minimap: the whole world's biomes, the player and their teammates.

/** @typedef {import('../game/worldmap.js').WorldMap} WorldMap */

export class Minimap {
  /** @param {HTMLCanvasElement} canvas */
  constructor(canvas) {
    this.canvas = canvas;
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('this browser has no 2D canvas');
    this.ctx = ctx;
    /** @type {HTMLCanvasElement | null} */
    this.bg = null;
  }

  /** @param {WorldMap} map */
  setMap(map) {
    const g = document.createElement('canvas');
    g.width = map.cols;
    g.height = map.rows;
    const gctx = g.getContext('2d');
    if (!gctx) return;
    gctx.putImageData(new ImageData(map.pixels(), map.cols, map.rows), 0, 0);
    this.bg = g;
  }

  /**
   * @param {number} worldSize
   * @param {{x: number, y: number, angle: number}} me
   * @param {{x: number, y: number, name: string}[]} mates
   * @param {{x: number, y: number, w: number, h: number}} view the visible rectangle
   */
  draw(worldSize, me, mates, view) {
    const c = this.ctx;
    const W = this.canvas.width;
    const k = W / worldSize;
    c.globalAlpha = 1;
    if (this.bg) c.drawImage(this.bg, 0, 0, W, W);
    else {
      c.fillStyle = '#3f6a3a';
      c.fillRect(0, 0, W, W);
    }
    c.strokeStyle = 'rgba(255,255,255,0.6)';
    c.lineWidth = 1;
    c.strokeRect(view.x * k, view.y * k, view.w * k, view.h * k);
    for (const m of mates) {
      c.fillStyle = '#59b8ff';
      c.beginPath();
      c.arc(m.x * k, m.y * k, 3.5, 0, Math.PI * 2);
      c.fill();
    }
    c.save();
    c.translate(me.x * k, me.y * k);
    c.rotate(me.angle);
    c.fillStyle = '#ffd37a';
    c.strokeStyle = '#000';
    c.beginPath();
    c.moveTo(6, 0);
    c.lineTo(-4, -4);
    c.lineTo(-4, 4);
    c.closePath();
    c.fill();
    c.stroke();
    c.restore();
  }
}
