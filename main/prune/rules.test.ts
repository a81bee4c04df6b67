// The shared keep rules, and the apply's use of them on what the daemon shows at apply time: protection that a plan's
// options cannot switch off, users found by the planner's rule, and transports refused before any call is made.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Endpoint } from '../../shared/endpoint';
import type { PlannedRemoval, PrunePlan } from '../../shared/prune';
import type { EngineApi, RequestPath } from '../collect/engine-api';
import { LocalHost } from '../host/local-host';
import { applyPlan } from './apply';
import { planPrune } from './measure';
import { defaultPruneOptions } from './plan';
import { assertProvenTransport, isProvenTransport, UnprovenTransportError } from './proven-transports';
import { ownVerdict, protectionLabels, usersIndex } from './rules';
import type { SnapshotContainer } from './snapshot';

const endpoint = (transport: Endpoint['transport']): Endpoint => ({
  host: `${transport}://x`,
  transport,
  tls: null,
  context: null,
  reason: 'test',
  flavour: 'unknown',
});

function container(name: string, extra: Partial<SnapshotContainer>): SnapshotContainer {
  return {
    id: `c-${name}`,
    name,
    imageId: 'sha256:i',
    image: 'i',
    created: '2024-01-01T00:00:00Z',
    state: 'created',
    active: false,
    labels: {},
    sizeRw: 0,
    logBytes: null,
    volumes: [],
    networks: [],
    ...extra,
  };
}

describe('keep rules (planner and apply)', () => {
  test('the default protection label protects whatever label the plan names', () => {
    assert.deepEqual(protectionLabels('dockhand.protect'), ['dockhand.protect']);
    assert.deepEqual(protectionLabels('team.keep'), ['dockhand.protect', 'team.keep']);
    const options = { ...defaultPruneOptions(), protectLabel: 'nothing.protects' };
    assert.deepEqual(ownVerdict({ labels: { 'dockhand.protect': 'true' }, created: null }, options, null, 'created'), {
      reason: 'protected',
      why: 'labelled dockhand.protect=true',
    });
    assert.equal(ownVerdict({ labels: { 'nothing.protects': 'false' }, created: null }, options, null, 'created'), null);
  });

  test('a network is used by a created container that names it (no network ID until it starts)', () => {
    const users = usersIndex([container('made', { networks: ['late-net'] }), container('other', { networks: ['bridge'] })], 'network');
    assert.deepEqual(
      users({ id: 'f00d', name: 'late-net' }).map((c) => c.name),
      ['made'],
    );
    assert.deepEqual(users({ id: 'bridge-id', name: 'idle' }), []);
    const volumes = usersIndex([container('v', { volumes: ['data', 'data'] })], 'volume');
    assert.deepEqual(
      volumes({ id: 'data', name: 'data' }).map((c) => c.name),
      ['v'],
      'listed once',
    );
  });
});

/** A scripted Engine: the live state the apply sees, and every call it makes. */
function engine(
  requestPath: RequestPath,
  transport: Endpoint['transport'],
  live: { containers: unknown[]; networkLabels: Record<string, string> },
): EngineApi & { calls: string[] } {
  const calls: string[] = [];
  return {
    endpoint: endpoint(transport),
    requestPath,
    calls,
    async get<T>(resource: string): Promise<T> {
      calls.push(`GET ${resource}`);
      if (resource === '/info') return { ID: 'ENGINE', Name: 'test' } as T;
      if (resource === '/version') return { ApiVersion: '1.43' } as T;
      if (resource === '/system/df') return {} as T;
      if (resource === '/containers/json') return live.containers as T;
      if (resource.startsWith('/networks/')) return { Labels: live.networkLabels, Created: '' } as T;
      throw new Error(`unexpected ${resource}`);
    },
    async remove(kind: string, id: string) {
      calls.push(`DELETE ${kind} ${id}`);
    },
    async getRaw(resource: string) {
      throw new Error(`a prune never reads a log (asked for ${resource})`);
    },
    async start(id: string) {
      throw new Error(`a prune never starts a container (asked to start ${id})`);
    },
    async pruneBuildCache(filters: Record<string, string[]>) {
      calls.push(`POST /build/prune ${JSON.stringify(filters)}`);
      return null;
    },
    async ping() {},
    close() {},
  };
}

function networkPlan(protectLabel: string): PrunePlan {
  const item: PlannedRemoval = {
    type: 'network',
    id: 'net-id',
    name: 'net',
    tags: [],
    size: null,
    reclaim: 0,
    created: null,
    lastUsed: null,
    why: 'bridge network no container is attached to',
  };
  return {
    planId: 'p1',
    engine: { id: 'ENGINE', name: 'test', endpoint: 'unix:///x' },
    cutoff: null,
    options: { ...defaultPruneOptions(), protectLabel },
    remove: [item],
    predicted: { total: 0, byType: { containerLogs: 0 } },
  } as unknown as PrunePlan;
}

describe('the apply re-derives what is kept from the live daemon', () => {
  test('an object labelled dockhand.protect=true is skipped even when the plan names another label', async () => {
    const api = engine('http1-reads', 'unix', { containers: [], networkLabels: { 'dockhand.protect': 'true' } });
    const result = await applyPlan(api, networkPlan('nothing.protects'), { timeoutMs: 1000 });
    assert.equal(result.outcomes[0]!.status, 'skipped');
    assert.match(result.outcomes[0]!.reason!, /^labelled dockhand\.protect=true \(checked again at apply\)$/);
    assert.ok(!api.calls.some((c) => c.startsWith('DELETE')), 'nothing removed');
  });

  test('a container created since the plan, listed with all=1, keeps its network (by name)', async () => {
    const created = {
      Id: 'c1',
      Names: ['/made-late'],
      State: 'created',
      ImageID: 'sha256:i',
      Image: 'i',
      Created: 1,
      Labels: {},
      Mounts: [],
      NetworkSettings: { Networks: { net: { NetworkID: '' } } },
    };
    const api = engine('http1-reads', 'unix', { containers: [created], networkLabels: {} });
    const result = await applyPlan(api, networkPlan('dockhand.protect'), { timeoutMs: 1000 });
    assert.equal(result.outcomes[0]!.reason, 'attached since the plan by container made-late (created)');
    assert.ok(!api.calls.some((c) => c.startsWith('DELETE')));
  });
});

describe('transports whose query handling is proven', () => {
  test('the allowlist: the read-only pipelining client and dockerode on unix, npipe and tcp; dockerode only on ssh', () => {
    assert.ok(isProvenTransport('unix', 'http1-reads'));
    assert.ok(isProvenTransport('unix', 'dockerode'));
    assert.ok(isProvenTransport('tcp', 'http1-reads'));
    assert.ok(isProvenTransport('tcp', 'dockerode'));
    assert.ok(isProvenTransport('ssh', 'dockerode'));
    assert.equal(isProvenTransport('ssh', 'http1-reads'), false, 'a client on an endpoint it was never proven on is refused');
  });

  test('apply and plan refuse an unproven transport before any call to the daemon', async () => {
    const api = engine('http1-reads', 'ssh', { containers: [], networkLabels: {} });
    await assert.rejects(
      applyPlan(api, networkPlan('dockhand.protect'), { timeoutMs: 1000 }),
      (e: Error) =>
        e instanceof UnprovenTransportError &&
        /^refusing to prune over ssh:\/\/x: its ssh transport \(through http1-reads\) is not one whose query handling a test proves/.test(
          e.message,
        ),
    );
    await assert.rejects(planPrune(api, api.endpoint, new LocalHost(), defaultPruneOptions(), 1000), UnprovenTransportError);
    assert.deepEqual(api.calls, []);
    assert.throws(
      () => assertProvenTransport({ endpoint: endpoint('ssh'), requestPath: 'http1-reads' }),
      /Prune over unix, npipe, tcp, ssh instead/,
    );
  });
});
