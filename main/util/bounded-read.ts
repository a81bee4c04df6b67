import { close, constants, fstat, open, promises as fs, read, type Stats } from 'node:fs';
import { promisify } from 'node:util';

const openFd = promisify(open);
const fstatFd = promisify(fstat);
const closeFd = promisify(close);
const readFd = (fd: number, buffer: Buffer, offset: number, length: number): Promise<number> =>
  new Promise((resolve, reject) =>
    read(fd, buffer, offset, length, null, (error, bytesRead) => (error ? reject(error) : resolve(bytesRead))),
  );
/** The first read of a file whose size says nothing (/proc): one page. */
const FIRST_READ = 4096;

/**
 * The one way Dockhand reads a file it is given or finds (policies, baselines, facts snapshots, plans, daemon.json,
 * unit files): a regular file only, never more than a cap, nesting checked before a parser recurses into it.
 *
 * Why each step: `/dev/zero` or `/dev/urandom` never ends (readFile would fill memory); opening a FIFO nobody writes
 * to blocks forever (O_NONBLOCK makes the open return, and fstat then refuses it); a directory or a socket is not a
 * file; `/proc` files say size 0, so the size from stat is a first check only and the read itself stops at the cap;
 * and `[[[[…` a megabyte deep overflows the stack of a recursive parser (JSON.parse, YAML, jsonc-parser).
 */
export class InputRefused extends Error {
  override name = 'InputRefused';
  constructor(
    readonly kind: 'not-a-file' | 'too-large' | 'too-deep',
    message: string,
  ) {
    super(message);
  }
}

/** Deeper than any file Dockhand reads needs (a report or facts snapshot is under 20), far below a parser's stack. */
const MAX_NESTING = 128;

function kindOf(s: Stats): string | null {
  if (s.isFile()) return null;
  if (s.isDirectory()) return 'a directory';
  if (s.isFIFO()) return 'a FIFO (named pipe)';
  if (s.isSocket()) return 'a socket';
  if (s.isCharacterDevice()) return 'a character device';
  if (s.isBlockDevice()) return 'a block device';
  return 'not a regular file';
}

const notAFile = (shownAs: string, what: string) => new InputRefused('not-a-file', `${shownAs}: is ${what}, not a regular file`);
const tooLarge = (shownAs: string, size: string, maxBytes: number) =>
  new InputRefused('too-large', `${shownAs}: ${size}, more than the ${maxBytes}-byte limit`);

/**
 * Reads a regular file of at most `maxBytes`. Throws InputRefused for anything else, and the system's error (ENOENT,
 * EACCES…) as it is, for callers that already say "no such file" their own way.
 */
export async function readRegularFile(file: string, maxBytes: number, shownAs = file): Promise<Buffer> {
  // stat first: opening a socket fails with a confusing ENXIO, and this names what it is instead.
  const before = await fs.stat(file);
  const what = kindOf(before);
  if (what) throw notAFile(shownAs, what);
  // A plain descriptor rather than a FileHandle: an audit reads a few hundred small files, and the handle's objects
  // and promise plumbing were a measurable part of its start-up.
  const fd = await openFd(file, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  try {
    // fstat of what was opened: the path may have been replaced between the stat and the open.
    const info = await fstatFd(fd);
    const opened = kindOf(info);
    if (opened) throw notAFile(shownAs, opened);
    if (info.size > maxBytes) throw tooLarge(shownAs, `${info.size} bytes`, maxBytes);
    // Read one byte past the cap, whatever the size said: a file that grows, or a /proc file that says 0. Only the
    // bytes a read filled are returned, so the buffers need no zeroing.
    let current = Buffer.allocUnsafe(Math.min(maxBytes + 1, info.size > 0 ? info.size + 1 : FIRST_READ));
    const chunks: Buffer[] = [];
    let total = 0;
    let used = 0;
    for (;;) {
      if (used === current.length) {
        chunks.push(current);
        current = Buffer.allocUnsafe(Math.min(maxBytes + 1 - total, current.length * 2));
        used = 0;
      }
      const bytesRead = await readFd(fd, current, used, current.length - used);
      if (bytesRead === 0) break;
      used += bytesRead;
      total += bytesRead;
      if (total > maxBytes) throw tooLarge(shownAs, `more than ${maxBytes} bytes`, maxBytes);
    }
    if (chunks.length === 0) return current.subarray(0, used);
    chunks.push(current.subarray(0, used));
    return Buffer.concat(chunks, total);
  } finally {
    await closeFd(fd);
  }
}

/**
 * Refuses text whose brackets nest deeper than `maxDepth`, before a recursive parser sees it. JSON strings are skipped
 * (a bracket inside one is not nesting); for YAML, whose quoting rules a scan cannot follow, every bracket counts,
 * which only over-counts, and block nesting is bounded by the size cap (each level costs a line and its indentation).
 */
export function checkNesting(text: string, shownAs: string, syntax: 'json' | 'yaml', maxDepth = MAX_NESTING): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22 && syntax === 'json') inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > maxDepth)
        throw new InputRefused('too-deep', `${shownAs}: nested more than ${maxDepth} levels deep (at character ${i + 1})`);
    } else if ((c === 0x5d || c === 0x7d) && depth > 0) depth--;
  }
}

/** readRegularFile, then UTF-8 (a byte-order mark dropped), nesting and JSON.parse; parse errors as the parser says. */
export async function readJsonFile(file: string, maxBytes: number, shownAs = file): Promise<unknown> {
  const text = (await readRegularFile(file, maxBytes, shownAs)).toString('utf8').replace(/^\uFEFF/, '');
  checkNesting(text, shownAs, 'json');
  return JSON.parse(text);
}

export const MiB = 1024 * 1024;
/** A JSON report or facts snapshot: ~100 KiB per hundred containers, so this is a host with tens of thousands. */
export const MAX_REPORT_BYTES = 256 * MiB;
/** A fix plan holds a few files' bytes; a prune plan lists objects by id: both far below this. */
export const MAX_PLAN_BYTES = 32 * MiB;
