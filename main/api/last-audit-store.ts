import { promises as fs } from 'node:fs';
import { z } from 'zod';
import { DiskSummarySchema } from '../../shared/api';
import { ReportSchema } from '../../shared/report';
import { SerialQueue } from '../util/serial-queue';
import { PRIVATE, writeFile } from '../util/write-file';

export const LastAuditSchema = z.object({ report: ReportSchema, disk: DiskSummarySchema });
export type LastAudit = z.infer<typeof LastAuditSchema>;

/**
 * The last audit (report and disk summary, both already masked), kept on disk so the app opens on the last known state
 * instead of an empty screen. A file from another schema version, or damaged, is ignored: the next audit replaces it.
 */
export class LastAuditStore {
  private cached: Promise<LastAudit | null> | null = null;
  private readonly queue = new SerialQueue();

  constructor(readonly file: string) {}

  get(): Promise<LastAudit | null> {
    this.cached ??= this.load();
    return this.cached;
  }

  /** Keeps the audit in memory at once; the write follows (a failed write only loses it across a restart). */
  async save(audit: LastAudit): Promise<void> {
    this.cached = Promise.resolve(audit);
    // Compact: a report over a thousand containers is tens of MB indented.
    await this.queue.run(() => writeFile(this.file, JSON.stringify(audit), PRIVATE));
  }

  private async load(): Promise<LastAudit | null> {
    try {
      const parsed = LastAuditSchema.safeParse(JSON.parse(await fs.readFile(this.file, 'utf8')));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }
}
