import { daemonElsewhere } from '../../shared/endpoint-place';
import type { Facts } from '../../shared/facts';

/** Facts about what kind of daemon this is, for checks' `applies()`: rootless, Desktop, userns-remapped, offline. */

/** Whether the running daemon lists a security option, e.g. "name=rootless" in "name=rootless,foo=bar". */
export function hasSecurityOption(facts: Facts, name: string): boolean {
  return facts.info.ok && facts.info.value.securityOptions.some((o) => o.split(',').includes(`name=${name}`));
}

export function isRootless(facts: Facts): boolean {
  if (facts.info.ok) return hasSecurityOption(facts, 'rootless');
  return facts.endpoint.ok && facts.endpoint.value.flavour === 'rootless';
}

export function isDesktop(facts: Facts): boolean {
  if (facts.engine.ok && facts.engine.value.platformName) return /docker desktop/i.test(facts.engine.value.platformName);
  if (facts.info.ok && /docker desktop/i.test(facts.info.value.operatingSystem)) return true;
  return facts.endpoint.ok && facts.endpoint.value.flavour === 'desktop';
}

/**
 * WSL 2: the daemon's kernel (or this host's, when the daemon is not reachable) is Microsoft's WSL kernel, or Docker
 * Desktop says its WSL 2 engine is on. Null when nothing tells.
 */
export function isWsl(facts: Facts): boolean | null {
  const wslKernel = (kernel: string) => /microsoft/i.test(kernel);
  if (facts.info.ok)
    return wslKernel(facts.info.value.kernelVersion) || (facts.desktop.ok && facts.desktop.value.wslEngineEnabled === true);
  if (facts.desktop.ok && facts.desktop.value.wslEngineEnabled !== null) return facts.desktop.value.wslEngineEnabled;
  if (facts.host.ok) return facts.host.value.platform === 'linux' ? wslKernel(facts.host.value.kernel) : null;
  return null;
}

export function usesUserns(facts: Facts): boolean {
  return hasSecurityOption(facts, 'userns');
}

/** The reason a host-level daemon setting does not apply to Docker Desktop (its engine runs in a VM Dockhand does not audit). */
export function desktopReason(facts: Facts): string | null {
  return isDesktop(facts) ? 'Docker Desktop runs the engine in its own VM, configured from Desktop settings' : null;
}

/** The endpoint's host when the daemon runs on another machine (any ssh://, tcp:// to a host that is not loopback). */
export function remoteDaemon(facts: Facts): string | null {
  return facts.endpoint.ok && daemonElsewhere(facts.endpoint.value) ? facts.endpoint.value.host : null;
}
