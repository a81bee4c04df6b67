/**
 * Apple .icns holding PNGs: the magic "icns" and the total length, then one chunk per image (OSType, length including
 * its 8-byte header, PNG). The OSTypes below are the PNG-capable ones macOS 10.7+ reads, each for one pixel size.
 */
export const ICNS_TYPES: readonly { type: string; pixels: number }[] = [
  { type: 'icp4', pixels: 16 },
  { type: 'icp5', pixels: 32 },
  { type: 'ic11', pixels: 32 }, // 16pt @2x
  { type: 'ic12', pixels: 64 }, // 32pt @2x
  { type: 'ic07', pixels: 128 },
  { type: 'ic13', pixels: 256 }, // 128pt @2x
  { type: 'ic08', pixels: 256 },
  { type: 'ic14', pixels: 512 }, // 256pt @2x
  { type: 'ic09', pixels: 512 },
  { type: 'ic10', pixels: 1024 }, // 512pt @2x
];

export function encodeIcns(pngBySize: ReadonlyMap<number, Buffer>): Buffer {
  const chunks = ICNS_TYPES.map(({ type, pixels }) => {
    const png = pngBySize.get(pixels);
    if (!png) throw new Error(`no ${pixels}px PNG for ${type}`);
    const head = Buffer.alloc(8);
    head.write(type, 0, 'latin1');
    head.writeUInt32BE(png.length + 8, 4);
    return Buffer.concat([head, png]);
  });
  const body = Buffer.concat(chunks);
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'latin1');
  head.writeUInt32BE(body.length + 8, 4);
  return Buffer.concat([head, body]);
}

export function decodeIcnsChunks(icns: Buffer): { type: string; png: Buffer }[] {
  if (icns.toString('latin1', 0, 4) !== 'icns' || icns.readUInt32BE(4) !== icns.length)
    throw new Error('not an .icns file (or a truncated one)');
  const chunks: { type: string; png: Buffer }[] = [];
  for (let at = 8; at < icns.length;) {
    const length = icns.readUInt32BE(at + 4);
    chunks.push({ type: icns.toString('latin1', at, at + 4), png: icns.subarray(at + 8, at + length) });
    at += length;
  }
  return chunks;
}
