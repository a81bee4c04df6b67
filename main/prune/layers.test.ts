import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { alignHistory, alignImages, attributeFreedBytes, chainIds, type HistoryStep, indexLayers } from './layers';

const step = (size: number, createdBy: string): HistoryStep => ({ size, createdBy, comment: 'buildkit.dockerfile.v0' });
const d = (n: number) => `sha256:${String(n).padStart(64, '0')}`;

describe('layer accounting (pure)', () => {
  test('ChainIDs follow the image spec: the first is the DiffID, then sha256 of "parent diff"', () => {
    // Values read from a real Engine 20.10 (layerdb/sha256/<chainid>/diff of an image built FROM an imported busybox).
    const chain = chainIds([
      'sha256:16ef9e71b6cd4f35d696c33208decf6c2d331faad5fffefecc53dccf7bb6507b',
      'sha256:9051a962266baf47ed99090b3d55a055b4283bd4cc47d69ab85fb5df2ba3c22b',
      'sha256:7791dd14ed6de9927b93ea30aad35269f4669b070e064acab8a37d5ab292020b',
      'sha256:8b3784a0b1e5b063bad43132ea77eec9757bcfd4f567f781bb34994b1e24c139',
    ]);
    assert.deepEqual(chain, [
      'sha256:16ef9e71b6cd4f35d696c33208decf6c2d331faad5fffefecc53dccf7bb6507b',
      'sha256:f182c17d5faf008b3913c3236e78d600cc8cff0aab57a4a0e97166a8e6db321d',
      'sha256:cda8aaa1779d8eeaeba4bca6f518df27df82af9bac1c72ef17527854b13b18d8',
      'sha256:95fdf5064d8feac5856917836ff59088520431a217fb5e2b83955fc892e8026b',
    ]);
  });

  test('history aligns to layers: config-only steps have no layer, WORKDIR and RUN of size 0 do', () => {
    const history = [
      step(1982291, ''),
      step(0, 'ENV A=1'),
      step(0, 'WORKDIR /app'),
      step(3000000, 'RUN /bin/sh -c head -c 3000000 /dev/urandom > /app/shared.bin # buildkit'),
      step(0, 'LABEL x=y'),
      step(0, 'RUN /bin/sh -c mkdir /data # buildkit'),
    ];
    assert.deepEqual(alignHistory(history, 4), { sizes: [1982291, 0, 3000000, 0], ambiguousBytes: 0 });
    const classic = [step(100, ''), step(0, '/bin/sh -c #(nop)  CMD ["sh"]'), step(50, '/bin/sh -c echo hi > /x')];
    assert.deepEqual(alignHistory(classic, 2), { sizes: [100, 50], ambiguousBytes: 0 });
  });

  test('an alignment that cannot be settled says how many bytes it is unsure of', () => {
    // Two zero-byte steps that are not config-only, one zero layer to place: the 70 bytes after them could sit either side.
    const history = [step(10, ''), step(0, 'RUN /bin/sh -c mkdir /a'), step(0, 'RUN /bin/sh -c true'), step(70, 'COPY x /x')];
    const aligned = alignHistory(history, 3);
    assert.deepEqual(aligned.sizes, [10, 0, 70]);
    assert.equal(aligned.ambiguousBytes, 70);
    assert.deepEqual(
      alignHistory([step(5, ''), step(6, '')], 1),
      { sizes: [11], ambiguousBytes: 11 },
      'more sized steps than layers: all on top, all unsure',
    );
  });

  test('a child reuses its base image alignment; removing a set frees only layers no kept image uses', () => {
    const base = { id: 'base', diffIds: [d(1)], history: [step(100, '')] };
    const mid = {
      id: 'mid',
      diffIds: [d(1), d(2), d(3)],
      history: [...base.history, step(0, 'WORKDIR /app'), step(30, 'RUN a'), step(0, 'ENV x=1')],
    };
    const childA = { id: 'childA', diffIds: [...mid.diffIds, d(4)], history: [...mid.history, step(7, 'RUN b')] };
    const childB = { id: 'childB', diffIds: [...mid.diffIds, d(5)], history: [...mid.history, step(9, 'RUN c')] };
    const aligned = alignImages([childB, childA, mid, base]);
    assert.deepEqual(aligned.get('childA')!.sizes, [100, 0, 30, 7]);
    assert.deepEqual(aligned.get('childB')!.sizes, [100, 0, 30, 9]);
    const index = indexLayers(aligned);
    assert.equal(index.users.get(chainIds(mid.diffIds)[2]!)!.length, 3, 'mid top layer is used by mid and both children');

    // Remove childB and mid, keep childA and base: only childB's own layer goes.
    const freed = attributeFreedBytes(index, aligned, ['childB', 'mid']);
    assert.deepEqual(
      [...freed],
      [
        ['childB', 9],
        ['mid', 0],
      ],
    );
    // Remove everything but base: the shared middle layers are counted once, on the last image using them.
    const all = attributeFreedBytes(index, aligned, ['childA', 'childB', 'mid']);
    assert.deepEqual(
      [...all],
      [
        ['childA', 7],
        ['childB', 9],
        ['mid', 30],
      ],
    );
    assert.equal(
      [...attributeFreedBytes(index, aligned, ['childA', 'childB', 'mid', 'base']).values()].reduce((a, b) => a + b, 0),
      146,
    );
  });
});
