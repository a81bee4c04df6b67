import type { CheckMeta, Finding } from '../../shared/finding';
import type { Incomplete, Report } from '../../shared/report';
import { blockedByDaemon, reportCompleteness } from '../../shared/report-completeness';

/**
 * The text report when the daemon could not be reached: the cause said once at the top and once at the end (the last
 * screen a terminal shows), and the checks it kept from running listed under it once, instead of one error each.
 */

type Painter = (code: 'red' | 'bold' | 'gray' | 'magenta', text: string) => string;

export interface IncompleteText {
  incomplete: Incomplete;
  /** The findings the cause kept from being judged: listed only in the group. */
  blocked: (f: Finding) => boolean;
}

export function incompleteText(report: Report): IncompleteText | null {
  const incomplete = reportCompleteness(report);
  if (!incomplete) return null;
  return { incomplete, blocked: (f) => blockedByDaemon(report.engineError, f) };
}

const checksWord = (n: number) => `${n} check${n === 1 ? '' : 's'}`;

export function incompleteHeader(i: Incomplete, paint: Painter): string[] {
  return [
    paint('red', `The Docker daemon could not be reached: ${i.message}`),
    `${checksWord(i.checks.length)} that need it could not run: the score is INCOMPLETE and covers only what was judged without the daemon.`,
  ];
}

export function incompleteScore(i: Incomplete | null): string {
  return i ? ` (INCOMPLETE: ${checksWord(i.checks.length)} could not run)` : '';
}

/** One line per check that could not run, under the one cause. */
export function blockedGroup(i: Incomplete, checks: ReadonlyMap<string, CheckMeta>, paint: Painter): string[] {
  if (i.checks.length === 0) return [];
  const lines = [paint('magenta', `NOT RUN  ${checksWord(i.checks.length)}, because the daemon could not be reached (above):`)];
  for (const id of i.checks) {
    const meta = checks.get(id);
    lines.push(`      ${paint('bold', id)}${meta ? `  ${meta.title}${paint('gray', ` (${meta.severity})`)}` : ''}`);
  }
  return lines;
}

/** The findings' own evidence quotes the cause (a fact unavailable: …): it points to the top instead of repeating it. */
export function mentionOnce(lines: readonly string[], i: Incomplete): string[] {
  return lines.map((line) => line.split(i.message).join('the daemon could not be reached (see the top)'));
}

export function incompleteFooter(i: Incomplete, score: number, paint: Painter): string[] {
  return [
    paint(
      'red',
      `INCOMPLETE: the Docker daemon could not be reached (${i.message}); ${checksWord(i.checks.length)} could not run and the score ${score}/100 covers only the rest. Start the daemon and audit again.`,
    ),
  ];
}
