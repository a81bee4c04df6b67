import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_PRUNE_OPTIONS } from '../../../shared/prune-input';
import { DEFAULT_DRAFT, readPruneDraft } from './prune-draft';

test('the default draft is the default form: what `dockhand prune plan` does without options', () => {
  assert.deepEqual(readPruneDraft(DEFAULT_DRAFT), { form: DEFAULT_PRUNE_OPTIONS, errors: { labelFilters: new Map() } });
});

test('volume names, label filters and the protection label become the API form; empty filter rows are ignored', () => {
  const { form } = readPruneDraft({
    ...DEFAULT_DRAFT,
    until: ' 168h ',
    volumeNames: 'pgdata, cache  pgdata',
    labelFilters: [
      { id: 1, negate: false, key: 'env', value: 'dev' },
      { id: 2, negate: true, key: ' keep ', value: '' },
      { id: 3, negate: false, key: '', value: '' },
    ],
    protectLabel: 'team.protect',
  });
  assert.deepEqual(form, {
    ...DEFAULT_PRUNE_OPTIONS,
    until: '168h',
    volumeNames: ['pgdata', 'cache'],
    labelFilters: [
      { key: 'env', value: 'dev', negate: false },
      { key: 'keep', value: null, negate: true },
    ],
    protectLabel: 'team.protect',
  });
});

test('what is not valid yet is explained per field, and there is no form to plan with', () => {
  const { form, errors } = readPruneDraft({
    ...DEFAULT_DRAFT,
    until: 'a week',
    volumeNames: 'ok-name, -bad, x',
    labelFilters: [
      { id: 7, negate: false, key: 'a=b', value: '' },
      { id: 8, negate: false, key: '', value: 'orphan' },
    ],
    protectLabel: '',
  });
  assert.equal(form, null);
  assert.match(errors.until!, /Not a duration/);
  assert.match(errors.volumeNames!, /Not a volume name: -bad, x/);
  assert.match(errors.protectLabel!, /label key/);
  assert.match(errors.labelFilters.get(7)!, /no = or spaces/);
  assert.match(errors.labelFilters.get(8)!, /Give the label key/);
});
