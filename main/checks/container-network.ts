import type { Check } from '../../shared/check';
import type { ContainerFact, Facts } from '../../shared/facts';
import type { Evidence } from '../../shared/finding';
import { daemonView } from '../check-kit/daemon-view';
import { cis, docs } from './references';
import { ALL_PLATFORMS, inspected, Level, perContainer, now, linuxContainersOnly } from './container-helpers';

// --- images, ports and networks ----------------------------------------------------------------------------------

/** What a Config.Image reference pins: a digest or image id (immutable), a tag, or nothing (implicitly :latest). */
export function imagePin(ref: string): { kind: 'digest' | 'id' | 'latest' | 'untagged' | 'tag'; tag: string | null } {
  if (ref.includes('@')) return { kind: 'digest', tag: null };
  if (/^(sha256:)?[0-9a-f]{12,64}$/.test(ref)) return { kind: 'id', tag: null };
  const lastSlash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  // A colon before the last slash is a registry port (localhost:5000/app), not a tag.
  if (colon <= lastSlash) return { kind: 'untagged', tag: null };
  const tag = ref.slice(colon + 1);
  return { kind: tag === 'latest' ? 'latest' : 'tag', tag };
}

export const containerMutableTag: Check = {
  id: 'container.mutable-tag',
  title: 'Containers run a pinned image, not :latest',
  category: 'images',
  severity: 'low',
  rationale:
    'A container created from :latest (or from a name with no tag, which means :latest) cannot be reproduced: re-creating it later, or on another host, silently pulls whatever latest is then, including a breaking or compromised release. A version tag is better; a digest (@sha256:…) is immutable.',
  remediation:
    'Re-create the container from a version tag or a digest, e.g. nginx:1.27.2 or nginx@sha256:<digest> (docker inspect --format "{{index .RepoDigests 0}}" IMAGE shows the digest in use).',
  references: [
    docs(
      'docker image pull: pull an image by digest',
      'https://docs.docker.com/reference/cli/docker/image/pull/#pull-an-image-by-digest-immutable-identifier',
    ),
  ],
  cis: null,
  platforms: ALL_PLATFORMS,
  fixId: null,
  evaluate(facts) {
    return perContainer(
      facts,
      (c) => {
        const pin = imagePin(c.image);
        if (pin.kind !== 'latest' && pin.kind !== 'untagged') return null;
        return {
          level: 'low' as Level,
          pin,
          evidence: [inspected(c, 'Config.Image', c.image), inspected(c, 'image id in use', c.imageId)],
        };
      },
      {
        running: (c, hit) =>
          `Container ${c.name} runs ${c.image}${hit.pin.kind === 'untagged' ? ' (no tag: :latest)' : ''}, a tag that moves: it cannot be re-created identically.`,
        stopped: (c) => `Container ${c.name} was created from the moving tag ${c.image} ${now(c)}.`,
        none: (n) => `All ${n} containers run an image pinned by a version tag, digest or id.`,
      },
    );
  },
};

const ALL_INTERFACES = new Set(['0.0.0.0', '::', '[::]']);

/** The address "-p 80:80" (no IP) binds to: dockerd's "ip" setting, 0.0.0.0 (and :: with IPv6) unless set. */
function defaultBindAddress(facts: Facts): { address: string; evidence: Evidence } {
  const setting = daemonView(facts).setting('ip');
  const value = Array.isArray(setting?.value) ? setting.value.at(-1) : setting?.value;
  if (setting && typeof value === 'string' && value !== '') {
    return {
      address: value,
      evidence: {
        label: `default bind address (${setting.origin === 'flag' ? 'dockerd --ip' : 'daemon.json "ip"'})`,
        value,
        source: setting.source,
      },
    };
  }
  return {
    address: '0.0.0.0',
    evidence: {
      label: 'default bind address',
      value: '0.0.0.0',
      source: { kind: 'default', detail: 'dockerd binds published ports to every interface unless "ip" is set' },
    },
  };
}

const describeBinding = (b: ContainerFact['hostConfig']['portBindings'][number], address: string) =>
  `${address.includes(':') && !address.startsWith('[') ? `[${address}]` : address}:${b.hostPort || '(random)'}->${b.containerPort}`;

export const containerPortsAllInterfaces: Check = {
  id: 'container.ports-all-interfaces',
  title: 'Published ports are bound to a specific interface',
  category: 'network',
  severity: 'medium',
  rationale:
    'A port published as -p 8080:80 listens on every interface of the host, IPv4 and IPv6, and Docker inserts its own iptables rules ahead of host firewalls such as ufw: an admin panel or database meant for localhost is reachable from the network.',
  remediation:
    'Publish on the address that should be reachable, e.g. -p 127.0.0.1:8080:80 for local access, or set "ip": "127.0.0.1" in daemon.json to change the default for new containers.',
  references: [cis('5.14'), docs('Port publishing and mapping', 'https://docs.docker.com/engine/network/port-publishing/')],
  cis: '5.14',
  platforms: ALL_PLATFORMS,
  fixId: null,
  evaluate(facts) {
    const fallback = defaultBindAddress(facts);
    return perContainer(
      facts,
      (c) => {
        const open = c.hostConfig.portBindings
          .map((b) => ({ binding: b, address: b.hostIp === '' ? fallback.address : b.hostIp }))
          .filter(({ address }) => ALL_INTERFACES.has(address));
        if (open.length === 0) return null;
        const usesDefault = open.some(({ binding }) => binding.hostIp === '');
        return {
          ports: open.map(({ binding, address }) => describeBinding(binding, address)),
          evidence: [
            inspected(
              c,
              'published on every interface',
              open.map(({ binding, address }) => describeBinding(binding, address)),
            ),
            ...(usesDefault ? [fallback.evidence] : []),
          ],
        };
      },
      {
        running: (c, hit) => `Container ${c.name} publishes ${hit.ports.join(', ')} on every host interface.`,
        stopped: (c, hit) => `Container ${c.name} will publish ${hit.ports.join(', ')} on every host interface when started ${now(c)}.`,
        none: (n) => `None of the ${n} containers publishes a port on every interface.`,
      },
      [fallback.evidence],
    );
  },
};

/** The first host port of a binding ("80", "8000-8010"); null for a random port. */
function firstHostPort(hostPort: string): number | null {
  const first = Number.parseInt(hostPort.split('-')[0] ?? '', 10);
  return Number.isFinite(first) && first > 0 ? first : null;
}

export const containerPrivilegedPorts: Check = {
  id: 'container.privileged-ports',
  title: 'No container publishes a privileged host port (below 1024)',
  category: 'network',
  severity: 'low',
  rationale:
    'Ports below 1024 are reserved to root on the host, and clients trust them accordingly (SSH on 22, SMTP on 25, DNS on 53). Docker binds them for any container, so a container can take over a well-known service port. Publishing 80 or 443 from a reverse proxy is normal: waive those findings.',
  remediation: 'Publish on a port of 1024 or above (-p 8080:80), unless the container is the intended front end for that port.',
  references: [cis('5.8')],
  cis: '5.8',
  platforms: ALL_PLATFORMS,
  fixId: null,
  evaluate(facts) {
    return perContainer(
      facts,
      (c) => {
        const low = c.hostConfig.portBindings.filter((b) => {
          const port = firstHostPort(b.hostPort);
          return port !== null && port < 1024;
        });
        if (low.length === 0) return null;
        const ports = low.map((b) => `${b.hostPort}->${b.containerPort}`);
        return { ports, evidence: [inspected(c, 'privileged host ports', ports)] };
      },
      {
        running: (c, hit) =>
          `Container ${c.name} publishes privileged host port${hit.ports.length > 1 ? 's' : ''} ${hit.ports.join(', ')}.`,
        stopped: (c, hit) => `Container ${c.name} will publish privileged host ports ${hit.ports.join(', ')} when started ${now(c)}.`,
        none: (n) => `None of the ${n} containers publishes a host port below 1024.`,
      },
    );
  },
};

export const containerDefaultBridge: Check = {
  id: 'container.default-bridge',
  title: 'Containers use a user-defined network, not the default bridge (docker0)',
  category: 'network',
  severity: 'low',
  rationale:
    'Every container on the default bridge shares one flat network: unless icc is off, each can reach every port of every other, and they have no DNS for each other. A user-defined network per application isolates unrelated containers and gives them name resolution.',
  remediation:
    'Create a network per application (docker network create app) and re-create its containers with --network app (compose does this by default).',
  references: [cis('5.30'), docs('Bridge network driver', 'https://docs.docker.com/engine/network/drivers/bridge/')],
  cis: '5.30',
  platforms: ALL_PLATFORMS,
  fixId: null,
  applies: linuxContainersOnly,
  evaluate(facts) {
    const bridge = facts.bridgeNetwork.ok ? facts.bridgeNetwork.value : null;
    const bridgeEvidence: Evidence[] = bridge
      ? [
          {
            label: 'default bridge interface',
            value: bridge.options['com.docker.network.bridge.name'] ?? 'docker0',
            source: { kind: 'api', call: 'GET /networks/bridge' },
          },
          {
            label: 'inter-container traffic on it (icc)',
            value: bridge.options['com.docker.network.bridge.enable_icc'] !== 'false',
            source: { kind: 'api', call: 'GET /networks/bridge' },
          },
        ]
      : [];
    return perContainer(
      facts,
      (c) => {
        const mode = c.hostConfig.networkMode;
        // "default" is how 20.10 stores the default network, "bridge" how 26.1 and 28.5 do (main/collect/engine.test.ts).
        // Also a container put on a user-defined network and later connected to "bridge" with `docker network connect`.
        if (mode !== 'default' && mode !== 'bridge' && !c.networks.includes('bridge')) return null;
        return {
          level: 'low' as Level,
          evidence: [inspected(c, 'HostConfig.NetworkMode', mode), inspected(c, 'NetworkSettings.Networks', c.networks), ...bridgeEvidence],
        };
      },
      {
        running: (c) => `Container ${c.name} is on the default bridge network.`,
        stopped: (c) => `Container ${c.name} is attached to the default bridge network ${now(c)}.`,
        none: (n) => `None of the ${n} containers uses the default bridge network.`,
      },
    );
  },
};
