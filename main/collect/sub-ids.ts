import type { Fact } from '../../shared/fact';
import type { SubIdsFact } from '../../shared/facts/host-files';
import type { Source } from '../../shared/source';
import { type CollectContext, failure } from './context';
import { MAX_ACCOUNT_BYTES, linuxOnly, readOptional, lines, INTEGER } from './host-text';

/** subuid(5)/subgid(5): `name-or-uid:start:count`, one range a line. */
export function parseSubIds(text: string, file: string): { ranges: SubIdsFact['subuid']; malformed: SubIdsFact['malformed'] } {
  const ranges: SubIdsFact['subuid'] = [];
  const malformed: SubIdsFact['malformed'] = [];
  lines(text).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const f = line.split(':');
    if (f.length !== 3 || f[0] === '' || !INTEGER.test(f[1]!) || !INTEGER.test(f[2]!)) {
      malformed.push({ path: file, line: index + 1, text: raw });
      return;
    }
    ranges.push({ user: f[0]!, start: Number(f[1]), count: Number(f[2]), line: index + 1 });
  });
  return { ranges, malformed };
}

/** A missing /etc/subuid or /etc/subgid means "no ranges" (shadow-utils reads it so), not an error. */
export async function collectSubIds(ctx: CollectContext): Promise<Fact<SubIdsFact>> {
  const { host } = ctx;
  const unsupported = linuxOnly(host, 'subordinate id ranges (/etc/subuid, /etc/subgid)');
  if (unsupported) return failure(unsupported);
  const sources: Source[] = [];
  const value: SubIdsFact = { subuid: [], subgid: [], malformed: [] };
  try {
    for (const [file, key] of [
      ['/etc/subuid', 'subuid'],
      ['/etc/subgid', 'subgid'],
    ] as const) {
      const text = await readOptional(host, file, MAX_ACCOUNT_BYTES);
      if (text === null) continue;
      sources.push({ kind: 'file', path: host.displayPath(file) });
      const parsed = parseSubIds(text, host.displayPath(file));
      value[key] = parsed.ranges;
      value.malformed.push(...parsed.malformed);
    }
    return { ok: true, value, sources };
  } catch (error) {
    return failure(error, sources);
  }
}
