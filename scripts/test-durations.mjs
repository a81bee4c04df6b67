// A node:test reporter beside spec: at the end of the run, how long each test file took, slowest first, and the total.
// With --test the runner reports each file it ran as a top-level test named by its path (test:complete: absolute on
// node 20, as given on the command line on 22), timed from the start of the file's process to its end: a file's time
// includes loading it, not only its tests. Plain JavaScript: node 20 loads reporters without the --import hooks, so
// tsx cannot load it there (types: test-durations.d.mts).
import path from 'node:path';

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`.padStart(9);

/** @type {import('./test-durations.d.mts').durationTable} */
export function durationTable(times, wallMs, cwd = process.cwd()) {
  const total = times.reduce((sum, t) => sum + t.ms, 0);
  return [
    '',
    'Time per test file, slowest first:',
    ...[...times].sort((a, b) => b.ms - a.ms).map((t) => `${seconds(t.ms)}  ${path.relative(cwd, t.file)}${t.passed ? '' : '  (failed)'}`),
    `${seconds(total)}  total of ${times.length} file${times.length === 1 ? '' : 's'}, ${(wallMs / 1000).toFixed(1)} s of wall time (files run side by side)`,
    '',
  ].join('\n');
}

/** @type {import('./test-durations.d.mts').fileTime} */
export function fileTime(event) {
  if (event.type !== 'test:complete') return undefined;
  const { data } = event;
  if (data.nesting !== 0 || !data.file || path.resolve(data.name) !== data.file) return undefined;
  return { file: data.file, ms: data.details.duration_ms, passed: data.details.passed };
}

export default async function* durations(source) {
  const started = performance.now();
  const times = [];
  for await (const event of source) {
    const time = fileTime(event);
    if (time) times.push(time);
  }
  if (times.length > 0) yield durationTable(times, performance.now() - started);
}
