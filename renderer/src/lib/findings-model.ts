import type { Category, CheckMeta, Finding, Severity, Status } from '../../../shared/finding';
import { attentionRank } from '../../../shared/finding-order';
import type { Report } from '../../../shared/report';
import { checkIndex, metaOf } from '../../../shared/check-meta';
import { CATEGORY_LABEL } from './labels';

/** A finding with what the list needs precomputed once per report (not once per keystroke). */
export interface IndexedFinding {
  finding: Finding;
  check: CheckMeta;
  /** Lower-case text a search matches: title, message, ids, target, CIS id. */
  haystack: string;
  rank: number;
}

export interface FindingFilter {
  severities: ReadonlySet<Severity>;
  statuses: ReadonlySet<Status>;
  /** Empty: every category. */
  categories: ReadonlySet<Category>;
  query: string;
}

export type Row =
  | { kind: 'group'; category: Category; label: string; count: number; expanded: boolean; worst: Status; posInSet: number; setSize: number }
  | { kind: 'finding'; item: IndexedFinding; category: Category; posInSet: number; setSize: number };

/**
 * What needs attention first: the one order of shared/finding-order.ts, which the report (and so the CLI's text
 * report) is sorted by, so the list and every format agree (a critical warning above a medium failure).
 */
const rankOf = (f: Finding): number => attentionRank(f);

const indexes = new WeakMap<Report, IndexedFinding[]>();

/** The index of a report, built once per report object however many screens ask for it. */
export function indexFindings(report: Report): IndexedFinding[] {
  let index = indexes.get(report);
  if (!index) indexes.set(report, (index = buildIndex(report)));
  return index;
}

function indexer(report: Report): (finding: Finding) => IndexedFinding {
  const checks = checkIndex(report);
  return (finding) => {
    const check = metaOf(checks, finding);
    const haystack = [
      check.title,
      finding.result.message,
      finding.id,
      finding.result.target ?? '',
      check.cis ? `cis ${check.cis}` : '',
      finding.result.reason ?? '',
    ]
      .join('\n')
      .toLowerCase();
    return { finding, check, haystack, rank: rankOf(finding) };
  };
}

function buildIndex(report: Report): IndexedFinding[] {
  return report.findings.map(indexer(report));
}

/** Findings indexed per task by indexFindingsInTasks. */
const INDEX_CHUNK = 2000;

/**
 * indexFindings, a chunk per task with `pause` between, so a report of ten thousand findings does not add its
 * indexing (and the garbage it leaves) to the task that first renders it. Screens then find the index ready.
 */
export async function indexFindingsInTasks(report: Report, pause: () => Promise<void>): Promise<IndexedFinding[]> {
  const cached = indexes.get(report);
  if (cached) return cached;
  const toItem = indexer(report);
  const items: IndexedFinding[] = [];
  for (let start = 0; start < report.findings.length; start += INDEX_CHUNK) {
    if (start > 0) await pause();
    const end = Math.min(report.findings.length, start + INDEX_CHUNK);
    for (let i = start; i < end; i++) items.push(toItem(report.findings[i]!));
  }
  // A report indexed meanwhile (a screen asked for it) keeps that index: one object per report, whoever built it.
  const existing = indexes.get(report);
  if (existing) return existing;
  indexes.set(report, items);
  return items;
}

/** Every word of the query must appear (in any order), as people search logs. */
export function matchesQuery(haystack: string, query: string): boolean {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  return words.every((w) => haystack.includes(w));
}

export function filterFindings(items: readonly IndexedFinding[], filter: FindingFilter): IndexedFinding[] {
  const query = filter.query.trim();
  return items.filter(
    (i) =>
      filter.statuses.has(i.finding.result.status) &&
      filter.severities.has(i.finding.severity) &&
      (filter.categories.size === 0 || filter.categories.has(i.check.category)) &&
      (query === '' || matchesQuery(i.haystack, query)),
  );
}

/**
 * The flat rows the virtualized tree shows: one header per category (worst category first), then its findings when
 * expanded. Positions and set sizes let a screen reader announce "3 of 12" although only a window of rows exists.
 */
export function groupRows(items: readonly IndexedFinding[], collapsed: ReadonlySet<Category>): Row[] {
  const groups = new Map<Category, IndexedFinding[]>();
  for (const item of items) {
    const list = groups.get(item.check.category);
    if (list) list.push(item);
    else groups.set(item.check.category, [item]);
  }
  const ordered = [...groups.entries()]
    .map(([category, list]) => ({
      category,
      list: list.sort((a, b) => a.rank - b.rank),
      worst: list.reduce((m, i) => Math.min(m, i.rank), Infinity),
    }))
    .sort((a, b) => a.worst - b.worst || CATEGORY_LABEL[a.category].localeCompare(CATEGORY_LABEL[b.category]));
  const rows: Row[] = [];
  ordered.forEach(({ category, list }, g) => {
    const expanded = !collapsed.has(category);
    rows.push({
      kind: 'group',
      category,
      label: CATEGORY_LABEL[category],
      count: list.length,
      expanded,
      worst: list[0]!.finding.result.status,
      posInSet: g + 1,
      setSize: ordered.length,
    });
    if (expanded) list.forEach((item, i) => rows.push({ kind: 'finding', item, category, posInSet: i + 1, setSize: list.length }));
  });
  return rows;
}

export interface Faceted {
  /** The findings every filter lets through. */
  filtered: IndexedFinding[];
  /** For each value of one filter, how many findings the other filters let through (the counts on the chips). */
  byStatus: Map<Status, number>;
  bySeverity: Map<Severity, number>;
  byCategory: Map<Category, number>;
}

const bump = <K>(map: Map<K, number>, key: K) => map.set(key, (map.get(key) ?? 0) + 1);

/**
 * The filtered findings and every chip's count in one pass (the search, the costly part, runs once per finding):
 * this runs on each keystroke over up to tens of thousands of findings.
 */
export function facet(items: readonly IndexedFinding[], filter: FindingFilter): Faceted {
  const query = filter.query.trim();
  const out: Faceted = { filtered: [], byStatus: new Map(), bySeverity: new Map(), byCategory: new Map() };
  for (const item of items) {
    if (query !== '' && !matchesQuery(item.haystack, query)) continue;
    const status = filter.statuses.has(item.finding.result.status);
    const severity = filter.severities.has(item.finding.severity);
    const category = filter.categories.size === 0 || filter.categories.has(item.check.category);
    if (severity && category) bump(out.byStatus, item.finding.result.status);
    if (status && category) bump(out.bySeverity, item.finding.severity);
    if (status && severity) bump(out.byCategory, item.check.category);
    if (status && severity && category) out.filtered.push(item);
  }
  return out;
}

/** How many findings each filter value would show, given the other filters (for the counts on the chips). */
export function countBy<K extends string>(items: readonly IndexedFinding[], key: (i: IndexedFinding) => K): Map<K, number> {
  const counts = new Map<K, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

/** A finding Dockhand can fix from the app: it carries a fix and is a problem still open (a pass needs none). */
export const isFixable = (f: Finding): boolean => f.result.fix !== null && (f.result.status === 'fail' || f.result.status === 'warn');
