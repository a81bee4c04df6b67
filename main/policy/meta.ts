import type { CheckMeta } from '../../shared/finding';

/**
 * The checks a policy adds. They are not in the registry: they exist only when a policy asks for them, and their
 * findings are listed in the report like any other check's, with stable ids for baselines and waivers.
 */
export const REQUIRED_VALUE: CheckMeta = {
  id: 'policy.required-value',
  title: 'The daemon holds the values the policy requires',
  category: 'policy',
  severity: 'high',
  rationale:
    'A platform team fixes some settings for every host and golden image (log driver, DNS servers, storage driver, user namespaces, NO_PROXY): a host that drifts from them breaks log shipping, name resolution or isolation in ways each team would otherwise find out alone.',
  remediation: 'Set the key in daemon.json (or the dockerd flag in docker.service) to the value the policy requires, then restart dockerd.',
  references: [{ title: 'dockerd reference: daemon configuration file', url: 'https://docs.docker.com/reference/cli/dockerd/#daemon-configuration-file' }],
  cis: null,
  platforms: ['linux', 'darwin', 'win32'],
  fixId: null,
};

export const WAIVER_EXPIRED: CheckMeta = {
  id: 'policy.waiver-expired',
  title: 'No waiver in the policy has expired',
  category: 'policy',
  severity: 'medium',
  rationale: 'A waiver accepts a risk until a date. Past it the waiver stops applying, so the findings it covered count again, and its owner must fix them or renew the waiver.',
  remediation: 'Fix what the waiver covered, or renew the waiver with a new expiry date and reason, or remove it.',
  references: [],
  cis: null,
  platforms: ['linux', 'darwin', 'win32'],
  fixId: null,
};

export const WAIVER_STALE: CheckMeta = {
  id: 'policy.waiver-stale',
  title: 'Every waiver in the policy still covers a problem',
  category: 'policy',
  severity: 'low',
  rationale: 'A waiver that matches nothing (the problem was fixed, the container renamed) would silently cover the next problem of that check: stale waivers should go.',
  remediation: 'Remove the waiver from the policy, or correct its check id or target pattern.',
  references: [],
  cis: null,
  platforms: ['linux', 'darwin', 'win32'],
  fixId: null,
};

export const POLICY_CHECKS: readonly CheckMeta[] = [REQUIRED_VALUE, WAIVER_EXPIRED, WAIVER_STALE];
