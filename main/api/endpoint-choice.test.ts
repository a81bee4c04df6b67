import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Settings } from '../../shared/api';
import { chosenEndpoint } from './endpoint-choice';

test('the app audits the endpoint it was started with, else the saved one, and says which in its own words', () => {
  const settings = { endpoint: { host: 'tcp://10.1.2.3:2375', context: null } } as Settings;
  assert.deepEqual(chosenEndpoint(settings, null), { host: 'tcp://10.1.2.3:2375', context: undefined, origin: 'set in Settings' });
  assert.deepEqual(chosenEndpoint(settings, { host: null, context: 'prod' }), {
    host: undefined,
    context: 'prod',
    origin: 'chosen when this Dockhand session was started',
  });
});
