/** Engine versions are compared by major.minor: daemon.json options change between minor releases, never in patches. */
export interface MinorVersion {
  major: number;
  minor: number;
}

export const NEWEST_KNOWN = '28.5';

/** "20.10.24+dfsg1" → {20, 10}; "v28.2.2" → {28, 2}; null when it is not a version. */
export function parseMinor(version: string): MinorVersion | null {
  const m = /^v?(\d+)\.(\d+)/.exec(version.trim());
  return m ? { major: Number(m[1]), minor: Number(m[2]) } : null;
}

export function compareMinor(a: string, b: string): number {
  const x = parseMinor(a);
  const y = parseMinor(b);
  if (!x || !y) throw new Error(`cannot compare engine versions '${a}' and '${b}'`);
  return x.major - y.major || x.minor - y.minor;
}

export function formatMinor(version: string): string {
  const v = parseMinor(version);
  return v ? `${v.major}.${v.minor}` : version;
}

/** Whether an option present `since` and removed at `until` exists in `version`. */
export function inRange(version: string, since: string, until?: string): boolean {
  return compareMinor(version, since) >= 0 && (until === undefined || compareMinor(version, until) < 0);
}
