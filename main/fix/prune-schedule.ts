import { quote as shellQuote } from 'shell-quote';
import { PruneInputError, parseGoDuration } from '../prune/filters';
import { DEFAULT_PROTECT_LABEL } from '../prune/plan';

/**
 * The scheduled cleanup that replaces a nightly `docker system prune -af --filter until=168h`: the same objects, minus
 * anything protected, running or in use, and never volumes; each run logs what it removed, skipped and freed. This
 * module only writes the texts (systemd service + timer, or a cron.d line); installing them is the fix engine's job.
 */

export interface ScheduleOptions {
  /** Absolute path of the dockhand command the job runs. */
  dockhand: string;
  until: string;
  /** systemd OnCalendar expression. */
  onCalendar: string;
  /** cron's five time fields, for hosts without systemd. */
  cronTime: string;
  /** Where the cron job appends its log (systemd logs to the journal). */
  logFile: string;
  protectLabel: string;
  /** Endpoint flags (e.g. ["--host", "unix:///run/docker.sock"]); default: the daemon the CLI finds by itself. */
  endpointArgs: string[];
}

export function defaultScheduleOptions(overrides: Partial<ScheduleOptions> = {}): ScheduleOptions {
  return {
    dockhand: '/usr/local/bin/dockhand',
    until: '168h',
    onCalendar: 'daily',
    cronTime: '17 3 * * *',
    logFile: '/var/log/dockhand-prune.log',
    protectLabel: DEFAULT_PROTECT_LABEL,
    endpointArgs: [],
    ...overrides,
  };
}

export const SERVICE_NAME = 'dockhand-prune.service';
export const TIMER_NAME = 'dockhand-prune.timer';
export const CRON_FILE = '/etc/cron.d/dockhand-prune';

/** The command the job runs, as argv: plan and apply in one go, with the protections of an interactive prune. */
export function scheduledArgv(o: ScheduleOptions): string[] {
  validate(o);
  return [
    o.dockhand,
    'prune',
    'apply',
    '--until',
    o.until,
    '--yes',
    ...(o.protectLabel !== DEFAULT_PROTECT_LABEL ? ['--protect-label', o.protectLabel] : []),
    ...o.endpointArgs,
  ];
}

function validate(o: ScheduleOptions): void {
  if (!o.dockhand.startsWith('/'))
    throw new PruneInputError(`the scheduled job needs an absolute path to dockhand, not ${JSON.stringify(o.dockhand)}`);
  if (parseGoDuration(o.until) === null)
    throw new PruneInputError(`--until ${JSON.stringify(o.until)}: a scheduled prune takes a duration such as 168h`);
  if (!o.logFile.startsWith('/')) throw new PruneInputError(`the cron log file must be an absolute path, not ${JSON.stringify(o.logFile)}`);
  if (!/^\S+(\s+\S+){4}$/.test(o.cronTime.trim()))
    throw new PruneInputError(`cron time ${JSON.stringify(o.cronTime)}: expected five fields, e.g. "17 3 * * *"`);
  const all = [o.dockhand, o.until, o.onCalendar, o.cronTime, o.logFile, o.protectLabel, ...o.endpointArgs];
  if (all.some((v) => /[\n\r\0]/.test(v))) throw new PruneInputError('schedule values cannot contain line breaks');
}

/** systemd's ExecStart quoting: double quotes with \ and " escaped, and % doubled (unit files expand % specifiers). */
function systemdQuote(arg: string): string {
  const escaped = arg.replace(/%/g, '%%');
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(escaped) ? escaped : `"${escaped.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export function systemdService(o: ScheduleOptions): string {
  const argv = scheduledArgv(o);
  return `# ${SERVICE_NAME}: written by Dockhand. Runs the scheduled Docker cleanup once; ${TIMER_NAME} starts it.
# What it removed, skipped (and why) and freed goes to the journal: journalctl -u ${SERVICE_NAME.replace(/\.service$/, '')}
[Unit]
Description=Dockhand scheduled Docker cleanup (exact prune; running, in-use and ${o.protectLabel}=true objects and volumes are kept)
Wants=docker.service
After=docker.service

[Service]
Type=oneshot
ExecStart=${argv.map(systemdQuote).join(' ')}
SyslogIdentifier=dockhand-prune
# A cleanup yields to real work.
Nice=10
IOSchedulingClass=idle
TimeoutStartSec=1h
`;
}

export function systemdTimer(o: ScheduleOptions): string {
  validate(o);
  if (!/^[\w*:,./~ -]+$/.test(o.onCalendar))
    throw new PruneInputError(`OnCalendar ${JSON.stringify(o.onCalendar)} is not a calendar expression`);
  return `# ${TIMER_NAME}: written by Dockhand. Enable with: systemctl enable --now ${TIMER_NAME}
[Unit]
Description=Run Dockhand's Docker cleanup (${o.onCalendar}, removes what is older than ${o.until})

[Timer]
OnCalendar=${o.onCalendar}
RandomizedDelaySec=1h
# A run missed while the machine was off happens at the next boot.
Persistent=true

[Install]
WantedBy=timers.target
`;
}

/**
 * A cron.d line for hosts without systemd. Shell-quoted, with % escaped (cron turns a bare % into a newline); flock
 * keeps two runs from overlapping; each run appends what it freed, with its time, to the log file.
 */
export function cronLine(o: ScheduleOptions): string {
  const argv = scheduledArgv(o);
  const command = `flock -n /run/dockhand-prune.lock ${shellQuote(argv)} >> ${shellQuote([o.logFile])} 2>&1`;
  return `${o.cronTime.trim().split(/\s+/).join(' ')} root ${command.replace(/%/g, '\\%')}`;
}

export function cronFile(o: ScheduleOptions): string {
  return `# ${CRON_FILE}: written by Dockhand. The scheduled Docker cleanup (exact prune; running, in-use and
# ${o.protectLabel}=true objects and volumes are kept). Log: ${o.logFile}
SHELL=/bin/sh
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
${cronLine(o)}
`;
}
