import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  apiVersionNumber,
  engineMajor,
  failedLabelFilter,
  isAnonymousVolume,
  isProtected,
  parseGoDuration,
  parseLabelFilter,
  PruneInputError,
  untilCutoff,
} from './filters';

describe('prune filters (pure)', () => {
  test('--until takes Go durations and timestamps, and refuses anything else', () => {
    assert.equal(parseGoDuration('168h'), 168 * 3_600_000);
    assert.equal(parseGoDuration('1h30m'), 90 * 60_000);
    assert.equal(parseGoDuration('1.5s'), 1500);
    assert.equal(parseGoDuration('7d'), null, 'Go has no day unit; docker refuses it too');
    const now = new Date('2024-05-08T00:00:00Z');
    assert.equal(untilCutoff('168h', now).toISOString(), '2024-05-01T00:00:00.000Z');
    assert.equal(untilCutoff('2024-05-01T12:00:00Z', now).toISOString(), '2024-05-01T12:00:00.000Z');
    assert.equal(untilCutoff('1714521600', now).toISOString(), '2024-05-01T00:00:00.000Z');
    assert.throws(() => untilCutoff('last week', now), PruneInputError);
  });

  test('label filters combine like docker: all must hold, != excludes', () => {
    const labels = { team: 'web', tier: 'cache' };
    assert.equal(failedLabelFilter(labels, [parseLabelFilter('label=team'), parseLabelFilter('label=tier=cache')]), null);
    assert.deepEqual(failedLabelFilter(labels, [parseLabelFilter('label=team=db')]), { key: 'team', value: 'db', negate: false });
    assert.deepEqual(failedLabelFilter(labels, [parseLabelFilter('label!=tier')]), { key: 'tier', value: null, negate: true });
    assert.equal(failedLabelFilter(labels, [parseLabelFilter('label!=tier=db')]), null);
    assert.throws(() => parseLabelFilter('until=24h'), /use --until/);
    assert.throws(() => parseLabelFilter('label='), PruneInputError);
  });

  test('protection needs the label set to true', () => {
    assert.equal(isProtected({ 'dockhand.protect': 'true' }, 'dockhand.protect'), true);
    assert.equal(isProtected({ 'dockhand.protect': 'TRUE' }, 'dockhand.protect'), true);
    assert.equal(isProtected({ 'dockhand.protect': 'false' }, 'dockhand.protect'), false);
    assert.equal(isProtected({ keep: 'true' }, 'dockhand.protect'), false);
    assert.equal(isProtected({ keep: 'true' }, 'keep'), true);
  });

  test('anonymous volumes: by label from Engine 23, by a 64-hex name before', () => {
    const hex = 'a'.repeat(64);
    assert.equal(isAnonymousVolume(hex, {}, 20), true);
    assert.equal(isAnonymousVolume('data', {}, 20), false);
    assert.equal(isAnonymousVolume(hex, {}, 24), false, 'on 23+ an unlabelled volume is named, whatever its name');
    assert.equal(isAnonymousVolume(hex, { 'com.docker.volume.anonymous': '' }, 27), true);
    assert.equal(engineMajor('20.10.24+dfsg1'), 20);
    assert.equal(engineMajor('28.1.1'), 28);
    assert.ok(apiVersionNumber('1.42') > apiVersionNumber('1.41'));
    assert.ok(apiVersionNumber('1.100') > apiVersionNumber('1.99'));
  });
});
