// test-needs: dockerd, build
// What an audit, `disk` and `prune plan` load: none of the libraries kept in dist/vendor/ (zod, systeminformation,
// yaml, ws, diff). Each costs start-up time on every run (zod alone ~40 ms) and none of these commands needs one; a
// value imported from a schema module is the usual way one slips back in (shared/facts/vocabulary.ts says why).
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { dockhand } from '../support/cli';
import { type PrivateDockerd, runningDockerd } from '../support/dockerd';

let daemon: PrivateDockerd;
let dir: string;

before(async () => {
  daemon = await runningDockerd({ daemonJson: {} });
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dkh-startup-'));
  // Written at exit: every file this process loaded through require, the bundle's vendor files among them.
  await fs.writeFile(
    path.join(dir, 'loaded.cjs'),
    "process.once('exit', () => require('node:fs').writeFileSync(process.env.DKH_LOADED, JSON.stringify(Object.keys(require.cache))));\n",
  );
});

after(async () => {
  await daemon?.stop();
  if (dir) await fs.rm(dir, { recursive: true, force: true });
});

const commands: string[][] = [
  ['audit', '--format', 'json'],
  ['audit'],
  ['disk', '--format', 'json'],
  ['disk'],
  ['prune', 'plan', '--format', 'json'],
];

for (const args of commands) {
  test(`dockhand ${args.join(' ')} loads no vendored library`, async () => {
    const loadedFile = path.join(dir, `${args.join('-')}.json`);
    const result = await dockhand([...args, '--host', daemon.host], {
      // Without the code cache the bundle itself is required too, which shows the probe works.
      env: {
        ...process.env,
        NODE_OPTIONS: `--require=${path.join(dir, 'loaded.cjs')}`,
        DKH_LOADED: loadedFile,
        DOCKHAND_NO_COMPILE_CACHE: '1',
      },
    });
    assert.ok(result.code === 0 || result.code === 1, `exit ${result.code}: ${result.stderr}`);
    const loaded = JSON.parse(await fs.readFile(loadedFile, 'utf8')) as string[];
    assert.ok(
      loaded.some((f) => f.endsWith(path.join('dist', 'cli.cjs'))),
      `the probe saw the bundle load: ${loaded.join(', ')}`,
    );
    assert.deepEqual(
      loaded.filter((f) => f.includes(`${path.sep}vendor${path.sep}`)),
      [],
    );
  });
}
