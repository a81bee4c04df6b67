// After a write, the file is read back and parsed the way its reader will parse it, and what it says is compared with
// what was planned: a drop-in must hold exactly the planned proxy assignments (and pass the drop-in grammar again),
// a daemon.json exactly the planned JSON value, any other file the planned bytes. Whatever came between the plan and
// the disk (a writer that followed a link, another process, a filesystem that mangled bytes) is caught before any
// daemon reads the file.
import { promises as fs } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { type ParseError, parse } from 'jsonc-parser';
import type { FileChange, FixOperation } from '../../shared/fix';
import { parseProxyDropIn } from './proxy-dropin';

export type WrittenKind = 'dropin' | 'daemon-json' | 'bytes';

/** How a written file is compared: by what the operations that produced it write. */
export function writtenKind(ops: readonly FixOperation[]): WrittenKind {
  if (ops.some((op) => op.op === 'systemd-dropin.write')) return 'dropin';
  if (ops.some((op) => op.op === 'daemon-json.set' || op.op === 'daemon-json.unset')) return 'daemon-json';
  return 'bytes';
}

function parseJson(text: string): { value: unknown } | { error: string } {
  const errors: ParseError[] = [];
  const value: unknown = parse(text, errors, { allowTrailingComma: false, disallowComments: false });
  return errors.length > 0 ? { error: `not valid JSON at offset ${errors[0]!.offset}` } : { value };
}

/** Why the file at `hostFile` does not say what `change` planned, or null when it does. */
export async function readBackProblem(change: FileChange, hostFile: string, kind: WrittenKind): Promise<string | null> {
  if (change.after === null) {
    const gone = await fs.lstat(hostFile).then(
      () => false,
      (error: NodeJS.ErrnoException) => error.code === 'ENOENT',
    );
    return gone ? null : `${change.path} is still there after it was removed`;
  }
  let text: string;
  try {
    text = await fs.readFile(hostFile, 'utf8');
  } catch (error) {
    return `${change.path} cannot be read back: ${(error as Error).message}`;
  }
  switch (kind) {
    case 'dropin': {
      const written = parseProxyDropIn(text);
      if ('problem' in written) return `${change.path} as written is not a proxy drop-in: ${written.problem}`;
      const planned = parseProxyDropIn(change.after);
      if ('problem' in planned) return `the planned ${change.path} is not a proxy drop-in: ${planned.problem}`;
      return isDeepStrictEqual(written.assignments, planned.assignments)
        ? null
        : `${change.path} as written sets ${describe(written.assignments)}, not the planned ${describe(planned.assignments)}`;
    }
    case 'daemon-json': {
      const written = parseJson(text);
      if ('error' in written) return `${change.path} as written is ${written.error}`;
      const planned = parseJson(change.after);
      if ('error' in planned) return `the planned ${change.path} is ${planned.error}`;
      return isDeepStrictEqual(written.value, planned.value) ? null : `${change.path} as written does not hold the planned configuration`;
    }
    case 'bytes':
      return text === change.after ? null : `${change.path} as written differs from the planned bytes`;
  }
}

const describe = (assignments: readonly { name: string }[]) => (assignments.length ? assignments.map((a) => a.name).join(', ') : 'nothing');
