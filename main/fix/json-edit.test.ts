import assert from 'node:assert/strict';
import { test } from 'node:test';
import { JsonEditError, setJsonKey, unsetJsonKey } from './json-edit';

const FILE = '{\n    "debug": false,\n    "insecure-registries": ["10.0.0.5:5000"],\n    "log-opts": {"max-size": "50m"}\n}\n';

test("adding a key appends one line in the file's own indentation; every other byte stays", () => {
  const out = setJsonKey(FILE, ['live-restore'], true);
  assert.equal(
    out,
    '{\n    "debug": false,\n    "insecure-registries": ["10.0.0.5:5000"],\n    "log-opts": {"max-size": "50m"},\n    "live-restore": true\n}\n',
  );
});

test('changing a value replaces only the value, keeping key order and the formatting of the others', () => {
  assert.equal(setJsonKey(FILE, ['debug'], true), FILE.replace('"debug": false', '"debug": true'));
  assert.equal(setJsonKey(FILE, ['log-opts', 'max-size'], '10m'), FILE.replace('"50m"', '"10m"'));
});

test('a key inside an inline object is added inline; a missing parent is created', () => {
  assert.equal(
    setJsonKey(FILE, ['log-opts', 'max-file'], '3'),
    FILE.replace('{"max-size": "50m"}', '{"max-size": "50m", "max-file": "3"}'),
  );
  const tabs = '{\n\t"debug": true\n}';
  assert.equal(setJsonKey(tabs, ['log-opts', 'max-size'], '10m'), '{\n\t"debug": true,\n\t"log-opts": {\n\t\t"max-size": "10m"\n\t}\n}');
});

test('an empty or missing file becomes an object holding the key; CRLF files keep CRLF', () => {
  assert.equal(setJsonKey(null, ['log-opts', 'max-size'], '10m'), '{\n  "log-opts": {\n    "max-size": "10m"\n  }\n}\n');
  assert.equal(setJsonKey('', ['icc'], false), '{\n  "icc": false\n}\n');
  assert.equal(setJsonKey('{}\n', ['icc'], false), '{\n  "icc": false\n}\n');
  assert.equal(setJsonKey('{\r\n  "a": 1\r\n}\r\n', ['b'], [1, 2]), '{\r\n  "a": 1,\r\n  "b": [\r\n    1,\r\n    2\r\n  ]\r\n}\r\n');
});

test('removing a key takes its line and comma with it; an emptied parent goes too', () => {
  assert.equal(unsetJsonKey(FILE, ['debug']), '{\n    "insecure-registries": ["10.0.0.5:5000"],\n    "log-opts": {"max-size": "50m"}\n}\n');
  assert.equal(unsetJsonKey(FILE, ['insecure-registries']), '{\n    "debug": false,\n    "log-opts": {"max-size": "50m"}\n}\n');
  assert.equal(unsetJsonKey(FILE, ['log-opts', 'max-size']), '{\n    "debug": false,\n    "insecure-registries": ["10.0.0.5:5000"]\n}\n');
  assert.equal(unsetJsonKey('{\n  "icc": false\n}\n', ['icc']), '{\n}\n');
  assert.equal(unsetJsonKey(FILE, ['absent']), FILE);
});

test('set then unset of a new key gives back the original bytes', () => {
  assert.equal(unsetJsonKey(setJsonKey(FILE, ['mtu'], 1400), ['mtu']), FILE);
});

test('a file that is not a JSON object is refused, not rewritten', () => {
  assert.throws(() => setJsonKey('[1, 2]', ['a'], 1), JsonEditError);
  assert.throws(() => setJsonKey('{"a": 1,}', ['b'], 1), JsonEditError);
  assert.throws(() => setJsonKey('{"a": ', ['b'], 1), JsonEditError);
});
