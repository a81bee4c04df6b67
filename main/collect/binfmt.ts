import type { Fact } from '../../shared/fact';
import type { BinfmtFact, BinfmtHandler } from '../../shared/facts/container-outcomes';
import type { Source } from '../../shared/source';
import { HostError } from '../host/host';
import { type CollectContext, failure } from './context';
import { BINFMT_DIR } from '../../shared/facts/vocabulary';

/** A handler entry is a few lines; anything larger is not one. */
const ENTRY_BYTES = 4096;

/**
 * ELF e_machine values and the architecture names images use (Go's GOARCH), split by ELF class (32/64-bit) and byte
 * order where one machine value covers several. From the ELF specification's machine table (elf.h).
 */
function elfArch(machine: number, is64: boolean, littleEndian: boolean): string | null {
  switch (machine) {
    case 3:
      return '386';
    case 62:
      return 'amd64';
    case 40:
      return 'arm';
    case 183:
      return 'arm64';
    case 21:
      return littleEndian ? 'ppc64le' : 'ppc64';
    case 22:
      return is64 ? 's390x' : null;
    case 243:
      return is64 ? 'riscv64' : null;
    case 8:
      return `${is64 ? 'mips64' : 'mips'}${littleEndian ? 'le' : ''}`;
    case 258:
      return 'loong64';
    default:
      return null;
  }
}

/**
 * One /proc/sys/fs/binfmt_misc entry (the kernel's format, Documentation/admin-guide/binfmt-misc.rst): its state,
 * interpreter, flags, and which ELF machine its magic matches, read from the magic bytes the kernel compares, never
 * from the entry's name (qemu-aarch64 is a name its registrar chose).
 */
export function parseBinfmtEntry(name: string, text: string): BinfmtHandler {
  const fields = new Map<string, string>();
  const lines = text.split('\n').map((l) => l.trim());
  for (const line of lines.slice(1)) {
    const match = /^([a-z]+):?\s+(.*)$/.exec(line);
    if (match) fields.set(match[1]!, match[2]!);
  }
  return {
    name,
    enabled: lines[0] === 'enabled',
    interpreter: fields.get('interpreter') ?? '',
    flags: fields.get('flags') ?? '',
    arch: magicArch(fields.get('offset'), fields.get('magic')),
  };
}

function magicArch(offset: string | undefined, magic: string | undefined): string | null {
  if (offset !== '0' || !magic || !/^([0-9a-f]{2})+$/i.test(magic)) return null;
  const bytes = Buffer.from(magic, 'hex');
  // The ELF identification, then e_type (2 bytes) and e_machine (2 bytes) at 18, in the file's byte order.
  if (bytes.length < 20 || bytes.readUInt32BE(0) !== 0x7f454c46) return null;
  const littleEndian = bytes[5] === 1;
  return elfArch(littleEndian ? bytes.readUInt16LE(18) : bytes.readUInt16BE(18), bytes[4] === 2, littleEndian);
}

/** The daemon host's binfmt_misc handlers: whether images of another architecture can run there under emulation. */
export async function collectBinfmt(ctx: CollectContext): Promise<Fact<BinfmtFact>> {
  const { host } = ctx;
  if (host.kind === 'rootfs')
    return failure(
      new HostError('unsupported', 'auditing an offline root filesystem: binfmt_misc handlers exist only in a running kernel'),
    );
  if (host.platform !== 'linux') {
    return failure(
      new HostError(
        'unsupported',
        `binfmt_misc is a Linux kernel feature (this is ${host.platform}; Docker Desktop registers its emulators inside its VM)`,
      ),
    );
  }
  const sources: Source[] = [{ kind: 'file', path: BINFMT_DIR }];
  try {
    let status: string;
    try {
      status = (await host.readFile(`${BINFMT_DIR}/status`, 64)).toString('utf8').trim();
    } catch (error) {
      // The directory exists as a mount point either way; the status file only once binfmt_misc is mounted.
      if (error instanceof HostError && error.code === 'not-found')
        return { ok: true, value: { status: 'not-mounted', handlers: [] }, sources };
      throw error;
    }
    const names = (await host.readDir(BINFMT_DIR)).filter((n) => n !== 'status' && n !== 'register').sort();
    const handlers: BinfmtHandler[] = [];
    for (const name of names) {
      try {
        handlers.push(parseBinfmtEntry(name, (await host.readFile(`${BINFMT_DIR}/${name}`, ENTRY_BYTES)).toString('utf8')));
      } catch (error) {
        // Unregistered while listing.
        if (!(error instanceof HostError && error.code === 'not-found')) throw error;
      }
    }
    return { ok: true, value: { status: status === 'enabled' ? 'enabled' : 'disabled', handlers }, sources };
  } catch (error) {
    return failure(error, sources);
  }
}
