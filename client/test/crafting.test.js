import { test } from 'node:test';
import assert from 'node:assert/strict';
import { craftOptions, stationsNear, sortOptions, itemCounts, STATION_RANGE } from '../src/game/crafting.js';
import { ghostAt, cellAt } from '../src/game/build.js';

const items = [
  { name: 'wood', kind: 'resource' },
  { name: 'stone', kind: 'resource' },
  { name: 'workbench', kind: 'structure' },
  { name: 'wooden_wall', kind: 'structure' },
];
const recipes = [
  { name: 'workbench', inputs: [{ item: 0, count: 10 }, { item: 1, count: 5 }], output: 2, count: 1, timeTicks: 60, station: null },
  { name: 'wooden_wall', inputs: [{ item: 0, count: 10 }], output: 3, count: 1, timeTicks: 40, station: 2 },
];
/** @param {number} id @param {number} x @param {number} y */
const bench = (id, x, y) => ({ id, kind: 3, subtype: 2, x, y, angle: 0, health: 100, flags: 0 });

test('stacks are summed across slots', () => {
  assert.deepEqual([...itemCounts([{ item: 0, count: 4, durability: 0 }, null, { item: 0, count: 7, durability: 0 }])], [[0, 11]]);
});

test('says what is missing and which station is needed', () => {
  const inv = [{ item: 0, count: 12, durability: 0 }, { item: 1, count: 2, durability: 0 }];
  const opts = craftOptions(recipes, items, inv, new Set(), null);
  assert.deepEqual(opts[0].reasons, ['needs 3 more stone']);
  assert.deepEqual(opts[1].reasons, ['needs a workbench nearby']);
  assert.equal(opts.some((o) => o.ok), false);
});

test('a workbench in range unlocks its recipes; crafting blocks everything', () => {
  const inv = [{ item: 0, count: 12, durability: 0 }];
  const near = stationsNear([bench(1, 100, 100)], items, 100 + STATION_RANGE - 1, 100);
  const far = stationsNear([bench(1, 100, 100)], items, 100 + STATION_RANGE + 1, 100);
  assert.deepEqual([...near], ['workbench']);
  assert.equal(far.size, 0);
  const opts = craftOptions(recipes, items, inv, near, null);
  assert.equal(opts[1].ok, true);
  assert.equal(sortOptions(opts)[0].recipe.name, 'wooden_wall');
  assert.deepEqual(craftOptions(recipes, items, inv, near, { recipe: 0 })[1].reasons, ['already crafting']);
});

test('the build ghost snaps to the grid and refuses far, wet and occupied cells', () => {
  assert.deepEqual(cellAt(85, -1, 40), { cellX: 2, cellY: -1 });
  const dry = () => false;
  const g = ghostAt(85, 95, 60, 60, 40, [], dry, 24, 4000);
  assert.deepEqual([g.cellX, g.cellY, g.x, g.y, g.ok], [2, 2, 100, 100, true]);
  assert.equal(ghostAt(1000, 1000, 60, 60, 40, [], dry, 24, 4000).reason, 'too far');
  assert.equal(ghostAt(85, 95, 60, 60, 40, [], () => true, 24, 4000).reason, 'water');
  assert.equal(ghostAt(85, 95, 60, 60, 40, [bench(1, 100, 100)], dry, 24, 4000).reason, 'blocked');
  const player = { id: 2, kind: 0, subtype: 0, x: 100, y: 130, angle: 0, health: 100, flags: 0 };
  assert.equal(ghostAt(85, 95, 60, 60, 40, [player], dry, 24, 4000).reason, 'blocked');
  assert.equal(ghostAt(-30, 95, 60, 60, 40, [], dry, 24, 4000).reason, 'outside the world');
  // A tree's trunk only blocks its own cell (sim-core's node footprint).
  const tree = { id: 3, kind: 1, subtype: 0, x: 100, y: 145, angle: 0, health: 100, flags: 0 };
  assert.equal(ghostAt(85, 95, 60, 60, 40, [tree], dry, 24, 4000).ok, true);
});
