import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newTrack, pushSample, sampleTrack, lerpAngle, TickClock, TRACK_LEN, MAX_EXTRAPOLATE_TICKS } from '../src/game/interp.js';

test('interpolates between the two samples around the render tick', () => {
  const t = newTrack();
  pushSample(t, { tick: 10, x: 0, y: 0, angle: 0 });
  pushSample(t, { tick: 12, x: 100, y: -50, angle: 1 });
  assert.deepEqual(sampleTrack(t, 11), { x: 50, y: -25, angle: 0.5 });
  assert.deepEqual(sampleTrack(t, 9), { x: 0, y: 0, angle: 0 });
  assert.deepEqual(sampleTrack(t, 12), { x: 100, y: -50, angle: 1 });
});

test('extrapolates a little past the newest sample, then holds still', () => {
  const t = newTrack();
  pushSample(t, { tick: 1, x: 0, y: 0, angle: 0 });
  pushSample(t, { tick: 2, x: 10, y: 0, angle: 0 });
  assert.equal(sampleTrack(t, 3)?.x, 20);
  const far = sampleTrack(t, 100);
  assert.equal(far?.x, 10 + 10 * MAX_EXTRAPOLATE_TICKS);
});

test('angles take the short way round', () => {
  const a = lerpAngle(Math.PI - 0.1, -Math.PI + 0.1, 0.5);
  assert.ok(Math.abs(Math.abs(a) - Math.PI) < 1e-9, `got ${a}`);
});

test('tracks stay bounded, replace a repeated tick and restart on an older one', () => {
  const t = newTrack();
  for (let i = 0; i < 100; i++) pushSample(t, { tick: i, x: i, y: 0, angle: 0 });
  assert.equal(t.samples.length, TRACK_LEN);
  pushSample(t, { tick: 99, x: -1, y: 0, angle: 0 });
  assert.equal(t.samples.at(-1)?.x, -1);
  pushSample(t, { tick: 5, x: 5, y: 0, angle: 0 });
  assert.equal(t.samples.length, 1);
  assert.equal(sampleTrack(newTrack(), 3), null);
});

test('the tick clock follows the earliest arrivals and ignores one late packet', () => {
  const c = new TickClock(20);
  c.observe(100, 0);
  assert.equal(c.now(0), 100);
  assert.equal(c.now(500), 110);
  // A packet arriving 200 ms late barely moves the estimate.
  c.observe(101, 250);
  assert.ok(c.now(250) > 104.5, `estimate ${c.now(250)}`);
  // A jump of more than a second resets (tab was hidden).
  c.observe(1000, 300);
  assert.equal(c.now(300), 1000);
});
