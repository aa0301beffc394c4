import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ClientWorld, MissingBaselineError, BASELINES_KEPT, PLAYERS_KEPT } from '../src/game/world.js';

/** @param {number} id @param {number} x */
const ent = (id, x, kind = 0) => ({ id, kind, subtype: 0, x, y: 0, angle: 0, health: 100, flags: 0 });

test('a delta applies to the baseline it names, not to the newest state', () => {
  const w = new ClientWorld();
  w.applySnapshot(10, [ent(1, 0), ent(2, 50)], [{ id: 1, name: 'ann', level: 1, team: null }]);
  w.applyDelta(11, 10, [], [], [{ id: 1, dx: 5 }], []);
  // The server has not seen our ack of 11 yet and sends 12 against 10: entity 1 moved 8 since 10.
  w.applyDelta(12, 10, [2], [ent(3, 7, 1)], [{ id: 1, dx: 8, health: 40 }], []);
  assert.equal(w.tick, 12);
  assert.deepEqual([...w.entities.keys()].sort(), [1, 3]);
  assert.equal(w.entities.get(1)?.x, 8);
  assert.equal(w.entities.get(1)?.health, 40);
  assert.equal(w.players.get(1)?.name, 'ann');
  assert.equal(w.tracks.has(2), false);
  assert.equal(w.tracks.get(1)?.samples.length, 3);
});

test('a delta against an unknown baseline is refused without changing anything', () => {
  const w = new ClientWorld();
  w.applySnapshot(10, [ent(1, 0)], []);
  assert.throws(() => w.applyDelta(12, 7, [], [], [], []), MissingBaselineError);
  assert.throws(() => w.applyDelta(12, 10, [], [], [{ id: 9, dx: 1 }], []), /entity 9/);
  assert.equal(w.tick, 10);
});

test('old baselines are dropped and stale updates ignored', () => {
  const w = new ClientWorld();
  for (let t = 1; t <= BASELINES_KEPT * 2; t++) w.applySnapshot(t, [ent(1, t)], []);
  assert.ok(w.baselines.size <= BASELINES_KEPT);
  w.applySnapshot(3, [ent(1, -1)], []);
  assert.equal(w.entities.get(1)?.x, BASELINES_KEPT * 2);
});

test('player names outlive the view: a player coming back is sent without one', () => {
  const w = new ClientWorld();
  w.applySnapshot(1, [ent(1, 0)], [{ id: 1, name: 'bo', level: 2, team: 7 }]);
  w.applyDelta(2, 1, [1], [], [], []);
  assert.equal(w.entities.has(1), false);
  // Back in view without its info: the name is still known.
  w.applyDelta(3, 2, [], [ent(1, 4)], [], []);
  assert.equal(w.players.get(1)?.name, 'bo');
  // Names in a refused delta are kept too (the server counts them as sent).
  assert.throws(() => w.applyDelta(9, 7, [], [], [], [{ id: 5, name: 'cy', level: 1, team: null }]));
  assert.equal(w.players.get(5)?.name, 'cy');
  // A bounded table: the oldest names go first.
  for (let id = 100; id < 100 + PLAYERS_KEPT; id++) w.applySnapshot(3, [], [{ id, name: `p${id}`, level: 1, team: null }]);
  assert.equal(w.players.size, PLAYERS_KEPT);
  assert.equal(w.players.has(1), false);
  assert.equal(w.players.get(99 + PLAYERS_KEPT)?.name, `p${99 + PLAYERS_KEPT}`);
});
