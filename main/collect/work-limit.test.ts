import assert from 'node:assert/strict';
import { mock, test } from 'node:test';
import { TimeoutError } from '../util/timeout';
import { PER_OBJECT_MS, withWorkLimit, workLimitMs } from './work-limit';

test('the limit grows with the containers and images the daemon reports', () => {
  assert.equal(workLimitMs(10_000, 0), 10_000);
  assert.equal(workLimitMs(10_000, 5_000), 10_000 + 5_000 * PER_OBJECT_MS);
  assert.ok(workLimitMs(10_000, 5_000) >= 100_000, 'a 5,000-container host gets well over the old fixed 10 s');
  assert.equal(workLimitMs(2_000, -3), 2_000);
});

test('a limit that grew while the work ran is waited out; one that did not is enforced (mocked clock)', async (t) => {
  mock.timers.enable({ apis: ['setTimeout', 'Date'] });
  t.after(() => mock.timers.reset());
  let objects = 0;
  let finish!: (value: string) => void;
  const grown = withWorkLimit(
    'collector containers',
    () => workLimitMs(1_000, objects),
    () => new Promise<string>((resolve) => (finish = resolve)),
  );
  objects = 500; // /info answered: 1 s + 500 objects
  mock.timers.tick(1_000); // the base limit ran out: it is asked again and has grown
  mock.timers.tick(5_000);
  finish('done');
  assert.equal(await grown, 'done');

  const fixed = withWorkLimit(
    'collector images',
    () => workLimitMs(1_000, 0),
    () => new Promise<string>(() => undefined),
  );
  mock.timers.tick(1_000);
  await assert.rejects(
    fixed,
    (error: unknown) => error instanceof TimeoutError && /collector images did not answer within 1 s/.test(error.message),
  );
});
