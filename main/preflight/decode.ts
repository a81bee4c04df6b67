/** How daemon.json's bytes were encoded; engines differ in what they accept (docs/preflight-rules.md §a). */
export type ConfigEncoding = 'utf8' | 'utf16' | 'invalid-utf8';

/** Decodes daemon.json bytes the way a user's editor saved them: UTF-8 (a BOM is kept as U+FEFF), or UTF-16 with a BOM. */
export function decodeConfigBytes(bytes: Uint8Array): { text: string; encoding: ConfigEncoding } {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf16' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf16' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes), encoding: 'utf8' };
  } catch {
    return { text: new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes), encoding: 'invalid-utf8' };
  }
}
