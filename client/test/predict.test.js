import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Predictor, stepMove, seqAfter, SNAP_DISTANCE } from '../src/game/predict.js';

/** @param {(x: number, y: number) => boolean} [blocked] */
const rules = (blocked = () => false) => ({ walkSpeed: 200, sprintMultiplier: 1.5, dt: 0.05, radius: 24, worldSize: 4000, blocked });
/** @param {number} seq @param {number} mx @param {number} my */
const input = (seq, mx, my, sprint = false) => ({ seq, moveX: mx, moveY: my, sprint, speedFactor: 1 });

test('one tick moves walk speed × dt, sprint ×1.5, diagonals clamped to length 1', () => {
  assert.deepEqual(stepMove(rules(), 100, 100, input(1, 1, 0)), { x: 110, y: 100 });
  assert.deepEqual(stepMove(rules(), 100, 100, input(1, 0, -1, true)), { x: 100, y: 85 });
  const d = stepMove(rules(), 100, 100, input(1, 5, 5));
  assert.ok(Math.abs(Math.hypot(d.x - 100, d.y - 100) - 10) < 1e-9);
  assert.deepEqual(stepMove(rules(), 100, 100, input(1, NaN, Infinity)), { x: 100, y: 100 });
});

test('movement stays inside the world and slides along blocked cells', () => {
  assert.deepEqual(stepMove(rules(), 25, 25, input(1, -1, -1)), { x: 24, y: 24 });
  const wallRight = rules((x) => x > 105);
  assert.deepEqual(stepMove(wallRight, 100, 100, input(1, 0.6, 0.8)), { x: 100, y: 108 });
});

test('reconciliation replays unacknowledged inputs on top of the server position', () => {
  const p = new Predictor(rules());
  p.reconcile(100, 100, 0);
  for (let s = 1; s <= 5; s++) p.apply(input(s, 1, 0));
  assert.equal(p.x, 150);
  // The server applied inputs 1..3 and (agreeing with us) is at 130.
  p.reconcile(130, 100, 3);
  assert.equal(p.pending.length, 2);
  assert.equal(p.x, 150);
  assert.equal(p.lastError, 0);
});

test('a disagreement is corrected, smoothed on screen, and snapped when large', () => {
  const p = new Predictor(rules());
  p.reconcile(100, 100, 0);
  p.apply(input(1, 1, 0));
  p.apply(input(2, 1, 0));
  // The server says input 1 was blocked: still at 100.
  p.reconcile(100, 100, 1);
  assert.equal(p.x, 110);
  assert.equal(p.lastError, 10);
  assert.equal(p.displayX, 120); // drawn where it was, then eased toward the truth
  p.frame(1);
  assert.ok(Math.abs(p.displayX - 110) < 0.01);
  p.reconcile(100 + SNAP_DISTANCE * 2, 100, 2);
  assert.equal(p.displayX, 100 + SNAP_DISTANCE * 2);
});

test('sequence numbers compare across the u32 wrap', () => {
  assert.ok(seqAfter(5, 4));
  assert.ok(!seqAfter(4, 4));
  assert.ok(seqAfter(1, 0xffffffff));
  assert.ok(!seqAfter(0xffffffff, 1));
});

test('pending inputs are bounded when the server never acknowledges', () => {
  const p = new Predictor(rules());
  p.reconcile(2000, 2000, 0);
  for (let s = 1; s <= 1000; s++) p.apply(input(s, 0, 0));
  assert.ok(p.pending.length <= 200);
});
