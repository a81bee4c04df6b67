import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jsonChunks } from './json-stream';

test('the pieces joined are exactly JSON.stringify: long arrays split, undefined and functions left out, toJSON kept', () => {
  const findings = Array.from({ length: 1000 }, (_, i) => ({
    id: `container.memory-limit:c-${i}`,
    result: { status: i % 2 ? 'fail' : 'warn', evidence: [{ label: 'HostConfig.Memory', value: 0 }], fix: null },
    waiver: undefined,
  }));
  const value = {
    schemaVersion: 3,
    generatedAt: new Date(0),
    host: { name: 'h"\u2028', none: undefined, f: () => 1 },
    checks: Array.from({ length: 70 }, (_, i) => ({ id: `c${i}` })),
    findings,
    holes: [undefined, () => 1, 'x'],
    empty: [],
    nested: [[1, 2], { a: null }],
  };
  const chunks = [...jsonChunks(value)];
  assert.equal(chunks.join(''), JSON.stringify(value));
  assert.ok(chunks.length > 1, 'a big report comes in more than one piece');
  assert.ok(
    chunks.every((c) => c.length < 70 * 1024),
    'no piece is the whole report',
  );
  const longHoles = Array.from({ length: 100 }, (_, i) => (i % 3 ? i : undefined));
  assert.equal([...jsonChunks(longHoles)].join(''), JSON.stringify(longHoles));
  assert.equal([...jsonChunks('plain')].join(''), JSON.stringify('plain'));
});
