import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import type { FixPlan } from '../../shared/fix';
import { KEPT_PLANS, PlanStore } from './plan-store';

const plan = (): FixPlan => ({ id: randomUUID() }) as FixPlan;

test('the store keeps the last plans made, by id, and lets the oldest go first', () => {
  const store = new PlanStore();
  const made = Array.from({ length: KEPT_PLANS + 3 }, plan);
  for (const p of made) store.keep(p);
  assert.deepEqual(
    made.slice(0, 3).map((p) => store.get(p.id)),
    [undefined, undefined, undefined],
    'the three oldest went',
  );
  for (const p of made.slice(3)) assert.equal(store.get(p.id), p, 'the exact plan object, not a copy');
  assert.equal(store.get(randomUUID()), undefined, 'an id it never made');
});

test('keeping a plan again makes it the newest', () => {
  const store = new PlanStore(2);
  const [a, b, c] = [plan(), plan(), plan()];
  store.keep(a);
  store.keep(b);
  store.keep(a);
  store.keep(c);
  assert.equal(store.get(b.id), undefined);
  assert.equal(store.get(a.id), a);
  assert.equal(store.get(c.id), c);
});
