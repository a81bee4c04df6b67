// Which subordinate id range a subid.add may write. A range in /etc/subuid or /etc/subgid lets its user map those ids
// into a user namespace, so a range over a real account's id (or another user's range) gives away that account's
// files. Only the user userns-remap names gets one, at or above login.defs' SUB_UID_MIN / SUB_GID_MIN, within their
// MAX, not overlapping any range in the file nor any uid or gid in use. The rules read the host's files themselves, so
// the root helper re-derives them instead of trusting the plan.
import type { FixOperation } from '../../shared/fix';

type SubIdOp = Extract<FixOperation, { op: 'subid.add' }>;

/** shadow-utils' defaults when login.defs says nothing (login.defs(5)). */
const DEFAULTS = { SUB_UID_MIN: 100_000, SUB_UID_MAX: 600_100_000, SUB_GID_MIN: 100_000, SUB_GID_MAX: 600_100_000 };
/** (uid_t)-1 is "no id": a range must end before it. */
const ID_LIMIT = 2 ** 32 - 1;

export interface SubIdPolicy {
  /** The user and group userns-remap maps onto (user:group; "default" is dockremap), or null when none is set. */
  remap: { user: string; group: string } | null;
  limits: typeof DEFAULTS;
  uidsInUse: ReadonlySet<number>;
  gidsInUse: ReadonlySet<number>;
}

export function parseLoginDefs(text: string): typeof DEFAULTS {
  const out = { ...DEFAULTS };
  for (const line of text.split('\n')) {
    const m = /^\s*(SUB_[UG]ID_(?:MIN|MAX))\s+(\d{1,10})\s*$/.exec(line);
    if (m) out[m[1] as keyof typeof DEFAULTS] = Number(m[2]);
  }
  return out;
}

/** The user and group of a userns-remap value; null for a value no subordinate range belongs to. */
export function remapNames(value: unknown): { user: string; group: string } | null {
  if (typeof value !== 'string' || value === '') return null;
  if (value === 'default') return { user: 'dockremap', group: 'dockremap' };
  const [user, group] = value.split(':');
  return user ? { user, group: group || user } : null;
}

function idsOf(text: string, field: number, minFields: number): number[] {
  return text.split('\n').flatMap((line) => {
    const f = line.split(':');
    return f.length >= minFields && /^\d+$/.test(f[field]!) ? [Number(f[field])] : [];
  });
}

export interface PolicyFiles {
  /** Reads a host file; null when it does not exist. */
  read(file: string): Promise<string | null>;
  /** daemon.json files whose current userns-remap counts when the plan does not set one. */
  daemonJsonFiles: readonly string[];
}

/** The policy from the host's files and the plan: the plan's own userns-remap, else the daemon's current one. */
export async function loadSubIdPolicy(operations: readonly FixOperation[], files: PolicyFiles): Promise<SubIdPolicy> {
  const set = operations.filter((op) => op.op === 'daemon-json.set' && op.path.length === 1 && op.path[0] === 'userns-remap');
  let remap = set.length > 0 ? remapNames((set[set.length - 1] as Extract<FixOperation, { op: 'daemon-json.set' }>).value) : null;
  if (set.length === 0) {
    for (const file of files.daemonJsonFiles) {
      try {
        remap = remapNames((JSON.parse((await files.read(file)) ?? '{}') as Record<string, unknown>)['userns-remap']);
      } catch {
        remap = null;
      }
      if (remap) break;
    }
  }
  const passwd = (await files.read('/etc/passwd')) ?? '';
  const group = (await files.read('/etc/group')) ?? '';
  return {
    remap,
    limits: parseLoginDefs((await files.read('/etc/login.defs')) ?? ''),
    uidsInUse: new Set(idsOf(passwd, 2, 7)),
    gidsInUse: new Set([...idsOf(group, 2, 4), ...idsOf(passwd, 3, 7)]),
  };
}

interface Range {
  user: string;
  start: number;
  count: number;
}

function parseSubIdRanges(text: string): Range[] {
  return text.split('\n').flatMap((line) => {
    const m = /^([^:\s]+):(\d+):(\d+)\s*$/.exec(line);
    return m ? [{ user: m[1]!, start: Number(m[2]), count: Number(m[3]) }] : [];
  });
}

/** Why `op` may not add its range to the file whose text is `text`, or null when it may. */
export function subIdProblem(op: SubIdOp, text: string, policy: SubIdPolicy): string | null {
  const uid = op.file === '/etc/subuid';
  const kind = uid ? 'uid' : 'gid';
  if (!policy.remap)
    return `a subordinate ${kind} range is for the user userns-remap names, and neither this plan nor the daemon's configuration sets userns-remap`;
  const owner = uid ? policy.remap.user : policy.remap.group;
  if (op.user !== owner)
    return `a subordinate ${kind} range may go to ${owner} only (the ${uid ? 'user' : 'group'} userns-remap names), not ${op.user}`;
  const ranges = parseSubIdRanges(text);
  // Already there: nothing is written.
  if (ranges.some((r) => r.user === op.user && r.start === op.start && r.count === op.count)) return null;
  const min = uid ? policy.limits.SUB_UID_MIN : policy.limits.SUB_GID_MIN;
  const max = uid ? policy.limits.SUB_UID_MAX : policy.limits.SUB_GID_MAX;
  const name = uid ? 'SUB_UID' : 'SUB_GID';
  const end = op.start + op.count; // exclusive
  if (!Number.isSafeInteger(op.start) || !Number.isSafeInteger(op.count) || op.count < 1)
    return `a subordinate range needs a whole positive count, not ${op.count}`;
  if (op.start < min) return `a subordinate ${kind} range starts at ${name}_MIN (${min}, from /etc/login.defs) or above, not ${op.start}`;
  if (end - 1 > max)
    return `a subordinate ${kind} range ends at ${name}_MAX (${max}, from /etc/login.defs) or below; ${op.start}+${op.count} ends at ${end - 1}`;
  if (end > ID_LIMIT) return `a subordinate ${kind} range ends below ${ID_LIMIT} (the invalid id); ${op.start}+${op.count} does not`;
  const clash = ranges.find((r) => r.start < end && op.start < r.start + r.count);
  if (clash)
    return `${op.start}-${end - 1} overlaps ${clash.user}'s subordinate ${kind} range ${clash.start}-${clash.start + clash.count - 1} in ${op.file}`;
  const inUse = [...(uid ? policy.uidsInUse : policy.gidsInUse)].find((id) => id >= op.start && id < end);
  if (inUse !== undefined) return `${op.start}-${end - 1} holds ${kind} ${inUse}, which a real ${uid ? 'user' : 'group'} on this host has`;
  return null;
}
