import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inspect } from 'node:util';
import type { Endpoint } from '../../shared/endpoint';
import { LocalHost } from '../host/local-host';
import { dockerFor } from './dockerode';

// docker-modem inspects every request's options (agent included) with showHidden and no depth limit, debug output on
// or off: the agent must inspect as a name, not as its sockets, or each request costs tens of ms of CPU.
test('the agent dockerode sends requests through inspects as its name, whatever docker-modem asks of util.inspect', async () => {
  const endpoint = { transport: 'tcp', host: 'tcp://127.0.0.1:9', tls: null, context: null, reason: 'test', flavour: 'remote' } as Endpoint;
  const handle = await dockerFor(new LocalHost(), endpoint, 4);
  try {
    const agent = (handle.modem as unknown as { agent: unknown }).agent;
    assert.ok(agent, 'the modem holds our agent');
    assert.equal(inspect({ agent }, { showHidden: true, depth: null }), '{ agent: [Agent] }');
  } finally {
    handle.close();
  }
});
