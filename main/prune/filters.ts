import type { LabelFilter } from '../../shared/prune';
import { GO_DURATION, labelFilterText } from '../../shared/prune-input';

/** A prune option the user got wrong; the CLI turns it into exit 2 with this message. */
export class PruneInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PruneInputError';
  }
}

const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** A Go duration as docker's `until` filter takes it: "168h", "1h30m", "90s", "1.5h". */
export function parseGoDuration(text: string): number | null {
  const t = text.trim();
  if (!GO_DURATION.test(t)) return null;
  let ms = 0;
  for (const [, value, unit] of t.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) ms += Number(value) * UNIT_MS[unit!]!;
  return ms;
}

/**
 * The instant `--until` means: a duration before `now`, or a timestamp (RFC 3339, or Unix seconds) as docker accepts.
 * Objects created after it are kept.
 */
export function untilCutoff(until: string, now: Date): Date {
  const duration = parseGoDuration(until);
  if (duration !== null) return new Date(now.getTime() - duration);
  if (/^\d+(\.\d+)?$/.test(until)) return new Date(Number(until) * 1000);
  if (/^\d{4}-\d{2}-\d{2}/.test(until)) {
    const at = new Date(until);
    if (!Number.isNaN(at.getTime())) return at;
  }
  throw new PruneInputError(
    `--until ${JSON.stringify(until)}: expected a duration such as 168h or 30m, or a timestamp such as 2024-05-01T00:00:00Z`,
  );
}

/** `label=k`, `label=k=v`, `label!=k`, `label!=k=v` (the only filters besides until that prune takes). */
export function parseLabelFilter(text: string): LabelFilter {
  const m = /^label(!?)=(.*)$/.exec(text.trim());
  if (!m || m[2] === '')
    throw new PruneInputError(
      `--filter ${JSON.stringify(text)}: expected label=KEY, label=KEY=VALUE, label!=KEY or label!=KEY=VALUE (use --until for time)`,
    );
  const body = m[2]!;
  const eq = body.indexOf('=');
  return { key: eq < 0 ? body : body.slice(0, eq), value: eq < 0 ? null : body.slice(eq + 1), negate: m[1] === '!' };
}

function hasLabel(labels: Readonly<Record<string, string>>, f: LabelFilter): boolean {
  return f.key in labels && (f.value === null || labels[f.key] === f.value);
}

/** All filters must hold, as docker combines them. Returns the first that does not, or null. */
export function failedLabelFilter(labels: Readonly<Record<string, string>>, filters: readonly LabelFilter[]): LabelFilter | null {
  for (const f of filters) if (hasLabel(labels, f) === f.negate) return f;
  return null;
}

export const describeLabelFilter: (f: LabelFilter) => string = labelFilterText;

export function isProtected(labels: Readonly<Record<string, string>>, protectLabel: string): boolean {
  return labels[protectLabel]?.trim().toLowerCase() === 'true';
}

/** Volumes Docker named itself: Engine 23+ labels them; older engines give them a 64-hex name and no label. */
export function isAnonymousVolume(name: string, labels: Readonly<Record<string, string>>, engineMajor: number): boolean {
  if (engineMajor >= 23) return 'com.docker.volume.anonymous' in labels;
  return /^[0-9a-f]{64}$/.test(name);
}

/** The major version of an engine version string ("20.10.24+dfsg1" → 20); 0 when it cannot be read. */
export function engineMajor(version: string): number {
  const m = /^(\d+)\./.exec(version);
  return m ? Number(m[1]) : 0;
}

/** An API version as a comparable number ("1.41" → 1.041). */
export function apiVersionNumber(version: string): number {
  const [major, minor] = version.split('.').map(Number);
  return Number.isFinite(major) && Number.isFinite(minor) ? major! + minor! / 1000 : 0;
}
