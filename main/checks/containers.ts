import type { Check } from '../../shared/check';
import {
  containerHostNetwork,
  containerHostPid,
  containerHostIpc,
  containerHostUts,
  containerHostUserns,
  containerDangerousCapabilities,
  containerAddedCapabilities,
  containerSeccompUnconfined,
  containerAppArmorUnconfined,
  containerNoNewPrivileges,
  containerMountPropagation,
} from './container-isolation';
import {
  containerMemoryLimit,
  containerCpuLimit,
  containerPidsLimit,
  containerRestartPolicy,
  containerRestartLoop,
  containerHealthcheck,
  containerUnhealthy,
} from './container-resources';
import {
  containerRunsAsRoot,
  containerReadonlyRootfs,
  containerSensitiveMounts,
  containerPrivileged,
  containerDockerSocketMount,
  containerHostDevices,
} from './container-filesystem';
import { containerMutableTag, containerPortsAllInterfaces, containerPrivilegedPorts, containerDefaultBridge } from './container-network';
import { containerExitedNonzero, containerOomKilled } from './container-outcomes';
import { containerPlatformMismatch } from './container-platform';
import { containerLogRotation, containerLogsDiscarded } from './container-logging';

export * from './container-isolation';
export * from './container-resources';
export * from './container-filesystem';
export * from './container-network';
export * from './container-outcomes';
export * from './container-platform';
export * from './container-logging';

/**
 * Container runtime checks (CIS Docker Benchmark section 5, plus health and restart loops): pure functions of the one
 * inspect per container the audit collected (facts.containers), grouped by concern in the container-*.ts modules.
 */

export const CONTAINER_CHECKS: readonly Check[] = [
  containerPrivileged,
  containerDockerSocketMount,
  containerHostNetwork,
  containerHostPid,
  containerHostIpc,
  containerHostUts,
  containerHostUserns,
  containerDangerousCapabilities,
  containerAddedCapabilities,
  containerSensitiveMounts,
  containerMountPropagation,
  containerHostDevices,
  containerSeccompUnconfined,
  containerAppArmorUnconfined,
  containerNoNewPrivileges,
  containerRunsAsRoot,
  containerReadonlyRootfs,
  containerMemoryLimit,
  containerCpuLimit,
  containerPidsLimit,
  containerPortsAllInterfaces,
  containerPrivilegedPorts,
  containerDefaultBridge,
  containerRestartPolicy,
  containerRestartLoop,
  containerExitedNonzero,
  containerOomKilled,
  containerPlatformMismatch,
  containerHealthcheck,
  containerUnhealthy,
  containerMutableTag,
  containerLogsDiscarded,
  containerLogRotation,
];
