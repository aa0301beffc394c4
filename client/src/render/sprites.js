// Vector drawings of every thing in the world, in local coordinates (origin = entity
// centre, unscaled world units). Each function draws one kind; names come from the
// content tables so new content falls back to a generic shape instead of vanishing.

/** @typedef {CanvasRenderingContext2D} Ctx */

/**
 * @param {Ctx} c
 * @param {number} r
 * @param {string} fill
 * @param {string} [stroke]
 * @param {number} [width]
 */
function disc(c, r, fill, stroke, width = 3) {
  c.beginPath();
  c.arc(0, 0, r, 0, Math.PI * 2);
  c.fillStyle = fill;
  c.fill();
  if (stroke) {
    c.lineWidth = width;
    c.strokeStyle = stroke;
    c.stroke();
  }
}

/**
 * A blob with `n` bumps, deterministic per seed so nodes do not flicker.
 * @param {Ctx} c
 * @param {number} r
 * @param {number} n
 * @param {number} seed
 * @param {number} wobble
 */
function blob(c, r, n, seed, wobble) {
  c.beginPath();
  for (let i = 0; i <= n; i++) {
    const a = (i / n) * Math.PI * 2;
    const k = 1 + wobble * Math.sin(seed * 12.9898 + i * 78.233);
    const x = Math.cos(a) * r * k;
    const y = Math.sin(a) * r * k;
    if (i === 0) c.moveTo(x, y);
    else c.lineTo(x, y);
  }
  c.closePath();
}

/**
 * Shadow under anything standing on the ground.
 * @param {Ctx} c
 * @param {number} r
 */
export function shadow(c, r) {
  c.beginPath();
  c.ellipse(4, 6, r, r * 0.85, 0, 0, Math.PI * 2);
  c.fillStyle = 'rgba(0,0,0,0.22)';
  c.fill();
}

/**
 * Resource nodes: the ground part (drawn below creatures and players).
 * @param {Ctx} c
 * @param {string} name
 * @param {number} id
 * @param {boolean} depleted
 */
export function nodeBase(c, name, id, depleted) {
  switch (name) {
    case 'tree':
      disc(c, depleted ? 16 : 14, '#5b3a1e', '#3c2410', 3);
      if (depleted) {
        disc(c, 10, '#8a6138');
      }
      return;
    case 'rock':
    case 'stone':
      if (depleted) return pebbles(c, '#8d8d8d');
      shadow(c, 28);
      blob(c, 30, 9, id, 0.12);
      c.fillStyle = '#9c9c9c';
      c.fill();
      c.lineWidth = 4;
      c.strokeStyle = '#6b6b6b';
      c.stroke();
      blob(c, 15, 7, id + 3, 0.2);
      c.fillStyle = '#b6b6b6';
      c.fill();
      return;
    case 'ore':
    case 'ore_vein':
    case 'metal_ore':
      if (depleted) return pebbles(c, '#555');
      shadow(c, 26);
      blob(c, 28, 8, id, 0.15);
      c.fillStyle = '#5a5560';
      c.fill();
      c.lineWidth = 4;
      c.strokeStyle = '#3a3640';
      c.stroke();
      for (let i = 0; i < 5; i++) {
        const a = id * 1.7 + i * 1.3;
        c.beginPath();
        c.arc(Math.cos(a) * 13, Math.sin(a) * 11, 4.5, 0, Math.PI * 2);
        c.fillStyle = i % 2 ? '#d98c3a' : '#8fd3e8';
        c.fill();
      }
      return;
    case 'bush':
    case 'berry_bush':
      shadow(c, 20);
      blob(c, 22, 10, id, 0.1);
      c.fillStyle = depleted ? '#4d6b3a' : '#2f7d32';
      c.fill();
      c.lineWidth = 3;
      c.strokeStyle = '#1f5a22';
      c.stroke();
      if (!depleted) {
        for (let i = 0; i < 6; i++) {
          const a = i * 1.05 + id;
          c.beginPath();
          c.arc(Math.cos(a) * 12, Math.sin(a) * 12, 4, 0, Math.PI * 2);
          c.fillStyle = '#d6304a';
          c.fill();
        }
      }
      return;
    case 'plant':
    case 'fiber':
    case 'fiber_plant':
      if (depleted) return pebbles(c, '#6a7d3a');
      c.strokeStyle = '#a9d46a';
      c.lineWidth = 4;
      c.lineCap = 'round';
      for (let i = 0; i < 7; i++) {
        const a = -Math.PI / 2 + (i - 3) * 0.35;
        c.beginPath();
        c.moveTo(0, 8);
        c.quadraticCurveTo(Math.cos(a) * 8, Math.sin(a) * 5, Math.cos(a) * 16, Math.sin(a) * 18);
        c.stroke();
      }
      return;
    case 'cactus':
      if (depleted) return pebbles(c, '#9a8a55');
      shadow(c, 18);
      disc(c, 19, '#3f8f4a', '#2a6433', 4);
      disc(c, 10, '#4fae5b');
      c.fillStyle = '#f1e3a5';
      for (let i = 0; i < 8; i++) {
        const a = (i / 8) * Math.PI * 2;
        c.fillRect(Math.cos(a) * 14 - 1.5, Math.sin(a) * 14 - 1.5, 3, 3);
      }
      disc(c, 4, '#e86aa8');
      return;
    default:
      if (depleted) return;
      disc(c, 20, '#7d8a5a', '#4d5a3a');
  }
}

/**
 * Tree canopies go above players, like in the genre: you can hide under a tree.
 * @param {Ctx} c
 * @param {string} name
 * @param {number} id
 * @param {boolean} depleted
 * @returns {boolean} whether anything was drawn
 */
export function nodeTop(c, name, id, depleted) {
  if (name !== 'tree' || depleted) return false;
  blob(c, 46, 11, id, 0.08);
  c.fillStyle = '#2e6b2c';
  c.fill();
  c.lineWidth = 5;
  c.strokeStyle = '#1d4a1c';
  c.stroke();
  blob(c, 31, 9, id + 7, 0.12);
  c.fillStyle = '#3d8a38';
  c.fill();
  blob(c, 15, 7, id + 11, 0.15);
  c.fillStyle = '#4fa047';
  c.fill();
  return true;
}

/**
 * @param {Ctx} c
 * @param {string} color
 */
function pebbles(c, color) {
  c.fillStyle = color;
  for (let i = 0; i < 4; i++) {
    c.beginPath();
    c.arc(Math.cos(i * 1.6) * 10, Math.sin(i * 1.6) * 8, 4, 0, Math.PI * 2);
    c.fill();
  }
}

/** Body colours and sizes of creatures by name. */
const CREATURES = /** @type {Record<string, {r: number, body: string, edge: string, ear: string}>} */ ({
  rabbit: { r: 14, body: '#e9e2d6', edge: '#b7ab98', ear: '#f2b6c0' },
  wolf: { r: 20, body: '#7d7f86', edge: '#4a4c52', ear: '#5a5c62' },
  scorpion: { r: 16, body: '#c08a3e', edge: '#7a5420', ear: '#9a6a2a' },
  bear: { r: 34, body: '#6b4426', edge: '#3e2512', ear: '#4e2f18' },
});

/**
 * A creature, facing +x (the caller rotates).
 * @param {Ctx} c
 * @param {string} name
 * @param {boolean} hurt
 */
export function creature(c, name, hurt) {
  const k = CREATURES[name] ?? { r: 20, body: '#a05a8a', edge: '#603050', ear: '#803a6a' };
  shadow(c, k.r);
  if (name === 'scorpion') {
    c.strokeStyle = k.edge;
    c.lineWidth = 3;
    for (const s of [-1, 1]) {
      for (let i = -1; i <= 1; i++) {
        c.beginPath();
        c.moveTo(i * 6, s * 8);
        c.lineTo(i * 8 - 4, s * 22);
        c.stroke();
      }
      c.beginPath();
      c.moveTo(12, s * 8);
      c.lineTo(26, s * 14);
      c.stroke();
    }
    c.beginPath();
    c.moveTo(-14, 0);
    c.quadraticCurveTo(-34, 0, -28, -14);
    c.lineWidth = 5;
    c.stroke();
  }
  // ears
  for (const s of [-1, 1]) {
    c.beginPath();
    c.ellipse(k.r * 0.45, s * k.r * 0.6, k.r * (name === 'rabbit' ? 0.55 : 0.3), k.r * 0.22, s * 0.5, 0, Math.PI * 2);
    c.fillStyle = k.ear;
    c.fill();
  }
  disc(c, k.r, hurt ? '#e06a5a' : k.body, k.edge, 3);
  // snout and eyes
  c.beginPath();
  c.ellipse(k.r * 0.75, 0, k.r * 0.35, k.r * 0.3, 0, 0, Math.PI * 2);
  c.fillStyle = k.edge;
  c.fill();
  c.fillStyle = name === 'wolf' || name === 'bear' ? '#f5d142' : '#111';
  for (const s of [-1, 1]) {
    c.beginPath();
    c.arc(k.r * 0.45, s * k.r * 0.32, Math.max(2, k.r * 0.1), 0, Math.PI * 2);
    c.fill();
  }
}

/**
 * A player, facing +x, holding `held` (item name or null).
 * @param {Ctx} c
 * @param {number} hue
 * @param {string | null} held
 * @param {boolean} acting
 * @param {boolean} hurt
 * @param {number} swing 0..1 phase of the swing animation
 */
export function player(c, hue, held, acting, hurt, swing) {
  shadow(c, 24);
  const skin = hurt ? '#e0806a' : '#f1c89a';
  const reach = acting ? Math.sin(swing * Math.PI) * 12 : 0;
  // hands
  for (const s of [-1, 1]) {
    c.save();
    c.translate(16 + (s > 0 ? reach : 0), s * 18);
    disc(c, 8, skin, '#6b4a2e', 2.5);
    if (s > 0 && held) tool(c, held);
    c.restore();
  }
  disc(c, 24, `hsl(${hue} 45% 45%)`, `hsl(${hue} 45% 25%)`, 4);
  disc(c, 15, skin);
  c.fillStyle = '#2a1c10';
  for (const s of [-1, 1]) {
    c.beginPath();
    c.arc(8, s * 6, 2.6, 0, Math.PI * 2);
    c.fill();
  }
}

/**
 * A held tool or weapon, in the hand's frame (pointing forward).
 * @param {Ctx} c
 * @param {string} name
 */
function tool(c, name) {
  const metal = name.startsWith('metal');
  const head = metal ? '#c9d2dc' : name.startsWith('stone') ? '#8d8d8d' : '#b98b52';
  c.strokeStyle = '#7a4f25';
  c.lineWidth = 4;
  c.beginPath();
  c.moveTo(0, 0);
  c.lineTo(26, 0);
  c.stroke();
  c.fillStyle = head;
  if (name.includes('axe') && !name.includes('pickaxe')) {
    c.beginPath();
    c.moveTo(20, 0);
    c.lineTo(28, -12);
    c.lineTo(32, 2);
    c.closePath();
    c.fill();
  } else if (name.includes('pickaxe')) {
    c.beginPath();
    c.moveTo(26, -13);
    c.quadraticCurveTo(32, 0, 26, 13);
    c.lineTo(24, 0);
    c.closePath();
    c.fill();
  } else if (name.includes('sword') || name.includes('spear')) {
    c.fillRect(20, -3, name.includes('spear') ? 24 : 20, 6);
  } else if (name.includes('bow')) {
    c.strokeStyle = '#8a5a2a';
    c.beginPath();
    c.arc(6, 0, 16, -1.2, 1.2);
    c.stroke();
  } else if (name.includes('torch')) {
    disc(c, 0.1, '#000');
    c.beginPath();
    c.arc(28, 0, 7, 0, Math.PI * 2);
    c.fillStyle = '#ffb340';
    c.fill();
  } else {
    c.fillRect(22, -4, 8, 8);
  }
}

/**
 * A structure by its item name; size = grid cell.
 * @param {Ctx} c
 * @param {string} name
 * @param {number} size
 * @param {number} t seconds, for flames
 * @param {boolean} open doors
 */
export function structure(c, name, size, t, open) {
  const h = size / 2;
  switch (name) {
    case 'campfire': {
      for (let i = 0; i < 8; i++) {
        const a = (i / 8) * Math.PI * 2;
        c.beginPath();
        c.arc(Math.cos(a) * 16, Math.sin(a) * 16, 6, 0, Math.PI * 2);
        c.fillStyle = '#7d7d7d';
        c.fill();
      }
      c.strokeStyle = '#5b3a1e';
      c.lineWidth = 5;
      c.beginPath();
      c.moveTo(-10, -8);
      c.lineTo(10, 8);
      c.moveTo(-10, 8);
      c.lineTo(10, -8);
      c.stroke();
      const f = 1 + 0.15 * Math.sin(t * 11) + 0.1 * Math.sin(t * 17);
      disc(c, 11 * f, 'rgba(255,140,30,0.9)');
      disc(c, 6 * f, 'rgba(255,230,120,0.95)');
      return;
    }
    case 'workbench':
      shadow(c, h);
      c.fillStyle = '#9a6b3c';
      c.fillRect(-h + 2, -h + 2, size - 4, size - 4);
      c.strokeStyle = '#5b3a1e';
      c.lineWidth = 3;
      c.strokeRect(-h + 2, -h + 2, size - 4, size - 4);
      c.beginPath();
      c.moveTo(-h + 2, 0);
      c.lineTo(h - 2, 0);
      c.stroke();
      c.fillStyle = '#c9d2dc';
      c.fillRect(-8, -10, 16, 4);
      return;
    case 'furnace':
      shadow(c, h);
      c.fillStyle = '#6d6d6d';
      c.fillRect(-h + 1, -h + 1, size - 2, size - 2);
      c.strokeStyle = '#444';
      c.lineWidth = 3;
      c.strokeRect(-h + 1, -h + 1, size - 2, size - 2);
      disc(c, 8, `rgba(255,${120 + 40 * Math.sin(t * 6)},30,0.95)`);
      return;
    case 'anvil':
      c.fillStyle = '#3c4048';
      c.fillRect(-h + 6, -8, size - 12, 16);
      c.fillRect(-6, -h + 4, 12, size - 8);
      return;
    case 'storage_chest':
    case 'chest':
      shadow(c, h - 4);
      c.fillStyle = '#a0692f';
      c.fillRect(-h + 5, -h + 8, size - 10, size - 16);
      c.strokeStyle = '#5b3a1e';
      c.lineWidth = 3;
      c.strokeRect(-h + 5, -h + 8, size - 10, size - 16);
      c.fillStyle = '#e0c060';
      c.fillRect(-3, -3, 6, 6);
      return;
    case 'door':
    case 'wooden_door':
      c.fillStyle = open ? 'rgba(138,90,43,0.35)' : '#8a5a2b';
      c.fillRect(-h, -h, size, size);
      c.strokeStyle = '#4a2e14';
      c.lineWidth = 3;
      c.strokeRect(-h + 2, -h + 2, size - 4, size - 4);
      return;
    default: {
      const stone = name.includes('stone');
      c.fillStyle = stone ? '#8f8f8f' : '#8a5a2b';
      c.fillRect(-h, -h, size, size);
      c.strokeStyle = stone ? '#5f5f5f' : '#4a2e14';
      c.lineWidth = 3;
      c.strokeRect(-h + 1.5, -h + 1.5, size - 3, size - 3);
      c.beginPath();
      for (let i = 1; i < 3; i++) {
        c.moveTo(-h, -h + (size * i) / 3);
        c.lineTo(h, -h + (size * i) / 3);
      }
      c.lineWidth = 1.5;
      c.stroke();
    }
  }
}

/**
 * @param {Ctx} c
 */
export function lootBag(c) {
  shadow(c, 16);
  c.beginPath();
  c.moveTo(-16, 14);
  c.quadraticCurveTo(-20, -8, -6, -12);
  c.lineTo(6, -12);
  c.quadraticCurveTo(20, -8, 16, 14);
  c.closePath();
  c.fillStyle = '#b38446';
  c.fill();
  c.strokeStyle = '#6b4a20';
  c.lineWidth = 3;
  c.stroke();
  c.fillStyle = '#6b4a20';
  c.fillRect(-8, -14, 16, 4);
}

/**
 * An arrow facing +x.
 * @param {Ctx} c
 */
export function arrow(c) {
  c.strokeStyle = '#6b4a20';
  c.lineWidth = 3;
  c.beginPath();
  c.moveTo(-18, 0);
  c.lineTo(14, 0);
  c.stroke();
  c.fillStyle = '#c9d2dc';
  c.beginPath();
  c.moveTo(20, 0);
  c.lineTo(12, -5);
  c.lineTo(12, 5);
  c.closePath();
  c.fill();
  c.fillStyle = '#e8e8e8';
  c.fillRect(-20, -4, 6, 8);
}

/**
 * A stable hue per name so players are recognisable.
 * @param {string} name
 */
export function hueOf(name) {
  let h = 0;
  for (let i = 0; i < name.length; i++) h = (h * 31 + name.charCodeAt(i)) % 360;
  return h;
}
