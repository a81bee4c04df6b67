import type { Finding, WaiverMark } from '../../shared/finding';
import type { Waiver } from '../../shared/policy';
import type { WaiverState } from '../../shared/report';
import type { Source } from '../../shared/source';
import { findingId } from '../checks/runner';
import { globMatcher } from './glob';
import type { LoadedPolicy } from './load';
import { WAIVER_EXPIRED, WAIVER_STALE } from './meta';

/** A waiver covers a day in full: it stops applying once its expiry date has passed everywhere (UTC). */
function isExpired(expires: string, at: Date): boolean {
  return at.getTime() > Date.parse(`${expires}T23:59:59.999Z`);
}

function covers(waiver: Waiver, f: Finding): boolean {
  if (f.checkId !== waiver.check || (f.result.status !== 'fail' && f.result.status !== 'warn')) return false;
  return waiver.target === undefined || globMatcher(waiver.target).test(f.result.target ?? '');
}

function describe(w: Waiver): string {
  return `${w.check}${w.target ? ` (targets ${w.target})` : ''}`;
}

export interface WaiverOutcome {
  /** The findings, those a live waiver covers marked with it. */
  findings: Finding[];
  /** One finding per expired or stale waiver, so they show up (and can be baselined) like any problem. */
  bookkeeping: Finding[];
  states: WaiverState[];
}

/**
 * Applies the policy's waivers as of `at` (when the facts were collected, so re-evaluating a saved snapshot gives the
 * same answer). A waiver never changes a finding's status: the problem is still there, it is only accepted.
 */
export function applyWaivers(findings: readonly Finding[], policy: LoadedPolicy, at: Date): WaiverOutcome {
  const marks = new Map<Finding, WaiverMark>();
  const bookkeeping: Finding[] = [];
  const states: WaiverState[] = [];
  const evaluated = new Set(findings.filter((f) => f.result.status !== 'skipped' && f.result.status !== 'error').map((f) => f.checkId));
  (policy.policy.waivers ?? []).forEach((w, i) => {
    const source: Source = { kind: 'file', path: policy.path, line: policy.waiverLines[i] };
    const matched = findings.filter((f) => covers(w, f));
    const target = w.target ? `${w.check}:${w.target}` : w.check;
    const waiverEvidence = [
      {
        label: 'waiver',
        value: { check: w.check, target: w.target ?? null, reason: w.reason, owner: w.owner, expires: w.expires },
        source,
      },
      ...(matched.length > 0 ? [{ label: 'findings it covers', value: matched.map((f) => f.id), source }] : []),
    ];
    let state: WaiverState['state'];
    if (isExpired(w.expires, at)) {
      state = 'expired';
      const what =
        matched.length > 0
          ? `its ${matched.length} finding${matched.length === 1 ? '' : 's'} count${matched.length === 1 ? 's' : ''} again`
          : 'it covered nothing in this audit';
      bookkeeping.push({
        id: findingId(WAIVER_EXPIRED.id, target),
        checkId: WAIVER_EXPIRED.id,
        severity: WAIVER_EXPIRED.severity,
        result: {
          status: 'warn',
          message: `The waiver for ${describe(w)} (owner ${w.owner}) expired on ${w.expires}: ${what}.`,
          target,
          reason: null,
          evidence: waiverEvidence,
          fix: null,
        },
      });
    } else if (matched.length > 0) {
      state = 'applied';
      const mark: WaiverMark = { reason: w.reason, owner: w.owner, expires: w.expires, source };
      for (const f of matched) if (!marks.has(f)) marks.set(f, mark);
    } else if (evaluated.has(w.check)) {
      state = 'stale';
      bookkeeping.push({
        id: findingId(WAIVER_STALE.id, target),
        checkId: WAIVER_STALE.id,
        severity: WAIVER_STALE.severity,
        result: {
          status: 'warn',
          message: `The waiver for ${describe(w)} (owner ${w.owner}) matches no failing or warning finding: it is stale.`,
          target,
          reason: null,
          evidence: waiverEvidence,
          fix: null,
        },
      });
    } else {
      state = 'not-evaluated';
    }
    states.push({
      check: w.check,
      target: w.target ?? null,
      reason: w.reason,
      owner: w.owner,
      expires: w.expires,
      source,
      state,
      matches: matched.map((f) => f.id),
    });
  });
  return { findings: findings.map((f) => (marks.has(f) ? { ...f, waiver: marks.get(f)! } : f)), bookkeeping, states };
}
