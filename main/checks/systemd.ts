import type { Check } from '../../shared/check';
import type { IgnoredDropIn } from '../../shared/facts/systemd';
import type { CheckResult, Evidence } from '../../shared/finding';
import type { Source } from '../../shared/source';
import { desktopReason } from '../check-kit/applicability';
import { docs } from './references';
import { fail, need, pass, skipped } from '../check-kit/result';

const UNIT_DOCS = docs('systemd.unit(5): drop-in directories', 'https://www.freedesktop.org/software/systemd/man/latest/systemd.unit.html');
const DOCKER_SYSTEMD_DOCS = docs('Configure the daemon with systemd', 'https://docs.docker.com/engine/daemon/proxy/#systemd-unit-file');

/** A fact added after the first snapshots: absent means "not collected then", a skip rather than an error. */
function notRecorded(key: string): CheckResult {
  return skipped(`this facts snapshot holds no ${key} (collected before Dockhand recorded it)`);
}

/** What to do about each kind of ignored drop-in: the exact commands. */
function remedy(i: IgnoredDropIn, unit: string): string {
  const dropInDir = `/etc/systemd/system/${unit}.d`;
  const base = i.path.split('/').at(-1)!;
  switch (i.reason) {
    case 'not-conf':
      return `\`mv ${i.path} ${i.path.replace(/(\.[^./]*)?$/, '.conf')}\` (if it is not a backup), then \`systemctl daemon-reload && systemctl restart docker\``;
    case 'outside-section':
      return `put \`[Service]\` on the line before line ${i.line} of ${i.path}, then \`systemctl daemon-reload && systemctl restart docker\``;
    case 'unknown-section':
      return `correct the section header above line ${i.line} of ${i.path} (\`[Service]\`), then \`systemctl daemon-reload && systemctl restart docker\``;
    case 'unread-directory':
      return `\`mkdir -p ${dropInDir} && mv ${i.path} ${dropInDir}/${base.endsWith('.conf') ? base : `${base}.conf`}\`, then \`systemctl daemon-reload && systemctl restart docker\``;
  }
}

const WHAT: Record<IgnoredDropIn['reason'], string> = {
  'not-conf': 'its name does not end in ".conf"',
  'outside-section': 'its settings come before any section header',
  'unknown-section': 'its settings are in a section a service does not have',
  'unread-directory': 'it is in a directory systemd does not read',
};

export const systemdIgnoredDropIns: Check = {
  id: 'systemd.ignored-drop-ins',
  title: 'systemd applies every docker.service drop-in',
  category: 'daemon-config',
  severity: 'medium',
  rationale:
    'A drop-in is how docker.service gets its proxy, its flags or its limits. systemd applies only files ending in ".conf" in a directory named after the unit (docker.service.d) in its unit search path, and in them only settings under a section it knows ([Service]). Anything else is skipped with one line in the journal at load time, and the setting silently never reaches dockerd: the proxy that "is configured" but never used, the flag that "is set". Each ignored file fails, with its settings by name (values are not read out: they may hold proxy passwords). Editor and package backups (~, .bak, .dpkg-old…) are ignored on purpose and not reported.',
  remediation:
    'Move or rename the file into /etc/systemd/system/docker.service.d/NAME.conf with its settings under [Service], then `systemctl daemon-reload && systemctl restart docker`; `systemctl show docker.service -p DropInPaths` lists what systemd applies.',
  references: [UNIT_DOCS, DOCKER_SYSTEMD_DOCS],
  cis: null,
  platforms: ['linux'],
  fixId: null,
  applies: desktopReason,
  evaluate(facts) {
    const fact = facts.serviceDropIns;
    if (!fact) return notRecorded('serviceDropIns');
    const scan = need(fact, 'docker.service drop-ins');
    const scanned: Source = fact.sources[0] ?? { kind: 'default', detail: 'drop-in directories' };
    if (scan.ignored.length === 0) {
      const evidence: Evidence[] = [{ label: 'drop-ins applied', value: scan.applied, source: scanned }];
      return pass(
        scan.applied.length
          ? `systemd applies all ${scan.applied.length} drop-in(s) of ${scan.unit}; none is ignored.`
          : `No drop-in of ${scan.unit} is ignored (none found).`,
        { evidence },
      );
    }
    return scan.ignored.map((i) => {
      const source: Source = { kind: 'file', path: i.path, line: i.line ?? undefined };
      return fail(
        `systemd ignores ${i.path}${i.line ? ` from line ${i.line}` : ''}: ${WHAT[i.reason]}, so ${i.settings.join(', ')} never reach${i.settings.length > 1 ? '' : 'es'} ${scan.unit}. Fix: ${remedy(i, scan.unit)}.`,
        {
          target: i.line ? `${i.path}:${i.line}` : i.path,
          evidence: [
            { label: 'ignored drop-in', value: i.path, source },
            { label: 'why systemd ignores it', value: i.detail, source },
            { label: 'settings not applied', value: i.settings, source },
            { label: 'drop-ins applied', value: scan.applied, source: scanned },
          ],
        },
      );
    });
  },
};

export const systemdDaemonReloadPending: Check = {
  id: 'systemd.daemon-reload-pending',
  title: 'systemd has loaded the current docker.service files',
  category: 'daemon-config',
  severity: 'medium',
  rationale:
    "systemd reads unit files and drop-ins only at boot and on `systemctl daemon-reload`. After an edit without one, systemd keeps running docker.service as it was, and `systemctl restart docker` restarts it with the old settings (systemd says so in a warning that is easy to miss); the change lands at the next reboot instead. systemd's own NeedDaemonReload property says when the files on disk changed since it loaded them. Only a host where systemd is PID 1 can be asked: elsewhere (an offline image, a container, WSL without systemd) the check is skipped.",
  remediation: 'Run `systemctl daemon-reload`, then `systemctl restart docker` to apply the changed unit to dockerd.',
  references: [
    docs('systemctl(1): daemon-reload', 'https://www.freedesktop.org/software/systemd/man/latest/systemctl.html#daemon-reload'),
    UNIT_DOCS,
  ],
  cis: null,
  platforms: ['linux'],
  fixId: null,
  applies: desktopReason,
  evaluate(facts) {
    const fact = facts.serviceUnitState;
    if (!fact) return notRecorded('serviceUnitState');
    const state = need(fact, 'systemd state of docker.service');
    const source = fact.sources[0] ?? { kind: 'command', command: 'systemctl show docker.service' };
    if (state.loadState === 'not-found') return skipped(`systemd has no ${state.unit} unit`);
    const evidence: Evidence[] = [
      { label: 'NeedDaemonReload', value: state.needDaemonReload ? 'yes' : 'no', source },
      { label: 'unit file (systemd)', value: state.fragmentPath, source },
      { label: 'drop-ins loaded (systemd)', value: state.dropInPaths, source },
    ];
    if (!state.needDaemonReload) return pass(`systemd runs ${state.unit} from its current files.`, { evidence });
    return fail(
      `${state.unit} changed on disk since systemd loaded it: a restart now would still use the old unit. Run \`systemctl daemon-reload\`, then \`systemctl restart docker\`.`,
      { evidence },
    );
  },
};

export const SYSTEMD_CHECKS: readonly Check[] = [systemdIgnoredDropIns, systemdDaemonReloadPending];
