import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Facts } from '../../shared/facts';
import { isWsl } from './applicability';

const missing = { ok: false, error: { code: 'unreachable', message: 'down' }, sources: [] } as const;
const facts = (parts: Partial<Record<'info' | 'desktop' | 'host', unknown>>) =>
  ({ info: missing, desktop: missing, host: missing, ...parts }) as unknown as Facts;
const ok = (value: object) => ({ ok: true, value, sources: [] });

test("isWsl: the daemon's kernel first, then Docker Desktop's WSL engine setting, then this host's kernel", () => {
  assert.equal(isWsl(facts({ info: ok({ kernelVersion: '5.15.153.1-microsoft-standard-WSL2' }) })), true);
  assert.equal(isWsl(facts({ info: ok({ kernelVersion: '6.1.0-18-amd64' }) })), false);
  assert.equal(isWsl(facts({ info: ok({ kernelVersion: '6.10.14-linuxkit' }), desktop: ok({ wslEngineEnabled: true }) })), true);
  assert.equal(isWsl(facts({ desktop: ok({ wslEngineEnabled: false }) })), false);
  assert.equal(isWsl(facts({ host: ok({ platform: 'linux', kernel: '5.15.0-microsoft-standard-WSL2' }) })), true);
  assert.equal(
    isWsl(facts({ host: ok({ platform: 'darwin', kernel: '23.0.0' }) })),
    null,
    'a Mac without an answer from the daemon: unknown',
  );
  assert.equal(isWsl(facts({})), null);
});
