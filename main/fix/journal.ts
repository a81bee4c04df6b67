// The fix journal: one directory per apply holding the plan, the original bytes of every file before it was touched,
// and each step as it happened. Written before any change, so a crash mid-apply still leaves what is needed to restore.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { type Backup, type FixPlan, type FixRecord, FixRecordSchema, type FixStep } from '../../shared/fix';
import { type FileState, sha256, writeFile } from '../util/write-file';

/** A request about the journal that cannot be met: no such fix, nothing to undo, a damaged record. */
export class JournalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JournalError';
  }
}

const journalDir = (state: string) => path.join(state, 'fixes');
/** What newRecordId makes; anything else never becomes a path in the journal. */
const RECORD_ID = /^[0-9TZ]+-[0-9a-f]+$/;

function newRecordId(now = new Date()): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}

export class Journal {
  readonly dir: string;
  private constructor(
    readonly state: string,
    readonly record: FixRecord,
    /** Told of every step once it is saved: the live progress of an apply or an undo. */
    private readonly onStep?: (step: FixStep) => void,
  ) {
    this.dir = path.join(journalDir(state), record.id);
  }

  /** Starts a record for a plan; nothing on the host has changed yet. */
  static async begin(state: string, plan: FixPlan, onStep?: (step: FixStep) => void): Promise<Journal> {
    const record: FixRecord = {
      id: newRecordId(),
      plan,
      startedAt: new Date().toISOString(),
      finishedAt: null,
      outcome: 'applying',
      backups: [],
      steps: [],
      before: null,
      after: null,
      message: '',
    };
    const journal = new Journal(state, record, onStep);
    await fs.mkdir(journal.dir, { recursive: true, mode: 0o700 });
    await journal.save();
    return journal;
  }

  static async open(state: string, id: string, onStep?: (step: FixStep) => void): Promise<Journal> {
    if (!RECORD_ID.test(id)) throw new JournalError(`not a fix id: ${JSON.stringify(id)} (see \`dockhand fix history\`)`);
    return new Journal(state, await readRecord(path.join(journalDir(state), id)), onStep);
  }

  /** Keeps the original bytes of a file before it is first written; durable before the write happens. */
  async backup(file: string, state: FileState, after: string | null): Promise<Backup> {
    const existing = this.record.backups.find((b) => b.path === file);
    if (existing) return existing;
    let backupFile: string | null = null;
    if (state.exists && state.bytes) {
      backupFile = `${this.record.backups.length}.orig`;
      await writeFile(path.join(this.dir, backupFile), state.bytes, { mode: 0o600, followLinks: false });
    }
    const backup: Backup = {
      path: file,
      existed: state.exists,
      backupFile,
      sha256Before: state.sha256,
      sha256After: after === null ? null : sha256(after),
      mode: state.mode,
      uid: state.uid,
      gid: state.gid,
    };
    this.record.backups.push(backup);
    await this.step('backup', true, state.exists ? `saved the original ${file} (${state.bytes!.length} bytes)` : `${file} did not exist`);
    return backup;
  }

  /**
   * Records what a file holds after a tool (not our writer) changed it, so a later undo compares against those bytes:
   * gpasswd may lay a line out differently from the planned text.
   */
  async settled(backup: Backup, state: FileState): Promise<void> {
    backup.sha256After = state.sha256;
    await this.save();
  }

  async originalBytes(backup: Backup): Promise<Buffer | null> {
    return backup.backupFile ? fs.readFile(path.join(this.dir, backup.backupFile)) : null;
  }

  async step(step: FixStep['step'], ok: boolean, message: string): Promise<void> {
    const entry: FixStep = { at: new Date().toISOString(), step, ok, message };
    this.record.steps.push(entry);
    await this.save();
    this.onStep?.(entry);
  }

  async finish(outcome: FixRecord['outcome'], message: string): Promise<void> {
    this.record.outcome = outcome;
    this.record.message = message;
    this.record.finishedAt = new Date().toISOString();
    await this.save();
  }

  async save(): Promise<void> {
    await writeFile(path.join(this.dir, 'record.json'), `${JSON.stringify(this.record, null, 2)}\n`, { mode: 0o600, followLinks: false });
  }
}

async function readRecord(dir: string): Promise<FixRecord> {
  const text = await fs.readFile(path.join(dir, 'record.json'), 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new JournalError(
      error.code === 'ENOENT'
        ? `no applied fix ${path.basename(dir)} (see \`dockhand fix history\`)`
        : `cannot read the journal at ${dir}: ${error.message}`,
    );
  });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new JournalError(`the journal record ${dir}/record.json is damaged: not JSON`);
  }
  const parsed = FixRecordSchema.safeParse(json);
  if (!parsed.success) throw new JournalError(`the journal record ${dir}/record.json is damaged: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

/**
 * Keeps the unprivileged side's copy of a record the root helper made (the helper's journal is root's): History lists
 * it, and undo knows to go back through the helper. The copy holds no backups; those stay with root.
 */
export async function saveElevatedCopy(state: string, record: FixRecord): Promise<void> {
  if (!RECORD_ID.test(record.id))
    throw new JournalError(`the elevated helper returned a record with a bad id: ${JSON.stringify(record.id)}`);
  const dir = path.join(journalDir(state), record.id);
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  await writeFile(path.join(dir, 'record.json'), `${JSON.stringify({ ...record, elevated: true }, null, 2)}\n`, {
    mode: 0o600,
    followLinks: false,
  });
}

/** The newest record whose changes may still be in place: what `undo` without an id means. */
export function latestUndoable(records: readonly FixRecord[]): FixRecord | undefined {
  return records.find((r) => r.outcome === 'applied' || r.outcome === 'unverified' || r.outcome === 'applying');
}

/** Every record, newest first; damaged ones are reported, not fatal. */
export async function listRecords(state: string): Promise<{ records: FixRecord[]; damaged: string[] }> {
  const names = await fs.readdir(journalDir(state)).catch(() => [] as string[]);
  const records: FixRecord[] = [];
  const damaged: string[] = [];
  for (const name of names.sort().reverse()) {
    try {
      records.push(await readRecord(path.join(journalDir(state), name)));
    } catch {
      damaged.push(name);
    }
  }
  return { records, damaged };
}
