import type { Check } from '../../shared/check';
import type { ContainerFact, Facts } from '../../shared/facts';
import type { BinfmtFact } from '../../shared/facts/container-outcomes';
import type { ImageFact } from '../../shared/facts/images';
import type { CheckResult, Evidence } from '../../shared/finding';
import type { Source } from '../../shared/source';
import { BINFMT_DIR } from '../../shared/facts/vocabulary';
import { isDesktop } from '../check-kit/applicability';
import { ALL_PLATFORMS, LIST, inspected } from './container-helpers';
import { docs } from './references';
import { INFO, fail, need, pass, skipped, warn } from '../check-kit/result';

/**
 * Containers whose image was built for another platform than the daemon's host: the kernel refuses its programs
 * ("exec format error") unless an emulator is registered with binfmt_misc.
 */

/**
 * dockerd's /info says the kernel's name for the machine (uname -m: x86_64, aarch64); images and /version say Go's
 * (amd64, arm64). Both are mapped to Go's.
 */
const GO_ARCH: Record<string, string> = {
  x86_64: 'amd64',
  x86: '386',
  i386: '386',
  i686: '386',
  aarch64: 'arm64',
  armv8l: 'arm',
  armv7l: 'arm',
  armv6l: 'arm',
  armhf: 'arm',
  armel: 'arm',
  ppc64el: 'ppc64le',
  loongarch64: 'loong64',
};
export const goArch = (name: string): string => GO_ARCH[name.toLowerCase()] ?? name.toLowerCase();

/** What a CPU runs natively besides its own architecture, as containerd's platform matcher assumes (platforms.Only). */
const ALSO_RUNS: Record<string, readonly string[]> = { amd64: ['386'], arm64: ['arm'] };

function hostPlatform(facts: Facts): { os: string; arch: string; evidence: Evidence } | null {
  if (facts.info.ok && facts.info.value.architecture) {
    const { osType, architecture } = facts.info.value;
    return {
      os: osType.toLowerCase(),
      arch: goArch(architecture),
      evidence: { label: 'host platform', value: `${osType}/${goArch(architecture)} (the daemon reports ${architecture})`, source: INFO },
    };
  }
  if (facts.engine.ok && facts.engine.value.arch) {
    const { os, arch } = facts.engine.value;
    return {
      os: os.toLowerCase(),
      arch: goArch(arch),
      evidence: { label: 'host platform', value: `${os}/${arch}`, source: { kind: 'api', call: 'GET /version' } },
    };
  }
  return null;
}

const platformText = (i: ImageFact) => [i.os, i.architecture, i.variant].filter(Boolean).join('/');
const imageSource = (i: ImageFact): Source => ({ kind: 'api', call: `GET /images/${i.id.replace(/^sha256:/, '').slice(0, 12)}/json` });
const BINFMT: Source = { kind: 'file', path: BINFMT_DIR };

type Emulation = { usable: true; evidence: Evidence } | { usable: false; known: boolean; evidence: Evidence };

/**
 * Whether the kernel can run `arch` binaries in a container: an enabled handler whose magic matches that machine and
 * that has the F flag (without it the kernel looks the interpreter up inside the container, where it is not).
 */
function emulation(facts: Facts, arch: string): Emulation {
  if (isDesktop(facts))
    return {
      usable: true,
      evidence: { label: 'emulation', value: 'Docker Desktop registers qemu (or Rosetta) for other architectures in its VM', source: INFO },
    };
  const fact = facts.binfmt;
  if (!fact)
    return {
      usable: false,
      known: false,
      evidence: {
        label: 'emulation',
        value: 'unknown: this snapshot holds no binfmt_misc facts',
        source: { kind: 'default', detail: 'older facts snapshot' },
      },
    };
  if (!fact.ok)
    return {
      usable: false,
      known: false,
      evidence: { label: 'emulation', value: `unknown: ${fact.error.message}`, source: fact.sources[0] ?? BINFMT },
    };
  return judgeHandlers(fact.value, arch);
}

function judgeHandlers(binfmt: BinfmtFact, arch: string): Emulation {
  if (binfmt.status === 'not-mounted')
    return {
      usable: false,
      known: true,
      evidence: { label: 'emulation', value: 'none: binfmt_misc is not mounted, so no emulator is registered', source: BINFMT },
    };
  const forArch = binfmt.handlers.filter((h) => h.arch === arch);
  const usable = forArch.find((h) => h.enabled && h.flags.includes('F'));
  if (binfmt.status === 'enabled' && usable) {
    return {
      usable: true,
      evidence: {
        label: 'emulation',
        value: `${usable.name}: ${usable.interpreter} (flags ${usable.flags})`,
        source: { kind: 'file', path: `${BINFMT_DIR}/${usable.name}` },
      },
    };
  }
  const why =
    binfmt.status === 'disabled'
      ? 'binfmt_misc is disabled'
      : forArch.length === 0
        ? `no handler for ${arch} is registered${binfmt.handlers.length ? ` (registered: ${binfmt.handlers.map((h) => h.name).join(', ')})` : ''}`
        : `${forArch.map((h) => `${h.name} is ${h.enabled ? 'registered without the F flag, so containers cannot reach its interpreter' : 'disabled'}`).join('; ')}`;
  return { usable: false, known: true, evidence: { label: 'emulation', value: `none: ${why}`, source: BINFMT } };
}

export const containerPlatformMismatch: Check = {
  id: 'container.platform-mismatch',
  title: "Containers run images built for the host's platform",
  category: 'images',
  severity: 'high',
  rationale:
    'An image built for another architecture (an arm64 image pulled on an amd64 server, often from a laptop build) holds programs the kernel cannot execute: the container exits at once with "exec format error". With a qemu emulator registered in binfmt_misc it runs, many times slower, with some system calls missing. Images record the platform they were built for (Os, Architecture, Variant); the host\'s is what the daemon reports, x86_64 and aarch64 being amd64 and arm64. 32-bit x86 images on amd64 and 32-bit arm images on arm64 are counted as native, as containerd counts them.',
  remediation:
    'Use the image built for this host: `docker pull --platform linux/amd64 IMAGE` (a multi-platform image holds one) and re-create the container with `docker run --platform linux/amd64 …`, or rebuild it with `docker buildx build --platform linux/amd64`. To run it emulated instead, register qemu with the F flag (`apt-get install qemu-user-static binfmt-support`, or `docker run --privileged --rm tonistiigi/binfmt --install arm64`).',
  references: [
    docs('Multi-platform builds', 'https://docs.docker.com/build/building/multi-platform/'),
    docs('Kernel binfmt_misc', 'https://docs.kernel.org/admin-guide/binfmt-misc.html'),
  ],
  cis: null,
  platforms: ALL_PLATFORMS,
  fixId: null,
  evaluate(facts) {
    const containers = need(facts.containers, 'the container list');
    const images = new Map(need(facts.images, 'the image list').map((i) => [i.id, i]));
    const host = hostPlatform(facts);
    if (!host) {
      need(facts.info, "the daemon's platform");
      return skipped('the daemon reports no architecture');
    }
    const results: CheckResult[] = [];
    for (const c of containers) {
      const image = images.get(c.imageId);
      if (!image || !image.architecture) continue;
      const arch = goArch(image.architecture);
      const osDiffers = image.os !== '' && host.os !== '' && image.os.toLowerCase() !== host.os;
      if (!osDiffers && (arch === host.arch || ALSO_RUNS[host.arch]?.includes(arch))) continue;
      results.push(mismatch(facts, c, image, host, osDiffers));
    }
    if (results.length > 0) return results;
    return pass(`All ${containers.length} containers use images built for this ${host.os}/${host.arch} host.`, {
      evidence: [{ label: 'containers inspected', value: containers.length, source: LIST }, host.evidence],
    });
  },
};

function mismatch(
  facts: Facts,
  c: ContainerFact,
  image: ImageFact,
  host: { os: string; arch: string; evidence: Evidence },
  osDiffers: boolean,
): CheckResult {
  const built = platformText(image);
  const what = `Container ${c.name} uses ${c.image}, built for ${built}, on this ${host.os}/${host.arch} host`;
  const evidence: Evidence[] = [{ label: 'image platform', value: built, source: imageSource(image) }, host.evidence];
  const tail = [inspected(c, 'image', c.image), inspected(c, 'state', c.state.status)];
  const target = { target: c.name };
  if (osDiffers) return fail(`${what}: ${image.os} programs cannot run on ${host.os}.`, { ...target, evidence: [...evidence, ...tail] });
  const emu = emulation(facts, goArch(image.architecture));
  evidence.push(emu.evidence, ...tail);
  if (emu.usable)
    return warn(`${what}: it runs under emulation, many times slower than native and without some system calls.`, { ...target, evidence });
  if (!emu.known)
    return warn(`${what}: unless an emulator is registered on the daemon's host, it fails with "exec format error".`, {
      ...target,
      evidence,
    });
  if (c.state.running) {
    // It runs, yet nothing here can run that architecture: its programs are not what the image says.
    return warn(
      `${what}, yet it runs without an emulator: the image's platform is mislabelled, and it will be chosen wrongly on other hosts.`,
      { ...target, evidence },
    );
  }
  return fail(`${what}, and no emulator is registered for ${goArch(image.architecture)}: its programs fail with "exec format error".`, {
    ...target,
    evidence,
  });
}
