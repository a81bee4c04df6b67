import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { durationTable } from './test-durations.mjs';

test('the table: slowest first, failed files marked, the sum and the wall time', () => {
  const table = durationTable(
    [
      { file: '/repo/a.test.ts', ms: 1_250, passed: true },
      { file: '/repo/main/b.test.ts', ms: 61_000, passed: false },
      { file: '/repo/c.test.ts', ms: 40, passed: true },
    ],
    30_500,
    '/repo',
  );
  assert.equal(
    table,
    [
      '',
      'Time per test file, slowest first:',
      '   61.0 s  main/b.test.ts  (failed)',
      '    1.3 s  a.test.ts',
      '    0.0 s  c.test.ts',
      '   62.3 s  total of 3 files, 30.5 s of wall time (files run side by side)',
      '',
    ].join('\n'),
  );
});

test('node --test with spec and this reporter: spec as before, then one line per file the runner started', async (t) => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dkh-durations-'));
  t.after(() => fs.rm(dir, { recursive: true, force: true }));
  await fs.writeFile(
    path.join(dir, 'passes.test.mjs'),
    "import { test } from 'node:test';\ntest('one', () => {});\ntest('two', () => {});\n",
  );
  await fs.writeFile(
    path.join(dir, 'fails.test.mjs'),
    "import { test } from 'node:test';\ntest('three', () => { throw new Error('no'); });\n",
  );
  await fs.writeFile(path.join(dir, 'crashes.test.mjs'), "throw new Error('at load');\n");
  const reporter = path.join(import.meta.dirname, 'test-durations.mjs');
  const args = [
    '--test',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    `--test-reporter=${reporter}`,
    '--test-reporter-destination=stdout',
    'passes.test.mjs',
    'fails.test.mjs',
    'crashes.test.mjs',
  ];
  // Without the variable that tells a runner it runs under another (this test's), which would make it report in v8's
  // serialisation to its parent instead of through reporters.
  const { NODE_TEST_CONTEXT: _, ...env } = process.env;
  const out = await new Promise<string>((resolve) =>
    execFile(process.execPath, args, { cwd: dir, env }, (_err, stdout) => resolve(stdout)),
  );
  assert.match(out, /✔ two/, 'the spec reporter still prints each test');
  const table = out.slice(out.indexOf('Time per test file, slowest first:')).trim().split('\n');
  assert.equal(table.length, 5, out);
  assert.deepEqual(
    table
      .slice(1, 4)
      .map((l) => l.replace(/^ *\d+\.\d s {2}/, ''))
      .sort(),
    ['crashes.test.mjs  (failed)', 'fails.test.mjs  (failed)', 'passes.test.mjs'],
  );
  assert.match(table[4]!, /^ *\d+\.\d s {2}total of 3 files, \d+\.\d s of wall time/);
});
