import type { Fact } from '../../shared/fact';
import type { CheckResult, Evidence, FixRef } from '../../shared/finding';
import type { Source } from '../../shared/source';

/** The Engine API call most evidence about the running daemon comes from. */
export const INFO: Source = { kind: 'api', call: 'GET /info' };

interface ResultOptions {
  evidence?: Evidence[];
  fix?: FixRef | null;
  target?: string | null;
}

const make =
  (status: CheckResult['status']) =>
  (message: string, options: ResultOptions = {}): CheckResult => ({
    status,
    message,
    target: options.target ?? null,
    reason: null,
    evidence: options.evidence ?? [],
    fix: options.fix ?? null,
  });

export const pass = make('pass');
export const fail = make('fail');
export const warn = make('warn');
export const info = make('info');

export function skipped(reason: string, target: string | null = null): CheckResult {
  return { status: 'skipped', message: `Skipped: ${reason}`, target, reason, evidence: [], fix: null };
}

export function errored(reason: string, target: string | null = null): CheckResult {
  return { status: 'error', message: `Could not evaluate: ${reason}`, target, reason, evidence: [], fix: null };
}

/** Thrown by `need` when a fact is missing; the runner turns it into the result it carries. */
export class Unavailable extends Error {
  constructor(readonly result: CheckResult) {
    super(result.message);
  }
}

/**
 * The value of a fact the check cannot do without. A fact that does not exist here (offline root, other platform)
 * makes the check `skipped`; one that failed to collect (daemon down, permission denied) makes it `error`.
 */
export function need<T>(fact: Fact<T>, what: string): T {
  if (fact.ok) return fact.value;
  const why = `${what} unavailable: ${fact.error.message}`;
  throw new Unavailable(fact.error.code === 'unsupported' ? skipped(why) : errored(why));
}
