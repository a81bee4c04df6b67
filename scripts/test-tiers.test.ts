import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { declaredNeeds, fastTests, findTests, tierClassifier } from './test-tiers';

const repo = path.resolve(import.meta.dirname, '..');
const needsIn = (needs: Map<string, string>) => [...needs.keys()].sort();

describe('the tiers of this repository', () => {
  const needsOf = tierClassifier();
  const of = (file: string) => needsOf(path.join(repo, file));

  test('a test that starts dockerd, Chromium, sshd or the built CLI is out of the fast tier, with the helper that says so', () => {
    assert.deepEqual(needsIn(of('main/collect/engine.test.ts')), ['dockerd', 'root']);
    assert.equal(of('main/collect/engine.test.ts').get('dockerd'), path.join(repo, 'test/support/dockerd.ts'));
    assert.deepEqual(needsIn(of('test/golden-image.test.ts')), ['build', 'chromium', 'dockerd', 'root']);
    assert.deepEqual(needsIn(of('test/security/prune-ssh.test.ts')), ['build', 'dockerd', 'root', 'sshd']);
    assert.deepEqual(needsIn(of('e2e/serve-security.test.ts')), ['build'], 'dockhand serve is the built CLI');
  });

  test('root reached through another helper, or declared by the test file itself', () => {
    assert.deepEqual(needsIn(of('main/fix/target-path.test.ts')), ['root'], 'through test/support/elevation.ts');
    assert.deepEqual(needsIn(of('main/policy/policy.test.ts')), ['root'], 'through test/support/rootfs.ts (chown)');
    assert.equal(of('main/preflight/host-facts.test.ts').get('root'), path.join(repo, 'main/preflight/host-facts.test.ts'));
  });

  test('the pure checks, policy, report formats, pre-flight and planners are in the fast tier', () => {
    const pure = [
      'main/report/formats.test.ts',
      'main/policy/load.test.ts',
      'main/preflight/preflight.test.ts',
      'main/preflight/preflight.oracle.test.ts',
      'main/prune/plan.test.ts',
      'main/fix/builders.test.ts',
      'main/checks/registry.test.ts',
      'shared/schemas.test.ts',
      'scripts/test-tiers.test.ts',
    ];
    for (const file of pure) assert.deepEqual(needsIn(of(file)), [], file);
    const fast = fastTests(findTests(repo), repo);
    for (const file of pure) assert.ok(fast.includes(file), file);
    assert.ok(!fast.includes('main/collect/engine.test.ts'));
  });
});

describe('classifying a tree', () => {
  let root: string;
  const write = async (file: string, text: string) => {
    await fs.mkdir(path.dirname(path.join(root, file)), { recursive: true });
    await fs.writeFile(path.join(root, file), text);
  };
  before(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'dkh-tiers-'));
    await write('test/support/daemon.ts', '// test-needs: root, dockerd — a private daemon\nexport const start = () => 1;\n');
    await write('test/support/browser.ts', '/* a browser */\n// test-needs: chromium\nexport const launch = () => 1;\n');
    await write('test/support/both.ts', "export * from './daemon';\n");
    await write('main/pure.ts', "import { z } from 'zod';\nexport const pure = z.string();\n");
    await write(
      'main/pure.test.ts',
      "import { test } from 'node:test';\nimport { pure } from './pure';\n// a test-needs: root comment in prose is no marker\ntest('x', () => pure);\n",
    );
    await write('main/through-reexport.test.ts', "import { start } from '../test/support/both.js';\nstart();\n");
    await write('main/dynamic.test.ts', "const { launch } = await import('../test/support/browser');\nlaunch();\n");
    await write('main/type-only.test.ts', "import type { start } from '../test/support/daemon';\nexport type S = typeof start;\n");
  });
  after(() => fs.rm(root, { recursive: true, force: true }));

  test('a new pure test is fast without a list to edit; needs follow re-exports, .js specifiers and dynamic imports', () => {
    const needsOf = tierClassifier();
    assert.deepEqual(needsIn(needsOf(path.join(root, 'main/pure.test.ts'))), []);
    assert.deepEqual(needsIn(needsOf(path.join(root, 'main/through-reexport.test.ts'))), ['dockerd', 'root']);
    assert.deepEqual(needsIn(needsOf(path.join(root, 'main/dynamic.test.ts'))), ['chromium']);
    assert.deepEqual(fastTests(findTests(root), root), ['main/pure.test.ts']);
  });

  test('a type-only import counts too: the classifier errs toward the full tier', () => {
    assert.deepEqual(needsIn(tierClassifier()(path.join(root, 'main/type-only.test.ts'))), ['dockerd', 'root']);
  });

  test('an unknown need is an error, not a fast test; words after the list are the why', () => {
    assert.throws(() => declaredNeeds('x.ts', '// test-needs: root, dokerd\n'), /x\.ts: unknown test need "dokerd"/);
    assert.deepEqual([...declaredNeeds('x.ts', '  // test-needs: sshd — a real OpenSSH server, as root\n')], ['sshd']);
    assert.deepEqual([...declaredNeeds('x.ts', 'const s = 1; // test-needs: root\n')], [], 'a marker starts its line');
  });

  test('findTests: test files only, without node_modules and dist, narrowed by words', () => {
    assert.deepEqual(findTests(root), [
      'main/dynamic.test.ts',
      'main/pure.test.ts',
      'main/through-reexport.test.ts',
      'main/type-only.test.ts',
    ]);
    assert.deepEqual(findTests(root, ['pure', 'dynamic']), ['main/dynamic.test.ts', 'main/pure.test.ts']);
  });
});
