// The restart impact and the containers after it, in words: the same sentences in the CLI and the app. Types only from
// the model, so the CLI's start-up does not load zod for them.
import type { ContainerAfterHow, ContainerFate, ContainersAfter, ImpactedContainer, RestartImpact } from './restart-impact';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
export const policyText = (policy: string) => (policy === '' ? 'no' : policy);

/** The running containers by fate. */
function impactGroups(impact: RestartImpact): Record<ContainerFate, ImpactedContainer[]> {
  const groups: Record<ContainerFate, ImpactedContainer[]> = {
    'keeps-running': [],
    'restarts-by-policy': [],
    'restarts-if-failed': [],
    'stays-down': [],
  };
  for (const c of impact.running) groups[c.fate].push(c);
  return groups;
}

/** One sentence: what the restart stops, what comes back by itself and what stays down. */
export function impactSummary(impact: RestartImpact): string {
  if (impact.error) return `The running containers could not be listed (${impact.error}): any of them may stop.`;
  const n = impact.running.length;
  if (n === 0) return 'No container is running: none stops.';
  if (impact.liveRestore.now && impact.liveRestore.after)
    return `With live-restore on, ${n === 1 ? 'the running container keeps' : `the ${n} running containers keep`} running: none stops.`;
  const g = impactGroups(impact);
  const why = impact.liveRestore.now ? 'With live-restore off in the configuration the daemon restarts with' : 'With live-restore off';
  const parts = [
    g['restarts-by-policy'].length > 0
      ? `${g['restarts-by-policy'].length} ${g['restarts-by-policy'].length === 1 ? 'comes back by itself' : 'come back by themselves'} (restart policy always or unless-stopped)`
      : null,
    g['restarts-if-failed'].length > 0
      ? `${g['restarts-if-failed'].length} ${g['restarts-if-failed'].length === 1 ? 'comes back' : 'come back'} only if stopping ${g['restarts-if-failed'].length === 1 ? 'it makes it' : 'them makes them'} exit with an error (restart policy on-failure)`
      : null,
    g['stays-down'].length > 0 ? `${plural(g['stays-down'].length, 'stays', 'stay')} down unless started again` : null,
  ].filter(Boolean);
  return `${why}, ${n === 1 ? 'the running container stops' : `all ${n} running containers stop`} when the daemon restarts: ${parts.join(', ')}.`;
}

export const FATE_TEXT: Record<ContainerFate, string> = {
  'keeps-running': 'keeps running',
  'restarts-by-policy': 'stops, comes back by itself',
  'restarts-if-failed': 'stops, comes back only if it exits with an error',
  'stays-down': 'stops, stays down',
};

export const HOW_TEXT: Record<ContainerAfterHow, string> = {
  'kept-running': 'kept running',
  'restarted-by-policy': 'started again by the daemon (restart policy)',
  'started-again': 'started again by Dockhand',
  'left-stopped': 'left stopped, as chosen',
  'start-failed': 'could not be started again',
  gone: 'removed meanwhile',
  unknown: 'state unknown',
};

/** Whether any container may be left down by the restart: what "start them again" is for. */
export const mayStayDown = (impact: RestartImpact) =>
  impact.running.some((c) => c.fate === 'stays-down' || c.fate === 'restarts-if-failed');

/** Containers that ran before and do not run now. */
export const stillDown = (after: ContainersAfter) => after.containers.filter((c) => c.state !== 'running');

/** One sentence for the outcome: how many run again, and which are down. */
export function containersAfterSummary(after: ContainersAfter): string {
  if (after.error) return `The containers that were running could not be checked: ${after.error}.`;
  const n = after.containers.length;
  if (n === 0) return 'No container was running before the restart.';
  const down = stillDown(after);
  if (down.length === 0)
    return n === 1 ? 'The container that was running before runs again.' : `All ${n} containers that were running before run again.`;
  const names = down.map((c) => c.name).join(', ');
  return `${plural(down.length, 'container')} that ${down.length === 1 ? 'was' : 'were'} running before ${down.length === 1 ? 'is' : 'are'} down now: ${names}${after.startAgain ? '' : ' (not started again, as chosen)'}.`;
}
