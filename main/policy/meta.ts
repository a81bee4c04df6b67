import type { CheckMeta } from '../../shared/finding';

/** What every policy check shares: its category, every platform, no CIS id and no automatic fix. */
function policyCheck(meta: Pick<CheckMeta, 'id' | 'title' | 'severity' | 'rationale' | 'remediation'> & Partial<CheckMeta>): CheckMeta {
  return { category: 'policy', references: [], cis: null, platforms: ['linux', 'darwin', 'win32'], fixId: null, ...meta };
}

/**
 * The checks a policy adds. They are not in the registry: they exist only when a policy asks for them, and their
 * findings are listed in the report like any other check's, with stable ids for baselines and waivers.
 */
export const REQUIRED_VALUE = policyCheck({
  id: 'policy.required-value',
  title: 'The daemon holds the values the policy requires',
  severity: 'high',
  rationale:
    'A platform team fixes some settings for every host and golden image (log driver, DNS servers, storage driver, user namespaces, NO_PROXY): a host that drifts from them breaks log shipping, name resolution or isolation in ways each team would otherwise find out alone.',
  remediation: 'Set the key in daemon.json (or the dockerd flag in docker.service) to the value the policy requires, then restart dockerd.',
  references: [
    {
      title: 'dockerd reference: daemon configuration file',
      url: 'https://docs.docker.com/reference/cli/dockerd/#daemon-configuration-file',
    },
  ],
});

export const WAIVER_EXPIRED = policyCheck({
  id: 'policy.waiver-expired',
  title: 'No waiver in the policy has expired',
  severity: 'medium',
  rationale:
    'A waiver accepts a risk until a date. Past it the waiver stops applying, so the findings it covered count again, and its owner must fix them or renew the waiver.',
  remediation: 'Fix what the waiver covered, or renew the waiver with a new expiry date and reason, or remove it.',
});

export const WAIVER_STALE = policyCheck({
  id: 'policy.waiver-stale',
  title: 'Every waiver in the policy still covers a problem',
  severity: 'low',
  rationale:
    'A waiver that matches nothing (the problem was fixed, the container renamed) would silently cover the next problem of that check: stale waivers should go.',
  remediation: 'Remove the waiver from the policy, or correct its check id or target pattern.',
});

export const POLICY_CHECKS: readonly CheckMeta[] = [REQUIRED_VALUE, WAIVER_EXPIRED, WAIVER_STALE];
