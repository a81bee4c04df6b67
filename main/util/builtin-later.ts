import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * Node's own modules that only some runs need (TLS for a tcp+TLS endpoint, readline for a prompt, http for dockerode's
 * agents: ~3 ms of an audit's start-up), loaded when first asked for so that every other run's start-up does not pay
 * for them. Not `await import()`: the CLI bundle runs from V8's code cache through vm.Script (bin/dockhand.cjs), where a
 * dynamic import has no loader and fails with "A dynamic import callback was not specified".
 */
const load = createRequire(path.join(import.meta.dirname, 'builtin-later.js'));

export const httpModule = (): typeof import('node:http') => load('node:http') as typeof import('node:http');
export const tlsModule = (): typeof import('node:tls') => load('node:tls') as typeof import('node:tls');
export const httpsModule = (): typeof import('node:https') => load('node:https') as typeof import('node:https');
export const readlineModule = (): typeof import('node:readline/promises') =>
  load('node:readline/promises') as typeof import('node:readline/promises');
