// The layer rules (.dependency-cruiser.cjs) run on small trees shaped like this repo: one that keeps the rules passes,
// and each kind of breach (an import against the layers, a cycle, a dead module) fails `npm run lint:deps` by name.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';

const repo = path.resolve(import.meta.dirname, '..');
const depcruise = path.join(repo, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');
const made: string[] = [];
after(() => Promise.all(made.map((dir) => fs.rm(dir, { recursive: true, force: true }))));

/** A tree with the repo's rule file and tsconfig and the given sources; depcruise's answer on it. */
async function cruise(files: Record<string, string>): Promise<{ status: number | null; output: string }> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dkh-layers-'));
  made.push(dir);
  await fs.writeFile(
    path.join(dir, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { module: 'ESNext', moduleResolution: 'bundler', strict: true } }),
  );
  for (const [name, text] of Object.entries(files)) {
    await fs.mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await fs.writeFile(path.join(dir, name), text);
  }
  const r = spawnSync(
    process.execPath,
    [depcruise, '--config', path.join(repo, '.dependency-cruiser.cjs'), '--output-type', 'err', 'main', 'shared', 'renderer'],
    { cwd: dir, encoding: 'utf8' },
  );
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

/** discover → collect → checks → report, each importing the one below: what the rules allow. */
const HEALTHY = {
  'shared/facts.ts': 'export interface Facts { ok: boolean }\n',
  'main/collect/collect.ts': "import type { Facts } from '../../shared/facts';\nexport const collect = (): Facts => ({ ok: true });\n",
  'main/checks/check.ts': "import type { Facts } from '../../shared/facts';\nexport const check = (f: Facts) => f.ok;\n",
  'main/audit.ts':
    "import { collect } from './collect/collect';\nimport { check } from './checks/check';\nexport const audit = () => check(collect());\n",
  'main/cli/index.ts': "import { audit } from '../audit';\naudit();\n",
  'renderer/src/main.tsx': "import type { Facts } from '../../shared/facts';\nexport const shown: Facts | null = null;\n",
};

test('a tree that keeps the layers passes', async () => {
  const { status, output } = await cruise(HEALTHY);
  assert.equal(status, 0, output);
  assert.match(output, /no dependency violations found/);
});

test('a check that imports a collector fails: checks are pure functions of the facts', async () => {
  const { status, output } = await cruise({
    ...HEALTHY,
    'main/checks/check.ts': "import { collect } from '../collect/collect';\nexport const check = () => collect().ok;\n",
  });
  assert.notEqual(status, 0);
  assert.match(output, /not-in-allowed: main\/checks\/check\.ts → main\/collect\/collect\.ts/);
});

test('the renderer importing main, or shared importing anything outside shared, fails', async () => {
  const { status, output } = await cruise({
    ...HEALTHY,
    'renderer/src/main.tsx': "import { audit } from '../../main/audit';\nexport const run = audit;\n",
    'shared/facts.ts':
      "import { collect } from '../main/collect/collect';\nexport interface Facts { ok: boolean }\nexport const again = collect;\n",
  });
  assert.notEqual(status, 0);
  assert.match(output, /not-in-allowed: renderer\/src\/main\.tsx → main\/audit\.ts/);
  assert.match(output, /not-in-allowed: shared\/facts\.ts → main\/collect\/collect\.ts/);
});

test('an import cycle fails, even inside one layer and through types only', async () => {
  const { status, output } = await cruise({
    ...HEALTHY,
    'main/checks/check.ts':
      "import type { Facts } from '../../shared/facts';\nimport type { Helper } from './helper';\nexport const check = (f: Facts): Helper => f.ok;\nexport type Checked = boolean;\n",
    'main/checks/helper.ts': "import type { Checked } from './check';\nexport type Helper = Checked;\n",
  });
  assert.notEqual(status, 0);
  assert.match(output, /no-circular: main\/checks\/check\.ts →\s+main\/checks\/helper\.ts →\s+main\/checks\/check\.ts/);
});

test('a module that nothing imports and that imports nothing fails as dead code', async () => {
  const { status, output } = await cruise({ ...HEALTHY, 'main/checks/forgotten.ts': 'export const forgotten = 1;\n' });
  assert.notEqual(status, 0);
  assert.match(output, /no-orphans: main\/checks\/forgotten\.ts/);
});

test('an import that does not resolve (a module moved without its importers) fails', async () => {
  const { status, output } = await cruise({
    ...HEALTHY,
    'main/audit.ts':
      "import { collect } from './collect/gone';\nimport { check } from './checks/check';\nexport const audit = () => check(collect());\n",
  });
  assert.notEqual(status, 0);
  assert.match(output, /no-unresolvable: main\/audit\.ts → \.\/collect\/gone/);
});
