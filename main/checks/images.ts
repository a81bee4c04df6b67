import type { Check } from '../../shared/check';
import type { ContainerFact, Facts } from '../../shared/facts';
import type { ImageFact } from '../../shared/facts/images';
import type { CheckResult, Evidence } from '../../shared/finding';
import type { Source } from '../../shared/source';
import { isRootUser } from './containers';
import { cis, docs } from './references';
import { hasSecurityOption } from '../check-kit/applicability';
import { INFO, fail, info, need, pass, warn } from '../check-kit/result';

/**
 * Image checks (CIS Docker Benchmark section 4) over facts.images, judged by how the images are used: an image a
 * running container uses matters now, one only stopped containers use matters when they start, and an unused one
 * (a build base, a leftover) is only noted. docker-bench flags every local image alike.
 */

const ALL_PLATFORMS: Check['platforms'] = ['linux', 'darwin', 'win32'];

const imageSource = (image: ImageFact): Source => ({
  kind: 'api',
  call: `GET /images/${image.id.replace(/^sha256:/, '').slice(0, 12)}/json`,
});

/** A stable, readable target: the first tag, else the short id (untagged images have nothing better). */
export function imageName(image: ImageFact): string {
  return image.repoTags[0] ?? image.id.replace(/^sha256:/, '').slice(0, 12);
}

interface Usage {
  image: ImageFact;
  running: ContainerFact[];
  stopped: ContainerFact[];
}

function usageOf(images: ImageFact[], containers: ContainerFact[]): Usage[] {
  return images.map((image) => {
    const users = containers.filter((c) => c.imageId === image.id);
    return { image, running: users.filter((c) => c.state.running), stopped: users.filter((c) => !c.state.running) };
  });
}

const names = (cs: ContainerFact[]) => cs.map((c) => c.name);
const list = (what: string, cs: ContainerFact[]) => `${what}${cs.length > 1 ? 's' : ''} ${names(cs).join(', ')}`;

function usageEvidence(u: Usage): Evidence[] {
  const call: Source = { kind: 'api', call: 'GET /containers/json?all=1' };
  return [
    { label: 'image id', value: u.image.id, source: imageSource(u.image) },
    { label: 'used by running containers', value: names(u.running), source: call },
    { label: 'used by stopped containers', value: names(u.stopped), source: call },
  ];
}

/**
 * The shared shape of both checks: `offends(image)` says whether the image lacks the setting; `covered(container)`
 * whether a container makes up for it at run time (--user, --health-cmd). One result per offending image.
 */
interface ImageRule {
  offends(image: ImageFact): Evidence | null;
  covered(c: ContainerFact): boolean;
  /** Whether the running daemon blunts the finding (userns-remap for root), with the evidence why. */
  softened?(facts: Facts): Evidence | null;
  messages: {
    /** `containers`: the running (or, for `stopped`, stopped) containers that do not make up for it. */
    running(name: string, containers: ContainerFact[]): string;
    stopped(name: string, containers: ContainerFact[]): string;
    covered(name: string): string;
    unused(name: string): string;
    none(count: number): string;
  };
}

function evaluateImages(facts: Facts, rule: ImageRule): CheckResult[] {
  const images = need(facts.images, 'the image list');
  const containers = need(facts.containers, 'the container list');
  const softened = rule.softened?.(facts) ?? null;
  const results: CheckResult[] = [];
  for (const u of usageOf(images, containers)) {
    const finding = rule.offends(u.image);
    if (!finding) continue;
    const name = imageName(u.image);
    const evidence = [finding, ...usageEvidence(u)];
    const users = [...u.running, ...u.stopped];
    const bare = { running: u.running.filter((c) => !rule.covered(c)), stopped: u.stopped.filter((c) => !rule.covered(c)) };
    if (users.length === 0) results.push(info(rule.messages.unused(name), { target: name, evidence }));
    else if (bare.running.length + bare.stopped.length === 0) results.push(info(rule.messages.covered(name), { target: name, evidence }));
    else if (bare.running.length > 0)
      results.push(
        (softened ? warn : fail)(rule.messages.running(name, bare.running), {
          target: name,
          evidence: softened ? [...evidence, softened] : evidence,
        }),
      );
    else results.push(warn(rule.messages.stopped(name, bare.stopped), { target: name, evidence }));
  }
  // Notes about unused images are not problems: the summary still says the images in use are fine.
  if (results.some((r) => r.status === 'fail' || r.status === 'warn')) return results;
  const inUse = usageOf(images, containers).filter((u) => u.running.length + u.stopped.length > 0).length;
  return [
    pass(rule.messages.none(inUse), {
      evidence: [{ label: 'images inspected', value: images.length, source: { kind: 'api', call: 'GET /images/json' } }],
    }),
    ...results,
  ];
}

function userNamespaceNote(facts: Facts): Evidence | null {
  if (!facts.info.ok) return null;
  if (hasSecurityOption(facts, 'rootless'))
    return {
      label: 'rootless daemon',
      value: "root in these containers is the daemon's unprivileged user on this host; the image still runs as root elsewhere",
      source: INFO,
    };
  if (hasSecurityOption(facts, 'userns'))
    return {
      label: 'userns-remap',
      value: 'root in these containers is remapped to an unprivileged uid on this host; the image still runs as root elsewhere',
      source: INFO,
    };
  return null;
}

const imageUser: Check = {
  id: 'image.user',
  title: 'Images in use set a non-root USER',
  category: 'images',
  severity: 'medium',
  rationale:
    'An image without a USER instruction runs its process as root unless every `docker run` remembers --user. Any escape from such a container (a kernel bug, a mounted host path) lands as host root. Setting USER in the image makes the safe choice the default wherever it runs.',
  remediation:
    'Add a user in the Dockerfile and switch to it: `RUN adduser -D -u 10001 app` then `USER 10001`, and rebuild. Until then, run its containers with --user.',
  references: [cis('4.1'), docs('Dockerfile reference: USER', 'https://docs.docker.com/reference/dockerfile/#user')],
  cis: '4.1',
  platforms: ALL_PLATFORMS,
  fixId: null,
  applies: (facts) =>
    facts.engine.ok && facts.engine.value.os === 'windows'
      ? 'Windows images run as ContainerUser or ContainerAdministrator, not Linux root'
      : null,
  evaluate(facts) {
    return evaluateImages(facts, {
      offends: (image) =>
        isRootUser(image.user)
          ? { label: 'Config.User', value: image.user === '' ? '(not set: root)' : image.user, source: imageSource(image) }
          : null,
      covered: (c) => !isRootUser(c.user),
      softened: userNamespaceNote,
      messages: {
        running: (name, cs) =>
          `Image ${name} runs as root (no USER), and ${list('running container', cs)} run${cs.length > 1 ? '' : 's'} it as root.`,
        stopped: (name, cs) => `Image ${name} runs as root (no USER); ${list('stopped container', cs)} will run it as root when started.`,
        covered: (name) => `Image ${name} has no USER, but every container using it sets a non-root --user.`,
        unused: (name) => `Image ${name} has no USER (runs as root); no container uses it.`,
        none: (n) => `All ${n} images in use set a non-root USER, or their containers override it.`,
      },
    });
  },
};

const imageHealthcheck: Check = {
  id: 'image.healthcheck',
  title: 'Images in use define a HEALTHCHECK',
  category: 'images',
  severity: 'low',
  rationale:
    'With a HEALTHCHECK in the image, every container from it reports whether the service works, not only whether its process exists, wherever it runs. Without one, each `docker run` must add --health-cmd. Base images used only to build others are not flagged, and a health check added at run time counts (docker-bench flags both).',
  remediation:
    'Add a HEALTHCHECK to the Dockerfile (e.g. `HEALTHCHECK CMD wget -qO- http://localhost:8080/health || exit 1`) and rebuild, or give its containers --health-cmd.',
  references: [cis('4.6'), docs('Dockerfile reference: HEALTHCHECK', 'https://docs.docker.com/reference/dockerfile/#healthcheck')],
  cis: '4.6',
  platforms: ALL_PLATFORMS,
  fixId: null,
  evaluate(facts) {
    return evaluateImages(facts, {
      offends: (image) =>
        image.hasHealthcheck ? null : { label: 'Config.Healthcheck', value: 'none (or NONE)', source: imageSource(image) },
      // The container's Config merges the image's: with none in the image, a container that has one added it at run time.
      covered: (c) => c.hasHealthcheck,
      messages: {
        running: (name, cs) =>
          `Image ${name} has no HEALTHCHECK, and ${list('running container', cs)} add${cs.length > 1 ? '' : 's'} none at run time.`,
        stopped: (name, cs) =>
          `Image ${name} has no HEALTHCHECK, and ${list('stopped container', cs)} add${cs.length > 1 ? '' : 's'} none at run time.`,
        covered: (name) => `Image ${name} has no HEALTHCHECK, but every container using it adds one at run time.`,
        unused: (name) => `Image ${name} has no HEALTHCHECK; no container uses it.`,
        none: (n) => `All ${n} images in use define a HEALTHCHECK, or their containers add one.`,
      },
    });
  },
};

export const IMAGE_CHECKS: readonly Check[] = [imageUser, imageHealthcheck];
