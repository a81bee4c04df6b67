// A prune whose daemon stops answering, over a scripted Engine API: the object whose removal was asked for but never
// answered is reported as possibly gone (a hung daemon may still carry it out), the one whose check failed as still
// there, the rest as not attempted; nothing is measured after, and the result is never a crash.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PlannedRemoval, PrunePlan } from '../../shared/prune';
import { type EngineApi, EngineApiError } from '../collect/engine-api';
import { applyPlan } from './apply';

const ENDPOINT = { host: 'unix:///run/test.sock', transport: 'unix', tls: null, source: 'default' } as unknown as EngineApi['endpoint'];
const hung = (call: string) =>
  new EngineApiError('timeout', `the Docker daemon at unix:///run/test.sock (${call}) did not answer within 6 s`);

function container(n: number): PlannedRemoval {
  return {
    type: 'container',
    id: `c${n}`,
    name: `stopped-${n}`,
    tags: [],
    size: 10,
    reclaim: 10,
    created: null,
    lastUsed: null,
    why: 'exited container',
  };
}

function plan(count: number): PrunePlan {
  return {
    planId: 'p1',
    engine: { id: 'ENGINE', name: 'test', endpoint: 'unix:///run/test.sock' },
    cutoff: null,
    options: { protectLabel: 'dockhand.protect', labelFilters: [], until: null },
    remove: Array.from({ length: count }, (_, i) => container(i)),
    predicted: { total: count * 10, byType: { containerLogs: 0 } },
  } as unknown as PrunePlan;
}

/** An Engine that answers until `failAt` (the call that hangs), then never again. */
function engine(failAt: (method: string, resource: string) => boolean): EngineApi & { deleted: string[] } {
  let dead = false;
  const deleted: string[] = [];
  const guard = (method: string, resource: string) => {
    if (dead || failAt(method, resource)) {
      dead = true;
      throw hung(`${method} ${resource}`);
    }
  };
  return {
    endpoint: ENDPOINT,
    requestPath: 'http1-reads',
    deleted,
    async get<T>(resource: string): Promise<T> {
      guard('GET', resource);
      if (resource === '/info') return { ID: 'ENGINE', Name: 'test' } as T;
      if (resource === '/version') return { ApiVersion: '1.43' } as T;
      if (resource === '/system/df') return {} as T;
      return { State: { Status: 'exited' }, Config: { Labels: {} }, Created: '' } as T;
    },
    async remove(kind: string, id: string) {
      const resource = `/${kind}s/${id}`;
      guard('DELETE', resource);
      deleted.push(resource);
    },
    async getRaw(resource: string) {
      throw new Error(`a prune never reads a log (asked for ${resource})`);
    },
    async start(id: string) {
      throw new Error(`a prune never starts a container (asked to start ${id})`);
    },
    async pruneBuildCache() {
      guard('POST', '/build/prune');
      return null;
    },
    async ping() {},
    close() {},
  };
}

test('the daemon hangs on a removal it was asked for: that object may or may not be gone, the rest are not attempted', async () => {
  const api = engine((method, resource) => method === 'DELETE' && resource === '/containers/c2');
  const result = await applyPlan(api, plan(5), { timeoutMs: 2000 });
  assert.equal(result.complete, false);
  assert.deepEqual(
    result.outcomes.map((o) => o.status),
    ['removed', 'removed', 'unconfirmed', 'not-attempted', 'not-attempted'],
  );
  assert.equal(result.counts.unconfirmed, 1);
  assert.match(
    result.outcomes[2]!.reason!,
    /^the daemon stopped answering while removing it: it may or may not be gone \(preview again to see\) — .*DELETE \/containers\/c2.* did not answer within 6 s$/,
  );
  assert.match(result.outcomes[3]!.reason!, /^the daemon stopped answering: /);
  assert.match(result.error!, /did not answer within 6 s/);
  assert.equal(result.freed.engineBytes, null, 'not measured after: the daemon does not answer');
  assert.equal(result.predicted.removed, 20, 'what the plan predicted for the two removed');
});

test('the daemon hangs on the check before a removal: that object is still there', async () => {
  const api = engine((method, resource) => method === 'GET' && resource === '/containers/c1/json');
  const result = await applyPlan(api, plan(3), { timeoutMs: 2000 });
  assert.deepEqual(
    result.outcomes.map((o) => o.status),
    ['removed', 'failed', 'not-attempted'],
  );
  assert.match(result.outcomes[1]!.reason!, /^the daemon stopped answering before it was removed: it is still there — /);
  assert.deepEqual(api.deleted, ['/containers/c0']);
});
