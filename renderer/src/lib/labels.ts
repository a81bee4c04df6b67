import type { Category, Severity, Status } from '../../../shared/finding';

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
  info: 'Info',
};

/** Display order: what needs attention first. */
export const STATUS_ORDER: readonly Status[] = ['fail', 'error', 'warn', 'info', 'pass', 'skipped'];
/** The statuses a user opening the findings wants to see: the problems. */
export const PROBLEM_STATUSES: readonly Status[] = ['fail', 'error', 'warn'];
