import type { Facts } from '../../shared/facts';
import type { Finding } from '../../shared/finding';
import type { Report } from '../../shared/report';

/** A report, or the findings `evaluateChecks` returned, as `{ findings }`. */
type Findings = Pick<Report, 'findings'>;

/** The findings of one check (all its targets). */
export function findingsOf(report: Findings, checkId: string): Finding[] {
  return report.findings.filter((f) => f.checkId === checkId);
}

/** The single finding of a check, or of one target of it; throws when it is not there, naming what is. */
export function finding(report: Findings, id: string): Finding {
  const found = report.findings.find((f) => f.id === id);
  if (!found) throw new Error(`no finding ${id}; have: ${report.findings.map((f) => `${f.id}=${f.result.status}`).join(', ')}`);
  return found;
}

/** `id=status` of every finding of one check, sorted: a check's whole answer in one comparison. */
export function statuses(report: Findings, checkId: string): string[] {
  return findingsOf(report, checkId)
    .map((f) => `${f.id}=${f.result.status}`)
    .sort();
}

/** A real snapshot reduced to some images (by tag) and containers (by name): what a host holding only those gives. */
export function reducedTo(facts: Facts, images: string[], containers: string[]): Facts {
  if (!facts.images.ok || !facts.containers.ok) throw new Error('the snapshot has no image or container list to reduce');
  return {
    ...facts,
    images: { ...facts.images, value: facts.images.value.filter((i) => i.repoTags.some((t) => images.includes(t))) },
    containers: { ...facts.containers, value: facts.containers.value.filter((c) => containers.includes(c.name)) },
  };
}
