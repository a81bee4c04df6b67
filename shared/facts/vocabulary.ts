// The facts' vocabulary that collectors and checks both use at run time. It lives apart from the schemas on purpose:
// an audit, `disk` and `prune` never validate facts, and importing a value from a schema module loads zod (~40 ms of
// every run's start-up). test/cli/startup-modules.test.ts holds the line.

/** How much of a failed container's log is kept: enough to show the error, little enough for a report. */
export const LOG_TAIL_LINES = 20;
export const LOG_LINE_CHARS = 300;

/** Where the kernel lists binfmt_misc handlers (BinfmtFact's sources and evidence). */
export const BINFMT_DIR = '/proc/sys/fs/binfmt_misc';

/** Names the host's figures in a fact's sources when systeminformation measured them (checks show it as evidence). */
export const SYSTEMINFORMATION_SOURCE = 'systeminformation cpu().cores and mem().total';

/** Sizes in .wslconfig are like "8GB", "4096MB", "1TB" (WSL also accepts K/M/G/T without B). */
export function parseWslSize(value: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([KMGT]?)B?\s*$/i.exec(value);
  if (!m) return null;
  const power = ['', 'K', 'M', 'G', 'T'].indexOf(m[2]!.toUpperCase());
  return Math.round(Number(m[1]) * 1024 ** power);
}
