/**
 * What each stat'ed path is, as the `role` of its FileStatFact. Checks select files by these exact strings, so they
 * are part of the facts vocabulary: change one and every saved snapshot stops matching.
 */
export const FILE_ROLES = {
  dockerSocket: 'Docker socket',
  daemonJson: 'daemon.json',
  serviceUnit: 'docker.service unit',
  serviceDropIn: 'docker.service drop-in',
  socketUnit: 'docker.socket unit',
  socketDropIn: 'docker.socket drop-in',
  etcDocker: '/etc/docker directory',
  certsDir: 'registry certificates directory',
  registryCert: 'registry certificate or key',
  tlsCa: 'TLS CA certificate',
  tlsCert: 'TLS server certificate',
  tlsKey: 'TLS server key',
  defaultDocker: '/etc/default/docker',
  sysconfigDocker: '/etc/sysconfig/docker',
  containerdSocket: 'containerd socket',
  // Paths CIS 1.1.x wants audited; stat'ed so the audit check knows which of them exist here.
  dockerdBinary: 'dockerd binary',
  dataRoot: 'Docker data root',
  containerdRunDir: 'containerd run directory',
  containerdConfig: 'containerd config',
  containerdBinary: 'containerd binary',
  containerdShim: 'containerd-shim binary',
  containerdShimV1: 'containerd-shim-runc-v1 binary',
  containerdShimV2: 'containerd-shim-runc-v2 binary',
  runcBinary: 'runc binary',
} as const;
export type FileRole = (typeof FILE_ROLES)[keyof typeof FILE_ROLES];
