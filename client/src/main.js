// Entry point: the title screen (guest or account, world choice), then a game session.
// Reloading the page resumes the same player with the stored resume token.

import * as api from './net/api.js';
import { GameSession } from './game/session.js';
import { binaryCodec, jsonCodec } from './protocol/codec.js';
import { el } from './ui/hud.js';
import { nextScreen } from './ui/model.js';
import { wsUrlFor, withWorld } from './net/config.js';

/** @typedef {import('./ui/model.js').Screen} Screen */

/** Where the session survives a reload (per tab, like the resume grace period). */
const STORE = 'kindling.session';

/** @type {Screen} */
let screen = 'title';
/** @type {GameSession | null} */
let game = null;
/** @type {string | null} */
let chosenWorld = null;
/** @type {number | null} */
let wsPortFromServer = null;
/** @type {string | null} */
let wsUrlFromServer = null;
/** @type {api.WorldEntry[]} */
let worldList = [];

/** @param {Screen} s */
function show(s) {
  screen = s;
  el('title').hidden = s !== 'title' && s !== 'connecting';
  el('death').hidden = s !== 'dead';
  el('hud').hidden = s === 'title' || s === 'connecting';
  for (const b of document.querySelectorAll('#title button')) /** @type {HTMLButtonElement} */ (b).disabled = s === 'connecting';
}

/** @param {string | null} text */
function titleError(text) {
  const e = el('title-error');
  e.hidden = !text;
  e.textContent = text ?? '';
}

async function loadWorlds() {
  const list = el('world-list');
  try {
    const w = await api.worlds('');
    worldList = w.worlds;
    wsPortFromServer = w.wsPort;
    wsUrlFromServer = w.wsUrl;
    if (!chosenWorld || !worldList.some((x) => x.id === chosenWorld)) {
      chosenWorld = worldList.find((x) => x.capacity === 0 || x.players < x.capacity)?.id ?? worldList[0]?.id ?? null;
    }
    if (worldList.length === 0) {
      list.replaceChildren(item('No worlds are open on this server.'));
      return;
    }
    list.replaceChildren(
      ...worldList.map((w) => {
        const li = document.createElement('li');
        const b = document.createElement('button');
        b.type = 'button';
        const full = w.capacity > 0 && w.players >= w.capacity;
        b.className = (w.id === chosenWorld ? 'selected' : '') + (full ? ' full' : '');
        const name = document.createElement('span');
        name.textContent = w.name;
        const count = document.createElement('span');
        count.textContent = full ? `full (${w.players}/${w.capacity})` : `${w.players}${w.capacity ? `/${w.capacity}` : ''} playing`;
        b.append(name, count);
        b.addEventListener('click', () => {
          if (full) titleError(`${w.name} is full — pick another world.`);
          else titleError(null);
          chosenWorld = w.id;
          loadWorlds();
        });
        li.append(b);
        return li;
      }),
    );
  } catch (e) {
    list.replaceChildren(item(e instanceof api.ApiError ? e.message : 'Could not load the worlds.'));
  }
}

/** @param {string} text */
function item(text) {
  const li = document.createElement('li');
  li.className = 'muted';
  li.textContent = text;
  return li;
}

/**
 * @param {() => Promise<api.Session>} signIn
 */
async function play(signIn) {
  titleError(null);
  const w = worldList.find((x) => x.id === chosenWorld);
  if (w && w.capacity > 0 && w.players >= w.capacity) {
    titleError(`${w.name} is full (${w.players}/${w.capacity}) — pick another world.`);
    return;
  }
  show(nextScreen(screen, { kind: 'play' }));
  let session;
  try {
    session = await signIn();
  } catch (e) {
    show(nextScreen(screen, { kind: 'rejected' }));
    titleError(e instanceof api.ApiError ? e.message : `Could not sign in: ${String(e)}`);
    return;
  }
  start(session, null);
}

/**
 * @param {api.Session} session
 * @param {string | null} resumeToken
 */
function start(session, resumeToken) {
  const params = new URLSearchParams(location.search);
  const url = withWorld(wsUrlFor(location, params, document.querySelector('meta[name="kindling-ws-port"]')?.getAttribute('content') ?? null, wsPortFromServer, wsUrlFromServer), chosenWorld);
  const stored = { ...session, world: chosenWorld, resumeToken };
  sessionStorage.setItem(STORE, JSON.stringify(stored));
  game?.stop();
  game = new GameSession({
    wsUrl: url,
    codec: params.get('codec') === 'json' ? jsonCodec : binaryCodec,
    token: session.token,
    name: session.name,
    world: chosenWorld,
    resumeToken,
    onScreen: (s) => {
      if (s === 'dead') show(nextScreen(screen === 'connecting' ? 'game' : screen, { kind: 'died' }));
      else show(nextScreen(screen, { kind: screen === 'dead' ? 'respawned' : 'joined' }));
    },
    onFatal: (message) => {
      sessionStorage.removeItem(STORE);
      game = null;
      show(nextScreen(screen, { kind: 'gave_up' }));
      titleError(message);
      loadWorlds();
    },
    onResumeToken: (token) => {
      stored.resumeToken = token;
      sessionStorage.setItem(STORE, JSON.stringify(stored));
    },
  });
  // A hook for the end-to-end test and for curious players in the console.
  /** @type {any} */ (window).kindling = game;
  game.start();
}

function bind() {
  const nameInput = /** @type {HTMLInputElement} */ (el('name'));
  nameInput.value = localStorage.getItem('kindling.name') ?? '';
  const guestName = () => {
    const n = nameInput.value.trim();
    localStorage.setItem('kindling.name', n);
    return n || null;
  };
  el('play-guest').addEventListener('click', () => play(() => api.guest('', guestName())));
  const creds = () => ({
    u: /** @type {HTMLInputElement} */ (el('username')).value.trim(),
    p: /** @type {HTMLInputElement} */ (el('password')).value,
  });
  el('auth-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const { u, p } = creds();
    play(() => api.login('', u, p));
  });
  el('register').addEventListener('click', () => {
    const { u, p } = creds();
    if (!/^[A-Za-z0-9_]{3,32}$/.test(u)) {
      titleError('Names are 3–32 letters, digits or _.');
      return;
    }
    play(() => api.register('', u, p));
  });
  el('refresh-worlds').addEventListener('click', () => loadWorlds());
  el('respawn').addEventListener('click', () => game?.respawn());
  el('to-title').addEventListener('click', () => {
    game?.stop();
    game = null;
    sessionStorage.removeItem(STORE);
    show(nextScreen(screen, { kind: 'quit' }));
    loadWorlds();
  });
  window.addEventListener('resize', () => game?.renderer.resize());
}

function boot() {
  bind();
  show('title');
  loadWorlds();
  const saved = sessionStorage.getItem(STORE);
  if (saved) {
    try {
      const s = JSON.parse(saved);
      if (typeof s.token === 'string') {
        chosenWorld = typeof s.world === 'string' ? s.world : null;
        show(nextScreen(screen, { kind: 'play' }));
        start({ token: s.token, name: String(s.name ?? ''), guest: !!s.guest }, typeof s.resumeToken === 'string' ? s.resumeToken : null);
      }
    } catch {
      sessionStorage.removeItem(STORE);
    }
  }
}

boot();
