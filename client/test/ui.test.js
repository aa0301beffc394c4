import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nextScreen, slotView, bannerText, duration, xpForLevel, maxDurability, teamCommand } from '../src/ui/model.js';
import { keyAction, moveVector } from '../src/game/controls.js';
import { stickVector } from '../src/ui/touch.js';
import { darkness } from '../src/game/daynight.js';
import { wsUrlFor, withWorld } from '../src/net/config.js';
import { WorldMap } from '../src/game/worldmap.js';

test('screens: title → connecting → game → dead → game, and back to title on failure', () => {
  let s = nextScreen('title', { kind: 'play' });
  assert.equal(s, 'connecting');
  s = nextScreen(s, { kind: 'joined' });
  assert.equal(s, 'game');
  assert.equal(nextScreen(s, { kind: 'play' }), 'game');
  s = nextScreen(s, { kind: 'died' });
  assert.equal(s, 'dead');
  assert.equal(nextScreen(s, { kind: 'respawned' }), 'game');
  assert.equal(nextScreen('connecting', { kind: 'rejected' }), 'title');
  assert.equal(nextScreen('game', { kind: 'gave_up' }), 'title');
});

test('slots show names, counts and durability', () => {
  const items = [{ name: 'wood', kind: 'resource' }, { name: 'stone_axe', kind: 'tool' }];
  assert.deepEqual(slotView(null, items), { empty: true });
  const wood = slotView({ item: 0, count: 12, durability: 0 }, items);
  assert.equal(wood.empty, false);
  if (!wood.empty) {
    assert.equal(wood.name, 'wood');
    assert.equal(wood.count, '12');
    assert.equal(wood.durability, null);
  }
  const axe = slotView({ item: 1, count: 1, durability: 25 }, items);
  if (axe.empty) assert.fail('axe slot is empty');
  assert.equal(axe.name, 'stone axe');
  assert.equal(axe.count, '');
  assert.equal(axe.durability, 0.25);
  assert.equal(maxDurability('mystery_tool', 40), 40);
  assert.equal(maxDurability('mystery_tool', 10), 40);
});

test('keys map to actions; held keys give a unit move vector', () => {
  assert.deepEqual(keyAction('Digit3'), { kind: 'slot', slot: 2 });
  assert.deepEqual(keyAction('KeyC'), { kind: 'craft' });
  assert.deepEqual(keyAction('Enter'), { kind: 'chat' });
  assert.equal(keyAction('KeyZ'), null);
  const v = moveVector(new Set(['KeyW', 'KeyD', 'ArrowUp']));
  assert.ok(Math.abs(Math.hypot(v.x, v.y) - 1) < 1e-9 && v.x > 0 && v.y < 0);
  assert.deepEqual(moveVector(new Set(['KeyA', 'KeyD'])), { x: 0, y: 0 });
});

test('the touch stick saturates at its radius', () => {
  assert.deepEqual(stickVector(0, 0, 60), { x: 0, y: 0 });
  assert.deepEqual(stickVector(30, 0, 60), { x: 0.5, y: 0 });
  const v = stickVector(300, 400, 60);
  assert.ok(Math.abs(Math.hypot(v.x, v.y) - 1) < 1e-9);
});

test('night darkens after daylight and brightens before dawn', () => {
  assert.equal(darkness(10, 1200, 480), 0);
  assert.equal(darkness(800, 1200, 480), 1);
  assert.ok(darkness(490, 1200, 480) > 0 && darkness(490, 1200, 480) < 1);
  assert.ok(darkness(1195, 1200, 480) < 0.2);
  assert.equal(darkness(1210, 1200, 480), 0);
  assert.equal(darkness(5, 0, 0), 0);
});

test('the WebSocket URL: ?ws= beats the server, which beats the meta tag and the default', () => {
  const loc = { protocol: 'http:', hostname: 'example.test' };
  const p = (/** @type {string} */ q) => new URLSearchParams(q);
  assert.equal(wsUrlFor(loc, p(''), null, null, null), 'ws://example.test:8081/');
  assert.equal(wsUrlFor(loc, p(''), '9001', null, null), 'ws://example.test:9001/');
  assert.equal(wsUrlFor(loc, p(''), '9001', 7000, null), 'ws://example.test:7000/');
  assert.equal(wsUrlFor(loc, p('ws=7100'), '9001', 7000, null), 'ws://example.test:7100/');
  assert.equal(wsUrlFor(loc, p('ws=wss://x.test/play'), null, null, null), 'wss://x.test/play');
  assert.equal(wsUrlFor({ protocol: 'https:', hostname: 'a.test' }, p(''), null, null, null), 'wss://a.test:8081/');
  assert.equal(wsUrlFor(loc, p('ws=javascript:alert(1)'), null, null, null), 'ws://example.test:8081/');
  assert.equal(withWorld('ws://example.test:8081/', 'world 2'), 'ws://example.test:8081/?world=world+2');
  assert.equal(withWorld('ws://example.test:8081/', null), 'ws://example.test:8081/');
});

test('the world map answers biome and water queries and refuses a mismatched grid', () => {
  const m = new WorldMap(100, 2, 2, Uint8Array.from([0, 1, 2, 3]));
  assert.equal(m.isWater(50, 50), true);
  assert.equal(m.biomeAt(150, 50), 'forest');
  assert.equal(m.biomeAt(50, 150), 'meadow');
  assert.equal(m.isWater(-5, 50), false);
  assert.equal(m.pixels().length, 16);
  assert.throws(() => new WorldMap(100, 3, 3, new Uint8Array(4)), /does not match/);
});

test('small helpers read well', () => {
  assert.equal(duration(200), '3 min 20 s');
  assert.equal(duration(7.4), '7 s');
  assert.equal(xpForLevel(4), 800);
  assert.equal(bannerText('lost', 'timeout', true), 'Connection lost (timeout) — reconnecting…');
  assert.equal(bannerText('lost', 'x', false), null);
  assert.equal(bannerText('open', '', true), null);
});

test('team commands typed in chat', () => {
  const players = [{ id: 7, name: 'Ada' }, { id: 9, name: 'Bo' }];
  assert.equal(teamCommand('hello /team', players), null);
  assert.deepEqual(teamCommand('/team create Wolves', players), { create: 'Wolves' });
  assert.deepEqual(teamCommand('/team join bo', players), { join: 9 });
  assert.equal(teamCommand('/team leave', players), 'leave');
  assert.match(String(teamCommand('/team join Zed', players)), /No player called Zed/);
  assert.match(String(teamCommand('/team', players)), /Team commands/);
  assert.match(String(teamCommand(`/team create ${'x'.repeat(40)}`, players)), /at most 32/);
});
