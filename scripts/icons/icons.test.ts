import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeIcnsChunks, encodeIcns, ICNS_TYPES } from './icns';
import { decodeIcoSizes, encodeIco, PNG_SIGNATURE } from './ico';

const fakePng = (tag: number) => Buffer.concat([PNG_SIGNATURE, Buffer.from([tag, tag, tag])]);

test('ico: directory entries point at each PNG; 256 is written as 0', () => {
  const ico = encodeIco([
    { size: 16, png: fakePng(1) },
    { size: 256, png: fakePng(2) },
  ]);
  assert.equal(ico.readUInt8(6 + 16), 0, '256 px is stored as 0');
  assert.deepEqual(decodeIcoSizes(ico), [
    { size: 16, bytes: 11, isPng: true },
    { size: 256, bytes: 11, isPng: true },
  ]);
  assert.throws(() => encodeIco([{ size: 512, png: fakePng(3) }]), /1 to 256/);
});

test('icns: chunks in order with lengths that add up; every size is required', () => {
  const pngs = new Map(ICNS_TYPES.map((t) => [t.pixels, fakePng(t.pixels % 251)]));
  const icns = encodeIcns(pngs);
  assert.equal(icns.readUInt32BE(4), icns.length);
  const chunks = decodeIcnsChunks(icns);
  assert.deepEqual(
    chunks.map((c) => c.type),
    ICNS_TYPES.map((t) => t.type),
  );
  assert.ok(chunks.every((c, i) => c.png.equals(pngs.get(ICNS_TYPES[i]!.pixels)!)));
  assert.throws(() => encodeIcns(new Map([[16, fakePng(1)]])), /no 32px PNG/);
  assert.throws(() => decodeIcnsChunks(icns.subarray(0, 100)), /truncated/);
});
