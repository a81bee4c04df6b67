import type { KeepReason, PruneOptions } from '../../shared/prune';
import { DEFAULT_PROTECT_LABEL } from '../../shared/prune-input';
import { describeLabelFilter, failedLabelFilter, isProtected } from './filters';
import type { SnapshotContainer } from './snapshot';

/**
 * The rules that decide whether an object stays, shared by the planner and the apply's re-check: the apply must keep
 * what the planner would keep if it planned again at that instant, so both call these functions and nothing else.
 */

/** null: remove; otherwise why it stays. */
export type Verdict = { reason: KeepReason; why: string } | null;

/**
 * The labels that protect an object: the default one always (the documented "never removed" marker, which a plan
 * cannot switch off, whoever edited its options), and the plan's own when it names another.
 */
export function protectionLabels(protectLabel: string): string[] {
  return protectLabel === DEFAULT_PROTECT_LABEL ? [DEFAULT_PROTECT_LABEL] : [DEFAULT_PROTECT_LABEL, protectLabel];
}

/** The label that protects these labels' object, or null. */
function protectingLabel(labels: Readonly<Record<string, string>>, protectLabel: string): string | null {
  return protectionLabels(protectLabel).find((label) => isProtected(labels, label)) ?? null;
}

/** What the object's own labels and age say: protected, excluded by a label filter, or newer than the cutoff. */
export function ownVerdict(
  o: { labels: Readonly<Record<string, string>>; created: string | null },
  options: Pick<PruneOptions, 'protectLabel' | 'labelFilters' | 'until'>,
  cutoff: Date | null,
  what: string,
): Verdict {
  const protecting = protectingLabel(o.labels, options.protectLabel);
  if (protecting) return { reason: 'protected', why: `labelled ${protecting}=true` };
  const failed = failedLabelFilter(o.labels, options.labelFilters);
  if (failed) return { reason: 'filtered', why: `does not match --filter ${describeLabelFilter(failed)}` };
  if (cutoff && o.created && Date.parse(o.created) > cutoff.getTime())
    return { reason: 'too-recent', why: `${what} ${o.created}, after the --until ${options.until} cutoff (${cutoff.toISOString()})` };
  return null;
}

export type UsedKind = 'image' | 'volume' | 'network';

/** How a container refers to what it uses: its image by ID, volumes by name, networks by name (as listed). */
function references(c: SnapshotContainer, kind: UsedKind): readonly string[] {
  switch (kind) {
    case 'image':
      return [c.imageId];
    case 'volume':
      return c.volumes;
    case 'network':
      return c.networks;
  }
}

/**
 * Who uses an object: every container (in any state, created-but-never-started included) whose list entry refers to
 * it. A network is looked up by name and by ID: a created container's endpoint carries the network's name and no ID
 * until it starts (which is why the Engine's own `network=ID` list filter misses it).
 */
export function usersIndex(
  containers: readonly SnapshotContainer[],
  kind: UsedKind,
): (o: { id: string; name: string | null }) => SnapshotContainer[] {
  const byRef = new Map<string, SnapshotContainer[]>();
  for (const c of containers) {
    for (const ref of new Set(references(c, kind))) {
      const list = byRef.get(ref);
      if (list) list.push(c);
      else byRef.set(ref, [c]);
    }
  }
  return (o) => {
    const keys = kind === 'network' && o.name ? [o.name, o.id] : [kind === 'volume' ? (o.name ?? o.id) : o.id];
    const users = new Set(keys.flatMap((k) => byRef.get(k) ?? []));
    return [...users];
  };
}
