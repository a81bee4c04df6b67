import type { Category, Severity, Status } from '../../../shared/finding';
import { STATUS_ATTENTION_ORDER } from '../../../shared/finding-order';

export const CATEGORY_LABEL: Record<Category, string> = {
  'daemon-config': 'Daemon configuration',
  logging: 'Logging',
  registry: 'Registries',
  network: 'Network',
  proxy: 'Proxy',
  dns: 'DNS',
  access: 'Access control',
  isolation: 'Isolation',
  'container-runtime': 'Container runtime',
  images: 'Images',
  client: 'Docker client',
  disk: 'Disk',
  'wsl-desktop': 'WSL and Docker Desktop',
  host: 'Host',
  files: 'Files and permissions',
  policy: 'Policy',
};

export const STATUS_LABEL: Record<Status, string> = {
  fail: 'Failed',
  warn: 'Warning',
  error: 'Error',
  info: 'Info',
  pass: 'Passed',
  skipped: 'Skipped',
};

export const SEVERITY_LABEL: Record<Severity, string> = {
  critical: 'Critical',
  high: 'High',
  medium: 'Medium',
  low: 'Low',
  // Not "Info": that is a status (a fact reported, neither pass nor fail); one word per meaning on the chips and badges.
  info: 'Note',
};

/** Display order: what needs attention first. */
export const STATUS_ORDER: readonly Status[] = STATUS_ATTENTION_ORDER;
/** The statuses a user opening the findings wants to see: the problems. */
export const PROBLEM_STATUSES: readonly Status[] = ['fail', 'error', 'warn'];

/** What each collector reads, in words (the audit's progress): the fact names are internal. */
const COLLECTOR_LABEL: Record<string, string> = {
  endpoint: 'Docker endpoint',
  host: 'Host system',
  engine: 'Engine version',
  info: 'Engine information',
  containers: 'Containers',
  diskUsage: 'Docker disk usage',
  bridgeNetwork: 'Default bridge network',
  daemonProcess: 'dockerd process',
  serviceUnit: 'docker.service unit',
  serviceDropIns: 'docker.service drop-ins',
  serviceUnitState: 'systemd state of docker.service',
  daemonFlags: 'dockerd flags',
  images: 'Images',
  files: 'File permissions',
  accounts: 'Users and groups',
  subIds: 'Subordinate IDs',
  clientConfig: 'Docker client configuration',
  processEnv: 'Daemon environment',
  auditRules: 'Audit rules',
  hostNetwork: 'Host network',
  dns: 'DNS configuration',
  iptables: 'Firewall rules',
  dataRootFs: 'Data root file system',
  containerLogs: 'Container logs',
  exitLogs: 'Logs of failed containers',
  binfmt: 'Emulators (binfmt_misc)',
  scheduledCleanup: 'Scheduled cleanup',
  desktop: 'Docker Desktop',
  wsl: 'WSL 2',
  daemonConfig: 'daemon.json',
};

/** A collector's name for people; one added later without a label still reads as words, not camelCase. */
export function collectorLabel(name: string): string {
  const known = COLLECTOR_LABEL[name];
  if (known) return known;
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
